"""Timelines of a frame's attacks: lulls between them, attacks per week and weapon, and the
marks of the attack strip (one per attack, or per site and time bin when there are many)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from geo.columns import ColumnIndex, index_of
from geo.frame import WEAPON_BIT, from_day
from geo.model import WEAPONS


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
    out = [Lull(from_day(int(reach[k]) + 1), from_day(int(starts[k + 1]) - 1)) for k in found]
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
        [(from_day(w), weapon, c) for w, weapon, c in rows], columns=["week", "weapon", "attacks"]
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
                "start": [from_day(int(d)) for d in ix.day_start[attack]],
                "end": [from_day(int(d)) for d in ix.day_end[attack]],
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
            "start": [from_day(int(d)) for d in starts],
            "end": [from_day(int(d) + width - 1) for d in starts],
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
