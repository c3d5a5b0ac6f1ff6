"""The store: one suite, run against the embedded (SQLite) store and the PostGIS one.

Each test gets an empty store: a new SQLite file, or a new schema in the session's PostGIS
database (``postgis_url`` in conftest.py).  Processes that import concurrently or get killed
are real subprocesses running :data:`WORKER`; they say where they are on stdout and the test
waits for those lines (with a deadline), never for a fixed time.
"""

from __future__ import annotations

import hashlib
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import psycopg
import pytest

from geo.errors import AtlasError, NotFoundError
from geo.io.geojson import read_bundled, read_incidents
from geo.model import Incident
from geo.paths import BUNDLED_GEOJSON, INCIDENTS_GEOJSON, ROOT
from geo.query import to_frame
from geo.store import BatchMeta, Reject, Store, open_store
from geo.store.base import Item
from geo.store.embedded import EmbeddedStore
from geo.store.postgis import PostgisStore, redact
from geo.store.schema import INCIDENT_COLUMNS
from tests.postgis_server import fresh_schema

DEADLINE = 60.0  # s, for a worker to reach a point it announces


# --- data ---------------------------------------------------------------------------------------


def incident(n: int, prefix: str = "t", **changes: Any) -> Incident:
    """A valid incident varied by ``n``: located or not, None vs 0 casualties, several weapons
    in a given order, text with non-ASCII characters."""
    day = date(2020, 1, 1) + timedelta(days=(n * 7) % 1500)
    wide = n % 2
    located = n % 5 != 0
    killed = [(0, 0), (None, None), (1, None), (None, 3)][n % 4]
    data: dict[str, Any] = {
        "id": f"{prefix}-{n:06d}",
        "dataset": "atlas" if n % 3 else "ucdp",
        "event_type": ("attack", "us_strike", "other")[n % 3],
        "date_start": day,
        "date_end": day + timedelta(days=wide),
        "date_precision": 2 if wide else 1,
        "site_id": f"site_{n % 7}" if n % 4 == 0 else None,
        "location": f"Place {n} – al-Qā'im",
        "country": ("IRQ", "SYR", "JOR")[n % 3],
        "admin1": "Anbar" if n % 2 else None,
        "geo_precision": 1 if located else 6,
        "longitude": 38.0 + (n % 97) / 13 if located else None,
        "latitude": 31.0 + (n % 89) / 17 if located else None,
        "weapons": ("rocket", "drone") if n % 2 else ("ballistic_missile",),
        "outcome": ("impact", "intercepted", "mixed", "unknown")[n % 4],
        "killed_min": killed[0],
        "killed_max": killed[1],
        "injured_min": 0 if n % 3 == 0 else None,
        "injured_max": 0 if n % 3 == 0 else None,
        "status": "confirmed" if n % 2 else "reported",
        "sources": [
            {"article": f"art-{n}", "published": day, "quote": f"“Quote” {n}, näive"},
            {"article": "second", "published": day + timedelta(days=1), "quote": "Second."},
        ][: 1 + n % 2],
        "notes": None if n % 2 else "note",
    }
    data.update(changes)
    return Incident.model_validate(data)


def changed(inc: Incident, **changes: Any) -> Incident:
    return Incident.model_validate({**inc.model_dump(), **changes})


def meta(name: str) -> BatchMeta:
    return BatchMeta(
        file_name=name, content_sha256=hashlib.sha256(name.encode()).hexdigest(), format="geojson"
    )


def same_incidents(got: pd.DataFrame, want: Iterable[Incident]) -> None:
    expected = to_frame(sorted(want, key=lambda i: i.id)).reset_index(drop=True)
    actual = got.sort_values("id", kind="stable").reset_index(drop=True)
    pd.testing.assert_frame_equal(actual, expected)


def snapshot(store: Store) -> tuple[Any, ...]:
    """Everything a failed import must leave as it was."""
    batches = store.batches()
    return (
        batches,
        store.incidents(),
        [store.rejects(b.id) for b in batches],
        store.revision(),
        [store.incidents(as_of=b.id) for b in batches],
    )


# --- fixtures -----------------------------------------------------------------------------------


@pytest.fixture
def pg_url(postgis_url: str) -> Iterator[str]:
    with fresh_schema(postgis_url) as url:
        yield url


# --- the suite ----------------------------------------------------------------------------------


def test_import_round_trips_every_field(store: Store) -> None:
    incidents = [incident(n) for n in range(24)]
    info = store.import_batch(meta("a.geojson"), iter(incidents))
    assert info.summary() == {
        "file": "a.geojson",
        "batch": info.id,
        "read": 24,
        "stored": 24,
        "revised": 0,
        "duplicates": 0,
        "rejected": 0,
        "likely_duplicates": 0,
    }
    assert store.batches() == [info]
    assert info.started_at <= info.finished_at
    assert info.finished_at.utcoffset() == timedelta(0)
    same_incidents(store.frame(), incidents)
    assert sorted(store.incidents(), key=lambda i: i.id) == incidents
    got = {i.id: i for i in store.incidents()}
    # the easily-lost details, spelled out
    assert got["t-000000"].killed_min == 0 and got["t-000001"].killed_min is None
    assert got["t-000000"].longitude is None and got["t-000000"].latitude is None
    assert got["t-000001"].weapons == ("rocket", "drone")
    assert got["t-000001"].date_end == date(2020, 1, 9)
    assert got["t-000001"].sources[0].quote == "“Quote” 1, näive"
    assert store.get("t-000003") == incidents[3]
    frame = store.frame()
    assert list(frame["date_start"]) == sorted(frame["date_start"])


def test_frame_of_empty_store(store: Store) -> None:
    assert store.frame().empty
    assert list(store.frame().columns) == list(to_frame([]).columns)
    assert store.batches() == [] and store.batch_at(datetime.now()) is None


def test_reimport_adds_nothing(store: Store) -> None:
    incidents = [incident(n) for n in range(10)]
    first = store.import_batch(meta("a.geojson"), incidents)
    again = store.import_batch(meta("a.geojson"), incidents)
    assert (again.read, again.stored, again.duplicates, again.revised, again.rejected) == (
        10,
        0,
        10,
        0,
        0,
    )
    assert again.id > first.id
    assert len(store.frame()) == 10
    assert store.history(incidents[0].id) == [(first.id, incidents[0])]


def test_revision_keeps_history_and_as_of(store: Store) -> None:
    a, b = incident(1), incident(2)
    b1 = store.import_batch(meta("one.geojson"), [a, b])
    a2, c = changed(a, killed_max=9, notes="revised"), incident(3)
    b2 = store.import_batch(meta("two.geojson"), [a2, b, c])
    assert (b2.stored, b2.revised, b2.duplicates, b2.rejected, b2.read) == (1, 1, 1, 0, 3)
    a3 = changed(a2, weapons=("drone", "rocket"))
    b3 = store.import_batch(meta("three.geojson"), [a3])
    assert b3.revised == 1

    assert store.history(a.id) == [(b1.id, a), (b2.id, a2), (b3.id, a3)]
    assert store.get(a.id) == a3
    same_incidents(store.frame(as_of=b1.id), [a, b])  # c is absent as of batch 1
    same_incidents(store.frame(as_of=b2.id), [a2, b, c])
    same_incidents(store.frame(as_of=b3.id), [a3, b, c])
    same_incidents(store.frame(), [a3, b, c])
    assert store.incidents(as_of=b1.id) == sorted([a, b], key=lambda i: (i.date_start, i.id))
    assert store.frame(as_of=0).empty


def test_batch_at(store: Store) -> None:
    before = datetime.now().astimezone()
    b1 = store.import_batch(meta("one.geojson"), [incident(1)])
    b2 = store.import_batch(meta("two.geojson"), [incident(2)])
    assert store.batch_at(before - timedelta(seconds=1)) is None
    assert store.batch_at(b1.finished_at) == b1.id
    assert store.batch_at(b2.finished_at - timedelta(microseconds=1)) == b1.id
    assert store.batch_at(b2.finished_at) == b2.id
    assert store.batch_at(datetime.now()) == b2.id  # naive: local time


def test_conflicting_id_in_one_batch_is_rejected(store: Store) -> None:
    a, b = incident(1), incident(2)
    a_other = changed(a, notes="something else")
    info = store.import_batch(meta("c.geojson"), [a, b, a_other, a])
    assert (info.read, info.stored, info.duplicates, info.revised, info.rejected) == (
        4,
        2,
        1,
        0,
        1,
    )
    assert store.get(a.id) == a
    [reject] = store.rejects(info.id)
    assert (reject.file, reject.row, reject.field, reject.value) == ("c.geojson", 3, "id", a.id)
    assert "earlier in this file (item 1)" in reject.reason


def test_conflict_across_chunks_and_after_a_duplicate(store: Store) -> None:
    store.chunk_size = 2  # type: ignore[attr-defined]
    a = incident(1)
    b1 = store.import_batch(meta("one.geojson"), [a])
    # a is a duplicate of batch 1, then changed later in the same file (a later chunk)
    items = [a, incident(2), incident(3), incident(4), changed(a, notes="x")]
    b2 = store.import_batch(meta("two.geojson"), items)
    assert (b2.stored, b2.duplicates, b2.revised, b2.rejected) == (3, 1, 0, 1)
    assert store.history(a.id) == [(b1.id, a)]
    assert [r.row for r in store.rejects(b2.id)] == [5]


def test_rejects_are_kept_with_their_batch(store: Store) -> None:
    bad = [
        Reject("f.csv", 3, "country", "Iraq", "3 capital letters (ISO 3166-1 alpha-3)"),
        Reject("f.csv", 7, "date_end", "2024-01-01", "must not be before date_start 2024-02-01"),
    ]
    items: list[Item] = [incident(1), bad[0], incident(2), bad[1]]
    info = store.import_batch(meta("f.csv"), items)
    assert (info.read, info.stored, info.rejected) == (4, 2, 2)
    assert store.rejects(info.id) == bad
    other = store.import_batch(meta("g.csv"), [incident(3)])
    assert store.rejects(other.id) == []
    with pytest.raises(NotFoundError):
        store.rejects(other.id + 100)


class Boom(RuntimeError):
    pass


def failing(items: list[Item]) -> Iterator[Item]:
    yield from items
    raise Boom("the file broke half-way")


def test_failed_import_leaves_store_exactly_as_before(store: Store) -> None:
    store.chunk_size = 50  # type: ignore[attr-defined]
    first = [incident(n) for n in range(5)]
    store.import_batch(meta("one.geojson"), [*first, Reject("one.geojson", 9, "x", "y", "z")])
    before = snapshot(store)
    # new rows, a revision, a duplicate and a reject, over more than two chunks, then a failure
    items: list[Item] = [incident(n, prefix="new") for n in range(120)]
    items += [changed(first[0], notes="revised"), first[1], Reject("two", 1, "a", "b", "c")]
    calls: list[int] = []
    with pytest.raises(Boom):
        store.import_batch(meta("two.geojson"), failing(items), progress=calls.append)
    assert calls == [50, 100]
    assert snapshot(store) == before
    # and the store still takes a batch afterwards
    info = store.import_batch(meta("two.geojson"), items)
    assert (info.stored, info.revised, info.duplicates, info.rejected) == (120, 1, 1, 1)


def test_progress_is_called_per_chunk(store: Store) -> None:
    store.chunk_size = 4  # type: ignore[attr-defined]
    calls: list[int] = []
    store.import_batch(meta("p.geojson"), (incident(n) for n in range(10)), progress=calls.append)
    assert calls == [4, 8, 10]


def test_revision_changes_with_every_import(store: Store) -> None:
    seen = {store.revision()}
    for name in ("a", "b", "a"):
        store.import_batch(meta(name), [incident(1)])
        rev = store.revision()
        assert rev not in seen
        seen.add(rev)
    assert store.revision() == rev


def test_unknown_id_is_not_found(store: Store) -> None:
    store.import_batch(meta("a"), [incident(1)])
    with pytest.raises(NotFoundError, match="nope"):
        store.get("nope")
    with pytest.raises(NotFoundError):
        store.history("nope")


def test_open_store_picks_the_class_and_seeds_bundled_once(store_url: str) -> None:
    """Each bundled file (the seed incidents, then the campaign) is its own batch, imported once."""
    assert INCIDENTS_GEOJSON in BUNDLED_GEOJSON and len(BUNDLED_GEOJSON) >= 2
    first = open_store(store_url)
    try:
        assert isinstance(
            first, PostgisStore if store_url.startswith("postgresql") else EmbeddedStore
        )
        batches = first.batches()
        assert [b.file_name for b in batches] == [f"bundled:{p.name}" for p in BUNDLED_GEOJSON]
        seen: set[str] = set()
        for batch, path in zip(batches, BUNDLED_GEOJSON, strict=True):
            ids = {i.id for i in read_incidents(path)}
            # a record whose id an earlier bundled file holds revises it; the rest are new
            assert (batch.read, batch.stored, batch.revised) == (
                len(ids),
                len(ids - seen),
                len(ids & seen),
            ), path.name
            assert (batch.rejected, batch.likely_duplicates) == (0, 0), path.name
            seen |= ids
        same_incidents(first.frame(), read_bundled())
        assert first.likely_duplicates() == []
    finally:
        first.close()
    second = open_store(store_url)
    try:
        assert [b.id for b in second.batches()] == [b.id for b in batches]
    finally:
        second.close()


def test_closed_store_says_so(store: Store) -> None:
    store.close()
    with pytest.raises(AtlasError, match="closed"):
        store.batches()
    store.close()  # twice is fine


# --- other processes ----------------------------------------------------------------------------

#: imports ``total`` generated incidents into the store at argv[1]; prints "ready" before the
#: import, "chunk N" after each chunk, "inside" after chunk number ``hold`` and then waits for a
#: line on stdin (holding the transaction open), "done {summary}" at the end
WORKER = r"""
import json, sys
from datetime import date, timedelta
from geo.model import Incident
from geo.store import open_store
from geo.store.base import BatchMeta

url, prefix = sys.argv[1], sys.argv[2]
total, chunk, hold = (int(a) for a in sys.argv[3:6])

def items():
    for n in range(total):
        day = date(2021, 1, 1) + timedelta(days=n % 900)
        yield Incident(
            id=f"{prefix}-{n}", event_type="attack", date_start=day, date_end=day,
            date_precision=1, location=f"{prefix} {n}", country="IRQ", geo_precision=1,
            longitude=44.0, latitude=33.0, weapons=("rocket",),
            sources=({"article": prefix, "published": day, "quote": "q"},),
        )

calls = 0
def progress(done):
    global calls
    calls += 1
    print("chunk", done, flush=True)
    if calls == hold:
        print("inside", flush=True)
        sys.stdin.readline()

store = open_store(url, bundled=False)
store.chunk_size = chunk
print("ready", flush=True)
info = store.import_batch(BatchMeta(prefix + ".geojson", prefix, "geojson"), items(), progress)
print("done", json.dumps(info.summary()), flush=True)
"""


class Worker:
    """A :data:`WORKER` subprocess whose stdout lines are read by a thread into a queue."""

    def __init__(self, url: str, prefix: str, total: int, chunk: int, hold: int, log: Path):
        self.log = log
        self._err = log.open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-c", WORKER, url, prefix, str(total), str(chunk), str(hold)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._err,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def expect(self, prefix: str) -> str:
        """The first line starting with ``prefix``; fails at the deadline or if it exits."""
        deadline = time.monotonic() + DEADLINE
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                break
            if line is None:
                code = self.proc.wait(timeout=DEADLINE)
                pytest.fail(f"worker exited ({code}) before {prefix!r}:\n{self.stderr()}")
            if line.startswith(prefix):
                return line
        pytest.fail(f"worker did not print {prefix!r} within {DEADLINE} s:\n{self.stderr()}")

    def say(self, text: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(text + "\n")
        self.proc.stdin.flush()

    def stderr(self) -> str:
        self._err.flush()
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=DEADLINE)
        self._err.close()


@pytest.fixture
def workers(tmp_path: Path) -> Iterator[Callable[..., Worker]]:
    started: list[Worker] = []

    def start(url: str, prefix: str, total: int, chunk: int = 100, hold: int = 0) -> Worker:
        w = Worker(url, prefix, total, chunk, hold, tmp_path / f"{prefix}.stderr")
        started.append(w)
        return w

    yield start
    for w in started:
        w.stop()


def poll(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + DEADLINE
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.02)  # a polling interval, not a synchronisation delay


def test_killed_import_leaves_store_unchanged(
    store: Store, store_url: str, workers: Callable[..., Worker]
) -> None:
    store.import_batch(meta("one.geojson"), [incident(n) for n in range(3)])
    before = snapshot(store)
    w = workers(store_url, "big", 10_000_000, chunk=100, hold=3)
    w.expect("inside")  # 300 rows written inside the open transaction
    assert snapshot(store) == before  # readers neither wait nor see the open batch
    w.proc.send_signal(signal.SIGKILL)
    assert w.proc.wait(timeout=DEADLINE) == -signal.SIGKILL
    assert snapshot(store) == before
    reopened = open_store(store_url, bundled=False)
    try:
        assert snapshot(reopened) == before
        info = reopened.import_batch(meta("two.geojson"), [incident(9)])  # the lock is free
        assert info.stored == 1
    finally:
        reopened.close()


def test_concurrent_imports_both_complete(
    store: Store, store_url: str, workers: Callable[..., Worker]
) -> None:
    first = workers(store_url, "aaa", 350, chunk=100, hold=1)
    first.expect("inside")  # holds the writer lock, one chunk written
    assert store.batches() == [] and store.frame().empty  # readers don't wait for the writer
    second = workers(store_url, "bbb", 420, chunk=100)
    second.expect("ready")
    if isinstance(store, PostgisStore):
        # see the second one actually waiting for the first one's lock
        def waiting() -> bool:
            with psycopg.connect(store_url, autocommit=True) as conn:
                row = conn.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    "AND wait_event = 'advisory' AND datname = current_database()"
                ).fetchone()
            return bool(row and row[0] >= 1)

        poll(waiting, "the second import to wait for the advisory lock")
    first.say("go")
    one = json.loads(first.expect("done").removeprefix("done "))
    two = json.loads(second.expect("done").removeprefix("done "))
    assert first.proc.wait(timeout=DEADLINE) == 0 and second.proc.wait(timeout=DEADLINE) == 0
    assert (one["stored"], two["stored"]) == (350, 420)
    assert two["batch"] > one["batch"]
    ids = list(store.frame()["id"])
    assert len(ids) == len(set(ids)) == 770
    assert set(ids) == {f"aaa-{n}" for n in range(350)} | {f"bbb-{n}" for n in range(420)}


# --- embedded only ------------------------------------------------------------------------------


def test_embedded_file_is_wal_with_a_long_busy_timeout(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "dir" / "atlas.sqlite"
    with EmbeddedStore(path) as store:
        assert path.exists()
        conn = store._connection
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 60_000
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"meta", "batches", "incidents", "incident_history", "rejects"} <= tables


# --- PostGIS only -------------------------------------------------------------------------------


def test_postgis_geometry_column(pg_url: str) -> None:
    incidents = [incident(n) for n in range(10)]
    with PostgisStore(pg_url) as store:
        store.import_batch(meta("g.geojson"), incidents)
        rows = store._read(
            "SELECT id, ST_SRID(geom) AS srid, ST_X(geom) AS x, ST_Y(geom) AS y, "
            "GeometryType(geom) AS kind, longitude, latitude FROM incidents"
        )
        indexes = store._read(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'incidents' "
            "AND schemaname = current_schema()"
        )
        coltype = store._read(
            "SELECT format_type(atttypid, atttypmod) AS t FROM pg_attribute "
            "WHERE attrelid = 'incidents'::regclass AND attname = 'geom'"
        )
    assert coltype[0]["t"] == "geometry(Point,4326)"
    assert len(rows) == 10
    for r in rows:
        if r["longitude"] is None:
            assert r["srid"] is None and r["x"] is None
        else:
            assert (r["srid"], r["kind"]) == (4326, "POINT")
            assert (r["x"], r["y"]) == (r["longitude"], r["latitude"])
    assert any("USING gist (geom)" in r["indexdef"] for r in indexes)
    for col in ("date_start", "date_end", "site_id", "country", "dataset", "event_type"):
        assert any(f"btree ({col})" in r["indexdef"] for r in indexes), col


def test_postgis_date_range_query_uses_an_index(pg_url: str) -> None:
    with PostgisStore(pg_url) as store:
        store.import_batch(meta("one.geojson"), [incident(1)])
        # 20k copies of that row over ~4 years, made by the server (importing them through the
        # store would only make this test slower; the import has its own tests)
        spread = {
            "id": "'g-' || n",
            "date_start": "date '2020-01-01' + n % 1500",
            "date_end": "date '2020-01-01' + n % 1500",
            "date_precision": "1",
        }
        store._connection.execute(
            f"INSERT INTO incidents ({', '.join(INCIDENT_COLUMNS)}) "
            f"SELECT {', '.join(spread.get(c, c) for c in INCIDENT_COLUMNS)} "
            "FROM incidents, generate_series(1, 20000) AS n"
        )
        store._connection.execute("ANALYZE incidents (date_start, date_end)")
        assert store._read("SELECT count(*) AS n FROM incidents")[0]["n"] == 20_001
        plan = "\n".join(
            next(iter(r.values()))
            for r in store._read(
                "EXPLAIN SELECT * FROM incidents "
                "WHERE date_start <= '2021-03-08' AND date_end >= '2021-03-01'"
            )
        )
    assert "Index" in plan or "Bitmap" in plan, plan


def test_postgis_messages_never_show_the_password() -> None:
    url = "postgresql://atlas:s3cr%40t@/nodb?host=/nonexistent-atlas-dir&password=s3cr@t"
    assert "s3cr" not in redact(url)
    assert redact("host=x password='s3cr t' dbname=y") == "host=x password=*** dbname=y"
    with pytest.raises(AtlasError) as err:
        PostgisStore(url)
    assert "s3cr" not in str(err.value) and "***" in str(err.value)


#: a password no message may show
SECRET = "s3cr3t-Pw"


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            f"postgresql://atlas:{SECRET}@db.example:5432/atlas",
            "postgresql://atlas:***@db.example:5432/atlas",
        ),
        (f"postgres://atlas:{SECRET}@db/atlas", "postgres://atlas:***@db/atlas"),
        ("postgresql://atlas:s3cr@t:x@db/atlas", "postgresql://atlas:***@db/atlas"),  # raw @ and :
        ("postgresql://atlas:s3cr%40t%2Fx@db/atlas", "postgresql://atlas:***@db/atlas"),
        (f"postgresql://:{SECRET}@db/atlas", "postgresql://:***@db/atlas"),
        (
            f"postgresql://atlas:{SECRET}@h1:5432,h2:5433/atlas?sslmode=require",
            "postgresql://atlas:***@h1:5432,h2:5433/atlas?sslmode=require",
        ),
        (f"host=db password={SECRET} dbname=atlas", "host=db password=*** dbname=atlas"),
        (f"host=db password='{SECRET} x' dbname=atlas", "host=db password=*** dbname=atlas"),
        (f"host=db PASSWORD = {SECRET}", "host=db PASSWORD = ***"),
        # no password: shown as given
        ("postgresql://atlas@db/atlas", "postgresql://atlas@db/atlas"),
        (
            "postgresql://atlas@db/atlas?sslmode=require",
            "postgresql://atlas@db/atlas?sslmode=require",
        ),
        ("host=db dbname=atlas user=atlas", "host=db dbname=atlas user=atlas"),
        (
            f"postgresql://atlas@db/atlas?password={SECRET}&sslmode=require",
            "postgresql://atlas@db/atlas?password=***&sslmode=require",
        ),
        # malformed (urlsplit refuses an unclosed "["): masked all the same, no traceback
        (f"postgresql://atlas:{SECRET}@[::1/atlas", "postgresql://atlas:***@[::1/atlas"),
    ],
)
def test_redact_masks_the_password_as_stars(url: str, shown: str) -> None:
    """The masking function every store message and ``PostgisStore.url`` go through."""
    masked = redact(url)
    assert masked == shown
    for secret in (SECRET, "s3cr@t", "s3cr%40t"):
        assert secret not in masked


def test_postgis_takes_the_password_from_libpq_not_the_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store URL without a password (nothing for ``ps`` to show): libpq supplies it from
    ``PGPASSWORD`` or the password file (``PGPASSFILE``, by default ``~/.pgpass``), since the
    store hands the URL to psycopg as it is.  Against a server that asks for a password (the
    shared test server trusts every connection, so this one is started here)."""
    from tests.postgis_server import PostgisUnavailable, check_binaries, throwaway_cluster

    try:
        check_binaries()
    except PostgisUnavailable as exc:  # scripts/test installs them: never skipped
        pytest.fail(f"this test starts its own password-protected server and needs {exc}")
    secret = f"pw-{os.getpid()}-{time.time_ns()}"
    passfile = tmp_path / "pgpass"
    passfile.write_text(f"*:*:*:postgres:{secret}\n", encoding="utf-8")
    passfile.chmod(0o600)  # libpq ignores a password file others can read
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))  # not the user's own ~/.pgpass
    with throwaway_cluster(password=secret) as url:
        assert secret not in url
        with pytest.raises(AtlasError, match="password"):  # none given: the server refuses
            PostgisStore(url)
        monkeypatch.setenv("PGPASSWORD", "not-the-password")
        with pytest.raises(AtlasError, match="password authentication failed") as err:
            PostgisStore(url)
        assert "not-the-password" not in str(err.value)
        monkeypatch.setenv("PGPASSWORD", secret)
        with PostgisStore(url) as store:
            assert store.batches() == [] and store.url == url
        monkeypatch.delenv("PGPASSWORD")
        monkeypatch.setenv("PGPASSFILE", str(passfile))
        with PostgisStore(url) as store:
            assert store.batches() == []
        # the command line, given the store in ATLAS_STORE and the password in the file
        env = {k: v for k, v in os.environ.items() if k != "PGPASSWORD"}
        out = subprocess.run(
            [sys.executable, "-m", "geo", "batches"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
            env={**env, "ATLAS_STORE": url, "PGPASSFILE": str(passfile)},
        )
        assert out.returncode == 0, out.stderr
        assert json.loads(out.stdout)[0]["file"] == "bundled:incidents.geojson"
        assert secret not in out.stdout + out.stderr


def test_known_ids_are_the_stored_ones_among_those_asked(store: Store) -> None:
    """Looked up in chunks (more ids than one ``IN`` list holds), repeats and unknown ids
    included."""
    from geo.store.sql import ID_LOOKUP

    stored = [incident(n) for n in range(0, 3 * ID_LOOKUP, 3)]
    store.import_batch(meta("known.geojson"), stored)
    asked = [incident(n).id for n in range(3 * ID_LOOKUP)] + [stored[0].id, "nowhere:1"]
    assert store.known_ids(asked) == {i.id for i in stored}
    assert store.known_ids([]) == set()


def test_ingesting_articles_does_not_load_the_frame(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Which extracted incidents are already stored is asked by id, not by reading every row;
    an article read twice adds nothing the second time."""
    from geo.ingest import ingest_articles
    from geo.paths import ARTICLES_DIR

    store = open_store(str(tmp_path / "atlas.sqlite"), bundled=False)

    def refuse(as_of: int | None = None) -> pd.DataFrame:
        raise AssertionError("ingest_articles read the whole frame")

    monkeypatch.setattr(store, "frame", refuse)
    article = sorted(ARTICLES_DIR.glob("*.txt"))[0]
    first, extraction, skipped = ingest_articles(store, [article])
    assert first.stored == len(extraction.incidents) > 0 and skipped == []
    _again, _, skipped = ingest_articles(store, [article], accept=True)
    assert sorted(skipped) == sorted(i.id for i in extraction.incidents)
    store.close()
