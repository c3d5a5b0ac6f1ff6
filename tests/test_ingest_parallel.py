"""Importing through the reading process (:mod:`geo.ingest_parallel`) gives exactly what the
one-process import gives: the same rows, hashes, rejects and counts, the same errors at the same
moments, and nothing written or left running when something fails or the importer is killed."""

from __future__ import annotations

import csv
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from geo.errors import AtlasError, DataFileError
from geo.importers.acled import COLUMNS
from geo.importers.synth_acled import write_acled_csv
from geo.ingest import import_file
from geo.ingest_parallel import PreparedStream
from geo.paths import ROOT
from geo.store import BatchMeta, file_sha256, open_store
from geo.store.base import Reject
from geo.store.rows import DumpedIncident, PreparedRow

TODAY = date(2026, 1, 1)


@pytest.fixture(scope="module")
def acled_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Spoiled rows of every kind, and an id repeated with other values (a conflict)."""
    path = tmp_path_factory.mktemp("par") / "acled.csv"
    write_acled_csv(path, 2500, seed=4, date_style="long", bad_rate=0.1)
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    conflict = list(rows[5])
    conflict[COLUMNS.index("notes")] += " Revised."
    with open(path, "a", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([rows[3], conflict])  # a duplicate, then a conflict
    return path


def contents(db: Path) -> dict[str, Any]:
    """Everything an import wrote, but the times."""
    with sqlite3.connect(db) as conn:
        return {
            "incidents": conn.execute("SELECT * FROM incidents ORDER BY rowid").fetchall(),
            "rejects": conn.execute("SELECT * FROM rejects ORDER BY id").fetchall(),
            "batches": conn.execute(
                "SELECT id, file_name, content_sha256, format, read, stored, revised, duplicates,"
                " rejected FROM batches ORDER BY id"
            ).fetchall(),
        }


def import_twice(path: Path, db: Path, **kw: Any) -> dict[str, Any]:
    store = open_store(str(db), bundled=False)
    try:
        for _ in range(2):  # the second time: every row a duplicate or a reject
            import_file(store, path, today=TODAY, **kw)
    finally:
        store.close()
    return contents(db)


def test_the_same_store_either_way(acled_file: Path, tmp_path: Path) -> None:
    one = import_twice(acled_file, tmp_path / "one.sqlite", parallel=False)
    two = import_twice(acled_file, tmp_path / "two.sqlite", parallel=True)
    assert one == two
    first, second = one["batches"]
    assert first[4] == 2502 and first[7] == 1 and first[5] + first[7] + first[8] == 2502
    assert second[5] == 0 and second[7] == first[5] + 1


@pytest.mark.parametrize("share", [0.0, 0.5, 1.0])
def test_whoever_makes_the_rows_they_are_the_same(
    acled_file: Path, tmp_path: Path, share: float
) -> None:
    """The worker makes none, half or all of the rows itself: the store cannot tell."""
    one = import_twice(acled_file, tmp_path / "one.sqlite", parallel=False)
    db = tmp_path / "two.sqlite"
    store = open_store(str(db), bundled=False)
    kinds: set[type] = set()
    try:
        for _ in range(2):
            with PreparedStream(acled_file, None, TODAY, chunk=300, share=share) as stream:
                meta = BatchMeta(acled_file.name, file_sha256(acled_file), "acled")

                def noting(items: Any) -> Any:
                    for item in items:
                        kinds.add(type(item))
                        yield item

                store.import_batch(meta, noting(stream))
    finally:
        store.close()
    assert contents(db) == one
    made_here = {0.0: {DumpedIncident}, 0.5: {DumpedIncident, PreparedRow}, 1.0: {PreparedRow}}
    assert kinds == made_here[share] | {Reject}


def test_a_file_imported_one_way_is_a_duplicate_the_other_way(
    acled_file: Path, tmp_path: Path
) -> None:
    store = open_store(str(tmp_path / "s.sqlite"), bundled=False)
    try:
        first = import_file(store, acled_file, today=TODAY, parallel=False)
        second = import_file(store, acled_file, today=TODAY, parallel=True)
        third = import_file(store, acled_file, today=TODAY, parallel=False)
    finally:
        store.close()
    assert second.stored == third.stored == 0 and second.revised == third.revised == 0
    assert second.duplicates == third.duplicates == first.stored + 1


def test_whole_file_problems_raise_before_a_batch_starts(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "s.sqlite"), bundled=False)
    try:
        for name, content, match in [
            ("empty.csv", "", "empty file"),
            ("other.csv", "a,b,c\n1,2,3\n", "cannot tell the format"),
        ]:
            path = tmp_path / name
            path.write_text(content, encoding="utf-8")
            with pytest.raises(DataFileError, match=match) as seq:
                import_file(store, path, parallel=False)
            with pytest.raises(DataFileError, match=match) as par:
                import_file(store, path, parallel=True)
            assert str(par.value) == str(seq.value)
            assert (par.value.path, par.value.reason, par.value.line) == (
                seq.value.path,
                seq.value.reason,
                seq.value.line,
            )
        with pytest.raises(DataFileError, match="no such file"):
            import_file(store, tmp_path / "missing.csv", parallel=True)
        assert store.batches() == []
    finally:
        store.close()


def test_a_problem_found_half_way_rolls_the_batch_back(acled_file: Path, tmp_path: Path) -> None:
    path = tmp_path / "broken.csv"
    path.write_bytes(acled_file.read_bytes() + b'IRQ9,"never closed\n')
    store = open_store(str(tmp_path / "s.sqlite"), bundled=False)
    try:
        with pytest.raises(DataFileError, match="never closes") as seq:
            import_file(store, path, today=TODAY, parallel=False)
        with pytest.raises(DataFileError, match="never closes") as par:
            import_file(store, path, today=TODAY, parallel=True)
        assert str(par.value) == str(seq.value)
        assert store.batches() == [] and store.frame().empty
    finally:
        store.close()


def test_notes_are_the_same(tmp_path: Path) -> None:
    path = tmp_path / "cp1252.csv"
    write_acled_csv(path, 50, seed=1)
    text = (
        path.read_text(encoding="utf-8").replace("Ramadi", "Ramâdi").replace("Mosul", "Mossoul é")
    )
    path.write_bytes(text.encode("cp1252"))
    with PreparedStream(path, None, TODAY) as stream:
        stream.wait_opened()
        items = list(stream)
    from geo.importers import read_items

    with read_items(path, today=TODAY) as plain:
        expected = list(plain)
        assert stream.notes == plain.notes and plain.notes
        assert (stream.format, stream.encoding, stream.delimiter) == (
            plain.format,
            plain.encoding,
            plain.delimiter,
        )
    assert len(items) == len(expected) == 50


def test_closing_early_stops_the_worker(acled_file: Path) -> None:
    stream = PreparedStream(acled_file, None, TODAY, chunk=100)
    with stream:
        for _, _item in zip(range(150), stream, strict=False):
            pass
    assert stream._proc.returncode is not None  # stopped (or done) and reaped
    with pytest.raises(OSError):
        stream._conn.recv_bytes()  # the pipe is released


def test_a_worker_that_dies_is_an_error(acled_file: Path) -> None:
    with PreparedStream(acled_file, None, TODAY, chunk=100) as stream:
        stream.wait_opened()
        stream._proc.kill()
        with pytest.raises(AtlasError, match="stopped unexpectedly"):
            for _item in stream:
                pass


#: imports argv[1] into the store at argv[2] through the worker; prints the worker's pid and
#: "inside" after the first chunk, then waits for a line on stdin (holding the transaction open)
KILLED = r"""
import sys
from datetime import date
from pathlib import Path
from geo import ingest_parallel
from geo.ingest import import_file
from geo.store import open_store

started = []
class Spy(ingest_parallel.PreparedStream):
    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        started.append(self._proc.pid)
ingest_parallel.PreparedStream = Spy
import geo.ingest
geo.ingest.PreparedStream = Spy

def progress(done):
    print("worker", started[0], flush=True)
    print("inside", flush=True)
    sys.stdin.readline()

store = open_store(sys.argv[2], bundled=False)
import_file(store, Path(sys.argv[1]), today=date(2026, 1, 1), progress=progress, parallel=True)
print("done", flush=True)
"""


def test_killing_the_importer_leaves_the_store_and_stops_the_worker(tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    write_acled_csv(big, 20_000, seed=9)
    db = tmp_path / "s.sqlite"
    store = open_store(str(db), bundled=False)
    store.close()
    before = contents(db)
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED, str(big), str(db)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        worker = int(proc.stdout.readline().split()[1])
        assert proc.stdout.readline().strip() == "inside"
        os.kill(worker, 0)  # the worker is alive, reading ahead
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=60) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
    assert contents(db) == before
    deadline = time.monotonic() + 60
    while _alive(worker):  # its pipe is broken: it exits
        assert time.monotonic() < deadline, "the worker outlived the importer"
        time.sleep(0.05)
    store = open_store(str(db), bundled=False)
    try:
        assert import_file(store, big, today=TODAY, parallel=True).stored == 20_000
    finally:
        store.close()


def _alive(pid: int) -> bool:
    """Whether ``pid`` still runs (a zombie waiting for its killed parent's reaper counts as
    gone)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
