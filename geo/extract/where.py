"""Where one draft is, and what a sentence tells place by place (each place in a clause of its own)."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any

from geo.extract.clusters import Cluster
from geo.extract.dates import DateMention
from geo.extract.places import Place, Unnamed
from geo.extract.sentence import SentenceFacts
from geo.extract.weapons import find_weapons


@dataclass(frozen=True)
class Where:
    """Where one draft is: what goes into the incident's place fields."""

    location: str
    country: str | None
    geo_precision: int
    admin1: str | None = None
    site_id: str | None = None
    longitude: float | None = None
    latitude: float | None = None
    place_key: str | None = None
    singular: bool = False
    count: int = 1  # of an unnamed target: "two bases in Syria" is 2
    copies: int = 1  # attacks it stands for, beside named places ("... and three sites in Syria")
    country_only: bool = False  # only the country is known: the text names no place at all
    reason: str | None = None  # why it is not on the map
    note: str | None = None
    separate: bool = False  # another attack than the cluster's own ("along with another ...")
    weapons: frozenset[str] | None = None  # its own ("X with drones, and Y with a rocket")
    day: DateMention | None = None  # its own ("X at dawn on Monday, and Y on Sunday evening")


def unnamed_where(u: Unnamed, **extra: Any) -> Where:
    """The place of a target the text does not name ("two bases in Iraq"): its country, and its
    province when the text gives one."""
    return Where(
        f"{u.text} (not named)",
        u.country,
        4 if u.admin1 else 6,
        admin1=u.admin1,
        reason=f"the text names no place: '{u.text}'",
        **extra,
    )


#: where a sentence passes from one place's attack to the next ("..., and hours later ...")
_PLACE_BREAK = re.compile(r",\s+(?:and|while|but)\s+|;\s+|\s+while\s+")
#: finer: "... the Tanf base with drones on Wednesday and the Rukban base with a drone on Thursday"
_PLACE_AND = re.compile(r",\s+(?:and|while|but)\s+|;\s+|\s+while\s+|\s+and\s+(?=the\s)")


def by_place(
    c: Cluster, places: list[Place]
) -> dict[str, tuple[frozenset[str], DateMention | None]]:
    """What a sentence tells place by place, each place in a clause of its own ("a rocket struck
    near Conoco, and hours later a drone was intercepted near al-Tanf"; "Ain al-Asad with rockets
    at dawn on Monday, and Harir with a drone on Sunday evening"): the weapons and the day of the
    clause of each place.  Only when the clauses give different weapons or days; cut finer at
    "and the" only when each place's part then names its own weapons or day."""
    if c.kind != "attack" or len(places) < 2:
        return {}
    f = c.anchor
    mine = [p for p in places if p in f.places]
    if len(mine) < 2:
        return {}
    for pattern, strict in ((_PLACE_BREAK, False), (_PLACE_AND, True)):
        out = _clauses_of(f, mine, pattern, strict)
        if out:
            return out
    return {}


def _clauses_of(
    f: SentenceFacts, places: list[Place], pattern: re.Pattern[str], strict: bool
) -> dict[str, tuple[frozenset[str], DateMention | None]]:
    cuts = [0, *(m.end() for m in pattern.finditer(f.text)), len(f.text)]
    spans = list(itertools.pairwise(cuts))

    def clause(p: Place) -> tuple[int, int]:
        return next(((a, b) for a, b in spans if a <= p.start < b), (0, len(f.text)))

    if len({clause(p) for p in places}) < 2:
        return {}
    out = {}
    for p in places:
        a, b = clause(p)
        weapons = frozenset(find_weapons(f.text[a:b]))
        day = next((d for d in f.dates if d.kind == "event" and a <= d.start < b), None)
        out[p.key] = (weapons, day)
    if strict:  # each part names the same kinds of fact (weapons, a day) as the others
        armed = {bool(w) for w, _ in out.values()}
        dated = {d is not None for _, d in out.values()}
        if len(armed) > 1 or len(dated) > 1 or armed == dated == {False}:
            return {}
    if len({w for w, _ in out.values()}) < 2 and len({d for _, d in out.values()}) < 2:
        return {}
    return out
