"""Filters over a frame: what the user narrowed the data to, and the rows that pass.

One :class:`Filters` value is built once (by the sidebar or by CLI flags) and handed to the
query, the map and every exporter, so a briefing shows exactly what the screen showed.
:func:`select` finds the passing rows through the frame's :mod:`~geo.columns` index (a date
range is a slice of a frame ordered by date; every other filter a cached mask).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from geo.columns import ColumnIndex, index_of
from geo.frame import WEAPON_BIT, from_day, to_day
from geo.vocabulary import filter_value


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
            parts.append(f"review: {', '.join(filter_value('reviews', r) for r in self.reviews)}")
        for name, _column, _kind in RULES:
            values = getattr(self, name)
            if values:
                shown = ", ".join(filter_value(name, v) for v in values)
                parts.append(f"{name.replace('_', ' ')}: {shown}")
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


@dataclass(frozen=True)
class Selection:
    """Rows of a frame chosen by :func:`select`: only rows ``lo:hi`` can match (a date range is
    a slice of a frame ordered by date), and ``keep`` says which of them do."""

    index: ColumnIndex
    lo: int
    hi: int
    keep: np.ndarray

    def positions(self) -> np.ndarray:
        """The chosen rows' positions in the frame, in frame order."""
        return np.flatnonzero(self.keep) + self.lo

    def mask(self) -> np.ndarray:
        out = np.zeros(self.index.n, dtype=bool)
        out[self.lo : self.hi] = self.keep
        return out

    def __len__(self) -> int:
        return int(np.count_nonzero(self.keep))


#: how many filter combinations keep their row mask cached with a frame's index
_MASKS_KEPT = 32


def _static_mask(ix: ColumnIndex, filters: Filters, summary: bool) -> np.ndarray:
    """Every filter but the date range, over the whole frame (cached per combination: a range
    change, the common rerun, reuses it).  ``summary`` adds what per-site summaries count:
    attacks, at a site, placed precisely enough."""
    rules = tuple(
        (name, getattr(filters, name)) for name, _c, _k in RULES if getattr(filters, name)
    )
    key = ("static", filters.reviews, rules, summary, summary and filters.summary_max_geo_precision)

    def build() -> np.ndarray:
        mask = ix.codes("review").isin(filters.reviews)
        for name, column, kind in RULES:
            wanted = getattr(filters, name)
            if not wanted:
                continue
            if kind == "in":
                mask &= ix.codes(column).isin(wanted)
            else:  # the weapons: any of them
                bits = sum(WEAPON_BIT[w] for w in wanted if w in WEAPON_BIT)
                mask &= (ix.weapon_bits & bits) != 0
        if summary:
            mask &= ix.codes("event_type").codes == ix.codes("event_type").code("attack")
            mask &= ix.codes("site_id").codes >= 0
            mask &= ix.geo_precision <= filters.summary_max_geo_precision
        return mask

    ix.forget_some("static", keep=_MASKS_KEPT)
    return ix.memo(key, build)


def select(frame: pd.DataFrame, filters: Filters, *, summary: bool = False) -> Selection:
    """The rows passing ``filters`` (with ``summary``: the rows per-site summaries count)."""
    ix = index_of(frame)
    lo, hi, keep = ix.window(
        None if filters.start is None else to_day(filters.start),
        None if filters.end is None else to_day(filters.end),
    )
    keep &= _static_mask(ix, filters, summary)[lo:hi]
    return Selection(ix, lo, hi, keep)


def apply(frame: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """Rows whose date window overlaps the range and that pass every other filter (the frame
    itself when they all do: frames are not changed in place, so no copy is needed)."""
    chosen = select(frame, filters)
    if chosen.lo == 0 and chosen.hi == len(frame) and chosen.keep.all():
        return frame
    return frame.take(chosen.positions())


def for_summaries(frame: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The rows that count in per-site summaries: precise enough (see Filters)."""
    return frame[frame["geo_precision"].to_numpy() <= filters.summary_max_geo_precision]


def incidents_at(frame: pd.DataFrame, site_id: str) -> pd.DataFrame:
    return frame[frame["site_id"] == site_id].sort_values("date_start")


def span(frame: pd.DataFrame) -> tuple[date, date] | None:
    """The earliest start and latest end in the frame (None when empty)."""
    if frame.empty:
        return None
    ix = index_of(frame)
    return from_day(int(ix.day_start.min())), from_day(int(ix.day_end.max()))


def subject_span(frame: pd.DataFrame) -> tuple[date, date] | None:
    """The span of the atlas's subject: attacks on US/coalition forces and US strikes, without
    the imported other events (context, often over decades and continents); the whole span
    when there are none of those (None when the frame is empty)."""
    if frame.empty:
        return None
    ix = index_of(frame)
    events = ix.codes("event_type")
    mask = events.codes != events.code("other")
    if not mask.any():
        return span(frame)
    return from_day(int(ix.day_start[mask].min())), from_day(int(ix.day_end[mask].max()))


def choices(frame: pd.DataFrame, column: str) -> list[str]:
    """The distinct values of a filter's column, sorted (for the sidebar's choices); for
    ``weapons``, every weapon that appears in some row's list."""
    ix = index_of(frame)
    if column == "weapons":
        present = np.bitwise_or.reduce(np.unique(ix.weapon_bits)) if ix.n else 0
        return sorted(w for w, b in WEAPON_BIT.items() if present & b)
    return sorted({str(v) for v in ix.codes(column).values})
