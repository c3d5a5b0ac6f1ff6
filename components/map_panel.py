"""The map: built by ``geo.mapping``, shown in a frame of our own (``map_frame/``: a Streamlit
component of one page and one small script), clicks turned into a site id.

The frame loads Leaflet from the app's own copy with its page and draws each map the app sends
in place of the one before (a new range is a new map in the same frame: no new frame, no
second copy of Leaflet).  Only clicks on markers come back: panning and zooming do not rerun
the script.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import folium
import pandas as pd
import streamlit as st
import streamlit.components.v1 as components
from folium.elements import JSCSSMixin

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


#: the map frame's own page and script (Streamlit serves the folder as the component's)
FRONTEND = Path(__file__).parent / "map_frame"
#: the frame's map variable and element id (the bridge draws on ``#map_div``)
FRAME_MAP = "map_div"
#: what the frame gives back before any click
NOTHING_CLICKED: dict[str, Any] = {"last_object_clicked": None}


def _atlas_map(**kwargs: Any) -> Any:
    """The frame, declared in the run that draws it: Streamlit registers a component (and so
    serves its folder) only when it is declared inside a script run, and this module may be
    imported before the server starts (``components/launch.py``).  Declaring again is cheap
    and changes nothing."""
    return components.declare_component("atlas_map", path=str(FRONTEND))(**kwargs)


def map_script(m: folium.Map) -> str:
    """The map's script as folium writes it into a page, its map named :data:`FRAME_MAP`."""
    root = m.get_root()
    root.render()
    return root.script.render().replace(m.get_name(), FRAME_MAP)


@st.cache_resource(max_entries=8, show_spinner=False)
def built_map(
    key: tuple[str, str | None, str | None],
    _frame: pd.DataFrame,
    _gazetteer: Gazetteer,
    online_tiles: bool,
) -> tuple[str, str]:
    """The script and the header (styles, without the asset links) of the map of ``key``:
    (view, site whose rings are drawn, site whose incidents are drawn one by one); ``view``
    names the data and filters ``_frame`` holds.  Built once per process: a new visitor's
    first map, or a view seen before, costs no build."""
    _view, site, detail = key
    m = build_map(
        _frame,
        _gazetteer,
        assets="served",
        online_tiles=online_tiles,
        selected_site=site,
        detail_site=detail,
        keep_view="atlas-map-view",
    )
    code = map_script(m)
    header = "".join(
        child.render()
        for child in m.get_root().header._children.values()
        if not isinstance(child, JSCSSMixin) and "Link" not in type(child).__name__
    )
    return code, header


def map_panel(
    frame: pd.DataFrame,
    gazetteer: Gazetteer,
    online_tiles: bool,
    view: str,
) -> None:
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
    key = (view, ss.get("_atlas_map_site"), ss.get(SELECTED) if many else None)
    code, header = built_map(key, frame, gazetteer, online_tiles)
    if many:
        st.info(
            f"{located:,} located incidents in range: the map counts them per site and per "
            f"{CELL_DEG}° cell. Click a site to draw its latest incidents one by one, or "
            "narrow the range or filters."
        )
    # the frame's height follows the window (components/map_page.py): the map fills it.
    # ``report_drawn``: the session's first map frame gives a value once its map is painted,
    # which reruns the page (the first screen's second half waits for it).  The flag is the
    # same in every run for one frame, so that a run which keeps the map sends the frame the
    # very message it had: Streamlit then sends a reference to the browser's copy, not the
    # 400 kB script again.
    out = _atlas_map(
        header=header,
        code=code,
        height=640,
        report_drawn=generation == 0,
        key=f"atlas_map_{generation}",
        default=NOTHING_CLICKED,
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
