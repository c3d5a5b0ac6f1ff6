"""What frames the map: the scale bar (km) and north arrow on it, the inset locator map, the
title and subtitle, the footer (sources and credits) and the marking's banners."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrow, Rectangle
from matplotlib.patheffects import withStroke
from matplotlib.transforms import Bbox

from geo.export.snapshot.layout import Extent, Layout, Rect
from geo.export.snapshot.projection import draw_countries, to_lonlat, to_map
from geo.export.snapshot.theme import (
    INK,
    MUTED,
    PAPER,
    SELECTED,
    TITLE_RULE,
    VEIL,
    axes_at,
    frame_axes,
    short,
    text,
    wrap,
)
from geo.export.view import View, banner_colours, long_date
from geo.mapping import style

#: the articles named in the footer; the rest are counted
MAX_SOURCES = 12
#: type sizes in points (× the page's scale)
FOOTER_PT = 7.2
TITLE_PT = 19
SUBTITLE_PT = 10.5
BANNER_PT = 10.5
SCALE_PT = 7.5
NORTH_PT = 10
LOCATOR_PT = 6.5
#: characters kept of the title, the subtitle and the marking
TITLE_CHARS = 110
SUBTITLE_CHARS = 170
MARKING_CHARS = 80
#: the inset shows at least this many metres across, and this many times the map's width
INSET_MIN_M = 3_600_000
INSET_ZOOM = 2.2
INSET_WEIGHTS = (0.3, 0.5)
INSET_BOX_EDGE = 1.6


def _inches(extent: Extent, lay: Layout) -> Callable[[float], float]:
    """Map metres for a length in inches at the reference height on this map."""
    x0, x1, _y0, _y1 = extent
    s = lay.s
    m_per_in = (x1 - x0) / lay.map[2]
    return lambda v: v * s * m_per_in


def _shield(ax: Axes, xy: tuple[float, float], w: float, h: float) -> None:
    """The pale box behind a piece of furniture."""
    ax.add_patch(Rectangle(xy, w, h, facecolor=VEIL, edgecolor="none", zorder=11))


def _nice_km(target: float) -> float:
    exp = 10 ** math.floor(math.log10(target))
    for step in (5, 2, 1):
        if step * exp <= target:
            return step * exp
    return exp


def scale_bar(ax: Axes, extent: Extent, lay: Layout, obstacles: list[Any]) -> None:
    """A scale bar of four blocks, about a fifth of the map wide, at the bottom left."""
    x0, x1, y0, _y1 = extent
    s = lay.s
    at = _inches(extent, lay)
    km = _nice_km((x1 - x0) / 1000 / 5)
    length = km * 1000
    left = x0 + at(0.3)
    base = y0 + at(0.3)
    height = at(0.07)
    _shield(ax, (left - at(0.12), base - at(0.14)), length + at(0.5), at(0.5))
    for k in range(4):
        ax.add_patch(
            Rectangle(
                (left + k * length / 4, base),
                length / 4,
                height,
                facecolor=INK if k % 2 == 0 else PAPER,
                edgecolor=INK,
                linewidth=0.6 * s,
                zorder=12,
            )
        )
    for value, x in ((0, left), (km / 2, left + length / 2), (km, left + length)):
        label = f"{value:g}" + (" km" if value == km else "")
        text(
            ax,
            x,
            base + height * 1.6,
            label,
            ha="center",
            va="bottom",
            fontsize=SCALE_PT * s,
            zorder=12,
        )
    a = ax.transData.transform((left - at(0.12), base - at(0.14)))
    b = ax.transData.transform((left + length + at(0.4), base + at(0.36)))
    obstacles.append(Bbox([a, b]))


def north_arrow(ax: Axes, extent: Extent, lay: Layout, obstacles: list[Any]) -> None:
    """A north arrow at the top left, pointing along the meridian through the map's centre."""
    x0, x1, y0, y1 = extent
    s = lay.s
    at = _inches(extent, lay)
    lon, lat = to_lonlat((x0 + x1) / 2, (y0 + y1) / 2)
    ax_, ay_ = to_map(lon, lat)
    bx, by = to_map(lon, lat + 0.5)
    angle = math.atan2(bx - ax_, by - ay_)  # from straight up, clockwise positive
    length = at(0.42)
    cx = x0 + at(0.42)
    cy = y1 - at(0.78)
    dx, dy = length * math.sin(angle), length * math.cos(angle)
    _shield(ax, (cx - at(0.24), cy - at(0.14)), at(0.48), at(0.86))
    ax.add_patch(
        FancyArrow(
            cx,
            cy,
            dx,
            dy,
            width=at(0.05),
            head_width=at(0.18),
            head_length=at(0.2),
            length_includes_head=True,
            color=INK,
            zorder=12,
        )
    )
    text(
        ax,
        cx + dx * 1.05,
        cy + dy * 1.05 + at(0.02),
        "N",
        ha="center",
        va="bottom",
        fontsize=NORTH_PT * s,
        fontweight="bold",
        zorder=12,
    )
    a = ax.transData.transform((cx - at(0.24), cy - at(0.14)))
    b = ax.transData.transform((cx + at(0.24), cy + at(0.72)))
    obstacles.append(Bbox([a, b]))


def inset(fig: Figure, rect: Rect, extent: Extent, s: float) -> None:
    """A locator map: the world round the map, the map's area boxed in red."""
    ax = axes_at(fig, rect)
    x0, x1, y0, y1 = extent
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    aspect = rect[2] / rect[3]
    half_w = max((x1 - x0) * INSET_ZOOM, INSET_MIN_M) / 2
    half_h = half_w / aspect
    ax.set_facecolor(style.SEA)
    draw_countries(ax, "world", s, INSET_WEIGHTS)
    ax.add_patch(
        Rectangle(
            (x0, y0),
            x1 - x0,
            y1 - y0,
            facecolor="none",
            edgecolor=SELECTED,
            linewidth=INSET_BOX_EDGE * s,
            zorder=5,
        )
    )
    ax.set_xlim(cx - half_w, cx + half_w)
    ax.set_ylim(cy - half_h, cy + half_h)
    ax.set_aspect("auto")
    frame_axes(ax)
    text(
        ax,
        0.02,
        0.04,
        "Locator: the map's area in red",
        transform=ax.transAxes,
        fontsize=LOCATOR_PT * s,
        color=MUTED,
        va="bottom",
        path_effects=[withStroke(linewidth=2 * s, foreground=PAPER)],
    )


def draw_title(fig: Figure, view: View, lay: Layout) -> None:
    """The title, the date range and headline under it, and a rule."""
    _x, _y, w, h = lay.title
    s = lay.s
    ax = axes_at(fig, lay.title)
    ax.set_axis_off()
    ax.set_xlim(0, w)
    ax.set_ylim(0, h)
    title = short(view.title or "Incident Atlas briefing", TITLE_CHARS)
    text(ax, 0, h, title, ha="left", va="top", fontsize=TITLE_PT * s, fontweight="bold")
    sub = f"{view.range_text()}   ·   {view.headline_text()}"
    text(
        ax,
        0,
        h - 0.44 * s,
        short(sub, SUBTITLE_CHARS),
        ha="left",
        va="top",
        fontsize=SUBTITLE_PT * s,
        color=MUTED,
    )
    ax.plot([0, w], [0.02 * s, 0.02 * s], color=TITLE_RULE, linewidth=0.8 * s)


def footer_lines(view: View, fig_w: float, s: float) -> list[str]:
    """Sources (the articles shown) and credits, wrapped to the page; at most four lines."""
    articles = view.articles()
    shown = [f"{a} ({long_date(d)})" for a, d in articles[:MAX_SOURCES]]
    if len(articles) > MAX_SOURCES:
        shown.append(f"and {len(articles) - MAX_SOURCES} more (listed in the data exports)")
    lines = wrap(
        f"Sources ({len(articles)} article{'s' if len(articles) != 1 else ''}): "
        + ("; ".join(shown) or "none"),
        fig_w - 0.45,
        FOOTER_PT * s,
    )[:2]
    lines += wrap("Credits: " + " · ".join(view.attribution()), fig_w - 0.45, FOOTER_PT * s)[:2]
    return lines


def draw_footer(fig: Figure, lines: Iterable[str], lay: Layout) -> None:
    _x, _y, w, h = lay.footer
    ax = axes_at(fig, lay.footer)
    ax.set_axis_off()
    ax.set_xlim(0, w)
    ax.set_ylim(0, h)
    s = lay.s
    for k, line in enumerate(lines):
        text(
            ax, 0, h - 0.05 * s - k * 0.15 * s, line, fontsize=FOOTER_PT * s, color=MUTED, va="top"
        )


def draw_banners(fig: Figure, marking: str, lay: Layout) -> None:
    """The marking in a banner at the top and the bottom of the page, in its colours."""
    back, fore = banner_colours(marking)
    words = short(marking.strip(), MARKING_CHARS)
    h = lay.banner / lay.fig_h
    for y in (0.0, 1.0 - h):
        fig.patches.append(
            Rectangle((0, y), 1, h, transform=fig.transFigure, facecolor=back, edgecolor="none")
        )
        text(
            fig,
            0.5,
            y + h / 2,
            words,
            ha="center",
            va="center",
            fontsize=BANNER_PT * lay.s,
            fontweight="bold",
            color=fore,
        )
