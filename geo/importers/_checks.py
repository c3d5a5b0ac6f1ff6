"""Checks every importer shares: a bad value becomes a :class:`RowProblem`, never a traceback.

A format module turns one row into the mapping :func:`geo.model.parse_incident` takes, calling
the helpers here on the raw text; :func:`build` then validates it with the model and runs the
checks that need a whole incident (point in its stated country, nothing in the future).  The
reader catches :class:`RowProblem` and yields a :class:`~geo.store.base.Reject` naming the file,
the row, the field, the value as it arrived and the reason.

Nothing is coerced silently: an empty required value, a value that does not parse, a NaN or an
out-of-range number, a country code ISO 3166 does not know, a ``site_id`` the gazetteer does not
know (the map and the site summaries look every site up) is a reject, not a default.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import date
from functools import cache
from typing import Any

from geo.errors import ValidationError
from geo.gazetteer import Gazetteer
from geo.importers._countries import countries, iso3_is_known
from geo.model import Incident, parse_incident
from geo.store.base import Reject

#: the longest value a reject keeps (a row's whole text or a long note is cut, with an ellipsis)
VALUE_LIMIT = 300
#: characters no store can hold as text: NUL (PostgreSQL refuses it) and unpaired surrogates
#: (not encodable as UTF-8; SQLite would silently store "?")
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")

#: English month names and abbreviations, for ACLED's "05 August 2024" (locale independent)
_MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
MONTHS: dict[str, int] = {
    **{name: n for n, name in enumerate(_MONTH_NAMES, start=1)},
    **{name[:3]: n for n, name in enumerate(_MONTH_NAMES, start=1)},
    "sept": 9,
}

#: dates as files write them: ISO (optionally with a time part, as UCDP exports do) and ACLED's
#: "05 August 2024" / "5-Aug-2024".  Day-first and month-first numeric forms are ambiguous: no.
_ISO = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
)
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[ -]([A-Za-z]+)\.?[ -](\d{4})")


class RowProblem(Exception):
    """One row cannot be imported: ``field`` (a column or model field), the value, the reason."""

    def __init__(self, field: str, value: Any, reason: str) -> None:
        super().__init__(reason)
        self.field, self.value, self.reason = field, value, reason

    def reject(self, file: str, row: int) -> Reject:
        return Reject(
            file=file,
            row=row,
            field=storable(self.field),
            value=text(self.value),
            reason=storable(self.reason),
        )


def storable(value: str) -> str:
    """``value`` with NUL and unpaired surrogates written as escapes (``\\0``, ``\\ud800``)."""
    if UNSTORABLE.search(value) is None:
        return value
    return UNSTORABLE.sub(
        lambda m: "\\0" if m.group() == "\x00" else f"\\u{ord(m.group()):04x}", value
    )


def text(value: Any) -> str:
    """A value as a reject shows it: ``None`` -> ``""``, long text cut, text no store can hold
    escaped (:func:`storable`)."""
    if value is None:
        out = ""
    elif isinstance(value, str):
        out = value
    elif isinstance(value, float):
        out = repr(value)
    else:
        out = str(value)
    out = out if len(out) <= VALUE_LIMIT else out[: VALUE_LIMIT - 1] + "…"
    return storable(out)


def blank(value: str | None) -> bool:
    return value is None or not value.strip()


def required(row: Mapping[str, str], *names: str) -> None:
    """Every named column holds something other than whitespace."""
    for name in names:
        if blank(row.get(name)):
            raise RowProblem(name, row.get(name, ""), "required, but empty")


def parse_int(field: str, raw: str, lo: int | None = None, hi: int | None = None) -> int:
    """A whole number written as digits (``"3"``; not ``"3.0"``, not ``"three"``)."""
    s = raw.strip()
    if not (s.isascii() and s.lstrip("+-").isdigit() and len(s) - len(s.lstrip("+-")) <= 1):
        raise RowProblem(field, raw, "not a whole number")
    value = int(s)
    if lo is not None and value < lo:
        raise RowProblem(field, raw, f"must be a whole number of at least {lo}")
    if hi is not None and value > hi:
        raise RowProblem(field, raw, f"must be a whole number of at most {hi}")
    return value


def parse_code(field: str, raw: str, table: Mapping[int, Any]) -> int:
    """A code that must be one of ``table``'s keys."""
    s = raw.strip()
    code = int(s) if s.isascii() and s.isdigit() else None
    if code not in table:
        raise RowProblem(field, raw, f"must be one of {', '.join(str(k) for k in table)}")
    return code


def parse_float(field: str, raw: str) -> float:
    s = raw.strip()
    try:
        value = float(s)
    except ValueError:
        hint = " (a decimal comma? write a point)" if re.fullmatch(r"[+-]?\d+,\d+", s) else ""
        raise RowProblem(field, raw, f"not a number{hint}") from None
    if not math.isfinite(value):
        raise RowProblem(field, raw, "not a finite number")
    return value


def parse_date(field: str, raw: str) -> date:
    """``YYYY-MM-DD`` (a time part after it is allowed and dropped), ``05 August 2024``,
    ``5-Aug-2024``."""
    s = raw.strip()
    try:
        m = _ISO.fullmatch(s)
        if m:
            return date(int(m[1]), int(m[2]), int(m[3]))
        m = _DAY_MONTH_YEAR.fullmatch(s)
        if m and m[2].lower() in MONTHS:
            return date(int(m[3]), MONTHS[m[2].lower()], int(m[1]))
    except ValueError as exc:  # e.g. 2024-02-30
        raise RowProblem(field, raw, f"not a real date: {exc}") from None
    raise RowProblem(field, raw, "not a date: expected YYYY-MM-DD or DD Month YYYY")


def not_future(field: str, value: date, today: date, raw: Any = None) -> None:
    if value > today:
        raise RowProblem(
            field,
            raw if raw is not None else value.isoformat(),
            f"in the future (today is {today})",
        )


def coordinates(
    lat_raw: str | None,
    lon_raw: str | None,
    *,
    required: bool,
    lat_field: str = "latitude",
    lon_field: str = "longitude",
) -> tuple[float | None, float | None]:
    """Parse a point: both or neither, finite, in range.  Returns ``(latitude, longitude)``.

    A latitude beyond +-90 whose swap would be a valid point is left for
    :func:`check_point_in_country` to diagnose (it knows the country)."""
    lat_blank, lon_blank = blank(lat_raw), blank(lon_raw)
    if lat_blank and lon_blank:
        if required:
            raise RowProblem(lat_field, lat_raw, "required: the row has no coordinates")
        return None, None
    if lat_blank or lon_blank:
        field, raw = (lat_field, lat_raw) if lat_blank else (lon_field, lon_raw)
        raise RowProblem(field, raw, "longitude and latitude must both be given or both be empty")
    lat = parse_float(lat_field, lat_raw or "")
    lon = parse_float(lon_field, lon_raw or "")
    if not -180 <= lon <= 180:
        raise RowProblem(lon_field, lon_raw, "longitude must be within -180..180")
    if not -180 <= lat <= 180:
        raise RowProblem(lat_field, lat_raw, "latitude must be within -90..90")
    return lat, lon


def check_point_in_country(
    country: str, lat: float, lon: float, *, lat_field: str = "latitude", lat_raw: Any = None
) -> None:
    """The point lies in (or within 10 km of) ``country``; a swapped pair is named as such.

    Countries without a polygon (see :mod:`geo.importers._countries`) are not checked."""
    index = countries()
    lat_ok = -90 <= lat <= 90
    inside = index.contains(country, lon, lat) if lat_ok else False
    if inside is None or inside:
        return
    swapped_ok = -90 <= lon <= 90 and index.contains(country, lat, lon)
    if swapped_ok:
        raise RowProblem(
            lat_field,
            lat_raw if lat_raw is not None else lat,
            f"latitude and longitude look swapped: ({lat}, {lon}) lies outside {country} "
            f"but ({lon}, {lat}) lies inside",
        )
    if not lat_ok:
        raise RowProblem(
            lat_field, lat_raw if lat_raw is not None else lat, "latitude must be within -90..90"
        )
    actual = index.where(lon, lat)
    where = f"it lies in {', '.join(actual)}" if actual else "it lies in no country (at sea?)"
    km = index.distance_km(country, lon, lat)
    raise RowProblem(
        "country",
        country,
        f"point lies outside country {country}: (lat {lat}, lon {lon}) is {km:.0f} km from "
        f"its border; {where}",
    )


@cache
def _known_country(code: str) -> bool:
    return iso3_is_known(code)


_ISO3 = re.compile(r"[A-Z]{3}")


def _is_code(country: Any) -> bool:
    """Shaped like an ISO3 code (known or not)."""
    return isinstance(country, str) and _ISO3.fullmatch(country) is not None


@cache
def site_ids() -> frozenset[str]:
    """The gazetteer's site ids, loaded once per process."""
    return frozenset(site.id for site in Gazetteer.load())


def build(
    data: dict[str, Any],
    *,
    record: str,
    today: date,
    check_country: bool = True,
    lat_field: str = "latitude",
    lat_raw: Any = None,
) -> Incident:
    """Validate ``data`` with the model, then the whole-incident checks.

    ``check_country`` is false for points the source itself places outside any country
    (UCDP ``where_prec`` 7: international waters or airspace)."""
    lat, lon, country = data.get("latitude"), data.get("longitude"), data.get("country")
    point = isinstance(lat, float) and isinstance(lon, float)
    if check_country and point and not -90 <= lat <= 90 and _is_code(country):
        # the model would only say "out of range"; this may say "swapped" instead
        check_point_in_country(country, lat, lon, lat_field=lat_field, lat_raw=lat_raw)
    try:
        inc = parse_incident(data, record)
    except ValidationError as err:
        raise RowProblem(err.field, err.value, err.rule) from None
    if not _known_country(inc.country):
        raise RowProblem("country", inc.country, "not an ISO 3166 alpha-3 country code")
    if inc.site_id is not None and inc.site_id not in site_ids():
        raise RowProblem(
            "site_id",
            inc.site_id,
            "not a site of the gazetteer (data/sites.csv); leave it empty and give the place in "
            "location",
        )
    not_future("date_start", inc.date_start, today)
    for n, src in enumerate(inc.sources):
        if src.published > today:  # (the field's name only when it is needed)
            not_future(f"sources.{n}.published", src.published, today)
    if check_country and inc.latitude is not None and inc.longitude is not None:
        check_point_in_country(
            inc.country, inc.latitude, inc.longitude, lat_field=lat_field, lat_raw=lat_raw
        )
    return inc
