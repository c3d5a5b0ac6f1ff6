"""The shared store: PostgreSQL with PostGIS, for teams (``--store postgresql://...``).

Same tables and behaviour as the embedded store (the logic is :mod:`geo.store.sql`), plus
``incidents.geom geometry(Point, 4326)``, generated from longitude/latitude (NULL when
unlocated) and GiST-indexed, ``jsonb`` for weapons and sources, ``date`` and ``timestamptz``.
The tables live in the first schema of the connection's ``search_path`` (``public`` unless the
URL says ``options=-c search_path=...``); PostGIS is created on first open when missing (a
role that may not do that gets a message saying what to ask for).

Concurrency.  Every import is one transaction that first takes a transaction-scoped advisory
lock (``pg_advisory_xact_lock``) keyed on the store's schema, so imports into one store run one
after the other, whichever process or machine starts them; readers never wait (MVCC).  With
writers serialised there are no serialization failures or deadlocks between our own writers,
and therefore no retry: a retry would need to replay the item stream, which is a one-shot
iterator we cannot rewind.  Batch ids are taken under the lock, so they are in commit order,
which the as-of queries rely on.  Should anything write outside that lock, the primary keys
still refuse a second copy of a row (the batch then fails and rolls back as a whole).  A
client that dies mid-batch loses its connection; the server rolls its transaction back and
releases the lock.

Who may write: the database's grants (:mod:`geo.store.roles` creates the viewer, analyst and
admin roles).  :meth:`PostgisStore.access` asks PostgreSQL what ``current_user`` may do; a
write it may not make is refused before it starts, and the database would refuse it anyway.
``batches.created_by`` defaults to ``current_user``, filled in by the database, never sent by
the client.  Opened read-only, the session is ``default_transaction_read_only``.

Credentials come from the URL or libpq's environment (``PGPASSWORD``, ``~/.pgpass``) and are
never shown: :attr:`PostgisStore.url` and every message carry the URL with the password
replaced by ``***``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any, ClassVar
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

import psycopg
from psycopg.abc import Buffer
from psycopg.rows import dict_row, tuple_row
from psycopg.types.json import JsonbBinaryLoader

from geo.errors import AtlasError, NotAllowedError
from geo.frame import sources_text
from geo.store.base import Access
from geo.store.lookalikes import (
    PROBE_CANDIDATES,
    PROBE_COLUMNS,
    PROBE_INDEX,
    PROBE_MATCH,
    PROBE_SELECT,
)
from geo.store.migrations import ensure_indexes, migrate
from geo.store.schema import BATCH_COUNTS, INDEXED, SCHEMA_VERSION, Tx, column_kinds, index_name
from geo.store.sql import SqlStore

_TYPES = {"text": "text", "int": "integer", "real": "double precision", "date": "date"}
_DSN_PASSWORD = re.compile(r"(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)", re.IGNORECASE)


#: the password of a URL's userinfo (``scheme://user:PASSWORD@``), for URLs urlsplit refuses
_URL_PASSWORD = re.compile(r"^([a-z]+://[^:/@]*:)[^@]*(@)", re.IGNORECASE)


def redact(url: str) -> str:
    """``url`` with any password replaced by ``***`` (URL userinfo, ``?password=``, or a
    ``key=value`` connection string)."""
    try:
        parts = urlsplit(url)
    except ValueError:  # malformed (e.g. an unclosed "[" host): mask by hand, never raise
        return _URL_PASSWORD.sub(r"\1***\2", url)
    if parts.scheme not in ("postgresql", "postgres"):
        return _DSN_PASSWORD.sub(r"\1***", url)
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        if ":" in userinfo:
            userinfo = userinfo.split(":", 1)[0] + ":***"
        netloc = f"{userinfo}@{host}"
    query = parts.query
    if "password" in query.lower():
        pairs = parse_qsl(query, keep_blank_values=True)
        query = "&".join(
            "password=***" if k.lower() == "password" else urlencode([(k, v)]) for k, v in pairs
        )
    return urlunsplit(parts._replace(netloc=netloc, query=query))


def _secrets(url: str) -> list[str]:
    """The password(s) in ``url``, raw and decoded, to scrub from driver messages."""
    found: list[str] = []
    parts = urlsplit(url)
    if parts.scheme in ("postgresql", "postgres"):
        userinfo = parts.netloc.rsplit("@", 1)[0] if "@" in parts.netloc else ""
        if ":" in userinfo:
            raw = userinfo.split(":", 1)[1]
            found += [raw, unquote(raw)]
        found += [v for k, v in parse_qsl(parts.query) if k.lower() == "password"]
    found += [m.group(2).strip("'") for m in _DSN_PASSWORD.finditer(url)]
    return [s for s in found if s]


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class _SourcesText(JsonbBinaryLoader):
    """A ``sources`` jsonb value read as the frame holds it: decoded by psycopg, then written
    by :func:`geo.frame.sources_text` (jsonb keeps no key order of its own)."""

    def load(self, data: Buffer) -> str:
        return sources_text(super().load(data))


def tables_3() -> list[str]:
    """What version 3 adds beside the ``batches.likely_duplicates`` column (record identity:
    :mod:`geo.store.migrations`)."""
    return [
        "CREATE TABLE IF NOT EXISTS likely_duplicates (id text NOT NULL, other_id text NOT NULL, "
        "batch_id bigint NOT NULL REFERENCES batches(id), reason text NOT NULL, resolution text, "
        "PRIMARY KEY (id, other_id))",
        "CREATE INDEX IF NOT EXISTS likely_duplicates_batch_id_idx ON likely_duplicates (batch_id)",
        "CREATE TABLE IF NOT EXISTS incident_aliases (alias text PRIMARY KEY, id text NOT NULL)",
        f"CREATE INDEX IF NOT EXISTS {PROBE_INDEX} ON incidents "
        "((coalesce(site_id, location)), event_type, date_precision, date_start)",
    ]


def schema(ext: str) -> list[str]:
    """The DDL; ``ext`` is the (quoted) schema PostGIS lives in."""
    cols = []
    for name, (kind, nullable) in column_kinds().items():
        key = " PRIMARY KEY" if name == "id" else ""
        cols.append(f"{name} {_TYPES[kind]}{'' if nullable else ' NOT NULL'}{key}")
    cols += ["weapons jsonb NOT NULL", "sources jsonb NOT NULL", "content_hash text NOT NULL"]
    incident_cols = ", ".join(cols)
    counts = ", ".join(f"{c} integer NOT NULL DEFAULT 0" for c in BATCH_COUNTS)
    point = (
        f"{ext}.ST_SetSRID({ext}.ST_MakePoint(longitude, latitude), 4326)::"
        f"{ext}.geometry(Point, 4326)"
    )
    stmts = [
        "CREATE TABLE IF NOT EXISTS meta (key text PRIMARY KEY, value text NOT NULL)",
        "CREATE TABLE IF NOT EXISTS batches ("
        "id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
        "started_at timestamptz NOT NULL, finished_at timestamptz NOT NULL, "
        f"file_name text NOT NULL, content_sha256 text NOT NULL, format text NOT NULL, {counts})",
        f"CREATE TABLE IF NOT EXISTS incidents ({incident_cols}, "
        "batch_id bigint NOT NULL REFERENCES batches(id), "
        f"geom {ext}.geometry(Point, 4326) GENERATED ALWAYS AS ("
        f"CASE WHEN longitude IS NULL OR latitude IS NULL THEN NULL ELSE {point} END) STORED)",
        "CREATE TABLE IF NOT EXISTS incident_history ("
        + incident_cols.replace(" PRIMARY KEY", "")
        + ", batch_id bigint NOT NULL REFERENCES batches(id), "
        "superseded_by bigint NOT NULL REFERENCES batches(id), PRIMARY KEY (id, superseded_by))",
        "CREATE TABLE IF NOT EXISTS rejects ("
        "id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
        "batch_id bigint NOT NULL REFERENCES batches(id), file text NOT NULL, "
        '"row" integer NOT NULL, field text NOT NULL, value text NOT NULL, reason text NOT NULL)',
        "CREATE INDEX IF NOT EXISTS incident_history_asof_idx "
        "ON incident_history (batch_id, superseded_by)",
        "CREATE INDEX IF NOT EXISTS incidents_batch_id_idx ON incidents (batch_id)",
        "CREATE INDEX IF NOT EXISTS incidents_geom_idx ON incidents USING gist (geom)",
        "CREATE INDEX IF NOT EXISTS rejects_batch_id_idx ON rejects (batch_id)",
        "CREATE INDEX IF NOT EXISTS batches_finished_at_idx ON batches (finished_at)",
    ]
    stmts += [
        f"CREATE INDEX IF NOT EXISTS {index_name(c)} ON incidents ({', '.join(c)})" for c in INDEXED
    ]
    stmts += tables_3()
    stmts.append(
        "INSERT INTO meta (key, value) VALUES ('schema_version', "
        f"'{SCHEMA_VERSION}') ON CONFLICT (key) DO NOTHING"
    )
    return stmts


class _Tx:
    def __init__(self, conn: psycopg.Connection[dict[str, Any]]) -> None:
        self._conn = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cur = self._conn.execute(sql.replace("?", "%s"), params)
        return cur.fetchall() if cur.description is not None else []

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        with self._conn.cursor() as cur:
            cur.executemany(sql.replace("?", "%s"), rows)

    def where_in(self, ids: Sequence[str]) -> tuple[str, list[Any]]:
        return "= ANY(?::text[])", [list(ids)]

    def insert(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        # COPY: several times faster than INSERTs; text format takes the ISO dates and the JSON
        # text as they are, and ``geom`` (not listed) is generated
        with (
            self._conn.cursor() as cur,
            cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)


class PostgisStore(SqlStore):
    """The store in a PostgreSQL database with PostGIS."""

    _PROBE_TABLE = (
        "CREATE TEMP TABLE IF NOT EXISTS atlas_probe ("
        + ", ".join(
            f"{c} {'integer' if c == 'prec' else 'date' if c in ('lo', 'hi', 'day_start') else 'text'}"
            " NOT NULL"
            for c in PROBE_COLUMNS
        )
        + ")"
    )

    def _probe_sql(self) -> str:
        # LATERAL with a LIMIT: one index scan of the probe index per probe row.  A plain join
        # lets the planner (no statistics on the temporary table) sort every incident of the
        # store per chunk for a merge join.  The limit bounds the candidates read per probe row.
        return (
            f"SELECT {PROBE_SELECT} FROM atlas_probe p CROSS JOIN LATERAL ("
            f"SELECT * FROM incidents o WHERE {PROBE_MATCH} ORDER BY o.id "
            f"LIMIT {PROBE_CANDIDATES}) o ORDER BY p.id, o.id"
        )

    def _ddl_to_3(self) -> list[str]:
        return [
            "ALTER TABLE batches ADD COLUMN IF NOT EXISTS likely_duplicates integer NOT NULL "
            "DEFAULT 0",
            *tables_3(),
        ]

    def __init__(self, url: str, read_only: bool = False) -> None:
        super().__init__(redact(url), read_only)
        self._dsn = url
        self._closed = False
        self._conn: psycopg.Connection[dict[str, Any]] | None = None
        self._conn = self._connect()
        try:
            self._schema = self._read("SELECT current_schema() AS s")[0]["s"]
            if self._schema is None:
                raise AtlasError(
                    f"{self.url}: no schema of the search_path exists to hold the store's tables"
                )
            digest = hashlib.sha256(f"incident-atlas:{self._schema}".encode()).digest()
            self._lock_key = int.from_bytes(digest[:8], "big", signed=True)
            self._ensure_schema()
        except psycopg.Error as exc:
            self.close()
            raise AtlasError(f"cannot open the store {self.url}: {self._scrub(exc)}") from None
        except BaseException:
            self.close()
            raise

    @property
    def schema(self) -> str:
        """The schema that holds the store's tables."""
        return str(self._schema)

    def run_script(self, statements: Sequence[str]) -> None:
        """Run statements (DDL, grants) as one transaction under the writer lock."""
        with self._write() as tx:
            for stmt in statements:
                tx.execute(stmt)

    def _scrub(self, exc: BaseException) -> str:
        text = str(exc).strip()
        for secret in _secrets(self._dsn):
            text = text.replace(secret, "***")
        return text

    def _connect(self) -> psycopg.Connection[dict[str, Any]]:
        try:
            conn = psycopg.connect(self._dsn, autocommit=True, row_factory=dict_row)
            if self.read_only:  # every transaction of this session, ours included
                conn.execute("SET default_transaction_read_only = on")
            return conn
        except psycopg.Error as exc:
            raise AtlasError(
                f"cannot connect to the store {self.url}: {self._scrub(exc)}"
            ) from None

    @property
    def _connection(self) -> psycopg.Connection[dict[str, Any]]:
        if self._closed:
            raise AtlasError(f"the store {self.url} is closed")
        if self._conn is None or self._conn.closed:  # lost (server restart): connect again
            self._conn = self._connect()
        return self._conn

    def _version(self) -> str | None:
        # looked up in the store's own schema, not wherever the search_path would find one
        rows = self._read(
            "SELECT to_regclass(quote_ident(current_schema()) || '.meta') IS NOT NULL AS present"
        )
        if not rows[0]["present"]:
            return None
        rows = self._read("SELECT value FROM meta WHERE key = 'schema_version'")
        return rows[0]["value"] if rows else None

    def _postgis_schema(self, tx: _Tx) -> str | None:
        rows = tx.execute(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
            "WHERE e.extname = 'postgis'"
        )
        return rows[0]["nspname"] if rows else None

    def _ensure_schema(self) -> None:
        # Only a store without tables takes the writer lock: opening never waits for an import.
        version = self._version()
        if version is None:
            if self.read_only:
                raise AtlasError(
                    f"{self.url} (schema {self._schema}) holds no store: the read-only mode "
                    "opens a store, never makes one"
                )
            with self._write() as tx:
                ext = self._postgis_schema(tx)
                if ext is None:
                    problem = "no error"
                    try:
                        # a savepoint: if another store in this database creates it at the same
                        # moment, ours fails and the check below finds theirs
                        with self._connection.transaction():
                            tx.execute("CREATE EXTENSION IF NOT EXISTS postgis")
                    except psycopg.Error as exc:
                        problem = self._scrub(exc)
                    ext = self._postgis_schema(tx)
                    if ext is None:
                        raise AtlasError(
                            f"{self.url}: PostGIS is not installed in this database and could "
                            f"not be ({problem}); ask an administrator to run "
                            "CREATE EXTENSION postgis"
                        )
                for stmt in schema(_q(ext)):
                    tx.execute(stmt)
                self._add_audit_columns(tx)
            version = self._version()
        if version is not None:
            version = migrate(self, version)
        if version != SCHEMA_VERSION:
            raise AtlasError(
                f"{self.url} (schema {self._schema}) holds store schema version {version}; this "
                f"program reads version {SCHEMA_VERSION} and migrates stores from version 2 on"
            )
        ensure_indexes(self)

    def _find_access(self) -> Access:
        # column privileges count: an analyst may insert and update some columns of batches
        tables = {t: f"{_q(self._schema)}.{t}" for t in ("batches", "incidents", "rejects")}
        tables["history"] = f"{_q(self._schema)}.incident_history"
        row = self._read(
            "SELECT current_user AS who, "
            "has_any_column_privilege(?, 'INSERT') AND has_any_column_privilege(?, 'UPDATE') "
            # (one privilege per call: a list is true when any one of them is held)
            "AND has_table_privilege(?, 'INSERT') AND has_table_privilege(?, 'UPDATE') "
            "AND has_table_privilege(?, 'INSERT') AND has_table_privilege(?, 'INSERT') "
            "AS writes, "
            "pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = ?::regclass), "
            "'USAGE') AS owns, "
            "current_setting('transaction_read_only') = 'on' AS read_only",
            (
                tables["batches"],
                tables["batches"],
                tables["incidents"],
                tables["incidents"],
                tables["history"],
                tables["rejects"],
                tables["incidents"],
            ),
        )[0]
        role = "admin" if row["owns"] else "analyst" if row["writes"] else "viewer"
        why = "" if role == "admin" else f"by the database's grants in schema {self._schema}"
        # read-only by our setting, or by the database's (a standby, or a role set read-only)
        return Access(user=row["who"], role=role, read_only=bool(row["read_only"]), why=why)

    def _audit_ddl(self, tx: Tx) -> list[str]:
        # existing batches keep NULL (their author was never recorded); new ones get the
        # database user by default, so no client need (or, with roles, may) send it
        return [
            "ALTER TABLE batches ADD COLUMN IF NOT EXISTS created_by text",
            "ALTER TABLE batches ALTER COLUMN created_by SET DEFAULT current_user",
        ]

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        return self._connection.execute(sql.replace("?", "%s"), params).fetchall()

    # ids in byte order (UTF-8: code point order), as SQLite and Python sort them, whatever the
    # database's collation: a frame's order is the same from either store and from the cache
    _ORDER: ClassVar[str] = 'date_start, id COLLATE "C"'

    # a frame reads weapons as jsonb's text (a few distinct lists, each decoded once) and the
    # sources as jsonb, each decoded and written as the frame's text (_SourcesText)
    _frame_columns: ClassVar[Mapping[str, str]] = {"weapons": "weapons::text"}

    def _read_frame_rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self._read_tuples(sql, params, sources_as_text=True)

    def _read_tuples(
        self, sql: str, params: Sequence[Any] = (), *, sources_as_text: bool = False
    ) -> list[tuple[Any, ...]]:
        # binary: numbers and dates cross without a text round trip (a tenth off a frame)
        with self._connection.cursor(row_factory=tuple_row, binary=True) as cur:
            if sources_as_text:  # the only jsonb column a frame reads as it is
                cur.adapters.register_loader("jsonb", _SourcesText)
            return cur.execute(sql.replace("?", "%s"), params).fetchall()

    @contextmanager
    def _write(self) -> Iterator[_Tx]:
        with self._lock:
            conn = self._connection
            try:
                with conn.transaction():
                    conn.execute("SELECT pg_advisory_xact_lock(%s)", (self._lock_key,))
                    yield _Tx(conn)
            except (
                psycopg.errors.InsufficientPrivilege,
                psycopg.errors.ReadOnlySqlTransaction,
            ) as exc:
                # the database refused (grants changed since access() asked, or a path that
                # did not ask): rolled back, so nothing was written
                raise NotAllowedError(
                    f"write to the store {self.url}", self._who(), self._scrub(exc)
                ) from None

    def _who(self) -> str:
        return self._access.user if self._access is not None else "this connection"

    def _explain(self, sql: str, params: Sequence[Any] = ()) -> str:
        return "\n".join(r[0] for r in self._read_tuples(f"EXPLAIN {sql}", params))

    def _date_param(self, day: date) -> date:
        return day

    def _index_names(self) -> set[str]:
        rows = self._read(
            "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() "
            "AND tablename = 'incidents'"
        )
        return {r["indexname"] for r in rows}

    def _ts_param(self, when: datetime) -> datetime:
        return when.astimezone(UTC)

    def _ts_value(self, value: Any) -> datetime:
        return value.astimezone(UTC)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            if self._conn is not None:
                self._conn.close()
                self._conn = None
