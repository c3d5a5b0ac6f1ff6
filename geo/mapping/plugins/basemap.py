"""The bundled vector basemap: Natural Earth country borders, drawn with no tile server."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from branca.element import MacroElement
from jinja2 import Template
from shapely.geometry import shape

from geo.mapping import style
from geo.mapping.plugins._json import script_json
from geo.paths import BORDERS_GEOJSON

FOCUS = ("IRQ", "SYR", "JOR")


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


class Borders(MacroElement):
    """Country polygons as a non-interactive layer (clicks go to the incidents, not to Iraq)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var focus = {{ this.focus }};
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

    def __init__(self, fill: bool = True) -> None:
        """``fill=False`` leaves the land transparent so online tiles show through."""
        super().__init__()
        self._name = "Borders"
        self.fill_opacity = 1 if fill else 0
        self.data = script_json(borders())
        self.focus = script_json(list(FOCUS))
        self.labels = script_json(country_labels())
        self.border, self.land, self.focus_land = style.BORDER, style.LAND, style.FOCUS_LAND
