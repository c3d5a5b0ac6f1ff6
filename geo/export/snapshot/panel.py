"""The panel beside the map: the inset locator map, the legend, then the notes (filters, data
version, what is not on the map, the selected sites), each cut to the room left."""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from geo.export.snapshot.furniture import inset
from geo.export.snapshot.layout import Extent, Layout
from geo.export.snapshot.legend import legend
from geo.export.snapshot.places import site_of
from geo.export.snapshot.result import Snapshot
from geo.export.snapshot.theme import PANEL_RULE, axes_at, short, text, wrap
from geo.export.view import View

#: in inches (× the page's scale)
INSET_H = 1.3
INSET_GAP = 0.12
#: the notes' type size (points) and line height (inches), × scale
NOTE_PT = 7.4
NOTE_LINE = 0.155


def draw_panel(fig: Figure, view: View, lay: Layout, extent: Extent, snap: Snapshot) -> None:
    x, y, w, h = lay.panel
    s = lay.s
    inset_h = INSET_H * s
    inset(fig, (x, y + h - inset_h, w, inset_h), extent, s)
    ax = axes_at(fig, (x, y, w, h - inset_h - INSET_GAP * s))
    ax.set_axis_off()
    ph = h - inset_h - INSET_GAP * s
    ax.set_xlim(0, w)
    ax.set_ylim(0, ph)
    top = legend(ax, view, w, ph, s, snap)
    _notes(ax, view, w, top - 0.1 * s, s)


def _blocks(view: View) -> list[tuple[str, str]]:
    """(heading, text) of each note."""
    blocks: list[tuple[str, str]] = [
        ("Filters", view.filters.describe()),
        ("Data as of", view.as_of or "not stated"),
    ]
    unlocated = view.unlocated()
    if unlocated:
        blocks.append(
            (
                "Not on the map",
                f"{len(unlocated)} incident{'s' if len(unlocated) != 1 else ''} with no "
                "reliable point (country or region only); listed in the data exports",
            )
        )
    if view.selected_sites:
        names = [(site_of(view, i).name if site_of(view, i) else i) for i in view.selected_sites]
        blocks.append(("Selected", ", ".join(names)))
    return blocks


def _notes(ax: Axes, view: View, w: float, top: float, s: float) -> None:
    """The notes under a rule, each heading in bold with its text run on; stops at the bottom."""
    size = NOTE_PT * s
    line = NOTE_LINE * s
    y = top
    ax.plot([0, w], [y + 0.05 * s, y + 0.05 * s], color=PANEL_RULE, linewidth=0.8 * s)
    y -= 0.06 * s
    renderer = ax.figure.canvas.get_renderer()
    per_in = ax.transData.inverted()
    for label, words in _blocks(view):
        head = text(ax, 0, y, label + ":", fontsize=size, fontweight="bold", va="top")
        bb = head.get_window_extent(renderer)
        label_w = per_in.transform((bb.x1, 0))[0] - per_in.transform((bb.x0, 0))[0]
        lines = _fit(words, w, w - label_w - 0.06 * s, size, room=max(1, int(y / line)))
        for k, chunk in enumerate(lines):
            text(ax, label_w + 0.06 * s if k == 0 else 0, y, chunk, fontsize=size, va="top")
            y -= line
        y -= line * 0.35
        if y < line:
            break


def _fit(words: str, width: float, first_width: float, size: float, room: int) -> list[str]:
    """``words`` wrapped to ``width`` (the first line to ``first_width``), at most ``room``
    lines, the last cut with an ellipsis when there is more."""
    first = wrap(words, first_width, size)[0]
    rest = words[len(first) :].strip()
    lines = [first, *(wrap(rest, width, size) if rest else [])]
    if len(lines) > room:
        lines = lines[:room]
        lines[-1] = short(lines[-1], max(4, len(lines[-1]) - 2)).rstrip("…") + "…"
    return lines
