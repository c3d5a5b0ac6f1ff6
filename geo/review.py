"""Reviewing extracted incidents before they count: merge suggestions and merging.

An extracted incident is a *candidate*.  It may describe an attack the store already holds
(another report of it): :func:`similar` finds those, by the same rule the extractor merges
reports with (same event type and place, overlapping windows, compatible weapons), and
:func:`merge_into` folds the candidate's sources and figures into the existing record, which
keeps its id (the store records the change as a revision).  :func:`record_verdict` is an
analyst's decision on a waiting incident: one batch, which records who made it.
"""

from __future__ import annotations

import hashlib
from typing import Any, Literal

import pandas as pd

from geo.extract.merge import compatible_weapons
from geo.model import Incident, Source
from geo.store import BatchInfo, BatchMeta, Store

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
    if a.site_id or row["site_id"]:
        return a.site_id == row["site_id"]
    return (
        a.country == row["country"]
        and a.location.strip().lower() == str(row["location"]).strip().lower()
    )


def similar(candidate: Incident, frame: pd.DataFrame) -> list[str]:
    """Ids of stored incidents that look like the same event as ``candidate`` (its own id
    included: ids derive from type, window and place, so the same event read again has it)."""
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


def highlight(text: str, quotes: list[str]) -> str:
    """The article as escaped HTML with each evidence sentence marked (``<mark>``)."""
    from geo.mapping.popups import esc

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
