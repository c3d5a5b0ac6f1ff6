"""Readers that turn a file into a stream of :class:`~geo.model.Incident` | ``Reject``.

Nothing offered is lost: every data row of a file comes out as exactly one item -- an incident,
or a :class:`~geo.store.base.Reject` naming file, row, field, value and reason.  Whole-file
problems (unreadable, undecodable, not the format it claims, no header, broken quoting) raise
:class:`~geo.errors.DataFileError`; nothing else escapes for a bad row.

Formats are data: :data:`FORMATS` maps a name to a :class:`Format` (extensions, the header
columns that identify it, its reader), in the manner of datasette's output renderers;
:func:`register_format` adds one.  :func:`sniff_format` picks one by extension and header, and
:func:`read_items` streams a file's items in bounded memory (one row in memory at a time).

============  =====================================================  ====================
name          what                                                    identified by
============  =====================================================  ====================
``acled``     ACLED export CSV (:mod:`geo.importers.acled`)           ``event_id_cnty``
``ucdp``      UCDP GED CSV (:mod:`geo.importers.ucdp`)                ``where_prec``,
                                                                      ``date_prec``
``csv``       our CSV, one column per field (:mod:`.csv_own`)         our field names
``geojson``   our GeoJSON FeatureCollection (:mod:`.geojson`)         ``.geojson``/``.json``
============  =====================================================  ====================

The CSV layer (encodings, delimiters, row numbers, ragged rows) is described in
:mod:`geo.importers._csv`; the checks every format shares in :mod:`geo.importers._checks`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from geo.errors import DataFileError
from geo.importers import acled, csv_own, geojson, ucdp
from geo.importers._base import Format, Item, ItemStream, ReadContext
from geo.importers._csv import CsvFile, open_csv, peek_header
from geo.importers.acled import ACLED_ATTRIBUTION
from geo.importers.csv_own import write_csv
from geo.importers.ucdp import UCDP_ATTRIBUTION

__all__ = [
    "ACLED_ATTRIBUTION",
    "FORMATS",
    "UCDP_ATTRIBUTION",
    "CsvFile",
    "Format",
    "Item",
    "ItemStream",
    "ReadContext",
    "read_items",
    "register_format",
    "sniff_format",
    "write_csv",
]

#: every format we read, by name (see the module docstring)
FORMATS: dict[str, Format] = {}


def register_format(fmt: Format) -> Format:
    """Add (or replace) a format; returns it so it can be used as ``FORMAT = register_format(...)``."""
    FORMATS[fmt.name] = fmt
    return fmt


for _fmt in (acled.FORMAT, ucdp.FORMAT, csv_own.FORMAT, geojson.FORMAT):
    register_format(_fmt)


def _by_extension(path: Path) -> list[Format]:
    ext = path.suffix.lower()
    found = [f for f in FORMATS.values() if ext in f.extensions]
    if not found:
        known = sorted({e for f in FORMATS.values() for e in f.extensions})
        raise DataFileError(
            str(path),
            f"cannot tell the format: the extension {ext or '(none)'!r} is not one of "
            f"{', '.join(known)}; name the format ({', '.join(FORMATS)})",
        )
    return found


def _by_header(path: Path, candidates: list[Format], header: list[str]) -> Format:
    columns = set(header)
    matches = [f for f in candidates if f.signature is not None and f.signature <= columns]
    if len(matches) == 1:
        return matches[0]
    wanted = "; ".join(
        f"{f.name} needs {', '.join(sorted(f.signature))}"
        for f in candidates
        if f.signature is not None
    )
    if not matches:
        shown = ", ".join(header[:12]) + (", ..." if len(header) > 12 else "")
        raise DataFileError(
            str(path), f"cannot tell the format from the header ({shown}): {wanted}", 1
        )
    raise DataFileError(
        str(path),
        f"the header fits several formats ({', '.join(f.name for f in matches)}); name the format",
        1,
    )


def sniff_format(path: str | Path) -> str:
    """The format name for ``path``, by extension and (for CSV) header columns.

    ``.geojson``/``.json`` -> ``geojson``; ``.csv``/``.tsv``/``.txt`` -> the CSV format whose
    identifying columns the header has.  Raises DataFileError when it cannot tell."""
    path = Path(path)
    candidates = _by_extension(path)
    unsigned = [f for f in candidates if f.signature is None]
    if len(candidates) == 1 or (unsigned and len(unsigned) == len(candidates)):
        return candidates[0].name
    return _by_header(path, candidates, peek_header(path)).name


def read_items(
    path: str | Path, fmt: str | None = None, *, today: date | None = None
) -> ItemStream:
    """The items of ``path`` (format ``fmt``, or sniffed), one at a time.

    ``today`` is the date nothing may lie after (default: :meth:`date.today`).  The file is
    opened here, so whole-file problems found up front (unknown format, empty file, encoding,
    missing columns) raise DataFileError from this call; problems found later (a quote that never
    closes, JSON broken half-way) raise it from the iteration.  The returned
    :class:`ItemStream` also tells the encoding, delimiter and any notes (e.g. cp1252 fallback).
    """
    path = Path(path)
    ctx = ReadContext(path=path, today=today or date.today())
    if not path.is_file():
        raise DataFileError(str(path), "no such file")
    if fmt is None:
        candidates = _by_extension(path)
        if all(f.signature is None for f in candidates) or len(candidates) == 1:
            chosen = candidates[0]
        else:
            ctx.csv = open_csv(path)
            chosen = _by_header(path, candidates, ctx.csv.header)
    else:
        if fmt not in FORMATS:
            raise DataFileError(
                str(path), f"unknown format {fmt!r}: expected one of {', '.join(FORMATS)}"
            )
        chosen = FORMATS[fmt]
    return ItemStream(ctx, chosen.name, chosen.read(ctx))
