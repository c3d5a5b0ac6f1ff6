"""The static map snapshot: a PNG (at least 1920×1080) and an A4 landscape PDF from one drawing.

Why matplotlib and not a screenshot of the web map in headless Chromium
    It needs no browser and no display (the ``Agg`` canvas draws into memory, the PDF backend
    writes vectors), so it works on a server, in CI and on an air-gapped laptop alike; it is
    deterministic (same view -> byte-identical PNG: fonts are matplotlib's bundled DejaVu Sans,
    no timestamps or software names are written into the files); and it is fast (about a
    second).  A page screenshot would depend on the browser's version, fonts and timing.

What is drawn
    Natural Earth borders (``data/basemap/borders_region.geojson``) in a Lambert azimuthal
    equal-area projection centred on the region (so the scale bar and uncertainty circles are
    true to within a few per cent over the whole map); per located incident a pin coloured by
    weapon (several weapons: equal slices), shaped by event type and filled by outcome as the
    web map draws it (:mod:`geo.vocabulary` names each colour, shape and fill); several
    incidents at one place fanned round it clockwise from 12 o'clock, oldest first (more than
    :data:`~geo.export.snapshot.places.FAN_MAX`: one pin per kind with a ``×N`` count); a hub
    at each site with its count of attacks in range; dashed uncertainty circles for
    ``geo_precision`` >= 2 (radii of :data:`geo.mapping.plugins.incidents.UNCERTAINTY_M`);
    places too close to read apart pushed apart with a leader line to their true point; site
    labels placed where they overlap nothing; a legend of exactly what is drawn; scale bar (km);
    north arrow; an inset locator map; title, date range, headline, filters
    (``Filters.describe()``), data version and sources; the attribution (Natural Earth, the
    articles, and each imported dataset's own credit -- ACLED's when any row is ACLED's);
    and the marking, if any, in a banner at the top and bottom.

:func:`render` returns a :class:`Snapshot` whose :meth:`Snapshot.project` maps a longitude/
latitude to a pixel of the PNG, and whose ``pins`` give each incident's drawn position, so tests
can look at the pixels where the incidents are.  All text from articles and users is drawn with
``parse_math=False`` (a ``$`` in a title is a dollar sign, not TeX).

The parts, each in its own module:

============== ===============================================================================
``page``       the entry points (:func:`render`, :func:`render_a4`, ``write_png``/``write_pdf``)
               and the order the parts are drawn in; the map's extent
``layout``     the page's rectangles (banner, title, map, panel, footer)
``theme``      page sizes, colours, type and the text helpers
``projection`` the projection, the basemap and the inset's world
``places``     pin layout: places, merging, fanning, pushing apart (no drawing)
``symbols``    the pins as markers (one size table, one set of edges for map and legend)
``mapdraw``    the map: basemap, uncertainty circles, hubs, pins, counts
``labels``     site, context-site and country names, placed where they overlap nothing
``legend``     the legend of what is drawn
``panel``      the panel: inset, legend, notes
``furniture``  scale bar, north arrow, inset, title, footer, banners
``result``     :class:`Snapshot`: the figure, pin and hub pixels, the PNG and PDF bytes
============== ===============================================================================
"""

from __future__ import annotations

from geo.export.snapshot.furniture import MAX_SOURCES, footer_lines
from geo.export.snapshot.layout import Extent, Layout, layout
from geo.export.snapshot.mapdraw import MAX_CIRCLES
from geo.export.snapshot.page import (
    MIN_SPAN_KM,
    draw,
    map_extent,
    project,
    render,
    render_a4,
    write_pdf,
    write_png,
)
from geo.export.snapshot.places import FAN_MAX, MAX_RELAX, site_of
from geo.export.snapshot.projection import CRS, basemap, polygon_path, to_map, world, world_beyond
from geo.export.snapshot.result import Snapshot
from geo.export.snapshot.symbols import SHAPES, SYMBOL_SCALE
from geo.export.snapshot.theme import (
    A4_LANDSCAPE,
    FONT,
    INK,
    MUTED,
    PDF_DPI,
    PNG_DPI,
    PNG_SIZE,
    SELECTED,
)

#: the names the tests have always looked these up by
_site = site_of
_footer_lines = footer_lines

__all__ = [
    "A4_LANDSCAPE",
    "CRS",
    "FAN_MAX",
    "FONT",
    "INK",
    "MAX_CIRCLES",
    "MAX_RELAX",
    "MAX_SOURCES",
    "MIN_SPAN_KM",
    "MUTED",
    "PDF_DPI",
    "PNG_DPI",
    "PNG_SIZE",
    "SELECTED",
    "SHAPES",
    "SYMBOL_SCALE",
    "Extent",
    "Layout",
    "Snapshot",
    "basemap",
    "draw",
    "footer_lines",
    "layout",
    "map_extent",
    "polygon_path",
    "project",
    "render",
    "render_a4",
    "site_of",
    "to_map",
    "world",
    "world_beyond",
    "write_pdf",
    "write_png",
]
