"""Where the pins go: located incidents grouped by point (a place on a gazetteer site takes the
site's name), places too close to read apart merged or pushed apart, and each place's pins
fanned round it clockwise from 12 o'clock, oldest first (more than :data:`FAN_MAX`: one pin
per kind with a count).  Everything here is arithmetic in map metres and points; nothing is
drawn."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from geo.errors import NotFoundError
from geo.export.snapshot.projection import to_map
from geo.export.snapshot.symbols import PIN_PT
from geo.export.snapshot.theme import short
from geo.export.view import View
from geo.mapping.plugins.incidents import UNCERTAINTY_M

#: a place with more incidents than this shows one pin per kind with a count
FAN_MAX = 24
#: more drawn places than this are not pushed apart (dense maps rely on merging alone)
MAX_RELAX = 400
#: places closer on the page than this many pins are merged into one
MERGE_PINS = 2.4
#: the least gap between two places' drawings, and how far one may be pushed from its true
#: point, in points (× the page's scale)
GAP_PT = 14
MAX_SHIFT_PT = 36
#: a site's hub: its diameter in points (× scale) with one attack, growing with the square root
#: of the count
HUB_PT = 14
HUB_GROWTH = 3


@dataclass
class Pin:
    x: float  # map metres, drawn centre
    y: float
    weapons: tuple[str, ...]
    event_type: str
    outcome: str
    ids: list[str]
    count: int = 1


@dataclass
class Place:
    x: float  # true point, map metres
    y: float
    lon: float
    lat: float
    rows: list[dict[str, Any]]
    site_id: str | None = None
    name: str | None = None
    attacks: int = 0
    hub_pt: float = 0.0  # hub diameter in points (0: no hub)
    radius_pt: float = 0.0  # everything drawn round the place
    offsets: list[tuple[float, float]] = field(default_factory=list)  # pt, per pin
    pins: list[Pin] = field(default_factory=list)
    x_pt: float = 0.0  # true point in points from the map's bottom left
    y_pt: float = 0.0
    dx_pt: float = 0.0  # display shift from the true point (pushed apart)
    dy_pt: float = 0.0
    last: Any = None
    members: list[tuple[float, float]] = field(default_factory=list)  # true points, metres
    merged: int = 0  # other places merged into this one

    def drawn_at(self, m_per_pt: float) -> tuple[float, float]:
        """The centre of the place's drawing in map metres (its true point, pushed apart)."""
        return self.x + self.dx_pt * m_per_pt, self.y + self.dy_pt * m_per_pt


def site_of(view: View, site_id: str | None) -> Any:
    """The gazetteer's site, or None for no id or an id it does not know (an imported row may
    name a site a later gazetteer dropped).  Any other error is a bug and is raised."""
    if not site_id:
        return None
    try:
        return view.gazetteer.get(site_id)
    except NotFoundError:
        return None


def uncertainty_m(row: dict[str, Any]) -> int:
    """Radius of the circle drawn round a point placed to ``geo_precision`` (web map's table)."""
    return UNCERTAINTY_M.get(int(row["geo_precision"]), max(UNCERTAINTY_M.values()))


def lay_out(
    view: View, origin: tuple[float, float], m_per_pt: float, s: float
) -> tuple[list[Place], bool]:
    """The places to draw with their pins fanned out and pushed apart, and whether any pin
    stands for several incidents.  ``origin``: the map's bottom left in metres."""
    pin_pt = PIN_PT * s
    places = _cluster(_places(view), m_per_pt, merge_pt=MERGE_PINS * pin_pt)
    grouped = False
    for place in places:
        grouped |= _fan_out(place, pin_pt, s)
        place.x_pt = (place.x - origin[0]) / m_per_pt
        place.y_pt = (place.y - origin[1]) / m_per_pt
    _relax(places, gap_pt=GAP_PT * s, max_shift_pt=MAX_SHIFT_PT * s)
    return places, grouped


def _fan_out(place: Place, pin_pt: float, s: float) -> bool:
    """Give ``place`` its hub, its pins and their offsets; True if its pins are grouped."""
    if place.site_id is not None:
        place.hub_pt = (HUB_PT + HUB_GROWTH * math.sqrt(max(place.attacks, 1) - 1)) * s
    grouped = len(place.rows) > FAN_MAX
    members = (
        _kinds(place.rows)
        if grouped
        else [
            ((r["event_type"], r["outcome"], tuple(r["weapons"])), [r["id"]])
            for r in sorted(place.rows, key=lambda r: (r["date_start"], r["id"]))
        ]
    )
    place.offsets = _fan(len(members), place.hub_pt / 2, pin_pt, centre_free=not place.hub_pt)
    place.pins = [
        Pin(0, 0, weapons, event, outcome, list(ids), len(ids) if grouped else 1)
        for (event, outcome, weapons), ids in members
    ]
    reach = max((math.hypot(*o) for o in place.offsets), default=0.0) + pin_pt / 2
    place.radius_pt = max(reach, place.hub_pt / 2)
    return grouped


def _at(site: Any, lon: float, lat: float) -> bool:
    return site.located and abs(site.longitude - lon) < 1e-5 and abs(site.latitude - lat) < 1e-5


def _places(view: View) -> list[Place]:
    """Located incidents grouped by point; a place on a gazetteer site takes the site's name."""
    sites = {s.id: s for s in view.gazetteer}
    by_point: dict[tuple[float, float], Place] = {}
    for row in view.located():
        key = (round(row["longitude"], 5), round(row["latitude"], 5))
        place = by_point.get(key)
        if place is None:
            x, y = to_map(row["longitude"], row["latitude"])
            place = by_point[key] = Place(x, y, row["longitude"], row["latitude"], [])
        place.rows.append(row)
    for place in by_point.values():
        named = Counter(r["site_id"] for r in place.rows if r["site_id"] in sites).most_common()
        candidates = [sites[site_id] for site_id, _n in named] + list(sites.values())
        site = next((c for c in candidates if _at(c, place.lon, place.lat)), None)
        if site is not None:
            place.site_id, place.name = site.id, site.name
        else:
            place.name = short(place.rows[0]["location"], 32)
        place.attacks = sum(r["event_type"] == "attack" for r in place.rows)
        place.last = max(r["date_end"] for r in place.rows)
    return sorted(by_point.values(), key=lambda p: (-len(p.rows), p.name or "", p.x))


def _kinds(rows: list[dict[str, Any]]) -> list[tuple[tuple[str, str, tuple[str, ...]], list[str]]]:
    """A busy place's incidents grouped by event type and (first) weapon, largest group first;
    a group's outcome is its members' when they agree, else drawn as "not reported"."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        groups[(r["event_type"], (r["weapons"] or ("unknown",))[0])].append(r)
    out = []
    for (event, weapon), members in groups.items():
        outcomes = {r["outcome"] for r in members}
        outcome = outcomes.pop() if len(outcomes) == 1 else "unknown"
        out.append(((event, outcome, (weapon,)), [r["id"] for r in members]))
    return sorted(out, key=lambda kv: (-len(kv[1]), kv[0]))


def _fan(n: int, inner_pt: float, pin_pt: float, centre_free: bool) -> list[tuple[float, float]]:
    """Offsets in points for n pins round a place: clockwise from 12 o'clock, ring by ring."""
    if n == 1 and centre_free:
        return [(0.0, 0.0)]
    out: list[tuple[float, float]] = []
    radius = inner_pt + pin_pt * 0.62
    ring = 0
    while len(out) < n:
        capacity = max(6, int(2 * math.pi * radius / (pin_pt * 1.22)))
        take = min(capacity, n - len(out))
        for k in range(take):
            angle = math.pi / 2 - 2 * math.pi * k / take - ring * 0.25
            out.append((radius * math.cos(angle), radius * math.sin(angle)))
        radius += pin_pt * 1.2
        ring += 1
    return out


def _cluster(places: list[Place], m_per_pt: float, merge_pt: float) -> list[Place]:
    """Merge places closer on the page than ``merge_pt`` into one drawn place (a site keeps
    its own: two sites are never merged, they are pushed apart instead).  Each merged place
    remembers its members' true points."""
    order = sorted(places, key=lambda p: (p.site_id is None, -len(p.rows), p.name or "", p.x))
    out: list[Place] = []
    for p in order:
        p.members = [(p.x, p.y)]
        best, best_d = None, merge_pt
        for c in out:
            if c.site_id is not None and p.site_id is not None:
                continue
            d = math.hypot(c.x - p.x, c.y - p.y) / m_per_pt
            if d < best_d:
                best, best_d = c, d
        if best is None:
            out.append(p)
            continue
        best.rows += p.rows
        best.members.append((p.x, p.y))
        best.attacks += p.attacks
        best.last = max(best.last, p.last)
        best.merged += 1
    for c in out:
        if c.site_id is None and c.merged:
            c.name = short(f"{c.name} and {c.merged} place{'s' if c.merged > 1 else ''} near", 40)
    return out


def _relax(places: list[Place], gap_pt: float, max_shift_pt: float) -> None:
    """Push apart places whose drawings would overlap (display only; deterministic).  No place
    moves more than ``max_shift_pt`` from its true point: where the map is too crowded for
    that, drawings may touch rather than wander off."""
    n = len(places)
    if n < 2 or n > MAX_RELAX:
        return
    home = np.array([[p.x_pt, p.y_pt] for p in places])
    pos = home.copy()
    radius = np.array([p.radius_pt for p in places])
    need = radius[:, None] + radius[None, :] + gap_pt
    np.fill_diagonal(need, 0.0)
    index = np.arange(n)
    fallback = np.stack(
        [np.cos(-math.pi / 4 + index * 0.7), np.sin(-math.pi / 4 + index * 0.7)], axis=1
    )
    for _ in range(300):
        diff = pos[None, :, :] - pos[:, None, :]  # i -> j
        dist = np.hypot(diff[..., 0], diff[..., 1])
        overlap = np.clip(need - dist, 0.0, None)
        np.fill_diagonal(overlap, 0.0)
        if overlap.max() < 0.05:
            break
        same = dist < 1e-6
        unit = np.where(
            same[..., None], fallback[None, :, :], diff / np.maximum(dist, 1e-6)[..., None]
        )
        push = (overlap / 2 + 0.01 * (overlap > 0))[..., None] * unit
        pos += -push.sum(axis=1) * 0.5 + push.sum(axis=0) * 0.5
        shift = pos - home
        length = np.hypot(shift[:, 0], shift[:, 1])
        too_far = length > max_shift_pt
        pos[too_far] = home[too_far] + shift[too_far] / length[too_far, None] * max_shift_pt
    for p, (x, y) in zip(places, pos, strict=True):
        p.dx_pt, p.dy_pt = float(x - p.x_pt), float(y - p.y_pt)
