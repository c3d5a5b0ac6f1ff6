"""Data exports: CSV, GeoJSON and GeoPackage, one row/feature per incident shown.

CSV
    Our field names in model order (the flavour :mod:`geo.importers.csv_own` reads: ``weapons``
    ``;``-joined, ``sources`` as JSON text, dates ISO, ``longitude``/``latitude`` columns, empty
    = null), UTF-8 with a byte-order mark so spreadsheet programs pick the encoding, every
    cell quoted.

    Formula injection is neutralised as OWASP's "CSV Injection" page recommends: a text cell
    that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
    ``'``, so Excel, LibreOffice and Google Sheets show it as text instead of running it
    (``=HYPERLINK(...)`` in an article quote would otherwise become a live link).  To keep the
    file reversible, a cell of quotes followed by one of those characters (``'=x``) gets one
    more quote too; :func:`restore_cell` drops one leading ``'`` from exactly those cells.
    Every other cell is written as it is, so the project's CSV importer reads a file without
    formula-like text back to the same incidents.  Numeric fields we format
    ourselves (coordinates, precision codes, casualty figures) are numbers, not user text, and
    are written as they are: a negative longitude stays ``-3.5``.

GeoJSON
    :func:`geo.model.to_feature_collection` -- the format the project reads and writes -- plus
    foreign members ``title``, ``filters``, ``as_of`` and ``attribution`` (RFC 7946 §6.1:
    readers ignore them).

GeoPackage
    Layer ``incidents``: point geometry in EPSG:4326, unlocated incidents kept with a null
    geometry, list fields as text (``weapons`` ``;``-joined, ``sources`` JSON), dates as
    dates.  The layer description carries the title, filters, data version and attribution.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from geo.export.view import View
from geo.importers.csv_own import WEAPON_SEPARATOR
from geo.importers.csv_own import to_csv_row as csv_cells
from geo.io.spreadsheet import neutralise, restore_cell
from geo.model import Incident, to_feature_collection

COLUMNS: tuple[str, ...] = tuple(Incident.model_fields)
NUMERIC: frozenset[str] = frozenset(
    {
        "longitude",
        "latitude",
        "date_precision",
        "geo_precision",
        "killed_min",
        "killed_max",
        "injured_min",
        "injured_max",
    }
)


def write_csv(view: View, out: Path) -> None:
    with open(out, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        for inc in view.incidents():
            cells = csv_cells(inc)
            writer.writerow(
                [
                    cell if name in NUMERIC else neutralise(cell)
                    for name, cell in zip(COLUMNS, cells, strict=True)
                ]
            )


def read_csv_cells(path: Path) -> list[dict[str, str]]:
    """Our export read back: rows of restored cells by column (for checks and round trips)."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return [
            {k: (v if k in NUMERIC else restore_cell(v)) for k, v in row.items()}
            for row in csv.DictReader(fh)
        ]


def metadata(view: View) -> dict[str, Any]:
    return {
        "title": view.title,
        "marking": view.marking,
        "filters": view.filters.describe(),
        "as_of": view.as_of,
        "attribution": view.attribution(),
    }


def write_geojson(view: View, out: Path) -> None:
    doc = to_feature_collection(view.incidents())
    doc.update(metadata(view))
    Path(out).write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _arrow_type(name: str) -> Any:
    import pyarrow as pa

    if name in ("date_start", "date_end"):
        return pa.date32()
    if name in ("longitude", "latitude"):
        return pa.float64()
    if name in NUMERIC:
        return pa.int32()
    return pa.string()


def write_gpkg(view: View, out: Path) -> None:
    """Written through pyogrio's Arrow path so every column has its own type (``DATE`` for
    dates, integers that may be null, text) rather than what pandas would guess."""
    import pyarrow as pa
    import pyogrio
    import shapely

    columns: dict[str, list[Any]] = {name: [] for name in COLUMNS}
    geometry: list[bytes | None] = []
    for inc in view.incidents():
        data = inc.model_dump()
        data["weapons"] = WEAPON_SEPARATOR.join(data["weapons"])
        data["sources"] = json.dumps(
            [s.model_dump(mode="json") for s in inc.sources], ensure_ascii=False
        )
        for name in COLUMNS:
            columns[name].append(data[name])
        point = shapely.Point(inc.longitude, inc.latitude) if inc.located else None
        geometry.append(shapely.to_wkb(point) if point is not None else None)
    table = pa.table(
        {
            **{name: pa.array(values, _arrow_type(name)) for name, values in columns.items()},
            "geom": pa.array(geometry, pa.binary()),
        }
    )
    meta = metadata(view)
    description = " | ".join(
        [
            meta["title"],
            *([meta["marking"]] if meta["marking"] else []),
            "Filters: " + meta["filters"],
            "Data as of: " + (meta["as_of"] or "not stated"),
            *meta["attribution"],
        ]
    )
    out = Path(out)
    if out.exists():
        out.unlink()
    pyogrio.write_arrow(
        table,
        out,
        layer="incidents",
        driver="GPKG",
        geometry_name="geom",
        geometry_type="Point",
        crs="EPSG:4326",
        layer_options={"DESCRIPTION": description, "IDENTIFIER": "incidents"},
    )
