"""Team mode: roles the database enforces, who did what, and the read-only mode.

Against the session's real PostGIS (``postgis_url``): login users in the viewer and analyst
roles that ``geo.store.roles`` creates, each test on a store of its own (a fresh schema).  A
viewer reads and is refused every write, by the store before it starts and by the database
when the store's check is bypassed; an analyst imports and reviews, and each batch names the
user who wrote it.  The embedded store records the OS user and has the same read-only mode.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from geo.errors import AtlasError, NotAllowedError, ValidationError
from geo.ingest import import_file
from geo.io.geojson import read_bundled, write_incidents
from geo.model import Incident
from geo.paths import ARTICLES_DIR, BUNDLED_GEOJSON, ROOT
from geo.review import record_verdict, resolve_pair
from geo.store import BatchMeta, Store, open_store
from geo.store.embedded import EmbeddedStore, os_user
from geo.store.postgis import PostgisStore
from geo.store.roles import create_roles, grant_role, role_names
from geo.store.schema import SCHEMA_VERSION
from tests.postgis_server import fresh_schema

#: what a fresh store holds: every bundled file, one batch each
CURATED = read_bundled()
BUNDLED_BATCHES = len(BUNDLED_GEOJSON)
TWO = ROOT / "tests" / "fixtures" / "two_attacks"
#: role names are cluster-wide: a prefix of this run's own
PREFIX = f"t{uuid.uuid4().hex[:8]}_"
VIEWER_USER, ANALYST_USER = f"{PREFIX}alice", f"{PREFIX}bob"


def as_user(url: str, user: str) -> str:
    """``url`` logging in as ``user`` (the throwaway cluster trusts its socket)."""
    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f"{user}@{host}"))


def new_incident(n: int, **changes: Any) -> Incident:
    base = CURATED[0].model_dump()
    base.update({"id": f"team-{n}", "location": f"Team test place {n}", "notes": None})
    base.update(changes)
    return Incident.model_validate(base)


def meta(name: str) -> BatchMeta:
    return BatchMeta(file_name=name, content_sha256=uuid.uuid4().hex, format="geojson")


def batch_count(store: Store) -> int:
    return len(store.batches())


@dataclass(frozen=True)
class Team:
    owner: str  # the URL as the store's owner (the cluster's superuser)
    viewer: str
    analyst: str


@pytest.fixture(scope="module")
def team_users(postgis_url: str) -> Iterator[None]:
    """Two login users for the module (their role memberships are granted per store); they
    and the group roles are dropped at the end."""
    names = role_names(PREFIX)
    with psycopg.connect(postgis_url, autocommit=True) as conn:
        for user in (VIEWER_USER, ANALYST_USER):
            conn.execute(f'CREATE ROLE "{user}" LOGIN')
    yield
    with psycopg.connect(postgis_url, autocommit=True) as conn:
        for role in (VIEWER_USER, ANALYST_USER, *names.values()):
            exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
            if exists:
                conn.execute(f'REASSIGN OWNED BY "{role}" TO current_user')
                conn.execute(f'DROP OWNED BY "{role}"')
                conn.execute(f'DROP ROLE "{role}"')


@pytest.fixture
def team(postgis_url: str, team_users: None) -> Iterator[Team]:
    """A store of its own, seeded by its owner, with the roles granted on it and alice a
    viewer, bob an analyst."""
    with fresh_schema(postgis_url, "team") as owner:
        store = open_store(owner, read_only=False)
        try:
            create_roles(store, PREFIX)  # type: ignore[arg-type]
            grant_role(store, VIEWER_USER, "viewer", PREFIX)  # type: ignore[arg-type]
            grant_role(store, ANALYST_USER, "analyst", PREFIX)  # type: ignore[arg-type]
        finally:
            store.close()
        yield Team(owner, as_user(owner, VIEWER_USER), as_user(owner, ANALYST_USER))


def cli(
    store: str, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in ("ATLAS_STORE", "ATLAS_READ_ONLY")}
    return subprocess.run(
        [sys.executable, "-m", "geo", *args, "--store", store],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**base, **(env or {})},
    )


def ok(out: subprocess.CompletedProcess[str]) -> Any:
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def refused(out: subprocess.CompletedProcess[str], *words: str) -> None:
    assert out.returncode == 2, (out.stdout, out.stderr)
    assert "nothing was written" in out.stderr, out.stderr
    for word in words:
        assert word in out.stderr, out.stderr


# --- PostGIS: roles -------------------------------------------------------------------------


def test_the_owner_is_admin_and_named_on_the_bundled_batch(team: Team) -> None:
    with open_store(team.owner, read_only=False) as store:
        access = store.access()
        assert (access.user, access.role, access.can_admin) == ("postgres", "admin", True)
        assert [b.created_by for b in store.batches()] == ["postgres"] * BUNDLED_BATCHES
        # the single owner still imports after the roles exist
        info = store.import_batch(meta("owner.geojson"), [new_incident(1)])
        assert info.created_by == "postgres"
    with psycopg.connect(team.owner, autocommit=True) as conn:
        owners = conn.execute(
            "SELECT tablename, tableowner FROM pg_tables WHERE schemaname = current_schema()"
        ).fetchall()
        assert {t for t, _ in owners} >= {"meta", "batches", "incidents", "incident_history"}
        assert {o for _, o in owners} == {f"{PREFIX}admin"}  # the admin role owns them all
        # a table a later migration adds (as the admin role) is readable by viewers at once
        conn.execute(f'SET ROLE "{PREFIX}admin"')
        conn.execute("CREATE TABLE later (x integer)")
    with psycopg.connect(team.viewer, autocommit=True) as conn:
        assert conn.execute("SELECT count(*) FROM later").fetchone() == (0,)


def test_an_owner_who_is_no_superuser_sets_up_roles_and_keeps_working(
    postgis_url: str, team_users: None
) -> None:
    """The usual team database: owned by an ordinary user (with CREATEROLE), not a superuser."""
    owner, prefix = f"{PREFIX}owner", f"{PREFIX}o_"
    with psycopg.connect(postgis_url, autocommit=True) as conn:
        conn.execute(f'CREATE ROLE "{owner}" LOGIN CREATEROLE')
    try:
        with fresh_schema(postgis_url, "own") as url:
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(f'ALTER SCHEMA "{_schema_of(url)}" OWNER TO "{owner}"')
            mine = as_user(url, owner)
            with open_store(mine, read_only=False) as store:
                assert store.access().role == "admin"
                create_roles(store, prefix)  # type: ignore[arg-type]
                grant_role(store, VIEWER_USER, "viewer", prefix)  # type: ignore[arg-type]
            with open_store(mine, read_only=False) as store:  # still everything, as admin
                assert store.access().role == "admin"
                info = store.import_batch(meta("mine.geojson"), [new_incident(11)])
                assert info.created_by == owner
            with open_store(as_user(url, VIEWER_USER), read_only=False) as store:
                assert store.access().role == "viewer" and store.count() == len(CURATED) + 1
    finally:
        with psycopg.connect(postgis_url, autocommit=True) as conn:
            for role in (owner, *role_names(prefix).values()):
                conn.execute(f'REASSIGN OWNED BY "{role}" TO current_user')
                conn.execute(f'DROP OWNED BY "{role}"')
                conn.execute(f'DROP ROLE "{role}"')


def _schema_of(url: str) -> str:
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute("SELECT current_schema()").fetchone()
    assert row is not None
    return str(row[0])


def test_viewer_reads_and_every_write_is_refused(team: Team) -> None:
    with open_store(team.owner, read_only=False) as owner:
        expected = owner.frame()
    with open_store(team.viewer, read_only=False) as viewer:
        access = viewer.access()
        assert (access.user, access.role) == (VIEWER_USER, "viewer")
        assert not access.can_write and not access.can_admin
        assert viewer.frame().equals(expected)
        assert viewer.count() == len(CURATED)
        with pytest.raises(NotAllowedError, match="viewer.*reads only.*analyst role"):
            viewer.import_batch(meta("viewer.geojson"), [new_incident(2)])
        with pytest.raises(NotAllowedError, match=VIEWER_USER):
            record_verdict(viewer, CURATED[0].id, "rejected")
        # the database refuses too: the store's own check bypassed, the write still fails
        object.__setattr__(viewer, "_access", replace(access, role="analyst"))
        with pytest.raises(NotAllowedError, match="permission denied"):
            viewer.import_batch(meta("viewer.geojson"), [new_incident(2)])
        assert viewer.count() == len(CURATED)
        assert batch_count(viewer) == BUNDLED_BATCHES
        assert viewer.get(CURATED[0].id).review == "accepted"
    with psycopg.connect(team.viewer, autocommit=True) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE incidents SET review = 'rejected'")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM incidents")


def test_analyst_imports_revises_and_reviews_and_each_batch_names_them(team: Team) -> None:
    with open_store(team.analyst, read_only=False) as store:
        access = store.access()
        assert (access.user, access.role, access.can_write, access.can_admin) == (
            ANALYST_USER,
            "analyst",
            True,
            False,
        )
        first = store.import_batch(meta("a.geojson"), [new_incident(1, review="pending")])
        assert (first.stored, first.created_by) == (1, ANALYST_USER)
        revised = store.import_batch(
            meta("b.geojson"), [new_incident(1, review="pending", notes="corrected")]
        )
        assert (revised.revised, revised.created_by) == (1, ANALYST_USER)
        verdict = record_verdict(store, "team-1", "accepted")
        assert verdict.created_by == ANALYST_USER
        assert store.get("team-1").review == "accepted"
        by = {b.id: b.created_by for b in store.batches()}
        assert [by[b] for b, _ in store.history("team-1")] == [ANALYST_USER] * 3
        assert by[1] == "postgres"
    with psycopg.connect(team.analyst, autocommit=True) as conn:
        # who wrote a batch is the database's to say: an analyst cannot put another name there
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(
                "INSERT INTO batches (started_at, finished_at, file_name, content_sha256, format, "
                "created_by) VALUES (now(), now(), 'x', 'x', 'x', 'someone else')"
            )
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE batches SET created_by = 'someone else'")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # schema changes: admin only
            conn.execute("ALTER TABLE incidents ADD COLUMN extra text")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # nor erase anything
            conn.execute("DELETE FROM incident_history")


def test_analyst_flags_and_resolves_likely_duplicates_a_viewer_cannot(team: Team) -> None:
    """Record identity's tables are the analysts' to write too: an import flags a look-alike,
    a review resolves the flag; a viewer may do neither, and the database agrees."""
    with open_store(team.analyst, read_only=False) as store:
        import_file(store, TWO / "drone_shot_down.geojson", parallel=False)
        other = import_file(store, TWO / "drone_another_report.geojson", parallel=False)
        assert (other.stored, other.likely_duplicates, other.created_by) == (1, 1, ANALYST_USER)
        [flag] = store.likely_duplicates()
    with open_store(team.viewer, read_only=False) as viewer:
        with pytest.raises(NotAllowedError, match=VIEWER_USER):
            resolve_pair(viewer, flag, merge=False)
        object.__setattr__(viewer, "_access", replace(viewer.access(), role="analyst"))
        with pytest.raises(NotAllowedError, match="permission denied"):
            viewer.resolve_duplicate(flag.id, flag.other_id, "separate")
        assert viewer.likely_duplicates() == [flag]
    with open_store(team.analyst, read_only=False) as store:
        # kept apart, then merged after all: each decision is a batch the database signs
        apart = resolve_pair(store, flag, merge=False)
        assert (apart.stored, apart.revised, apart.created_by) == (0, 0, ANALYST_USER)
        assert store.likely_duplicates(open_only=False)[0].resolution == "separate"
        batch = resolve_pair(store, flag, merge=True)
        assert (batch.revised, batch.created_by) == (2, ANALYST_USER)
        [done] = store.likely_duplicates(open_only=False)
        assert done.resolution == "merged" and store.likely_duplicates() == []


def test_cli_viewer_is_refused_analyst_is_named(team: Team, tmp_path: Path) -> None:
    path = tmp_path / "one.geojson"
    write_incidents([new_incident(7, review="pending")], path)
    assert ok(cli(team.viewer, "roles", "show"))["role"] == "viewer"
    refused(cli(team.viewer, "import", str(path)), VIEWER_USER, "viewer", "analyst role")
    refused(cli(team.viewer, "review", CURATED[0].id, "reject"), "viewer")
    refused(cli(team.viewer, "ingest", str(ARTICLES_DIR)), "viewer")
    assert [b["by"] for b in ok(cli(team.viewer, "batches"))] == ["postgres"] * BUNDLED_BATCHES

    assert ok(cli(team.analyst, "import", str(path)))["stored"] == 1
    done = ok(cli(team.analyst, "review", "team-7", "accept"))
    assert (done["review"], done["by"]) == ("accepted", ANALYST_USER)
    assert [b["by"] for b in ok(cli(team.viewer, "batches"))] == [
        *["postgres"] * BUNDLED_BATCHES,
        *[ANALYST_USER] * 2,
    ]
    history = ok(cli(team.viewer, "history", "team-7"))
    assert [(v["by"], v["incident"]["review"]) for v in history] == [
        (ANALYST_USER, "pending"),
        (ANALYST_USER, "accepted"),
    ]
    # roles are an admin's to hand out
    refused(cli(team.analyst, "roles", "grant", VIEWER_USER, "admin", "--prefix", PREFIX), "admin")


def test_roles_cli_prints_the_sql_and_grants(team: Team) -> None:
    out = cli(team.owner, "roles", "create", "--sql", "--prefix", PREFIX)
    assert out.returncode == 0, out.stderr
    for name in role_names(PREFIX).values():
        assert f'CREATE ROLE "{name}" NOLOGIN' in out.stdout
    assert "created_by" not in out.stdout.split("GRANT INSERT (", 1)[1].split(")", 1)[0]
    granted = ok(cli(team.owner, "roles", "grant", ANALYST_USER, "viewer", "--prefix", PREFIX))
    assert granted == {"user": ANALYST_USER, "granted": f"{PREFIX}viewer"}
    wrong = cli(team.owner, "roles", "grant", ANALYST_USER, "boss", "--prefix", PREFIX)
    assert wrong.returncode == 2 and "expected one of viewer, analyst, admin" in wrong.stderr
    assert cli(team.owner, "roles", "grant", ANALYST_USER).returncode == 2
    shown = ok(cli(team.analyst, "roles", "show"))
    assert (shown["user"], shown["role"], shown["can_write"]) == (ANALYST_USER, "analyst", True)


def test_roles_on_an_embedded_store(tmp_path: Path) -> None:
    path = str(tmp_path / "atlas.sqlite")
    shown = ok(cli(path, "roles", "show"))
    assert (shown["user"], shown["role"], shown["can_admin"]) == (os_user(), "admin", True)
    assert ok(cli(path, "roles", "show", "--read-only"))["can_write"] is False
    out = cli(path, "roles", "create")
    assert out.returncode == 2 and "for a PostGIS store" in out.stderr


def test_roles_prefix_is_checked() -> None:
    with pytest.raises(ValidationError, match="prefix"):
        role_names('x"; DROP TABLE incidents; --')


# --- read-only mode -------------------------------------------------------------------------


def test_read_only_postgis_refuses_writes_even_unchecked(team: Team, tmp_path: Path) -> None:
    with open_store(team.owner, read_only=True) as store:
        access = store.access()
        assert access.read_only and access.role == "admin" and not access.can_write
        assert store.count() == len(CURATED)
        with pytest.raises(NotAllowedError, match="read-only"):
            store.import_batch(meta("ro.geojson"), [new_incident(3)])
        object.__setattr__(store, "_access", replace(access, read_only=False))
        with pytest.raises(NotAllowedError, match="read-only transaction"):
            store.import_batch(meta("ro.geojson"), [new_incident(3)])
        assert store.count() == len(CURATED)
    path = tmp_path / "one.geojson"
    write_incidents([new_incident(3)], path)
    refused(cli(team.owner, "import", str(path), "--read-only"), "read-only")
    refused(cli(team.owner, "import", str(path), env={"ATLAS_READ_ONLY": "1"}), "read-only")
    with open_store(team.owner, read_only=False) as store:
        assert store.count() == len(CURATED)


def test_read_only_embedded_refuses_writes_even_unchecked(tmp_path: Path) -> None:
    path = tmp_path / "atlas.sqlite"
    with pytest.raises(AtlasError, match="never makes one"):
        open_store(str(path), read_only=True)
    assert not path.exists()
    open_store(str(path), read_only=False).close()
    with open_store(str(path), read_only=True) as store:
        access = store.access()
        assert access.read_only and not access.can_write
        assert store.count() == len(CURATED)
        with pytest.raises(NotAllowedError, match="read-only"):
            store.import_batch(meta("ro.geojson"), [new_incident(3)])
        object.__setattr__(store, "_access", replace(access, read_only=False))
        with pytest.raises(NotAllowedError, match="readonly"):  # SQLite's query_only
            store.import_batch(meta("ro.geojson"), [new_incident(3)])
    one = tmp_path / "one.geojson"
    write_incidents([new_incident(3, review="pending")], one)
    refused(cli(str(path), "import", str(one), "--read-only"), "read-only")
    refused(cli(str(path), "import", str(one), env={"ATLAS_READ_ONLY": "yes"}), "read-only")
    refused(cli(str(path), "review", CURATED[0].id, "reject", "--read-only"), "read-only")
    bad = cli(str(path), "batches", env={"ATLAS_READ_ONLY": "maybe"})
    assert bad.returncode == 2 and "ATLAS_READ_ONLY" in bad.stderr, bad.stderr
    with open_store(str(path), read_only=False) as store:
        assert (store.count(), batch_count(store)) == (len(CURATED), BUNDLED_BATCHES)


def test_embedded_store_names_the_os_user(tmp_path: Path) -> None:
    path = tmp_path / "atlas.sqlite"
    one = tmp_path / "one.geojson"
    write_incidents([new_incident(4, review="pending")], one)
    assert ok(cli(str(path), "import", str(one)))["stored"] == 1
    ok(cli(str(path), "review", "team-4", "reject"))
    batches = ok(cli(str(path), "batches"))
    assert [b["by"] for b in batches] == [os_user()] * (BUNDLED_BATCHES + 2)
    assert [v["by"] for v in ok(cli(str(path), "history", "team-4"))] == [os_user()] * 2


# --- the audit step: a version-3 store gains batches.created_by ---------------------------


def _make_version_3(store: Store) -> None:
    """Undo the audit step by hand: the store as the program before it left it (version 3;
    tests/test_migration.py opens a real version-2 store, which takes every step)."""
    if isinstance(store, EmbeddedStore):
        store._connection.execute("ALTER TABLE batches DROP COLUMN created_by")
        store._connection.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    else:
        assert isinstance(store, PostgisStore)
        store.run_script(
            [
                "ALTER TABLE batches DROP COLUMN created_by",
                "UPDATE meta SET value = '3' WHERE key = 'schema_version'",
            ]
        )


@pytest.mark.parametrize("kind", ["embedded", "postgis"])
def test_a_version_3_store_is_upgraded_and_loses_nothing(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    with _any_store(kind, tmp_path, request) as url:
        with open_store(url, read_only=False) as store:
            store.import_batch(meta("old.geojson"), [new_incident(5)])
            before = (store.frame(), [replace(b, created_by=None) for b in store.batches()])
            _make_version_3(store)
        with open_store(url, read_only=False) as store:
            after = (store.frame(), store.batches())
            assert after[0].equals(before[0])
            assert after[1] == before[1]  # old batches: author unknown (NULL)
            version = store._read("SELECT value FROM meta WHERE key = 'schema_version'")
            assert version[0]["value"] == SCHEMA_VERSION == "4"
            info = store.import_batch(meta("new.geojson"), [new_incident(6)])
            assert info.created_by == (os_user() if kind == "embedded" else "postgres")


def _any_store(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> Any:
    from contextlib import nullcontext

    if kind == "embedded":
        return nullcontext(str(tmp_path / "atlas.sqlite"))
    return fresh_schema(request.getfixturevalue("postgis_url"))


def test_a_version_3_store_refuses_a_read_only_opening_with_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "atlas.sqlite"
    with open_store(str(path), read_only=False) as store:
        _make_version_3(store)
    with pytest.raises(NotAllowedError, match="upgrade the store .* from schema version 3"):
        open_store(str(path), read_only=True)


def test_a_viewer_cannot_upgrade_a_version_3_store(team: Team) -> None:
    with open_store(team.owner, read_only=False) as store:
        _make_version_3(store)
    with pytest.raises(NotAllowedError, match="admin role"):
        open_store(team.viewer, read_only=False)
    with pytest.raises(NotAllowedError, match="admin role"):
        open_store(team.analyst, read_only=False)


# --- the app --------------------------------------------------------------------------------


def _import_page() -> None:
    from components import import_page

    import_page.render()


def _review_page() -> None:
    from components import review_page

    review_page.render()


def _app_env(monkeypatch: pytest.MonkeyPatch, store: str, read_only: str = "") -> None:
    monkeypatch.setenv("ATLAS_STORE", store)
    monkeypatch.setenv("ATLAS_READ_ONLY", read_only)


def test_pages_follow_what_the_connection_may_do() -> None:
    from components.pages import visible_pages
    from geo.store import Access

    def titles(access: Access) -> list[str]:
        return [p.title for p in visible_pages(access)]

    assert titles(Access("bob", "analyst")) == ["Map", "Add reporting", "Import"]
    assert titles(Access("root", "admin")) == ["Map", "Add reporting", "Import"]
    assert titles(Access("alice", "viewer")) == ["Map", "Batches"]
    assert titles(Access("root", "admin", read_only=True)) == ["Map", "Batches"]


def test_app_viewer_gets_the_batch_list_with_authors_and_no_upload(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    from streamlit.testing.v1 import AppTest

    with open_store(team.analyst, read_only=False) as store:
        store.import_batch(meta("by-bob.geojson"), [new_incident(9)])
    _app_env(monkeypatch, team.viewer)
    at = AppTest.from_function(_import_page, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Batches"
    assert not at.get("file_uploader") and not at.button
    assert any(f"connected as {VIEWER_USER}, role viewer" in i.value for i in at.info)
    batches = next(d.value for d in at.dataframe if "by" in d.value.columns)
    assert batches["by"].tolist() == [ANALYST_USER, *["postgres"] * BUNDLED_BATCHES]  # newest first

    whole = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    whole.run()  # the map page, read by a viewer
    assert not whole.exception, whole.exception
    line = next(m.value for m in whole.markdown if " attacks (" in m.value)
    assert int(line.split("**")[1]) > 0  # the headline's count of attacks


def test_app_stale_review_page_refuses_and_writes_nothing(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page an analyst opened, then the analysts lost the right to change incidents: the
    click is refused by the database, the page says so, and nothing changed."""
    from streamlit.testing.v1 import AppTest

    with open_store(team.analyst, read_only=False) as store:
        store.import_batch(meta("waiting.geojson"), [new_incident(8, review="pending")])
        before = batch_count(store)
    _app_env(monkeypatch, team.analyst)
    at = AppTest.from_function(_review_page, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    analyst = role_names(PREFIX)["analyst"]
    with psycopg.connect(team.owner, autocommit=True) as conn:
        conn.execute(f'REVOKE UPDATE ON incidents FROM "{analyst}"')
    at.button(key="queue_accepted_team-8").click().run()
    assert not at.exception, at.exception
    assert any("Not saved" in e.value for e in at.error)
    shown = " ".join(h.proto.body for h in at.get("html"))
    assert "permission denied" in shown and "nothing was written" in shown
    with open_store(team.owner, read_only=False) as store:
        assert store.get("team-8").review == "pending"
        assert batch_count(store) == before
    with open_store(team.analyst, read_only=False) as store:  # asked afresh: no longer analyst
        assert store.access().role == "viewer"


def test_app_read_only_embedded_store_shows_no_writing_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from streamlit.testing.v1 import AppTest

    path = tmp_path / "atlas.sqlite"
    open_store(str(path), read_only=False).close()
    _app_env(monkeypatch, str(path), read_only="1")
    at = AppTest.from_function(_import_page, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Batches" and not at.get("file_uploader")
    assert any("Read-only display" in i.value for i in at.info)
    batches = next(d.value for d in at.dataframe if "by" in d.value.columns)
    assert batches["by"].tolist() == [os_user()] * BUNDLED_BATCHES


def test_app_refused_save_of_a_reviewed_article_stays_on_the_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stale Add reporting page on a read-only app: the save is refused, the page says why
    (it does not rerun the message away), the decided card stays, and nothing is written."""
    from streamlit.testing.v1 import AppTest

    path = tmp_path / "atlas.sqlite"
    with open_store(str(path), read_only=False) as store:
        before = (store.count(), batch_count(store))
    _app_env(monkeypatch, str(path), read_only="1")
    at = AppTest.from_function(_review_page, default_timeout=60)
    at.run()
    at.text_area(key="rev_text").input(
        " date 2024-02-07\nA drone attack targeted US forces at the Conoco gas field in eastern "
        "Syria on Tuesday, a US defense official said."
    )
    at.button(key="rev_extract").click().run()
    at.radio(key="rev_dec_0").set_value("accept").run()
    at.button(key="rev_save").click().run()
    assert not at.exception, at.exception
    assert any("Not saved" in e.value for e in at.error)
    assert "read-only" in " ".join(h.proto.body for h in at.get("html"))
    assert at.radio(key="rev_dec_0").value == "accept"
    with open_store(str(path), read_only=False) as store:
        assert (store.count(), batch_count(store)) == before


@pytest.mark.parametrize(
    ("read_only", "says", "not_said"),
    [
        ("", "Add reporting → Waiting for review", "an analyst settles"),
        ("1", "an analyst settles them under Add reporting", "Waiting for review"),
    ],
)
def test_app_batch_report_sends_look_alikes_where_the_reader_can_settle_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, read_only: str, says: str, not_said: str
) -> None:
    """A batch with look-alikes: one who may write is sent to the queue that settles them; a
    read-only reader (who has no Add reporting page) is told who does."""
    from streamlit.testing.v1 import AppTest

    two = ROOT / "tests" / "fixtures" / "two_attacks"
    path = tmp_path / "atlas.sqlite"
    with open_store(str(path), read_only=False) as store:
        import_file(store, two / "drone_shot_down.geojson", parallel=False)
        flagged = import_file(store, two / "drone_another_report.geojson", parallel=False)
    assert flagged.likely_duplicates == 1
    _app_env(monkeypatch, str(path), read_only=read_only)
    at = AppTest.from_function(_import_page, default_timeout=60)
    at.run()
    picker = next(s for s in at.selectbox if s.label.startswith("Open a batch's report"))
    picker.set_value(flagged.id).run()
    assert not at.exception, at.exception
    warned = " ".join(w.value for w in at.warning)
    assert says in warned and not_said not in warned
