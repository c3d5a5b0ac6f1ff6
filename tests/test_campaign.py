"""The bundled campaign (data/campaign.geojson, built by scripts/build_campaign.py from the
reviewed key data/campaign/attacks.json): sourced, never quoting a web page, one record per
attack, counted as data/campaign/summary.json says, covering the official tallies."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from geo.identity import likely_duplicate
from geo.io.geojson import read_bundled, read_incidents
from geo.model import SUMMARY_MARK, Incident
from geo.paths import ARTICLES_DIR, BUNDLED_GEOJSON, CAMPAIGN_GEOJSON, DATA_DIR, INCIDENTS_GEOJSON
from geo.store import open_store

CAMPAIGN = read_incidents(CAMPAIGN_GEOJSON)
SEEDS = read_incidents(INCIDENTS_GEOJSON)
SEED_IDS = {i.id for i in SEEDS}
KEY: list[dict[str, Any]] = json.loads((DATA_DIR / "campaign" / "attacks.json").read_text())
TALLIES: list[dict[str, Any]] = json.loads((DATA_DIR / "campaign" / "tallies.json").read_text())
SUMMARY: dict[str, Any] = json.loads((DATA_DIR / "campaign" / "summary.json").read_text())
#: the official tallies count from this day
CAMPAIGN_START = date(2023, 10, 17)
#: how a record says it is one of several attacks the reporting counts apart that day
SEPARATE = re.compile(r"Separate attack (\d+) of (\d+) the reporting counts here that day\.")


def _article_text(article: str) -> str | None:
    path = ARTICLES_DIR / f"{article}.txt"
    return " ".join(path.read_text(encoding="utf-8").split()) if path.exists() else None


def _key_of(inc: Incident) -> str:
    """The reviewed key's id of a campaign record (a record that took a seed's id names it)."""
    if inc.id.startswith("campaign:"):
        return inc.id.removeprefix("campaign:")
    found = re.search(r"\(campaign key ([^)]+)\)", inc.notes or "")
    assert found, f"{inc.id}: a seed id without its campaign key in the notes"
    return found.group(1)


def test_the_campaign_is_bundled_and_every_record_passes_the_model() -> None:
    assert CAMPAIGN_GEOJSON in BUNDLED_GEOJSON and INCIDENTS_GEOJSON in BUNDLED_GEOJSON
    assert len(CAMPAIGN) == len(KEY)  # read_incidents validated each one
    for inc in read_bundled():
        assert inc.review == "accepted" and inc.dataset == "atlas", inc.id


def test_every_record_rests_on_a_url_or_a_bundled_article() -> None:
    for inc in read_bundled():
        for s in inc.sources:
            assert s.url is not None or _article_text(s.article) is not None, (inc.id, s.article)


def test_no_campaign_quote_is_a_web_page_sentence() -> None:
    """A campaign source is a URL with its outlet and our marked summary; the only verbatim
    quotes are those of the seed records the campaign revises, from the bundled seed articles."""
    marked = 0
    for inc in CAMPAIGN:
        for s in inc.sources:
            if s.url is not None:
                assert s.quote.startswith(SUMMARY_MARK), (inc.id, s.quote)
                assert len(s.quote) > len(SUMMARY_MARK) + 10, inc.id
                assert s.outlet and s.article == s.url, inc.id
                marked += 1
            else:
                assert inc.id in SEED_IDS, (inc.id, s.article)
                text = _article_text(s.article)
                assert text is not None and " ".join(s.quote.split()) in text, (inc.id, s.quote)
    assert marked == sum(len(a["sources"]) for a in KEY)


def test_each_record_keeps_the_reviewed_values() -> None:
    by_key = {a["key"]: a for a in KEY}
    assert sorted(_key_of(i) for i in CAMPAIGN) == sorted(by_key)
    for inc in CAMPAIGN:
        a = by_key[_key_of(inc)]
        assert (inc.date_start.isoformat(), inc.date_end.isoformat()) == (
            a["date_start"],
            a["date_end"],
        )
        assert (inc.country, inc.status, inc.outcome) == (a["country"], a["status"], a["outcome"])
        assert (inc.claimed_by, inc.attributed_to) == (a["claimed_by"], a["attributed_to"])
        assert [inc.injured_min, inc.injured_max] == (a["us_injured"] or [None, None])
        assert [inc.killed_min, inc.killed_max] == (a["us_killed"] or [None, None])
        assert [s.url for s in inc.sources if s.url] == [s["url"] for s in a["sources"]]
        if a["site"]:
            assert inc.site_id == a["site"], inc.id
        assert inc.notes and ("Extracted from" in inc.notes or "Not found by" in inc.notes)


def test_unlocated_places_are_honest() -> None:
    """A base with no verified coordinate has no point; an unnamed place is coarse."""
    for inc in CAMPAIGN:
        if inc.site_id is None:
            assert not inc.located and inc.geo_precision >= 5, inc.id
            assert "not named" in inc.location, inc.id
        elif not inc.located:
            assert inc.geo_precision >= 4, inc.id
    rukban = [i for i in CAMPAIGN if i.site_id == "rukban_area"]
    assert rukban and not any(i.located for i in rukban)


def _pairs(records: list[Incident]) -> list[tuple[Incident, Incident]]:
    rows = [(i, i.model_dump()) for i in records]
    return [
        (a, b)
        for k, (a, ra) in enumerate(rows)
        for b, rb in rows[k + 1 :]
        if likely_duplicate(ra, rb) is not None
    ]


def test_no_two_records_are_the_same_attack() -> None:
    """Across everything a fresh store holds: two records at one place, in overlapping
    windows, with compatible weapons and figures are the same attack -- unless both say they
    are separate attacks the reporting counts apart that day (k and j of the same n)."""
    pairs = _pairs(read_bundled())
    for a, b in pairs:
        ma, mb = SEPARATE.search(a.notes or ""), SEPARATE.search(b.notes or "")
        assert ma and mb, f"{a.id} and {b.id} look like one attack"
        assert ma.group(2) == mb.group(2) and ma.group(1) != mb.group(1), (a.id, b.id)


def test_the_duplicate_check_can_fail() -> None:
    twin = CAMPAIGN[0].model_copy(update={"id": "campaign:twin", "notes": None})
    assert _pairs([CAMPAIGN[0], twin])


def _counts(records: list[Incident]) -> dict[str, Any]:
    months: dict[str, Counter[str]] = {}
    for i in records:
        months.setdefault(i.date_start.isoformat()[:7], Counter())[i.country] += 1
    return {
        "attacks": len(records),
        "by_country": dict(Counter(i.country for i in records)),
        "by_month": {m: sum(c.values()) for m, c in months.items()},
        "by_month_country": {m: dict(c) for m, c in months.items()},
        "by_status": dict(Counter(i.status for i in records)),
    }


def test_counts_match_the_committed_summary() -> None:
    assert all(i.event_type == "attack" for i in CAMPAIGN)
    assert _counts(CAMPAIGN) == SUMMARY["counts"]


def _ours(day: date, country: str, *, claims: bool = True) -> int:
    return sum(
        CAMPAIGN_START <= i.date_start <= day
        and i.country == country
        and (claims or i.status != "claimed")
        for i in CAMPAIGN
    )


def test_coverage_in_the_summary_is_computed_from_the_records() -> None:
    rows = SUMMARY["coverage"]
    assert [(r["date"], r["official"]) for r in rows] == [(t["date"], t["count"]) for t in TALLIES]
    for row in rows:
        day = date.fromisoformat(row["date"])
        for country, n in row["ours_by_country"].items():
            assert n == _ours(day, country), (row["date"], country)
            claim_only = _ours(day, country) - _ours(day, country, claims=False)
            assert row["ours_claim_only_by_country"][country] == claim_only


def test_coverage_of_the_29_january_2024_tally_is_at_least_80_percent() -> None:
    [tally] = [t for t in TALLIES if t["date"] == "2024-01-29" and t["counted_by"] == "DoD"]
    assert tally["by_country"] == {"IRQ": 66, "SYR": 98, "JOR": 1}
    assert tally["count"] == 165
    day = date(2024, 1, 29)
    for country, official in tally["by_country"].items():
        assert _ours(day, country) >= 0.8 * official, country


def test_the_2024_resumption_is_covered() -> None:
    months = Counter(i.date_start.isoformat()[:7] for i in CAMPAIGN)
    assert months["2024-07"] >= 1 and months["2024-08"] >= 1


def test_at_least_ten_outlets() -> None:
    outlets = {s.outlet for i in CAMPAIGN for s in i.sources if s.outlet}
    assert len(outlets) >= 10


def test_a_fresh_store_holds_both_bundled_files(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "atlas.sqlite"))
    try:
        assert [b.file_name for b in store.batches()] == [
            f"bundled:{p.name}" for p in BUNDLED_GEOJSON
        ]
        frame = store.frame()
        assert set(frame["id"]) == {i.id for i in read_bundled()}
        assert {i.id for i in CAMPAIGN} <= set(frame["id"])
        assert store.likely_duplicates() == []
    finally:
        store.close()


@pytest.mark.parametrize("site_id", ["camp_taji", "al_malikiyah", "himo", "khirbat_adana"])
def test_the_bases_the_reporting_names_are_sites(site_id: str) -> None:
    from geo.gazetteer import Gazetteer

    site = Gazetteer.load().get(site_id)
    assert any(i.site_id == site.id for i in CAMPAIGN)
