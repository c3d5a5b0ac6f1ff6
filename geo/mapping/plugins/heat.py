"""A heatmap overlay of the located incidents (Leaflet.heat, vendored), off by default.

The overlay is a layer group that draws the heat layer when the user turns it on.  With
``src`` (a served map) Leaflet.heat is fetched then, not with the map: a map frame fetches its
scripts one after another before it draws, and most maps are never shown as a heatmap.
Without ``src`` (an inline map: exports) the plugin is already in the page.
"""

from __future__ import annotations

from jinja2 import Template

from geo.mapping.plugins._json import script_json
from geo.mapping.raw import Plugin


class HeatLayer(Plugin):
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var points = {{ this.points }};
            var group = L.layerGroup();
            group.on("add", function () {
                if (group.getLayers().length) { return; }
                var draw = function () {
                    group.addLayer(L.heatLayer(points,
                        {radius: 28, blur: 22, minOpacity: 0.35, maxZoom: 9}));
                };
                if (L.heatLayer) { draw(); return; }
                var script = document.createElement("script");
                script.src = {{ this.src }};
                script.onload = draw;
                document.head.appendChild(script);
            });
            map.atlasOverlays = map.atlasOverlays || {};
            map.atlasOverlays["Heatmap"] = group;
        })();
        {% endmacro %}
        """
    )

    def __init__(self, points: list[tuple[float, float]], src: str | None = None) -> None:
        super().__init__()
        self._name = "HeatLayer"
        self.points = script_json([[lat, lng, 1] for lat, lng in points])
        self.src = script_json(src)
