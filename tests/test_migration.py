"""A store made before record identity (schema version 2) is migrated on open to the current
version (3: record identity; 4: who wrote each batch), on both stores, and loses nothing.

The version-2 store is real: ``tests/fixtures/store_v2/store_v2.json`` holds the DDL the code
of commit 2428332 created (SQLite and PostGIS) and the rows that code wrote when it imported
the two-attacks files one after the other (it gave both the same id, so the rockets *revised*
the drone: one row, the drone's values in the history) and a file with a bad row (a reject).
Each test builds that store from the fixture, then opens it with today's code.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from geo.errors import AtlasError
from geo.ingest import import_file
from geo.io.geojson import read_incidents
from geo.model import incident_id, legacy_incident_id
from geo.paths import ROOT
from geo.store import open_store
from geo.store.migrations import MIGRATIONS, alias_of
from geo.store.rows import from_row
from geo.store.schema import SCHEMA_VERSION
from tests.postgis_server import fresh_schema

FIXTURE = json.loads(
    (ROOT / "tests" / "fixtures" / "store_v2" / "store_v2.json").read_text(encoding="utf-8")
)
ROWS: dict[str, list[dict[str, Any]]] = FIXTURE["rows"]
TWO = ROOT / "tests" / "fixtures" / "two_attacks"
#: the order rows are written in (foreign keys: batches first; the DDL writes ``meta`` itself)
TABLES = ("batches", "incidents", "incident_history", "rejects")


def build_sqlite(path: Path, version: str = "2") -> str:
    conn = sqlite3.connect(path)
    for stmt in FIXTURE["sqlite_schema"]:
        conn.execute(stmt)
    for table in TABLES:
        for row in ROWS[table]:
            cols = ", ".join(f'"{c}"' for c in row)
            marks = ", ".join("?" for _ in row)
            conn.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", list(row.values()))
    conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (version,))
    conn.commit()
    conn.close()
    return str(path)


def build_postgis(url: str, version: str = "2") -> str:
    with psycopg.connect(url, autocommit=True) as conn:
        ext = conn.execute(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
            "WHERE e.extname = 'postgis'"
        ).fetchone()
        assert ext is not None, "the test server has PostGIS"
        for stmt in FIXTURE["postgis_schema"]:
            conn.execute(stmt.replace("__POSTGIS__", f'"{ext[0]}"'))
        for table in TABLES:
            for row in ROWS[table]:
                cols = ", ".join(f'"{c}"' for c in row)
                marks = ", ".join("%s" for _ in row)
                identity = "OVERRIDING SYSTEM VALUE " if table in ("batches", "rejects") else ""
                conn.execute(
                    f"INSERT INTO {table} ({cols}) {identity}VALUES ({marks})", list(row.values())
                )
        for table in ("batches", "rejects"):  # the identities go on after the rows' ids
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
        conn.execute("UPDATE meta SET value = %s WHERE key = 'schema_version'", (version,))
    return url


@pytest.fixture(params=["embedded", "postgis"])
def old_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, Any]]:
    """(where, builder): ``builder(version)`` writes the version-2 store there."""
    if request.param == "embedded":
        path = tmp_path / "v2.sqlite"
        yield str(path), lambda version="2": build_sqlite(path, version)
    else:
        with fresh_schema(request.getfixturevalue("postgis_url")) as url:
            yield url, lambda version="2": build_postgis(url, version)


def test_the_fixture_is_a_version_2_store_that_lost_the_first_attack() -> None:
    """What the migration starts from: version 2's bug, recorded (one row, one history row)."""
    [meta] = ROWS["meta"]
    assert meta == {"key": "schema_version", "value": "2"}
    [row] = ROWS["incidents"]
    [old] = ROWS["incident_history"]
    assert row["id"] == old["id"] and json.loads(row["weapons"]) == ["rocket"]
    assert json.loads(old["weapons"]) == ["drone"]
    assert [b["revised"] for b in ROWS["batches"]] == [0, 1, 0]
    assert "likely_duplicates" not in ROWS["batches"][0]


def test_opening_a_version_2_store_migrates_it_and_loses_nothing(old_store: Any) -> None:
    where, build = old_store
    build()
    store = open_store(where, bundled=False)
    try:
        # every row, version and batch of version 2 is there, as it was
        [current] = store.incidents()
        assert current == from_row(ROWS["incidents"][0])
        assert [(b, v) for b, v in store.history(current.id)] == [
            (ROWS["incident_history"][0]["batch_id"], from_row(ROWS["incident_history"][0])),
            (ROWS["incidents"][0]["batch_id"], current),
        ]
        batches = store.batches()
        assert [b.summary() for b in batches] == [
            {
                "file": b["file_name"],
                "batch": b["id"],
                **{k: b[k] for k in ("read", "stored", "revised", "duplicates", "rejected")},
                "likely_duplicates": 0,
            }
            for b in ROWS["batches"]
        ]
        assert [b.content_sha256 for b in batches] == [b["content_sha256"] for b in ROWS["batches"]]
        assert [b.created_by for b in batches] == [None] * len(ROWS["batches"])  # never recorded
        assert [r.as_dict() for r in store.rejects(3)] == [
            {k: r[k] for k in ("file", "row", "field", "value", "reason")} for r in ROWS["rejects"]
        ]
        assert [i.id for i in store.incidents(as_of=1)] == [current.id]
        assert store.incidents(as_of=1)[0].weapons == ("drone",)  # as of the first batch
        # the id version 2 derived is kept; today's rule for the same row is its alias
        assert store.known_ids([incident_id(current)]) == {incident_id(current)}
        # re-importing the file that wrote the row adds nothing (read in one process, or by
        # a worker that hands over rows already made)
        for parallel in (False, True):
            again = import_file(store, TWO / "rockets_hit.geojson", parallel=parallel)
            assert (again.stored, again.revised, again.duplicates) == (0, 0, 1)
        # and the attack version 2 lost comes back as a record of its own
        drone = import_file(store, TWO / "drone_shot_down.geojson", parallel=False)
        assert (drone.stored, drone.revised) == (1, 0)
        assert sorted(i.weapons for i in store.incidents()) == [("drone",), ("rocket",)]
        # batches written after the migration name their author
        assert all(b.created_by for b in store.batches()[len(ROWS["batches"]) :])
    finally:
        store.close()
    # opened again: already at the current version, nothing runs twice
    store = open_store(where, bundled=False)
    try:
        assert store.count() == 2 and len(store.batches()) == 6
    finally:
        store.close()


def _version(where: str) -> str:
    if where.startswith("postgresql"):
        with psycopg.connect(where) as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    else:
        with sqlite3.connect(where) as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    assert row is not None
    return str(row[0])


def test_the_migration_records_the_new_version(old_store: Any) -> None:
    where, build = old_store
    build()
    assert _version(where) == "2"
    open_store(where, bundled=False).close()
    assert _version(where) == SCHEMA_VERSION == "4"


@pytest.mark.parametrize("version", ["1", "99"])
def test_a_version_with_no_path_here_is_refused(old_store: Any, version: str) -> None:
    where, build = old_store
    build(version)
    with pytest.raises(
        AtlasError, match=f"schema version {version}; this program reads version {SCHEMA_VERSION}"
    ):
        open_store(where, bundled=False)
    assert _version(where) == version  # left as it was


def test_a_failed_step_leaves_the_store_at_version_2(
    old_store: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A step is one transaction with the version it records: it happens whole or not at all."""
    where, build = old_store
    build()

    def broken(store: Any, tx: Any) -> None:
        MIGRATIONS_2_TO_3(store, tx)
        raise RuntimeError("the disk is full")

    MIGRATIONS_2_TO_3 = MIGRATIONS["2"][1]
    monkeypatch.setitem(MIGRATIONS, "2", ("3", broken))
    with pytest.raises(RuntimeError, match="the disk is full"):
        open_store(where, bundled=False)
    assert _version(where) == "2"
    monkeypatch.undo()
    store = open_store(where, bundled=False)  # and the next open migrates it
    try:
        assert store.count() == 1 and store.batches()[-1].likely_duplicates == 0
    finally:
        store.close()


def test_a_failed_later_step_keeps_the_earlier_ones(
    old_store: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each step is its own transaction: when the step to 4 fails, the store stays at version 3
    with what that step added, and the next open takes only the step that is left."""
    where, build = old_store
    build()

    def broken(store: Any, tx: Any) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setitem(MIGRATIONS, "3", ("4", broken))
    with pytest.raises(RuntimeError, match="the disk is full"):
        open_store(where, bundled=False)
    assert _version(where) == "3"
    monkeypatch.undo()
    store = open_store(where, bundled=False)
    try:
        assert _version(where) == SCHEMA_VERSION
        assert store.count() == 1 and [b.created_by for b in store.batches()] == [None] * 3
        assert store.known_ids([incident_id(store.incidents()[0])])  # the alias step 3 made
    finally:
        store.close()


def test_aliases_only_for_ids_version_2_derived() -> None:
    """An upstream or given id gets no alias; a derived one gets today's id for the same row."""
    row = dict(ROWS["incidents"][0])
    inc = from_row(row)
    place = inc.site_id or inc.location.strip().lower()
    assert row["id"] == legacy_incident_id(
        inc.event_type, inc.date_start, inc.date_end, place, inc.country
    )
    assert alias_of(row) == incident_id(inc) != row["id"]
    assert alias_of({**row, "id": "acled:IRQ1"}) is None
    assert alias_of({**row, "id": "atl-000000000000"}) is None
    [drone] = read_incidents(TWO / "drone_shot_down.geojson")
    assert drone.id == incident_id(drone) != row["id"]


def test_an_item_found_under_its_alias_is_the_same_row_whichever_form_it_came_in() -> None:
    """The import takes incidents, their dumps, or rows already made (geo.ingest_parallel): an
    item re-keyed to the stored record's id gives that id's row and content hash in each."""
    from geo.store.rows import DumpedIncident, PreparedRow, row_values
    from geo.store.writing import rekeyed

    [rockets] = read_incidents(TWO / "rockets_hit.geojson")
    want_values, want_hash = row_values(rockets.model_copy(update={"id": "atl-old"}))
    values, digest = row_values(rockets)
    forms = [
        rockets,
        DumpedIncident(rockets.model_dump(mode="json")),
        PreparedRow(rockets.id, values, digest),
    ]
    for item in forms:
        got = rekeyed(item, "atl-old")
        assert got.id == "atl-old"
        if isinstance(got, PreparedRow):
            assert (got.values, got.content_hash) == (want_values, want_hash)
        elif isinstance(got, DumpedIncident):
            assert got.data == rockets.model_copy(update={"id": "atl-old"}).model_dump(mode="json")
        else:
            assert row_values(got) == (want_values, want_hash)
