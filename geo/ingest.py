"""Putting files into a store: read (``geo.importers``) → write one batch (``geo.store``).

Kept apart from both so each stays ignorant of the other: the readers know files, the stores
know tables, and this module only joins them and writes the rejects report.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from geo.importers import read_items
from geo.io.spreadsheet import neutralize
from geo.store import BatchInfo, BatchMeta, Reject, Store, file_sha256
from geo.store.base import Progress

REJECT_COLUMNS = ("file", "row", "field", "value", "reason")


def import_file(
    store: Store,
    path: Path,
    fmt: str | None = None,
    *,
    progress: Progress | None = None,
    today: date | None = None,
) -> BatchInfo:
    """Import one file as one batch; whole-file problems raise :class:`geo.errors.DataFileError`
    before anything is written."""
    path = Path(path)
    stream = read_items(path, fmt, today=today)
    meta = BatchMeta(file_name=path.name, content_sha256=file_sha256(path), format=stream.format)
    return store.import_batch(meta, stream, progress)


def write_rejects(rejects: Iterable[Reject], out: Path) -> int:
    """The rejects as a CSV an analyst can open safely (formula cells made inert)."""
    n = 0
    with open(out, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(REJECT_COLUMNS)
        for r in rejects:
            writer.writerow([neutralize(str(getattr(r, c))) for c in REJECT_COLUMNS])
            n += 1
    return n
