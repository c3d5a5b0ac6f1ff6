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
from datetime import date, timedelta
from typing import Any

import pandas as pd

from geo.gazetteer import Gazetteer
from geo.model import Incident, Source


@dataclass(frozen=True)
class Filters:
    """What the user narrowed the data to.  Empty tuples mean "no restriction".

    ``start``/``end``: an incident counts when its date window overlaps the range.
    ``summary_max_geo_precision``: incidents placed less precisely than this (a higher UCDP
    ``where_prec``) are still listed and drawn, but do not count in the per-site summaries.
    """

    start: date | None = None
    end: date | None = None
    event_types: tuple[str, ...] = ()
    weapons: tuple[str, ...] = ()
    outcomes: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    sites: tuple[str, ...] = ()
    claimants: tuple[str, ...] = ()
    datasets: tuple[str, ...] = ()
    summary_max_geo_precision: int = 2
    #: review states shown: accepted records only, unless asked (extracted ones wait as pending)
    reviews: tuple[str, ...] = ("accepted",)

    def describe(self) -> str:
        """One line for captions, exports and speaker notes."""
        parts = [f"{self.start or 'start'} to {self.end or 'end'}"]
        if self.reviews != ("accepted",):
            parts.append(f"review: {', '.join(self.reviews)}")
        for name, _column, _kind in RULES:
            values = getattr(self, name)
            if values:
                parts.append(f"{name.replace('_', ' ')}: {', '.join(values)}")
        return "; ".join(parts)

    def active(self) -> dict[str, tuple[str, ...]]:
        """The restricting filters, by name (empty ones left out)."""
        return {name: getattr(self, name) for name, _c, _k in RULES if getattr(self, name)}


#: The filters as data: (Filters attribute, frame column, how values match).
#: ``in``: the column's value is one of them; ``any``: the column holds a list sharing one.
RULES: tuple[tuple[str, str, str], ...] = (
    ("event_types", "event_type", "in"),
    ("weapons", "weapons", "any"),
    ("outcomes", "outcome", "in"),
    ("statuses", "status", "in"),
    ("countries", "country", "in"),
    ("sites", "site_id", "in"),
    ("claimants", "claimed_by", "in"),
    ("datasets", "dataset", "in"),
)


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
    mask = frame["review"].isin(filters.reviews)
    if filters.start is not None:
        mask &= frame["date_end"] >= filters.start
    if filters.end is not None:
        mask &= frame["date_start"] <= filters.end
    for name, column, kind in RULES:
        wanted = getattr(filters, name)
        if not wanted:
            continue
        if kind == "in":
            mask &= frame[column].isin(wanted)
        else:
            allowed = set(wanted)
            mask &= frame[column].map(lambda values, allowed=allowed: bool(allowed & set(values)))
    return frame[mask]


def for_summaries(frame: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The rows that count in per-site summaries: precise enough (see Filters)."""
    return frame[frame["geo_precision"] <= filters.summary_max_geo_precision]


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
    confirmed: int = 0
    claimed: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "attacks": self.attacks,
            "confirmed": self.confirmed,
            "claimed": self.claimed,
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
        confirmed=int((attacks["status"] == "confirmed").sum()),
        claimed=int((attacks["status"] == "claimed").sum()),
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
    confirmed: int = 0
    claimed: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "site_id": self.site_id,
            "site_name": self.site_name,
            "country": self.country,
            "incidents": self.incidents,
            "confirmed": self.confirmed,
            "claimed": self.claimed,
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
                confirmed=int((rows["status"] == "confirmed").sum()),
                claimed=int((rows["status"] == "claimed").sum()),
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


@dataclass(frozen=True)
class Lull:
    """Days with no attack between two attacks (windows taken at their widest)."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def lulls(frame: pd.DataFrame, min_days: int = 14) -> list[Lull]:
    """Gaps of at least ``min_days`` between consecutive attacks, longest first."""
    attacks = _attacks(frame).sort_values("date_start")
    out: list[Lull] = []
    reach: date | None = None
    for start, end in zip(attacks["date_start"], attacks["date_end"], strict=True):
        if reach is not None and (start - reach).days - 1 >= min_days:
            out.append(Lull(reach + timedelta(days=1), start - timedelta(days=1)))
        reach = end if reach is None else max(reach, end)
    return sorted(out, key=lambda lull: (-lull.days, lull.start))


def weekly(frame: pd.DataFrame) -> pd.DataFrame:
    """Attacks per week (Monday of the window's first day) and weapon: columns week, weapon,
    attacks.  An attack with two weapons counts once under each."""
    attacks = _attacks(frame)
    rows = [
        (start - timedelta(days=start.weekday()), w)
        for start, weapons in zip(attacks["date_start"], attacks["weapons"], strict=True)
        for w in weapons
    ]
    counts = Counter(rows)
    return pd.DataFrame(
        [(week, w, n) for (week, w), n in sorted(counts.items())],
        columns=["week", "weapon", "attacks"],
    )
