"""The map itself: the basemap, dashed uncertainty circles, each place's leader line, hub and
fanned pins, the counts on grouped pins, then the furniture and the labels placed round them."""

from __future__ import annotations

import math
from typing import Any

from matplotlib.axes import Axes
from matplotlib.collections import PatchCollection, PathCollection
from matplotlib.patches import Circle
from matplotlib.patheffects import withStroke
from shapely.geometry import Point
from shapely.ops import unary_union

from geo.export.snapshot import furniture, labels
from geo.export.snapshot.layout import Extent, Layout
from geo.export.snapshot.places import Place, lay_out, uncertainty_m
from geo.export.snapshot.projection import (
    beyond_region,
    draw_countries,
    polygon_path,
    to_map,
)
from geo.export.snapshot.result import Snapshot
from geo.export.snapshot.symbols import PIN_PT, draw_pins
from geo.export.snapshot.theme import (
    INK,
    MUTED,
    PAPER,
    SELECTED,
    UNCERTAIN_FILL,
    frame_axes,
    text,
)
from geo.export.view import View
from geo.mapping import style

#: more uncertainty circles than this are drawn as one merged area
MAX_CIRCLES = 60
#: border widths (other countries, focus countries) of the world beyond and of the region
BEYOND_WEIGHTS = (0.5, 0.5)
REGION_WEIGHTS = (0.6, 1.0)
#: sizes in points (× the page's scale)
LEADER_WIDTH = 0.9  # the line from a place pushed apart to its true point
TRUE_POINT_PT = 3.2  # the dot at a true point
HUB_EDGE = 1.6
HUB_COUNT_PT = 8.5  # the count in a hub
SELECTED_GAP = 5  # between a selected site's drawing and its red ring
SELECTED_EDGE = 2.2
PIN_COUNT_PT = 6  # the count on a grouped pin (5 from 100)
COUNT_HALO = 2
CIRCLE_EDGE = 0.9


def draw_map(ax: Axes, view: View, extent: Extent, lay: Layout, snap: Snapshot) -> None:
    """Everything inside the map's frame; ``snap`` learns where pins and hubs were drawn."""
    s = lay.s
    x0, x1, y0, y1 = extent
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_facecolor(style.SEA)
    frame_axes(ax)
    m_per_pt = (x1 - x0) / (lay.map[2] * 72)

    if beyond_region(extent):
        draw_countries(ax, "beyond", s, BEYOND_WEIGHTS)
    draw_countries(ax, "basemap", s, REGION_WEIGHTS)

    places, snap.grouped = lay_out(view, (x0, y0), m_per_pt, s)
    _uncertainty(ax, places, s)
    selected = set(view.selected_sites)
    for place in places:
        _draw_place(ax, place, m_per_pt, s, place.site_id in selected, snap)
    draw_pins(ax, [p for place in places for p in place.pins], PIN_PT * s, s)
    _draw_counts(ax, places, s, snap)

    context = labels.draw_context_sites(ax, view, places, extent, m_per_pt, s)
    obstacles = labels.obstacles(ax, places, m_per_pt)
    furniture.scale_bar(ax, extent, lay, obstacles)
    furniture.north_arrow(ax, extent, lay, obstacles)
    placed = labels.site_labels(ax, places, context, m_per_pt, s, selected, obstacles)
    labels.country_labels(ax, extent, s, placed)


def _draw_place(
    ax: Axes, place: Place, m_per_pt: float, s: float, selected: bool, snap: Snapshot
) -> None:
    """A place's leader line and true points (when drawn away from them), its hub, and where
    its pins go."""
    cx, cy = place.drawn_at(m_per_pt)
    shifted = math.hypot(place.dx_pt, place.dy_pt) > 0.5
    snap.shifted |= shifted
    if shifted:
        ax.plot([place.x, cx], [place.y, cy], color=INK, linewidth=LEADER_WIDTH * s, zorder=3)
    if shifted or place.merged or (not place.hub_pt and len(place.pins) > 1):
        xs, ys = zip(*place.members, strict=True)
        ax.scatter(xs, ys, s=(TRUE_POINT_PT * s) ** 2, color=INK, zorder=3, linewidths=0)
    for (ox, oy), pin in zip(place.offsets, place.pins, strict=True):
        pin.x, pin.y = cx + ox * m_per_pt, cy + oy * m_per_pt
    if place.hub_pt:
        _draw_hub(ax, place, cx, cy, s, selected)
        snap.hubs[place.site_id or ""] = snap.pixels(cx, cy)


def _draw_hub(ax: Axes, place: Place, cx: float, cy: float, s: float, selected: bool) -> None:
    """A site's hub: a white disc with its count of attacks, ringed in red when selected."""
    if selected:
        ax.scatter(
            [cx],
            [cy],
            s=(place.radius_pt * 2 + SELECTED_GAP * s) ** 2,
            facecolors="none",
            edgecolors=SELECTED,
            linewidths=SELECTED_EDGE * s,
            zorder=4,
        )
    ax.scatter(
        [cx],
        [cy],
        s=place.hub_pt**2,
        color=PAPER,
        edgecolors=SELECTED if selected else INK,
        linewidths=HUB_EDGE * s,
        zorder=5,
    )
    text(
        ax,
        cx,
        cy,
        str(place.attacks),
        ha="center",
        va="center_baseline",
        fontsize=HUB_COUNT_PT * s,
        fontweight="bold",
        zorder=6,
    )


def _draw_counts(ax: Axes, places: list[Place], s: float, snap: Snapshot) -> None:
    """The count on each grouped pin; every incident's pin position into ``snap``."""
    for place in places:
        for pin in place.pins:
            if pin.count > 1:
                text(
                    ax,
                    pin.x,
                    pin.y,
                    str(pin.count),
                    ha="center",
                    va="center_baseline",
                    fontsize=(PIN_COUNT_PT if pin.count < 100 else PIN_COUNT_PT - 1) * s,
                    fontweight="bold",
                    zorder=9,
                    path_effects=[withStroke(linewidth=COUNT_HALO * s, foreground=PAPER)],
                )
            for incident_id in pin.ids:
                snap.pins[incident_id] = snap.pixels(pin.x, pin.y)


def _uncertainty(ax: Axes, places: list[Place], s: float) -> None:
    """Dashed circles round points placed to ``geo_precision`` >= 2, under everything.  Past
    :data:`MAX_CIRCLES` distinct circles they are drawn as one merged area, so a crowded map
    shows where places are uncertain instead of turning black."""
    circles = sorted(
        {
            (*(round(v, -2) for v in to_map(r["longitude"], r["latitude"])), uncertainty_m(r))
            for place in places
            for r in place.rows
            if int(r["geo_precision"]) >= 2
        }
    )
    if not circles:
        return
    style_kw: dict[str, Any] = {
        "facecolors": [UNCERTAIN_FILL],
        "edgecolors": MUTED,
        "linestyles": [(0, (3, 3))],
        "linewidths": CIRCLE_EDGE * s,
        "zorder": 2,
    }
    if len(circles) <= MAX_CIRCLES:
        patches = [Circle((cx, cy), radius) for cx, cy, radius in circles]
        ax.add_collection(PatchCollection(patches, **style_kw), autolim=False)
        return
    area = unary_union([Point(cx, cy).buffer(radius, 32) for cx, cy, radius in circles])
    ax.add_collection(PathCollection([polygon_path(area)], **style_kw), autolim=False)
