"""Running one case of the corpus and checking where it ended."""

from __future__ import annotations

import csv
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from geo.errors import AtlasError, DataFileError
from geo.ingest import import_file, ingest_articles, write_rejects
from geo.io.spreadsheet import FORMULA_START, neutralise
from geo.model import Incident
from geo.store import Store
from geo.store.base import Reject
from tests.corpus.cases import (
    ARTICLE_DATE,
    TALLY,
    TODAY,
    Case,
)

# --- running one case -------------------------------------------------------------------------


def table_counts(store_path: Path) -> tuple[int, int, int]:
    """(incidents, rejects, batches) in an embedded store, counted with our own SQL."""
    con = sqlite3.connect(store_path)
    try:
        return tuple(  # type: ignore[return-value]
            con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("incidents", "rejects", "batches")
        )
    finally:
        con.close()


def resolve(inc: Incident, path: str) -> Any:
    value: Any = inc
    for part in path.split("."):
        value = value[int(part)] if part.isdigit() else getattr(value, part)
    return value


def assert_reject_complete(r: Reject, file: str) -> None:
    assert r.file == file, r
    assert isinstance(r.row, int) and r.row >= 1, r
    assert isinstance(r.field, str) and r.field, r
    assert isinstance(r.value, str), r
    assert isinstance(r.reason, str) and len(r.reason) > 5, r


def assert_report_is_inert(rejects: list[Reject], out: Path) -> None:
    """The rejects CSV: one row per reject, every cell as the reject had it but neutralised."""
    write_rejects(rejects, out)
    with open(out, encoding="utf-8", newline="") as fh:
        table = list(csv.reader(fh))
    assert len(table) == len(rejects) + 1
    for r, cells in zip(rejects, table[1:], strict=True):
        want = [neutralise(str(v)) for v in (r.file, r.row, r.field, r.value, r.reason)]
        assert cells == want
        assert not any(c.startswith(FORMULA_START) for c in cells), cells


@dataclass
class Outcome:
    kind: str  # "file error" | "rows"
    read: int = 0
    stored: int = 0
    rejected: int = 0
    duplicates: int = 0
    revised: int = 0
    message: str = ""


def run_import(case: Case, store: Store, counts: Callable[[], tuple[int, int, int]], folder: Path) -> Outcome:  # fmt: skip
    path = folder / case.filename
    case.write(path)
    before = counts()
    try:
        if case.fmt == "article":
            batch, extraction, known = ingest_articles(store, [path], published=case.published)
        else:
            batch = import_file(store, path, case.fmt_arg, today=TODAY)
    except DataFileError as exc:
        assert counts() == before, "a file error must leave the store as it was"
        message = str(exc)
        assert str(path) in message, f"the message does not name the file: {message}"
        if case.error is None and not case.either:
            pytest.fail(f"{case.name}: unexpected file error: {message}")
        if case.error is not None:
            assert re.search(case.error, message), f"{message!r} !~ {case.error!r}"
        return Outcome("file error", message=message)
    except AtlasError as exc:
        TALLY["crashes"] += 1
        pytest.fail(f"{case.name}: {type(exc).__name__} is not a DataFileError: {exc}")
    except Exception as exc:
        TALLY["crashes"] += 1
        pytest.fail(f"{case.name}: {type(exc).__name__} escaped: {exc}")
    if case.error is not None:
        pytest.fail(f"{case.name}: expected a file error matching {case.error!r}, got {batch}")
    after = counts()
    accounted = batch.stored + batch.revised + batch.duplicates + batch.rejected
    assert accounted == batch.read, batch
    assert after[0] == before[0] + batch.stored, "the store did not grow by what it stored"
    assert after[1] == before[1] + batch.rejected and after[2] == before[2] + 1
    rejects = store.rejects(batch.id)
    assert len(rejects) == batch.rejected
    for r in rejects:
        assert_reject_complete(r, batch.file_name if case.fmt == "article" else path.name)
    assert_report_is_inert(rejects, folder / f"rejects-{case.name[:3]}.csv")
    if case.fmt == "article":
        offered = len(extraction.incidents)
        assert batch.read + len(known) == offered
        text = path.read_text(encoding="utf-8")
        quotes = [s.quote for i in extraction.incidents for s in i.sources]
        for q in quotes:  # verbatim sentences of the article, never altered
            assert q in text or q in _html_text(path), q
        for want in case.quotes:
            assert want in quotes, f"no stored quote is {want!r}: {quotes}"
            assert any(want in s.quote for i in store.incidents() for s in i.sources)
    elif not case.either:
        assert batch.read == case.offered, f"read {batch.read} of {case.offered} rows offered"
        check_rows(case, store, rejects)
    return Outcome(
        "rows",
        read=batch.read,
        stored=batch.stored,
        rejected=batch.rejected,
        duplicates=batch.duplicates,
        revised=batch.revised,
    )


def _html_text(path: Path) -> str:
    from geo.extract.readers import read_any

    return read_any(path, ARTICLE_DATE).text


def check_rows(case: Case, store: Store, rejects: list[Reject]) -> None:
    by_row = {r.row: r for r in rejects}
    assert len(by_row) == len(rejects), f"two rejects for one row: {rejects}"
    must = {e.row for e in case.rows if e.kind == "rejected"}
    may = {e.row for e in case.rows if e.kind == "any"}
    assert must <= set(by_row) <= must | may, f"rejected rows {sorted(by_row)}, expected {sorted(must)}: {rejects}"  # fmt: skip
    for e in case.rows:
        if e.kind == "rejected":
            r = by_row[e.row]
            assert re.fullmatch(e.field, r.field) or re.match(e.field, r.field), (e, r)
            assert re.search(e.reason, r.reason), (e, r)
        elif e.kind == "stored":
            assert e.row not in by_row, by_row[e.row]
            inc = store.get(e.id or "")
            for path, text in e.same:
                got, want = resolve(inc, path), text() if callable(text) else text
                assert got == want, f"{path}: stored {got[:200]!r}, offered {want[:200]!r}"
