"""Extraction of incidents from news text (geo.extract).

(a) The five seed articles: every curated attack comes back with the same site, date window and
    weapons; nothing comes from aggregates or non-attacks; ``evaluate`` gives attack recall 1.0.
(b) PHRASINGS: one table of short texts written for these tests (not taken from the seeds), each
    with its publication date and what must be extracted -- or ``NONE``.
(c) Merging across articles, readers (seed, text, HTML), the CLI module and the benchmark.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from geo.articles import Article, read_articles
from geo.extract import extract_articles, extract_text
from geo.extract.cli import main as cli_main
from geo.extract.dates import find_dates
from geo.extract.evaluate import compare, evaluate, format_table
from geo.extract.readers import html_to_text, read_any, read_html, read_text
from geo.io.geojson import read_incidents
from geo.model import Incident
from geo.paths import ARTICLES_DIR, INCIDENTS_GEOJSON

ARTICLES = read_articles(ARTICLES_DIR)
CURATED = read_incidents(INCIDENTS_GEOJSON)
SEEDS = extract_articles(ARTICLES.values())

# --- (a) the seed articles --------------------------------------------------------------------


def _key(i: Incident) -> tuple[Any, ...]:
    return (i.event_type, i.site_id, i.country, i.date_start, i.date_end, frozenset(i.weapons))


@pytest.mark.parametrize(
    "curated", [i for i in CURATED if i.event_type == "attack"], ids=lambda i: i.id
)
def test_every_curated_seed_attack_is_extracted(curated: Incident) -> None:
    """Same site (or unlocated in the same country), same date window, same weapons."""
    assert _key(curated) in {_key(i) for i in SEEDS.incidents}


def test_seed_extraction_reproduces_the_curated_file() -> None:
    assert sorted(map(_key, SEEDS.incidents), key=str) == sorted(map(_key, CURATED), key=str)
    got = {i.id: i for i in SEEDS.incidents}
    for c in CURATED:
        if c.id in got:  # ids are derived from type, window and place
            e = got[c.id]
            assert (e.killed_min, e.killed_max, e.injured_min, e.injured_max) == (
                c.killed_min,
                c.killed_max,
                c.injured_min,
                c.injured_max,
            ), c.id
            assert e.claimed_by == c.claimed_by, c.id


AGGREGATE_AND_NON_ATTACK = [
    "around 40 times",
    "over 150 times",
    "over 180 attacks",
    "45 US soldiers",
    "Terminal High Altitude",
    "evacuated from the base",
    "2,500 troops",
    "multiple times in Iraq and Syria",
    "deployment of additional air defense",
    "has been targeted by Iranian-backed militants in the past",
]


@pytest.mark.parametrize("phrase", AGGREGATE_AND_NON_ATTACK)
def test_no_seed_incident_rests_on_an_aggregate_or_non_attack(phrase: str) -> None:
    for inc in SEEDS.incidents:
        for src in inc.sources:
            assert phrase not in src.quote, (inc.id, phrase)
    # listed as rejected, with a reason (a sentence naming no US forces is not even a candidate)
    assert any(phrase in r.quote for r in SEEDS.rejected) or phrase == "Terminal High Altitude"


def test_seed_sources_and_evidence_are_verbatim_sentences() -> None:
    for inc in SEEDS.incidents:
        for src in inc.sources:
            article = ARTICLES[src.article]
            assert src.quote in article.text and src.published == article.published
        evidence = SEEDS.evidence[inc.id]
        assert {"event_type", "date"} <= set(evidence) or "event_type" in evidence
        for quotes in evidence.values():
            for q in quotes:
                assert any(q in a.text for a in ARTICLES.values())


def test_seed_links_and_unlocated() -> None:
    by_id = {i.id: i for i in SEEDS.incidents}
    strikes = {i.id for i in SEEDS.incidents if i.event_type == "us_strike"}
    assert {x.strike_id for x in SEEDS.links} <= strikes
    ac130 = next(i for i in SEEDS.incidents if i.weapons == ("air_strike",))
    answered = [by_id[a] for a in SEEDS.responds_to(ac130.id)]
    assert [(a.site_id, a.weapons) for a in answered] == [("al_asad", ("ballistic_missile",))]
    assert ac130.located and ac130.site_id is None and ac130.geo_precision == 2
    unlocated = {u.location for u in SEEDS.unlocated}
    assert "two bases in Iraq (not named)" in unlocated
    assert all(not by_id[u.incident_id].located for u in SEEDS.unlocated)


def test_evaluate_gives_full_attack_recall() -> None:
    metrics = evaluate()
    assert metrics["by_event_type"]["attack"]["recall"] == 1.0
    assert metrics["overall"]["recall"] == 1.0 and metrics["overall"]["precision"] == 1.0
    assert set(metrics["fields"]) == {
        "site",
        "date_window",
        "weapons",
        "casualties",
        "claimant",
        "responds_to",
    }
    assert all(v == 1.0 for v in metrics["fields"].values())
    table = format_table(metrics)
    assert "attack" in table and "recall" in table and "claimant" in table


def test_compare_counts_misses_and_spurious() -> None:
    attacks = [i for i in CURATED if i.event_type == "attack"]
    metrics = compare(attacks[:-1], attacks[1:])
    assert metrics["overall"]["matched"] == len(attacks) - 2
    assert len(metrics["missed"]) == 1 and len(metrics["spurious"]) == 1


# --- (b) the phrasing table -------------------------------------------------------------------

NONE = "no incident"

# (text, publication date, expected).  Expected keys: n (incidents, default 1), event_type,
# site, country, located, geo_precision, location (substring), date ("start" or "start..end"),
# precision, weapons (set), outcome, killed / injured ((min, max)), claimed_by, attributed_to,
# status.  Weekdays: 2023-11-11 Sat, 2024-08-05 Mon, 2024-08-06 Tue, 2024-01-10 Wed,
# 2024-02-10 Sat, 2023-11-21 Tue, 2023-11-09 Thu, 2024-01-29 Mon.
PHRASINGS: list[tuple[str, str, Any]] = [
    # dates: absolute
    (
        "Rockets struck Al-Asad Airbase between October 17 and 18.",
        "2023-11-07",
        {"site": "al_asad", "date": "2023-10-17..2023-10-18", "precision": 2},
    ),
    (
        "Drones hit the Al-Tanf garrison on October 17-18, wounding US troops.",
        "2023-11-07",
        {"site": "al_tanf", "date": "2023-10-17..2023-10-18", "weapons": {"drone"}},
    ),
    (
        "A one-way attack drone hit the Al-Tanf garrison on August 5, 2024, the Pentagon said.",
        "2024-08-07",
        {"date": "2024-08-05", "precision": 1, "weapons": {"drone"}, "status": "confirmed"},
    ),
    (
        "Rockets landed inside Harir Air Base on October 20th, wounding two US soldiers.",
        "2023-10-25",
        {"site": "harir", "date": "2023-10-20", "injured": (2, 2)},
    ),
    (
        "A drone attack on Al-Shaddadi on 5 August 2024 caused no casualties.",
        "2024-08-08",
        {"site": "shaddadi", "date": "2024-08-05", "killed": (0, 0), "injured": (0, 0)},
    ),
    (
        "Rockets hit Ain al-Asad on December 30, injuring one US service member.",
        "2024-01-05",
        {"site": "al_asad", "date": "2023-12-30", "injured": (1, 1)},
    ),
    (
        "Drones targeted Harir air base between October 30 and November 2.",
        "2023-11-06",
        {"site": "harir", "date": "2023-10-30..2023-11-02", "precision": 2},
    ),
    (
        "Rockets struck Ain al-Asad on Nov. 3, US officials said.",
        "2023-11-10",
        {"date": "2023-11-03", "status": "confirmed"},
    ),
    (
        "US troops at Conoco came under rocket fire in mid-October.",
        "2023-11-20",
        {"site": "conoco", "date": "2023-10-11..2023-10-20", "precision": 4, "weapons": {"rocket"}},
    ),
    (
        "Three US soldiers were killed in a January attack on Tower 22.",
        "2024-08-06",
        {"site": "tower_22", "date": "2024-01-01..2024-01-31", "precision": 4, "killed": (3, 3)},
    ),
    (
        "A drone struck a US base in Syria in January.",
        "2024-01-20",
        {"country": "SYR", "located": False, "date": "2024-01-01..2024-01-20", "precision": 4},
    ),
    # dates: relative to publication
    (
        "A drone attack targeted US forces at Tower 22 on Thursday.",
        "2023-11-11",
        {"site": "tower_22", "date": "2023-11-09", "precision": 1},
    ),
    (
        "Militants fired rockets at Al-Asad Airbase on Monday.",
        "2024-08-05",
        {"site": "al_asad", "date": "2024-08-05", "weapons": {"rocket"}},
    ),  # weekday = publication
    (
        "A drone struck Mission Support Site Conoco on Sunday.",
        "2024-08-05",
        {"site": "conoco", "date": "2024-08-04"},
    ),
    (
        "US forces at Al-Tanf were attacked last Thursday.",
        "2023-11-09",
        {"site": "al_tanf", "date": "2023-11-02"},
    ),
    (
        "Last week, a drone hit the Rumalyn Landing Zone in Syria.",
        "2024-08-06",
        {"site": "rumalyn", "date": "2024-07-29..2024-08-04", "precision": 3},
    ),
    (
        "Earlier this month, rockets targeted US troops at Green Village.",
        "2023-11-22",
        {"site": "green_village", "date": "2023-11-01..2023-11-22", "precision": 4},
    ),
    (
        "A rocket hit Erbil Air Base yesterday, US officials said.",
        "2024-02-10",
        {"site": "erbil", "date": "2024-02-09", "precision": 1, "status": "confirmed"},
    ),
    (
        "Drones targeted Al-Asad Airbase last night.",
        "2024-02-10",
        {"site": "al_asad", "date": "2024-02-09..2024-02-10", "precision": 2},
    ),
    (
        "A drone attack earlier this week targeted US forces at Al-Asad Airbase.",
        "2024-01-10",
        {"date": "2024-01-08..2024-01-10", "precision": 2},
    ),
    (
        "Two days ago a mortar round hit Green Village, the Pentagon said.",
        "2024-02-03",
        {"site": "green_village", "date": "2024-02-01", "weapons": {"mortar"}},
    ),
    (
        "A drone struck Al-Tanf on Sunday, the first attack there since October 17.",
        "2023-11-21",
        {"site": "al_tanf", "date": "2023-11-19"},
    ),
    (
        "Sunday's drone attack on Tower 22 killed three US soldiers.",
        "2024-01-29",
        {"site": "tower_22", "date": "2024-01-28", "killed": (3, 3), "weapons": {"drone"}},
    ),
    (
        "Rockets hit the Baghdad Diplomatic Support Center, wounding two US personnel.",
        "2024-01-10",
        {
            "site": "baghdad_airport",
            "date": "2024-01-08..2024-01-10",
            "precision": 2,
            "injured": (2, 2),
        },
    ),  # undated: the two days before publication
    # casualties
    (
        "21 US service members suffered minor injuries in drone attacks on Al-Asad Airbase on "
        "October 18.",
        "2023-11-07",
        {"injured": (21, 21), "killed": None},
    ),
    (
        "Three US soldiers were killed in a drone strike on Tower 22 on Sunday.",
        "2024-01-29",
        {"event_type": "attack", "killed": (3, 3), "injured": None},
    ),
    (
        "At least five US personnel were hurt in a rocket attack against Al-Asad Airbase on "
        "Monday.",
        "2024-08-06",
        {"injured": (5, None)},
    ),
    (
        "Several US service members were wounded when rockets hit Ain al-Asad on Sunday.",
        "2024-08-06",
        {"injured": (2, None)},
    ),
    (
        "A drone attack on Tower 22 on Sunday caused no casualties.",
        "2024-01-29",
        {"killed": (0, 0), "injured": (0, 0)},
    ),
    (
        "A rocket attack on Al-Tanf on Friday resulted in minor injuries to US troops.",
        "2024-08-06",
        {"injured": (1, None), "outcome": "impact"},
    ),
    (
        "Five US troops were wounded, one seriously, when a drone hit Harir Air Base on Saturday.",
        "2024-08-06",
        {"injured": (5, 5)},
    ),
    (
        "Between three and five US soldiers were injured when mortars struck Green Village on "
        "Tuesday.",
        "2024-08-08",
        {"injured": (3, 5), "weapons": {"mortar"}},
    ),
    (
        "More than 40 US service members were injured in the drone attack on Tower 22 on "
        "January 28.",
        "2024-02-01",
        {"injured": (41, None), "date": "2024-01-28"},
    ),
    (
        "No US personnel were hurt when a rocket landed near Erbil Air Base on Friday.",
        "2024-08-06",
        {"killed": (0, 0), "injured": (0, 0)},
    ),
    (
        "A roadside bomb struck a US logistics convoy near Baghdad airport on Monday, killing two "
        "Iraqi soldiers.",
        "2024-08-06",
        {"site": "baghdad_airport", "weapons": {"ied"}, "killed": None},
    ),
    (
        "One US soldier was seriously wounded in a mortar attack on Green Village on Sunday.",
        "2024-08-06",
        {"injured": (1, 1)},
    ),
    (
        "The attack on Al-Tanf on Monday left two American troops with traumatic brain injuries.",
        "2024-08-06",
        {"injured": (2, 2)},
    ),
    (
        "No injuries were reported after drones targeted Al-Shaddadi on Friday.",
        "2024-08-06",
        {"injured": (0, 0), "killed": (0, 0)},  # nobody hurt: nobody killed (issue 13)
    ),
    (
        "A dozen US troops were hurt in the rocket attack on Al-Asad Airbase on Saturday.",
        "2024-08-06",
        {"injured": (12, 12)},
    ),
    (
        "Seven coalition soldiers were wounded when a drone hit Erbil airport on Wednesday.",
        "2024-08-08",
        {"site": "erbil", "injured": (7, 7)},
    ),
    (
        "A drone attack targeted US forces at Al-Tanf on Sunday. Two US soldiers suffered minor "
        "injuries.",
        "2024-08-06",
        {"site": "al_tanf", "injured": (2, 2)},
    ),
    # weapons and outcome
    ("A UAV targeted Erbil Air Base on Friday.", "2024-08-06", {"weapons": {"drone"}}),
    (
        "Two Katyusha rockets hit Ain al-Asad on Thursday.",
        "2024-08-06",
        {"weapons": {"rocket"}, "outcome": "impact"},
    ),
    (
        "Iran fired short-range ballistic missiles at Al-Asad Airbase on Monday.",
        "2024-08-06",
        {"weapons": {"ballistic_missile"}},
    ),
    (
        "An improvised explosive device hit a US convoy near Mosul on Tuesday.",
        "2024-08-08",
        {"site": "mosul", "geo_precision": 2, "weapons": {"ied"}},
    ),
    (
        "Mortar rounds landed inside Green Village on Saturday.",
        "2024-08-06",
        {"weapons": {"mortar"}, "outcome": "impact"},
    ),
    (
        "Gunmen opened fire on a US patrol near Al-Shaddadi on Monday.",
        "2024-08-06",
        {"site": "shaddadi", "weapons": {"small_arms"}},
    ),
    (
        "US troops at Conoco came under small-arms fire on Friday.",
        "2024-08-06",
        {"weapons": {"small_arms"}},
    ),
    (
        "A drone and two rockets targeted Harir Air Base on Sunday.",
        "2024-08-06",
        {"weapons": {"drone", "rocket"}},
    ),
    (
        "A cruise missile struck the Union III base on Sunday.",
        "2024-08-06",
        {"site": "union_iii", "weapons": {"cruise_missile"}, "located": False, "geo_precision": 4},
    ),
    ("A missile hit Ain al-Asad on Monday.", "2024-08-06", {"weapons": {"unknown"}}),
    (
        "Artillery shelling targeted US forces at Tower 22 on Tuesday.",
        "2024-08-08",
        {"weapons": {"artillery"}},
    ),
    (
        "Drones targeting Al-Tanf on Sunday were shot down by US air defenses.",
        "2024-08-06",
        {"outcome": "intercepted", "weapons": {"drone"}},
    ),
    (
        "Two drones were intercepted as they approached Erbil Air Base on Monday.",
        "2024-08-06",
        {"outcome": "intercepted"},
    ),
    (
        "A rocket hit a hangar at Al-Asad Airbase on Tuesday, causing a fire.",
        "2024-08-08",
        {"outcome": "impact"},
    ),
    (
        "Of three drones launched at Harir Air Base on Friday, two were shot down and one hit a "
        "fuel depot.",
        "2024-08-06",
        {"outcome": "mixed"},
    ),
    (
        "A drone attack on Tower 22 on Sunday damaged living quarters.",
        "2024-01-29",
        {"outcome": "impact"},
    ),
    # places
    (
        "Rockets targeted Ayn al-Assad on Monday.",
        "2024-08-06",
        {"site": "al_asad", "geo_precision": 1, "admin1": "Anbar"},
    ),
    ("Rockets targeted US forces at At Tanf on Monday.", "2024-08-06", {"site": "al_tanf"}),
    ("A drone hit T22 on Sunday.", "2024-01-29", {"site": "tower_22", "country": "JOR"}),
    ("Drones targeted the Al-Asaad airbase on Friday.", "2024-08-06", {"site": "al_asad"}),
    (
        "Drones targeted the Rumeilan base on Friday.",
        "2024-08-06",
        {"site": "rumalyn"},
    ),  # misspelled: the gazetteer's guarded fuzzy match
    (
        "Rockets struck a US base near the town of Hit in Anbar on Monday.",
        "2024-08-06",
        {
            "site": None,
            "located": True,
            "geo_precision": 2,
            "country": "IRQ",
            "admin1": "Anbar",
            "location": "Hit",
        },
    ),
    (
        "A drone targeted US forces in Baghdad on Friday.",
        "2024-08-06",
        {"site": None, "located": True, "geo_precision": 3, "location": "Baghdad"},
    ),
    (
        "Rockets targeted a US outpost near the village of Tell Zaqqum in Syria on Sunday.",
        "2024-08-06",
        {"located": False, "country": "SYR", "geo_precision": 6, "location": "Tell Zaqqum"},
    ),
    (
        "A drone hit a US outpost near Suran in Syria on Monday.",
        "2024-08-06",
        {"located": False, "country": "SYR"},
    ),  # two towns of that name: not guessed
    (
        "Rockets targeted a US base near Sinjar in Iraq on Monday.",
        "2024-08-06",
        {"located": True, "country": "IRQ", "admin1": "Nineveh"},
    ),  # the Iraqi Sinjar
    (
        "A drone struck a US base in Syria on Monday.",
        "2024-08-06",
        {"located": False, "country": "SYR", "geo_precision": 6, "location": "US base in Syria"},
    ),
    (
        "On Tuesday rockets hit a coalition outpost in Deir ez-Zor province.",
        "2024-08-08",
        {"located": False, "country": "SYR", "admin1": "Deir ez-Zor", "geo_precision": 4},
    ),
    (
        "An IED struck a US patrol near Mosul Dam in Iraq on Thursday.",
        "2024-08-08",
        {"site": None, "located": False, "country": "IRQ", "location": "Mosul Dam"},
    ),
    (
        "Drones targeted Ain al-Asad in Baghdad on Thursday.",
        "2024-08-08",
        {"site": "al_asad", "admin1": "Anbar"},
    ),  # the article's wrong governorate is ignored
    ("Drones launched from Iraq struck Al-Tanf on Friday.", "2024-08-06", {"site": "al_tanf"}),
    (
        "Rockets targeted Camp Victory on Tuesday, wounding a US soldier.",
        "2024-08-08",
        {"site": "baghdad_airport", "injured": (1, 1)},
    ),
    (
        "Three Soldiers were killed in an attack on Tower 22, which supports the Al Tanf outpost.",
        "2024-02-01",
        {"n": 1, "site": "tower_22"},
    ),
    # claims, attribution, status
    (
        "Kataib Hezbollah claimed responsibility for Sunday's drone attack on Tower 22.",
        "2024-01-29",
        {"claimed_by": "Kataib Hezbollah", "status": "claimed"},
    ),
    (
        "The Islamic Resistance in Iraq said it launched drones at Harir Air Base on Monday.",
        "2024-08-06",
        {"claimed_by": "Islamic Resistance in Iraq", "site": "harir"},
    ),
    (
        "Iranian-backed militias targeted Al-Asad Airbase with rockets on Tuesday.",
        "2024-08-08",
        {"claimed_by": None, "attributed_to": "Iranian-backed militias", "status": "reported"},
    ),
    (
        "No group claimed responsibility for the rocket attack on Green Village on Friday.",
        "2024-08-06",
        {"claimed_by": None, "site": "green_village"},
    ),
    (
        "US officials blamed Kataib Hezbollah for the drone attack on Tower 22 on Sunday.",
        "2024-01-29",
        {"claimed_by": None, "attributed_to": "Kataib Hezbollah"},
    ),
    (
        "The Pentagon confirmed that a drone struck Al-Tanf on Sunday.",
        "2024-08-06",
        {"status": "confirmed", "claimed_by": None},
    ),
    (
        "The Islamic Resistance in Iraq claimed a drone attack on Erbil Air Base on Friday. "
        "CENTCOM confirmed the attack.",
        "2024-08-06",
        {"claimed_by": "Islamic Resistance in Iraq", "status": "confirmed"},
    ),
    # US strikes
    (
        "US forces conducted airstrikes on Kataib Hezbollah facilities in Jurf al-Sakhar on "
        "Wednesday.",
        "2024-01-26",
        {
            "event_type": "us_strike",
            "site": "jurf_al_sakhar",
            "weapons": {"air_strike"},
            "claimed_by": "US military",
        },
    ),
    (
        "In response, the US military launched retaliatory strikes against militia targets in "
        "Syria on Friday.",
        "2024-02-03",
        {"event_type": "us_strike", "country": "SYR", "located": False, "weapons": {"unknown"}},
    ),
    (
        "American F-15s struck militia positions near Albu Kamal on Monday.",
        "2024-08-06",
        {
            "event_type": "us_strike",
            "site": None,
            "located": True,
            "country": "SYR",
            "weapons": {"air_strike"},
        },
    ),
    (
        "CENTCOM said US aircraft struck an IRGC facility in eastern Syria on Saturday.",
        "2024-08-06",
        {
            "event_type": "us_strike",
            "claimed_by": "US Central Command",
            "status": "confirmed",
            "country": "SYR",
        },
    ),
    (
        "Rockets hit Ain al-Asad on Sunday, wounding two US soldiers. In response, US aircraft "
        "carried out strikes on militia sites in Iraq on Monday.",
        "2024-08-06",
        {"n": 2, "event_types": {"attack", "us_strike"}, "links": 1},
    ),
    # not incidents
    (
        "US forces in Iraq and Syria have been attacked more than 150 times since October 17.",
        "2024-02-03",
        NONE,
    ),
    (
        "There have been over 180 attacks on US troops since the start of the war.",
        "2024-02-03",
        NONE,
    ),
    ("Militants have targeted Al-Asad Airbase around 40 times this year.", "2024-02-03", NONE),
    ("Dozens of attacks have targeted US forces at Al-Tanf since October.", "2024-02-03", NONE),
    (
        "The attacks on Harir have continued repeatedly since mid-October, officials said.",
        "2023-11-20",
        NONE,
    ),
    (
        "The Pentagon announced the deployment of two more Patriot batteries to the region on "
        "Friday.",
        "2024-02-03",
        NONE,
    ),
    ("US-led forces were evacuated from Harir Air Base on October 20.", "2023-11-11", NONE),
    ("US troops were withdrawn from the Tower 22 outpost last month.", "2024-03-03", NONE),
    (
        "Kataib Hezbollah warned it would target US bases in Iraq if the strikes continue.",
        "2024-02-03",
        NONE,
    ),
    (
        "Defense Secretary Lloyd Austin condemned the attacks and said the US would respond.",
        "2024-02-03",
        NONE,
    ),
    ("Biden was briefed on the Tower 22 attack on Monday.", "2024-01-30", NONE),
    ("The US keeps some 2,500 troops in Iraq, and 900 more in Syria.", "2024-02-03", NONE),
    ("Iraq hosts 2,500 US troops at Al-Asad Airbase and Erbil Air Base.", "2024-02-03", NONE),
    ("Such drone attacks pose a serious threat to US personnel in the region.", "2024-02-03", NONE),
    (
        "Iran-backed groups could attack US forces at Al-Tanf in the coming days.",
        "2024-02-03",
        NONE,
    ),
    (
        "Syrian President Bashar al-Assad met Iranian officials in Damascus on Monday.",
        "2024-02-03",
        NONE,
    ),
    ("Syrian President Bashar al-Assad condemned US strikes on Friday.", "2024-02-03", NONE),
    ("Israel struck targets in Gaza on Sunday.", "2024-02-03", NONE),
    ("The drone attacks on US bases have been frequent in the past year.", "2024-02-03", NONE),
]


def _day(text: str) -> tuple[date, date]:
    start, _, end = text.partition("..")
    return date.fromisoformat(start), date.fromisoformat(end or start)


def _check(inc: Incident, expected: dict[str, Any]) -> None:
    checks = {
        "event_type": inc.event_type,
        "site": inc.site_id,
        "country": inc.country,
        "admin1": inc.admin1,
        "located": inc.located,
        "geo_precision": inc.geo_precision,
        "precision": inc.date_precision,
        "weapons": set(inc.weapons),
        "outcome": inc.outcome,
        "killed": None
        if inc.killed_min is None and inc.killed_max is None
        else (inc.killed_min, inc.killed_max),
        "injured": None
        if inc.injured_min is None and inc.injured_max is None
        else (inc.injured_min, inc.injured_max),
        "claimed_by": inc.claimed_by,
        "attributed_to": inc.attributed_to,
        "status": inc.status,
    }
    for key, want in expected.items():
        if key in ("n", "event_types", "links"):
            continue
        if key == "date":
            assert (inc.date_start, inc.date_end) == _day(want), key
        elif key == "location":
            assert want in inc.location, (key, inc.location)
        else:
            assert checks[key] == want, (key, checks[key], want)


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    PHRASINGS,
    ids=[f"{i:02d}-{t[:40]}" for i, (t, _, _) in enumerate(PHRASINGS)],
)
def test_phrasing(text: str, published: str, expected: Any) -> None:
    result = extract_text(text, date.fromisoformat(published))
    incidents = result.incidents
    if expected == NONE:
        assert incidents == [], [(i.event_type, i.site_id, i.location) for i in incidents]
        return
    assert len(incidents) == expected.get("n", 1), [(i.event_type, i.location) for i in incidents]
    if "event_types" in expected:
        assert {i.event_type for i in incidents} == expected["event_types"]
    if "links" in expected:
        assert len(result.links) == expected["links"]
    for inc in incidents if expected.get("n", 1) == 1 else ():
        _check(inc, expected)
        for src in inc.sources:
            assert src.quote in text  # sources are verbatim sentences
        if not inc.located:
            assert any(u.incident_id == inc.id for u in result.unlocated)


def test_a_place_known_nowhere_without_a_country_is_reported_not_guessed() -> None:
    result = extract_text("A drone hit a US base near Qasr Zubaydi on Monday.", date(2024, 8, 6))
    assert result.incidents == []
    assert [r.reason for r in result.rejected] == [
        "no country stated ('Qasr Zubaydi' is not in the site gazetteer or the town list)"
    ]


def test_evidence_names_the_sentence_of_each_field() -> None:
    first = "Rockets hit Al-Asad Airbase on Monday."
    second = "The Pentagon confirmed that three US soldiers were wounded in the attack."
    third = "Kataib Hezbollah claimed responsibility for the attack."
    result = extract_text(f"{first} {second} {third}", date(2024, 8, 6))
    (inc,) = result.incidents
    evidence = result.evidence[inc.id]
    assert evidence["location"] == [first] and evidence["date"] == [first]
    assert evidence["injured"] == [second] and evidence["status"] == [second]
    assert evidence["claimed_by"] == [third]
    assert (inc.injured_min, inc.status, inc.claimed_by) == (3, "confirmed", "Kataib Hezbollah")


def test_the_phrasing_table_is_large_and_varied() -> None:
    assert len(PHRASINGS) >= 80
    assert sum(e == NONE for _, _, e in PHRASINGS) >= 15


# --- dates: the windows themselves --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "published", "window", "kind"),
    [
        ("since October 17", "2023-11-22", "2023-10-17", "since"),
        ("last week’s killing", "2024-08-06", "2024-07-29..2024-08-04", "other"),
        ("“They struck today’s convoy”", "2024-08-06", "2024-08-06", "quoted"),
        ("in a recent attack", "2023-11-22", "2023-11-15..2023-11-22", "vague"),
        ("on December 25", "2023-12-01", "2022-12-25", "event"),
        ("on Saturday", "2023-11-11", "2023-11-11", "event"),
    ],
)
def test_date_kinds(text: str, published: str, window: str, kind: str) -> None:
    quoted = [(0, len(text))] if text.startswith("“") else []
    found = find_dates(text, date.fromisoformat(published), quoted)
    assert found, text
    d = found[0]
    assert ((d.window.start, d.window.end), d.kind) == (_day(window), kind)


@pytest.mark.parametrize(
    "text", ["August 5, 2024", "October 20th", "5 August 2024", "Oct. 7", "Thursday", "yesterday"]
)
def test_single_days_agree_with_dateparser(text: str) -> None:
    """Cross-check of the day forms dateparser reads the same way (publication Monday 5 August)."""
    import dateparser  # pinned in requirements.txt: never skipped

    published = date(2024, 8, 5)
    settings = {"RELATIVE_BASE": datetime(2024, 8, 5), "PREFER_DATES_FROM": "past"}
    theirs = dateparser.parse(text, languages=["en"], settings=settings).date()
    (ours,) = find_dates(text, published)
    assert ours.window.start == ours.window.end == theirs


def test_weekday_of_publication_is_the_publication_day_unlike_dateparser() -> None:
    """dateparser 1.5.0 reads "Monday" in a Monday article as the Monday before; we do not."""
    import dateparser  # pinned in requirements.txt: never skipped

    settings = {"RELATIVE_BASE": datetime(2024, 8, 5), "PREFER_DATES_FROM": "past"}
    assert dateparser.parse("Monday", languages=["en"], settings=settings).date() == date(
        2024, 7, 29
    )
    (ours,) = find_dates("on Monday", date(2024, 8, 5))
    assert ours.window.start == date(2024, 8, 5)


# --- (c) merging across articles ----------------------------------------------------------------


def test_reports_of_one_attack_from_two_articles_merge_into_one_incident() -> None:
    a = Article(
        "a",
        date(2024, 1, 29),
        "Three US soldiers were killed in a drone attack on Tower 22 on Sunday.",
    )
    b = Article(
        "b",
        date(2024, 1, 30),
        "A one-way attack drone struck Tower 22 in Jordan on "
        "January 28, killing four US service members, Kataib Hezbollah claimed.",
    )
    result = extract_articles([a, b])
    assert len(result.incidents) == 1
    inc = result.incidents[0]
    assert {s.article for s in inc.sources} == {"a", "b"}
    assert (inc.killed_min, inc.killed_max) == (3, 4)  # conflicting figures become a range
    assert inc.weapons == ("drone",) and inc.date_start == date(2024, 1, 28)


def test_different_weapons_or_dates_do_not_merge() -> None:
    a = Article("a", date(2024, 8, 6), "Rockets hit Al-Asad Airbase on Monday.")
    b = Article("b", date(2024, 8, 6), "Drones hit Al-Asad Airbase on Friday.")
    assert len(extract_articles([a, b]).incidents) == 2


# --- readers and the command line ---------------------------------------------------------------

HTML = """<!doctype html><html><head><title>Attack</title>
<meta property="article:published_time" content="2024-08-06T09:00:00Z">
<style>p { color: red }</style><script>var attack = "Al-Tanf";</script></head>
<body><nav>Home | World</nav><article><h1>Base hit</h1>
<p>Rockets hit Al-Asad Airbase on Monday, wounding five US personnel &amp; damaging a hangar.</p>
<p>The US has about 2,500 troops in Iraq.</p></article></body></html>"""


def test_html_reader_keeps_text_only(tmp_path: Path) -> None:
    text, published = html_to_text(HTML)
    assert published == date(2024, 8, 6)
    assert "color" not in text and "var attack" not in text and "Home | World" not in text
    assert "wounding five US personnel & damaging" in text
    page = tmp_path / "page.html"
    page.write_text(HTML, encoding="utf-8")
    article = read_html(page)
    result = extract_articles([article])
    assert [(i.site_id, i.date_start, i.injured_min) for i in result.incidents] == [
        ("al_asad", date(2024, 8, 5), 5)
    ]


def test_text_and_seed_readers(tmp_path: Path) -> None:
    plain = tmp_path / "note.txt"
    plain.write_text("A drone hit Tower 22 on Sunday.", encoding="utf-8")
    assert read_text(plain, date(2024, 1, 29)).published == date(2024, 1, 29)
    assert read_any(plain, date(2024, 1, 29)).id == "note"
    seed = next(iter(sorted(ARTICLES_DIR.glob("*.txt"))))
    assert read_any(seed) == ARTICLES[seed.stem]


def test_cli_extract_and_evaluate(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert cli_main(["extract", *map(str, sorted(ARTICLES_DIR.glob("*.txt")))]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) == len(CURATED)
    plain = tmp_path / "note.txt"
    plain.write_text("A drone hit Tower 22 on Sunday.", encoding="utf-8")
    assert cli_main(["extract", str(plain), "--published", "2024-01-29", "--details"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["features"][0]["properties"]["site_id"] == "tower_22"
    assert set(doc["extraction"]) == {"links", "unlocated", "rejected", "evidence", "rules"}
    assert cli_main(["extract", str(plain)]) == 2  # no date: an error, not a guess
    assert "--published" in capsys.readouterr().err
    assert cli_main(["evaluate"]) == 0
    assert json.loads(capsys.readouterr().out)["by_event_type"]["attack"]["recall"] == 1.0


def test_register_adds_both_commands() -> None:
    import argparse

    from geo.extract.cli import register

    parser = argparse.ArgumentParser()
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["extract", "x.txt", "--published", "2024-01-01"])
    assert args.published == date(2024, 1, 1) and callable(args.handler)
    assert callable(parser.parse_args(["evaluate"]).handler)


def test_benchmark_runs() -> None:
    import dateparser  # noqa: F401 - pinned in requirements.txt: never skipped

    from benchmarks.extract_bench import run

    result = run(repeat=1, rounds=1, baseline_repeat=1)
    assert result["extractor"]["articles_per_s"] > 0
    assert result["baseline_dateparser_search_dates"]["articles_per_s"] > 0
