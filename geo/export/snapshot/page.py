"""The whole page from one view: its layout, the map's extent, then each part drawn in turn;
and the entry points that give the PNG and the A4 PDF."""

from __future__ import annotations

from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from geo.export.snapshot.furniture import draw_banners, draw_footer, draw_title, footer_lines
from geo.export.snapshot.layout import Extent, layout
from geo.export.snapshot.mapdraw import draw_map
from geo.export.snapshot.panel import draw_panel
from geo.export.snapshot.places import site_of
from geo.export.snapshot.projection import to_map
from geo.export.snapshot.result import Snapshot
from geo.export.snapshot.theme import (
    A4_LANDSCAPE,
    PAPER,
    PDF_DPI,
    PNG_DPI,
    PNG_SIZE,
    REFERENCE_HEIGHT_IN,
    axes_at,
)
from geo.export.view import View
from geo.mapping import REGION_BOUNDS

#: the map never shows less than this many km across (one lone incident is not a street map)
MIN_SPAN_KM = 700.0
#: the margin round the located incidents, in metres
PAD_M = 160_000.0


def render(view: View, *, size: tuple[int, int] = PNG_SIZE, dpi: float = PNG_DPI) -> Snapshot:
    """Draw ``view`` on a figure of ``size`` pixels at ``dpi`` (the PNG)."""
    return draw(view, (size[0] / dpi, size[1] / dpi), dpi)


def render_a4(view: View) -> Snapshot:
    """The same drawing on an A4 landscape page (the PDF)."""
    return draw(view, A4_LANDSCAPE, PDF_DPI)


def write_png(view: View, out: Path) -> None:
    Path(out).write_bytes(render(view).png())


def write_pdf(view: View, out: Path) -> None:
    Path(out).write_bytes(render_a4(view).pdf(view.title))


def project(
    view: View, lon: float, lat: float, size: tuple[int, int] = PNG_SIZE
) -> tuple[float, float]:
    """Where ``lon``/``lat`` lands on the PNG of ``view`` (pixels, y down)."""
    return render(view, size=size).project(lon, lat)


def draw(view: View, fig_size_in: tuple[float, float], dpi: float) -> Snapshot:
    """``view`` drawn on a page of ``fig_size_in`` inches at ``dpi``."""
    fig = Figure(figsize=fig_size_in, dpi=dpi, facecolor=PAPER)
    FigureCanvasAgg(fig)
    footer = footer_lines(view, fig_size_in[0], fig_size_in[1] / REFERENCE_HEIGHT_IN)
    lay = layout(*fig_size_in, bool(view.marking), len(footer))
    ax = axes_at(fig, lay.map)
    snap = Snapshot(fig, ax, dpi)
    extent = map_extent(view, lay.map[2] / lay.map[3])
    draw_map(ax, view, extent, lay, snap)
    draw_title(fig, view, lay)
    draw_panel(fig, view, lay, extent, snap)
    draw_footer(fig, footer, lay)
    if view.marking:
        draw_banners(fig, view.marking, lay)
    return snap


def map_extent(view: View, aspect: float) -> Extent:
    """(xmin, xmax, ymin, ymax) in map metres: the located incidents (and the selected sites)
    with a margin, at least :data:`MIN_SPAN_KM` across, stretched to the map's aspect."""
    points = [to_map(r["longitude"], r["latitude"]) for r in view.located()]
    for site_id in view.selected_sites:
        site = site_of(view, site_id)
        if site is not None and site.located:
            points.append(to_map(site.longitude, site.latitude))
    if not points:
        (s, w), (n, e) = REGION_BOUNDS
        corners = [to_map(lon, lat) for lon in (w, e) for lat in (s, n)]
        xs, ys = [p[0] for p in corners], [p[1] for p in corners]
        pad = 0.0
    else:
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        pad = PAD_M
    x0, x1, y0, y1 = min(xs) - pad, max(xs) + pad, min(ys) - pad, max(ys) + pad
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    w = max(x1 - x0, MIN_SPAN_KM * 1000, (y1 - y0) * aspect)
    h = w / aspect
    return cx - w / 2, cx + w / 2, cy - h / 2, cy + h / 2
