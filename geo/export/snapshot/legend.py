"""The legend of exactly what is drawn: the weapons (colour), event types (shape) and outcomes
(fill) on the map, in the vocabulary's order, then a key for each other mark the map holds
(hubs, split pins, uncertainty circles, leader lines, counts)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from matplotlib.axes import Axes
from matplotlib.patches import Circle
from matplotlib.patheffects import withStroke

from geo.export.snapshot.mapdraw import CIRCLE_EDGE, COUNT_HALO, LEADER_WIDTH, PIN_COUNT_PT
from geo.export.snapshot.places import FAN_MAX, uncertainty_m
from geo.export.snapshot.result import Snapshot
from geo.export.snapshot.symbols import (
    FILLS,
    KEY_PT,
    SHAPES,
    SLICE_EDGE,
    draw_key,
    slice_paths,
)
from geo.export.snapshot.theme import (
    INK,
    MUTED,
    NEUTRAL,
    PAPER,
    UNCERTAIN_KEY_FILL,
    text,
    wrap,
)
from geo.export.view import View
from geo.mapping import style
from geo.model import EVENT_TYPES, OUTCOMES, WEAPONS

#: type sizes in points, and the line height in inches (× the page's scale)
TITLE_PT = 8.5
HEAD_PT = 8
BODY_PT = 7.6
LINE = 0.175
#: a key's centre and its words' left edge, in inches from the column's left (× scale)
KEY_X = 0.1
WORDS_X = 0.26
#: the weapons shown on the several-weapons key
SPLIT_SAMPLE = ("drone", "rocket")
#: the hub's key, smaller than a hub on the map: size, edge and type in points (× scale)
HUB_KEY_PT = 12
HUB_KEY_EDGE = 1.4
HUB_KEY_COUNT_PT = 7
#: the uncertainty circle's key: its radius in inches (× scale)
CIRCLE_KEY_IN = 0.075
#: the true point at the end of the leader line's key, in points (× scale)
LEADER_DOT_PT = 3


class _Column:
    """A legend column written downwards from ``y``: headings and keys with their words."""

    def __init__(self, ax: Axes, x: float, y: float, s: float) -> None:
        self.ax, self.x, self.y, self.s = ax, x, y, s
        self.line = LINE * s

    def head(self, words: str) -> None:
        text(
            self.ax,
            self.x,
            self.y,
            words,
            fontsize=HEAD_PT * self.s,
            fontweight="bold",
            va="center",
        )
        self.y -= self.line

    def key(self, shape: str, colour: str, words: str, fill: str = "solid") -> None:
        draw_key(self.ax, self.x + KEY_X * self.s, self.y, shape, colour, self.s, fill)
        text(
            self.ax,
            self.x + WORDS_X * self.s,
            self.y,
            words,
            fontsize=BODY_PT * self.s,
            va="center",
        )
        self.y -= self.line

    def gap(self, lines: float) -> None:
        self.y -= self.line * lines


def legend(ax: Axes, view: View, w: float, top: float, s: float, snap: Snapshot) -> float:
    """The legend of what is drawn, from the vocabulary; returns the y below it."""
    rows = view.located()
    text(
        ax,
        0,
        top - 0.08 * s,
        "LEGEND",
        fontsize=TITLE_PT * s,
        fontweight="bold",
        va="center",
        color=MUTED,
    )
    y = top - 0.08 * s - LINE * s * 1.15
    left, right = _Column(ax, 0, y, s), _Column(ax, w / 2 + 0.05 * s, y, s)
    _weapon_keys(left, rows)
    _event_and_outcome_keys(right, rows)
    y = min(left.y, right.y) - LINE * s * 0.25
    for kind, words in _extras(rows, snap):
        y = _extra(ax, kind, words, w, y, s)
    return y


def _weapon_keys(column: _Column, rows: list[dict[str, Any]]) -> None:
    weapons = [x for x in WEAPONS if any(x in r["weapons"] for r in rows)]
    if weapons:
        column.head("Weapon (colour)")
        for weapon in weapons:
            column.key("circle", style.WEAPON_COLOURS[weapon], style.WEAPON_LABELS[weapon])


def _event_and_outcome_keys(column: _Column, rows: list[dict[str, Any]]) -> None:
    events = [e for e in EVENT_TYPES if any(r["event_type"] == e for r in rows)]
    outcomes = [o for o in OUTCOMES if any(r["outcome"] == o for r in rows)]
    if events:
        column.head("Event (shape)")
        for event in events:
            column.key(SHAPES[event], NEUTRAL, style.EVENT_LEGEND[event])
    if outcomes:
        column.gap(0.25)
        column.head("Outcome (fill)")
        for fill, words in outcome_rows(outcomes):
            column.key("circle", NEUTRAL, words, fill)


def outcome_rows(outcomes: list[str]) -> list[tuple[str, str]]:
    """(fill, label) per legend row; outcomes drawn alike share a row."""
    by_fill: dict[str, list[str]] = {}
    for outcome in outcomes:
        by_fill.setdefault(FILLS[outcome], []).append(style.OUTCOME_LABELS[outcome])
    return [(fill, " or ".join(labels)) for fill, labels in by_fill.items()]


def _extras(rows: list[dict[str, Any]], snap: Snapshot) -> list[tuple[str, str]]:
    """(key, words) for each other kind of mark the map holds."""
    out: list[tuple[str, str]] = []
    if snap.hubs:
        out.append(
            ("hub", "site: attacks there in range (pins round it clockwise from 12, oldest first)")
        )
    if any(len(r["weapons"]) > 1 for r in rows):
        out.append(("split", "several weapons: one slice each"))
    if any(int(r["geo_precision"]) >= 2 for r in rows):
        radii = sorted({uncertainty_m(r) for r in rows if int(r["geo_precision"]) >= 2})
        span = f"{radii[0] // 1000}" + (f"–{radii[-1] // 1000}" if len(radii) > 1 else "")
        out.append(("circle", f"place known only to ±{span} km"))
    if snap.shifted:
        out.append(("leader", "true point of a place drawn apart from a close neighbour"))
    if snap.grouped:
        out.append(
            ("count", f"number on a pin: incidents of one kind (places with over {FAN_MAX})")
        )
    return out


def _extra(ax: Axes, kind: str, words: str, w: float, y: float, s: float) -> float:
    """One extra key at ``y`` with its words wrapped beside it; returns the y below."""
    line = LINE * s
    lines = wrap(words, w - 0.3 * s, BODY_PT * s)
    _EXTRA_KEYS[kind](ax, y - (len(lines) - 1) * line * 0.42, s)
    for k, chunk in enumerate(lines):
        text(ax, WORDS_X * s, y - k * line * 0.84, chunk, fontsize=BODY_PT * s, va="center")
    return y - line * (1 + 0.84 * (len(lines) - 1))


def _hub_key(ax: Axes, cy: float, s: float) -> None:
    ax.scatter(
        [KEY_X * s],
        [cy],
        s=(HUB_KEY_PT * s) ** 2,
        color=PAPER,
        edgecolors=INK,
        linewidths=HUB_KEY_EDGE * s,
    )
    text(
        ax,
        KEY_X * s,
        cy,
        "3",
        ha="center",
        va="center_baseline",
        fontsize=HUB_KEY_COUNT_PT * s,
        fontweight="bold",
    )


def _split_key(ax: Axes, cy: float, s: float) -> None:
    for k, weapon in enumerate(SPLIT_SAMPLE):
        ax.scatter(
            [KEY_X * s],
            [cy],
            s=(KEY_PT * s) ** 2,
            marker=slice_paths("circle", 2)[k],
            color=style.WEAPON_COLOURS[weapon],
            edgecolors=PAPER,
            linewidths=SLICE_EDGE * s,
        )


def _circle_key(ax: Axes, cy: float, s: float) -> None:
    ax.add_patch(
        Circle(
            (KEY_X * s, cy),
            CIRCLE_KEY_IN * s,
            facecolor=UNCERTAIN_KEY_FILL,
            edgecolor=MUTED,
            linestyle=(0, (2, 2)),
            linewidth=CIRCLE_EDGE * s,
        )
    )


def _leader_key(ax: Axes, cy: float, s: float) -> None:
    ax.plot(
        [0.02 * s, 0.2 * s], [cy - 0.05 * s, cy + 0.05 * s], color=INK, linewidth=LEADER_WIDTH * s
    )
    ax.scatter([0.02 * s], [cy - 0.05 * s], s=(LEADER_DOT_PT * s) ** 2, color=INK, linewidths=0)


def _count_key(ax: Axes, cy: float, s: float) -> None:
    draw_key(ax, KEY_X * s, cy, "circle", NEUTRAL, s)
    text(
        ax,
        KEY_X * s,
        cy,
        "7",
        ha="center",
        va="center_baseline",
        fontsize=PIN_COUNT_PT * s,
        fontweight="bold",
        path_effects=[withStroke(linewidth=COUNT_HALO * s, foreground=PAPER)],
    )


_EXTRA_KEYS: dict[str, Callable[[Axes, float, float], None]] = {
    "hub": _hub_key,
    "split": _split_key,
    "circle": _circle_key,
    "leader": _leader_key,
    "count": _count_key,
}
