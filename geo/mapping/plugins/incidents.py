"""Incidents and site hubs as one compact data array and a few lines of JS.

Each located incident is a small DivIcon dot at its *data* coordinates; several incidents at one
place are fanned out round the place by a pixel offset of the icon (``iconAnchor``), so they stay
apart and clickable at every zoom while the data keeps the site's point.  A hub at the centre
shows how many attacks the site took in range; clicking any of them reports the site's point.

All text is escaped in Python (``popups.esc``) before it reaches the page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from branca.element import MacroElement
from jinja2 import Template

from geo.mapping.plugins._json import script_json

DOT = 12  # px
HUB = 22  # px


def ring_offsets(n: int, centre: bool = True) -> list[tuple[int, int]]:
    """Pixel offsets (dx, dy) for n markers round one point: 8 on the first ring, then wider.
    A lone marker sits on the point itself unless ``centre`` is taken (by a site hub)."""
    if n == 1 and centre:
        return [(0, 0)]
    out: list[tuple[int, int]] = []
    ring, radius, capacity = 0, 17, 8
    while len(out) < n:
        take = min(capacity, n - len(out))
        for k in range(take):
            angle = -math.pi / 2 + 2 * math.pi * k / take + ring * 0.3
            out.append((round(radius * math.cos(angle)), round(radius * math.sin(angle))))
        ring, radius, capacity = ring + 1, radius + 13, capacity + 6
    return out


@dataclass(frozen=True)
class Dot:
    id: str
    lat: float
    lng: float
    html: str  # escaped
    popup: str  # escaped
    tooltip: str  # escaped


@dataclass(frozen=True)
class Hub:
    site_id: str
    lat: float
    lng: float
    count: int
    html: str  # escaped
    tooltip: str  # escaped


class IncidentLayer(MacroElement):
    """Dots and hubs; places too close on screen are pushed apart, with a leader line back to
    their true point (display only), recomputed on every zoom."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var group = L.featureGroup().addTo(map);
            var leaders = L.layerGroup().addTo(map);
            var places = {{ this.places }}.map(function (p) {
                return {ll: L.latLng(p[0], p[1]), markers: [], r: 0};
            });
            function add(place, icon, base, radius, options, popup, tip) {
                var m = L.marker(place.ll, L.extend({icon: icon}, options)).bindTooltip(tip);
                if (popup) { m.bindPopup(popup, {maxWidth: 380}); }
                m.atlasBase = base;
                place.markers.push(m);
                place.r = Math.max(place.r, radius);
                m.addTo(group);
            }
            {{ this.dots }}.forEach(function (d) {
                var base = [{{ this.dot // 2 }} - d[1], {{ this.dot // 2 }} - d[2]];
                add(places[d[0]], L.divIcon({className: "atlas-incident", html: d[3],
                        iconSize: [{{ this.dot }}, {{ this.dot }}], iconAnchor: base}),
                    base, Math.sqrt(d[1] * d[1] + d[2] * d[2]) + {{ this.dot // 2 }},
                    {riseOnHover: true}, d[4], d[5]);
            });
            {{ this.hubs }}.forEach(function (h) {
                var base = [{{ this.hub // 2 }}, {{ this.hub // 2 }}];
                add(places[h[0]], L.divIcon({className: "atlas-hub", html: h[1],
                        iconSize: [{{ this.hub }}, {{ this.hub }}], iconAnchor: base}),
                    base, h[3] ? {{ this.hub // 2 }} : 5, {zIndexOffset: 1000}, null, h[2]);
            });
            function declutter() {
                var pts = places.map(function (p) { return map.latLngToLayerPoint(p.ll); });
                var off = places.map(function () { return L.point(0, 0); });
                for (var it = 0; it < 30; it++) {
                    var moved = false;
                    for (var i = 0; i < places.length; i++) {
                        for (var j = i + 1; j < places.length; j++) {
                            var d = pts[i].add(off[i]).subtract(pts[j].add(off[j]));
                            var dist = Math.sqrt(d.x * d.x + d.y * d.y);
                            var need = places[i].r + places[j].r + 3;
                            if (dist >= need) { continue; }
                            if (dist < 0.01) { d = L.point(0, -1); dist = 1; }
                            var push = d.multiplyBy((need - dist) / (2 * dist));
                            off[i] = off[i].add(push); off[j] = off[j].subtract(push);
                            moved = true;
                        }
                    }
                    if (!moved) { break; }
                }
                leaders.clearLayers();
                places.forEach(function (p, i) {
                    var o = off[i];
                    p.markers.forEach(function (m) {
                        if (!m._icon) { return; }
                        m._icon.style.marginLeft = (o.x - m.atlasBase[0]) + "px";
                        m._icon.style.marginTop = (o.y - m.atlasBase[1]) + "px";
                    });
                    if (Math.abs(o.x) + Math.abs(o.y) > 1) {
                        L.polyline([p.ll, map.layerPointToLatLng(pts[i].add(o))],
                            {color: "#333", weight: 1, interactive: false}).addTo(leaders);
                        L.circleMarker(p.ll, {radius: 2.5, weight: 0, fillColor: "#111",
                            fillOpacity: 1, interactive: false}).addTo(leaders);
                    }
                });
            }
            map.on("zoomend viewreset", declutter);
            map.whenReady(function () { setTimeout(declutter, 0); });
        })();
        {% endmacro %}
        """
    )

    def __init__(self, dots: list[Dot], hubs: list[Hub]) -> None:
        super().__init__()
        self._name = "IncidentLayer"
        self.dot, self.hub = DOT, HUB
        index: dict[tuple[float, float], int] = {}
        for lat, lng in [(h.lat, h.lng) for h in hubs] + [(d.lat, d.lng) for d in dots]:
            index.setdefault((lat, lng), len(index))
        by_place: dict[int, list[Dot]] = {}
        for d in dots:
            by_place.setdefault(index[(d.lat, d.lng)], []).append(d)
        hub_places = {index[(h.lat, h.lng)] for h in hubs}
        rows: list[list[Any]] = []
        for place, group in by_place.items():
            offsets = ring_offsets(len(group), centre=place not in hub_places)
            for d, (dx, dy) in zip(group, offsets, strict=True):
                rows.append([place, dx, dy, d.html, d.popup, d.tooltip])
        self.places = script_json([list(p) for p in index])
        self.dots = script_json(rows)
        self.hubs = script_json([[index[(h.lat, h.lng)], h.html, h.tooltip, h.count] for h in hubs])
        self.count = len(rows)
