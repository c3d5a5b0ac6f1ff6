"""Build the bundled campaign (``data/campaign.geojson``) from the reviewed key, through our pipeline.

Run by a maintainer, never at app run time (the outputs are committed):

    python scripts/build_campaign.py --texts DIR

``DIR`` holds the report texts the key's sources name (``text_file``, seed format: a
`` date YYYY-MM-DD`` header, then the text).  They are excerpts of public web pages and are never
committed; nothing in the repository reads them but this script.

For each attack of the reviewed key (``data/campaign/attacks.json``) the extractor runs on each of
its reports; the extracted attack that matches it (same site -- or, for an attack without a site,
an extracted attack without a site in the same country -- and an overlapping date window) is the
candidate the reviewer judged.  The record keeps the reviewed values; its ``notes`` say how the
extraction did.  Writes:

- ``data/campaign.geojson``: one :class:`geo.model.Incident` per attack;
- ``data/campaign/summary.json``: counts by country and month, coverage against each official
  tally (``data/campaign/tallies.json``) at its date;
- ``benchmarks/realworld/campaign_pipeline.json``: how many attacks the extractor found in their
  own reports, and how often it agreed with the reviewer field by field.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script from a checkout
    sys.path.insert(0, str(ROOT))

from geo.articles import read_article  # noqa: E402
from geo.extract import extract_articles  # noqa: E402
from geo.extract.places import place_rules  # noqa: E402
from geo.gazetteer import Gazetteer  # noqa: E402
from geo.identity import likely_duplicate  # noqa: E402
from geo.io.geojson import dumps, read_incidents  # noqa: E402
from geo.model import DATE_PRECISION, SUMMARY_MARK, Incident, Source, parse_incident  # noqa: E402
from geo.paths import DATA_DIR, INCIDENTS_GEOJSON  # noqa: E402

CAMPAIGN_DIR = DATA_DIR / "campaign"
KEY_JSON = CAMPAIGN_DIR / "attacks.json"
TALLIES_JSON = CAMPAIGN_DIR / "tallies.json"
SUMMARY_JSON = CAMPAIGN_DIR / "summary.json"
CAMPAIGN_GEOJSON = DATA_DIR / "campaign.geojson"
PIPELINE_JSON = ROOT / "benchmarks" / "realworld" / "campaign_pipeline.json"

#: the first day the official tallies count from
CAMPAIGN_START = date(2023, 10, 17)
ID_PREFIX = "campaign:"

#: the key's unlocated places that name a base now in data/sites.csv (without a coordinate)
PLACE_SITES: dict[str, str] = {
    "Rukban (near al-Tanf)": "rukban_area",
    "Camp Taji": "camp_taji",
    "Al-Malikiyah base": "al_malikiyah",
    "Base near al-Khadra village (Syria)": "al_khadra",
    "Himo base (west of Qamishli airport)": "himo",
    "Base near Khirbat Adana (Hasakah)": "khirbat_adana",
}
#: the key's places that name no base: (location, geo_precision); no point
UNNAMED_PLACES: dict[str, tuple[str, int]] = {
    "Syria (not named)": ("Syria (not named)", 6),
    "Northeastern Syria (not named)": ("north-eastern Syria (not named)", 5),
}
#: the key's weapon words -> the model's vocabulary ("indirect fire": see :func:`weapons`)
WEAPON_WORDS: dict[str, str] = {
    "drone": "drone",
    "rocket": "rocket",
    "ballistic missile": "ballistic_missile",
    "unknown": "unknown",
}
#: fields the reviewer's record and the extractor's candidate are compared on
COMPARED = ("date window", "weapons", "outcome", "status", "claimant")


@dataclass(frozen=True)
class Found:
    """How the extractor did on one attack."""

    reports: int
    found_in: int
    disagreements: tuple[str, ...]  # fields of COMPARED the best candidate got wrong (or empty)


def date_precision(start: date, end: date) -> int:
    """The narrowest UCDP date precision that allows the window."""
    width = (end - start).days
    for code, (_, widest) in sorted(DATE_PRECISION.items()):
        if width <= widest:
            return code
    raise ValueError(f"a window of {width} days is wider than any date precision")


def weapons(listed: Sequence[str], texts: Sequence[str]) -> tuple[str, ...]:
    """The key's weapons in the model's words.  "indirect fire" is a rocket only when one of the
    attack's reports says rockets, otherwise it is not known."""
    out: list[str] = []
    says_rockets = any("rocket" in t.lower() for t in texts)
    for word in listed:
        if word == "indirect fire":
            mapped = "rocket" if says_rockets else "unknown"
        elif word in WEAPON_WORDS:
            mapped = WEAPON_WORDS[word]
        else:
            raise ValueError(f"weapon {word!r}: expected one of {sorted(WEAPON_WORDS)}")
        if mapped not in out:
            out.append(mapped)
    known = [w for w in out if w != "unknown"]
    return tuple(known) or ("unknown",)


def _range(value: Any) -> tuple[int | None, int | None]:
    if value is None:
        return None, None
    lo, hi = value
    return lo, hi


def place_fields(attack: dict[str, Any], gaz: Gazetteer) -> dict[str, Any]:
    """site_id, location, admin1, geo_precision and the point of an attack."""
    site_id = attack["site"] or PLACE_SITES.get(attack["place"])
    if site_id is not None:
        site = gaz.get(site_id)
        rules = place_rules()
        precision = (
            rules.site_precision.get(site.kind, rules.site_default_precision)
            if site.located
            else rules.no_coordinate_precision
        )
        return {
            "site_id": site.id,
            "location": site.name,
            "admin1": site.admin1,
            "geo_precision": precision,
            "longitude": site.longitude,
            "latitude": site.latitude,
        }
    if attack["place"] not in UNNAMED_PLACES:
        raise ValueError(
            f"attack {attack['key']}: place {attack['place']!r} is neither a site nor one of "
            f"{sorted(UNNAMED_PLACES)}"
        )
    location, precision = UNNAMED_PLACES[attack["place"]]
    return {"site_id": None, "location": location, "admin1": None, "geo_precision": precision}


def _overlap(a0: date, a1: date, b0: date, b1: date) -> bool:
    return a0 <= b1 and b0 <= a1


def matches(candidate: Incident, reviewed: Incident) -> bool:
    """The extracted attack the reviewer judged: same site (or, for an attack without a site, no
    site and the same country) and an overlapping date window."""
    if candidate.event_type != "attack" or not _overlap(
        candidate.date_start, candidate.date_end, reviewed.date_start, reviewed.date_end
    ):
        return False
    if reviewed.site_id is not None and reviewed.geo_precision < 4:
        return candidate.site_id == reviewed.site_id
    # a base without a coordinate: the extractor may name it, or leave the attack unplaced
    if candidate.site_id is not None:
        return candidate.site_id == reviewed.site_id
    return candidate.country == reviewed.country


def disagreements(candidate: Incident, reviewed: Incident) -> tuple[str, ...]:
    wrong = []
    if (candidate.date_start, candidate.date_end) != (reviewed.date_start, reviewed.date_end):
        wrong.append("date window")
    if set(candidate.weapons) != set(reviewed.weapons):
        wrong.append("weapons")
    if candidate.outcome != reviewed.outcome:
        wrong.append("outcome")
    if candidate.status != reviewed.status:
        wrong.append("status")
    if (candidate.claimed_by or None) != (reviewed.claimed_by or None):
        wrong.append("claimant")
    return tuple(wrong)


def _join(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def extraction_note(found: Found) -> str:
    """Our words on how the extraction did."""
    reports = f"{found.reports} report" + ("" if found.reports == 1 else "s")
    if found.found_in == 0:
        return f"Not found by the extractor in its {reports}; added by the reviewer."
    head = f"Extracted from {found.found_in} of {reports}"
    if not found.disagreements:
        return head + "; the reviewer kept the extracted values."
    return head + f"; the reviewer corrected the {_join(found.disagreements)}."


def build(
    key: list[dict[str, Any]], texts: Path, gaz: Gazetteer
) -> tuple[list[Incident], dict[str, Found]]:
    extracted: dict[str, list[Incident]] = {}  # text file -> its extracted incidents
    incidents: list[Incident] = []
    found: dict[str, Found] = {}
    marks = separate_marks(key)
    for attack in key:
        files = list(dict.fromkeys(s["text_file"] for s in attack["sources"]))
        for name in files:
            if name not in extracted:
                extracted[name] = extract_articles([read_article(texts / name)]).incidents
        raw_texts = [read_article(texts / name).text for name in files]
        killed, injured = _range(attack["us_killed"]), _range(attack["us_injured"])
        start, end = (
            date.fromisoformat(attack["date_start"]),
            date.fromisoformat(attack["date_end"]),
        )
        record: dict[str, Any] = {
            "id": ID_PREFIX + attack["key"],
            "dataset": "atlas",
            "event_type": "attack",
            "date_start": start,
            "date_end": end,
            "date_precision": date_precision(start, end),
            "country": attack["country"],
            **place_fields(attack, gaz),
            "weapons": weapons(attack["weapons"], raw_texts),
            "outcome": attack["outcome"],
            "damage": attack["damage"],
            "killed_min": killed[0],
            "killed_max": killed[1],
            "injured_min": injured[0],
            "injured_max": injured[1],
            "claimed_by": attack["claimed_by"],
            "attributed_to": attack["attributed_to"],
            "status": attack["status"],
            "sources": tuple(
                Source(
                    article=s["url"],
                    outlet=s["outlet"],
                    url=s["url"],
                    published=date.fromisoformat(s["published"]),
                    quote=SUMMARY_MARK + s["summary"],
                )
                for s in attack["sources"]
            ),
            "review": "accepted",
        }
        reviewed = parse_incident(record, attack["key"])
        hits = {name: [c for c in extracted[name] if matches(c, reviewed)] for name in files}
        candidates = [c for cs in hits.values() for c in cs]
        wrong = min((disagreements(c, reviewed) for c in candidates), key=len, default=())
        result = Found(len(files), sum(1 for cs in hits.values() if cs), wrong)
        found[reviewed.id] = result
        said = (attack["date_note"] or "").strip()
        if said and not said.endswith("."):
            said += "."
        note = " ".join(x for x in (said, marks.get(attack["key"]), extraction_note(result)) if x)
        incidents.append(parse_incident({**record, "notes": note}, attack["key"]))
    return incidents, found


def separate_marks(key: list[dict[str, Any]]) -> dict[str, str]:
    """For attacks the reporting counts apart at one place on one day (keys ``date-place-n``
    sharing ``date-place``): a sentence saying which of how many each is."""
    groups: dict[str, list[str]] = {}
    for attack in key:
        groups.setdefault(attack["key"].rsplit("-", 1)[0], []).append(attack["key"])
    return {
        k: f"Separate attack {n} of {len(keys)} the reporting counts here that day."
        for keys in groups.values()
        if len(keys) > 1
        for n, k in enumerate(keys, 1)
    }


def merge_seeds(incidents: list[Incident], seeds: Sequence[Incident]) -> list[Incident]:
    """A seed attack (``data/incidents.geojson``) that is one of the campaign's attacks (the
    store's likely-duplicate rule) is not bundled twice: the first campaign record it matches
    takes the seed's id -- so the campaign's batch revises the seed record -- and keeps the
    seed's sources (quotes from the bundled seed articles) before its own."""
    taken: set[str] = set()
    out = []
    for inc in incidents:
        row = inc.model_dump()
        seed = next(
            (
                s
                for s in seeds
                if s.event_type == "attack"
                and s.id not in taken
                and likely_duplicate(s.model_dump(), {**row, "id": "campaign"}) is not None
            ),
            None,
        )
        if seed is None:
            out.append(inc)
            continue
        taken.add(seed.id)
        articles = ", ".join(dict.fromkeys(s.article for s in seed.sources))
        note = (
            f"{inc.notes} This is also the seed record from article {articles}: it keeps that "
            f"record's id and sources, and the campaign's reporting revises its values "
            f"(campaign key {inc.id.removeprefix(ID_PREFIX)})."
        )
        merged = {**row, "id": seed.id, "sources": (*seed.sources, *inc.sources), "notes": note}
        out.append(parse_incident(merged, inc.id))
    return out


def _month(d: date) -> str:
    return d.isoformat()[:7]


def counts(incidents: Sequence[Incident]) -> dict[str, Any]:
    """Counts by country, by month (of the first day of the window), by both, and by status."""
    by_month: dict[str, Counter[str]] = {}
    for i in incidents:
        by_month.setdefault(_month(i.date_start), Counter())[i.country] += 1
    return {
        "attacks": len(incidents),
        "by_country": dict(sorted(Counter(i.country for i in incidents).items())),
        "by_month": {m: sum(c.values()) for m, c in sorted(by_month.items())},
        "by_month_country": {m: dict(sorted(c.items())) for m, c in sorted(by_month.items())},
        "by_status": dict(sorted(Counter(i.status for i in incidents).items())),
    }


def coverage(incidents: Sequence[Incident], tallies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """For each official tally: our attacks from 17 October 2023 to its date, by country, all
    and without the claim-only ones (status ``claimed``)."""
    rows = []
    for t in tallies:
        day = date.fromisoformat(t["date"])
        ours = [i for i in incidents if CAMPAIGN_START <= i.date_start <= day]
        countries = sorted(set(t.get("by_country") or {}) | {i.country for i in ours})
        rows.append(
            {
                "date": t["date"],
                "counted_by": t.get("counted_by"),
                "official": t["count"],
                "official_by_country": t.get("by_country") or {},
                "ours": len(ours),
                "ours_by_country": {c: sum(i.country == c for i in ours) for c in countries},
                "ours_claim_only_by_country": {
                    c: sum(i.country == c and i.status == "claimed" for i in ours)
                    for c in countries
                },
            }
        )
    return rows


def pipeline_report(incidents: Sequence[Incident], found: dict[str, Found]) -> dict[str, Any]:
    hit = [found[i.id] for i in incidents if found[i.id].found_in]
    return {
        "attacks": len(incidents),
        "found_by_extractor": len(hit),
        "reports": sum(f.reports for f in found.values()),
        "reports_where_found": sum(f.found_in for f in found.values()),
        "field_agreement_when_found": {
            field: sum(field not in f.disagreements for f in hit) for field in COMPARED
        },
        "match_rule": "same site (or no site and same country for an attack without a site) "
        "and an overlapping date window; the candidate agreeing on most fields is compared",
    }


def _write(path: Path, text: str) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--texts", required=True, type=Path, help="folder of the reports' texts")
    args = p.parse_args(argv)
    key = json.loads(KEY_JSON.read_text(encoding="utf-8"))
    tallies = json.loads(TALLIES_JSON.read_text(encoding="utf-8"))
    missing = sorted(
        {s["text_file"] for a in key for s in a["sources"]} - {x.name for x in args.texts.iterdir()}
    )
    if missing:
        print(f"{args.texts}: missing {len(missing)} texts, e.g. {missing[:3]}", file=sys.stderr)
        return 1
    built, by_key = build(key, args.texts, Gazetteer.load())
    incidents = merge_seeds(built, read_incidents(INCIDENTS_GEOJSON))
    found = {new.id: by_key[old.id] for old, new in zip(built, incidents, strict=True)}
    summary = {"counts": counts(incidents), "coverage": coverage(incidents, tallies)}
    pipeline = pipeline_report(incidents, found)
    _write(CAMPAIGN_GEOJSON, dumps(incidents) + "\n")
    _write(SUMMARY_JSON, json.dumps(summary, indent=1, ensure_ascii=False) + "\n")
    _write(PIPELINE_JSON, json.dumps(pipeline, indent=1) + "\n")
    c = summary["counts"]
    print(f"{c['attacks']} attacks -> {CAMPAIGN_GEOJSON.relative_to(ROOT)}")
    print("by country:", c["by_country"])
    print("by month:", c["by_month"])
    print("by status:", c["by_status"])
    print("coverage (tally date: official by country -> ours, of which claim-only):")
    for row in summary["coverage"]:
        print(
            f"  {row['date']} {row['official']} {row['official_by_country']} -> {row['ours']} "
            f"{row['ours_by_country']} claim-only {row['ours_claim_only_by_country']}"
        )
    print(
        f"extractor: found {pipeline['found_by_extractor']} of {pipeline['attacks']} attacks "
        f"({pipeline['reports_where_found']} of {pipeline['reports']} reports); "
        f"field agreement when found: {pipeline['field_agreement_when_found']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
