"""The cases of the bad-input corpus (see tests/test_corpus.py): valid rows per format, the
files written from them, and every broken or hostile variant, registered in :data:`CASES`."""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import random
import re
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from geo.gazetteer import Gazetteer
from geo.importers import acled as acled_mod
from geo.importers.csv_own import COLUMNS as OUR_COLUMNS
from geo.importers.csv_own import to_csv_row
from geo.model import parse_incident, to_feature
from geo.paths import ROOT

TODAY = date.today()  # what the CLI uses too
TOMORROW = TODAY + timedelta(days=1)
ARTICLE_DATE = date(2024, 1, 25)  # a Thursday: articles are read as published then
GAZ = Gazetteer.load()
ASAD = GAZ.get("al_asad")
ARTIFACTS = ROOT / "artifacts"

#: text an attacker would put in any field of a file or an article
PAYLOADS: dict[str, str] = {
    "img": '<img src=x onerror="window.__pwned=1">',
    "script": "<script>window.__pwned=2</script>",
    "svg": '"><svg onload=window.__pwned=3>',
    "jsurl": "javascript:window.__pwned=4",
    "mdlink": "[x](javascript:window.__pwned=5)",
    "mdimg": "![x](http://example.invalid/x.png)",
    "hyperlink": '=HYPERLINK("http://example.invalid/?q="&A1,"click")',
    "dde": "+1+cmd|' /C calc'!A0",
    "minus": "-2+3",
    "at": "@SUM(1+1)",
    "tab": "\t=1+1",
    "cr": "\r=1+1",
    "sql": "'; DROP TABLE incidents; --",
    "template": "{{7*7}} ${7*7} <%= 7*7 %>",
    "unicode": "\u202eevil\u202c \u200b 😀 e\u0301 \u2028 \ufeff مرحبا",
    "newlines": "line1\nline2\r\nline3",
    "delims": '"quoted", with; delimiters|and\ttabs',
}

#: the tally the module prints at the end (see the module docstring)
TALLY: Counter[str] = Counter()


# --- what a case is ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """What one data row offered must become.

    ``kind``: ``stored`` (``id`` must be fetchable, ``same`` texts byte-identical),
    ``rejected`` (a reject for ``row`` whose field and reason match the regexes),
    ``duplicate`` (counted, not stored again) or ``any`` (stored or rejected, but accounted).
    ``row`` is what a reject names: the spreadsheet row (header = 1) of a CSV, the 1-based
    feature of a GeoJSON file, the item number for rejects the store makes itself.
    """

    kind: str
    row: int
    id: str | None = None
    field: str = ""
    reason: str = ""
    same: tuple[tuple[str, str | Callable[[], str]], ...] = ()


@dataclass(frozen=True)
class Case:
    name: str
    fmt: str  # acled | ucdp | csv | geojson | article
    filename: str
    write: Callable[[Path], None]
    rows: tuple[Row, ...] = ()
    #: regex the DataFileError's message must match; None: the file must be read
    error: str | None = None
    #: byte soup: a file error or accounted rows are both fine
    either: bool = False
    fmt_arg: str | None = None
    #: for articles: texts at least one stored quote must contain
    quotes: tuple[str, ...] = ()
    #: for articles: the publication date given with them (as ``--published`` does)
    published: date | None = ARTICLE_DATE
    cli: bool = False

    @property
    def offered(self) -> int:
        return len(self.rows)


@dataclass
class Built:
    """The rows of a file being built, numbered as the reader will number them."""

    fmt: str
    n: int  # case number: makes ids unique across the module's shared store
    columns: tuple[str, ...]
    lines: list[Any] = field(default_factory=list)  # row dicts, or raw text lines
    rows: list[Row] = field(default_factory=list)
    k: int = 0

    def next_id(self) -> str:
        self.k += 1
        return f"c{self.n}-{self.k}"


# --- valid rows, per format --------------------------------------------------------------------


def acled_row(event_id: str, **changes: str) -> dict[str, str]:
    row = dict.fromkeys(acled_mod.COLUMNS, "")
    row.update(
        event_id_cnty=event_id, event_date="2024-01-20", year="2024", time_precision="1",
        event_type="Explosions/Remote violence", sub_event_type="Air/drone strike",
        actor1="Islamic Resistance in Iraq", actor2="Military Forces of the United States (2021-)",
        iso="368", country="Iraq", admin1="Anbar", location="Ain al Asad Airbase",
        latitude="33.7857", longitude="42.4412", geo_precision="1", source="Shafaq News",
        notes="On 20 January 2024, a drone was launched at Ain al Asad.", fatalities="0",
    )  # fmt: skip
    row.update(changes)
    return row


UCDP_COLUMNS = (
    "id", "type_of_violence", "side_a", "side_b", "source_article", "source_office",
    "source_date", "source_headline", "source_original", "where_prec", "where_coordinates",
    "adm_1", "latitude", "longitude", "country", "iso3", "date_prec", "date_start", "date_end",
    "low", "best", "high",
)  # fmt: skip


def ucdp_row(event_id: str, **changes: str) -> dict[str, str]:
    row = dict(
        id=event_id, type_of_violence="1", side_a="Government of United States of America",
        side_b="IS", source_article="Reuters, US strikes near Raqqa", source_office="Reuters",
        source_date="2017-03-02", source_headline="US strikes near Raqqa",
        source_original="US military", where_prec="1", where_coordinates="Ar Raqqah town",
        adm_1="Ar Raqqah", latitude="35.9528", longitude="39.0079", country="Syria",
        iso3="SYR", date_prec="1", date_start="2017-03-01 00:00:00.000",
        date_end="2017-03-01 00:00:00.000", low="3", best="4", high="9",
    )  # fmt: skip
    row.update(changes)
    return row


BASE = parse_incident(
    {
        "id": "base", "event_type": "attack", "date_start": "2024-01-20",
        "date_end": "2024-01-20", "date_precision": 1, "site_id": ASAD.id,
        "location": ASAD.name, "country": ASAD.country, "geo_precision": 1,
        "latitude": ASAD.latitude, "longitude": ASAD.longitude, "weapons": ["drone"],
        "killed_min": 0, "killed_max": 0, "injured_min": 1, "injured_max": None,
        "status": "reported",
        "sources": [{"article": "corpus", "published": "2024-01-21", "quote": "A drone hit."}],
    }
)  # fmt: skip


def our_row(incident_id: str, **changes: str) -> dict[str, str]:
    row = dict(zip(OUR_COLUMNS, to_csv_row(BASE), strict=True))
    row["id"] = incident_id
    row.update(changes)
    return row


def feature(incident_id: str, **changes: Any) -> dict[str, Any]:
    """A valid feature; ``latitude``/``longitude`` changes go into the geometry, ``geometry``
    replaces it, ``source_<key>`` changes the source."""
    feat = to_feature(BASE.model_copy(update={"id": incident_id}))
    lon, lat = feat["geometry"]["coordinates"]
    lat, lon = changes.pop("latitude", lat), changes.pop("longitude", lon)
    feat["geometry"]["coordinates"] = [lon, lat]
    if "geometry" in changes:
        feat["geometry"] = changes.pop("geometry")
    source = dict(feat["properties"]["sources"][0])
    for key in [k for k in changes if k.startswith("source_")]:
        source[key.removeprefix("source_")] = changes.pop(key)
    feat["properties"]["sources"] = [source]
    feat["properties"].update(changes)
    return feat


ROW_MAKERS: dict[str, Callable[..., Any]] = {
    "acled": acled_row,
    "ucdp": ucdp_row,
    "csv": our_row,
    "geojson": feature,
}
COLUMNS: dict[str, tuple[str, ...]] = {
    "acled": acled_mod.COLUMNS,
    "ucdp": UCDP_COLUMNS,
    "csv": OUR_COLUMNS,
    "geojson": (),
}
EXT = {"acled": ".csv", "ucdp": ".csv", "csv": ".csv", "geojson": ".geojson"}


def stored_id(fmt: str, row_id: str) -> str:
    return {"acled": "acled:", "ucdp": "ucdp:"}.get(fmt, "") + row_id.strip()


# --- writing files ----------------------------------------------------------------------------


def csv_text(columns: tuple[str, ...], lines: list[Any], delimiter: str = ",") -> str:
    """A header and rows: dicts become quoted-as-needed CSV rows, strings go in as they are."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(columns)
    for line in lines:
        if isinstance(line, str):
            out.write(line + "\r\n")
        else:
            writer.writerow([line.get(c, "") for c in columns])
    return out.getvalue()


def geojson_text(features: list[Any], raw: dict[str, str] | None = None) -> str:
    """A FeatureCollection; ``raw`` replaces quoted placeholders with raw JSON tokens."""
    text = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)
    for placeholder, token in (raw or {}).items():
        text = text.replace(json.dumps(placeholder), token)
    return text


def writer_of(data: bytes | str | Callable[[], bytes | str]) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        value = data() if callable(data) else data
        path.write_bytes(value.encode("utf-8") if isinstance(value, str) else value)

    return write


# --- the cases --------------------------------------------------------------------------------

CASES: list[Case] = []


def add(name: str, fmt: str, write: Callable[[Path], None], rows: Any = (), **kw: Any) -> None:
    n = len(CASES)
    ext = kw.pop("ext", EXT.get(fmt, ".txt"))
    filename = kw.pop("filename", None) or f"{n:03d}-{name}{ext}"
    CASES.append(Case(f"{n:03d}-{fmt}-{name}", fmt, filename, write, tuple(rows), **kw))


def rows_case(
    name: str,
    fmt: str,
    middle: Callable[[str], Any] | None,
    expect: Callable[[str, int], Row],
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
    bom: bytes = b"",
    fmt_arg: str | None = None,
    filename: str | None = None,
    cli: bool = False,
    raw: dict[str, str] | None = None,
) -> None:
    """Three rows: valid, ``middle(id)``, valid; ``expect(id, row)`` says what the middle one
    must become (``middle=None``: the middle row is valid too)."""
    n = len(CASES)
    make = ROW_MAKERS[fmt]
    ids = [f"c{n}-{k}" for k in (1, 2, 3)]
    lines = [make(ids[0]), (middle or make)(ids[1]), make(ids[2])]
    first = 1 if fmt == "geojson" else 2
    rows = [
        Row("stored", first, stored_id(fmt, ids[0])),
        expect(ids[1], first + 1),
        Row("stored", first + 2, stored_id(fmt, ids[2])),
    ]
    if fmt == "geojson":
        content = geojson_text(lines, raw)
    else:
        content = csv_text(COLUMNS[fmt], lines, delimiter)
    add(
        name,
        fmt,
        writer_of(bom + content.encode(encoding)),
        rows,
        fmt_arg=fmt_arg,
        filename=filename,
        cli=cli,
    )


def stored(fmt: str, same: dict[str, str] | None = None) -> Callable[[str, int], Row]:
    return lambda row_id, row: Row(
        "stored", row, stored_id(fmt, row_id), same=tuple((same or {}).items())
    )


def rejected(field_re: str, reason_re: str) -> Callable[[str, int], Row]:
    return lambda _id, row: Row("rejected", row, field=field_re, reason=reason_re)


def anything(_id: str, row: int) -> Row:
    return Row("any", row)


# Coordinates: (name, latitude text, longitude text, expectation).  Points: Al-Asad (Iraq) for
# ACLED and ours, Raqqa (Syria) for UCDP; "swap" means the pair the other way round.
COORDS: list[tuple[str, str | None, str | None, Callable[[str, int], Row] | str]] = [
    ("swapped", "swap", "swap", rejected("latitude", "swapped")),
    ("lat-91", "91", None, rejected("latitude", r"-90\.\.90")),
    ("lat-minus-91", "-91", None, rejected("latitude", r"-90\.\.90")),
    ("lon-181", None, "181", rejected("longitude", r"-180\.\.180")),
    ("lon-minus-180.5", None, "-180.5", rejected("longitude", r"-180\.\.180")),
    ("lat-NaN", "NaN", None, rejected("latitude", "finite")),
    ("lon-nan", None, "nan", rejected("longitude", "finite")),
    ("lat-inf", "inf", None, rejected("latitude", "finite")),
    ("lon-minus-Infinity", None, "-Infinity", rejected("longitude", "finite")),
    ("lat-1e999", "1e999", None, rejected("latitude", "finite")),
    ("lat-only", None, "", rejected("longitude", "both")),
    ("lat-text", "abc", None, rejected("latitude", "not a number")),
    ("decimal-comma", "33,78", None, rejected("latitude", "decimal comma")),
    ("hex", "0x21", None, rejected("latitude", "not a number")),
    ("zero-zero", "0", "0", rejected("country", "outside country")),
    ("in-iran", "35.69", "51.39", rejected("country", "outside country.*IRN")),
    ("formula", "=1+32", None, rejected("latitude", "not a number")),
    ("padded", " {lat} ", " {lon} ", "stored"),
    ("plus-sign", "+{lat}", None, "stored"),
]

for fmt in ("acled", "ucdp", "csv"):
    for name, lat, lon, expect in COORDS:

        def middle(row_id: str, fmt: str = fmt, lat: Any = lat, lon: Any = lon) -> Any:
            row = ROW_MAKERS[fmt](row_id)
            good_lat, good_lon = row["latitude"], row["longitude"]
            new_lat = good_lon if lat == "swap" else lat
            new_lon = good_lat if lon == "swap" else lon
            if new_lat is not None:
                row["latitude"] = new_lat.format(lat=good_lat, lon=good_lon)
            if new_lon is not None:
                row["longitude"] = new_lon.format(lat=good_lat, lon=good_lon)
            return row

        rows_case(
            f"coords-{name}",
            fmt,
            middle,
            stored(fmt) if expect == "stored" else expect,  # type: ignore[arg-type]
            cli=name in ("swapped", "lat-NaN"),
        )

# GeoJSON coordinates are JSON values: numbers, strings, raw tokens JSON does not have.
GEO_COORDS: list[tuple[str, dict[str, Any], Callable[[str, int], Row] | None, str | None]] = [
    # (name, feature changes, expectation or None for a file error, error regex)
    ("swapped", {"latitude": ASAD.longitude, "longitude": ASAD.latitude}, rejected("latitude", "swapped"), None),
    ("lat-91", {"latitude": 91.0}, rejected("latitude", r"90"), None),
    ("lon-181", {"longitude": 181.0}, rejected("longitude", r"180"), None),
    ("zero-zero", {"latitude": 0, "longitude": 0}, rejected("country", "outside country"), None),
    ("in-iran", {"latitude": 35.69, "longitude": 51.39}, rejected("country", "outside"), None),
    ("string-NaN", {"latitude": "NaN"}, rejected("latitude", "finite"), None),
    ("string-inf", {"longitude": "-inf"}, rejected("longitude", "finite"), None),
    ("string-text", {"latitude": "abc"}, rejected("latitude", "number"), None),
    ("string-number", {"latitude": "33.78567"}, anything, None),
    ("boolean", {"latitude": True}, anything, None),
    ("null-one", {"latitude": None}, rejected("l(at|ong)itude", ""), None),
    ("null-geometry", {"geometry": None}, stored("geojson"), None),
    ("one-number", {"geometry": {"type": "Point", "coordinates": [42.4]}}, rejected("geometry", "Point"), None),
    ("with-altitude", {"geometry": {"type": "Point", "coordinates": [42.4, 33.7, 80.0]}}, rejected("geometry", "Point"), None),
    ("linestring", {"geometry": {"type": "LineString", "coordinates": [[42.4, 33.7], [42.5, 33.8]]}}, rejected("geometry", "Point"), None),
    ("geometry-string", {"geometry": "POINT(42 33)"}, rejected("geometry", "object"), None),
    ("raw-NaN", {"latitude": "@@RAW@@"}, None, "not JSON"),
    ("raw-1e999", {"latitude": "@@RAW1e999@@"}, None, "not JSON"),
]  # fmt: skip
for name, changes, expect, error in GEO_COORDS:
    if expect is None:
        token = "NaN" if name == "raw-NaN" else "1e999"
        placeholder = "@@RAW@@" if name == "raw-NaN" else "@@RAW1e999@@"
        add(
            f"coords-{name}",
            "geojson",
            writer_of(geojson_text([feature("x", **changes)], {placeholder: token})),
            error=error,
            cli=name == "raw-NaN",
        )
        continue
    rows_case(f"coords-{name}", "geojson", lambda i, c=changes: feature(i, **c), expect)

# Dates.  The field each format reads a date from; the expectation per bad value.
DATE_FIELDS = {
    "acled": ("event_date",),
    "ucdp": ("date_start", "date_end"),
    "csv": ("date_start", "date_end"),
}
DATE_REJECTS = {"acled": "event_date", "ucdp": "date_start", "csv": "date_start"}
DATES: list[tuple[str, str, str | None]] = [
    # (name, value, reason regex; None = stored)
    ("feb-30", "2023-02-30", "not a real date"),
    ("month-13", "2023-13-01", "not a real date"),
    ("month-0", "2024-00-10", "not a real date"),
    ("year-0", "0000-01-01", "not a real date"),
    ("tomorrow", TOMORROW.isoformat(), "future"),
    ("year-2999", "2999-01-01", "future"),
    ("year-9999", "9999-12-31", "future"),
    ("day-first", "30/01/2024", "not a date"),
    ("unpadded", "2024-1-5", "not a date"),
    ("word", "yesterday", "not a date"),
    ("formula", "=TODAY()", "not a date"),
    ("empty", "", "required|date"),
    ("with-time", "2024-01-20T10:00:00Z", None),
    ("day-month-year", "20 January 2024", None),
]
for fmt in ("acled", "ucdp", "csv"):
    for name, value, reason in DATES:

        def middle(row_id: str, fmt: str = fmt, value: str = value) -> Any:
            return ROW_MAKERS[fmt](row_id, **dict.fromkeys(DATE_FIELDS[fmt], value))

        expect = stored(fmt) if reason is None else rejected(DATE_REJECTS[fmt], reason)
        rows_case(f"date-{name}", fmt, middle, expect, cli=name == "feb-30")
for fmt in ("ucdp", "csv"):
    rows_case(
        "date-end-before-start",
        fmt,
        lambda i, fmt=fmt: ROW_MAKERS[fmt](i, date_start="2024-01-20", date_end="2024-01-19"),
        rejected("date_end", "before"),
    )
rows_case(
    "date-window-too-wide",
    "csv",
    lambda i: our_row(i, date_start="2024-01-20", date_end="2024-01-22"),
    rejected("date_precision", "at most 0 days"),
)
GEO_DATES: list[tuple[str, Any, Callable[[str, int], Row]]] = [
    ("feb-30", "2023-02-30", rejected("date_start", "date")),
    ("year-2999", "2999-01-01", rejected("date_start", "future")),
    ("tomorrow", TOMORROW.isoformat(), rejected("date_start", "future")),
    ("day-first", "30/01/2024", rejected("date_start", "date")),
    ("number", 20240120, rejected("date", "")),
    ("null", None, rejected("date_start", "")),
    ("formula", "=TODAY()", rejected("date_start", "date")),
    ("with-time", "2024-01-20T10:00:00Z", anything),
]
for name, value, expect in GEO_DATES:
    rows_case(
        f"date-{name}",
        "geojson",
        lambda i, v=value: feature(i, date_start=v, date_end=v),
        expect,
    )
rows_case(
    "future-source",
    "geojson",
    lambda i: feature(i, source_published="2999-01-01"),
    rejected(r"sources\.0\.published", "future"),
)

# Countries and sites nobody knows.
UNKNOWN_PLACES: list[tuple[str, str, dict[str, str], Callable[[str, int], Row]]] = [
    ("acled", "atlantis", {"iso": "", "country": "Atlantis"}, rejected("country", "unknown country")),
    ("acled", "iso-999", {"iso": "999", "country": "Atlantis"}, rejected("country", "unknown country")),
    ("acled", "iso-decides", {"iso": "368", "country": "Narnia"}, stored("acled")),
    ("acled", "no-country", {"iso": "", "country": ""}, rejected("country", "unknown country")),
    ("acled", "iran-point", {"iso": "364", "country": "Iran"}, rejected("country", "outside country IRN")),
    ("ucdp", "iso3-XXX", {"iso3": "XXX"}, rejected("iso3", "ISO 3166")),
    ("ucdp", "atlantis", {"iso3": "", "country": "Atlantis"}, rejected("country", "unknown country")),
    ("ucdp", "iso3-lower", {"iso3": "syr"}, stored("ucdp")),
    ("ucdp", "iso3-iraq", {"iso3": "IRQ"}, rejected("country", "outside country IRQ")),
    ("csv", "country-XXX", {"country": "XXX"}, rejected("country", "ISO 3166")),
    ("csv", "country-lower", {"country": "irq"}, rejected("country", "pattern")),
    ("csv", "country-usa", {"country": "USA"}, rejected("country", "outside country USA")),
    ("csv", "site-nowhere", {"site_id": "nowhere"}, rejected("site_id", "gazetteer")),
    ("csv", "site-upper", {"site_id": "AL_ASAD"}, rejected("site_id", "gazetteer")),
    ("csv", "site-payload", {"site_id": PAYLOADS["script"]}, rejected("site_id", "gazetteer")),
    ("csv", "no-site", {"site_id": "", "location": "a farm near nowhere"}, stored("csv", {"location": "a farm near nowhere"})),
    ("geojson", "country-XXX", {"country": "XXX"}, rejected("country", "ISO 3166")),
    ("geojson", "site-nowhere", {"site_id": "nowhere"}, rejected("site_id", "gazetteer")),
    ("geojson", "site-formula", {"site_id": PAYLOADS["hyperlink"]}, rejected("site_id", "gazetteer")),
]  # fmt: skip
for fmt, name, changes, expect in UNKNOWN_PLACES:
    rows_case(
        f"place-{name}",
        fmt,
        lambda i, fmt=fmt, c=changes: ROW_MAKERS[fmt](i, **c),
        expect,
        cli=name == "site-nowhere",
    )

# Payloads in every free-text field at once: stored, and byte-identical when read back.
TEXT_FIELDS: dict[str, dict[str, str]] = {
    # file column -> incident attribute path
    "acled": {"location": "location", "admin1": "admin1", "source": "sources.0.article",
              "notes": "sources.0.quote", "actor1": "attributed_to"},
    "ucdp": {"where_coordinates": "location", "adm_1": "admin1",
             "source_article": "sources.0.article", "source_headline": "sources.0.quote"},
    "csv": {"location": "location", "admin1": "admin1", "damage": "damage",
            "claimed_by": "claimed_by", "attributed_to": "attributed_to", "notes": "notes",
            "responds_to": "responds_to"},
}  # fmt: skip
OUR_TEXT = ("location", "admin1", "damage", "claimed_by", "attributed_to", "notes", "responds_to")
#: UCDP's source columns are ;-separated lists: their parts are trimmed (by design)
TRIMMED = {"ucdp": {"source_article", "source_headline"}}

for fmt in ("acled", "ucdp", "csv", "geojson"):
    for pname, payload in PAYLOADS.items():

        def middle(row_id: str, fmt: str = fmt, payload: str = payload) -> Any:
            if fmt == "geojson":
                return feature(
                    row_id,
                    **dict.fromkeys(OUR_TEXT, payload),
                    source_article=payload,
                    source_quote=payload,
                )
            row = ROW_MAKERS[fmt](row_id, **dict.fromkeys(TEXT_FIELDS[fmt], payload))
            if fmt == "csv":
                sources = [{"article": payload, "published": "2024-01-21", "quote": payload}]
                row["sources"] = json.dumps(sources, ensure_ascii=False)
            return row

        if fmt in ("csv", "geojson"):
            same = {path: payload for path in (*OUR_TEXT, "sources.0.article", "sources.0.quote")}
        else:
            same = {
                path: payload.strip() if column in TRIMMED.get(fmt, ()) else payload
                for column, path in TEXT_FIELDS[fmt].items()
            }
        rows_case(
            f"payload-{pname}",
            fmt,
            middle,
            stored(fmt, same),
            cli=pname in ("img", "hyperlink", "tab"),
        )

# Payloads in the id itself (ours and GeoJSON keep it verbatim).
for fmt in ("csv", "geojson"):
    for pname in ("svg", "hyperlink", "unicode", "newlines"):
        n = len(CASES)
        hostile_id = f"{PAYLOADS[pname]} {n}"
        make = ROW_MAKERS[fmt]
        lines = [make(f"c{n}-1"), make(hostile_id)]
        content = geojson_text(lines) if fmt == "geojson" else csv_text(OUR_COLUMNS, lines)
        first = 1 if fmt == "geojson" else 2
        add(
            f"payload-id-{pname}",
            fmt,
            writer_of(content),
            [Row("stored", first, f"c{n}-1"), Row("stored", first + 1, hostile_id, same=(("id", hostile_id),))],
        )  # fmt: skip

# Payloads in fields with a vocabulary or a pattern: rejected, the payload kept as the value.
CONSTRAINED: dict[str, list[str]] = {
    "acled": ["time_precision", "geo_precision", "event_date", "latitude", "fatalities", "year"],
    "ucdp": ["where_prec", "date_prec", "iso3", "longitude", "date_end"],
    "csv": ["event_type", "weapons", "status", "outcome", "country", "dataset", "date_precision",
            "geo_precision", "killed_min", "sources"],
    "geojson": ["event_type", "status", "outcome", "country", "dataset", "date_precision",
                "review", "killed_min"],
}  # fmt: skip
for fmt, columns in CONSTRAINED.items():
    for k, column in enumerate(columns):
        payload = (PAYLOADS["hyperlink"], PAYLOADS["img"], PAYLOADS["tab"])[k % 3]
        expect = rejected(re.escape(column) + r"(\.\d+)?", "")
        if fmt == "geojson":
            rows_case(
                f"constrained-{column}",
                fmt,
                lambda i, c=column, p=payload: feature(i, **{c: p}),
                expect,
            )
        else:
            rows_case(
                f"constrained-{column}",
                fmt,
                lambda i, fmt=fmt, c=column, p=payload: ROW_MAKERS[fmt](i, **{c: p}),
                expect,
                cli=column in ("event_type", "geo_precision"),
            )  # fmt: skip


# --- CSV structure and encodings, per CSV format ------------------------------------------------


def structural(fmt: str) -> None:
    make = ROW_MAKERS[fmt]
    cols = COLUMNS[fmt]

    def three(n: int) -> tuple[list[str], list[dict[str, str]]]:
        ids = [f"c{n}-{k}" for k in (1, 2, 3)]
        return ids, [make(i) for i in ids]

    def ok_rows(ids: list[str], first: int = 2, gaps: tuple[int, ...] = ()) -> list[Row]:
        """Stored rows from ``first`` on; ``gaps``: blank lines before each."""
        rows, row = [], first
        for i, gap in zip(ids, gaps or (0,) * len(ids), strict=True):
            row += gap
            rows.append(Row("stored", row, stored_id(fmt, i)))
            row += 1
        return rows

    def raw_line(row: dict[str, str], delimiter: str = ",") -> str:
        return csv_text(cols, [row], delimiter).split("\r\n", 1)[1].rstrip("\r\n")

    n = len(CASES)
    ids, rows = three(n)
    for delim, dname in ((";", "semicolon"), ("\t", "tab"), ("|", "pipe")):
        n = len(CASES)
        ids, rows = three(n)
        add(
            f"delimiter-{dname}",
            fmt,
            writer_of(csv_text(cols, rows, delim)),
            ok_rows(ids),
            cli=dname == "tab",
        )
    for ending, ename in (("\n", "lf"), ("\r", "cr")):
        n = len(CASES)
        ids, rows = three(n)
        add(
            f"line-endings-{ename}",
            fmt,
            writer_of(csv_text(cols, rows).replace("\r\n", ending)),
            ok_rows(ids),
        )
    n = len(CASES)
    ids, rows = three(n)
    blank = ",".join("" for _ in cols)
    add(
        "blank-lines",
        fmt,
        writer_of(csv_text(cols, [rows[0], "", rows[1], blank, "", rows[2], ""])),
        ok_rows(ids, gaps=(0, 1, 2)),
    )
    n = len(CASES)
    ids, rows = three(n)
    add(
        "ragged-longer",
        fmt,
        writer_of(csv_text(cols, [rows[0], raw_line(rows[1]) + ",extra", rows[2]])),
        [*ok_rows(ids[:1]), Row("rejected", 3, field=r"\(row\)", reason="fields, the header has"), *ok_rows(ids[2:], 4)],
        cli=True,
    )  # fmt: skip
    n = len(CASES)
    ids, rows = three(n)
    short = raw_line(rows[1]).rsplit(",", 1)[0]
    add(
        "ragged-shorter",
        fmt,
        writer_of(csv_text(cols, [rows[0], short, rows[2]])),
        [*ok_rows(ids[:1]), Row("rejected", 3, field=r"\(row\)", reason="fields"), *ok_rows(ids[2:], 4)],
    )  # fmt: skip
    n = len(CASES)
    ids, rows = three(n)
    add(
        "wrong-delimiter-row",
        fmt,
        writer_of(csv_text(cols, [rows[0], raw_line(rows[1], ";"), rows[2]])),
        [*ok_rows(ids[:1]), Row("rejected", 3, field=r"\(row\)", reason="fields"), *ok_rows(ids[2:], 4)],
    )  # fmt: skip
    n = len(CASES)
    ids, rows = three(n)
    first_value = rows[1][cols[0]]
    line = raw_line(rows[1])
    assert line.startswith(first_value)
    add(
        "stray-quote",
        fmt,
        writer_of(csv_text(cols, [rows[0], f'"{first_value}"x{line[len(first_value) :]}', rows[2]])),
        [*ok_rows(ids[:1]), Row("rejected", 3, field=r"\(row\)", reason="not valid CSV"), *ok_rows(ids[2:], 4)],
    )  # fmt: skip
    n = len(CASES)
    ids, rows = three(n)
    nul = dict(rows[1])
    nul[cols[-1]] = "a\x00b"
    add(
        "nul-in-row",
        fmt,
        writer_of(csv_text(cols, [rows[0], nul, rows[2]])),
        [*ok_rows(ids[:1]), Row("rejected", 3, field=r"\(row\)", reason="NUL"), *ok_rows(ids[2:], 4)],
        cli=True,
    )  # fmt: skip
    n = len(CASES)
    ids, rows = three(n)
    add(
        "nul-in-header",
        fmt,
        writer_of(csv_text(cols, rows).replace(cols[1], cols[1] + "\x00", 1)),
        error="NUL",
        fmt_arg=fmt,
    )
    n = len(CASES)
    ids, rows = three(n)
    add(
        "unclosed-quote-at-end",
        fmt,
        writer_of(csv_text(cols, rows) + '"' + cols[0] + ",never closed\r\nmore text\r\n"),
        error="never closes",
        cli=True,
    )
    add("empty-file", fmt, writer_of(b""), error="empty", fmt_arg=fmt, cli=fmt == "acled")
    add("whitespace-only", fmt, writer_of("  \r\n\r\n"), error="empty", fmt_arg=fmt)
    add("only-bom", fmt, writer_of(codecs.BOM_UTF8), error="empty", fmt_arg=fmt)
    add("only-utf16-bom", fmt, writer_of(codecs.BOM_UTF16_LE), error="empty", fmt_arg=fmt)
    add("header-only", fmt, writer_of(csv_text(cols, [])), [])
    add("header-only-no-newline", fmt, writer_of(csv_text(cols, []).rstrip()), [], fmt_arg=fmt)
    add(
        "duplicate-column",
        fmt,
        writer_of(csv_text((*cols, cols[0]), [])),
        error="twice",
        fmt_arg=fmt,
    )
    missing = "date_start" if fmt == "csv" else "latitude"  # ours may leave a point out
    add(
        "missing-required-column",
        fmt,
        writer_of(csv_text(tuple(c for c in cols if c != missing), [])),
        error=f"lacks {missing}",
        fmt_arg=fmt,
    )
    n = len(CASES)
    ids, rows = three(n)
    padded = csv_text(cols, rows).replace(",".join(cols), ",".join(f" {c} " for c in cols), 1)
    add("header-padded", fmt, writer_of(padded), ok_rows(ids), fmt_arg=fmt)
    n = len(CASES)
    ids, rows = three(n)
    add(
        "extra-columns",
        fmt,
        writer_of(csv_text((*cols, "=cmd()", "colour"), rows)),
        ok_rows(ids),
        fmt_arg=fmt,
    )
    # encodings
    text_field = {"acled": "location", "ucdp": "where_coordinates", "csv": "location"}[fmt]
    path = {"acled": "location", "ucdp": "location", "csv": "location"}[fmt]
    for ename, encoding, bom, accent in (
        ("utf8-bom", "utf-8", codecs.BOM_UTF8, "Al-Asad – Ḥadītha ✓"),
        ("utf16le-bom", "utf-16-le", codecs.BOM_UTF16_LE, "Al-Asad – Ḥadītha ✓"),
        ("utf16be-bom", "utf-16-be", codecs.BOM_UTF16_BE, "Al-Asad – Ḥadītha ✓"),
        ("utf32-bom", "utf-32-le", codecs.BOM_UTF32_LE, "Al-Asad – Ḥadītha ✓"),
        ("cp1252", "cp1252", b"", "Al-Asad – Mossoul é ü"),
        ("bom-mid-field", "utf-8", b"", "Al-\ufeffAsad"),
    ):
        n = len(CASES)
        ids = [f"c{n}-{k}" for k in (1, 2, 3)]
        lines = [make(ids[0]), make(ids[1], **{text_field: accent}), make(ids[2])]
        content = bom + csv_text(cols, lines).encode(encoding)
        rows_ = ok_rows(ids)
        rows_[1] = Row("stored", 3, stored_id(fmt, ids[1]), same=((path, accent),))
        add(f"encoding-{ename}", fmt, writer_of(content), rows_, cli=ename == "cp1252")
    n = len(CASES)
    ids, rows = three(n)
    add(
        "utf16-without-bom",
        fmt,
        writer_of(csv_text(cols, rows).encode("utf-16-le")),
        error="NUL",
        fmt_arg=fmt,
    )
    add(
        "neither-utf8-nor-cp1252",
        fmt,
        writer_of(csv_text(cols, rows).encode("utf-8") + b"\x81\x8d\x90"),
        error="neither UTF-8 .* nor Windows-1252",
    )
    add(
        "utf8-bom-then-cp1252",
        fmt,
        writer_of(codecs.BOM_UTF8 + csv_text(cols, [make(ids[0], **{text_field: "é"})]).encode("cp1252")),
        error="byte-order mark",
        fmt_arg=fmt,
    )  # fmt: skip
    add(
        "utf16-odd-length",
        fmt,
        writer_of(codecs.BOM_UTF16_LE + csv_text(cols, rows).encode("utf-16-le") + b"\x00"),
        error="byte-order mark",
        fmt_arg=fmt,
    )
    # duplicates and conflicts (the store's own rejects number the item)
    n = len(CASES)
    ids, rows = three(n)
    add(
        "duplicate-row",
        fmt,
        writer_of(csv_text(cols, [rows[0], rows[0], rows[1]])),
        [*ok_rows(ids[:1]), Row("duplicate", 3), Row("stored", 4, stored_id(fmt, ids[1]))],
    )
    n = len(CASES)
    ids, rows = three(n)
    changed = dict(rows[0], **{text_field: "another place"})
    add(
        "same-id-other-values",
        fmt,
        writer_of(csv_text(cols, [rows[0], changed])),
        # the store's own rejects number the item in the stream (2), not the file row (3);
        # row 0 stands for "no reject expected for this one"
        [Row("stored", 0, stored_id(fmt, ids[0])), Row("rejected", 2, field="id", reason="earlier in this file")],
        cli=fmt == "csv",
    )  # fmt: skip
    n = len(CASES)
    ids, rows = three(n)
    add(
        "a-row-of-100k-fields",
        fmt,
        writer_of(csv_text(cols, [rows[0], ",".join(["x"] * 100_000), rows[2]])),
        [*ok_rows(ids[:1]), Row("rejected", 3, field=r"\(row\)", reason="100000 fields"), *ok_rows(ids[2:], 4)],
    )  # fmt: skip
    n = len(CASES)
    ids, rows = three(n)
    nl = dict(rows[1], **{text_field: "first line\r\nsecond, line"})
    add(
        "embedded-newline",
        fmt,
        writer_of(csv_text(cols, [rows[0], nl, rows[2]])),
        [*ok_rows(ids[:2]), Row("stored", 4, stored_id(fmt, ids[2]))],
    )


for fmt in ("acled", "ucdp", "csv"):
    structural(fmt)

add(
    "header-fits-two-formats",
    "acled",
    writer_of(csv_text(("event_id_cnty", "where_prec", "date_prec"), [])),
    error="several formats",
)


def fifty_mb_line(path: Path) -> None:
    """Our CSV whose second row carries a 50 MB notes field (streamed to disk)."""
    rows = [our_row("big-1"), our_row("big-2"), our_row("big-3")]
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(csv_text(OUR_COLUMNS, rows[:1]))
        w = csv.writer(fh, lineterminator="\r\n")
        big = dict(rows[1])
        big["notes"] = "@@BIG@@"
        line = csv_text(OUR_COLUMNS, [big]).split("\r\n", 1)[1]
        before, after = line.split("@@BIG@@")
        fh.write(before)
        chunk = "x" * (1 << 20)
        for _ in range(50):
            fh.write(chunk)
        fh.write(after)
        w.writerow([rows[2].get(c, "") for c in OUR_COLUMNS])
    assert path.stat().st_size > 50_000_000


add("one-50MB-line", "csv", fifty_mb_line, error="field larger than field limit")


def fifty_mb_header(path: Path) -> None:
    """A CSV whose header line is 50 MB of one unquoted name (format sniffing reads it)."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write("event_id_cnty,")
        for _ in range(50):
            fh.write("h" * (1 << 20))
        fh.write("\r\n1,2\r\n")


add("one-50MB-header-line", "acled", fifty_mb_header, error="header row is not valid CSV")


# --- GeoJSON structure ------------------------------------------------------------------------

GEO_ERRORS: list[tuple[str, bytes | str, str]] = [
    ("not-json", "hello, world", "not JSON"),
    ("empty", b"", "not JSON"),
    ("whitespace", "  \n ", "not JSON"),
    ("truncated", geojson_text([feature("t1"), feature("t2")])[:-40], "not JSON"),
    ("top-level-array", "[]", "FeatureCollection"),
    ("a-feature", json.dumps(feature("f1")), "FeatureCollection"),
    ("no-type", json.dumps({"features": []}), "FeatureCollection"),
    ("features-number", json.dumps({"type": "FeatureCollection", "features": 5}), "must be an array"),
    ("features-object", json.dumps({"type": "FeatureCollection", "features": {"a": 1}}), "must be an array"),
    ("utf16", geojson_text([feature("u1")]).encode("utf-16"), "not JSON"),
    ("cp1252", geojson_text([feature("w1", location="Mossoul é")]).encode("cp1252"), "not JSON"),
    ("huge-integer", geojson_text([feature("h1", killed_min="@@BIGINT@@")], {"@@BIGINT@@": "1" + "0" * 400}), "not JSON"),
    ("nested-100k", '{"type":"FeatureCollection","features":[' + "[" * 100_000 + "]" * 100_000 + "]}", "nested more than"),
    ("nested-before-type", '{"x":' + "[" * 50_000 + "]" * 50_000 + ',"type":"FeatureCollection","features":[]}', "nested more than"),
    ("nested-in-properties", geojson_text([feature("d1", notes="@@DEEP@@")], {"@@DEEP@@": "[" * 40 + "]" * 40}), "nested more than"),
    ("lone-low-surrogate", geojson_text([feature("s1", notes="@@SUR@@")], {"@@SUR@@": '"\\udc00"'}), "not JSON"),
    ("type-is-object", json.dumps({"type": {"x": 1}, "features": []}), "FeatureCollection"),
    ("trailing-garbage", geojson_text([feature("g1")]) + "}", "not JSON"),
]  # fmt: skip
for name, content, error in GEO_ERRORS:
    add(name, "geojson", writer_of(content), error=error, cli=name in ("truncated", "nested-100k"))

n = len(CASES)
add(
    "bom",
    "geojson",
    writer_of(codecs.BOM_UTF8 + geojson_text([feature(f"c{n}-1")]).encode()),
    [Row("stored", 1, f"c{n}-1")],
)
add("features-null", "geojson", writer_of('{"type":"FeatureCollection","features":null}'), [])
add("features-empty", "geojson", writer_of('{"features":[],"type":"FeatureCollection"}'), [])
n = len(CASES)
add(
    "not-features",
    "geojson",
    writer_of(geojson_text([None, "x", 5, [], {"type": "Point"}, feature(f"c{n}-1")])),
    [*(Row("rejected", k, field="type", reason="Feature") for k in (1, 2, 3, 4, 5)), Row("stored", 6, f"c{n}-1")],
    cli=True,
)  # fmt: skip
for name, changes, expect in (
    ("extra-property", {"colour": "red"}, rejected("colour", "Extra")),
    ("properties-string", {}, rejected("properties", "object")),
    ("nul-in-notes", {"notes": "a\x00b"}, rejected("notes", "NUL")),
    ("nul-in-quote", {"source_quote": "q\x00"}, rejected(r"sources\.0\.quote", "NUL")),
    ("nul-in-member-name", {"a\x00b": "x"}, rejected("a", "NUL")),
    ("lone-high-surrogate", {"notes": "@@SUR@@"}, anything),
    ("duplicate-key", {"notes": "@@DUP@@"}, anything),
    ("killed-float", {"killed_min": 1.5}, rejected("killed_min", "")),
    ("killed-1e300", {"killed_min": 1e300}, rejected("killed_min", "")),
    ("killed-negative", {"killed_min": -1}, rejected("killed_min", "0")),
    ("killed-min-over-max", {"killed_min": 5, "killed_max": 2}, rejected("killed_min", "exceed")),
    ("weapons-repeated", {"weapons": ["drone", "drone"]}, rejected("weapons", "repeat")),
    ("weapons-empty", {"weapons": []}, rejected("weapons", "")),
    ("sources-empty", {"sources": []}, rejected("sources", "")),
    ("location-empty", {"location": ""}, rejected("location", "")),
):

    def middle(row_id: str, name: str = name, changes: dict[str, Any] = changes) -> Any:
        feat = feature(row_id, **changes)
        if name == "properties-string":
            feat["properties"] = "not an object"
        return feat

    raw = {
        "lone-high-surrogate": {'"@@SUR@@"': '"\\ud800"'},
        "duplicate-key": {'"@@DUP@@"': '"first", "notes": "second"'},
    }.get(name)
    n = len(CASES)
    ids = [f"c{n}-{k}" for k in (1, 2, 3)]
    text = geojson_text([feature(ids[0]), middle(ids[1]), feature(ids[2])])
    for placeholder, token in (raw or {}).items():
        text = text.replace(placeholder, token)
    add(
        name,
        "geojson",
        writer_of(text),
        [Row("stored", 1, ids[0]), expect(ids[1], 2), Row("stored", 3, ids[2])],
        cli=name == "nul-in-notes",
    )


def fifty_mb_geojson(path: Path) -> None:
    """One line, 50 MB: a feature whose notes are 50 MB of text (stored as they are)."""
    text = geojson_text([feature("big-geo", notes="@@BIG@@")])
    before, after = text.split("@@BIG@@")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(before)
        for _ in range(50):
            fh.write("<b>x</b> " * ((1 << 20) // 9))
        fh.write(after)


add(
    "one-50MB-line",
    "geojson",
    fifty_mb_geojson,
    [Row("stored", 1, "big-geo", same=(("notes", lambda: "<b>x</b> " * ((1 << 20) // 9) * 50),))],
)  # fmt: skip

# --- hostile file names (they end up in the rejects report and the batch list) -----------------

for k, name in enumerate(
    (
        '=HYPERLINK("https:example.invalid";"x")',  # no "/": a file name cannot hold one
        "+cmd|' calc'!A0",
        "@SUM(1+1)",
        "-2+3",
        "<img src=x onerror=alert(1)>",
        'name with spaces, commas; and "quotes"',
        "\u202egpj.exe",
        "ملف عربي",
    )
):
    n = len(CASES)
    ids = [f"c{n}-{k}" for k in (1, 2)]
    bad = our_row(ids[1], latitude="NaN")
    add(
        f"file-name-{k}",
        "csv",
        writer_of(csv_text(OUR_COLUMNS, [our_row(ids[0]), bad])),
        [Row("stored", 2, ids[0]), Row("rejected", 3, field="latitude", reason="finite")],
        filename=f"{name} {n}.csv",
        cli=True,
    )

# --- binary files given to every reader -------------------------------------------------------


def png_bytes() -> bytes:
    rng = random.Random(1)
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + rng.randbytes(2048)


def zip_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("incidents.csv", csv_text(OUR_COLUMNS, [our_row("z1")]))
    return buf.getvalue()


BINARIES: dict[str, Callable[[], bytes]] = {
    "png": png_bytes,
    "random": lambda: random.Random(2).randbytes(4096),
    "zip": zip_bytes,
    "gzip": lambda: gzip.compress(csv_text(OUR_COLUMNS, [our_row("g1")]).encode(), mtime=0),
    "elf": lambda: b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 4,
}
for bname, make_bytes in BINARIES.items():
    for fmt, ext in (
        ("csv", ".csv"),
        ("geojson", ".geojson"),
        ("article", ".txt"),
        ("article", ".html"),
    ):
        add(
            f"binary-{bname}",
            fmt,
            writer_of(make_bytes),
            either=fmt != "article",
            error="(cannot read as UTF-8|NUL)" if fmt == "article" else None,
            ext=ext,
            cli=bname == "png" and fmt != "article",
        )  # fmt: skip

# --- articles ---------------------------------------------------------------------------------

SENTENCE = "A drone attack targeted US forces at Al-Asad airbase on Tuesday {p} officials said."


_WEEKS = iter(range(1000))


def next_thursday() -> date:
    """A publication day of its own for each article case: an attack read from two articles
    of one day is one incident, and the second would only count as already in the store."""
    return date(2020, 1, 2) + timedelta(weeks=next(_WEEKS))


def seed(text: str, day: date | None = None) -> str:
    return f" date {(day or next_thursday()).isoformat()}\n{text}\n"


for pname, payload in PAYLOADS.items():
    if pname in ("cr", "newlines"):
        continue  # a line break ends the sentence: the payload would not be in the quote
    sentence = SENTENCE.format(p=payload)
    add(f"payload-{pname}", "article", writer_of(seed(sentence)), quotes=(sentence,))

HTML_PAGE = """<!doctype html><html><head>
<meta property="article:published_time" content="{day}T09:00:00Z">
<script>window.__pwned = 6</script><style>body {{ color: red }}</style></head>
<body onload="window.__pwned=7"><nav><a href="javascript:window.__pwned=8">menu</a></nav>
<article><p>{body}</p><img src=x onerror="window.__pwned=9"></article>
<iframe src="javascript:window.__pwned=10"></iframe></body></html>"""
ESCAPED = "A drone attack targeted US forces at Al-Asad airbase on Tuesday &lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt; officials said."
add(
    "html-hostile-page",
    "article",
    writer_of(HTML_PAGE.format(day=next_thursday(), body=ESCAPED)),
    ext=".html",
    quotes=(SENTENCE.format(p=PAYLOADS["img"]),),
)
add(
    "html-future-date",
    "article",
    writer_of(HTML_PAGE.format(day="2999-01-01", body=ESCAPED)),
    ext=".html",
    error="future",
)
add(
    "html-no-date",
    "article",
    writer_of("<p>" + ESCAPED + "</p>"),
    ext=".html",
    error="no publication date",
    published=None,
)
add(
    "html-unclosed-script",
    "article",
    writer_of(f'<meta name="date" content="{ARTICLE_DATE}"><script>' + ESCAPED),
    ext=".html",
)
add(
    "html-nested-100k",
    "article",
    writer_of(f'<meta name="date" content="{next_thursday()}">' + "<div>" * 100_000 + ESCAPED),
    ext=".html",
)
add(
    "seed-feb-30",
    "article",
    writer_of(" date 2023-02-30\n" + SENTENCE.format(p="")),
    error="not a date",
)
add(
    "seed-future",
    "article",
    writer_of(seed(SENTENCE.format(p=""), date(2999, 1, 1))),
    error="future",
)
add("seed-tomorrow-plus-2", "article", writer_of(seed(SENTENCE.format(p=""), TODAY + timedelta(days=2))), error="future")  # fmt: skip
add("empty", "article", writer_of(b""), error="published", published=None)
add("empty-with-date", "article", writer_of(b""))
add(
    "no-date-header", "article", writer_of(SENTENCE.format(p="")), error="published", published=None
)
add(
    "utf16-with-bom",
    "article",
    writer_of(seed(SENTENCE.format(p="")).encode("utf-16")),
    error="UTF-8",
)
add(
    "utf16-without-bom",
    "article",
    writer_of(seed(SENTENCE.format(p="")).encode("utf-16-le")),
    error="NUL",
)
add("cp1252", "article", writer_of(seed(SENTENCE.format(p="é")).encode("cp1252")), error="UTF-8")
add("nul-byte", "article", writer_of(seed(SENTENCE.format(p="\x00"))), error="NUL")
add("whitespace-only-seed", "article", writer_of(seed("   \n\n  ")))


def huge_article() -> str:
    """3 MB of filler with one attack in the middle (the extractor must still find it)."""
    rng = random.Random(3)
    words = [
        "the",
        "of",
        "and",
        "market",
        "weather",
        "city",
        "council",
        "school",
        "report",
        "said",
        "people",
        "water",
        "road",
    ]
    paras = [" ".join(rng.choice(words) for _ in range(60)).capitalize() + "." for _ in range(7000)]
    paras.insert(len(paras) // 2, SENTENCE.format(p=PAYLOADS["script"]))
    return seed("\n\n".join(paras))


add("huge-3MB", "article", writer_of(huge_article), quotes=(SENTENCE.format(p=PAYLOADS["script"]),))
add(
    "one-1MB-line",
    "article",
    writer_of(lambda: seed("word " * 200_000 + SENTENCE.format(p=""))),
)


# --- control characters and NUL in every text field: the model refuses them, naming the field ---

#: C0 controls no text field may hold (tab, LF and CR are text: see PAYLOADS), one per case in turn
CONTROLS = ("\x1b[31m", "\x07", "\x0b", "\x0c", "\x1f", "\x01", "\x08")
#: file column -> the model field a reject names, per format (the id too, where a file gives it)
CONTROL_FIELDS: dict[str, dict[str, str]] = {
    fmt: {**columns, **({"id": "id"} if fmt == "csv" else {})}
    for fmt, columns in TEXT_FIELDS.items()
}
CONTROL_FIELDS["geojson"] = {
    **{name: name for name in ("id", *OUR_TEXT)},
    "source_article": "sources.0.article",
    "source_quote": "sources.0.quote",
}


def _with_control(fmt: str, column: str, value: str) -> Callable[[str], Any]:
    def middle(row_id: str) -> Any:
        if fmt == "geojson":
            feat = feature(row_id, **({} if column == "id" else {column: value}))
            if column == "id":
                feat["id"] = feat["properties"]["id"] = row_id + value
            return feat
        return ROW_MAKERS[fmt](row_id, **{column: (row_id if column == "id" else "") + value})

    return middle


_PLACES = [(fmt, c, path) for fmt, columns in CONTROL_FIELDS.items() for c, path in columns.items()]
for k, (fmt, column, path) in enumerate(_PLACES):
    control = CONTROLS[k % len(CONTROLS)]
    code = f"{ord(control[0]):04X}"
    rows_case(
        f"ctrl-{code}-in-{column}",
        fmt,
        _with_control(fmt, column, f"before{control}after"),
        rejected(re.escape(path), rf"control character U\+{code}"),
        cli=column in ("notes", "source_quote") and fmt in ("acled", "geojson"),
    )
# NUL in every GeoJSON text field (the importer's own check names the field, as the model would)
for column, path in CONTROL_FIELDS["geojson"].items():
    rows_case(
        f"nul-in-{column}",
        "geojson",
        _with_control("geojson", column, "a\x00b"),
        rejected(re.escape(path), "NUL"),
    )
# NUL where the CSV reader cannot see it: a JSON escape in our CSV's sources column.  It reached
# the model (and so the store; PostgreSQL's jsonb refuses it, failing the whole batch) until the
# model refused control characters.
for key in ("article", "quote"):
    rows_case(
        f"nul-escaped-in-sources-{key}",
        "csv",
        lambda i, key=key: our_row(
            i,
            sources=json.dumps(
                [{"article": "a", "published": "2024-01-21", "quote": "q", key: "x\x00y"}]
            ),
        ),
        rejected(rf"sources\.0\.{key}", "NUL"),
        cli=key == "quote",
    )
    rows_case(
        f"ctrl-escaped-in-sources-{key}",
        "csv",
        lambda i, key=key: our_row(
            i,
            sources=json.dumps(
                [{"article": "a", "published": "2024-01-21", "quote": "q", key: "\x1b[2J"}]
            ),
        ),
        rejected(rf"sources\.0\.{key}", r"control character U\+001B"),
    )
# Articles: a control character anywhere refuses the file (its quotes could not be stored), with
# the line it is on; an HTML character reference to one is decoded away (or to a space).
add(
    "ctrl-escape",
    "article",
    writer_of(seed(SENTENCE.format(p="\x1b[31m"))),
    error=r":2: contains the control character U\+001B",
)
add(
    "ctrl-form-feed",
    "article",
    writer_of(seed("Page one.\n\x0c\n" + SENTENCE.format(p=""))),
    error=r"control character U\+000C",
)
add(
    "ctrl-raw-in-html",
    "article",
    writer_of(HTML_PAGE.format(day=next_thursday(), body=ESCAPED + "\x07")),
    ext=".html",
    error=r"control character U\+0007",
)
add(
    "ctrl-charrefs-in-html",
    "article",
    writer_of(HTML_PAGE.format(day=next_thursday(), body=ESCAPED + "</p><p>&#27;&#12;&#1;&#0;")),
    ext=".html",
    quotes=(SENTENCE.format(p=PAYLOADS["img"]),),
)
