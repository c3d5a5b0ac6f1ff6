"""Putting files into a store: read (``geo.importers``) → write one batch (``geo.store``).

Kept apart from both so each stays ignorant of the other: the readers know files, the stores
know tables, and this module only joins them and writes the rejects report.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from geo.extract import Extraction, extract_articles
from geo.extract.readers import read_any
from geo.importers import read_items
from geo.ingest_parallel import AVAILABLE, PARALLEL_MIN_BYTES, PreparedStream
from geo.io.spreadsheet import neutralise
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
    parallel: bool | None = None,
) -> BatchInfo:
    """Import one file as one batch; whole-file problems raise :class:`geo.errors.DataFileError`
    before anything is written.

    ``parallel``: read the file in a worker process while this one writes
    (:mod:`geo.ingest_parallel`; same result, about twice as fast on two cores).  ``None``
    decides by size: files of :data:`~geo.ingest_parallel.PARALLEL_MIN_BYTES` or more."""
    path = Path(path)
    if parallel is None:
        parallel = AVAILABLE and path.is_file() and path.stat().st_size >= PARALLEL_MIN_BYTES
    if not parallel:
        with read_items(path, fmt, today=today) as stream:
            meta = BatchMeta(
                file_name=path.name, content_sha256=file_sha256(path), format=stream.format
            )
            return store.import_batch(meta, stream, progress)
    with PreparedStream(path, fmt, today or date.today()) as prepared:
        try:
            digest = file_sha256(path)  # while the worker opens the file
        except OSError:
            prepared.wait_opened()  # its DataFileError, as read_items would have raised
            raise
        prepared.wait_opened()
        meta = BatchMeta(file_name=path.name, content_sha256=digest, format=prepared.format)
        return store.import_batch(meta, prepared, progress)


def write_rejects(rejects: Iterable[Reject], out: Path) -> int:
    """The rejects as a CSV an analyst can open safely (formula cells made inert)."""
    n = 0
    with open(out, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(REJECT_COLUMNS)
        for r in rejects:
            writer.writerow([neutralise(str(getattr(r, c))) for c in REJECT_COLUMNS])
            n += 1
    return n


def ingest_articles(
    store: Store, paths: Iterable[Path], published: date | None = None, accept: bool = False
) -> tuple[BatchInfo, Extraction, list[str]]:
    """Extract incidents from articles and store them as one batch: ``pending`` review, or
    ``accepted`` with ``accept``.  Returns the batch, the extraction, and the ids left out
    because the store already holds them (the same reading again: an incident's id comes from
    its place, dates and sources, so a stored record is never downgraded to pending).  A
    reading of an attack from another article is a new record; when it looks like a stored
    one the batch flags it (:meth:`~geo.store.base.Store.likely_duplicates`)."""
    paths = [Path(p) for p in paths]
    extraction = extract_articles(read_any(p, published) for p in paths)
    known = store.known_ids(i.id for i in extraction.incidents)
    review = "accepted" if accept else "pending"
    fresh = [i.model_copy(update={"review": review}) for i in extraction.incidents]
    skipped = [i.id for i in fresh if i.id in known]
    digest = hashlib.sha256(review.encode())
    for p in paths:
        digest.update(file_sha256(p).encode())
    meta = BatchMeta(
        file_name="articles: " + ", ".join(p.name for p in paths),
        content_sha256=digest.hexdigest(),
        format="articles",
    )
    batch = store.import_batch(meta, [i for i in fresh if i.id not in known])
    return batch, extraction, skipped
