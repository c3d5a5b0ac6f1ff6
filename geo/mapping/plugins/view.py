"""The map's view: fitted to the data on first sight, kept as the user left it afterwards,
and a control to fit it again.

In the app every filter change builds a new map; fitting each one to its data made the map
jump (and cut labels off at the edge).  With a ``storage_key`` the view the user last had is
kept in the tab's ``sessionStorage`` and restored while it still shows some of the data; only
when the data has left it is the map fitted anew.  The "reset view" button fits the data.
"""

from __future__ import annotations

from jinja2 import Template

from geo.mapping.plugins._json import script_json
from geo.mapping.raw import Plugin


class FitView(Plugin):
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var fit = L.latLngBounds({{ this.fit }});
            var points = {{ this.points }};
            var key = {{ this.key }};
            // the data is fitted clear of the map's furniture: the controls on the left, the
            // legend on the right, playback and scale at the bottom
            function clearance() {
                var c = map.getContainer();
                var size = map.getSize();
                var legend = c.querySelector(".atlas-legend");
                var play = c.querySelector(".atlas-playback");
                var scale = c.querySelector(".leaflet-control-scale");
                var right = legend ? Math.min(legend.offsetWidth + 12, size.x * 0.35) : 0;
                var bottom = (play ? play.offsetHeight + 12 : 0)
                    + (scale ? scale.offsetHeight + 6 : 0);
                return {paddingTopLeft: [Math.min(56, size.x * 0.15), 12],
                        paddingBottomRight: [right, Math.min(bottom, size.y * 0.3)]};
            }
            function reset(animate) {
                map.fitBounds(fit, L.extend({maxZoom: {{ this.max_zoom }},
                                             animate: animate !== false}, clearance()));
            }
            var saved = null;
            if (key) {
                try { saved = JSON.parse(window.sessionStorage.getItem(key)); } catch (e) { saved = null; }
            }
            var kept = false;
            if (saved && saved.b) {
                var was = L.latLngBounds(saved.b);
                kept = !points.length || points.some(function (p) { return was.contains(p); });
            }
            // the first view is set at once: no zoom animation while the page loads
            if (kept) { map.setView(saved.c, saved.z, {animate: false}); } else { reset(false); }
            if (key) {
                map.on("moveend", function () {
                    var b = map.getBounds();
                    try {
                        window.sessionStorage.setItem(key, JSON.stringify({
                            c: [map.getCenter().lat, map.getCenter().lng], z: map.getZoom(),
                            b: [[b.getSouth(), b.getWest()], [b.getNorth(), b.getEast()]]}));
                    } catch (e) { /* storage full or refused: the view is simply not kept */ }
                });
            }
            var control = L.control({position: "topleft"});
            control.onAdd = function () {
                var div = L.DomUtil.create("div", "leaflet-bar atlas-reset-view");
                var a = L.DomUtil.create("a", "", div);
                a.href = "#"; a.title = "Reset the view: fit the data";
                a.setAttribute("role", "button"); a.setAttribute("aria-label", a.title);
                a.textContent = "⌂";
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.on(a, "click", function (e) { L.DomEvent.preventDefault(e); reset(); });
                return div;
            };
            control.addTo(map);
            map.atlasResetView = reset;
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self,
        fit: list[list[float]],
        points: list[tuple[float, float]],
        storage_key: str | None = None,
        max_zoom: int = 7,
    ) -> None:
        """``fit``: [[south, west], [north, east]] to show first and on reset; ``points``: where
        the data is (a kept view must show one of them); ``storage_key``: where the tab keeps
        the view (None: always fit, as a standalone export does)."""
        super().__init__()
        self._name = "FitView"
        self.fit = script_json(fit)
        self.points = script_json([[round(a, 4), round(b, 4)] for a, b in points])
        self.key = script_json(storage_key)
        self.max_zoom = max_zoom
