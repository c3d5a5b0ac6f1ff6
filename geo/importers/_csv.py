"""The CSV layer every CSV format shares: encoding, delimiter, header, rows -- one at a time.

Encoding (:func:`detect_encoding`)
    A byte-order mark decides first: UTF-8 BOM -> ``utf-8-sig``; UTF-16/UTF-32 BOM -> decoded as
    UTF-16/32 (Excel's "Unicode text" export).  Without a BOM the whole file is decoded as UTF-8
    *incrementally* (1 MiB at a time, nothing kept) before any row is read; if that fails the file
    is read as Windows-1252 (cp1252) and :attr:`CsvFile.notes` says so, naming the first byte that
    is not UTF-8.  cp1252 is tried strictly too: the five bytes it leaves undefined make the file
    a :class:`~geo.errors.DataFileError`.  Nothing is ever decoded with replacement characters.
    A header with NUL bytes (UTF-16 without a BOM) is a DataFileError.

Delimiter (:func:`sniff_delimiter`)
    The header line is split with each of ``,`` ``;`` tab ``|`` (quotes respected); the one that
    gives the most columns wins, ties in that order.  A header that no delimiter splits is a
    DataFileError (no format of ours has a one-column header).

Rows (:meth:`CsvFile.records`)
    The stdlib :mod:`csv` reader (``strict=True``) over the open text file: one record in memory
    at a time, quoted fields may hold delimiters, quotes and newlines.  Row numbers are the ones
    a spreadsheet shows: the header is row 1, the first record row 2, a record with embedded
    newlines is still one row.  Blank lines and rows whose every field is empty carry nothing and
    are skipped (they still count for numbering).  A row with more or fewer fields than the
    header, a NUL byte in any field, or a quoting error on one line becomes a :class:`Reject`
    with field ``"(row)"``.  A quote that never closes (the reader runs to the end of the file or
    past :func:`csv.field_size_limit`) is a DataFileError: every later row would be misread.

Empty files
    A file of zero bytes, or with no header line, is a DataFileError ("empty file").  A header
    with no rows gives zero items: an export with no events in it is a valid answer.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from geo.errors import DataFileError
from geo.store.base import Reject

#: candidate delimiters, in tie-break order, with the names messages use
DELIMITERS: dict[str, str] = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}

#: byte-order marks, longest first (the UTF-32 LE mark starts with the UTF-16 LE one)
BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32 (byte-order mark)"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32 (byte-order mark)"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8 with a byte-order mark"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16 (byte-order mark)"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16 (byte-order mark)"),
)
CHUNK = 1 << 20
ROW_FIELD = "(row)"


def _scan(path: Path, encoding: str) -> tuple[int, int] | None:
    """Decode the whole file incrementally; ``None`` if it decodes, else (byte offset, byte)."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    done = 0
    with open(path, "rb") as fh:
        while True:
            chunk = fh.read(CHUNK)
            final = not chunk
            try:
                decoder.decode(chunk, final=final)
            except UnicodeDecodeError as exc:
                pending = len(exc.object) - len(chunk)
                offset = done - pending + exc.start
                return offset, exc.object[exc.start]
            if final:
                return None
            done += len(chunk)


def detect_encoding(path: Path) -> tuple[str, str | None]:
    """``(encoding, note)``: the codec to read ``path`` with, and a note when it is not UTF-8."""
    with open(path, "rb") as fh:
        head = fh.read(4)
    for bom, encoding, label in BOMS:
        if head.startswith(bom):
            bad = _scan(path, encoding)
            if bad:
                raise DataFileError(
                    str(path),
                    f"starts with a {label} but byte 0x{bad[1]:02x} at offset {bad[0]} "
                    f"does not decode as {encoding}",
                )
            return encoding, None if encoding == "utf-8-sig" else f"read as {label}"
    bad = _scan(path, "utf-8")
    if bad is None:
        return "utf-8", None
    bad_cp = _scan(path, "cp1252")
    if bad_cp is not None:
        raise DataFileError(
            str(path),
            f"neither UTF-8 (byte 0x{bad[1]:02x} at offset {bad[0]}) nor Windows-1252 "
            f"(byte 0x{bad_cp[1]:02x} at offset {bad_cp[0]} is undefined there); "
            "save it as UTF-8",
        )
    return "cp1252", (
        f"not valid UTF-8 (byte 0x{bad[1]:02x} at offset {bad[0]}): read as Windows-1252 "
        "(cp1252); check accented names"
    )


def sniff_delimiter(path: Path, header_line: str) -> str:
    """The delimiter that splits the header line into the most columns."""
    best, best_n = "", 1
    for delim in DELIMITERS:
        try:
            n = len(next(csv.reader([header_line], delimiter=delim), []))
        except csv.Error as exc:  # e.g. a header field longer than csv.field_size_limit()
            raise DataFileError(str(path), f"the header row is not valid CSV: {exc}", 1) from None
        if n > best_n:
            best, best_n = delim, n
    if not best:
        raise DataFileError(
            str(path),
            "cannot find the delimiter: the header line has no comma, semicolon, tab or pipe "
            "outside quotes",
            1,
        )
    return best


@dataclass
class CsvFile:
    """An opened CSV file: how to read it and its header.  Rows come from :meth:`records`."""

    path: Path
    encoding: str
    delimiter: str
    header: list[str]
    notes: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.path.name

    def describe(self) -> str:
        return f"{self.encoding}, {DELIMITERS[self.delimiter]}-delimited"

    def records(self) -> Iterator[tuple[int, dict[str, str]] | Reject]:
        """``(row number, {column: text})`` per data row, or a :class:`Reject` for a broken row."""
        width = len(self.header)
        header = self.header
        with open(self.path, encoding=self.encoding, newline="", errors="strict") as fh:
            reader = csv.reader(fh, delimiter=self.delimiter, strict=True)
            try:
                next(reader)  # the header, read by open_csv
                n = 1
                while True:
                    try:
                        values = next(reader)
                    except StopIteration:
                        return
                    except csv.Error as exc:
                        n += 1
                        msg = str(exc)
                        if "field limit" in msg or "unexpected end of data" in msg:
                            what = (
                                "a field is longer than that, or a quoted field never closes"
                                if "field limit" in msg
                                else "a quoted field never closes"
                            )
                            raise DataFileError(
                                str(self.path),
                                f"row {n}: {msg}: {what}, so no row after it can be read reliably",
                                reader.line_num,
                            ) from None
                        yield Reject(self.name, n, ROW_FIELD, "", f"not valid CSV: {msg}")
                        continue
                    n += 1
                    if not any(values):
                        continue
                    if len(values) != width:
                        yield Reject(
                            self.name,
                            n,
                            ROW_FIELD,
                            _preview(values, self.delimiter),
                            f"has {len(values)} fields, the header has {width}",
                        )
                        continue
                    if "\x00" in "".join(values):
                        yield Reject(
                            self.name,
                            n,
                            ROW_FIELD,
                            _preview(values, self.delimiter).replace("\x00", "\\0"),
                            "contains a NUL byte (a binary or UTF-16 file?)",
                        )
                        continue
                    yield n, dict(zip(header, values, strict=True))
            except UnicodeDecodeError as exc:  # the file changed since it was scanned
                raise DataFileError(str(self.path), f"cannot decode: {exc}") from None


def _preview(values: list[str], delimiter: str) -> str:
    from geo.importers._checks import text

    return text(delimiter.join(values))


def read_header_line(path: Path, encoding: str) -> str:
    with open(path, encoding=encoding, newline="") as fh:
        return fh.readline()


def open_csv(path: Path) -> CsvFile:
    """Detect encoding and delimiter, read the header; raise DataFileError for a bad file."""
    path = Path(path)
    try:
        if path.stat().st_size == 0:
            raise DataFileError(str(path), "empty file: no header row")
        encoding, note = detect_encoding(path)
        first = read_header_line(path, encoding)
    except OSError as exc:
        raise DataFileError(str(path), f"cannot read: {exc.strerror or exc}") from None
    if not first.strip():
        raise DataFileError(str(path), "empty file: no header row", 1)
    if "\x00" in first:
        raise DataFileError(
            str(path),
            "the header line contains NUL bytes: UTF-16 without a byte-order mark? "
            "save it as UTF-8",
            1,
        )
    delimiter = sniff_delimiter(path, first)
    with open(path, encoding=encoding, newline="") as fh:
        try:
            header = next(csv.reader(fh, delimiter=delimiter, strict=True))
        except csv.Error as exc:
            raise DataFileError(str(path), f"the header row is not valid CSV: {exc}", 1) from None
    header = [h.strip() for h in header]
    seen: set[str] = set()
    for h in header:
        if h in seen:
            raise DataFileError(str(path), f"column {h!r} appears twice in the header", 1)
        seen.add(h)
    return CsvFile(path, encoding, delimiter, header, [note] if note else [])


def peek_header(path: Path, limit: int = 1 << 16) -> list[str]:
    """The header's column names from the file's first ``limit`` bytes (for format sniffing;
    no full encoding scan).  Raises DataFileError like :func:`open_csv`."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(limit)
    except OSError as exc:
        raise DataFileError(str(path), f"cannot read: {exc.strerror or exc}") from None
    encoding = next((enc for bom, enc, _ in BOMS if head.startswith(bom)), None)
    if encoding is None:
        encoding = "utf-8"
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 3:  # not just a character cut at the end of the prefix
                encoding = "cp1252"
    line = head.decode(encoding, errors="ignore").splitlines()
    first = line[0] if line else ""
    if not first.strip():
        raise DataFileError(str(path), "empty file: no header row", 1)
    if "\x00" in first:
        raise DataFileError(
            str(path), "the header line contains NUL bytes: UTF-16 without a byte-order mark?", 1
        )
    delimiter = sniff_delimiter(path, first)
    try:
        return [h.strip() for h in next(csv.reader([first], delimiter=delimiter))]
    except csv.Error as exc:
        raise DataFileError(str(path), f"the header row is not valid CSV: {exc}", 1) from None
