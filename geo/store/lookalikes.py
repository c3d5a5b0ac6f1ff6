"""Likely duplicates found while a batch is written: each new record is compared with the
records earlier batches stored at its place (:func:`geo.identity.likely_duplicate` decides),
found by one probe query per chunk that seeks :data:`PROBE_INDEX`, never by a scan.  The store
flags them for an analyst; it never merges by itself.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from geo.identity import DUPLICATE_FIELDS, likely_duplicate
from geo.model import DATE_PRECISION
from geo.store.base import Counts
from geo.store.schema import INCIDENT_COLUMNS, Tx, as_date

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
#: the probe (a dialect may write it otherwise: ``SqlStore._probe_sql``); ``{incidents}``
#: is ``SqlStore._PROBE_FROM``.  CROSS JOIN: the probe rows drive (SQLite keeps that order)
PROBE_SQL = (
    f"SELECT {PROBE_SELECT} FROM atlas_probe p CROSS JOIN {{incidents}} "
    f"WHERE {PROBE_MATCH} ORDER BY p.id, o.id"
)
FLAG_COLUMNS = ("id", "other_id", "batch_id", "reason")
#: (place, event type) -> date precisions stored there (:func:`places_stored`)
Places = dict[tuple[str, str], set[int]]


def weapons_of(value: Any) -> list[str]:
    """A ``weapons`` column's value: JSON text (SQLite, a row being written) or a list."""
    return json.loads(value) if isinstance(value, str | bytes) else list(value)


def places_stored(tx: Tx) -> Places:
    """(place, event type) -> the date precisions of the records stored there (the place
    as :data:`PROBE_INDEX` holds it), read from that index alone."""
    places: Places = {}
    for r in tx.execute(
        "SELECT DISTINCT coalesce(site_id, location) AS place, event_type, "
        "date_precision AS prec FROM incidents"
    ):
        places.setdefault((r["place"], r["event_type"]), set()).add(int(r["prec"]))
    return places


def flag_likely_duplicates(
    tx: Tx, probe_sql: str, batch_id: int, fresh: list[list[Any]], counts: Counts, places: Places
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
        rec["weapons"] = weapons_of(rec["weapons"])
        mine[rec["id"]] = rec
        start, end = as_date(rec["date_start"]), as_date(rec["date_end"])
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
    for row in tx.execute(probe_sql, (batch_id,)):
        new_id = row["probe_id"]
        if per_record.get(new_id, 0) >= MAX_FLAGS_PER_RECORD:
            continue
        other = {c: row[c] for c in DUPLICATE_FIELDS}
        other["weapons"] = weapons_of(other["weapons"])
        reason = likely_duplicate(mine[new_id], other)
        if reason is not None:
            flags.append((new_id, other["id"], batch_id, reason))
            per_record[new_id] = per_record.get(new_id, 0) + 1
    if flags:
        tx.insert("likely_duplicates", FLAG_COLUMNS, flags)
    counts.likely_duplicates += len(per_record)
