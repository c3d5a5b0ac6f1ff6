"""What the embedded (SQLite) and PostGIS stores share: the behaviour of
:class:`geo.store.base.Store` over a SQL connection -- writing a batch, the as-of query and
every read.

A store subclasses :class:`SqlStore` and supplies the connection, the DDL and a few dialect
hooks (:class:`~geo.store.schema.Tx` for statements inside the write transaction,
:meth:`SqlStore._read` for the rest, and how timestamps travel).  The tables are
:mod:`geo.store.schema`; the import loop :mod:`geo.store.writing` (the rule itself:
:func:`geo.store.base.decide`); likely duplicates :mod:`geo.store.lookalikes`.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import date, datetime, timedelta
from typing import Any, ClassVar

import pandas as pd

from geo.errors import NotFoundError
from geo.model import Incident
from geo.store.base import (
    RESOLUTIONS,
    Access,
    BatchInfo,
    BatchMeta,
    Counts,
    Item,
    LikelyDuplicate,
    Progress,
    Reject,
    Resolution,
    SiteCount,
)
from geo.store.lookalikes import PROBE_SQL, places_stored
from geo.store.rows import from_row, rows_to_frame
from geo.store.schema import (
    BATCH_COUNTS,
    FRAME_COLUMNS,
    INCIDENT_SELECT,
    SITE_COUNTS_SQL,
    WIDEST_WINDOW_DAYS,
    Tx,
    as_date,
    as_utc,
    insert_sql,
    utc_now,
)
from geo.store.writing import CHUNK, SEEN_TABLE, BulkLoad, chunks, import_chunk, open_bulk_load

#: ids per ``IN (...)`` lookup of :meth:`SqlStore.known_ids` (well under both databases' limits
#: on parameters per statement)
ID_LOOKUP = 500


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
    #: cast to the text :func:`~geo.store.rows.rows_to_frame` takes)
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
            tx.execute(SEEN_TABLE)
            tx.execute("DELETE FROM atlas_seen")
            # likely duplicates are looked for among what earlier batches stored, and only at
            # the places (and for the event types and date precisions) those hold: a first
            # import, or one about other places, pays next to nothing for the search
            probe = places_stored(tx)
            if probe:
                tx.execute(self._PROBE_TABLE)
            done = 0
            for chunk in chunks(items, self.chunk_size):
                import_chunk(tx, meta, batch_id, chunk, done, counts, probe, self._probe_sql())
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

    #: the temporary table of :data:`PROBE_COLUMNS` (its dates in the dialect's date type)
    _PROBE_TABLE: ClassVar[str]
    #: how the probe names the incidents table (``o``), with a dialect's hint to seek
    #: :data:`PROBE_INDEX` where its planner would otherwise scan
    _PROBE_FROM: ClassVar[str] = "incidents o"

    def _probe_sql(self) -> str:
        """The probe query (one parameter: the batch being written)."""
        return PROBE_SQL.format(incidents=self._PROBE_FROM)

    @contextmanager
    def bulk_load(self, meta: BatchMeta, n: int) -> Iterator[BulkLoad]:
        """One batch of ``n`` rows written straight into ``incidents`` by
        :meth:`~geo.store.writing.BulkLoad.add` (``executemany`` on SQLite, ``COPY`` on
        PostGIS), unchecked, then ``ANALYZE``: synthetic data for benchmarks and tests
        (:func:`geo.synth.fill_stores`), never a user's file (that is :meth:`import_batch`)."""
        with self._write() as tx:
            yield open_bulk_load(tx, meta, n, self._ts_param(utc_now()))
            tx.execute("ANALYZE incidents")

    # --- reading ------------------------------------------------------------------------------

    @staticmethod
    def _versions(as_of: int | None) -> tuple[str, tuple[Any, ...]]:
        """The rows as after batch ``as_of`` (the current ones when None), as a ``FROM`` item
        and its parameters: the current rows that batch or an earlier one brought, plus the
        superseded versions that were current then."""
        if as_of is None:
            return "incidents", ()
        return (
            f"(SELECT {INCIDENT_SELECT} FROM incidents WHERE batch_id <= ? "
            f"UNION ALL SELECT {INCIDENT_SELECT} FROM incident_history "
            "WHERE batch_id <= ? AND superseded_by > ?) AS v",
            (as_of, as_of, as_of),
        )

    #: the order of incidents everywhere: by start date, then id in code point order (the
    #: order Python and Arrow sort text in; a dialect whose default collation differs says so)
    _ORDER: ClassVar[str] = "date_start, id"

    def _incident_rows(self, as_of: int | None) -> list[dict[str, Any]]:
        source, params = self._versions(as_of)
        return self._read(f"SELECT {INCIDENT_SELECT} FROM {source} ORDER BY {self._ORDER}", params)

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
            f"WITH changed AS MATERIALIZED (SELECT {INCIDENT_SELECT} FROM {source} WHERE batch_id > ?) "
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
                first_date=as_date(r["first_date"]),
                last_date=as_date(r["last_date"]),
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

    def incidents(self, as_of: int | None = None) -> list[Incident]:
        with self._lock:
            return [from_row(r) for r in self._incident_rows(as_of)]

    def get(self, incident_id: str) -> Incident:
        with self._lock:
            rows = self._read(
                f"SELECT {INCIDENT_SELECT} FROM incidents WHERE id = ?", (incident_id,)
            )
        if not rows:
            raise NotFoundError(f"no incident with id {incident_id!r} in the store")
        return from_row(rows[0])

    def history(self, incident_id: str) -> list[tuple[int, Incident]]:
        with self._lock:
            rows = self._read(
                f"SELECT {INCIDENT_SELECT} FROM ("
                f"SELECT {INCIDENT_SELECT} FROM incident_history WHERE id = ? "
                f"UNION ALL SELECT {INCIDENT_SELECT} FROM incidents WHERE id = ?"
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
