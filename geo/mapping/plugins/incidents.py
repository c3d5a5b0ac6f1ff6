"""Incidents, site hubs, uncertainty circles and attack → response links, from one data array.

Each located incident is a small DivIcon dot at its *data* coordinates; several incidents at one
place are fanned out round the place by a pixel offset of the icon (``iconAnchor``), so they stay
apart and clickable at every zoom while the data keeps the site's point.  A hub at the centre,
sized by the site's attacks in range, shows their count; clicking any of them reports the site's
point.

On every zoom (and layer or playback change) the page lays the places out again, in linear time:
places that overlap on screen form clusters (greedy, heaviest first, on a grid).  A small cluster
is pushed apart, no marker ever more than :data:`MAX_SHIFT` px from its true point, with a leader
line where a site moved or a place moved more than :data:`LEADER_FROM` px.  A place with more
dots than a fan holds (:data:`FAN_MAX`), or a crowd that cannot be pushed apart that way, is
counted instead: its dots are hidden (kept in the page) and one counted marker stands for them,
at the heaviest place or beside its hub; a click zooms in, or at one place lists the events.
Hubs are never hidden (a click on one selects its site).

The layers register themselves in ``map.atlasOverlays`` (for the layer control) and the dots in
``map.atlasDots`` (for playback).  All text is escaped in Python (:func:`geo.markup.esc`) before
it reaches the page, and the data is embedded with :func:`script_json`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from jinja2 import Template

from geo import vocabulary
from geo.mapping import style
from geo.mapping.plugins._json import script_json
from geo.mapping.raw import Plugin
from geo.model import EVENT_TYPES

DOT = 12  # px
HUB_MIN = 20  # px, a site with one attack; grows with the square root of the count ...
HUB_KNEE = 50  # ... up to this many attacks, then with its logarithm ...
HUB_MAX = 72  # px ... up to this: a site of a million attacks must not cover the map

#: the on-screen declutter never moves a marker further than this from its true point (px)
MAX_SHIFT = 60
#: a place fans out at most this many dots (two rings, within 30 px); more are counted
FAN_MAX = 22
#: places closer than their markers' sizes (and than this, px) are one cluster ...
REACH = 48
#: ... pushed apart when it is this small (places, dots), counted otherwise
SPREAD_PLACES = 3
SPREAD_DOTS = 2 * FAN_MAX
#: more uncertainty circles than this start hidden (as in the snapshot, which merges them)
MAX_CIRCLES = 60
#: a place moved further than this (px) gets a leader line to its true point
LEADER_FROM = 16
#: a counted marker's diameter (px): grows with the logarithm of its count, bounded
COUNT_MIN, COUNT_MAX = 24, 44
#: a counted marker at one place lists at most this many of its events on click
LIST_MAX = 200

#: the grid, in degrees, that incidents away from known sites are counted on when the map
#: counts instead of drawing dots; each cell is shaded by its count
CELL_DEG = 0.5
#: light to dark: a cell's shade by the logarithm of its count against the largest in view
CELL_SHADES = ("#fee5d9", "#fcbba1", "#fc9272", "#fb6a4a", "#de2d26", "#a50f15")

#: geo_precision -> radius in metres of the uncertainty circle drawn round the point
UNCERTAINTY_M: dict[int, int] = {2: 25_000, 3: 50_000, 4: 100_000, 5: 150_000}

#: overlay names as the layer control shows them, and whether each starts visible
OVERLAYS: dict[str, tuple[str, bool]] = {
    **{e: (t.group, True) for e, t in vocabulary.EVENT_TYPE_TERMS.items()},
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


def kind_words() -> dict[str, str]:
    """Each event type as a counted marker's tooltip names it (``3 attacks``)."""
    return {e: vocabulary.label("event_type", e) for e in EVENT_TYPES}


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


class IncidentLayer(Plugin):
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
                return {ll: L.latLng(p[0], p[1]), markers: [], dots: [], hub: null};
            });
            var byId = {}, circles = {};
            map.atlasDots = [];
            map.atlasPlaces = places;  // the site names go beside each site's hub and dots
            function add(place, group, icon, base, radius, options, popup, tip) {
                var m = L.marker(place.ll, L.extend({icon: icon}, options)).bindTooltip(tip);
                if (popup) { m.bindPopup(popup, {maxWidth: 380}); }
                m.atlasBase = base;
                m.atlasRadius = radius;
                m.atlasLayer = group;
                m.atlasTip = tip;
                place.markers.push(m);
                m.addTo(group);
                return m;
            }
            {{ this.dots }}.forEach(function (d) {
                var base = [{{ this.dot // 2 }} - d[1], {{ this.dot // 2 }} - d[2]];
                var m = add(places[d[0]], groups[d[8]], L.divIcon({className: "atlas-incident",
                        html: d[3], iconSize: [{{ this.dot }}, {{ this.dot }}], iconAnchor: base}),
                    base, Math.sqrt(d[1] * d[1] + d[2] * d[2]) + {{ this.dot // 2 }},
                    {riseOnHover: true}, d[4], d[5]);
                m.atlasType = d[8];
                places[d[0]].dots.push(m);
                var dot = {marker: m, place: d[0], dx: d[1], dy: d[2], start: d[6], end: d[7],
                           id: d[10], respondsTo: d[11]};
                map.atlasDots.push(dot);
                byId[dot.id] = dot;
                // one circle per place and radius: a hundred vague events at one town draw one
                if (d[9] && !circles[d[0] + ":" + d[9]]) {
                    circles[d[0] + ":" + d[9]] = true;
                    // grey, dotted and shaded: unlike the selected site's solid red rings
                    L.circle(places[d[0]].ll, {radius: d[9], color: "{{ this.muted }}", weight: 1.2,
                        dashArray: "1 4", fillColor: "{{ this.muted }}", fillOpacity: 0.06,
                        interactive: false, className: "atlas-uncertainty"})
                        .addTo(groups.uncertainty);
                }
            });
            {{ this.hubs }}.forEach(function (h) {
                var base = [h[4] / 2, h[4] / 2];
                var place = places[h[0]];
                place.site = h[5];
                place.hub = add(place, groups.hubs, L.divIcon({className: "atlas-hub", html: h[1],
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
            // -- layout, recomputed on every zoom: close places are pushed apart a short way
            // (CFG.maxShift px at most, a leader line to the true point when a marker no
            // longer covers it), and where that cannot separate them (a place with more
            // dots than a fan holds, or many places within one marker's reach) the dots
            // are counted: one counted marker at the cluster's heaviest place, expanding
            // on click.  Hubs always stay (site selection); only dots are counted.
            var CFG = {{ this.cfg }};
            groups.leaders = L.layerGroup().addTo(map);
            groups.counted = L.layerGroup().addTo(map);
            map.atlasCounted = groups.counted;
            function live(m) { return map.hasLayer(m.atlasLayer) && !m.atlasHidden; }
            function near(pts, info, i, j) {
                // overlapping, or close enough that two counted markers would overlap
                var d = pts[i].distanceTo(pts[j]);
                return d < Math.max(info[i].r + info[j].r + CFG.gap, CFG.near);
            }
            function spread(cl, pts, info, off) {
                // pairwise pushes inside one small cluster, each place bounded by its limit
                var ms = cl.members;
                for (var it = 0; it < 40; it++) {
                    var moved = false;
                    for (var a = 0; a < ms.length; a++) {
                        for (var b = a + 1; b < ms.length; b++) {
                            var i = ms[a], j = ms[b];
                            var d = pts[i].add(off[i]).subtract(pts[j].add(off[j]));
                            var dist = Math.sqrt(d.x * d.x + d.y * d.y);
                            var need = info[i].r + info[j].r + CFG.gap;
                            if (dist >= need - 0.5) { continue; }
                            if (dist < 0.01) { d = L.point(0, -1); dist = 1; }
                            var push = d.multiplyBy((need - dist) / (2 * dist));
                            off[i] = clamp(off[i].add(push), info[i].limit);
                            off[j] = clamp(off[j].subtract(push), info[j].limit);
                            moved = true;
                        }
                    }
                    if (!moved) { return true; }
                }
                for (var a2 = 0; a2 < ms.length; a2++) {
                    for (var b2 = a2 + 1; b2 < ms.length; b2++) {
                        var p = ms[a2], q = ms[b2];
                        var gap = pts[p].add(off[p]).distanceTo(pts[q].add(off[q]));
                        if (gap < info[p].r + info[q].r - CFG.overlap) { return false; }
                    }
                }
                return true;
            }
            function clamp(o, limit) {
                var len = Math.sqrt(o.x * o.x + o.y * o.y);
                return len <= limit ? o : o.multiplyBy(limit / len);
            }
            function countedIcon(cl) {
                var n = cl.dots.length, size = Math.min(CFG.countMax,
                    CFG.countMin + Math.round(6 * Math.log(n) / Math.LN10));
                var text = n >= 10000 ? Math.round(n / 1000) + "k"
                    : n >= 1000 ? (n / 1000).toFixed(1) + "k" : String(n);
                return L.divIcon({className: "atlas-counted-icon", iconSize: [size, size],
                    html: '<div class="atlas-counted" data-count="' + n + '" data-places="'
                        + cl.members.length + '" style="line-height:' + (size - 4) + 'px">'
                        + text + "</div>"});
            }
            function countedTip(cl) {
                var kinds = {};
                cl.dots.forEach(function (m) { kinds[m.atlasType] = (kinds[m.atlasType] || 0) + 1; });
                var parts = Object.keys(CFG.kinds).filter(function (k) { return kinds[k]; })
                    .map(function (k) { return kinds[k] + " " + CFG.kinds[k][kinds[k] === 1 ? 0 : 1]; });
                var one = cl.members.length === 1;
                return cl.dots.length + " events " + (one ? "at one place" : "close together")
                    + " (" + parts.join(", ") + "): click to "
                    + (one || map.getZoom() >= map.getMaxZoom() ? "list them" : "zoom in");
            }
            function expand(cl, at) {
                var b = L.latLngBounds(cl.members.map(function (j) { return places[j].ll; }));
                var point = b.getNorthEast().equals(b.getSouthWest());
                if (!point && map.getZoom() < map.getMaxZoom()) {
                    map.fitBounds(b.pad(0.3), {maxZoom: map.getMaxZoom()});
                    return;
                }
                // one place (or the closest zoom): list the events; each opens its popup
                var box = L.DomUtil.create("div", "atlas-counted-list");
                var shown = cl.dots.slice(0, CFG.listMax);
                box.innerHTML = "<b>" + cl.dots.length + " events here</b><ol>" + shown.map(
                    function (m, k) { return '<li><a href="#" data-k="' + k + '">'
                        + m.atlasTip + "</a></li>"; }).join("") + "</ol>"
                    + (cl.dots.length > shown.length ? "<div>… and " + (cl.dots.length
                        - shown.length) + " more: narrow the dates or filters</div>" : "");
                L.DomEvent.on(box, "click", function (e) {
                    var k = e.target && e.target.getAttribute && e.target.getAttribute("data-k");
                    if (k === null || k === undefined) { return; }
                    L.DomEvent.preventDefault(e);
                    var m = shown[+k];
                    L.popup({maxWidth: 380}).setLatLng(at)
                        .setContent(m.getPopup() ? m.getPopup().getContent() : m.atlasTip)
                        .openOn(map);
                });
                L.popup({maxWidth: 380, maxHeight: 320}).setLatLng(at).setContent(box).openOn(map);
            }
            // the legend says how many imported other events the view holds (context)
            function countOthers() {
                var el = map.getContainer().querySelector(".atlas-other-count");
                if (!el) { return; }
                var view = map.getBounds(), all = 0, here = 0;
                map.atlasDots.forEach(function (d) {
                    if (d.marker.atlasType !== "other" || d.marker.atlasHidden) { return; }
                    all += 1;
                    if (view.contains(d.marker.getLatLng())) { here += 1; }
                });
                var on = map.hasLayer(groups.other);
                el.setAttribute("data-in-view", here);
                el.textContent = here + " of " + all + " other event" + (all === 1 ? "" : "s")
                    + " in view" + (on ? "" : " (layer off)");
            }
            map.on("moveend", countOthers);
            function declutter() {
                var pts = places.map(function (p) { return map.latLngToLayerPoint(p.ll); });
                var off = places.map(function () { return L.point(0, 0); });
                var info = places.map(function (p) {
                    var dots = p.dots.filter(live);
                    var hub = p.hub && map.hasLayer(p.hub.atlasLayer) ? p.hub : null;
                    var r = hub ? hub.atlasRadius : 0, fan = 0;
                    dots.forEach(function (m) {
                        r = Math.max(r, m.atlasRadius);
                        fan = Math.max(fan, m.atlasRadius - {{ this.dot // 2 }});
                    });
                    return {dots: dots, hub: hub, r: r, limit: Math.max(0, CFG.maxShift - fan),
                            dense: p.dots.length > CFG.fanMax, on: dots.length > 0 || !!hub};
                });
                // greedy clusters in screen space (a grid of CFG.reach px: linear time), hubs
                // first, then the places with most dots
                var grid = {}, order = [];
                var cellOf = function (pt) {
                    return [Math.floor(pt.x / CFG.reach), Math.floor(pt.y / CFG.reach)];
                };
                places.forEach(function (p, i) {
                    if (!info[i].on) { return; }
                    order.push(i);
                    var c = cellOf(pts[i]), key = c[0] + "," + c[1];
                    (grid[key] = grid[key] || []).push(i);
                });
                order.sort(function (a, b) {
                    return (info[b].hub ? 1 : 0) - (info[a].hub ? 1 : 0)
                        || info[b].dots.length - info[a].dots.length || a - b;
                });
                var owner = places.map(function () { return -1; });
                var clusters = [];
                order.forEach(function (i) {
                    if (owner[i] >= 0) { return; }
                    var cl = {seed: i, members: [i], dots: info[i].dots.slice()};
                    owner[i] = clusters.length;
                    var c = cellOf(pts[i]);
                    for (var gx = c[0] - 1; gx <= c[0] + 1; gx++) {
                        for (var gy = c[1] - 1; gy <= c[1] + 1; gy++) {
                            (grid[gx + "," + gy] || []).forEach(function (j) {
                                if (owner[j] >= 0 || !near(pts, info, i, j)) { return; }
                                owner[j] = clusters.length;
                                cl.members.push(j);
                                Array.prototype.push.apply(cl.dots, info[j].dots);
                            });
                        }
                    }
                    clusters.push(cl);
                });
                var counted = places.map(function () { return false; });
                var badges = places.map(function () { return null; });
                groups.counted.clearLayers();
                // (a loop that may grow: places a count lets go are laid out on their own)
                for (var c = 0; c < clusters.length; c++) { layOut(clusters[c]); }
                function layOut(cl) {
                    var dense = cl.members.some(function (j) { return info[j].dense; });
                    cl.outcome = "drawn";
                    if (!dense && cl.members.length === 1) { return; }
                    // drawn when it can be spread: any number of places that need no push, a
                    // few pushed a little, or a few sites pushed apart with leader lines (the
                    // curated data's close bases); counted otherwise
                    var few = cl.members.length <= CFG.spreadPlaces && cl.dots.length <= CFG.spreadDots;
                    if (!dense && cl.members.length <= CFG.spreadMax && spread(cl, pts, info, off)) {
                        var most = 0, sites = true;
                        cl.members.forEach(function (j) {
                            most = Math.max(most, Math.sqrt(off[j].x * off[j].x + off[j].y * off[j].y));
                            sites = sites && !!info[j].hub;
                        });
                        if (most < 1 || (few && (sites || most <= CFG.leaderFrom))) { return; }
                    }
                    cl.outcome = "counted";
                    cl.members.forEach(function (j) { off[j] = L.point(0, 0); });
                    // a count stands only for places within CFG.reach px of it: the others
                    // are drawn where they are
                    cl.members = cl.members.filter(function (j) {
                        if (j === cl.seed || pts[j].distanceTo(pts[cl.seed]) <= CFG.reach) {
                            return true;
                        }
                        clusters.push({seed: j, members: [j], dots: info[j].dots.slice()});
                        return false;
                    });
                    cl.dots = [];
                    cl.members.forEach(function (j) {
                        counted[j] = true;
                        Array.prototype.push.apply(cl.dots, info[j].dots);
                    });
                    if (!cl.dots.length) { return; }
                    // the count sits on the seed's true point, or beside its hub (up right,
                    // the hub still in sight: a click on it selects the site)
                    var icon = countedIcon(cl), hub = info[cl.seed].hub;
                    var h = hub ? (hub.atlasRadius + icon.options.iconSize[0] * 0.5 + 1) * Math.SQRT1_2 : 0;
                    var at = map.layerPointToLatLng(pts[cl.seed].add(L.point(h, -h)));
                    var badge = L.marker(at, {icon: icon, zIndexOffset: 2000, riseOnHover: true})
                        .bindTooltip(countedTip(cl))
                        .on("click", function () { expand(cl, at); })
                        .addTo(groups.counted);
                    badge.atlasSeed = places[cl.seed].ll;
                    cl.members.forEach(function (j) { badges[j] = badge; });
                }
                groups.leaders.clearLayers();
                places.forEach(function (p, i) {
                    var o = off[i];
                    p.markers.forEach(function (m) {
                        m.atlasCounted = counted[i] && m !== p.hub;
                        if (!m._icon) { return; }
                        m._icon.style.marginLeft = (o.x - m.atlasBase[0]) + "px";
                        m._icon.style.marginTop = (o.y - m.atlasBase[1]) + "px";
                        if (m.atlasCounted) { L.DomUtil.addClass(m._icon, "atlas-counted-away"); }
                        else { L.DomUtil.removeClass(m._icon, "atlas-counted-away"); }
                    });
                    // a leader line where a place was moved more than a few px
                    var from = info[i].hub ? CFG.leaderFrom / 2 : CFG.leaderFrom;  // sites: sooner
                    if (info[i].on && Math.sqrt(o.x * o.x + o.y * o.y) > from) {
                        L.polyline([p.ll, map.layerPointToLatLng(pts[i].add(o))],
                            {color: "#333", weight: 1, interactive: false,
                             className: "atlas-leader"}).addTo(groups.leaders);
                        L.circleMarker(p.ll, {radius: 2.5, weight: 0, fillColor: "#111",
                            fillOpacity: 1, interactive: false}).addTo(groups.leaders);
                    }
                });
                groups.links.clearLayers();
                map.atlasDots.forEach(function (dot) {
                    var target = dot.respondsTo && byId[dot.respondsTo];
                    if (!target) { return; }
                    var shown = function (x) {
                        if (badges[x.place]) { return badges[x.place].getLatLng(); }
                        return map.layerPointToLatLng(
                            pts[x.place].add(off[x.place]).add(L.point(x.dx, x.dy)));
                    };
                    L.polyline([shown(target), shown(dot)], {color: "#08306b", weight: 2,
                        dashArray: "4 3", interactive: false}).addTo(groups.links);
                });
                map.atlasClusters = clusters;  // for tests: who was drawn, who counted
                countOthers();
                map.atlasLayouts = (map.atlasLayouts || 0) + 1;  // for tests and benchmarks
                map.fire("atlaslayout");  // laid out: the site names follow (plugins/labels.py)
            }
            map.atlasDeclutter = declutter;
            map.on("zoomend viewreset overlayadd overlayremove atlasplayback", declutter);
            map.whenReady(function () { setTimeout(declutter, 0); });
        })();
        {% endmacro %}
        """
    )

    def __init__(self, dots: list[Dot], hubs: list[Hub]) -> None:
        super().__init__()
        self._name = "IncidentLayer"
        self.dot = DOT
        self.muted = style.MUTED
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
        # uncertainty circles, one per place and radius, start hidden where they would bury
        # the markers (a vague import: hundreds of them); the layer control has them
        circles = {(r[0], r[9]) for r in rows if r[9]}
        shown = {"uncertainty": len(circles) <= MAX_CIRCLES}
        self.overlay_names = script_json(
            {k: [name, on and shown.get(k, True), k in present]
             for k, (name, on) in OVERLAYS.items()}
        )  # fmt: skip
        self.places = script_json([list(p) for p in index])
        self.dots = script_json(rows)
        self.hubs = script_json(
            [
                [index[(h.lat, h.lng)], h.html, h.tooltip, h.count, hub_size(h.count), h.name]
                for h in hubs
            ]
        )
        self.count = len(rows)
        self.cfg = script_json(
            {
                "maxShift": MAX_SHIFT,
                "fanMax": FAN_MAX,
                "reach": REACH,
                "gap": 3,
                "leaderFrom": LEADER_FROM,
                "overlap": 4,
                "spreadPlaces": SPREAD_PLACES,
                "spreadDots": SPREAD_DOTS,
                "spreadMax": 40,
                "near": COUNT_MAX - 4,
                "countMin": COUNT_MIN,
                "countMax": COUNT_MAX,
                "listMax": LIST_MAX,
                "kinds": {e: [w, w + "s"] for e, w in kind_words().items()},
            }
        )
