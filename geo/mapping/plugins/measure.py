"""A measure tool: click "Measure", click points on the map, read the distance; click again to end.

Distances are great-circle (Leaflet's ``map.distance``), shown in km.
"""

from __future__ import annotations

from jinja2 import Template

from geo.mapping.raw import Plugin


class MeasureControl(Plugin):
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var control = L.control({position: "topleft"});
            var active = false, points = [], line = null, marks = L.layerGroup().addTo(map);
            var button, readout;
            function total() {
                var km = 0;
                for (var i = 1; i < points.length; i++) { km += map.distance(points[i - 1], points[i]) / 1000; }
                return km;
            }
            function show() {
                readout.textContent = points.length < 2 ? "click points on the map"
                    : total().toFixed(1) + " km";
            }
            function onClick(e) {
                points.push(e.latlng);
                L.circleMarker(e.latlng, {radius: 3, color: "#111", interactive: false}).addTo(marks);
                if (line) { line.setLatLngs(points); }
                else { line = L.polyline(points, {color: "#111", weight: 2, interactive: false}).addTo(marks); }
                show();
            }
            control.onAdd = function () {
                var div = L.DomUtil.create("div", "leaflet-bar atlas-measure");
                button = L.DomUtil.create("a", "atlas-measure-button", div);
                button.href = "#"; button.title = "Measure a distance"; button.textContent = "Measure";
                readout = L.DomUtil.create("span", "atlas-measure-readout", div);
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.on(button, "click", function (e) {
                    L.DomEvent.preventDefault(e);
                    active = !active;
                    div.classList.toggle("active", active);
                    if (active) {
                        points = []; line = null; marks.clearLayers(); show();
                        map.on("click", onClick); map.getContainer().style.cursor = "crosshair";
                    } else {
                        map.off("click", onClick); map.getContainer().style.cursor = "";
                    }
                });
                return div;
            };
            control.addTo(map);
        })();
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "MeasureControl"
