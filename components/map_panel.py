"""The map: built by ``geo.mapping``, shown by streamlit-folium, clicks turned into a site id."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo.gazetteer import Gazetteer
from geo.mapping import build_map
from geo.mapping.build import CELL_DEG, MAX_DOTS

SELECTED = "atlas_selected_site"
#: bumped when the site is chosen elsewhere, so a new map component reports a repeat click anew
MAP_GENERATION = "_atlas_map_generation"


def site_at(gazetteer: Gazetteer, point: dict[str, Any] | None) -> str | None:
    """The site whose point was clicked (markers sit exactly on their site's point)."""
    if not point:
        return None
    for site in gazetteer:
        if site.latitude is None or site.longitude is None:
            continue
        if abs(site.latitude - point["lat"]) < 1e-6 and abs(site.longitude - point["lng"]) < 1e-6:
            return site.id
    return None


def map_panel(frame: pd.DataFrame, gazetteer: Gazetteer, online_tiles: bool, view: str) -> None:
    """Draw the map; a click on a site or one of its incidents selects the site.

    The map's script only changes with the data (``view`` names what it shows: filters, data
    version) or when the site is picked outside the map (the select box bumps MAP_GENERATION):
    a click draws its range rings in the browser, so the rerun it causes keeps the same map,
    with its zoom and pan.  Whenever the map is built anew, it is built with the selected
    site's rings: a selection lasts until the user clears it.
    """
    ss = st.session_state
    generation = ss.get(MAP_GENERATION, 0)
    if ss.get("_atlas_map_generation_seen") != generation or ss.get("_atlas_map_view") != view:
        ss["_atlas_map_generation_seen"] = generation
        ss["_atlas_map_view"] = view
        ss["_atlas_map_site"] = ss.get(SELECTED)
    located = int(frame["longitude"].notna().sum())
    many = located > MAX_DOTS
    m = build_map(
        frame,
        gazetteer,
        assets="served",
        online_tiles=online_tiles,
        selected_site=st.session_state.get("_atlas_map_site"),
        detail_site=st.session_state.get(SELECTED) if many else None,
        keep_view="atlas-map-view",
    )
    if many:
        st.info(
            f"{located:,} located incidents in range: the map counts them per site and per "
            f"{CELL_DEG}° cell. Click a site to draw its latest incidents one by one, or "
            "narrow the range or filters."
        )
    # Only clicks come back: panning and zooming do not rerun the script.
    out = st_folium(
        m,
        key=f"atlas_map_{generation}",
        height=640,
        use_container_width=True,
        returned_objects=["last_object_clicked"],
    )
    clicked = (out or {}).get("last_object_clicked")
    if clicked and clicked != st.session_state.get("_atlas_last_click"):
        st.session_state["_atlas_last_click"] = clicked
        site = site_at(gazetteer, clicked)
        if site:
            changed = site != st.session_state.get(SELECTED)
            st.session_state[SELECTED] = site
            if many and changed:
                # the map was built before the click was known: build it again, now with the
                # site's own incidents drawn and its range rings (with few incidents every dot
                # is there already, and the click drew the rings in the browser)
                st.session_state["_atlas_map_site"] = site
                st.rerun()
