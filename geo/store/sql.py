"""What the embedded (SQLite) and PostGIS stores share: the tables' columns, the import loop,
the as-of query and every read.

A store subclasses :class:`SqlStore` and supplies the connection, the DDL and a few dialect
hooks (:class:`Tx` for statements inside the write transaction, :meth:`SqlStore._read` for the
rest, and how timestamps travel).  Shared SQL is written with ``?`` placeholders; the PostGIS
side turns them into ``%s``.

The import rule itself (new / duplicate / revised / conflict) is :func:`geo.store.base.decide`.
"""

from __future__ import annotations

import json
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime, timedelta
from itertools import islice
from typing import Any, ClassVar, Protocol

import pandas as pd

from geo.errors import NotFoundError
from geo.identity import DUPLICATE_FIELDS, likely_duplicate
from geo.model import DATE_PRECISION, Incident
from geo.store.base import (
    RESOLUTIONS,
    SCALAR_FIELDS,
    Access,
    BatchInfo,
    BatchMeta,
    Counts,
    DumpedIncident,
    Item,
    LikelyDuplicate,
    PreparedRow,
    Progress,
    Reject,
    Resolution,
    SiteCount,
    decide,
    dump_values,
    from_row,
    row_values,
    rows_to_frame,
)

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

#: items per chunk: each chunk is one lookup and one executemany per kind of write
CHUNK = 2000
#: ids per ``IN (...)`` lookup of :meth:`SqlStore.known_ids` (well under both databases' limits
#: on parameters per statement)
ID_LOOKUP = 500
#: the items ``import_batch`` takes as incidents: the model, or (from the reading process of
#: geo.ingest_parallel) its dump or its row already made
_INCIDENT_ITEMS = (Incident, DumpedIncident, PreparedRow)


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


def chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    """The stream in lists of ``size``, never holding more than one list."""
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def _as_date(value: Any) -> date:
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


_COLS = ", ".join(INCIDENT_COLUMNS)
_UPDATE_INCIDENT = (
    "UPDATE incidents SET "
    + ", ".join(f"{c} = ?" for c in INCIDENT_COLUMNS if c != "id")
    + " WHERE id = ?"
)
_KEEP_OLD_VERSION = (
    f"INSERT INTO incident_history ({', '.join(HISTORY_COLUMNS)}) "
    f"SELECT {_COLS}, ? FROM incidents WHERE id = ?"
)
_REJECT_COLUMNS = ("batch_id", "file", '"row"', "field", "value", "reason")
_SEEN_TABLE = (
    "CREATE TEMP TABLE IF NOT EXISTS atlas_seen "
    "(id TEXT PRIMARY KEY, content_hash TEXT NOT NULL, item BIGINT NOT NULL)"
)


#: a new record is flagged against at most this many stored look-alikes (the first by id)
MAX_FLAGS_PER_RECORD = 5
#: candidates a dialect may read per probe row at most (PostGIS), well above the flags kept
PROBE_CANDIDATES = 50
#: the probe for likely duplicates: per new record and date precision, the range of
#: ``date_start`` a stored record of that precision overlapping it can have (its widest window
#: before the record's start, up to its end), so each probe is one bounded seek of
#: :data:`PROBE_INDEX` -- never a scan of every record at a busy site
PROBE_COLUMNS = ("id", "place", "event_type", "prec", "lo", "hi", "day_start")
PROBE_INDEX = "incidents_place_probe_idx"
#: the stored look-alikes of the probed records (candidates: :func:`likely_duplicate` decides)
#: what makes a stored record (``o``) a candidate look-alike of a probe row (``p``)
PROBE_MATCH = (
    "coalesce(o.site_id, o.location) = p.place AND o.event_type = p.event_type "
    "AND o.date_precision = p.prec AND o.date_start >= p.lo AND o.date_start <= p.hi "
    "AND o.date_end >= p.day_start AND o.batch_id < ? AND o.review <> 'rejected'"
)
#: the candidates' columns, as the probe reads them
PROBE_SELECT = "p.id AS probe_id, " + ", ".join(f"o.{c} AS {c}" for c in DUPLICATE_FIELDS)
#: the probe (a dialect may write it otherwise, :meth:`SqlStore._probe_sql`); ``{incidents}``
#: is :attr:`SqlStore._PROBE_FROM`.  CROSS JOIN: the probe rows drive (SQLite keeps that order)
_PROBE_SQL = (
    f"SELECT {PROBE_SELECT} FROM atlas_probe p CROSS JOIN {{incidents}} "
    f"WHERE {PROBE_MATCH} ORDER BY p.id, o.id"
)
_FLAG_COLUMNS = ("id", "other_id", "batch_id", "reason")
#: (place, event type) -> date precisions stored there (:meth:`SqlStore._places_stored`)
Places = dict[tuple[str, str], set[int]]


def rekeyed(item: Item, new_id: str) -> Item:
    """``item`` under another id (an alias resolved), its content hash made anew."""
    if isinstance(item, Incident):
        return item.model_copy(update={"id": new_id})
    if isinstance(item, DumpedIncident):
        return DumpedIncident({**item.data, "id": new_id})
    if isinstance(item, PreparedRow):
        n = len(SCALAR_FIELDS)
        data = dict(zip(SCALAR_FIELDS, item.values[:n], strict=True))
        data["weapons"], data["sources"] = (
            json.loads(item.values[n]),
            json.loads(item.values[n + 1]),
        )
        data["id"] = new_id
        values, digest = dump_values(data)
        return PreparedRow(new_id, values, digest)
    return item


def _weapons_of(value: Any) -> list[str]:
    """A ``weapons`` column's value: JSON text (SQLite, a row being written) or a list."""
    return json.loads(value) if isinstance(value, str | bytes) else list(value)


def insert_sql(table: str, columns: Sequence[str]) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"


class SqlStore(ABC):
    """The behaviour of :class:`geo.store.base.Store` over a SQL connection."""

    url: str
    chunk_size: int = CHUNK

    def __init__(self, url: str, read_only: bool = False) -> None:
        self.url = url
        self.read_only = read_only
        # One connection per store object; the app may share a store between threads.
        self._lock = threading.RLock()
        self._access: Access | None = None

    # --- dialect hooks ------------------------------------------------------------------------

    @abstractmethod
    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Run one read statement on its own (a consistent snapshot) and return its rows."""

    @abstractmethod
    def _read_frame_rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """:meth:`_read` with rows as plain tuples, for :meth:`frame` (a million rows: no dict
        per row); text may come as UTF-8 bytes where the driver reads those faster."""

    @abstractmethod
    def _explain(self, sql: str, params: Sequence[Any] = ()) -> str:
        """The plan of a read statement, as text."""

    @abstractmethod
    def _date_param(self, day: date) -> Any:
        """A date as the driver should receive it to compare with a date column."""

    @abstractmethod
    def _index_names(self) -> set[str]:
        """The names of the indexes on ``incidents``."""

    #: how :meth:`frame` reads a model column when the column as it is won't do (a dialect's
    #: cast to the text :func:`~geo.store.base.rows_to_frame` takes)
    _frame_columns: ClassVar[Mapping[str, str]] = {}

    @abstractmethod
    def _write(self) -> AbstractContextManager[Tx]:
        """One write transaction, holding the store's writer lock; commits when the block
        ends, rolls back (leaving the store as it was) when it raises."""

    @abstractmethod
    def _ts_param(self, when: datetime) -> Any:
        """An aware UTC datetime as the driver should receive it."""

    @abstractmethod
    def _ts_value(self, value: Any) -> datetime:
        """A stored timestamp back as an aware UTC datetime."""

    @abstractmethod
    def _find_access(self) -> Access:
        """Ask the database (or the file system) what this connection may do."""

    @abstractmethod
    def _audit_ddl(self, tx: Tx) -> list[str]:
        """The statements that add the audit column(s) the store lacks (none when present)."""

    #: the author the store writes into ``batches.created_by`` itself (the embedded store: the
    #: OS user); None when the database fills it in (PostGIS: ``current_user``, by default)
    def _author(self) -> str | None:
        return None

    @abstractmethod
    def close(self) -> None: ...

    # --- who may do what ----------------------------------------------------------------------

    def access(self) -> Access:
        """What this connection may do, asked once per store object (grants changed later show
        as a refused write, which says so)."""
        with self._lock:
            if self._access is None:
                self._access = self._find_access()
            return self._access

    def _add_audit_columns(self, tx: Tx) -> None:
        """The audit step (version 4): add ``batches.created_by``; existing batches keep NULL
        (their author was never recorded).  Idempotent; runs inside the write transaction of a
        new store's DDL or of the migration step to version 4
        (:func:`geo.store.migrations.to_4`), which records the version."""
        for stmt in self._audit_ddl(tx):
            tx.execute(stmt)

    def __enter__(self) -> SqlStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.url!r})"

    # --- writing ------------------------------------------------------------------------------

    def import_batch(
        self, meta: BatchMeta, items: Iterable[Item], progress: Progress | None = None
    ) -> BatchInfo:
        counts = Counts()
        self.access().require(f"write to the store {self.url}")
        author = self._author()
        with self._lock, self._write() as tx:
            started = utc_now()
            columns = ["started_at", "finished_at", "file_name", "content_sha256", "format"]
            values = [
                self._ts_param(started),
                self._ts_param(started),
                meta.file_name,
                meta.content_sha256,
                meta.format,
            ]
            if author is not None:
                columns.append("created_by")
                values.append(author)
            sql = insert_sql("batches", columns) + " RETURNING id, created_by"
            row = tx.execute(sql, values)[0]
            batch_id, created_by = int(row["id"]), row["created_by"]
            # ids met so far in this batch, with their content hash and item number: in the
            # database, so memory stays bounded however long the stream is
            tx.execute(_SEEN_TABLE)
            tx.execute("DELETE FROM atlas_seen")
            # likely duplicates are looked for among what earlier batches stored, and only at
            # the places (and for the event types and date precisions) those hold: a first
            # import, or one about other places, pays next to nothing for the search
            probe = self._places_stored(tx)
            if probe:
                tx.execute(self._PROBE_TABLE)
            done = 0
            for chunk in chunks(items, self.chunk_size):
                self._import_chunk(tx, meta, batch_id, chunk, done, counts, probe)
                done += len(chunk)
                if progress is not None:
                    progress(done)
            finished = utc_now()
            tx.execute(
                "UPDATE batches SET finished_at = ?, "
                + ", ".join(f"{c} = ?" for c in BATCH_COUNTS)
                + " WHERE id = ?",
                (self._ts_param(finished), *(getattr(counts, c) for c in BATCH_COUNTS), batch_id),
            )
        return BatchInfo(
            id=batch_id,
            started_at=started,
            finished_at=finished,
            file_name=meta.file_name,
            content_sha256=meta.content_sha256,
            format=meta.format,
            **{c: getattr(counts, c) for c in BATCH_COUNTS},
            created_by=created_by,
        )

    def _import_chunk(
        self,
        tx: Tx,
        meta: BatchMeta,
        batch_id: int,
        chunk: list[Item],
        done: int,
        counts: Counts,
        probe: Places | None = None,
    ) -> None:
        ids = list(dict.fromkeys(i.id for i in chunk if isinstance(i, _INCIDENT_ITEMS)))
        seen: dict[str, tuple[str, int]] = {}
        stored: dict[str, str] = {}
        if ids:
            frag, params = tx.where_in(ids)
            aliases = {
                r["alias"]: r["id"]
                for r in tx.execute(
                    f"SELECT alias, id FROM incident_aliases WHERE alias {frag}", params
                )
            }
            if aliases:  # a version-2 record's derived id under today's rule: that record
                chunk = [
                    rekeyed(i, aliases[i.id])
                    if isinstance(i, _INCIDENT_ITEMS) and i.id in aliases
                    else i
                    for i in chunk
                ]
                ids = list(dict.fromkeys(i.id for i in chunk if isinstance(i, _INCIDENT_ITEMS)))
                frag, params = tx.where_in(ids)
            for r in tx.execute(
                f"SELECT id, content_hash, item FROM atlas_seen WHERE id {frag}", params
            ):
                seen[r["id"]] = (r["content_hash"], int(r["item"]))
            for r in tx.execute(f"SELECT id, content_hash FROM incidents WHERE id {frag}", params):
                stored[r["id"]] = r["content_hash"]

        new_seen: list[tuple[str, str, int]] = []
        new: list[list[Any]] = []
        revised: list[list[Any]] = []
        rejects: list[tuple[Any, ...]] = []
        fresh: list[list[Any]] = []  # new rows to look for likely duplicates of
        for number, item in enumerate(chunk, start=done + 1):
            counts.read += 1
            if isinstance(item, Reject):
                counts.rejected += 1
                rejects.append(
                    (batch_id, item.file, item.row, item.field, str(item.value), item.reason)
                )
                continue
            if isinstance(item, DumpedIncident):  # validated in the reading process
                values, digest = dump_values(item.data)
            elif isinstance(item, PreparedRow):  # its row made there too
                values, digest = [*item.values], item.content_hash
            elif isinstance(item, Incident):
                values, digest = row_values(item)
            else:
                raise TypeError(f"item {number}: expected an Incident or a Reject, got {item!r}")
            earlier = seen.get(item.id)
            decision = decide(digest, earlier[0] if earlier else None, stored.get(item.id))
            if decision == "conflict":
                assert earlier is not None
                counts.rejected += 1
                rejects.append(
                    (
                        batch_id,
                        meta.file_name,
                        number,
                        "id",
                        item.id,
                        f"id appears earlier in this file (item {earlier[1]}) with different values",
                    )
                )
                continue
            if earlier is None:
                seen[item.id] = (digest, number)
                new_seen.append((item.id, digest, number))
            if decision == "duplicate":
                counts.duplicates += 1
                continue
            values += (digest, batch_id)  # INCIDENT_COLUMNS order
            if decision == "new":
                counts.stored += 1
                new.append(values)
                if probe:
                    fresh.append(values)
            else:  # revised: keep the old version, then replace it
                counts.revised += 1
                revised.append([*values[1:], item.id])

        if new_seen:
            tx.insert("atlas_seen", ("id", "content_hash", "item"), new_seen)
        if revised:
            tx.executemany(_KEEP_OLD_VERSION, [(batch_id, row[-1]) for row in revised])
            tx.executemany(_UPDATE_INCIDENT, revised)
        if new:
            tx.insert("incidents", INCIDENT_COLUMNS, new)
        if rejects:
            tx.insert("rejects", _REJECT_COLUMNS, rejects)
        if fresh and probe:
            self._flag_likely_duplicates(tx, batch_id, fresh, counts, probe)

    #: the temporary table of :data:`PROBE_COLUMNS` (its dates in the dialect's date type)
    _PROBE_TABLE: ClassVar[str]
    #: how the probe names the incidents table (``o``), with a dialect's hint to seek
    #: :data:`PROBE_INDEX` where its planner would otherwise scan
    _PROBE_FROM: ClassVar[str] = "incidents o"

    def _probe_sql(self) -> str:
        """The probe query (one parameter: the batch being written)."""
        return _PROBE_SQL.format(incidents=self._PROBE_FROM)

    @staticmethod
    def _places_stored(tx: Tx) -> Places:
        """(place, event type) -> the date precisions of the records stored there (the place
        as :data:`PROBE_INDEX` holds it), read from that index alone."""
        places: Places = {}
        for r in tx.execute(
            "SELECT DISTINCT coalesce(site_id, location) AS place, event_type, "
            "date_precision AS prec FROM incidents"
        ):
            places.setdefault((r["place"], r["event_type"]), set()).add(int(r["prec"]))
        return places

    def _flag_likely_duplicates(
        self, tx: Tx, batch_id: int, fresh: list[list[Any]], counts: Counts, places: Places
    ) -> None:
        """Flag each new row that looks like a record an earlier batch stored (at most
        :data:`MAX_FLAGS_PER_RECORD` look-alikes each): one probe query for the chunk, then
        :func:`geo.identity.likely_duplicate` on the candidates it finds."""
        position = {c: k for k, c in enumerate(INCIDENT_COLUMNS)}
        mine: dict[str, dict[str, Any]] = {}
        probes: list[tuple[Any, ...]] = []
        for values in fresh:
            rec = {c: values[position[c]] for c in DUPLICATE_FIELDS}
            if rec["review"] == "rejected":
                continue
            place = rec["site_id"] or rec["location"]
            precisions = places.get((place, rec["event_type"]))
            if not precisions:  # nothing stored at that place of that type
                continue
            rec["weapons"] = _weapons_of(rec["weapons"])
            mine[rec["id"]] = rec
            start, end = _as_date(rec["date_start"]), _as_date(rec["date_end"])
            for prec in sorted(precisions):
                widest = DATE_PRECISION[prec][1]
                lo = start - timedelta(days=widest)
                probes.append(
                    (rec["id"], place, rec["event_type"], prec, lo.isoformat(), end.isoformat(),
                     start.isoformat())
                )  # fmt: skip
        if not probes:
            return
        tx.execute("DELETE FROM atlas_probe")
        tx.insert("atlas_probe", PROBE_COLUMNS, probes)
        flags: list[tuple[Any, ...]] = []
        per_record: dict[str, int] = {}
        for row in tx.execute(self._probe_sql(), (batch_id,)):
            new_id = row["probe_id"]
            if per_record.get(new_id, 0) >= MAX_FLAGS_PER_RECORD:
                continue
            other = {c: row[c] for c in DUPLICATE_FIELDS}
            other["weapons"] = _weapons_of(other["weapons"])
            reason = likely_duplicate(mine[new_id], other)
            if reason is not None:
                flags.append((new_id, other["id"], batch_id, reason))
                per_record[new_id] = per_record.get(new_id, 0) + 1
        if flags:
            tx.insert("likely_duplicates", _FLAG_COLUMNS, flags)
        counts.likely_duplicates += len(per_record)

    # --- reading ------------------------------------------------------------------------------

    @staticmethod
    def _versions(as_of: int | None) -> tuple[str, tuple[Any, ...]]:
        """The rows as after batch ``as_of`` (the current ones when None), as a ``FROM`` item
        and its parameters: the current rows that batch or an earlier one brought, plus the
        superseded versions that were current then."""
        if as_of is None:
            return "incidents", ()
        return (
            f"(SELECT {_COLS} FROM incidents WHERE batch_id <= ? "
            f"UNION ALL SELECT {_COLS} FROM incident_history "
            "WHERE batch_id <= ? AND superseded_by > ?) AS v",
            (as_of, as_of, as_of),
        )

    #: the order of incidents everywhere: by start date, then id in code point order (the
    #: order Python and Arrow sort text in; a dialect whose default collation differs says so)
    _ORDER: ClassVar[str] = "date_start, id"

    def _incident_rows(self, as_of: int | None) -> list[dict[str, Any]]:
        source, params = self._versions(as_of)
        return self._read(f"SELECT {_COLS} FROM {source} ORDER BY {self._ORDER}", params)

    def frame(self, as_of: int | None = None, since: int | None = None) -> pd.DataFrame:
        # only the model's columns, as tuples; the frame is built column by column
        # (rows_to_frame) outside the lock.  (Sorting in numpy instead of ORDER BY is no
        # faster: the row objects then lie scattered in memory and every column pass slows.)
        source, params = self._versions(as_of)
        select = ", ".join(self._frame_columns.get(c, c) for c in FRAME_COLUMNS)
        if since is not None:
            params = (*params, since)
        with self._lock:
            rows = self._read_frame_rows(self._frame_sql(select, source, since), params)
        return self._rows_to_frame(rows)

    def _frame_sql(self, select: str, source: str, since: int | None) -> str:
        if since is None:
            return f"SELECT {select} FROM {source} ORDER BY {self._ORDER}"
        # found through the batch_id index first, then sorted: asked for the order, a planner
        # would rather walk the date_start index through every row
        return (
            f"WITH changed AS MATERIALIZED (SELECT {_COLS} FROM {source} WHERE batch_id > ?) "
            f"SELECT {select} FROM changed ORDER BY {self._ORDER}"
        )

    def explain_frame(self, since: int) -> str:
        """The database's plan for :meth:`frame` with ``since`` (it should use the index)."""
        with self._lock:
            return self._explain(self._frame_sql("id", "incidents", since), (since,))

    def count(self) -> int:
        with self._lock:
            return int(self._read("SELECT count(*) AS n FROM incidents")[0]["n"])

    def _rows_to_frame(self, rows: list[tuple[Any, ...]]) -> pd.DataFrame:
        """The frame of rows read by :meth:`frame` (a dialect may then mend a column)."""
        return rows_to_frame(rows)

    # --- the query path in the database -------------------------------------------------------

    def _site_counts_query(self, start: date, end: date) -> tuple[str, tuple[Any, ...]]:
        earliest = start - timedelta(days=WIDEST_WINDOW_DAYS)
        dates = (self._date_param(earliest), self._date_param(end), self._date_param(start))
        return SITE_COUNTS_SQL, ("attack", "accepted", *dates)

    def known_ids(self, ids: Iterable[str]) -> set[str]:
        wanted = list(dict.fromkeys(ids))
        found: set[str] = set()
        with self._lock:
            for k in range(0, len(wanted), ID_LOOKUP):
                part = wanted[k : k + ID_LOOKUP]
                marks = ", ".join("?" for _ in part)
                rows = self._read(f"SELECT id FROM incidents WHERE id IN ({marks})", part)
                found.update(r["id"] for r in rows)
                rest = [i for i in part if i not in found]
                if rest:  # another name of a stored record (see the version-3 migration)
                    rows = self._read(
                        "SELECT a.alias AS alias FROM incident_aliases a "
                        "JOIN incidents i ON i.id = a.id "
                        f"WHERE a.alias IN ({', '.join('?' for _ in rest)})",
                        rest,
                    )
                    found.update(r["alias"] for r in rows)
        return found

    def likely_duplicates(
        self, batch_id: int | None = None, *, open_only: bool = True
    ) -> list[LikelyDuplicate]:
        sql = "SELECT d.id, d.other_id, d.batch_id, d.reason, d.resolution FROM likely_duplicates d"
        where: list[str] = []
        params: list[Any] = []
        if open_only:
            sql += " JOIN incidents a ON a.id = d.id JOIN incidents b ON b.id = d.other_id"
            where.append(
                "d.resolution IS NULL AND a.review <> 'rejected' AND b.review <> 'rejected'"
            )
        if batch_id is not None:
            where.append("d.batch_id = ?")
            params.append(batch_id)
        if where:
            sql += " WHERE " + " AND ".join(where)
        with self._lock:
            rows = self._read(sql + " ORDER BY d.batch_id, d.id, d.other_id", params)
        return [
            LikelyDuplicate(
                id=r["id"],
                other_id=r["other_id"],
                batch_id=int(r["batch_id"]),
                reason=r["reason"],
                resolution=r["resolution"],
            )
            for r in rows
        ]

    def resolve_duplicate(self, incident_id: str, other_id: str, resolution: Resolution) -> None:
        if resolution not in RESOLUTIONS:
            raise ValueError(
                f"resolution: expected one of {', '.join(RESOLUTIONS)}, got {resolution!r}"
            )
        self.access().require(f"review {incident_id} in the store {self.url}")
        with self._lock, self._write() as tx:
            done = tx.execute(
                "UPDATE likely_duplicates SET resolution = ? WHERE id = ? AND other_id = ? "
                "RETURNING id",
                (resolution, incident_id, other_id),
            )
            if not done:
                raise NotFoundError(
                    f"no likely duplicate {incident_id!r} of {other_id!r} is flagged in the store"
                )

    def site_counts(self, start: date, end: date) -> list[SiteCount]:
        sql, params = self._site_counts_query(start, end)
        with self._lock:
            rows = self._read(sql, params)
        return [
            SiteCount(
                site_id=r["site_id"],
                attacks=int(r["attacks"]),
                first_date=_as_date(r["first_date"]),
                last_date=_as_date(r["last_date"]),
            )
            for r in rows
        ]

    def explain_site_counts(self, start: date, end: date) -> str:
        sql, params = self._site_counts_query(start, end)
        with self._lock:
            return self._explain(sql, params)

    @abstractmethod
    def _ddl_to_3(self) -> list[str]:
        """The dialect's statements that add what version 3 adds to a version-2 store
        (:func:`geo.store.migrations.to_3`)."""

    def _migrate(self, version: str) -> str:
        """Run the :data:`~geo.store.migrations.MIGRATIONS` steps from ``version`` to
        :data:`SCHEMA_VERSION`; returns the version reached (the caller refuses anything but
        the current one)."""
        from geo.store.migrations import MIGRATIONS

        if version != SCHEMA_VERSION and version in MIGRATIONS:
            self.access().require(
                f"upgrade the store {self.url} from schema version {version} to {SCHEMA_VERSION} "
                "(open it once as its owner or with the admin role)",
                admin=True,
            )
        while version != SCHEMA_VERSION and version in MIGRATIONS:
            with self._lock, self._write() as tx:
                rows = tx.execute("SELECT value FROM meta WHERE key = 'schema_version'")
                now = str(rows[0]["value"]) if rows else version
                if now == version:  # (else another process migrated it meanwhile)
                    target, step = MIGRATIONS[version]
                    step(self, tx)
                    tx.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (target,))
                    now = target
            version = now
        return version

    def _ensure_indexes(self) -> None:
        """Create the :data:`INDEXED` indexes a store made by an earlier version lacks, on its
        first open by this one (under the writer lock, so it waits for a running import).  An
        index changes no data and older versions read the store as before, so the schema
        version stays.  A connection that may not change the schema reads without them."""
        if not self.access().can_admin:
            return
        with self._lock:
            present = self._index_names()
            missing = [cols for cols in INDEXED if index_name(cols) not in present]
            if missing:
                with self._write() as tx:
                    for cols in missing:
                        tx.execute(create_index(cols))

    def incidents(self, as_of: int | None = None) -> list[Incident]:
        with self._lock:
            return [from_row(r) for r in self._incident_rows(as_of)]

    def get(self, incident_id: str) -> Incident:
        with self._lock:
            rows = self._read(f"SELECT {_COLS} FROM incidents WHERE id = ?", (incident_id,))
        if not rows:
            raise NotFoundError(f"no incident with id {incident_id!r} in the store")
        return from_row(rows[0])

    def history(self, incident_id: str) -> list[tuple[int, Incident]]:
        with self._lock:
            rows = self._read(
                f"SELECT {_COLS} FROM ("
                f"SELECT {_COLS} FROM incident_history WHERE id = ? "
                f"UNION ALL SELECT {_COLS} FROM incidents WHERE id = ?"
                ") AS v ORDER BY batch_id",
                (incident_id, incident_id),
            )
        if not rows:
            raise NotFoundError(f"no incident with id {incident_id!r} in the store")
        return [(int(r["batch_id"]), from_row(r)) for r in rows]

    def _batch(self, row: dict[str, Any]) -> BatchInfo:
        return BatchInfo(
            id=int(row["id"]),
            started_at=self._ts_value(row["started_at"]),
            finished_at=self._ts_value(row["finished_at"]),
            file_name=row["file_name"],
            content_sha256=row["content_sha256"],
            format=row["format"],
            **{c: int(row[c]) for c in BATCH_COUNTS},
            created_by=row.get("created_by"),
        )

    def batches(self) -> list[BatchInfo]:
        with self._lock:
            return [self._batch(r) for r in self._read("SELECT * FROM batches ORDER BY id")]

    def rejects(self, batch_id: int) -> list[Reject]:
        with self._lock:
            rows = self._read(
                'SELECT file, "row", field, value, reason FROM rejects WHERE batch_id = ? '
                "ORDER BY id",
                (batch_id,),
            )
            if not rows and not self._read("SELECT id FROM batches WHERE id = ?", (batch_id,)):
                raise NotFoundError(f"no batch {batch_id} in the store")
        return [
            Reject(
                file=r["file"],
                row=int(r["row"]),
                field=r["field"],
                value=r["value"],
                reason=r["reason"],
            )
            for r in rows
        ]

    def batch_at(self, when: datetime) -> int | None:
        with self._lock:
            rows = self._read(
                "SELECT max(id) AS id FROM batches WHERE finished_at <= ?",
                (self._ts_param(as_utc(when)),),
            )
        return None if not rows or rows[0]["id"] is None else int(rows[0]["id"])

    def revision(self, as_of: int | None = None) -> str:
        with self._lock:
            if as_of is None:
                rows = self._read("SELECT id, finished_at FROM batches ORDER BY id DESC LIMIT 1")
            else:
                rows = self._read("SELECT id, finished_at FROM batches WHERE id = ?", (as_of,))
        if not rows:
            return "empty"
        return f"{rows[0]['id']}@{self._ts_value(rows[0]['finished_at']).isoformat()}"
