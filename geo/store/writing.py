"""The import loop both SQL stores share: one chunk of a batch's stream at a time, each
incident judged by :func:`geo.store.base.decide` (new, duplicate, revised or conflict) against
what the batch met so far (the ``atlas_seen`` temporary table, so memory stays bounded) and
what the store holds; the writes of a chunk are one ``executemany`` or ``COPY`` per kind.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any

from geo.model import Incident
from geo.store.base import BatchMeta, Counts, Item, Reject, decide
from geo.store.lookalikes import Places, flag_likely_duplicates
from geo.store.rows import SCALAR_FIELDS, DumpedIncident, PreparedRow, dump_values, row_values
from geo.store.schema import HISTORY_COLUMNS, INCIDENT_COLUMNS, INCIDENT_SELECT, Tx

#: items per chunk: each chunk is one lookup and one executemany per kind of write
CHUNK = 2000
#: the items ``import_batch`` takes as incidents: the model, or (from the reading process of
#: geo.ingest_parallel) its dump or its row already made
INCIDENT_ITEMS = (Incident, DumpedIncident, PreparedRow)
UPDATE_INCIDENT = (
    "UPDATE incidents SET "
    + ", ".join(f"{c} = ?" for c in INCIDENT_COLUMNS if c != "id")
    + " WHERE id = ?"
)
KEEP_OLD_VERSION = (
    f"INSERT INTO incident_history ({', '.join(HISTORY_COLUMNS)}) "
    f"SELECT {INCIDENT_SELECT}, ? FROM incidents WHERE id = ?"
)
REJECT_COLUMNS = ("batch_id", "file", '"row"', "field", "value", "reason")
#: the ids met so far in a batch, with their content hash and item number
SEEN_TABLE = (
    "CREATE TEMP TABLE IF NOT EXISTS atlas_seen "
    "(id TEXT PRIMARY KEY, content_hash TEXT NOT NULL, item BIGINT NOT NULL)"
)


def chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    """The stream in lists of ``size``, never holding more than one list."""
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


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


def _incident_ids(chunk: list[Item]) -> list[str]:
    return list(dict.fromkeys(i.id for i in chunk if isinstance(i, INCIDENT_ITEMS)))


def look_up(
    tx: Tx, chunk: list[Item]
) -> tuple[list[Item], dict[str, tuple[str, int]], dict[str, str]]:
    """The chunk with aliases resolved (a version-2 record's derived id under today's rule is
    that record), and by id: the content hash and item number met earlier in this batch, and
    the stored content hash."""
    ids = _incident_ids(chunk)
    seen: dict[str, tuple[str, int]] = {}
    stored: dict[str, str] = {}
    if not ids:
        return chunk, seen, stored
    frag, params = tx.where_in(ids)
    sql = f"SELECT alias, id FROM incident_aliases WHERE alias {frag}"
    aliases = {r["alias"]: r["id"] for r in tx.execute(sql, params)}
    if aliases:
        chunk = [
            rekeyed(i, aliases[i.id]) if isinstance(i, INCIDENT_ITEMS) and i.id in aliases else i
            for i in chunk
        ]
        frag, params = tx.where_in(_incident_ids(chunk))
    for r in tx.execute(f"SELECT id, content_hash, item FROM atlas_seen WHERE id {frag}", params):
        seen[r["id"]] = (r["content_hash"], int(r["item"]))
    for r in tx.execute(f"SELECT id, content_hash FROM incidents WHERE id {frag}", params):
        stored[r["id"]] = r["content_hash"]
    return chunk, seen, stored


def import_chunk(
    tx: Tx,
    meta: BatchMeta,
    batch_id: int,
    chunk: list[Item],
    done: int,
    counts: Counts,
    probe: Places | None = None,
    probe_sql: str = "",
) -> None:
    """Write one chunk of a batch's stream (items ``done + 1`` on), counting into ``counts``;
    with ``probe`` (the places earlier batches stored at), new records are compared with those
    by ``probe_sql`` (:func:`geo.store.lookalikes.flag_likely_duplicates`)."""
    chunk, seen, stored = look_up(tx, chunk)
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
        tx.executemany(KEEP_OLD_VERSION, [(batch_id, row[-1]) for row in revised])
        tx.executemany(UPDATE_INCIDENT, revised)
    if new:
        tx.insert("incidents", INCIDENT_COLUMNS, new)
    if rejects:
        tx.insert("rejects", REJECT_COLUMNS, rejects)
    if fresh and probe:
        flag_likely_duplicates(tx, probe_sql, batch_id, fresh, counts, probe)


@dataclass(frozen=True)
class BulkLoad:
    """A batch being written straight into ``incidents`` (:meth:`geo.store.sql.SqlStore.bulk_load`)."""

    tx: Tx
    #: the batch's id
    id: int

    def add(self, rows: Sequence[Sequence[Any]]) -> None:
        """Append rows of :data:`~geo.store.schema.INCIDENT_COLUMNS` but the last,
        ``batch_id`` (this batch's, added here), as they are: nothing is checked."""
        self.tx.insert("incidents", INCIDENT_COLUMNS, [[*r, self.id] for r in rows])


def open_bulk_load(tx: Tx, meta: BatchMeta, n: int, now: Any) -> BulkLoad:
    """The batch row of a bulk load of ``n`` rows (``n`` read and stored), at ``now`` (as the
    driver takes a timestamp)."""
    row = tx.execute(
        "INSERT INTO batches (started_at, finished_at, file_name, content_sha256, format, read, "
        "stored) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (now, now, meta.file_name, meta.content_sha256, meta.format, n, n),
    )
    return BulkLoad(tx, int(row[0]["id"]))
