"""Pins as matplotlib markers: shaped by event type, coloured by weapon (several weapons: equal
slices), filled by outcome, as the web map draws them (:mod:`geo.vocabulary` names each
shape, colour and fill; :data:`geo.mapping.style.SYMBOL_CSS` draws the same shapes in CSS)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, Protocol

import numpy as np
from matplotlib.axes import Axes
from matplotlib.path import Path as MPath

from geo.export.snapshot.theme import PAPER, SHADOW, SHADOW_ALPHA
from geo.mapping import style

#: event type -> the shape of its pin (the web map's shapes)
SHAPES = style.EVENT_SYMBOLS
#: outcome -> how its pin is filled: "solid", "ring" or "ring_dot"
FILLS = style.OUTCOME_FILLS
#: a shape's size against a circle's, so the three read as the same weight
SYMBOL_SCALE: dict[str, float] = {"circle": 1.0, "square": 0.9, "diamond": 1.15}
#: a map pin's and a legend key's size in points (× the page's scale)
PIN_PT = 9.0
KEY_PT = 8.0
#: the dot at the centre of a partly intercepted pin, against the pin's size
CENTRE_SCALE = 0.38
#: how much smaller than the pin its ring is drawn (points × scale)
RING_INSET = 2.2
#: the white line between the slices of a several-weapons pin (points × scale)
SLICE_EDGE = 0.5


@dataclass(frozen=True)
class Edges:
    """The layers round a symbol, in points (× the page's scale): the dark shadow and the white
    paper added to its size, and the width of an intercepted outcome's ring."""

    shadow: float
    paper: float
    ring: float


#: a pin on the map, and a key in the legend (a little lighter)
MAP_EDGES = Edges(shadow=2.6, paper=1.4, ring=2.4)
KEY_EDGES = Edges(shadow=2.2, paper=1.2, ring=2.2)


class _Pin(Protocol):
    x: float
    y: float
    weapons: tuple[str, ...]
    event_type: str
    outcome: str


def symbol_pt(shape: str, pin_pt: float) -> float:
    """The drawn size in points of a ``shape`` pin whose circle is ``pin_pt``."""
    return pin_pt * SYMBOL_SCALE[shape]


def slice_paths(shape: str, n: int) -> list[MPath]:
    """Marker paths: the whole symbol for n=1, else n equal slices of it.  matplotlib scales a
    marker path by its largest coordinate, so every slice keeps a vertex at distance 1."""
    if shape == "circle":
        if n == 1:
            return [MPath.unit_circle()]
        step = 360 / n
        return [MPath.wedge(90 - (k + 1) * step, 90 - k * step) for k in range(n)]
    edges = np.linspace(-1, 1, n + 1)
    if shape == "diamond":
        return [_diamond_strip(a, b) for a, b in pairwise(edges)]
    return [
        MPath([(a, -1), (b, -1), (b, 1), (a, 1), (a, -1)], closed=True) for a, b in pairwise(edges)
    ]


def _diamond_strip(a: float, b: float) -> MPath:
    """The part of the unit diamond between x=a and x=b, with an invisible anchor at (1, 1)."""
    xs = [a, *([0.0] if a < 0 < b else []), b]
    ring = [(x, 1 - abs(x)) for x in xs] + [(x, abs(x) - 1) for x in reversed(xs)]
    verts = [(1.0, 1.0), *ring, ring[0]]
    codes = [MPath.MOVETO, MPath.MOVETO] + [MPath.LINETO] * (len(ring) - 1) + [MPath.CLOSEPOLY]
    return MPath(verts, codes)


def draw_under(
    ax: Axes,
    xs: Sequence[float],
    ys: Sequence[float],
    shape: str,
    size: float,
    s: float,
    edges: Edges,
    **kw: Any,
) -> None:
    """The shadow and the white paper under symbols of ``shape`` drawn at ``size`` points."""
    path = slice_paths(shape, 1)[0]
    ax.scatter(
        xs,
        ys,
        s=(size + edges.shadow * s) ** 2,
        marker=path,
        color=SHADOW,
        alpha=SHADOW_ALPHA,
        linewidths=0,
        **kw,
    )
    ax.scatter(
        xs, ys, s=(size + edges.paper * s) ** 2, marker=path, color=PAPER, linewidths=0, **kw
    )


def draw_ring(
    ax: Axes,
    xs: Sequence[float],
    ys: Sequence[float],
    path: MPath,
    size: float,
    s: float,
    colour: str,
    edges: Edges,
    **kw: Any,
) -> None:
    """An intercepted outcome's fill: a ring of the weapon's colour round white."""
    ax.scatter(
        xs,
        ys,
        s=(size - RING_INSET * s) ** 2,
        marker=path,
        facecolors=PAPER,
        edgecolors=colour,
        linewidths=edges.ring * s,
        **kw,
    )


def draw_centre(
    ax: Axes, xs: Sequence[float], ys: Sequence[float], pin_pt: float, colour: str, **kw: Any
) -> None:
    """The dot in a partly intercepted pin's ring."""
    ax.scatter(xs, ys, s=(pin_pt * CENTRE_SCALE) ** 2, color=colour, linewidths=0, **kw)


def draw_key(
    ax: Axes, x: float, y: float, shape: str, colour: str, s: float, fill: str = "solid"
) -> None:
    """One legend key: a pin of ``shape``, ``colour`` and ``fill``."""
    path = slice_paths(shape, 1)[0]
    size = symbol_pt(shape, KEY_PT * s)
    draw_under(ax, [x], [y], shape, size, s, KEY_EDGES)
    if fill == "solid":
        ax.scatter([x], [y], s=size**2, marker=path, color=colour, linewidths=0)
        return
    draw_ring(ax, [x], [y], path, size, s, colour, KEY_EDGES)
    if fill == "ring_dot":
        draw_centre(ax, [x], [y], KEY_PT * s, colour)


def draw_pins(ax: Axes, pins: Sequence[_Pin], pin_pt: float, s: float) -> None:
    """Pins grouped into one scatter call per symbol and colour (fast for thousands)."""
    under: dict[str, list[tuple[float, float]]] = defaultdict(list)
    fills: dict[tuple[str, int, int, str, str], list[tuple[float, float]]] = defaultdict(list)
    centres: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for pin in pins:
        shape = SHAPES.get(pin.event_type, "circle")
        under[shape].append((pin.x, pin.y))
        weapons = pin.weapons or ("unknown",)
        fill = FILLS[pin.outcome]
        if fill != "solid":
            colour = style.WEAPON_COLOURS[weapons[0]]
            fills[(shape, 1, 0, colour, "ring")].append((pin.x, pin.y))
            if fill == "ring_dot":
                centres[colour].append((pin.x, pin.y))
            continue
        for k, w in enumerate(weapons):
            fills[(shape, len(weapons), k, style.WEAPON_COLOURS[w], "solid")].append((pin.x, pin.y))
    for shape, pts in sorted(under.items()):
        xs, ys = zip(*pts, strict=True)
        draw_under(ax, xs, ys, shape, symbol_pt(shape, pin_pt), s, MAP_EDGES, zorder=7)
    for (shape, n, k, colour, kind), pts in sorted(fills.items()):
        xs, ys = zip(*pts, strict=True)
        path, size = slice_paths(shape, n)[k], symbol_pt(shape, pin_pt)
        if kind == "ring":
            draw_ring(ax, xs, ys, path, size, s, colour, MAP_EDGES, zorder=8)
            continue
        ax.scatter(
            xs,
            ys,
            s=size**2,
            marker=path,
            color=colour,
            edgecolors=PAPER if n > 1 else "none",
            linewidths=SLICE_EDGE * s,
            zorder=8,
        )
    for colour, pts in sorted(centres.items()):
        xs, ys = zip(*pts, strict=True)
        draw_centre(ax, xs, ys, pin_pt, colour, zorder=9)
