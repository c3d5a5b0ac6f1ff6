"""The tables both SQL stores hold: their version, columns and indexes, the statements every
dialect shares (``?`` placeholders; the PostGIS side turns them into ``%s``), and how values
travel (dates, timestamps, the write transaction :class:`Tx`).

Each store writes its own DDL from these (:mod:`geo.store.embedded`, :mod:`geo.store.postgis`);
:mod:`geo.store.migrations` brings older stores up to :data:`SCHEMA_VERSION`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any, Protocol

from geo.model import DATE_PRECISION, Incident
from geo.store.rows import SCALAR_FIELDS

#: bump when the tables change, and add the step from the previous version to
#: :data:`geo.store.migrations.MIGRATIONS`; a store of a version with no path to this one is
#: refused, and only a role that may change the schema migrates.  2: the review column;
#: 3: record identity (likely duplicates, aliases); 4: batches.created_by (who did what)
SCHEMA_VERSION = "4"

#: the columns of ``incidents`` (and of ``incident_history``, which adds ``superseded_by``)
INCIDENT_COLUMNS: tuple[str, ...] = (
    *SCALAR_FIELDS,
    "weapons",
    "sources",
    "content_hash",
    "batch_id",
)
HISTORY_COLUMNS: tuple[str, ...] = (*INCIDENT_COLUMNS, "superseded_by")
#: what :meth:`SqlStore.frame` reads: the model's fields in their order (``geo.frame.COLUMNS``)
FRAME_COLUMNS: tuple[str, ...] = tuple(Incident.model_fields)
BATCH_COUNTS: tuple[str, ...] = (
    "read",
    "stored",
    "revised",
    "duplicates",
    "rejected",
    "likely_duplicates",  # since version 3
)
#: columns indexed in both stores (PostGIS adds a GiST index on ``geom``)
INDEXED: tuple[tuple[str, ...], ...] = (
    ("date_start",),
    ("date_end",),
    ("site_id",),
    ("country",),
    ("dataset",),
    ("event_type",),
    ("longitude", "latitude"),
    # what later batches brought (frame(since=...): the app's frame cache catching up)
    ("batch_id",),
    # site_counts: two equalities, then a range of date_start; the other two columns are read
    # from the index too (SQLite: a covering index; PostgreSQL: an index-only scan)
    ("event_type", "review", "date_start", "date_end", "site_id"),
)
#: the widest date window the model allows (``date_end - date_start``, in days).  A window
#: reaching a range's start began at most this long before it, so the overlap test becomes a
#: bounded range of ``date_start`` an index can seek (``date_start <= end`` alone is half the
#: table for a range in the middle of the data).
WIDEST_WINDOW_DAYS = max(widest for _meaning, widest in DATE_PRECISION.values())

#: the incidents table's columns, as a select list
INCIDENT_SELECT = ", ".join(INCIDENT_COLUMNS)


def column_kinds() -> dict[str, tuple[str, bool]]:
    """Each scalar field's kind (``text``, ``int``, ``real`` or ``date``) and whether it may be
    null, read from the model so the tables follow it."""
    import types
    import typing
    from datetime import date

    kinds: dict[str, tuple[str, bool]] = {}
    for name in SCALAR_FIELDS:
        ann = Incident.model_fields[name].annotation
        args = typing.get_args(ann) if isinstance(ann, types.UnionType) else ()
        nullable = type(None) in args
        base = next((a for a in args if a is not type(None)), ann)
        if base is date:
            kind = "date"
        elif base is int:
            kind = "int"
        elif base is float:
            kind = "real"
        else:  # str and Literal[...] of strings
            kind = "text"
        kinds[name] = (kind, nullable)
    return kinds


def index_name(columns: Sequence[str]) -> str:
    return "incidents_" + "_".join(columns) + "_idx"


def create_index(columns: Sequence[str]) -> str:
    return f"CREATE INDEX IF NOT EXISTS {index_name(columns)} ON incidents ({', '.join(columns)})"


#: :meth:`SqlStore.site_counts`: parameters event type, review, lowest and highest date_start,
#: lowest date_end
SITE_COUNTS_SQL = (
    "SELECT site_id, count(*) AS attacks, min(date_start) AS first_date, "
    "max(date_end) AS last_date FROM incidents "
    "WHERE event_type = ? AND review = ? AND site_id IS NOT NULL "
    "AND date_start >= ? AND date_start <= ? AND date_end >= ? "
    "GROUP BY site_id ORDER BY site_id"
)


def insert_sql(table: str, columns: Sequence[str]) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"


def as_date(value: Any) -> date:
    """A date column's value: ISO text from SQLite, a date from PostgreSQL."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def utc_now() -> datetime:
    return datetime.now(UTC)


def as_utc(when: datetime) -> datetime:
    """Aware UTC; a naive datetime is read as local time."""
    return when.astimezone(UTC)


class Tx(Protocol):
    """Statements inside the write transaction (``?`` placeholders)."""

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]: ...

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None: ...

    def insert(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """Append rows (the PostGIS store uses ``COPY``)."""
        ...

    def where_in(self, ids: Sequence[str]) -> tuple[str, list[Any]]:
        """An ``IN``-like SQL fragment for ``column <fragment>`` and its parameters."""
        ...
