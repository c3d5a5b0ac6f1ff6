"""Filters, per-site summaries and headline tallies over a frame of incidents.

One :class:`Filters` value is built once (by the sidebar or by CLI flags) and handed to the
query, the map and every exporter, so a briefing shows exactly what the screen showed.

The frame is a :class:`pandas.DataFrame` with one row per incident and the model's fields as
columns (``weapons`` and ``sources`` hold tuples).  Build it with :func:`to_frame`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from geo.columns import ColumnIndex, index_of
from geo.gazetteer import Gazetteer
from geo.model import WEAPONS, Incident, Source
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


COLUMNS: tuple[str, ...] = tuple(Incident.model_fields)
#: text that may be missing: object, None where not given
TEXT_COLUMNS = (
    "site_id", "admin1", "damage", "claimed_by", "attributed_to", "notes", "responds_to",
)  # fmt: skip
#: text that is always given: pandas' ``str`` dtype
STR_COLUMNS = (
    "id", "dataset", "event_type", "location", "country", "outcome", "status", "sources",
    "review",
)  # fmt: skip
INT_COLUMNS = ("date_precision", "geo_precision")
CASUALTY_COLUMNS = ("killed_min", "killed_max", "injured_min", "injured_max")
#: float64, NaN where not given
FLOAT_COLUMNS = ("longitude", "latitude", *CASUALTY_COLUMNS)
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

    * text always given (:data:`STR_COLUMNS`) is pandas' ``str``; other text
      (:data:`TEXT_COLUMNS`) holds None for "not given" (pandas would put NaN, which is truthy);
      numbers are int64 (:data:`INT_COLUMNS`) or float64 with NaN for "not given";
    * ``date_start``/``date_end`` are :class:`datetime.date`; ``day_start``/``day_end`` the same
      as days since 1970-01-01 (int), for fast range filters;
    * ``weapons`` is a tuple; ``weapon_bits`` the same as a bit mask (see :data:`WEAPON_BIT`);
    * ``sources`` is the JSON text of the source list (parse with :func:`sources_of`), so a
      million rows need no million objects.

    It takes model values (dates, tuples) as well as a store's text (ISO dates, weapons as
    JSON; str, or UTF-8 bytes, which SQLite hands over faster), and decodes each *distinct*
    date, weapon list and optional text once: a million stored rows hold a few thousand dates
    and a few dozen weapon lists, so loading them takes seconds.
    """
    for col in STR_COLUMNS:
        frame[col] = _text(frame[col])
    for col in INT_COLUMNS:
        frame[col] = frame[col].astype("int64")
    for col in TEXT_COLUMNS:
        frame[col] = _optional_text(frame[col])
    for col in FLOAT_COLUMNS:
        frame[col] = frame[col].astype("float64")
    for col, day in (("date_start", "day_start"), ("date_end", "day_end")):
        codes, dates = _distinct(frame[col], _as_date)
        frame[col] = _objects(dates)[codes]
        frame[day] = np.array([_day(d) for d in dates], dtype=np.int64)[codes]
    codes, weapons = _distinct(frame["weapons"], _as_weapons)
    frame["weapons"] = _objects(weapons)[codes]
    bits = [sum(WEAPON_BIT[w] for w in ws) for ws in weapons]
    frame["weapon_bits"] = np.array(bits, dtype=np.int64)[codes]
    return frame


def _distinct(values: pd.Series, decode: Callable[[Any], Any]) -> tuple[np.ndarray, list[Any]]:
    """Each row's code and the distinct values decoded: ``decode`` runs once per distinct
    value, not once per row.  Every row must hold a value."""
    try:
        codes, uniques = pd.factorize(values.array)
    except TypeError:  # lists (unhashable): as tuples
        hashable = [tuple(v) if isinstance(v, list) else v for v in values]
        codes, uniques = pd.factorize(_objects(hashable))
    if len(codes) and codes.min() < 0:
        raise ValueError(f"{values.name}: a row has no value")
    return codes, [decode(u) for u in uniques]


def _objects(values: list[Any]) -> np.ndarray:
    """A 1-d object array of ``values`` (numpy would unpack tuples into a second dimension)."""
    out = np.empty(len(values), dtype=object)
    for k, value in enumerate(values):
        out[k] = value
    return out


def _text(values: pd.Series) -> pd.Series:
    """Text that is always given, as pandas' ``str``; UTF-8 bytes are checked and decoded by
    Arrow, in C++."""
    if values.dtype == object and len(values) and isinstance(values.iloc[0], bytes):
        utf8 = pa.array(values.to_numpy(), type=pa.large_binary()).cast(pa.large_string())
        return pd.Series(pd.array(utf8, dtype="str"), index=values.index)
    return values.astype("str")


def _optional_text(values: pd.Series) -> pd.Series:
    """Text that may be missing, as objects with None for "not given" (pandas would put NaN,
    which is truthy).  Bytes are decoded once per distinct value, and equal texts share one
    object."""
    codes, uniques = pd.factorize(values.array)
    decoded = _objects([u.decode() if isinstance(u, bytes) else u for u in uniques] + [None])
    return pd.Series(decoded[codes], index=values.index, dtype=object)  # code -1: None


def _as_date(value: Any) -> date:
    """A date from ISO text (a store's), or from a date (a model's; a datetime gives its day)."""
    if isinstance(value, bytes):
        value = value.decode()
    if isinstance(value, str):
        return date.fromisoformat(value)
    return value if type(value) is date else pd.Timestamp(value).date()


def _as_weapons(value: Any) -> tuple[str, ...]:
    """A weapon list from JSON text (a store's) or a sequence (a model's)."""
    return tuple(json.loads(value) if isinstance(value, str | bytes) else value)


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
        None if filters.start is None else _day(filters.start),
        None if filters.end is None else _day(filters.end),
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
    as_of_day = _day(as_of)
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
                first_date=EPOCH + timedelta(days=int(first[k])),
                last_date=EPOCH + timedelta(days=int(last[k])),
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


#: a source's article name in a frame's JSON ``sources`` text.  Inside a JSON string every
#: ``"`` is escaped, so a ``"article"`` key right after ``{`` or ``,`` is a real key.
_ARTICLE = re.compile(r'[{,]\s*"article"\s*:\s*"((?:[^"\\]|\\.)*)"')


def _article_names(value: Any) -> tuple[str, ...]:
    if not isinstance(value, str):
        return tuple(s.article for s in sources_of(value))
    found = _ARTICLE.findall(value)
    return tuple(json.loads(f'"{a}"') if "\\" in a else a for a in found)


#: a frame's ``sources`` text that opens with an article name needing no escape, that name
#: captured (RE2, as pyarrow runs it; the match ends with the name, so the rest of a long quote
#: is never scanned).  json.dumps of the model writes ``article`` first, a sorted dump too.
#: Inside a JSON string every ``"`` is escaped, so the name ends at the first ``"``.  Other
#: rows (another key first, a name with escapes) are parsed one by one.
_FIRST_ARTICLE = r'^\[\{"article": "(?P<article>[^"\\]*)"'
#: how each source after the first opens, whatever its first key (a quote holding this text
#: sends its row the slow way, which is still right)
_NEXT_SOURCE = '}, {"'


def _article_sets(ix: ColumnIndex) -> tuple[np.ndarray, list[tuple[str, ...]]]:
    """Each row's list of source articles as a code into the distinct lists (a few outlets
    or articles repeat across many rows), built once per frame.

    A million rows of JSON are not parsed one by one: pyarrow cuts the article name out of
    every text holding one source that opens with its article name and encodes the names; only distinct
    names are read in Python.  Rows of another shape go through :func:`_article_names`.
    """

    def build() -> tuple[np.ndarray, list[tuple[str, ...]]]:
        series = ix.frame_series("sources")
        lists: dict[tuple[str, ...], int] = {}
        codes = np.full(len(series), -1, dtype=np.int64)
        easy = _single_articles(series)
        if easy is not None:
            rows, names, distinct = easy
            table = np.array(
                [lists.setdefault((_unescape(d),), len(lists)) for d in distinct], dtype=np.int64
            )
            codes[rows] = table[names]
        for r in np.flatnonzero(codes < 0):
            codes[r] = lists.setdefault(_article_names(series.iloc[r]), len(lists))
        return codes, list(lists)

    return ix.memo("article_sets", build)


def _unescape(name: str) -> str:
    return json.loads(f'"{name}"') if "\\" in name else name


def _single_articles(column: pd.Series) -> tuple[np.ndarray, np.ndarray, list[str]] | None:
    """The rows whose text holds one source opening with its article (:data:`_FIRST_ARTICLE`),
    each one's article as a code, and the distinct names; None when the column is not text."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        texts = pa.array(column, type=pa.large_string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # sources given as objects
        return None
    if isinstance(texts, pa.ChunkedArray):  # pragma: no cover - depends on pandas' storage
        texts = texts.combine_chunks()
    found = pc.extract_regex(texts, pattern=_FIRST_ARTICLE)
    single = pc.equal(pc.find_substring(texts, pattern=_NEXT_SOURCE), -1)
    usual = pc.and_(pc.is_valid(found), single).to_numpy(zero_copy_only=False)
    rows = np.flatnonzero(usual)
    names = pc.struct_field(pc.filter(found, usual), [0])
    encoded = pc.dictionary_encode(names)
    return (
        rows,
        encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64),
        encoded.dictionary.to_pylist(),
    )


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


def incidents_at(frame: pd.DataFrame, site_id: str) -> pd.DataFrame:
    return frame[frame["site_id"] == site_id].sort_values("date_start")


def span(frame: pd.DataFrame) -> tuple[date, date] | None:
    """The earliest start and latest end in the frame (None when empty)."""
    if frame.empty:
        return None
    ix = index_of(frame)
    return _date(int(ix.day_start.min())), _date(int(ix.day_end.max()))


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
    return _date(int(ix.day_start[mask].min())), _date(int(ix.day_end[mask].max()))


def _date(day: int) -> date:
    return EPOCH + timedelta(days=day)


def choices(frame: pd.DataFrame, column: str) -> list[str]:
    """The distinct values of a filter's column, sorted (for the sidebar's choices); for
    ``weapons``, every weapon that appears in some row's list."""
    ix = index_of(frame)
    if column == "weapons":
        present = np.bitwise_or.reduce(np.unique(ix.weapon_bits)) if ix.n else 0
        return sorted(w for w, b in WEAPON_BIT.items() if present & b)
    return sorted({str(v) for v in ix.codes(column).values})


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
    ix = index_of(frame)
    events = ix.codes("event_type")
    attack = np.flatnonzero(events.codes == events.code("attack"))
    order = attack[np.argsort(ix.day_start[attack], kind="stable")]
    starts = ix.day_start[order]
    # how far the attacks so far reach: a long window covers the days after its start
    reach = np.maximum.accumulate(ix.day_end[order])
    gap = starts[1:] - reach[:-1] - 1
    found = np.flatnonzero(gap >= min_days)
    out = [Lull(_date(int(reach[k]) + 1), _date(int(starts[k + 1]) - 1)) for k in found]
    return sorted(out, key=lambda lull: (-lull.days, lull.start))


def _attack_rows(ix: ColumnIndex) -> np.ndarray:
    events = ix.codes("event_type")
    return np.flatnonzero(events.codes == events.code("attack"))


def _monday(days: np.ndarray) -> np.ndarray:
    """The Monday on or before each day (1970-01-01, day 0, was a Thursday)."""
    return days - (days + 3) % 7


def weekly(frame: pd.DataFrame) -> pd.DataFrame:
    """Attacks per week (Monday of the window's first day) and weapon: columns week, weapon,
    attacks.  An attack with two weapons counts once under each."""
    ix = index_of(frame)
    attack = _attack_rows(ix)
    weeks, bits = _monday(ix.day_start[attack]), ix.weapon_bits[attack]
    rows: list[tuple[int, str, int]] = []
    for weapon, bit in WEAPON_BIT.items():
        found, counts = np.unique(weeks[(bits & bit) != 0], return_counts=True)
        rows += [(int(w), weapon, int(c)) for w, c in zip(found, counts, strict=True)]
    rows.sort()
    return pd.DataFrame(
        [(_date(w), weapon, c) for w, weapon, c in rows], columns=["week", "weapon", "attacks"]
    )


#: bin widths (days) the attack strip may use, finest first
STRIP_BINS: tuple[int, ...] = (1, 7, 30, 91, 365)


def attack_strip(frame: pd.DataFrame, max_marks: int = 1500) -> pd.DataFrame:
    """The attacks of the strip chart, one mark per attack while they are few; past
    ``max_marks``, one mark per site and time bin (the finest of :data:`STRIP_BINS` that
    fits), with its count and most frequent first weapon.

    Columns: site_id (None when not at a site), start, end (dates; a mark covers them),
    weapon (the first of the attack's list, or the bin's most frequent), attacks (count).
    """
    ix = index_of(frame)
    attack = _attack_rows(ix)
    site = ix.codes("site_id")
    site_codes = site.codes[attack].astype(np.int64) + 1  # 0: not at a site
    names = (None, *site.values)
    first_weapon = _first_weapons(ix)[attack]
    if len(attack) <= max_marks:
        return pd.DataFrame(
            {
                "site_id": pd.Series([names[k] for k in site_codes], dtype=object),
                "start": [_date(int(d)) for d in ix.day_start[attack]],
                "end": [_date(int(d)) for d in ix.day_end[attack]],
                "weapon": [WEAPONS[w] for w in first_weapon],
                "attacks": np.ones(len(attack), dtype=np.int64),
            }
        )
    n_sites, n_weapons = len(names), len(WEAPONS)
    days = ix.day_start[attack]
    for width in STRIP_BINS:
        offset = 4 if width == 7 else 0  # weeks start on Mondays; day 4 was one
        bins = (days - offset) // width
        lo = int(bins.min())
        key = (bins - lo) * n_sites + site_codes
        cells, inverse = np.unique(key, return_inverse=True)
        if len(cells) <= max_marks:
            break
    counts = np.bincount(inverse, minlength=len(cells))
    by_weapon = np.bincount(
        inverse * n_weapons + first_weapon, minlength=len(cells) * n_weapons
    ).reshape(len(cells), n_weapons)
    starts = (cells // n_sites + lo) * width + offset
    return pd.DataFrame(
        {
            "site_id": pd.Series([names[k] for k in cells % n_sites], dtype=object),
            "start": [_date(int(d)) for d in starts],
            "end": [_date(int(d) + width - 1) for d in starts],
            "weapon": [WEAPONS[w] for w in by_weapon.argmax(axis=1)],
            "attacks": counts,
        }
    )


def _first_weapons(ix: ColumnIndex) -> np.ndarray:
    """Each row's first listed weapon, as its position in :data:`geo.model.WEAPONS`."""

    def build() -> np.ndarray:
        position = {w: k for k, w in enumerate(WEAPONS)}
        firsts = [position[ws[0]] if len(ws) else 0 for ws in ix.frame_column("weapons")]
        return np.array(firsts, dtype=np.int64)

    return ix.memo("first_weapons", build)
