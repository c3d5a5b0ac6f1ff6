"""The incident model: one attack on US/coalition forces, or one US strike, with its doubts.

Field names are a public interface: the CLI prints them and the GeoJSON files carry them.

Coordinates
-----------
An incident's point is held as ``longitude`` / ``latitude`` attributes (named, never a bare
pair).  In GeoJSON the point is ``geometry.coordinates = [longitude, latitude]`` — lon first,
as RFC 7946 says.  :func:`to_feature` and :func:`from_feature` are the only places that build or
read that pair.  An unlocated incident has ``geometry: null``.

Precision codes follow UCDP GED (``date_prec``, ``where_prec``): see :data:`DATE_PRECISION` and
:data:`GEO_PRECISION`.
"""

from __future__ import annotations

import hashlib
import json
import re
import types
from collections.abc import Iterable
from datetime import date
from typing import Any, ClassVar, Literal, Union, get_args, get_origin

import pydantic
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_serializer,
    model_validator,
)

from geo.errors import ValidationError

#: ``attack``: on US/coalition forces; ``us_strike``: by US forces; ``other``: political violence
#: from an imported dataset that involves neither (kept so nothing offered is lost).
EventType = Literal["attack", "us_strike", "other"]
Weapon = Literal[
    "drone",
    "rocket",
    "ballistic_missile",
    "cruise_missile",
    "ied",
    "mortar",
    "small_arms",
    "artillery",
    "air_strike",
    "unknown",
]
Outcome = Literal["impact", "intercepted", "mixed", "unknown"]
Status = Literal["claimed", "reported", "confirmed", "disputed"]
#: where a record stands with the analysts: extracted records wait as ``pending`` until someone
#: accepts them; ``rejected`` ones are kept for the record but never shown
Review = Literal["accepted", "pending", "rejected"]

#: how a source's quote starts when it is our summary of a report, not the report's words
SUMMARY_MARK = "Our summary, not a quote: "

EVENT_TYPES: tuple[str, ...] = get_args(EventType)
WEAPONS: tuple[str, ...] = get_args(Weapon)
OUTCOMES: tuple[str, ...] = get_args(Outcome)
STATUSES: tuple[str, ...] = get_args(Status)
REVIEWS: tuple[str, ...] = get_args(Review)

#: UCDP ``date_prec``: code -> (meaning, widest window allowed in days, end minus start)
DATE_PRECISION: dict[int, tuple[str, int]] = {
    1: ("exact day", 0),
    2: ("within a span of 2-6 days", 5),
    3: ("within a week", 7),
    4: ("within a month", 30),
    5: ("within a year", 365),
}

#: UCDP ``where_prec``: code -> meaning
GEO_PRECISION: dict[int, str] = {
    1: "exact location",
    2: "within about 25 km of the point",
    3: "second-order administrative division (district)",
    4: "first-order administrative division (province)",
    5: "part of a country, or a linear feature (road, river, border)",
    6: "country only",
    7: "international waters or airspace",
}


class _Rule(ValueError):
    """A cross-field rule broken inside a validator; remembers which field to blame."""

    def __init__(self, field: str, value: Any, rule: str) -> None:
        super().__init__(rule)
        self.field, self.value = field, value


#: characters no text field may hold: NUL (PostgreSQL refuses it in text) and the other C0
#: controls (terminal escapes, form feeds, bells: XML 1.0 and spreadsheets cannot carry them,
#: and no article or dataset means them).  Tab, line feed and carriage return are text.
CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SEARCH = CONTROL_CHARS.search


def control_char(text: str) -> str | None:
    """Why ``text`` cannot be stored as free text (its first control character and where), or
    ``None`` when it can.  One regex search: cheap enough for every field of every row."""
    found = CONTROL_CHARS.search(text)
    if found is None:
        return None
    char = found.group()
    what = "a NUL character" if char == "\x00" else f"the control character U+{ord(char):04X}"
    return (
        f"contains {what} (character {found.start() + 1}): text may hold tabs and line breaks, "
        "no other control character"
    )


def _is_text(annotation: Any) -> bool:
    """``str`` or ``str | None`` (not a ``Literal``: its values are ours)."""
    if annotation is str:
        return True
    return get_origin(annotation) in (Union, types.UnionType) and str in get_args(annotation)


class _TextModel(BaseModel):
    """Base of the models: one validator refuses control characters in every ``str`` field
    (found once per class, :data:`_text_fields`), whichever path built the record (importers,
    extraction, the review page, a store)."""

    _text_fields: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        cls._text_fields = tuple(
            name for name, info in cls.model_fields.items() if _is_text(info.annotation)
        )

    @model_validator(mode="after")
    def _text_only(self) -> Any:
        values, search = self.__dict__, _SEARCH
        for name in self._text_fields:
            value = values[name]
            if value and search(value) is not None:
                raise _Rule(name, value, control_char(value) or "")
        return self


class Source(_TextModel):
    """One report an incident rests on, with the sentence it came from.

    A report we may not copy (a public web page) is named by its ``url`` and ``outlet``; its
    ``quote`` is then our own one-line summary, marked as such (:data:`SUMMARY_MARK`), never the
    page's sentences.  ``url`` and ``outlet`` are left out of the record when unset, so records
    made before they existed keep their content hashes.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    # fields in sorted order: the store writes the sources' JSON once (geo.store.base)
    article: str = Field(min_length=1, description="article id or publication")
    outlet: str | None = Field(default=None, min_length=1, max_length=200)
    published: date
    quote: str = Field(min_length=1, description="the sentence(s) the facts come from, verbatim")
    url: str | None = Field(default=None, pattern=r"^https?://\S+$", max_length=2000)

    @model_serializer(mode="wrap")
    def _omit_unset(self, handler: Any) -> Any:
        data = handler(self)
        if isinstance(data, dict):
            for name in ("url", "outlet"):
                if data.get(name) is None:
                    data.pop(name, None)
        return data


class Incident(_TextModel):
    """One incident.  Build with :func:`parse_incident` to get our own error type."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = ""
    #: where the record comes from: ``atlas`` (curated or extracted here), ``acled``, ``ucdp``, or
    #: the dataset name an imported GeoJSON/CSV carries.  ACLED rows are never bundled.
    dataset: str = Field(default="atlas", pattern=r"^[a-z0-9_.-]{1,40}$")
    event_type: EventType
    date_start: date
    date_end: date
    date_precision: int = Field(ge=1, le=5)
    site_id: str | None = None
    location: str = Field(min_length=1)
    country: str = Field(pattern=r"^[A-Z]{3}$")
    admin1: str | None = None
    geo_precision: int = Field(ge=1, le=7)
    longitude: float | None = Field(default=None, ge=-180, le=180, allow_inf_nan=False)
    latitude: float | None = Field(default=None, ge=-90, le=90, allow_inf_nan=False)
    weapons: tuple[Weapon, ...] = Field(min_length=1)
    outcome: Outcome = "unknown"
    damage: str | None = None
    killed_min: int | None = Field(default=None, ge=0)
    killed_max: int | None = Field(default=None, ge=0)
    injured_min: int | None = Field(default=None, ge=0)
    injured_max: int | None = Field(default=None, ge=0)
    claimed_by: str | None = None
    attributed_to: str | None = None
    status: Status = "reported"
    sources: tuple[Source, ...] = Field(min_length=1)
    notes: str | None = None
    #: for a US strike the reporting ties to an attack: that attack's id
    responds_to: str | None = None
    review: Review = "accepted"

    @field_validator("weapons")
    @classmethod
    def _weapons(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        if len(set(v)) != len(v):
            raise ValueError("must not repeat a weapon")
        if "unknown" in v and len(v) > 1:
            raise ValueError("'unknown' cannot be combined with known weapons")
        return v

    @model_validator(mode="after")
    def _rules(self) -> Incident:
        if self.date_end < self.date_start:
            raise _Rule(
                "date_end", str(self.date_end), f"must not be before date_start {self.date_start}"
            )
        width = (self.date_end - self.date_start).days
        meaning, widest = DATE_PRECISION[self.date_precision]
        if width > widest:
            raise _Rule(
                "date_precision",
                self.date_precision,
                f"{meaning} allows date_end - date_start of at most {widest} days, "
                f"the window {self.date_start}..{self.date_end} spans {width}",
            )
        if (self.longitude is None) != (self.latitude is None):
            raise _Rule(
                "longitude" if self.longitude is None else "latitude",
                None,
                "longitude and latitude must both be given or both be null",
            )
        for kind in ("killed", "injured"):
            lo, hi = getattr(self, f"{kind}_min"), getattr(self, f"{kind}_max")
            if lo is not None and hi is not None and lo > hi:
                raise _Rule(f"{kind}_min", lo, f"must not exceed {kind}_max {hi}")
        if not self.id:
            object.__setattr__(self, "id", incident_id(self))
        return self

    @property
    def located(self) -> bool:
        return self.longitude is not None


def incident_id(inc: Incident) -> str:
    """The id of an incident that arrives without one: a hash of what it is (type, window,
    place, country) *and what it rests on* (each source's article and quote), never of row
    order.  The same record read again gets the same id (re-importing a file adds nothing); a
    second, distinct attack at the same place and time, from another source, gets its own.
    An id the record carries (upstream ``acled:``/``ucdp:``, or ours) is kept as it is."""
    return derived_id(
        inc.event_type,
        inc.date_start,
        inc.date_end,
        inc.site_id or inc.location.strip().lower(),
        inc.country,
        ((s.article, s.quote) for s in inc.sources),
    )


def derived_id(
    event_type: str,
    date_start: date,
    date_end: date,
    place: str,
    country: str,
    sources: Iterable[tuple[str, str]],
) -> str:
    """:func:`incident_id` from the values themselves (``place``: the site id, else the
    location stripped and lower-cased; ``sources``: (article, quote) pairs, in any order)."""
    key = json.dumps(
        [
            event_type,
            date_start.isoformat(),
            date_end.isoformat(),
            place,
            country,
            sorted(set(sources)),
        ],
        ensure_ascii=False,
    )
    return "atl-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def legacy_incident_id(
    event_type: str, date_start: date, date_end: date, place: str, country: str
) -> str:
    """The id store schema version 2 gave a record without one: type, window and place only
    (so two attacks at one site on one day shared it).  Kept for the records that carry it,
    and for :mod:`geo.store.migrations` to recognise them; never given to a new record.
    ``place``: the site id, else the location stripped and lower-cased."""
    key = "|".join([event_type, date_start.isoformat(), date_end.isoformat(), place, country])
    return "atl-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def parse_incident(data: dict[str, Any], record: str | None = None) -> Incident:
    """Validate a mapping into an :class:`Incident`, raising :class:`geo.errors.ValidationError`."""
    try:
        return Incident.model_validate(data)
    except pydantic.ValidationError as exc:
        err = exc.errors()[0]
        cause = (err.get("ctx") or {}).get("error")
        if isinstance(cause, _Rule):  # raised in a model (nested: ``sources.0.quote``)
            field = ".".join([*(str(p) for p in err["loc"]), cause.field])
            value, rule = cause.value, str(cause)
        else:
            field = ".".join(str(p) for p in err["loc"]) or "(record)"
            value, rule = err.get("input"), err["msg"].removeprefix("Value error, ")
        named = record or data.get("id") or None
        if isinstance(named, str) and CONTROL_CHARS.search(named):
            named = repr(named)  # an id holding control characters is named, not echoed
        raise ValidationError(field, value, rule, named) from None


# --- GeoJSON: the one place that knows coordinate order ---------------------------------------

PROPERTY_FIELDS: tuple[str, ...] = tuple(
    f for f in Incident.model_fields if f not in ("longitude", "latitude")
)


def to_properties(inc: Incident) -> dict[str, Any]:
    """Public properties (every model field but the coordinates), JSON-ready."""
    props = inc.model_dump(mode="json", exclude={"longitude", "latitude"})
    props["weapons"] = list(props["weapons"])
    props["sources"] = list(props["sources"])
    return props


def to_feature(inc: Incident) -> dict[str, Any]:
    geometry = (
        {"type": "Point", "coordinates": [inc.longitude, inc.latitude]} if inc.located else None
    )
    return {"type": "Feature", "id": inc.id, "geometry": geometry, "properties": to_properties(inc)}


def from_feature(feature: dict[str, Any], record: str | None = None) -> Incident:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise ValidationError(
            "type",
            feature.get("type") if isinstance(feature, dict) else feature,
            "a GeoJSON Feature object",
            record,
        )
    props = dict(feature.get("properties") or {})
    geom = feature.get("geometry")
    if geom is not None:
        coords = geom.get("coordinates") if isinstance(geom, dict) else None
        if not (
            isinstance(geom, dict)
            and geom.get("type") == "Point"
            and isinstance(coords, list)
            and len(coords) == 2
        ):
            raise ValidationError("geometry", geom, "a Point [longitude, latitude] or null", record)
        props["longitude"], props["latitude"] = coords
    return parse_incident(props, record)


def to_feature_collection(incidents: list[Incident]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": [to_feature(i) for i in incidents]}
