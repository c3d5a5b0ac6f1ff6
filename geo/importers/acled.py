"""ACLED exports (CSV) -> incidents.  ACLED rows are never bundled: users import their own export.

Mapping (every rule below is a table in this module, not a branch in code)

=================  ==========================================================================
ours               from ACLED
=================  ==========================================================================
id                 ``"acled:" + event_id_cnty``
dataset            ``"acled"``
event_type         :data:`EVENT_TYPE_RULES` on ``actor1`` / ``actor2`` / ``assoc_actor_2``
date_*             ``event_date`` widened by ``time_precision`` (:data:`TIME_PRECISION`)
location, admin1   ``location``, ``admin1``
country            ISO3 of ``iso`` (ISO 3166 numeric), else of the ``country`` name
geo_precision      :data:`GEO_PRECISION` of ``geo_precision``
point              ``latitude``, ``longitude`` (required: ACLED always locates an event)
weapons            :data:`WEAPON_RULES` on ``sub_event_type`` (+ :data:`WEAPON_KEYWORDS` in notes)
attributed_to      ``actor1`` (ACLED's initiator of the event)
sources            one: article = ``source``, published = ``event_date``, quote = ``notes``
notes              "ACLED fatalities (all parties): N" and ACLED's own event/sub-event/actors
killed_*           left null: ACLED ``fatalities`` counts all parties, ours are US/coalition only
=================  ==========================================================================

Checks on top of the shared ones: ``event_date`` not in the future, ``year`` equal to the
event date's year when given, ``notes`` present (it is the quote every incident needs).
"""

from __future__ import annotations

import calendar
import re
import string
from collections.abc import Iterator
from datetime import date, timedelta
from functools import lru_cache, partial
from typing import Any

from geo.importers import _checks as chk
from geo.importers._base import Format, Item, ReadContext, csv_items, open_csv_for
from geo.importers._checks import RowProblem
from geo.importers._countries import iso3_from_name, iso3_from_numeric
from geo.model import Incident

ACLED_ATTRIBUTION = "Armed Conflict Location & Event Data (ACLED); acleddata.com"

COLUMNS: tuple[str, ...] = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)
#: columns a file must have to be read as ACLED (the others are optional or unused)
REQUIRED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty",
    "event_date",
    "time_precision",
    "sub_event_type",
    "actor1",
    "actor2",
    "country",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "notes",
)

#: ACLED geo_precision -> ours (UCDP where_prec scale, geo.model.GEO_PRECISION)
GEO_PRECISION: dict[int, int] = {
    1: 1,  # codebook: the exact town/location of the event is known -> exact location
    2: 2,  # near a town, or a small part of a region: nearest town's point -> within ~25 km
    3: 4,  # only a larger region is known: provincial capital / region centroid -> province
}


def _day(d: date) -> tuple[date, date]:
    return d, d


def _week(d: date) -> tuple[date, date]:
    return d - timedelta(days=3), d + timedelta(days=3)


def _month(d: date) -> tuple[date, date]:
    return d.replace(day=1), d.replace(day=calendar.monthrange(d.year, d.month)[1])


#: ACLED time_precision -> (our date_precision, the window around event_date)
TIME_PRECISION: dict[int, tuple[int, Any]] = {
    1: (1, _day),  # codebook: the day is known -> exact day
    2: (3, _week),  # "within the week" of event_date -> [date-3, date+3], within a week
    3: (4, _month),  # only the month is known -> the calendar month, within a month
}

#: names of US forces in ACLED actor columns
US_FORCES = re.compile(
    r"Military Forces of the United States"
    r"|\bU\.?S\.? (?:Armed|Military) Forces\b"
    r"|\bUnited States (?:Army|Navy|Air Force|Marine Corps|Armed Forces|Military)\b",
    re.IGNORECASE,
)
#: names of US or US-led coalition forces (Operation Inherent Resolve)
COALITION_FORCES = re.compile(
    US_FORCES.pattern + r"|\bOperation Inherent Resolve\b|\bCJTF-OIR\b"
    r"|\b(?:International|Global|US-led|U\.S\.-led|Anti-ISIS|Anti-IS|Anti-ISIL) Coalition\b"
    r"|\bCoalition (?:Forces|Troops)\b|^Coalition$",
    re.IGNORECASE,
)
#: coalitions that are not the US-led one, even when a pattern above matches their name
NOT_US_COALITION = re.compile(r"Saudi|\bArab Coalition|Emirati|\bNational Coalition", re.IGNORECASE)

#: (our event_type, ACLED columns, pattern, exclusion): the first rule whose pattern matches one
#: actor in one of the columns (assoc_actor_* hold several, ``;``-separated) wins; else "other"
EVENT_TYPE_RULES: tuple[tuple[str, tuple[str, ...], re.Pattern[str], re.Pattern[str]], ...] = (
    ("us_strike", ("actor1",), US_FORCES, NOT_US_COALITION),
    ("attack", ("actor2", "assoc_actor_2"), COALITION_FORCES, NOT_US_COALITION),
)
DEFAULT_EVENT_TYPE = "other"

#: weapon -> words in ACLED notes that name it (only looked for where WEAPON_RULES say so).
#: Matched as whole words in the lower-cased notes with punctuation read as spaces, singular or
#: with a plural "s" ("rocket" matches "rockets", "one way attack" matches "one-way attack").
#: A bare "missile" names none of ours (ballistic or cruise is not said): it stays unknown.
WEAPON_KEYWORDS: dict[str, tuple[str, ...]] = {
    "drone": ("drone", "uav", "unmanned aerial", "one way attack"),
    "air_strike": (
        "air strike",
        "airstrike",
        "air raid",
        "warplane",
        "jet",
        "aircraft",
        "helicopter",
    ),
    "rocket": ("rocket", "katyusha", "grad"),
    "mortar": ("mortar",),
    "ballistic_missile": ("ballistic missile",),
    "cruise_missile": ("cruise missile",),
    "artillery": ("artillery", "howitzer"),
}
ANY = frozenset({"attack", "us_strike", "other"})
#: (ACLED sub_event_type, our event types, weapons looked for in notes, weapons when none found)
WEAPON_RULES: tuple[tuple[str, frozenset[str], tuple[str, ...], tuple[str, ...]], ...] = (
    ("Air/drone strike", frozenset({"us_strike"}), (), ("air_strike",)),
    ("Air/drone strike", frozenset({"attack"}), (), ("drone",)),
    ("Air/drone strike", frozenset({"other"}), ("drone", "air_strike"), ("unknown",)),
    (
        "Shelling/artillery/missile attack",
        ANY,
        ("rocket", "mortar", "ballistic_missile", "cruise_missile", "artillery", "drone"),
        ("unknown",),
    ),
    ("Remote explosive/landmine/IED", ANY, (), ("ied",)),
    ("Suicide bomb", ANY, (), ("ied",)),
    ("Armed clash", ANY, (), ("small_arms",)),
)
DEFAULT_WEAPONS: tuple[str, ...] = ("unknown",)


def _actors(value: str) -> list[str]:
    return [a.strip() for a in value.split(";") if a.strip()]


def classify(row: dict[str, str]) -> str:
    """Our event type for an ACLED row (see :data:`EVENT_TYPE_RULES`)."""
    return _classify(tuple([(c, row.get(c, "")) for c in _RULE_COLUMNS]))


_RULE_COLUMNS: tuple[str, ...] = tuple(dict.fromkeys(c for r in EVENT_TYPE_RULES for c in r[1]))


@lru_cache(maxsize=65536)  # actor names repeat across rows: classify each combination once
def _classify(values: tuple[tuple[str, str], ...]) -> str:
    row = dict(values)
    for event_type, columns, pattern, exclude in EVENT_TYPE_RULES:
        for column in columns:
            for actor in _actors(row.get(column, "")):
                if pattern.search(actor) and not exclude.search(actor):
                    return event_type
    return DEFAULT_EVENT_TYPE


#: (sub_event_type, event_type) -> (weapons looked for, default weapons); the first rule wins
_WEAPON_INDEX: dict[tuple[str, str], tuple[tuple[str, ...], tuple[str, ...]]] = {
    (sub, t): (keywords, default)
    for sub, types, keywords, default in reversed(WEAPON_RULES)
    for t in types
}
_PUNCTUATION_AS_SPACE = str.maketrans({c: " " for c in string.punctuation + "\t\r\n’‘“”"})


def words_of(text: str) -> str:
    """``" word word ... "``: lower case, punctuation as spaces, single spaces, padded."""
    return " " + " ".join(text.lower().translate(_PUNCTUATION_AS_SPACE).split()) + " "


def mentions(words: str, phrase: str) -> bool:
    return f" {phrase} " in words or f" {phrase}s " in words


#: weapon -> one pattern that finds any of its :data:`WEAPON_KEYWORDS` in :func:`words_of` text
#: exactly where :func:`mentions` would (" phrase " or " phrases "): one search per weapon
#: instead of two substring tests per phrase, on every row that looks for weapons
_MENTIONS: dict[str, re.Pattern[str]] = {
    weapon: re.compile(" (?:" + "|".join(re.escape(p) for p in phrases) + ")s? ")
    for weapon, phrases in WEAPON_KEYWORDS.items()
}


def weapons_for(sub_event_type: str, event_type: str, notes: str) -> tuple[str, ...]:
    """Weapons for an ACLED row (see :data:`WEAPON_RULES`), in the rule's keyword order."""
    rule = _WEAPON_INDEX.get((sub_event_type.strip(), event_type))
    if rule is None:
        return DEFAULT_WEAPONS
    keywords, default = rule
    if not keywords:
        return default
    words = words_of(notes)
    found = tuple(w for w in keywords if _MENTIONS[w].search(words) is not None)
    return found or default


def country_of(row: dict[str, str]) -> str:
    """ISO3 from ``iso`` (numeric) or, when that is empty or unknown (ACLED uses 0 for Kosovo),
    from the ``country`` name."""
    iso, name = row.get("iso", ""), row.get("country", "")
    code = iso3_from_numeric(iso) if iso.strip() else None
    code = code or (iso3_from_name(name) if name.strip() else None)
    if code is None:
        field, value = ("iso", iso) if iso.strip() and not name.strip() else ("country", name)
        raise RowProblem(field, value, f"unknown country (iso {iso!r}, country {name!r})")
    return code


def convert(ctx: ReadContext, n: int, row: dict[str, str]) -> Incident:
    chk.required(row, "event_id_cnty", "event_date", "location", "source")
    if chk.blank(row.get("notes")):
        raise RowProblem("notes", row.get("notes", ""), "no notes to quote")
    event_date = chk.parse_date("event_date", row["event_date"])
    chk.not_future("event_date", event_date, ctx.today, row["event_date"])
    year = row.get("year", "")
    if year.strip() and chk.parse_int("year", year) != event_date.year:
        raise RowProblem("year", year, f"does not match event_date {event_date}")
    date_precision, window = TIME_PRECISION[
        chk.parse_code("time_precision", row["time_precision"], TIME_PRECISION)
    ]
    start, end = window(event_date)
    geo_precision = GEO_PRECISION[
        chk.parse_code("geo_precision", row["geo_precision"], GEO_PRECISION)
    ]
    country = country_of(row)
    lat, lon = chk.coordinates(row["latitude"], row["longitude"], required=True)
    event_type = classify(row)
    notes_text = row["notes"]
    lines = []
    if not chk.blank(row.get("fatalities")):
        lines.append(
            f"ACLED fatalities (all parties): {chk.parse_int('fatalities', row['fatalities'], 0)}"
        )
    kind, sub = row.get("event_type", ""), row["sub_event_type"]
    what = f"{kind} / {sub}" if kind and sub else kind or sub  # those of the two that are given
    lines.append(f"ACLED: {what}; actor1: {row['actor1'] or '-'}; actor2: {row['actor2'] or '-'}")
    data: dict[str, Any] = {
        "id": "acled:" + row["event_id_cnty"].strip(),
        "dataset": "acled",
        "event_type": event_type,
        "date_start": start,
        "date_end": end,
        "date_precision": date_precision,
        "location": row["location"],
        "country": country,
        "admin1": row.get("admin1") or None,
        "geo_precision": geo_precision,
        "latitude": lat,
        "longitude": lon,
        "weapons": weapons_for(row["sub_event_type"], event_type, notes_text),
        "attributed_to": row["actor1"] or None,
        # ACLED gives no publication date for its sources: the event date stands in for it
        "sources": [{"article": row["source"], "published": event_date, "quote": notes_text}],
        "notes": "\n".join(lines),
    }
    return chk.build(data, record=ctx.record(n), today=ctx.today, lat_raw=row["latitude"])


def read(ctx: ReadContext) -> Iterator[Item]:
    csvfile = open_csv_for(ctx, REQUIRED_COLUMNS, "ACLED")
    return csv_items(ctx, csvfile, partial(convert, ctx))


FORMAT = Format(
    name="acled",
    description="ACLED export (CSV with event_id_cnty, event_date, ...)",
    extensions=(".csv", ".tsv", ".txt"),
    signature=frozenset({"event_id_cnty"}),
    read=read,
)
