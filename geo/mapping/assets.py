"""Offline map assets: Leaflet (and its heat plugin) from the project's own copy, never a CDN.

A default folium map loads ten files from CDNs and draws nothing without a network.  We replace
the map's ``default_js`` / ``default_css`` with our vendored copies (``static/vendor``, versions
and licences in ``static/vendor/README.md``), either

* ``served``: URLs under ``/app/static/`` (Streamlit's static serving, used by the app), or
* ``inline``: ``data:`` URIs, so one HTML file works anywhere (exports, tests).
"""

from __future__ import annotations

import base64
from functools import cache
from typing import Literal

from geo.paths import VENDOR_DIR

AssetMode = Literal["served", "inline"]

SERVED_PREFIX = "/app/static/vendor/"
LEAFLET = "leaflet-1.9.4"
HEAT = "leaflet.heat-0.2.0"

# (folium name, path under static/vendor).  No jQuery: only folium's own Popup needs it, and
# the maps draw their popups with Leaflet (tests/test_map.py checks no page calls it).
LEAFLET_JS = ("leaflet", f"{LEAFLET}/leaflet.js")
HEAT_JS = ("leaflet_heat", f"{HEAT}/leaflet-heat.js")
JS: tuple[tuple[str, str], ...] = (LEAFLET_JS, HEAT_JS)
#: what a served map loads when it is made: Leaflet only (the heat plugin when the heatmap is
#: turned on: :func:`heat_src`)
SERVED_JS: tuple[tuple[str, str], ...] = (LEAFLET_JS,)
CSS: tuple[tuple[str, str], ...] = (("leaflet_css", f"{LEAFLET}/leaflet.css"),)
ICON_DIR = f"{LEAFLET}/images/"


@cache
def _data_uri(rel: str, mime: str) -> str:
    payload = base64.b64encode((VENDOR_DIR / rel).read_bytes()).decode("ascii")
    return f"data:{mime};base64,{payload}"


def asset_links(mode: AssetMode) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(default_js, default_css) for a folium map in the given mode."""
    if mode == "served":
        return (
            [(name, SERVED_PREFIX + rel) for name, rel in SERVED_JS],
            [(name, SERVED_PREFIX + rel) for name, rel in CSS],
        )
    return (
        [(name, _data_uri(rel, "text/javascript")) for name, rel in JS],
        [(name, _data_uri(rel, "text/css")) for name, rel in CSS] + [("leaflet_icons", _icons())],
    )


@cache
def _icons() -> str:
    """Leaflet's CSS finds its control icons by relative URL, which a data: stylesheet cannot
    resolve: give them again as data: images."""
    css = "".join(
        f".leaflet-control-layers-toggle{{background-image:url({_data_uri(ICON_DIR + f, 'image/png')})}}"
        if f == "layers.png"
        else f".leaflet-retina .leaflet-control-layers-toggle{{background-image:url("
        f"{_data_uri(ICON_DIR + f, 'image/png')})}}"
        for f in ("layers.png", "layers-2x.png")
    )
    return "data:text/css;base64," + base64.b64encode(css.encode()).decode("ascii")


def heat_src(mode: AssetMode) -> str | None:
    """Where a served map fetches the heat plugin when the heatmap is turned on (an inline
    map has it already)."""
    return SERVED_PREFIX + HEAT_JS[1] if mode == "served" else None


def icon_path(mode: AssetMode) -> str:
    """Where Leaflet's default marker images are (we draw DivIcons, but set it anyway)."""
    return SERVED_PREFIX + ICON_DIR if mode == "served" else ""
