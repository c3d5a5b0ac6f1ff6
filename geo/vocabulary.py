"""The words a person reads for every coded value, in one place: event types, weapons, outcomes,
statuses and review states, each with its label, and where it has one its colour, its shape and
its place in lists.

The codes (``ballistic_missile``, ``impact``) are what the data stores and what files carry; no
page, legend, table, chart or export shows them.  Everything a person reads goes through
:func:`label` (or :func:`labels`), so the map, the tables, the charts and the exports say the
same thing: "hit / intercepted / partly intercepted / not reported", "ballistic missile", "IED".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from geo.model import EVENT_TYPES, OUTCOMES, REVIEWS, STATUSES, WEAPONS

Kind = Literal["event_type", "weapon", "outcome", "status", "review"]


@dataclass(frozen=True)
class Term:
    """One coded value as people see it."""

    code: str
    label: str
    #: a longer form where the short one needs context (the map's legend)
    long: str = ""
    #: hex colour (weapons)
    colour: str = ""
    #: the symbol it is drawn with (event types), on the web map and in the PNG/PDF alike:
    #: "circle", "square" or "diamond" (:data:`geo.mapping.style.SYMBOL_CSS` draws each)
    shape: str = ""
    #: how a dot is filled (outcomes), on the web map and in the PNG/PDF alike: "solid", "ring"
    #: (white inside) or "ring_dot" (a ring with a dot at its centre)
    fill: str = ""
    #: what a layer, folder or list of them is called (event types)
    group: str = ""


def _table(kind: str, codes: tuple[str, ...], terms: list[Term]) -> dict[str, Term]:
    """Terms in the model's order, checked against the model: every code has one term."""
    by_code = {t.code: t for t in terms}
    if set(by_code) != set(codes) or len(by_code) != len(terms):
        raise AssertionError(
            f"{kind}: expected one term for each of {sorted(codes)}, got {sorted(by_code)}"
        )
    return {c: by_code[c] for c in codes}


EVENT_TYPE_TERMS = _table("event_type", EVENT_TYPES, [
    # attacks round, US strikes square, other events (imported political violence involving
    # neither side) a diamond; "other event", never "attack"
    Term("attack", "attack", "attack on US/coalition", shape="circle",
         group="Attacks on US/coalition forces"),
    Term("us_strike", "US strike", "US strike", shape="square", group="US strikes"),
    Term("other", "other event", shape="diamond", group="Other events (imported)"),
])  # fmt: skip

#: distinct hues; a weapon not reported is grey
WEAPON_TERMS = _table("weapon", WEAPONS, [
    Term("drone", "drone", colour="#e6550d"),
    Term("rocket", "rocket", colour="#7b3294"),
    Term("ballistic_missile", "ballistic missile", colour="#a50f15"),
    Term("cruise_missile", "cruise missile", colour="#f768a1"),
    Term("ied", "IED", colour="#1a9641"),
    Term("mortar", "mortar", colour="#2c7bb6"),
    Term("small_arms", "small arms", colour="#525252"),
    Term("artillery", "artillery", colour="#8c6d31"),
    Term("air_strike", "air strike", colour="#08306b"),
    Term("unknown", "weapon not reported", colour="#a6a6a6"),
])  # fmt: skip

OUTCOME_TERMS = _table("outcome", OUTCOMES, [
    # hit and not reported both solid: only an interception changes the dot
    Term("impact", "hit", fill="solid"),
    Term("intercepted", "intercepted", fill="ring"),
    Term("mixed", "partly intercepted", fill="ring_dot"),
    Term("unknown", "not reported", "outcome not reported", fill="solid"),
])  # fmt: skip

STATUS_TERMS = _table("status", STATUSES, [
    Term("claimed", "claimed"),
    Term("reported", "reported"),
    Term("confirmed", "confirmed"),
    Term("disputed", "disputed"),
])  # fmt: skip

REVIEW_TERMS = _table("review", REVIEWS, [
    Term("accepted", "accepted"),
    Term("pending", "waiting for review"),
    Term("rejected", "rejected"),
])  # fmt: skip

TERMS: dict[str, dict[str, Term]] = {
    "event_type": EVENT_TYPE_TERMS,
    "weapon": WEAPON_TERMS,
    "outcome": OUTCOME_TERMS,
    "status": STATUS_TERMS,
    "review": REVIEW_TERMS,
}


def term(kind: Kind, code: str) -> Term:
    try:
        return TERMS[kind][code]
    except KeyError:
        raise KeyError(
            f"{kind}: expected one of {list(TERMS.get(kind, {}))}, got {code!r}"
        ) from None


def label(kind: Kind, code: str) -> str:
    """What a person reads for ``code``."""
    return term(kind, code).label


def title(kind: Kind, code: str) -> str:
    """The label opening a title or a table cell: ``Attack``, ``US strike``, ``Other event``."""
    text = label(kind, code)
    return text[:1].upper() + text[1:]


def long_label(kind: Kind, code: str) -> str:
    t = term(kind, code)
    return t.long or t.label


def labels(kind: Kind, codes: Iterable[str], sep: str = ", ") -> str:
    """Several codes as one phrase: ``ballistic missile, drone``."""
    return sep.join(label(kind, c) for c in codes)


def order(kind: Kind, code: str) -> int:
    """A code's place in lists (the model's order)."""
    return list(TERMS[kind]).index(code)


def count_noun(n: int, singular: str, plural: str | None = None) -> str:
    """``1 attack``, ``3 attacks``: counts always say what they count."""
    return f"{n:,} {singular if n == 1 else (plural or singular + 's')}"


def event_counts(event_types: Iterable[str], sep: str = ", ") -> str:
    """What a set of incidents is, counted in its own units, attacks first: ``2 attacks, 1 US
    strike`` (never "3 incidents" beside a hub that counts 2 attacks)."""
    counts: dict[str, int] = dict.fromkeys(EVENT_TYPE_TERMS, 0)
    for e in event_types:
        counts[term("event_type", e).code] += 1
    parts = [count_noun(n, label("event_type", e)) for e, n in counts.items() if n]
    return sep.join(parts) or "no incidents"


#: short names where the standard's name is long ("Syrian Arab Republic")
_COUNTRY_NAMES = {"SYR": "Syria", "IRN": "Iran", "TUR": "Türkiye", "RUS": "Russia"}


def country(code: str) -> str:
    """A country's name for its ISO 3166 alpha-3 code (the code itself if the standard has no
    such country)."""
    if code in _COUNTRY_NAMES:
        return _COUNTRY_NAMES[code]
    import pycountry  # only when a country is named: its tables take a moment to load

    found = pycountry.countries.get(alpha_3=code)
    return getattr(found, "common_name", None) or found.name if found else code


#: Filters attribute -> the vocabulary its values come from
FILTER_KINDS: dict[str, Kind] = {
    "event_types": "event_type",
    "weapons": "weapon",
    "outcomes": "outcome",
    "statuses": "status",
    "reviews": "review",
}


def filter_value(attr: str, code: str) -> str:
    """A filter's value as a person reads it (sites and free text are named elsewhere)."""
    if attr in FILTER_KINDS:
        return label(FILTER_KINDS[attr], code)
    if attr == "countries":
        return country(code)
    return code
