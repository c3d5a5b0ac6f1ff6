"""UCDP Georeferenced Event Dataset (GED) CSV -> incidents.

Our precision codes *are* UCDP's (``geo.model`` follows the GED codebook), so ``where_prec`` and
``date_prec`` pass through unchanged and the model's window rule checks them.

=================  ==========================================================================
ours               from UCDP GED
=================  ==========================================================================
id                 ``"ucdp:" + id``
dataset            ``"ucdp"``
event_type         :data:`EVENT_TYPE_RULES` on ``side_a`` / ``side_b``, else ``other``
date_*             ``date_start``, ``date_end`` (``YYYY-MM-DD``, a time part is dropped),
                   ``date_prec``
location, admin1   ``where_coordinates``, ``adm_1``
country            ``iso3``, else the ``country`` name (UCDP's "Russia (Soviet Union)" works)
geo_precision      ``where_prec``
point              ``latitude``, ``longitude`` (required); not checked against the country for
                   ``where_prec`` 7 (international waters or airspace)
weapons            ``["unknown"]`` (GED does not record weapons)
sources            see :func:`sources_of`
notes              "UCDP deaths low/best/high: L/B/H (all parties)" and the dyad
killed_*           left null: GED deaths count all parties, ours are US/coalition only
=================  ==========================================================================

The row after the header in HDX/HXL exports is a hashtag row (``#date+year``, ...): a row whose
every non-empty value starts with ``#`` is skipped, not rejected.

Event type caveat: GED's ``side_a`` is the government side *by convention* (``side_b`` the
opposition), not the side that struck first; the event records the dyad, not the initiator.  So
``side_a`` = the US government -> ``us_strike`` is the convention the rule table encodes, and the
dyad is written to ``notes`` so a reader can see what it rests on.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from geo.importers import _checks as chk
from geo.importers._base import Format, Item, ReadContext, csv_items, open_csv_for
from geo.importers._checks import RowProblem
from geo.importers._countries import iso3_from_name, iso3_is_known
from geo.model import DATE_PRECISION, GEO_PRECISION, Incident

UCDP_ATTRIBUTION = (
    "UCDP Georeferenced Event Dataset (GED), Uppsala Conflict Data Program; ucdp.uu.se (CC BY 4.0)"
)

REQUIRED_COLUMNS: tuple[str, ...] = (
    "id",
    "side_a",
    "side_b",
    "where_prec",
    "where_coordinates",
    "latitude",
    "longitude",
    "country",
    "date_prec",
    "date_start",
    "date_end",
)

#: UCDP actor names of the US government/forces
US_GOVERNMENT = re.compile(r"\bUnited States of America\b|\bUnited States\b|\bUSA\b", re.I)
#: (our event_type, UCDP columns, pattern): first match wins; else "other"
EVENT_TYPE_RULES: tuple[tuple[str, tuple[str, ...], re.Pattern[str]], ...] = (
    ("us_strike", ("side_a",), US_GOVERNMENT),
    ("attack", ("side_b",), US_GOVERNMENT),
)
DEFAULT_EVENT_TYPE = "other"
#: where_prec 7: international waters or airspace -- the point is outside every country
NO_COUNTRY_CHECK: frozenset[int] = frozenset({7})


def classify(row: dict[str, str]) -> str:
    for event_type, columns, pattern in EVENT_TYPE_RULES:
        if any(pattern.search(row.get(c, "")) for c in columns):
            return event_type
    return DEFAULT_EVENT_TYPE


def is_hxl(row: dict[str, str]) -> bool:
    values = [v.strip() for v in row.values() if v.strip()]
    return bool(values) and all(v.startswith("#") for v in values)


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";")] if value.strip() else []


def sources_of(row: dict[str, str], date_end: Any) -> list[dict[str, Any]]:
    """GED's source columns -> our sources.

    Recent GED versions list several sources ``;``-separated in ``source_office``,
    ``source_date`` and ``source_headline``: when all three split into the same number of parts
    and every date parses, each part is one source (article = office, published = its date,
    quote = its headline).  Otherwise one source: article = ``source_article`` (or office, or
    headline), published = ``source_date`` when it is one date, else ``date_end`` (GED gives none
    for older events), quote = ``source_headline`` if given, else ``source_article``.
    """
    article = row.get("source_article", "").strip()
    office = row.get("source_office", "").strip()
    dates_raw = row.get("source_date", "").strip()
    headline = row.get("source_headline", "").strip()
    offices, dates, heads = _split(office), _split(dates_raw), _split(headline)
    if len(dates) > 1 and len(offices) == len(dates) == len(heads):
        try:
            parsed = [chk.parse_date("source_date", d) for d in dates]
        except RowProblem:
            parsed = []
        if parsed and all(offices) and all(heads):
            return [
                {"article": o, "published": d, "quote": h}
                for o, d, h in zip(offices, parsed, heads, strict=True)
            ]
    name = article or office or headline
    if not name:
        raise RowProblem(
            "source_article",
            "",
            "no source to quote"
            + (
                f" (UCDP source_original: {row['source_original']!r})"
                if row.get("source_original")
                else ""
            ),
        )
    published = date_end
    if len(dates) == 1:
        published = chk.parse_date("source_date", dates[0])
    return [{"article": name, "published": published, "quote": headline or article or office}]


def country_of(row: dict[str, str]) -> str:
    iso3 = row.get("iso3", "").strip().upper()
    if iso3:
        if not iso3_is_known(iso3):
            raise RowProblem("iso3", row["iso3"], "not an ISO 3166 alpha-3 country code")
        return iso3
    code = iso3_from_name(row.get("country", ""))
    if code is None:
        raise RowProblem("country", row.get("country", ""), "unknown country name")
    return code


def convert(ctx: ReadContext, n: int, row: dict[str, str]) -> Incident | None:
    if is_hxl(row):
        return None
    chk.required(row, "id", "date_start", "date_end")
    start = chk.parse_date("date_start", row["date_start"])
    end = chk.parse_date("date_end", row["date_end"])
    date_prec = chk.parse_code("date_prec", row["date_prec"], DATE_PRECISION)
    where_prec = chk.parse_code("where_prec", row["where_prec"], GEO_PRECISION)
    country = country_of(row)
    lat, lon = chk.coordinates(row["latitude"], row["longitude"], required=True)
    event_type = classify(row)
    deaths = "/".join(row.get(k, "").strip() or "?" for k in ("low", "best", "high"))
    notes = [
        f"UCDP deaths low/best/high: {deaths} (all parties)",
        f"UCDP dyad: {row['side_a'] or '-'} vs {row['side_b'] or '-'} "
        f"(type_of_violence {row.get('type_of_violence') or '?'})",
    ]
    data: dict[str, Any] = {
        "id": "ucdp:" + row["id"].strip(),
        "dataset": "ucdp",
        "event_type": event_type,
        "date_start": start,
        "date_end": end,
        "date_precision": date_prec,
        "location": row["where_coordinates"],
        "country": country,
        "admin1": row.get("adm_1") or None,
        "geo_precision": where_prec,
        "latitude": lat,
        "longitude": lon,
        "weapons": ["unknown"],
        "sources": sources_of(row, end),
        "notes": "\n".join(notes),
    }
    return chk.build(
        data,
        record=ctx.record(n),
        today=ctx.today,
        check_country=where_prec not in NO_COUNTRY_CHECK,
        lat_raw=row["latitude"],
    )


def read(ctx: ReadContext) -> Iterator[Item]:
    csvfile = open_csv_for(ctx, REQUIRED_COLUMNS, "UCDP GED")
    return csv_items(ctx, csvfile, lambda n, row: convert(ctx, n, row))


FORMAT = Format(
    name="ucdp",
    description="UCDP Georeferenced Event Dataset (GED) CSV",
    extensions=(".csv", ".tsv", ".txt"),
    signature=frozenset({"where_prec", "date_prec"}),
    read=read,
)
