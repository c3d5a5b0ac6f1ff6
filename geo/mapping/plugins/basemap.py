"""The bundled vector basemap: Natural Earth country borders, drawn with no tile server."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from jinja2 import Template
from shapely.geometry import box, mapping, shape

from geo.mapping import style
from geo.mapping.plugins._json import script_json
from geo.mapping.raw import Plugin
from geo.paths import BORDERS_GEOJSON

FOCUS = ("IRQ", "SYR", "JOR")
#: lon_min, lat_min, lon_max, lat_max that the region file covers (scripts/build_basemap.py)
REGION_BOX = (30.0, 26.0, 52.0, 42.0)
#: the world file beyond it (data/basemap/SOURCE.md), drawn round data that leaves the region
WORLD_TOPOJSON = BORDERS_GEOJSON.parent / "countries-50m.json"
#: the world beyond the region is drawn simplified to this (degrees) ...
WORLD_TOLERANCE = 0.05
#: ... round the data's extent with this margin (degrees)
WORLD_MARGIN = 15.0


@cache
def borders(path: Path = BORDERS_GEOJSON) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def country_labels(path: Path = BORDERS_GEOJSON) -> list[dict[str, Any]]:
    """A label point inside each focus country (computed from its polygon, not a new coordinate)."""
    out = []
    for f in borders(path)["features"]:
        if f["properties"]["iso3"] in FOCUS:
            p = shape(f["geometry"]).representative_point()
            out.append({"name": f["properties"]["name"], "lat": p.y, "lng": p.x})
    return out


@cache
def _world() -> tuple[tuple[str, Any], ...]:
    """The world's countries outside the region box, simplified for the screen: (name, shape)."""
    import geopandas as gpd  # only maps of data beyond the region need it

    frame = gpd.read_file(WORLD_TOPOJSON, layer="countries")
    region = box(*REGION_BOX)
    out = []
    for name, geom in zip(frame["name"], frame.geometry, strict=True):
        if geom is None or geom.is_empty:
            continue
        simple = shapely.make_valid(geom.simplify(WORLD_TOLERANCE, preserve_topology=True))
        shape_ = simple.difference(region)
        if not shape_.is_empty:
            out.append((str(name), shape_))
    return tuple(out)


def world_around(points: list[tuple[float, float]]) -> dict[str, Any] | None:
    """Countries beyond the region round the (lat, lng) ``points`` that lie outside it, as
    GeoJSON; None when every point is inside the region (its own file covers it)."""
    lo_lng, lo_lat, hi_lng, hi_lat = REGION_BOX
    outside = [(a, b) for a, b in points if not (lo_lat <= a <= hi_lat and lo_lng <= b <= hi_lng)]
    if not outside:
        return None
    lats = [a for a, _ in outside] + [lo_lat, hi_lat]
    lngs = [b for _, b in outside] + [lo_lng, hi_lng]
    m = WORLD_MARGIN
    area = box(max(-180, min(lngs) - m), max(-90, min(lats) - m),
               min(180, max(lngs) + m), min(90, max(lats) + m))  # fmt: skip
    features = []
    for name, geom in _world():
        if not geom.intersects(area):
            continue
        clipped = shapely.transform(geom.intersection(area), lambda xy: np.round(xy, 2))
        if not clipped.is_empty:
            features.append(
                {"type": "Feature", "properties": {"name": name, "iso3": ""},
                 "geometry": mapping(clipped)}
            )  # fmt: skip
    return {"type": "FeatureCollection", "features": features}


class Borders(Plugin):
    """Country polygons as a non-interactive layer (clicks go to the incidents, not to Iraq)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var focus = {{ this.focus }};
            var world = {{ this.world }};
            if (world) {  // the world round data beyond the region, beneath the region's file
                L.geoJSON(world, {interactive: false, style: {color: "{{ this.border }}",
                    weight: 0.6, fillColor: "{{ this.land }}", fillOpacity: {{ this.fill_opacity }}}})
                    .addTo({{ this._parent.get_name() }});
            }
            L.geoJSON({{ this.data }}, {
                interactive: false,
                style: function (f) {
                    var inFocus = focus.indexOf(f.properties.iso3) >= 0;
                    return {color: "{{ this.border }}", weight: inFocus ? 1.4 : 0.8,
                            fillColor: inFocus ? "{{ this.focus_land }}" : "{{ this.land }}",
                            fillOpacity: {{ this.fill_opacity }}};
                }
            }).addTo({{ this._parent.get_name() }});
            {{ this.labels }}.forEach(function (c) {
                L.marker([c.lat, c.lng], {interactive: false, keyboard: false,
                    icon: L.divIcon({className: "atlas-country-label", html: c.name,
                                     iconSize: [120, 16], iconAnchor: [60, 8]})
                }).addTo({{ this._parent.get_name() }});
            });
        })();
        {% endmacro %}
        """
    )

    def __init__(self, fill: bool = True, points: list[tuple[float, float]] | None = None) -> None:
        """``fill=False`` leaves the land transparent so online tiles show through; ``points``
        (lat, lng) beyond the region bring the world's countries round them."""
        super().__init__()
        self._name = "Borders"
        self.world = script_json(world_around(points or []))
        self.fill_opacity = 1 if fill else 0
        self.data = script_json(borders())
        self.focus = script_json(list(FOCUS))
        self.labels = script_json(country_labels())
        self.border, self.land, self.focus_land = style.BORDER, style.LAND, style.FOCUS_LAND
