"""Names on the map: each site's name and what happened there, placed where it overlaps
nothing (else where it overlaps least); known sites with nothing in range, only where their
name fits; country names in spaced capitals, moved off symbols, labels and furniture."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from matplotlib.axes import Axes
from matplotlib.patheffects import withStroke
from matplotlib.transforms import Bbox, offset_copy
from shapely.geometry import box
from shapely.ops import nearest_points, unary_union

from geo import vocabulary
from geo.export.snapshot.layout import Extent
from geo.export.snapshot.places import Place
from geo.export.snapshot.projection import FOCUS, countries_merged, to_map
from geo.export.snapshot.theme import (
    COUNTRY_FOCUS,
    COUNTRY_OTHER,
    INK,
    MUTED,
    NEUTRAL,
    PAPER,
    SELECTED,
    text,
)
from geo.export.view import View, long_date

#: more places than this: only sites are named (the rest are too many to read)
MAX_NAMED = 15
#: sizes in points (× the page's scale)
SITE_PT = 8.5
CONTEXT_PT = 7
CONTEXT_MARK_PT = 6  # a context site's hollow circle
CONTEXT_EDGE = 1.0
CONTEXT_RADIUS = 3  # what its label keeps clear of
CONTEXT_CLEAR = 6  # a context site this near a drawn place is left out
CONTEXT_INSET = 12  # nor is one this near the map's edge
LABEL_GAP = 3  # between a place's drawing and its name
HALO = 2.6
COUNTRY_FOCUS_PT = 11
COUNTRY_PT = 8.5
#: a country visible over less than this share of the map is not named
COUNTRY_MIN_SHARE = 0.012
#: where a label may go round its point, in order of preference: (ha, va, dx, dy), the offsets
#: in units of the gap round the place's drawing
SPOTS = (
    ("left", "center", 1, 0),
    ("right", "center", -1, 0),
    ("center", "bottom", 0, 1),
    ("center", "top", 0, -1),
    ("left", "bottom", 0.72, 0.72),
    ("left", "top", 0.72, -0.72),
    ("right", "bottom", -0.72, 0.72),
    ("right", "top", -0.72, -0.72),
)

#: (site, x, y, its marker) of a known site with nothing in range
ContextSite = tuple[Any, float, float, Any]


@dataclass
class _Label:
    text: str
    x: float  # map metres, the point it names
    y: float
    radius_pt: float  # what is drawn round the point
    selected: bool = False
    marker: Any = None  # a context site's marker (removed with its label when it cannot fit)


def draw_context_sites(
    ax: Axes, view: View, places: list[Place], extent: Extent, m_per_pt: float, s: float
) -> list[ContextSite]:
    """Known sites with nothing in range: a small hollow circle (kept only if its label fits,
    see :func:`site_labels`).  Returns (site, x, y, marker) for each."""
    x0, x1, y0, y1 = extent
    drawn = {p.site_id for p in places if p.site_id}
    out: list[ContextSite] = []
    for site in view.gazetteer:
        if site.id in drawn or not site.located:
            continue
        x, y = to_map(site.longitude, site.latitude)
        edge = CONTEXT_INSET * s * m_per_pt
        if not (x0 + edge < x < x1 - edge and y0 + edge < y < y1 - edge):
            continue
        near = [
            p
            for p in places
            if math.hypot(p.x - x, p.y - y) / m_per_pt < p.radius_pt + CONTEXT_CLEAR * s
        ]
        if near:
            continue
        marker = ax.scatter(
            [x],
            [y],
            s=(CONTEXT_MARK_PT * s) ** 2,
            facecolors=PAPER,
            edgecolors=NEUTRAL,
            linewidths=CONTEXT_EDGE * s,
            zorder=4,
        )
        out.append((site, x, y, marker))
    return out


def obstacles(ax: Axes, places: list[Place], m_per_pt: float) -> list[Any]:
    """Display-space boxes labels must avoid: every place's drawing."""
    out = []
    pt = ax.figure.dpi / 72
    for p in places:
        cx, cy = ax.transData.transform(p.drawn_at(m_per_pt))
        r = p.radius_pt * pt
        out.append(Bbox([[cx - r, cy - r], [cx + r, cy + r]]))
        tx, ty = ax.transData.transform((p.x, p.y))
        out.append(Bbox([[tx - 2 * pt, ty - 2 * pt], [tx + 2 * pt, ty + 2 * pt]]))
    return out


def site_labels(
    ax: Axes,
    places: list[Place],
    context_sites: list[ContextSite],
    m_per_pt: float,
    s: float,
    selected: set[str],
    obstacles: list[Any],
) -> list[Any]:
    """Place each label where it overlaps nothing (else where it overlaps least); a context
    site's label only where it fits, else the site is not drawn at all.  Returns every box
    now taken."""
    halo = [withStroke(linewidth=HALO * s, foreground=PAPER)]
    pt = ax.figure.dpi / 72
    placed = list(obstacles)
    for label in _labels(places, context_sites, m_per_pt, s, selected):
        context = label.marker is not None
        t = text(
            ax,
            label.x,
            label.y,
            label.text,
            fontsize=(CONTEXT_PT if context else SITE_PT) * s,
            fontweight="normal" if context else "bold",
            color=SELECTED if label.selected else (MUTED if context else INK),
            linespacing=1.15,
            zorder=10,
            path_effects=halo,
        )
        gap = (label.radius_pt + LABEL_GAP * s) * pt
        overlap, bb = _best_spot(ax, t, gap, placed)
        if context and overlap > 0:
            t.remove()
            label.marker.remove()
            continue
        placed.append(bb)
    return placed


def _labels(
    places: list[Place],
    context_sites: list[ContextSite],
    m_per_pt: float,
    s: float,
    selected: set[str],
) -> list[_Label]:
    """What each place's label says (a name, then its incidents counted in their own units and
    the last day), then the context sites' names."""
    out: list[_Label] = []
    many = len(places) > MAX_NAMED
    for p in places:
        if p.site_id is None and many:
            continue
        # the same unit as the app's hubs: attacks, then any other kinds, each named
        kinds = vocabulary.event_counts((r["event_type"] for r in p.rows), sep=" + ")
        cx, cy = p.drawn_at(m_per_pt)
        words = f"{p.name or ''}\n{kinds} · last {long_date(p.last)}"
        out.append(_Label(words, cx, cy, p.radius_pt, p.site_id in selected))
    for site, x, y, marker in context_sites:
        out.append(_Label(site.name, x, y, CONTEXT_RADIUS * s, marker=marker))
    return out


def _best_spot(ax: Axes, t: Any, gap: float, placed: list[Any]) -> tuple[float, Any]:
    """Move ``t`` to the first of :data:`SPOTS` where it overlaps nothing in ``placed`` and
    stays inside the map, else to the one where it overlaps least; (overlap, its box)."""
    renderer = ax.figure.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    pt = ax.figure.dpi / 72
    best = None
    for ha, va, ux, uy in SPOTS:
        dx, dy = gap * ux, gap * uy
        _put(ax, t, ha, va, dx / pt, dy / pt)
        bb = t.get_window_extent(renderer).expanded(1.04, 1.08)
        inside = (
            bb.x0 >= frame.x0 + 2
            and bb.x1 <= frame.x1 - 2
            and bb.y0 >= frame.y0 + 2
            and bb.y1 <= frame.y1 - 2
        )
        overlap = sum(_area(bb, o) for o in placed) + (0 if inside else 1e9)
        if best is None or overlap < best[0]:
            best = (overlap, ha, va, dx, dy, bb)
        if overlap == 0:
            break
    assert best is not None
    overlap, ha, va, dx, dy, bb = best
    _put(ax, t, ha, va, dx / pt, dy / pt)
    return overlap, bb


def _put(ax: Axes, t: Any, ha: str, va: str, dx_pt: float, dy_pt: float) -> None:
    t.set_ha(ha)
    t.set_va(va)
    t.set_transform(offset_copy(ax.transData, fig=ax.figure, x=dx_pt, y=dy_pt, units="points"))


def _area(a: Any, b: Any) -> float:
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return w * h if w > 0 and h > 0 else 0.0


def country_labels(ax: Axes, extent: Extent, s: float, obstacles: list[Any]) -> None:
    """Country names in spaced capitals, each moved off symbols, labels and map furniture."""
    x0, x1, y0, y1 = extent
    frame = box(x0, y0, x1, y1)
    renderer = ax.figure.canvas.get_renderer()
    inv = ax.transData.inverted()

    def data_box(b: Any) -> tuple[float, float, float, float]:
        (ax0, ay0), (ax1, ay1) = inv.transform((b.x0, b.y0)), inv.transform((b.x1, b.y1))
        return ax0, ay0, ax1, ay1

    blocked = [data_box(b) for b in obstacles]
    for iso3, name, geom in countries_merged():
        visible = geom.intersection(frame)
        if visible.is_empty or visible.area < COUNTRY_MIN_SHARE * frame.area:
            continue
        focus = iso3 in FOCUS
        t = text(
            ax,
            0,
            0,
            " ".join(name.upper()),
            ha="center",
            va="center",
            fontsize=(COUNTRY_FOCUS_PT if focus else COUNTRY_PT) * s,
            color=COUNTRY_FOCUS if focus else COUNTRY_OTHER,
            fontweight="bold" if focus else "normal",
            zorder=1.5,
        )
        bx0, by0, bx1, by1 = data_box(t.get_window_extent(renderer))
        hw, hh = (bx1 - bx0) / 2 * 1.1, (by1 - by0) / 2 * 1.3
        grown = unary_union([box(a - hw, b - hh, c + hw, d + hh) for a, b, c, d in blocked])
        room = visible.buffer(-hh).intersection(box(x0 + hw, y0 + hh, x1 - hw, y1 - hh))
        room = room.difference(grown) if not grown.is_empty else room
        if room.is_empty:
            t.remove()
            continue
        want = visible.representative_point()
        spot = want if room.contains(want) else nearest_points(room, want)[0]
        t.set_position((spot.x, spot.y))
        blocked.append((spot.x - hw, spot.y - hh, spot.x + hw, spot.y + hh))
