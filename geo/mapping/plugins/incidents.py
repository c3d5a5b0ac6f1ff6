"""Incidents, site hubs, uncertainty circles and attack → response links, from one data array.

Each located incident is a small DivIcon dot at its *data* coordinates; several incidents at one
place are fanned out round the place by a pixel offset of the icon (``iconAnchor``), so they stay
apart and clickable at every zoom while the data keeps the site's point.  A hub at the centre,
sized by the site's attacks in range, shows their count; clicking any of them reports the site's
point.  Places too close on screen are pushed apart with a leader line to their true point
(display only), recomputed on every zoom.

The layers register themselves in ``map.atlasOverlays`` (for the layer control) and the dots in
``map.atlasDots`` (for playback).  All text is escaped in Python (``popups.esc``) before it
reaches the page, and the data is embedded with :func:`script_json`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from branca.element import MacroElement
from jinja2 import Template

from geo.mapping.plugins._json import script_json

DOT = 12  # px
HUB_MIN = 20  # px, a site with one attack; grows with the square root of the count ...
HUB_KNEE = 50  # ... up to this many attacks, then with its logarithm ...
HUB_MAX = 72  # px ... up to this: a site of a million attacks must not cover the map

#: the grid, in degrees, that incidents away from known sites are counted on when the map
#: counts instead of drawing dots; each cell is shaded by its count
CELL_DEG = 0.5
#: light to dark: a cell's shade by the logarithm of its count against the largest in view
CELL_SHADES = ("#fee5d9", "#fcbba1", "#fc9272", "#fb6a4a", "#de2d26", "#a50f15")

#: geo_precision -> radius in metres of the uncertainty circle drawn round the point
UNCERTAINTY_M: dict[int, int] = {2: 25_000, 3: 50_000, 4: 100_000, 5: 150_000}

#: overlay names as the layer control shows them, and whether each starts visible
OVERLAYS: dict[str, tuple[str, bool]] = {
    "attack": ("Attacks on US/coalition forces", True),
    "us_strike": ("US strikes", True),
    "other": ("Other events (imported)", True),
    "hubs": ("Sites: attacks in range", True),
    "cells": (f"Incidents away from known sites, per {CELL_DEG}° cell", True),
    "uncertainty": ("Location uncertainty", True),
    "links": ("Attack → response links", True),
}


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


def hub_size(count: int) -> int:
    """A hub's diameter in px: counts a reader can compare where they are small (square root),
    still growing but bounded where they are large (logarithm, :data:`HUB_MAX`)."""
    count = max(count, 1)
    if count <= HUB_KNEE:
        return HUB_MIN + round(4 * math.sqrt(count - 1))
    knee = HUB_MIN + round(4 * math.sqrt(HUB_KNEE - 1))
    return min(HUB_MAX, knee + round(2 * math.log2(count / HUB_KNEE)))


def cell_shade(count: int, largest: int) -> str:
    """The fill of a grid cell holding ``count`` incidents when the fullest holds ``largest``."""
    if largest <= 1:
        return CELL_SHADES[0]
    share = math.log(max(count, 1)) / math.log(largest)
    return CELL_SHADES[min(len(CELL_SHADES) - 1, int(share * len(CELL_SHADES)))]


def short_count(n: int) -> str:
    """A count as a hub shows it: 987, 1.2k, 12k, 1.2M (the tooltip has the exact figure)."""
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f}M"
    if n >= 10_000:
        return f"{n / 1000:.0f}k"
    if n >= 1000:
        return f"{n / 1000:.1f}k"
    return str(n)


@dataclass(frozen=True)
class Dot:
    id: str
    lat: float
    lng: float
    html: str  # escaped
    popup: str  # escaped
    tooltip: str  # escaped
    day_start: int  # days since 1970-01-01
    day_end: int
    event_type: str
    geo_precision: int
    responds_to: str | None = None


@dataclass(frozen=True)
class Hub:
    site_id: str
    lat: float
    lng: float
    count: int
    html: str  # escaped
    tooltip: str  # escaped
    name: str = ""


class IncidentLayer(MacroElement):
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var names = {{ this.overlay_names }};
            var groups = {};
            map.atlasOverlays = map.atlasOverlays || {};
            Object.keys(names).forEach(function (k) {
                groups[k] = L.featureGroup();
                if (names[k][1]) { groups[k].addTo(map); }
                if (names[k][2]) { map.atlasOverlays[names[k][0]] = groups[k]; }
            });
            var places = {{ this.places }}.map(function (p) {
                return {ll: L.latLng(p[0], p[1]), markers: [], r: 0};
            });
            var byId = {};
            map.atlasDots = [];
            function add(place, group, icon, base, radius, options, popup, tip) {
                var m = L.marker(place.ll, L.extend({icon: icon}, options)).bindTooltip(tip);
                if (popup) { m.bindPopup(popup, {maxWidth: 380}); }
                m.atlasBase = base;
                place.markers.push(m);
                place.r = Math.max(place.r, radius);
                m.addTo(group);
                return m;
            }
            {{ this.dots }}.forEach(function (d) {
                var base = [{{ this.dot // 2 }} - d[1], {{ this.dot // 2 }} - d[2]];
                var m = add(places[d[0]], groups[d[8]], L.divIcon({className: "atlas-incident",
                        html: d[3], iconSize: [{{ this.dot }}, {{ this.dot }}], iconAnchor: base}),
                    base, Math.sqrt(d[1] * d[1] + d[2] * d[2]) + {{ this.dot // 2 }},
                    {riseOnHover: true}, d[4], d[5]);
                var dot = {marker: m, place: d[0], dx: d[1], dy: d[2], start: d[6], end: d[7],
                           id: d[10], respondsTo: d[11]};
                map.atlasDots.push(dot);
                byId[dot.id] = dot;
                if (d[9]) {
                    // grey, dotted and shaded: unlike the selected site's solid red rings
                    L.circle(places[d[0]].ll, {radius: d[9], color: "#555", weight: 1.2,
                        dashArray: "1 4", fillColor: "#555", fillOpacity: 0.06,
                        interactive: false, className: "atlas-uncertainty"})
                        .addTo(groups.uncertainty);
                }
            });
            {{ this.hubs }}.forEach(function (h) {
                var base = [h[4] / 2, h[4] / 2];
                var place = places[h[0]];
                place.site = h[5];
                add(place, groups.hubs, L.divIcon({className: "atlas-hub", html: h[1],
                        iconSize: [h[4], h[4]], iconAnchor: base}),
                    base, h[3] ? h[4] / 2 : 5, {zIndexOffset: 1000}, null, h[2]);
            });
            // grid cells: shaded squares at their true place, never pushed aside
            {{ this.cells }}.forEach(function (c) {
                L.rectangle([[c[0] - {{ this.half }}, c[1] - {{ this.half }}],
                             [c[0] + {{ this.half }}, c[1] + {{ this.half }}]],
                    {color: "#a50f15", weight: 0.5, opacity: 0.5, fillColor: c[2],
                     fillOpacity: 0.6}).bindTooltip(c[3]).addTo(groups.cells);
            });
            // a click on a site's hub or dots draws the range rings at once
            places.forEach(function (p) {
                if (!p.site) { return; }
                p.markers.forEach(function (m) {
                    m.on("click", function () { if (map.atlasRings) { map.atlasRings(p.ll, p.site); } });
                });
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
                groups.leaders = groups.leaders || L.layerGroup().addTo(map);
                groups.leaders.clearLayers();
                places.forEach(function (p, i) {
                    var o = off[i];
                    p.markers.forEach(function (m) {
                        if (!m._icon) { return; }
                        m._icon.style.marginLeft = (o.x - m.atlasBase[0]) + "px";
                        m._icon.style.marginTop = (o.y - m.atlasBase[1]) + "px";
                    });
                    if (Math.abs(o.x) + Math.abs(o.y) > 1) {
                        L.polyline([p.ll, map.layerPointToLatLng(pts[i].add(o))],
                            {color: "#333", weight: 1, interactive: false}).addTo(groups.leaders);
                        L.circleMarker(p.ll, {radius: 2.5, weight: 0, fillColor: "#111",
                            fillOpacity: 1, interactive: false}).addTo(groups.leaders);
                    }
                });
                groups.links.clearLayers();
                map.atlasDots.forEach(function (dot) {
                    var target = dot.respondsTo && byId[dot.respondsTo];
                    if (!target) { return; }
                    var shown = function (x) {
                        return map.layerPointToLatLng(
                            pts[x.place].add(off[x.place]).add(L.point(x.dx, x.dy)));
                    };
                    L.polyline([shown(target), shown(dot)], {color: "#08306b", weight: 2,
                        dashArray: "4 3", interactive: false}).addTo(groups.links);
                });
            }
            map.atlasDeclutter = declutter;
            map.on("zoomend viewreset overlayadd", declutter);
            map.whenReady(function () { setTimeout(declutter, 0); });
        })();
        {% endmacro %}
        """
    )

    def __init__(self, dots: list[Dot], hubs: list[Hub]) -> None:
        super().__init__()
        self._name = "IncidentLayer"
        self.dot = DOT
        cells = [h for h in hubs if not h.site_id]
        hubs = [h for h in hubs if h.site_id]
        largest = max((c.count for c in cells), default=0)
        self.half = CELL_DEG / 2
        self.cells = script_json(
            [[c.lat, c.lng, cell_shade(c.count, largest), c.tooltip] for c in cells]
        )
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
                rows.append(
                    [place, dx, dy, d.html, d.popup, d.tooltip, d.day_start, d.day_end,
                     d.event_type, UNCERTAINTY_M.get(d.geo_precision, 0), d.id, d.responds_to]
                )  # fmt: skip
        present = {d.event_type for d in dots} | {"hubs"} | ({"cells"} if cells else set())
        if any(UNCERTAINTY_M.get(d.geo_precision) for d in dots):
            present.add("uncertainty")
        if any(d.responds_to for d in dots):
            present.add("links")
        self.overlay_names = script_json(
            {k: [name, on, k in present] for k, (name, on) in OVERLAYS.items()}
        )
        self.places = script_json([list(p) for p in index])
        self.dots = script_json(rows)
        self.hubs = script_json(
            [
                [index[(h.lat, h.lng)], h.html, h.tooltip, h.count, hub_size(h.count), h.name]
                for h in hubs
            ]
        )
        self.count = len(rows)
