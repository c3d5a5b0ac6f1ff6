"""The snapshot's page: its sizes, its colours and its type, and the text helpers every part
draws with (never TeX, always the bundled font)."""

from __future__ import annotations

import textwrap
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from geo.mapping import style

#: The PNG's size in pixels and the dots per inch it is drawn at (13.33 × 7.5 in: a 16:9 slide).
PNG_SIZE: tuple[int, int] = (1920, 1080)
PNG_DPI = 144
#: A4 landscape in inches, and the PDF's resolution for anything rasterised (nothing is, today).
A4_LANDSCAPE: tuple[float, float] = (297 / 25.4, 210 / 25.4)
PDF_DPI = 300
#: The page height (inches) at which type and symbols have their stated sizes; other pages
#: scale them by ``height / REFERENCE_HEIGHT_IN`` (the ``s`` every part is handed).
REFERENCE_HEIGHT_IN = 7.5

FONT = "DejaVu Sans"  # bundled with matplotlib: the same glyphs on every machine

# -- colours: the map's own, the ink and the selection are :mod:`geo.mapping.style`'s --------------
PAPER = "white"
#: text and lines
INK = style.INK
#: secondary text (subtitle, footer, locator note, context sites' names); uncertainty circles
MUTED = style.MUTED
#: a selected site, and the locator's box
SELECTED = style.SELECTED
#: a legend symbol that stands for any weapon; a context site's ring
NEUTRAL = style.NEUTRAL
#: the dark edge under every symbol, drawn at :data:`SHADOW_ALPHA`
SHADOW = "#222222"
SHADOW_ALPHA = 0.75
#: the border round the map and the inset
FRAME = "#444444"
#: the rules under the title and above the panel's notes
TITLE_RULE = "#cccccc"
PANEL_RULE = "#dddddd"
#: country names: the three focus countries, and the rest
COUNTRY_FOCUS = "#8a8070"
COUNTRY_OTHER = "#a39c8c"
#: the white behind the scale bar and the north arrow
VEIL = (1, 1, 1, 0.85)
#: inside an uncertainty circle: on the map, and its legend key
UNCERTAIN_FILL = (0, 0, 0, 0.035)
UNCERTAIN_KEY_FILL = (0, 0, 0, 0.05)

#: the frame line round the map and the inset, in points (not scaled)
FRAME_WIDTH = 0.8


def text(ax: Any, x: float, y: float, s: str, **kw: Any) -> Any:
    """Text that is never parsed as TeX, always in the bundled font."""
    kw.setdefault("fontfamily", FONT)
    kw.setdefault("color", INK)
    return ax.text(x, y, s, parse_math=False, **kw)


def wrap(words: str, width_in: float, size_pt: float) -> list[str]:
    """Lines that fit ``width_in`` at ``size_pt`` (DejaVu Sans averages ~0.56 em a glyph)."""
    chars = max(12, int(width_in * 72 / (size_pt * 0.56)))
    return textwrap.wrap(words, chars, break_long_words=True, break_on_hyphens=False) or [""]


def short(words: str, n: int) -> str:
    """``words`` on one line, cut to ``n`` characters with an ellipsis."""
    line = " ".join(str(words).split())
    return line if len(line) <= n else line[: n - 1].rstrip() + "…"


def axes_at(fig: Figure, rect: tuple[float, float, float, float]) -> Axes:
    """New axes over ``rect`` (x, y, w, h in inches from the bottom left)."""
    x, y, w, h = rect
    W, H = fig.get_size_inches()
    return fig.add_axes((x / W, y / H, w / W, h / H))


def frame_axes(ax: Axes) -> None:
    """A map-like axes: no ticks, a thin dark frame."""
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor(FRAME)
        spine.set_linewidth(FRAME_WIDTH)
