"""Filters, per-site summaries and headline tallies over a frame of incidents.

One :class:`Filters` value is built once (by the sidebar or by CLI flags) and handed to the
query, the map and every exporter, so a briefing shows exactly what the screen showed.

The frame is a :class:`pandas.DataFrame` with one row per incident and the model's fields as
columns (``weapons`` and ``sources`` hold tuples).  Build it with :func:`to_frame`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from geo.gazetteer import Gazetteer
from geo.model import Incident, Source


@dataclass(frozen=True)
class Filters:
    """What the user narrowed the data to.  Empty tuples mean "no restriction"."""

    start: date | None = None
    end: date | None = None
    event_types: tuple[str, ...] = ()
    weapons: tuple[str, ...] = ()
    sites: tuple[str, ...] = ()

    def describe(self) -> str:
        parts = [f"{self.start or 'start'} to {self.end or 'end'}"]
        for name in ("event_types", "weapons", "sites"):
            values = getattr(self, name)
            if values:
                parts.append(f"{name.replace('_', ' ')}: {', '.join(values)}")
        return "; ".join(parts)


COLUMNS: tuple[str, ...] = tuple(Incident.model_fields)
TEXT_COLUMNS = ("site_id", "admin1", "damage", "claimed_by", "attributed_to", "notes")


def to_frame(incidents: Iterable[Incident]) -> pd.DataFrame:
    rows = [dict(i) for i in incidents]
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    # Text columns keep None for "not given" (pandas would make it NaN, which is truthy).
    for col in TEXT_COLUMNS:
        frame[col] = frame[col].astype(object).where(frame[col].notna(), None)
    for col in ("date_start", "date_end"):
        frame[col] = pd.to_datetime(frame[col]).dt.date if len(frame) else frame[col]
    return frame


def apply(frame: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """Rows whose date window overlaps the range and that pass every other filter."""
    mask = pd.Series(True, index=frame.index)
    if filters.start is not None:
        mask &= frame["date_end"] >= filters.start
    if filters.end is not None:
        mask &= frame["date_start"] <= filters.end
    if filters.event_types:
        mask &= frame["event_type"].isin(filters.event_types)
    if filters.sites:
        mask &= frame["site_id"].isin(filters.sites)
    if filters.weapons:
        wanted = set(filters.weapons)
        mask &= frame["weapons"].map(lambda ws: bool(wanted.intersection(ws)))
    return frame[mask]


@dataclass(frozen=True)
class Range:
    """A casualty tally: at least ``low``; at most ``high`` (None = no upper bound reported);
    ``unreported`` incidents gave no figure at all."""

    low: int = 0
    high: int | None = 0
    unreported: int = 0

    def core(self) -> str:
        """The range alone: "5", "0–21" or "7+"."""
        if self.high is None:
            return f"{self.low}+"
        return str(self.low) if self.low == self.high else f"{self.low}–{self.high}"

    def text(self) -> str:
        return self.core() + (f" ({self.unreported} not reported)" if self.unreported else "")

    def as_dict(self) -> dict[str, int | None]:
        return {"min": self.low, "max": self.high, "unreported": self.unreported}


def tally(mins: Sequence[Any], maxs: Sequence[Any]) -> Range:
    """Add up casualty ranges.  A missing min counts as 0; a missing max with a known min makes
    the total open-ended; an incident with neither is counted as unreported."""
    low, high, unreported = 0, 0, 0
    open_ended = False
    for lo, hi in zip(mins, maxs, strict=True):
        lo = None if pd.isna(lo) else int(lo)
        hi = None if pd.isna(hi) else int(hi)
        if lo is None and hi is None:
            unreported += 1
            continue
        low += lo or 0
        if hi is None:
            open_ended = True
        else:
            high += hi
    return Range(low, None if open_ended else high, unreported)


def _attacks(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["event_type"] == "attack"]


@dataclass(frozen=True)
class Headline:
    attacks: int
    sites_hit: int
    us_strikes: int
    unlocated: int
    killed: Range
    injured: Range

    def as_dict(self) -> dict[str, Any]:
        return {
            "attacks": self.attacks,
            "sites_hit": self.sites_hit,
            "us_strikes": self.us_strikes,
            "unlocated": self.unlocated,
            "killed": self.killed.as_dict(),
            "injured": self.injured.as_dict(),
        }


def headline(frame: pd.DataFrame) -> Headline:
    attacks = _attacks(frame)
    return Headline(
        attacks=len(attacks),
        sites_hit=int(attacks["site_id"].dropna().nunique()),
        us_strikes=int((frame["event_type"] == "us_strike").sum()),
        unlocated=int(frame["longitude"].isna().sum()),
        killed=tally(attacks["killed_min"].tolist(), attacks["killed_max"].tolist()),
        injured=tally(attacks["injured_min"].tolist(), attacks["injured_max"].tolist()),
    )


@dataclass(frozen=True)
class SiteSummary:
    site_id: str
    site_name: str
    country: str
    incidents: int
    first_date: date
    last_date: date
    days_since_last: int
    weapons: dict[str, int] = field(default_factory=dict)
    killed: Range = Range()
    injured: Range = Range()
    sources: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "site_id": self.site_id,
            "site_name": self.site_name,
            "country": self.country,
            "incidents": self.incidents,
            "first_date": self.first_date.isoformat(),
            "last_date": self.last_date.isoformat(),
            "days_since_last": self.days_since_last,
            "weapons": self.weapons,
            "killed": self.killed.as_dict(),
            "injured": self.injured.as_dict(),
            "sources": list(self.sources),
        }


def site_summaries(frame: pd.DataFrame, gazetteer: Gazetteer, as_of: date) -> list[SiteSummary]:
    """Per-site attack summaries, most attacked first.  ``as_of`` (the range end) anchors
    "days since last"; a window still open on that day counts as 0 days."""
    attacks = _attacks(frame)
    attacks = attacks[attacks["site_id"].notna()]
    out: list[SiteSummary] = []
    for site_id, rows in attacks.groupby("site_id", sort=False):
        site = gazetteer.get(str(site_id))
        last = max(rows["date_end"])
        weapons = Counter(w for ws in rows["weapons"] for w in ws)
        articles = dict.fromkeys(s.article for ss in rows["sources"] for s in ss)
        out.append(
            SiteSummary(
                site_id=site.id,
                site_name=site.name,
                country=site.country,
                incidents=len(rows),
                first_date=min(rows["date_start"]),
                last_date=last,
                days_since_last=max(0, (as_of - last).days),
                weapons=dict(weapons.most_common()),
                killed=tally(rows["killed_min"].tolist(), rows["killed_max"].tolist()),
                injured=tally(rows["injured_min"].tolist(), rows["injured_max"].tolist()),
                sources=tuple(articles),
            )
        )
    out.sort(key=lambda s: (-s.incidents, s.days_since_last, s.site_name))
    return out


def incidents_at(frame: pd.DataFrame, site_id: str) -> pd.DataFrame:
    return frame[frame["site_id"] == site_id].sort_values("date_start")


def span(frame: pd.DataFrame) -> tuple[date, date] | None:
    """The earliest start and latest end in the frame (None when empty)."""
    if frame.empty:
        return None
    return min(frame["date_start"]), max(frame["date_end"])


def source_list(sources: Iterable[Source]) -> list[dict[str, str]]:
    return [s.model_dump(mode="json") for s in sources]
