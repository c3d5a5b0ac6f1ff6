"""Filters, per-site summaries and headline tallies over a frame of incidents.

One :class:`Filters` value is built once (by the sidebar or by CLI flags) and handed to the
query, the map and every exporter, so a briefing shows exactly what the screen showed.

The frame is a :class:`pandas.DataFrame` with one row per incident and the model's fields as
columns (``weapons`` and ``sources`` hold tuples).  Build it with :func:`to_frame`.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from geo.gazetteer import Gazetteer
from geo.model import WEAPONS, Incident, Source


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
TEXT_COLUMNS = (
    "site_id", "admin1", "damage", "claimed_by", "attributed_to", "notes", "responds_to",
)  # fmt: skip
CASUALTY_COLUMNS = ("killed_min", "killed_max", "injured_min", "injured_max")
EPOCH = date(1970, 1, 1)
#: weapon -> its bit in the ``weapon_bits`` column
WEAPON_BIT: dict[str, int] = {w: 1 << k for k, w in enumerate(WEAPONS)}


def to_frame(incidents: Iterable[Incident]) -> pd.DataFrame:
    """A frame of model incidents (the store builds the same frame from its rows)."""
    rows = []
    for inc in incidents:
        row = dict(inc)
        row["sources"] = json.dumps(
            [s.model_dump(mode="json") for s in inc.sources], ensure_ascii=False, sort_keys=True
        )
        rows.append(row)
    return finish(pd.DataFrame(rows, columns=list(COLUMNS)))


def finish(frame: pd.DataFrame) -> pd.DataFrame:
    """Give a frame of the model's columns the types queries rely on, and derived columns:

    * text columns hold None for "not given" (pandas would put NaN, which is truthy);
    * ``date_start``/``date_end`` are :class:`datetime.date`; ``day_start``/``day_end`` the same
      as days since 1970-01-01 (int), for fast range filters;
    * ``weapons`` is a tuple; ``weapon_bits`` the same as a bit mask (see :data:`WEAPON_BIT`);
    * ``sources`` is the JSON text of the source list (parse with :func:`sources_of`), so a
      million rows need no million objects.
    """
    for col in TEXT_COLUMNS:
        frame[col] = frame[col].astype(object).where(frame[col].notna(), None)
    for col in CASUALTY_COLUMNS:
        frame[col] = pd.to_numeric(frame[col], errors="raise").astype("float64")
    for col, day in (("date_start", "day_start"), ("date_end", "day_end")):
        stamps = pd.to_datetime(frame[col])
        frame[col] = stamps.dt.date if len(frame) else frame[col]
        frame[day] = (stamps.to_numpy(dtype="datetime64[D]").astype("int64")) if len(frame) else 0
    frame["weapons"] = [tuple(w) for w in frame["weapons"]]
    frame["weapon_bits"] = np.fromiter(
        (sum(WEAPON_BIT[w] for w in ws) for ws in frame["weapons"]),
        dtype=np.int64,
        count=len(frame),
    )
    return frame


@lru_cache(maxsize=4096)
def _parse_sources(text: str) -> tuple[Source, ...]:
    return tuple(Source.model_construct(**s) for s in json.loads(text))


def sources_of(value: str | Iterable[Source]) -> tuple[Source, ...]:
    """The sources of a frame row (stored as JSON text)."""
    if isinstance(value, str):
        return _parse_sources(value)
    return tuple(value)


def _day(d: date) -> int:
    return (d - EPOCH).days


def apply(frame: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """Rows whose date window overlaps the range and that pass every other filter."""
    mask = (
        frame["review"].isin(filters.reviews).to_numpy().copy()
    )  # (pandas may hand out a read-only view)
    if filters.start is not None:
        mask &= frame["day_end"].to_numpy() >= _day(filters.start)
    if filters.end is not None:
        mask &= frame["day_start"].to_numpy() <= _day(filters.end)
    for name, column, kind in RULES:
        wanted = getattr(filters, name)
        if not wanted:
            continue
        if kind == "in":
            mask &= frame[column].isin(wanted).to_numpy()
        else:  # the weapons: any of them
            bits = sum(WEAPON_BIT[w] for w in wanted if w in WEAPON_BIT)
            mask &= (frame["weapon_bits"].to_numpy() & bits) != 0
    return frame[mask]


def for_summaries(frame: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The rows that count in per-site summaries: precise enough (see Filters)."""
    return frame[frame["geo_precision"].to_numpy() <= filters.summary_max_geo_precision]


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


def site_summaries(
    frame: pd.DataFrame, gazetteer: Gazetteer, as_of: date, *, sources: bool = True
) -> list[SiteSummary]:
    """Per-site attack summaries, most attacked first.  ``as_of`` (the range end) anchors
    "days since last"; a window still open on that day counts as 0 days.

    Vectorised (one pass of numpy per figure, whatever the number of rows); ``sources=False``
    leaves out the list of source articles, the one figure that needs every row's text.
    """
    attacks = frame[(frame["event_type"] == "attack").to_numpy() & frame["site_id"].notna()]
    if attacks.empty:
        return []
    codes, sites = pd.factorize(attacks["site_id"])
    n = len(sites)
    count = np.bincount(codes, minlength=n)
    first = np.full(n, np.iinfo(np.int64).max)
    np.minimum.at(first, codes, attacks["day_start"].to_numpy())
    last = np.full(n, np.iinfo(np.int64).min)
    np.maximum.at(last, codes, attacks["day_end"].to_numpy())
    bits = attacks["weapon_bits"].to_numpy()
    mix = {
        w: np.bincount(codes, weights=(bits & b) != 0, minlength=n) for w, b in WEAPON_BIT.items()
    }
    killed = _tally_by(codes, n, attacks["killed_min"], attacks["killed_max"])
    injured = _tally_by(codes, n, attacks["injured_min"], attacks["injured_max"])
    status = attacks["status"].to_numpy()
    confirmed = np.bincount(codes, weights=status == "confirmed", minlength=n)
    claimed = np.bincount(codes, weights=status == "claimed", minlength=n)
    articles: dict[int, tuple[str, ...]] = {}
    if sources:
        for code, text in zip(codes, attacks["sources"], strict=True):
            seen = articles.setdefault(int(code), ())
            new = [s.article for s in sources_of(text) if s.article not in seen]
            if new:
                articles[int(code)] = seen + tuple(dict.fromkeys(new))
    as_of_day = _day(as_of)
    out: list[SiteSummary] = []
    for k, site_id in enumerate(sites):
        site = gazetteer.get(str(site_id))
        weapons = sorted(((w, int(c[k])) for w, c in mix.items() if c[k]), key=lambda x: -x[1])
        out.append(
            SiteSummary(
                site_id=site.id,
                site_name=site.name,
                country=site.country,
                incidents=int(count[k]),
                first_date=EPOCH + timedelta(days=int(first[k])),
                last_date=EPOCH + timedelta(days=int(last[k])),
                days_since_last=max(0, as_of_day - int(last[k])),
                weapons=dict(weapons),
                killed=killed[k],
                injured=injured[k],
                sources=articles.get(k, ()),
                confirmed=int(confirmed[k]),
                claimed=int(claimed[k]),
            )
        )
    out.sort(key=lambda s: (-s.incidents, s.days_since_last, s.site_name))
    return out


def _tally_by(codes: np.ndarray, n: int, mins: pd.Series, maxs: pd.Series) -> list[Range]:
    """:func:`tally` for every site at once."""
    lo, hi = mins.to_numpy(dtype="float64"), maxs.to_numpy(dtype="float64")
    lo_known, hi_known = ~np.isnan(lo), ~np.isnan(hi)
    low = np.bincount(codes, weights=np.where(lo_known, lo, 0), minlength=n)
    high = np.bincount(codes, weights=np.where(hi_known, hi, 0), minlength=n)
    open_top = np.bincount(codes, weights=lo_known & ~hi_known, minlength=n)
    unreported = np.bincount(codes, weights=~lo_known & ~hi_known, minlength=n)
    return [
        Range(int(low[k]), None if open_top[k] else int(high[k]), int(unreported[k]))
        for k in range(n)
    ]


def incidents_at(frame: pd.DataFrame, site_id: str) -> pd.DataFrame:
    return frame[frame["site_id"] == site_id].sort_values("date_start")


def span(frame: pd.DataFrame) -> tuple[date, date] | None:
    """The earliest start and latest end in the frame (None when empty)."""
    if frame.empty:
        return None
    return min(frame["date_start"]), max(frame["date_end"])


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
