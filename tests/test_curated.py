"""The curated seed incidents: valid, sourced verbatim, pinned through the gazetteer."""

from __future__ import annotations

from datetime import date

import pytest

from geo.articles import read_articles
from geo.gazetteer import Gazetteer
from geo.io.geojson import read_incidents
from geo.model import Incident, incident_id, legacy_incident_id
from geo.paths import ARTICLES_DIR, INCIDENTS_GEOJSON

INCIDENTS = read_incidents(INCIDENTS_GEOJSON)
ARTICLES = read_articles(ARTICLES_DIR)
GAZ = Gazetteer.load()


def test_the_five_seed_articles_are_bundled() -> None:
    assert len(ARTICLES) == 5
    assert {a.published for a in ARTICLES.values()} == {
        date(2023, 11, 7),
        date(2023, 11, 6),
        date(2023, 11, 11),
        date(2024, 8, 6),
        date(2023, 11, 22),
    }


@pytest.mark.parametrize("inc", INCIDENTS, ids=lambda i: i.id)
def test_every_quote_occurs_in_its_article(inc: Incident) -> None:
    for src in inc.sources:
        article = ARTICLES[src.article]
        assert src.quote in article.text, f"{inc.id}: quote not in {src.article}: {src.quote!r}"
        assert src.published == article.published


@pytest.mark.parametrize("inc", INCIDENTS, ids=lambda i: i.id)
def test_ids_are_derived_from_content(inc: Incident) -> None:
    """Curated ids were derived by the rule of store schema version 2 (type, window, place) and
    are kept as published: stores and briefings name them."""
    place = inc.site_id or inc.location.strip().lower()
    assert inc.id == legacy_incident_id(
        inc.event_type, inc.date_start, inc.date_end, place, inc.country
    )
    assert inc.id != incident_id(inc)  # today's rule would add the sources


@pytest.mark.parametrize("inc", INCIDENTS, ids=lambda i: i.id)
def test_nothing_happens_after_it_is_reported(inc: Incident) -> None:
    assert inc.date_end <= min(s.published for s in inc.sources)


@pytest.mark.parametrize("inc", INCIDENTS, ids=lambda i: i.id)
def test_pins_come_from_the_gazetteer(inc: Incident) -> None:
    if inc.site_id is not None:
        site = GAZ.get(inc.site_id)
        assert (inc.latitude, inc.longitude) == (site.latitude, site.longitude)
        assert inc.country == site.country
    elif inc.located:
        # a point that is not a site's must say it is approximate and point at a known place
        assert inc.geo_precision >= 2
        assert any((s.latitude, s.longitude) == (inc.latitude, inc.longitude) for s in GAZ)
    else:
        assert inc.geo_precision >= 4, "unlocated incidents say how coarse their place is"


# What the five articles report, read by hand: (site, start, end, weapons).
EXPECTED_ATTACKS = [
    ("al_asad", "2023-10-17", "2023-10-18", {"drone", "rocket"}),
    ("al_tanf", "2023-10-17", "2023-10-18", {"drone", "rocket"}),
    ("al_tanf", "2023-10-30", "2023-11-06", {"drone"}),
    ("mosul", "2023-11-09", "2023-11-09", {"ied"}),
    ("harir", "2023-11-09", "2023-11-09", {"drone"}),
    ("al_asad", "2023-11-09", "2023-11-09", {"drone"}),
    ("al_asad", "2023-11-15", "2023-11-22", {"ballistic_missile"}),
    ("tower_22", "2024-01-01", "2024-01-31", {"unknown"}),
    ("al_asad", "2024-08-05", "2024-08-05", {"rocket"}),
    (None, "2023-10-30", "2023-11-06", {"drone"}),  # "two bases in Iraq": unlocated
]


def test_every_reported_attack_is_there_once() -> None:
    attacks = [
        (i.site_id, i.date_start.isoformat(), i.date_end.isoformat(), set(i.weapons))
        for i in INCIDENTS
        if i.event_type == "attack"
    ]
    for expected in EXPECTED_ATTACKS:
        assert attacks.count(expected) == 1, expected
    assert len(attacks) == len(EXPECTED_ATTACKS)


AGGREGATES = [
    "around 40 times",
    "over 150 times",
    "over 180 attacks",
    "45 US soldiers",
    "Terminal High Altitude",
    "evacuated from the base",
]


@pytest.mark.parametrize("phrase", AGGREGATES)
def test_no_incident_rests_on_an_aggregate_or_non_attack(phrase: str) -> None:
    for inc in INCIDENTS:
        for src in inc.sources:
            assert phrase not in src.quote, (inc.id, phrase)


def test_article_errors_do_not_move_pins() -> None:
    """Seed 002 says 'Ain al-Asad in Baghdad': the pin stays in Anbar and the note says why."""
    inc = next(i for i in INCIDENTS if i.site_id == "al_asad" and i.date_start == date(2023, 11, 9))
    assert inc.admin1 == "Anbar" and "Anbar" in (inc.notes or "")
    assert inc.location == "Ain al-Asad in Baghdad"


def test_nothing_from_acled_is_bundled() -> None:
    """ACLED's terms forbid redistributing its rows: the bundled file is our own reading only."""
    assert {i.dataset for i in INCIDENTS} == {"atlas"}


def test_response_links_point_at_attacks() -> None:
    by_id = {i.id: i for i in INCIDENTS}
    links = [i for i in INCIDENTS if i.responds_to]
    assert links, "the AC-130 strike answers the ballistic missile strike on Al-Asad"
    for strike in links:
        assert strike.event_type == "us_strike"
        target = by_id[strike.responds_to]
        assert target.event_type == "attack"
        assert target.date_start <= strike.date_end
