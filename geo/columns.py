"""The numbers behind fast queries: a frame's columns as numpy codes, built once per frame.

A store hands the app one frame of up to millions of incidents, and every rerun of the page
filters it and summarises it.  Comparing Python strings a million times per rerun is what made
that slow, so :func:`index_of` turns a frame, once, into plain arrays:

* every low-cardinality text column (review, event type, site, status ...) as integer codes
  (``-1`` = missing) with its distinct values, so "site is one of X, Y" is a table lookup;
* the date window as ``day_start``/``day_end`` integers, and, when the frame is ordered by
  ``day_start`` (store frames are), the longest window, so a date range becomes a contiguous
  slice found by binary search instead of a comparison of every row;
* the weapon sets as codes of their distinct bit masks, and the casualty figures with their
  "not reported" states, ready for ``numpy.bincount``.

The index is cached per frame object and dropped with it.  Frames are treated as immutable once
:func:`geo.frame.finish` has built them (every filter returns a new frame); a frame changed in
place afterwards must not be queried through a cached index.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

#: text columns that :class:`ColumnIndex` codes (the filters' columns and the summaries' ones)
CODED: tuple[str, ...] = (
    "review", "event_type", "site_id", "status", "outcome", "country", "claimed_by", "dataset",
)  # fmt: skip


@dataclass(frozen=True)
class Codes:
    """One text column as integer codes into ``values`` (``-1`` where the value is missing)."""

    codes: np.ndarray
    values: tuple[Any, ...]

    def table(self, wanted: tuple[Any, ...] | list[Any]) -> np.ndarray:
        """A boolean lookup table: ``table[codes]`` says, per row, whether the value is wanted.
        The extra last entry answers for code ``-1`` (missing), which is never wanted."""
        keep = set(wanted)
        return np.array([v in keep for v in self.values] + [False], dtype=bool)

    def isin(self, wanted: tuple[Any, ...] | list[Any]) -> np.ndarray:
        return self.table(wanted)[self.codes]

    def code(self, value: Any) -> int:
        """The code of ``value``, or ``-2`` (matches no row) when the column never holds it."""
        try:
            return self.values.index(value)
        except ValueError:
            return -2


@dataclass
class ColumnIndex:
    """The arrays of one frame (see the module docstring).  Build with :func:`index_of`."""

    n: int
    day_start: np.ndarray
    day_end: np.ndarray
    #: rows are ordered by ``day_start`` (then a date range is a slice)
    ordered: bool
    #: the widest date window, in days (how far before a range a window may start and overlap)
    max_width: int
    weapon_bits: np.ndarray
    geo_precision: np.ndarray
    _frame: weakref.ref[pd.DataFrame]
    _codes: dict[str, Codes] = field(default_factory=dict)
    _cache: dict[Any, Any] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def codes(self, column: str) -> Codes:
        """The column as codes (built on first use)."""
        found = self._codes.get(column)
        if found is None:
            frame = self._frame()
            if frame is None:  # pragma: no cover - the cache drops an index with its frame
                raise RuntimeError("the frame of this index is gone")
            # factorize the column as it is (pandas' string dtypes hash fast), not as objects
            codes, values = pd.factorize(frame[column], use_na_sentinel=True)
            found = Codes(codes.astype(np.int32), tuple(values.tolist()))
            self._codes[column] = found
        return found

    def memo(self, key: Any, build: Any) -> Any:
        """A derived array cached with the index (``build()`` runs once per key)."""
        with self._lock:
            if key not in self._cache:
                self._cache[key] = build()
            return self._cache[key]

    def forget_some(self, kind: str, keep: int) -> None:
        """Drop the cached entries whose key starts with ``kind`` once there are over ``keep``
        (the masks of old filter combinations)."""
        with self._lock:
            stale = [k for k in self._cache if isinstance(k, tuple) and k[0] == kind]
            if len(stale) > keep:
                for k in stale:
                    del self._cache[k]

    def frame_series(self, column: str) -> pd.Series:
        frame = self._frame()
        if frame is None:  # pragma: no cover
            raise RuntimeError("the frame of this index is gone")
        return frame[column]

    def frame_column(self, column: str) -> np.ndarray:
        return self.frame_series(column).to_numpy()

    def window(self, start_day: int | None, end_day: int | None) -> tuple[int, int, np.ndarray]:
        """Rows whose window overlaps ``[start_day, end_day]`` as ``(lo, hi, keep)``: only rows
        ``lo:hi`` can match, and ``keep`` (a mask over them) says which do."""
        lo, hi = 0, self.n
        if self.ordered:
            if end_day is not None:
                hi = int(np.searchsorted(self.day_start, end_day, side="right"))
            if start_day is not None:
                # a window starting up to max_width days earlier may still reach the range
                lo = int(np.searchsorted(self.day_start, start_day - self.max_width, side="left"))
                lo = min(lo, hi)
        keep = np.ones(hi - lo, dtype=bool)
        if start_day is not None:
            keep &= self.day_end[lo:hi] >= start_day
        if end_day is not None and not self.ordered:
            keep &= self.day_start[lo:hi] <= end_day
        return lo, hi, keep


_INDEXES: dict[int, ColumnIndex] = {}
_INDEXES_LOCK = threading.Lock()


def _build(frame: pd.DataFrame) -> ColumnIndex:
    day_start = np.ascontiguousarray(frame["day_start"].to_numpy(dtype=np.int64))
    day_end = np.ascontiguousarray(frame["day_end"].to_numpy(dtype=np.int64))
    n = len(frame)
    return ColumnIndex(
        n=n,
        day_start=day_start,
        day_end=day_end,
        ordered=bool(n < 2 or (day_start[1:] >= day_start[:-1]).all()),
        max_width=int((day_end - day_start).max()) if n else 0,
        weapon_bits=frame["weapon_bits"].to_numpy(dtype=np.int64),
        geo_precision=frame["geo_precision"].to_numpy(dtype=np.int64),
        _frame=weakref.ref(frame),
    )


def index_of(frame: pd.DataFrame) -> ColumnIndex:
    """The index of ``frame``, built on first use and kept until the frame is collected."""
    key = id(frame)
    found = _INDEXES.get(key)
    if found is not None and found._frame() is frame and found.n == len(frame):
        return found
    built = _build(frame)
    with _INDEXES_LOCK:
        _INDEXES[key] = built
    weakref.finalize(frame, _forget, key, built)
    return built


def _forget(key: int, index: ColumnIndex) -> None:
    with _INDEXES_LOCK:
        if _INDEXES.get(key) is index:
            del _INDEXES[key]
