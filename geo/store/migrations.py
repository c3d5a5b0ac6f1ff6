"""Bringing a store made by an earlier version up to :data:`~geo.store.schema.SCHEMA_VERSION`,
one step at a time, instead of refusing it.

:data:`MIGRATIONS` maps a version to (the next version, the step that gets there).  A store
runs the steps on open (:func:`migrate`), each in its own write
transaction under the writer lock, which also records the new version: a step either happens
whole or not at all, and two processes opening an old store at once migrate it once.  A later
version adds its own step after the last one (``"3": ("4", ...)``); steps never change data
an earlier version wrote, they add to it.

Version 2 -> 3 (record identity): ``batches.likely_duplicates``; the ``likely_duplicates``
table (flagged pairs and an analyst's resolution); ``incident_aliases``; the probe index for
likely duplicates.  Every row keeps its id.  A row whose id is the one version 2 *derived*
(type, window and place only: :func:`geo.model.legacy_incident_id`) gets an alias: the id
today's rule derives from the same row (:func:`geo.model.incident_id`, which adds the sources).
Re-importing the file such a row came from then finds the row through its alias, as before.

Version 3 -> 4 (who did what): ``batches.created_by`` (on PostGIS defaulting to
``current_user``); batches written before it keep NULL, their author never recorded.

Only a role that may change the schema migrates (:meth:`geo.store.base.Access.require` with
``admin``); anyone else opening an older store is told whom to ask.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from geo.model import derived_id, legacy_incident_id
from geo.store.schema import INDEXED, SCHEMA_VERSION, create_index, index_name

if TYPE_CHECKING:
    from geo.store.schema import Tx
    from geo.store.sql import SqlStore

Step = Callable[["SqlStore", "Tx"], None]

#: rows read at a time while a step walks the incidents
PAGE = 10_000


def _day(value: Any) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _sources(value: Any) -> list[dict[str, Any]]:
    return json.loads(value) if isinstance(value, str | bytes) else list(value)


def alias_of(row: dict[str, Any]) -> str | None:
    """Today's derived id of a stored row whose id is the one version 2 derived for it, or
    ``None`` (an upstream or given id, or a row the two rules name alike)."""
    start, end = _day(row["date_start"]), _day(row["date_end"])
    place = row["site_id"] or str(row["location"]).strip().lower()
    if row["id"] != legacy_incident_id(row["event_type"], start, end, place, row["country"]):
        return None
    pairs = ((s["article"], s["quote"]) for s in _sources(row["sources"]))
    new = derived_id(row["event_type"], start, end, place, row["country"], pairs)
    return None if new == row["id"] else new


def to_3(store: SqlStore, tx: Tx) -> None:
    for stmt in store._ddl_to_3():
        tx.execute(stmt)
    last = ""
    while True:
        rows = tx.execute(
            "SELECT id, event_type, date_start, date_end, site_id, location, country, sources "
            f"FROM incidents WHERE id > ? AND id LIKE ? ORDER BY id LIMIT {PAGE}",
            (last, "atl-%"),
        )
        if not rows:
            return
        aliases = [(alias, r["id"]) for r in rows if (alias := alias_of(r)) is not None]
        if aliases:
            tx.insert("incident_aliases", ("alias", "id"), aliases)
        last = rows[-1]["id"]


def to_4(store: SqlStore, tx: Tx) -> None:
    store._add_audit_columns(tx)


MIGRATIONS: dict[str, tuple[str, Step]] = {
    "2": ("3", to_3),
    "3": ("4", to_4),
}


def migrate(store: SqlStore, version: str) -> str:
    """Run the :data:`MIGRATIONS` steps from ``version`` to :data:`SCHEMA_VERSION`; returns
    the version reached (the caller refuses anything but the current one)."""
    if version != SCHEMA_VERSION and version in MIGRATIONS:
        store.access().require(
            f"upgrade the store {store.url} from schema version {version} to {SCHEMA_VERSION} "
            "(open it once as its owner or with the admin role)",
            admin=True,
        )
    while version != SCHEMA_VERSION and version in MIGRATIONS:
        with store._lock, store._write() as tx:
            rows = tx.execute("SELECT value FROM meta WHERE key = 'schema_version'")
            now = str(rows[0]["value"]) if rows else version
            if now == version:  # (else another process migrated it meanwhile)
                target, step = MIGRATIONS[version]
                step(store, tx)
                tx.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (target,))
                now = target
        version = now
    return version


def ensure_indexes(store: SqlStore) -> None:
    """Create the :data:`~geo.store.schema.INDEXED` indexes a store made by an earlier version
    lacks, on its first open by this one (under the writer lock, so it waits for a running
    import).  An index changes no data and older versions read the store as before, so the
    schema version stays.  A connection that may not change the schema reads without them."""
    if not store.access().can_admin:
        return
    with store._lock:
        present = store._index_names()
        missing = [cols for cols in INDEXED if index_name(cols) not in present]
        if missing:
            with store._write() as tx:
                for cols in missing:
                    tx.execute(create_index(cols))
