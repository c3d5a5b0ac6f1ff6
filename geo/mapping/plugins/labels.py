"""Site names on the map, beside their counts, without clutter.

Each site with incidents in range gets its name just right of its hub.  After every zoom or
pan the labels are placed busiest site first; a label that would overlap a label already
placed or the hub of a site with incidents, or run off the map's edge, is hidden (the hub's
tooltip still names it).  Incident dots are not obstacles: a name may cross them.  Names go
in as text (``textContent``), never as HTML.
"""

from __future__ import annotations

from branca.element import MacroElement
from jinja2 import Template

from geo.mapping.plugins._json import script_json

#: a label's gap from its hub's edge (px)
GAP = 3


class SiteLabels(MacroElement):
    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
        .atlas-site-label { white-space: nowrap; font: 600 12px/16px system-ui, sans-serif;
            color: #1b1b1b; width: auto !important; height: auto !important;
            text-shadow: 0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff, 0 0 4px #fff; }
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var sites = {{ this.sites }};
            if (!map.getPane("atlasLabels")) {
                map.createPane("atlasLabels");
                map.getPane("atlasLabels").style.zIndex = 590;
                map.getPane("atlasLabels").style.pointerEvents = "none";
            }
            var labels = sites.map(function (s) {
                var icon = L.divIcon({className: "atlas-site-label-icon", html: "",
                                      iconSize: null, iconAnchor: [-(s[3] / 2 + {{ this.gap }}), 8]});
                var m = L.marker([s[0], s[1]], {icon: icon, pane: "atlasLabels",
                                                interactive: false, keyboard: false});
                m.on("add", function () {
                    var el = m.getElement();
                    el.classList.add("atlas-site-label");
                    el.textContent = s[2];
                });
                return m;
            });
            var group = L.layerGroup(labels).addTo(map);
            map.atlasSiteLabels = group;
            function overlaps(a, b) {
                return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
            }
            function place() {
                var taken = [], own = {}, box = map.getContainer().getBoundingClientRect();
                var hubs = map.getContainer().querySelectorAll("div.atlas-site:not(.atlas-site-empty)");
                for (var i = 0; i < hubs.length; i++) {
                    var r = hubs[i].getBoundingClientRect();
                    if (r.width > 0) { taken.push(r); own[hubs[i].getAttribute("data-site-id")] = r; }
                }
                labels.forEach(function (m, k) {
                    var el = m.getElement();
                    if (!el) { return; }
                    el.style.visibility = "visible";
                    var r = el.getBoundingClientRect();
                    var mine = own[sites[k][4]];
                    var clash = r.right > box.right || r.left < box.left
                        || taken.some(function (t) { return t !== mine && overlaps(r, t); });
                    el.style.visibility = clash ? "hidden" : "visible";
                    el.classList.toggle("atlas-label-hidden", clash);
                    if (!clash) { taken.push(r); }
                });
            }
            map.on("zoomend moveend resize viewreset overlayadd overlayremove", place);
            map.whenReady(function () { setTimeout(place, 0); });
            map.atlasPlaceLabels = place;
        })();
        {% endmacro %}
        """
    )

    def __init__(self, sites: list[tuple[str, float, float, str, int, int]]) -> None:
        """``sites``: (site id, lat, lng, name, hub size in px, count), in any order."""
        super().__init__()
        self._name = "SiteLabels"
        ordered = sorted(sites, key=lambda s: -s[5])
        self.sites = script_json(
            [[lat, lng, name, size, sid] for sid, lat, lng, name, size, _ in ordered]
        )
        self.gap = GAP
