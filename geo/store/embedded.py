"""The embedded store: one SQLite file (the default, ``var/atlas.sqlite``).

Why SQLite: the whole store is one file that needs no server and no package beyond the standard
library; in WAL mode any number of processes read while one writes (the app stays open and keeps
answering while the CLI imports), and its transactions are ACID, so an import batch is
all-or-nothing even when the process is killed half-way.  Two writers never fail: the second
waits (``busy_timeout``, :data:`BUSY_TIMEOUT_MS`) until the first commits.

Tables (created idempotently on open): ``meta`` (``schema_version``), ``batches`` (with
``created_by``, the OS user who wrote the batch), ``incidents``
(one column per scalar model field, ``weapons``/``sources`` as JSON text, ``content_hash``,
``batch_id``), ``incident_history`` (superseded versions, with ``superseded_by``) and
``rejects``.  Dates are ISO text, timestamps ISO UTC text with microseconds (so text order is
time order).

Who may write: SQLite has no users, so the OS decides: whoever may write the file is its
single owner (``admin`` in :data:`geo.store.base.ROLES`), anyone else a ``viewer``.  Opened
read-only (``read_only``), the connection is ``PRAGMA query_only``: SQLite itself refuses every
write, and a missing file is an error rather than a new empty store.
"""

from __future__ import annotations

import getpass
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from geo.errors import AtlasError, NotAllowedError
from geo.store.base import Access, BatchInfo, BatchMeta, Item, Progress
from geo.store.lookalikes import PROBE_COLUMNS, PROBE_INDEX
from geo.store.migrations import ensure_indexes, migrate
from geo.store.schema import (
    BATCH_COUNTS,
    INDEXED,
    SCHEMA_VERSION,
    Tx,
    column_kinds,
    index_name,
    insert_sql,
)
from geo.store.sql import SqlStore

#: how long a writer waits for another process's import to finish before giving up
BUSY_TIMEOUT_MS = 10 * 60 * 1000
#: SQLite's page cache while an import runs (its default is 2 MB): a big import's indexes then
#: stay in memory instead of going back and forth through the WAL for every row (a million-row
#: import writes its rows a third faster).  A bound, not an allocation: pages are cached as they
#: are touched, and let go when the import ends.
IMPORT_CACHE_KIB = 64 * 1024
#: how much of the file SQLite may read through a memory map instead of ``read()`` calls: a
#: full scan (a million-row frame) spends a fifth less time.  SQLite caps it at its build's
#: maximum (2 GB by default); the map takes address space, not memory.
MMAP_BYTES = 1 << 31

_TYPES = {"text": "TEXT", "int": "INTEGER", "real": "REAL", "date": "TEXT"}


def _incident_columns() -> str:
    cols = []
    for name, (kind, nullable) in column_kinds().items():
        key = " PRIMARY KEY" if name == "id" else ""
        cols.append(f"{name} {_TYPES[kind]}{'' if nullable else ' NOT NULL'}{key}")
    cols += ["weapons TEXT NOT NULL", "sources TEXT NOT NULL", "content_hash TEXT NOT NULL"]
    return ", ".join(cols)


def tables_3() -> list[str]:
    """What version 3 adds beside the ``batches.likely_duplicates`` column (record identity:
    :mod:`geo.store.migrations`)."""
    return [
        "CREATE TABLE IF NOT EXISTS likely_duplicates (id TEXT NOT NULL, other_id TEXT NOT NULL, "
        "batch_id INTEGER NOT NULL REFERENCES batches(id), reason TEXT NOT NULL, resolution TEXT, "
        "PRIMARY KEY (id, other_id))",
        "CREATE INDEX IF NOT EXISTS likely_duplicates_batch_id_idx ON likely_duplicates (batch_id)",
        "CREATE TABLE IF NOT EXISTS incident_aliases (alias TEXT PRIMARY KEY, id TEXT NOT NULL)",
        f"CREATE INDEX IF NOT EXISTS {PROBE_INDEX} ON incidents "
        "(coalesce(site_id, location), event_type, date_precision, date_start)",
    ]


def schema() -> list[str]:
    counts = ", ".join(f"{c} INTEGER NOT NULL DEFAULT 0" for c in BATCH_COUNTS)
    stmts = [
        "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS batches (id INTEGER PRIMARY KEY AUTOINCREMENT, "
        "started_at TEXT NOT NULL, finished_at TEXT NOT NULL, file_name TEXT NOT NULL, "
        f"content_sha256 TEXT NOT NULL, format TEXT NOT NULL, {counts})",
        f"CREATE TABLE IF NOT EXISTS incidents ({_incident_columns()}, "
        "batch_id INTEGER NOT NULL REFERENCES batches(id))",
        # the same columns; (id, superseded_by) is unique since a batch revises an id once
        "CREATE TABLE IF NOT EXISTS incident_history ("
        + _incident_columns().replace(" PRIMARY KEY", "")
        + ", batch_id INTEGER NOT NULL REFERENCES batches(id), "
        "superseded_by INTEGER NOT NULL REFERENCES batches(id), PRIMARY KEY (id, superseded_by))",
        "CREATE TABLE IF NOT EXISTS rejects (id INTEGER PRIMARY KEY, "
        "batch_id INTEGER NOT NULL REFERENCES batches(id), file TEXT NOT NULL, "
        '"row" INTEGER NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL, reason TEXT NOT NULL)',
        "CREATE INDEX IF NOT EXISTS incident_history_asof_idx "
        "ON incident_history (batch_id, superseded_by)",
        "CREATE INDEX IF NOT EXISTS incidents_batch_id_idx ON incidents (batch_id)",
        "CREATE INDEX IF NOT EXISTS rejects_batch_id_idx ON rejects (batch_id)",
        "CREATE INDEX IF NOT EXISTS batches_finished_at_idx ON batches (finished_at)",
    ]
    stmts += [
        f"CREATE INDEX IF NOT EXISTS {index_name(cols)} ON incidents ({', '.join(cols)})"
        for cols in INDEXED
    ]
    stmts += tables_3()
    stmts.append(
        f"INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', '{SCHEMA_VERSION}')"
    )
    return stmts


class _Tx:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        return [dict(r) for r in self._conn.execute(sql, params).fetchall()]

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self._conn.executemany(sql, rows)

    def where_in(self, ids: Sequence[str]) -> tuple[str, list[Any]]:
        return f"IN ({', '.join('?' for _ in ids)})", list(ids)

    def insert(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        self._conn.executemany(insert_sql(table, columns), rows)


def os_user() -> str:
    """The OS user running this process (what the embedded store records as a batch's
    author): the login name, else the numeric uid."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no passwd entry and no LOGNAME/USER (some containers)
        return f"uid {os.getuid()}"


class EmbeddedStore(SqlStore):
    """The store in one SQLite file, created (with its directory) if missing; with
    ``read_only``, an existing file opened so that nothing can be written to it."""

    # ``place`` has no declared type: a TEXT column would give the comparison with the index's
    # expression (which has no affinity) an affinity, and SQLite would then not seek the index
    _PROBE_TABLE = (
        "CREATE TEMP TABLE IF NOT EXISTS atlas_probe ("
        + ", ".join(
            f"{c}{'' if c == 'place' else ' INTEGER' if c == 'prec' else ' TEXT'} NOT NULL"
            for c in PROBE_COLUMNS
        )
        + ")"
    )

    # without statistics on the temporary table SQLite would rather walk every incident of the
    # event type for each probe row; the probe index makes each a bounded seek
    _PROBE_FROM = f"incidents o INDEXED BY {PROBE_INDEX}"

    def _ddl_to_3(self) -> list[str]:
        return [
            "ALTER TABLE batches ADD COLUMN likely_duplicates INTEGER NOT NULL DEFAULT 0",
            *tables_3(),
        ]

    def __init__(self, path: Path, read_only: bool = False) -> None:
        path = Path(path)
        super().__init__(str(path), read_only)
        self.path = path
        if read_only and not path.is_file():
            raise AtlasError(
                f"no store at {path}: the read-only mode opens a store, never makes one"
            )
        try:
            if not read_only:
                path.parent.mkdir(parents=True, exist_ok=True)
            # isolation_level=None: no implicit transactions; import_batch says BEGIN itself
            conn = sqlite3.connect(
                path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
            )
        except (OSError, sqlite3.Error) as exc:
            raise AtlasError(f"cannot open the store {path}: {exc}") from None
        conn.row_factory = sqlite3.Row
        self._conn: sqlite3.Connection | None = conn
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise AtlasError(f"{path}: SQLite would not switch to WAL mode (got {mode!r})")
            self._ensure_schema()
            if read_only:  # SQLite refuses every write on this connection from now on
                conn.execute("PRAGMA query_only = ON")
        except sqlite3.Error as exc:
            conn.close()
            self._conn = None
            raise AtlasError(f"cannot open the store {path}: {exc}") from None
        except BaseException:
            conn.close()
            self._conn = None
            raise

    def _version(self) -> str | None:
        try:
            row = self._connection.execute(
                "SELECT value FROM meta WHERE key = 'schema_version'"
            ).fetchone()
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc):
                return None
            raise
        return None if row is None else str(row[0])

    def _ensure_schema(self) -> None:
        # Only a store without tables, or without an index this version adds, takes the write
        # lock (so opening never waits for an import running in another process otherwise).
        version = self._version()
        if version is None:
            self.access().require(f"create a store in {self.path}", admin=True)
            with self._write() as tx:
                for stmt in schema():
                    tx.execute(stmt)
                self._add_audit_columns(tx)
            version = self._version()
        if version is not None:
            version = migrate(self, version)
        if version != SCHEMA_VERSION:
            raise AtlasError(
                f"{self.path} holds store schema version {version}; this program reads "
                f"version {SCHEMA_VERSION} and migrates stores from version 2 on"
            )
        ensure_indexes(self)

    def _find_access(self) -> Access:
        user = os_user()
        if os.access(self.path, os.W_OK) and os.access(self.path.parent, os.W_OK):
            return Access(user=user, role="admin", read_only=self.read_only)
        # SQLite also writes the -wal and -shm files beside the store
        why = f"{user} may not write {self.path} or its folder"
        return Access(user=user, role="viewer", read_only=self.read_only, why=why)

    def _author(self) -> str:
        return self.access().user

    def _audit_ddl(self, tx: Tx) -> list[str]:
        present = {r["name"] for r in tx.execute("PRAGMA table_info(batches)")}
        return [] if "created_by" in present else ["ALTER TABLE batches ADD COLUMN created_by TEXT"]

    @property
    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise AtlasError(f"the store {self.path} is closed")
        return self._conn

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        return [dict(r) for r in self._connection.execute(sql, params).fetchall()]

    def _read_tuples(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        cursor = self._connection.cursor()
        cursor.row_factory = None  # plain tuples, not sqlite3.Row
        return cursor.execute(sql, params).fetchall()

    def _read_frame_rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        # text as bytes: a fifth less time than decoding every value to str here; the frame
        # decodes it column by column (geo.frame.finish).  (Callers hold the lock.)
        conn = self._connection
        conn.text_factory = bytes
        try:
            return self._read_tuples(sql, params)
        finally:
            conn.text_factory = str

    def import_batch(
        self, meta: BatchMeta, items: Iterable[Item], progress: Progress | None = None
    ) -> BatchInfo:
        conn = self._connection
        with self._lock:
            before = int(conn.execute("PRAGMA cache_size").fetchone()[0])
            conn.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
            try:
                return super().import_batch(meta, items, progress)
            finally:
                if self._conn is not None:  # (closed by another thread: nothing to restore)
                    conn.execute(f"PRAGMA cache_size = {before}")

    @contextmanager
    def _write(self) -> Iterator[_Tx]:
        conn = self._connection
        with self._lock:
            # IMMEDIATE: take the write lock now (waiting up to busy_timeout for another
            # writer), so the batch never fails half-way because someone else is writing
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                if "readonly" in str(exc) or "read-only" in str(exc):
                    raise NotAllowedError(
                        f"write to the store {self.path}", self.access().user, str(exc)
                    ) from None
                raise
            try:
                yield _Tx(conn)
            except sqlite3.OperationalError as exc:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                if "readonly" in str(exc):  # query_only, or the file became read-only
                    raise NotAllowedError(
                        f"write to the store {self.path}", self.access().user, str(exc)
                    ) from None
                raise
            except BaseException:
                if conn.in_transaction:  # SQLite may have rolled back already (disk full)
                    conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def _explain(self, sql: str, params: Sequence[Any] = ()) -> str:
        # EXPLAIN QUERY PLAN rows are (id, parent, -, detail): indent each under its parent
        depth: dict[int, int] = {}
        lines = []
        for node, parent, _unused, detail in self._read_tuples(f"EXPLAIN QUERY PLAN {sql}", params):
            depth[node] = depth.get(parent, -1) + 1
            lines.append("  " * depth[node] + detail)
        return "\n".join(lines)

    def _date_param(self, day: date) -> str:
        return day.isoformat()  # dates are ISO text, which sorts as the dates do

    def _index_names(self) -> set[str]:
        rows = self._read(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?", ("incidents",)
        )
        return {r["name"] for r in rows}

    def _ts_param(self, when: datetime) -> str:
        return when.astimezone(UTC).isoformat(timespec="microseconds")

    def _ts_value(self, value: Any) -> datetime:
        return datetime.fromisoformat(value).astimezone(UTC)

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
