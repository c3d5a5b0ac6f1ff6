"""Summaries of a frame: casualty tallies, the page's headline and the per-site table.

Every figure is counted over the frame's :mod:`~geo.columns` index (a few ``numpy.bincount``
passes whatever the number of rows); only the per-site source list reads the rows' sources,
typed, once per frame (:func:`geo.frame.article_lists`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from geo.columns import ColumnIndex, index_of
from geo.frame import WEAPON_BIT, article_lists, from_day, to_day
from geo.gazetteer import Gazetteer
from geo.query.filters import Filters, select


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
    #: attacks among ``attacks`` with no point to draw: counted, but not on the map
    unlocated_attacks: int = 0
    #: imported other events in range (context, not the atlas's subject)
    others: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "attacks": self.attacks,
            "unlocated_attacks": self.unlocated_attacks,
            "confirmed": self.confirmed,
            "claimed": self.claimed,
            "sites_hit": self.sites_hit,
            "us_strikes": self.us_strikes,
            "unlocated": self.unlocated,
            "killed": self.killed.as_dict(),
            "injured": self.injured.as_dict(),
        }


def headline(frame: pd.DataFrame, filters: Filters | None = None) -> Headline:
    """The page's headline figures over ``frame`` (or, given ``filters``, over the rows of
    ``frame`` that pass them, without copying them out)."""
    ix = index_of(frame)
    pos = np.arange(ix.n) if filters is None else select(frame, filters).positions()
    events = ix.codes("event_type")
    event = events.codes[pos]
    attack = pos[event == events.code("attack")]
    sites = ix.codes("site_id").codes[attack]
    status = ix.codes("status")
    status_codes = status.codes[attack]
    cas = _casualties(ix)
    return Headline(
        attacks=len(attack),
        sites_hit=len(np.unique(sites[sites >= 0])),
        us_strikes=int(np.count_nonzero(event == events.code("us_strike"))),
        unlocated=int(np.count_nonzero(_unlocated(ix)[pos])),
        killed=cas.killed.total(attack),
        injured=cas.injured.total(attack),
        confirmed=int(np.count_nonzero(status_codes == status.code("confirmed"))),
        claimed=int(np.count_nonzero(status_codes == status.code("claimed"))),
        unlocated_attacks=int(np.count_nonzero(_unlocated(ix)[attack])),
        others=int(np.count_nonzero(event == events.code("other"))),
    )


@dataclass(frozen=True)
class _Figures:
    """One casualty figure (killed or injured) of every row, ready for counting: the reported
    bounds with "not given" as 0, and per row whether each bound was given."""

    low: np.ndarray
    high: np.ndarray
    #: 0: neither bound given (unreported); 1: only the maximum; 2: only the minimum (an
    #: open-ended range); 3: both
    state: np.ndarray

    @classmethod
    def of(cls, mins: np.ndarray, maxs: np.ndarray) -> _Figures:
        lo_known, hi_known = ~np.isnan(mins), ~np.isnan(maxs)
        return cls(
            np.where(lo_known, mins, 0.0),
            np.where(hi_known, maxs, 0.0),
            (lo_known.astype(np.int8) * 2 + hi_known).astype(np.int8),
        )

    def total(self, rows: np.ndarray) -> Range:
        """:func:`tally` over the given rows."""
        return self.by_group(np.zeros(len(rows), dtype=np.int64), 1, rows)[0]

    def by_group(self, groups: np.ndarray, n: int, rows: np.ndarray) -> list[Range]:
        """:func:`tally` per group (``groups[i]`` in ``0..n-1`` is the group of ``rows[i]``)."""
        low = np.bincount(groups, weights=self.low[rows], minlength=n)
        high = np.bincount(groups, weights=self.high[rows], minlength=n)
        states = np.bincount(groups * 4 + self.state[rows], minlength=n * 4).reshape(n, 4)
        return [
            Range(int(low[k]), None if states[k, 2] else int(high[k]), int(states[k, 0]))
            for k in range(n)
        ]


@dataclass(frozen=True)
class _Casualties:
    killed: _Figures
    injured: _Figures


def _casualties(ix: ColumnIndex) -> _Casualties:
    def build() -> _Casualties:
        def col(name: str) -> np.ndarray:
            return ix.frame_column(name).astype("float64")

        return _Casualties(
            _Figures.of(col("killed_min"), col("killed_max")),
            _Figures.of(col("injured_min"), col("injured_max")),
        )

    return ix.memo("casualties", build)


def _unlocated(ix: ColumnIndex) -> np.ndarray:
    return ix.memo("unlocated", lambda: np.isnan(ix.frame_column("longitude").astype("float64")))


def _weapon_sets(ix: ColumnIndex) -> tuple[np.ndarray, np.ndarray]:
    """Each row's weapon set as a code, and a (sets × weapons) 0/1 matrix: one ``bincount`` of
    (site, set) pairs then gives every site's weapon mix."""

    def build() -> tuple[np.ndarray, np.ndarray]:
        codes, sets = pd.factorize(ix.weapon_bits)
        matrix = np.array(
            [[(int(s) & b) != 0 for b in WEAPON_BIT.values()] for s in sets], dtype=np.int64
        ).reshape(len(sets), len(WEAPON_BIT))
        return codes, matrix

    return ix.memo("weapon_sets", build)


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
    #: more source articles than the :data:`MAX_SOURCES` listed in ``sources``
    more_sources: bool = False

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
            "more_sources": self.more_sources,
        }


#: per site, at most this many source articles are listed (then ``more_sources`` is set)
MAX_SOURCES = 50


def site_summaries(
    frame: pd.DataFrame, gazetteer: Gazetteer, as_of: date, *, sources: bool = True
) -> list[SiteSummary]:
    """Per-site attack summaries over every attack at a site in ``frame``, most attacked
    first.  ``as_of`` (the range end) anchors "days since last"; a window still open on that
    day counts as 0 days.

    Vectorised: a handful of ``numpy.bincount`` passes whatever the number of rows.
    ``sources`` lists each site's source articles in order of first appearance (at most
    :data:`MAX_SOURCES`), the one figure that reads rows' text.
    """
    ix = index_of(frame)

    def attacks_at_sites() -> np.ndarray:
        events = ix.codes("event_type")
        attack = events.codes == events.code("attack")
        return np.flatnonzero(attack & (ix.codes("site_id").codes >= 0))

    rows = ix.memo("attacks_at_sites", attacks_at_sites)
    return _summaries(frame, ix, rows, gazetteer, as_of, sources)


def summaries(
    frame: pd.DataFrame,
    filters: Filters,
    gazetteer: Gazetteer,
    as_of: date,
    *,
    sources: bool = True,
) -> list[SiteSummary]:
    """``site_summaries(for_summaries(apply(frame, filters), filters), ...)`` without copying
    the rows out: the page's and the exports' per-site table over a whole store's frame."""
    rows = select(frame, filters, summary=True).positions()
    return _summaries(frame, index_of(frame), rows, gazetteer, as_of, sources)


def _summaries(
    frame: pd.DataFrame,
    ix: ColumnIndex,
    rows: np.ndarray,
    gazetteer: Gazetteer,
    as_of: date,
    sources: bool,
) -> list[SiteSummary]:
    """The summaries of the given rows (attacks at a site), one ``bincount`` per figure."""
    if not len(rows):
        return []
    site = ix.codes("site_id")
    codes = site.codes[rows].astype(np.int64)
    n = len(site.values)
    count = np.bincount(codes, minlength=n)
    first = np.full(n, np.iinfo(np.int64).max)
    np.minimum.at(first, codes, ix.day_start[rows])
    last = np.full(n, np.iinfo(np.int64).min)
    np.maximum.at(last, codes, ix.day_end[rows])
    set_codes, matrix = _weapon_sets(ix)
    n_sets = len(matrix)
    pairs = np.bincount(codes * n_sets + set_codes[rows], minlength=n * n_sets)
    mix = pairs.reshape(n, n_sets) @ matrix  # (sites × weapons)
    status = ix.codes("status")
    of_status = status.codes[rows]
    confirmed = np.bincount(codes[of_status == status.code("confirmed")], minlength=n)
    claimed = np.bincount(codes[of_status == status.code("claimed")], minlength=n)
    cas = _casualties(ix)
    killed = cas.killed.by_group(codes, n, rows)
    injured = cas.injured.by_group(codes, n, rows)
    articles = _articles_by_site(ix, rows, codes, n) if sources else {}
    as_of_day = to_day(as_of)
    out: list[SiteSummary] = []
    for k in np.flatnonzero(count):
        place = gazetteer.get(str(site.values[k]))
        weapons = sorted(
            ((w, int(c)) for w, c in zip(WEAPON_BIT, mix[k], strict=True) if c),
            key=lambda x: -x[1],
        )
        listed, more = articles.get(int(k), ((), False))
        out.append(
            SiteSummary(
                site_id=place.id,
                site_name=place.name,
                country=place.country,
                incidents=int(count[k]),
                first_date=from_day(int(first[k])),
                last_date=from_day(int(last[k])),
                days_since_last=max(0, as_of_day - int(last[k])),
                weapons=dict(weapons),
                killed=killed[k],
                injured=injured[k],
                sources=listed,
                more_sources=more,
                confirmed=int(confirmed[k]),
                claimed=int(claimed[k]),
            )
        )
    out.sort(key=lambda s: (-s.incidents, s.days_since_last, s.site_name))
    return out


def _article_sets(ix: ColumnIndex) -> tuple[np.ndarray, list[tuple[str, ...]]]:
    """Each row's list of source articles as a code into the distinct lists, read once per
    frame (:func:`geo.frame.article_lists`)."""
    return ix.memo("article_sets", lambda: article_lists(ix.frame_series("sources")))


def _articles_by_site(
    ix: ColumnIndex, rows: np.ndarray, codes: np.ndarray, n: int
) -> dict[int, tuple[tuple[str, ...], bool]]:
    """Per site code: its distinct source articles in order of first appearance, at most
    :data:`MAX_SOURCES`, and whether there were more.  One sort of (site, article list) pairs,
    whatever the number of rows."""
    set_codes, lists = _article_sets(ix)
    n_sets = max(len(lists), 1)
    pairs, first_row = np.unique(codes * n_sets + set_codes[rows], return_index=True)
    order = np.lexsort((first_row, pairs // n_sets))  # by site, then first appearance
    out: dict[int, tuple[tuple[str, ...], bool]] = {}
    seen: dict[str, None] = {}
    site = -1
    more = False
    for pair in pairs[order]:
        k, which = divmod(int(pair), n_sets)
        if k != site:
            if site >= 0:
                out[site] = (tuple(seen), more)
            site, seen, more = k, {}, False
        for article in lists[which]:
            if article in seen:
                continue
            if len(seen) == MAX_SOURCES:
                more = True
                break
            seen[article] = None
    if site >= 0:
        out[site] = (tuple(seen), more)
    return out
