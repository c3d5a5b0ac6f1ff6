"""The map: built by ``geo.mapping``, shown by streamlit-folium, clicks turned into a site id."""

from __future__ import annotations

from typing import Any

import folium
import pandas as pd
import streamlit as st
from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template
from streamlit_folium import generate_leaflet_string, get_full_id, st_folium

from geo.gazetteer import Gazetteer
from geo.mapping import build_map
from geo.mapping.assets import asset_links
from geo.mapping.build import CELL_DEG, MAX_DOTS
from geo.mapping.raw import RawHtml

SELECTED = "atlas_selected_site"
#: inside the map's frame: the map takes the frame's whole height, whatever st_folium set
FILL_FRAME = "<style>#map_div { height: 100vh !important; }</style>"
#: in the map frame's header on a session's first run: the map, once drawn, asks for the next
#: run (:class:`ReportDrawn`), which draws the rest of the page (components/map_page.py)
REPORT_DRAWN = '<meta name="atlas-report-drawn" content="1">'
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


class ReportDrawn(MacroElement):
    """In every map's script (the script decides which frame is reused, so it must not change
    with the run): with :data:`REPORT_DRAWN` in the frame's header, once the map is laid out
    and painted, give the component a value (streamlit-folium's, with nothing clicked), which
    reruns the page."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            if (window.atlasReported) { return; }  // once per frame (maps are redrawn in it)
            if (!document.querySelector('meta[name="atlas-report-drawn"]')) { return; }
            window.atlasReported = true;
            var map = {{ this._parent.get_name() }};
            map.whenReady(function () {
                requestAnimationFrame(function () { requestAnimationFrame(function () {
                    window.parent.postMessage({isStreamlitMessage: true,
                        type: "streamlit:setComponentValue", dataType: "json",
                        value: {last_object_clicked: null, atlas_drawn: true}}, "*");
                }); });
            });
        })();
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "ReportDrawn"


#: the frame's map variable and element id (streamlit-folium names the frame's map so)
FRAME_MAP = "map_div"


class MapInFrame(folium.FeatureGroup):
    """A whole map drawn in the standing frame, in place of the one there: streamlit-folium
    keeps a frame while its map's script stays the same, and runs the script of the "feature
    group" it is given whenever that changes.  The frame's map (:func:`frame_map`) never
    changes; the atlas's map comes as this group's script, which removes the map drawn before
    and draws the new one on the same element, then hands it to streamlit-folium (clicks).
    A new range is a new map without a new frame, Leaflet loaded again, or a second copy of
    the page's scripts."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.featureGroup();
        (function () {
            if (window.map) { window.map.remove(); }
            {{ this.code }}
            window.map_div = window.map = map_div;
            window.atlasMapsDrawn = (window.atlasMapsDrawn || 0) + 1;
            window.initComponent(map_div, false);
            // the frame may be sized after the map was drawn: Leaflet then measures again
            // (and the map's "resize" places the site names anew)
            if (window.atlasResize) { window.atlasResize.disconnect(); }
            window.atlasResize = new ResizeObserver(function () { map_div.invalidateSize(); });
            window.atlasResize.observe(map_div.getContainer());
            // streamlit-folium re-parses the frame's head when it makes the frame, so Leaflet's
            // stylesheet may still be loading: once it is in, measure and lay out again
            var drawn = map_div;
            document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
                if (link.sheet) { return; }
                link.addEventListener("load", function () {
                    if (window.map !== drawn) { return; }
                    drawn.invalidateSize();
                    drawn.fire("resize");
                });
            });
        })();
        {% endmacro %}
        """
    )

    def __init__(self, code: str) -> None:
        super().__init__(control=False)
        self.code = code


def frame_map(header: str) -> folium.Map:
    """The frame's own map: an empty one with the atlas map's assets and ``header`` (its
    styles: the frame keeps the header it was made with)."""
    frame = folium.Map(tiles=None, location=[33.5, 41.5], zoom_start=6)
    frame.default_js, frame.default_css = asset_links("served")
    frame.get_root().header.add_child(RawHtml(header), name="atlas_header")
    return frame


def map_script(m: folium.Map) -> str:
    """The map's script, its map named :data:`FRAME_MAP` (as streamlit-folium names it)."""
    m.render()
    return generate_leaflet_string(m).replace(get_full_id(m), FRAME_MAP)


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
    # the frame's height follows the window (components/map_page.py): the map fills it
    m.get_root().header.add_child(Element(FILL_FRAME))
    ReportDrawn().add_to(m)
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
    *,
    report_drawn: bool = False,
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
    frame_of = frame_map(header)
    if report_drawn:
        frame_of.get_root().header.add_child(RawHtml(REPORT_DRAWN))
    if many:
        st.info(
            f"{located:,} located incidents in range: the map counts them per site and per "
            f"{CELL_DEG}° cell. Click a site to draw its latest incidents one by one, or "
            "narrow the range or filters."
        )
    # Only clicks come back: panning and zooming do not rerun the script.
    out = st_folium(
        frame_of,
        key=f"atlas_map_{generation}",
        height=640,
        use_container_width=True,
        returned_objects=["last_object_clicked"],
        feature_group_to_add=MapInFrame(code),
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
