"""The page's rectangles: banner, title, map, panel and footer, in inches from the bottom left,
for any page size (type and symbols scale with the page's height)."""

from __future__ import annotations

from dataclasses import dataclass

from geo.export.snapshot.theme import REFERENCE_HEIGHT_IN

#: (xmin, xmax, ymin, ymax) of the map in map metres
Extent = tuple[float, float, float, float]
#: (x, y, w, h) in inches from the page's bottom left
Rect = tuple[float, float, float, float]

#: in inches at the reference height (× the page's scale)
MARGIN = 0.2
BANNER_H = 0.3
TITLE_H = 0.86
TITLE_GAP = 0.08  # between the title's rule and the map
FOOTER_LINE = 0.15
FOOTER_PAD = 0.1
FOOTER_LIFT = 0.04  # between the footer and the bottom banner
PANEL_W = 3.7


@dataclass
class Layout:
    """Rectangles in inches from the bottom left: (x, y, w, h)."""

    fig_w: float
    fig_h: float
    s: float  # scale of type and symbols (1.0 on the 7.5 in high PNG)
    banner: float
    title: Rect
    map: Rect
    panel: Rect
    footer: Rect


def layout(fig_w: float, fig_h: float, marking: bool, footer_lines: int) -> Layout:
    """The page's rectangles for a ``fig_w`` × ``fig_h`` inch page."""
    s = fig_h / REFERENCE_HEIGHT_IN
    m = MARGIN * s
    banner = BANNER_H * s if marking else 0.0
    title_h = TITLE_H * s
    footer_h = (FOOTER_PAD + FOOTER_LINE * footer_lines) * s
    panel_w = PANEL_W * s
    top = fig_h - banner - m
    title = (m, top - title_h, fig_w - 2 * m, title_h)
    body_top = title[1] - TITLE_GAP * s
    body_bottom = banner + footer_h + m * 0.5
    map_w = fig_w - panel_w - 3 * m
    return Layout(
        fig_w,
        fig_h,
        s,
        banner,
        title,
        (m, body_bottom, map_w, body_top - body_bottom),
        (m + map_w + m, body_bottom, panel_w, body_top - body_bottom),
        (m, banner + FOOTER_LIFT * s, fig_w - 2 * m, footer_h),
    )
