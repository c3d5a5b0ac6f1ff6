"""What a format is, and what a reader gets: the pieces the registry in ``__init__`` holds."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from geo.importers._checks import RowProblem
from geo.importers._csv import CsvFile
from geo.model import Incident
from geo.store.base import Reject

Item = Incident | Reject

log = logging.getLogger("geo.importers")


@dataclass
class ReadContext:
    """One read of one file: where, as of when, and what the reader noticed on the way."""

    path: Path
    today: date
    #: the opened CSV when sniffing already opened it (saves a second encoding scan)
    csv: CsvFile | None = None
    encoding: str | None = None
    delimiter: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def file(self) -> str:
        """The file name rejects carry."""
        return self.path.name

    def record(self, row: int) -> str:
        return f"{self.file} row {row}"

    def note(self, message: str) -> None:
        """Something the user should hear about (e.g. the cp1252 fallback); also logged."""
        self.notes.append(message)
        log.warning("%s: %s", self.path, message)


#: a reader: opens the file eagerly (whole-file problems raise DataFileError at once) and returns
#: the lazy stream of items
Reader = Callable[[ReadContext], Iterator[Item]]


@dataclass(frozen=True)
class Format:
    """One importable format (an entry of :data:`geo.importers.FORMATS`).

    ``extensions``: lower-case file suffixes it may have.  ``signature``: header columns that
    all must be present for :func:`geo.importers.sniff_format` to pick it among the CSV formats
    (``None``: the extension alone decides).  ``read``: see :data:`Reader`.
    """

    name: str
    description: str
    extensions: tuple[str, ...]
    signature: frozenset[str] | None
    read: Reader


class ItemStream(Iterator[Item]):
    """The items of one file, one at a time, with what was learnt about the file.

    ``format``, ``encoding`` and ``delimiter`` (CSV formats), and ``notes``: messages the user
    should see, such as "not valid UTF-8: read as Windows-1252".
    """

    def __init__(self, ctx: ReadContext, fmt: str, items: Iterator[Item]) -> None:
        self._ctx = ctx
        self.format = fmt
        self._items = items

    @property
    def path(self) -> Path:
        return self._ctx.path

    @property
    def encoding(self) -> str | None:
        return self._ctx.encoding

    @property
    def delimiter(self) -> str | None:
        return self._ctx.delimiter

    @property
    def notes(self) -> list[str]:
        return self._ctx.notes

    def __iter__(self) -> Iterator[Item]:
        return self._items  # the items themselves: no method call per item in a for loop

    def __next__(self) -> Item:
        return next(self._items)

    def close(self) -> None:
        close = getattr(self._items, "close", None)
        if close:
            close()

    def __enter__(self) -> ItemStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def csv_items(
    ctx: ReadContext,
    csvfile: CsvFile,
    convert: Callable[[int, dict[str, str]], Incident | None],
) -> Iterator[Item]:
    """Drive ``convert`` over the rows of ``csvfile``: broken rows and :class:`RowProblem` become
    rejects; ``convert`` returning ``None`` means "not an event row" (e.g. UCDP's HXL row)."""
    for rec in csvfile.records():
        if isinstance(rec, Reject):
            yield rec
            continue
        n, row = rec
        try:
            inc = convert(n, row)
        except RowProblem as problem:
            yield problem.reject(ctx.file, n)
            continue
        if inc is not None:
            yield inc


def open_csv_for(
    ctx: ReadContext, required: frozenset[str] | tuple[str, ...], what: str
) -> CsvFile:
    """The context's CSV (opening it if sniffing did not), checked for ``required`` columns."""
    from geo.errors import DataFileError
    from geo.importers._csv import open_csv

    csvfile = ctx.csv or open_csv(ctx.path)
    ctx.csv = csvfile
    ctx.encoding, ctx.delimiter = csvfile.encoding, csvfile.delimiter
    for note in csvfile.notes:
        if note not in ctx.notes:
            ctx.note(note)
    missing = [c for c in required if c not in csvfile.header]
    if missing:
        raise DataFileError(
            str(ctx.path),
            f"not a {what} file: the header lacks {', '.join(missing)}",
            1,
        )
    return csvfile
