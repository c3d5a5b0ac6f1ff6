"""Reviewing extracted incidents before they count: merge suggestions and merging.

An extracted incident is a *candidate*.  It may describe an attack the store already holds
(another report of it): :func:`similar` finds those, by the same rule the extractor merges
reports with (same event type and place, overlapping windows, compatible weapons; figures may
disagree, merging makes them a range), and :func:`merge_into` folds the candidate's sources and
figures into the existing record, which keeps its id (the store records the change as a
revision).  Nothing merges unless the analyst says so: a candidate kept separate is a new
record (its id comes from its own sources, :func:`geo.model.incident_id`).
:func:`record_verdict` is an analyst's decision on a waiting incident: one batch, which records
who made it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from geo.identity import compatible_weapons, place_key
from geo.model import Incident, Source
from geo.store.base import BatchInfo, BatchMeta, LikelyDuplicate, Store

Verdict = Literal["accepted", "rejected"]
VERDICTS: tuple[Verdict, ...] = ("accepted", "rejected")


def record_verdict(store: Store, incident_id: str, verdict: Verdict) -> BatchInfo:
    """Accept or reject one incident: a batch of its own (format ``review``) whose author the
    store records.  Refused (:class:`geo.errors.NotAllowedError`, nothing written) for a
    connection that may not write."""
    store.access().require(f"review {incident_id} in the store {store.url}")
    changed = store.get(incident_id).model_copy(update={"review": verdict})
    meta = BatchMeta(
        file_name=f"review: {verdict} {incident_id}",
        content_sha256=hashlib.sha256(f"{incident_id}|{verdict}".encode()).hexdigest(),
        format="review",
    )
    return store.import_batch(meta, [changed])


def _same_place(a: Incident, row: dict[str, Any]) -> bool:
    return place_key(a.site_id, a.location, a.country) == place_key(
        row["site_id"], str(row["location"]), row["country"]
    )


def similar(candidate: Incident, frame: pd.DataFrame) -> list[str]:
    """Ids of stored incidents that look like the same event as ``candidate`` (its own id
    included, when the same record was read again)."""
    if frame.empty:
        return []
    near = frame[
        (frame["event_type"] == candidate.event_type)
        & (frame["date_start"] <= candidate.date_end)
        & (frame["date_end"] >= candidate.date_start)
        & (frame["review"] != "rejected")
    ]
    return [
        str(row["id"])
        for row in near.to_dict("records")
        if _same_place(candidate, row)
        and compatible_weapons(set(candidate.weapons), set(row["weapons"]))
    ]


def _low(a: int | None, b: int | None) -> int | None:
    known = [x for x in (a, b) if x is not None]
    return min(known) if known else None


def _high(a_lo: int | None, a: int | None, b_lo: int | None, b: int | None) -> int | None:
    # an open top (a known min with no max) stays open
    if (a is None and a_lo is not None) or (b is None and b_lo is not None):
        return None
    known = [x for x in (a, b) if x is not None]
    return max(known) if known else None


def merge_into(existing: Incident, candidate: Incident) -> Incident:
    """``existing`` with the candidate's sources added and conflicting figures as ranges."""
    sources: list[Source] = list(existing.sources)
    seen = {(s.article, s.quote) for s in sources}
    sources += [s for s in candidate.sources if (s.article, s.quote) not in seen]
    data = existing.model_dump()
    data["sources"] = sources
    for kind in ("killed", "injured"):
        lo_a, hi_a = data[f"{kind}_min"], data[f"{kind}_max"]
        lo_b, hi_b = getattr(candidate, f"{kind}_min"), getattr(candidate, f"{kind}_max")
        data[f"{kind}_min"] = _low(lo_a, lo_b)
        data[f"{kind}_max"] = _high(lo_a, hi_a, lo_b, hi_b)
    weapons = [w for w in dict.fromkeys([*existing.weapons, *candidate.weapons]) if w != "unknown"]
    data["weapons"] = weapons or ["unknown"]
    return Incident.model_validate(data)


@dataclass(frozen=True)
class Decision:
    """What the analyst decided about one candidate: save ``incident``, merged into
    ``target`` when given; ``kept_apart``: look-alikes were offered and the analyst said "keep
    it separate" (any likely-duplicate flag on it is then resolved as such)."""

    incident: Incident
    target: str | None = None
    kept_apart: bool = False


def save_reviewed(store: Store, decisions: list[Decision], article_id: str) -> BatchInfo:
    """Save the accepted candidates as one batch: merged ones as a revision of their target,
    the others as new records (never over a stored one: their ids come from their sources)."""
    out = [
        merge_into(store.get(d.target), d.incident) if d.target else d.incident for d in decisions
    ]
    digest = hashlib.sha256("|".join(i.id + str(i.sources) for i in out).encode()).hexdigest()
    meta = BatchMeta(file_name=f"review: {article_id}", content_sha256=digest, format="review")
    batch = store.import_batch(meta, out)
    apart = {i.id for d, i in zip(decisions, out, strict=True) if d.kept_apart and not d.target}
    for flag in store.likely_duplicates(batch.id):
        if flag.id in apart:
            store.resolve_duplicate(flag.id, flag.other_id, "separate")
    return batch


def resolve_pair(store: Store, flag: LikelyDuplicate, merge: bool) -> BatchInfo:
    """An analyst's answer to a flagged pair, as a review batch (whose author the store
    records, like every other decision).  ``merge``: the newer record's sources and figures go
    into the older one (a revision), and the newer is kept as ``rejected`` with a note saying
    where it went (kept for the record, never shown); else the two stay apart, and the batch
    (no record in it) says who kept them apart."""
    if not merge:
        store.access().require(f"review {flag.id} in the store {store.url}")
        text = f"{flag.id}|{flag.other_id}|separate"
        meta = BatchMeta(
            file_name=f"review: keep {flag.id} apart from {flag.other_id}",
            content_sha256=hashlib.sha256(text.encode()).hexdigest(),
            format="review",
        )
        batch = store.import_batch(meta, [])
        store.resolve_duplicate(flag.id, flag.other_id, "separate")
        return batch
    newer, older = store.get(flag.id), store.get(flag.other_id)
    note = f"Merged into {older.id} by an analyst."
    retired = newer.model_copy(
        update={"review": "rejected", "notes": f"{newer.notes} {note}" if newer.notes else note}
    )
    text = f"{newer.id}|{older.id}|merge"
    meta = BatchMeta(
        file_name=f"review: merge {newer.id} into {older.id}",
        content_sha256=hashlib.sha256(text.encode()).hexdigest(),
        format="review",
    )
    batch = store.import_batch(meta, [merge_into(older, newer), retired])
    store.resolve_duplicate(flag.id, flag.other_id, "merged")
    return batch


def highlight(text: str, quotes: list[str]) -> str:
    """The article as escaped HTML with each evidence sentence marked (``<mark>``)."""
    from geo.markup import esc

    spans: list[tuple[int, int]] = []
    for quote in dict.fromkeys(q for q in quotes if q):
        start = text.find(quote)
        while start != -1:
            spans.append((start, start + len(quote)))
            start = text.find(quote, start + 1)
    merged: list[list[int]] = []
    for start, end in sorted(spans):  # overlapping evidence becomes one mark
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, pos = [], 0
    for start, end in merged:
        out.append(esc(text[pos:start]))
        out.append(f"<mark>{esc(text[start:end])}</mark>")
        pos = end
    out.append(esc(text[pos:]))
    return "".join(out).replace("\n\n", "<br><br>")
