"""When two records are the same incident: the one rule the stores, the review page and the
extractor share.

*Identity* decides what a store does with an incoming record, and it is always explicit: the
record's id.  An id is an upstream one (``acled:...``, ``ucdp:...``), one the record carries
(ours, from an export or a curated file), or, for a record that arrives without one, the hash
:func:`geo.model.incident_id` takes of what it is *and its sources* (article and quote).  Only
the same id revises a stored record; anything else is a new record.

*Likely duplicates* are records that may describe one event although their ids differ: the
same place (:func:`same_place`), the same event type, overlapping date windows, compatible
weapons and compatible figures (:func:`likely_duplicate`).  They are flagged for an analyst to
merge (the import report, the review page), never merged or replaced by themselves.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

#: what :func:`likely_duplicate` reads of a record (an incident's fields, or a row's columns)
DUPLICATE_FIELDS: tuple[str, ...] = (
    "id",
    "event_type",
    "site_id",
    "location",
    "country",
    "date_start",
    "date_end",
    "weapons",
    "killed_min",
    "killed_max",
    "injured_min",
    "injured_max",
    "review",
)


def compatible_weapons(a: Iterable[str], b: Iterable[str]) -> bool:
    """True when one side names no weapon or both share one."""
    ka, kb = set(a) - {"unknown"}, set(b) - {"unknown"}
    return not ka or not kb or bool(ka & kb)


def compatible_figures(
    a_min: int | None, a_max: int | None, b_min: int | None, b_max: int | None
) -> bool:
    """True when two casualty figures can both be right: an unreported figure fits anything;
    otherwise the ranges (a missing minimum is 0, a missing maximum open) overlap."""
    if (a_min is None and a_max is None) or (b_min is None and b_max is None):
        return True
    lo = max(a_min or 0, b_min or 0)
    highs = [h for h in (a_max, b_max) if h is not None]
    return not highs or lo <= min(highs)


def place_key(site_id: str | None, location: str, country: str) -> tuple[str, str]:
    """What "the same place" compares: the site, else the country and the place name as
    reported (stripped, case ignored)."""
    if site_id:
        return ("site", site_id)
    return (country, str(location).strip().lower())


def same_place(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    return place_key(a["site_id"], a["location"], a["country"]) == place_key(
        b["site_id"], b["location"], b["country"]
    )


def _day(value: Any) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def likely_duplicate(a: Mapping[str, Any], b: Mapping[str, Any]) -> str | None:
    """Why ``a`` and ``b`` look like one event (a sentence for the report), or ``None``.
    Dates may be :class:`date` or ISO text; a rejected record is nobody's duplicate."""
    if a["id"] == b["id"] or "rejected" in (a.get("review"), b.get("review")):
        return None
    if a["event_type"] != b["event_type"] or not same_place(a, b):
        return None
    if _day(a["date_start"]) > _day(b["date_end"]) or _day(b["date_start"]) > _day(a["date_end"]):
        return None
    if not compatible_weapons(a["weapons"], b["weapons"]):
        return None
    for kind in ("killed", "injured"):
        if not compatible_figures(
            a[f"{kind}_min"], a[f"{kind}_max"], b[f"{kind}_min"], b[f"{kind}_max"]
        ):
            return None
    where = a["site_id"] or a["location"]
    return (
        f"same place ({where}), event type and overlapping dates, compatible weapons and "
        "figures: merge them if they are one event"
    )
