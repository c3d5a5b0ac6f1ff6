"""A heatmap overlay of the located incidents (Leaflet.heat, vendored), off by default."""

from __future__ import annotations

from branca.element import MacroElement
from jinja2 import Template

from geo.mapping.plugins._json import script_json


class HeatLayer(MacroElement):
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            map.atlasOverlays = map.atlasOverlays || {};
            map.atlasOverlays["Heatmap"] = L.heatLayer({{ this.points }},
                {radius: 28, blur: 22, minOpacity: 0.35, maxZoom: 9});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, points: list[tuple[float, float]]) -> None:
        super().__init__()
        self._name = "HeatLayer"
        self.points = script_json([[lat, lng, 1] for lat, lng in points])
