"""Briefing exports: one registry of exporters keyed by format (datasette ``renderer.py`` style).

Every exporter is ``write(view, out) -> None``: it takes a :class:`~geo.export.view.View` (what
the screen shows: the filtered frame, the one :class:`~geo.query.Filters` value, title, marking,
data version, selected sites) and writes one file.  :func:`export` is the single entry point
the CLI, the app's download panel and the tests use; :data:`FORMATS` lists what there is.

===========  =================================================================================
format       what
===========  =================================================================================
``png``      static map snapshot, 1920×1080 (:mod:`geo.export.snapshot`, matplotlib)
``pdf``      the same drawing on an A4 landscape page, vector (:mod:`geo.export.snapshot`)
``pptx``     slides: title, map, per-site table, incidents, sources (:mod:`geo.export.pptx`)
``html``     the interactive map as one offline file (:mod:`geo.export.interactive`)
``csv``      one row per incident, formula injection neutralised (:mod:`geo.export.tabular`)
``geojson``  FeatureCollection of our features (:mod:`geo.export.tabular`)
``kml``      Google Earth placemarks, styled per weapon (:mod:`geo.export.kml`)
``gpkg``     GeoPackage layer ``incidents`` for QGIS (:mod:`geo.export.tabular`)
===========  =================================================================================

Exporters are loaded on first use, so importing this package (or ``python -m geo``) does not
import matplotlib or python-pptx.  :func:`register` adds or replaces a format.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from geo.errors import NotFoundError
from geo.export.filenames import safe_filename
from geo.export.view import View, data_version

Writer = Callable[[View, Path], None]


@dataclass(frozen=True)
class Exporter:
    """One format: its name, file extension, media type, a label for buttons, and its writer
    (``"module:function"``, imported on first use)."""

    format: str
    extension: str
    media_type: str
    label: str
    target: str

    @property
    def write(self) -> Writer:
        module, _, name = self.target.partition(":")
        return getattr(importlib.import_module(module), name)


#: every format, in the order buttons and help list them
FORMATS: dict[str, Exporter] = {}


def register(exporter: Exporter) -> Exporter:
    FORMATS[exporter.format] = exporter
    return exporter


for _e in (
    Exporter("png", ".png", "image/png", "Map image (PNG)", "geo.export.snapshot:write_png"),
    Exporter("pdf", ".pdf", "application/pdf", "Map page (PDF)", "geo.export.snapshot:write_pdf"),
    Exporter(
        "pptx",
        ".pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "Slides (PPTX)",
        "geo.export.pptx:write_pptx",
    ),
    Exporter("html", ".html", "text/html", "Web map (HTML)", "geo.export.interactive:write_html"),
    Exporter("csv", ".csv", "text/csv", "Table (CSV)", "geo.export.tabular:write_csv"),
    Exporter(
        "geojson", ".geojson", "application/geo+json", "GeoJSON", "geo.export.tabular:write_geojson"
    ),
    Exporter(
        "kml",
        ".kml",
        "application/vnd.google-earth.kml+xml",
        "Google Earth (KML)",
        "geo.export.kml:write_kml",
    ),
    Exporter(
        "gpkg",
        ".gpkg",
        "application/geopackage+sqlite3",
        "GeoPackage (GPKG)",
        "geo.export.tabular:write_gpkg",
    ),
):
    register(_e)


class UnknownFormat(NotFoundError):
    def __init__(self, fmt: str) -> None:
        super().__init__(f"unknown export format {fmt!r}: expected one of {', '.join(FORMATS)}")


def export(fmt: str, view: View, out: Path) -> Path:
    """Write ``view`` as ``fmt`` to ``out``; returns ``out``."""
    try:
        exporter = FORMATS[fmt]
    except KeyError:
        raise UnknownFormat(fmt) from None
    out = Path(out)
    exporter.write(view, out)
    return out


def export_bytes(fmt: str, view: View) -> bytes:
    """The file ``fmt`` would write, as bytes (for download buttons)."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="atlas-export-") as tmp:
        path = Path(tmp) / ("export" + FORMATS[fmt].extension if fmt in FORMATS else "export")
        export(fmt, view, path)
        return path.read_bytes()


__all__ = [
    "FORMATS",
    "Exporter",
    "UnknownFormat",
    "View",
    "data_version",
    "export",
    "export_bytes",
    "register",
    "safe_filename",
]
