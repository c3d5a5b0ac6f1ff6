"""Site names on the map, beside their counts, without clutter.

Each site with incidents in range gets its name just right of its hub and the fan of its own
dots (else left of them, above or below them, whichever is free), so no dot of the site hides
its name.  After every zoom or pan the labels are placed busiest site first; a label that would
overlap a label already placed, the hub of a site with incidents or one of the map's controls
(the legend, say), or run off the map's edge, is hidden (the hub's tooltip still names it).
Other sites' dots are not obstacles: a name may cross them.  Names go in as text
(``textContent``), never as HTML.
"""

from __future__ import annotations

from jinja2 import Template

from geo.mapping import style
from geo.mapping.plugins._json import script_json
from geo.mapping.raw import Plugin

#: a label's gap from its hub's edge (px)
GAP = 3


class SiteLabels(Plugin):
    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
        .atlas-site-label { white-space: nowrap; font: 600 12px/16px system-ui, sans-serif;
            color: {{ this.ink }}; width: auto !important; height: auto !important;
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
                    el.setAttribute("data-label-site", s[4]);
                    el.textContent = s[2];
                });
                return m;
            });
            var group = L.layerGroup(labels).addTo(map);
            map.atlasSiteLabels = group;
            function overlaps(a, b) {
                return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
            }
            function grow(b, r) {
                return b === null ? {left: r.left, right: r.right, top: r.top, bottom: r.bottom}
                    : {left: Math.min(b.left, r.left), right: Math.max(b.right, r.right),
                       top: Math.min(b.top, r.top), bottom: Math.max(b.bottom, r.bottom)};
            }
            // the box of a site's hub and of its own dots drawn now (pushed aside or not)
            function cluster(sid, hub) {
                var b = hub ? grow(null, hub) : null;
                (map.atlasPlaces || []).forEach(function (p) {
                    var h = p.hub && p.hub.getElement();
                    var tag = h && h.querySelector("[data-site-id]");
                    if (!tag || tag.getAttribute("data-site-id") !== sid) { return; }
                    p.dots.forEach(function (d) {
                        var el = d.getElement();
                        if (!el || !map.hasLayer(d)) { return; }
                        var r = el.getBoundingClientRect();
                        if (r.width > 0) { b = grow(b, r); }
                    });
                });
                return b;
            }
            function place() {
                var taken = [], own = {}, box = map.getContainer().getBoundingClientRect();
                var hubs = map.getContainer().querySelectorAll("div.atlas-site:not(.atlas-site-empty)");
                for (var i = 0; i < hubs.length; i++) {
                    var r = hubs[i].getBoundingClientRect();
                    if (r.width > 0) { taken.push(r); own[hubs[i].getAttribute("data-site-id")] = r; }
                }
                // nor under the map's controls (legend, zoom, layers, playback, scale)
                map.getContainer().querySelectorAll(".leaflet-control").forEach(function (c) {
                    var r = c.getBoundingClientRect();
                    if (r.width > 0) { taken.push(r); }
                });
                labels.forEach(function (m, k) {
                    var el = m.getElement();
                    if (!el) { return; }
                    el.style.visibility = "visible";
                    el.style.marginLeft = "0px";
                    el.style.marginTop = "0px";
                    var r = el.getBoundingClientRect();
                    var mine = own[sites[k][4]];
                    var hub = sites[k][3], gap = {{ this.gap }};
                    // where the name would sit beside the bare hub (its box when it has none)
                    var at = mine || {left: r.left - hub - gap, right: r.left - gap,
                                      top: r.top + r.height / 2 - hub / 2,
                                      bottom: r.top + r.height / 2 + hub / 2};
                    var around = cluster(sites[k][4], at) || at;
                    var cx = (at.left + at.right) / 2, cy = (at.top + at.bottom) / 2;
                    var mid = cx - r.width / 2 - r.left, level = cy - r.height / 2 - r.top;
                    // right of the hub and its dots first, then left of them, above, below
                    var tries = [[around.right + gap - r.left, level],
                                 [around.left - gap - r.right, level],
                                 [mid, around.top - 2 - r.bottom],
                                 [mid, around.bottom + 2 - r.top]];
                    var spot = null;
                    for (var t = 0; t < tries.length && spot === null; t++) {
                        var c = {left: r.left + tries[t][0], right: r.right + tries[t][0],
                                 top: r.top + tries[t][1], bottom: r.bottom + tries[t][1]};
                        var clash = c.right > box.right || c.left < box.left
                            || c.top < box.top || c.bottom > box.bottom
                            || taken.some(function (o) { return o !== mine && overlaps(c, o); });
                        if (!clash) { spot = [tries[t], c]; }
                    }
                    var hidden = spot === null;
                    el.style.visibility = hidden ? "hidden" : "visible";
                    el.classList.toggle("atlas-label-hidden", hidden);
                    if (!hidden) {
                        el.style.marginLeft = spot[0][0] + "px";
                        el.style.marginTop = spot[0][1] + "px";
                        taken.push(spot[1]);
                    }
                });
            }
            // placed once the other handlers of the same change (the dots' layout) have run
            var pending = false;
            function schedule() {
                if (pending) { return; }
                pending = true;
                requestAnimationFrame(function () { pending = false; place(); });
            }
            map.on("zoomend moveend resize viewreset overlayadd overlayremove atlaslayout", schedule);
            map.whenReady(function () { setTimeout(schedule, 0); });
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
        self.ink = style.INK
