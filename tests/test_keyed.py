"""Scoring against a hand-read key (``geo evaluate --key``): matching by distance, country and
window; field accuracy; the seed key gives 1.0; the real-world key is well formed."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from geo.errors import DataFileError
from geo.extract.keyed import (
    KeyedAttack,
    evaluate_key,
    field_right,
    haversine_km,
    load_key,
    matches,
)
from geo.extract.readers import read_any, stated_date
from geo.model import WEAPONS, Incident
from geo.paths import ARTICLES_DIR, ROOT

SEED_KEY = ROOT / "benchmarks" / "realworld" / "seed_key.json"
REAL_KEY = ROOT / "benchmarks" / "realworld" / "key.json"
ASAD = (33.78567, 42.44117)


def _incident(**kw: object) -> Incident:
    base: dict[str, object] = {
        "id": "x",
        "event_type": "attack",
        "date_start": date(2024, 1, 28),
        "date_end": date(2024, 1, 28),
        "date_precision": 1,
        "location": "Al-Asad",
        "country": "IRQ",
        "geo_precision": 1,
        "latitude": ASAD[0],
        "longitude": ASAD[1],
        "weapons": ["drone"],
        "sources": [{"article": "a", "published": "2024-01-29", "quote": "q"}],
    }
    base.update(kw)
    return Incident.model_validate(base)


def _keyed(**kw: object) -> KeyedAttack:
    base: dict[str, object] = {
        "country": "IRQ",
        "date_start": date(2024, 1, 28),
        "date_end": date(2024, 1, 28),
        "weapons": frozenset({"drone"}),
        "latitude": ASAD[0],
        "longitude": ASAD[1],
        "tolerance_km": 15.0,
    }
    base.update(kw)
    return KeyedAttack(**base)  # type: ignore[arg-type]


def test_haversine_is_right_on_a_known_distance() -> None:
    # one degree of latitude is about 111.2 km
    assert haversine_km(33.0, 42.0, 34.0, 42.0) == pytest.approx(111.2, abs=0.2)


@pytest.mark.parametrize(
    ("incident", "keyed", "expected"),
    [
        ({}, {}, True),
        ({"latitude": ASAD[0] + 0.1}, {}, True),  # 11 km: within a base's 15 km
        ({"latitude": ASAD[0] + 0.2}, {}, False),  # 22 km: too far for a base
        ({"latitude": ASAD[0] + 0.2}, {"tolerance_km": 25.0}, True),  # a town's tolerance
        (
            {"date_start": date(2024, 1, 20), "date_end": date(2024, 1, 21), "date_precision": 2},
            {},
            False,
        ),
        ({"latitude": None, "longitude": None, "geo_precision": 6}, {}, False),
        (
            {"latitude": None, "longitude": None, "geo_precision": 6},
            {"latitude": None, "longitude": None},
            True,
        ),
        (
            {"latitude": None, "longitude": None, "geo_precision": 6, "country": "SYR"},
            {"latitude": None, "longitude": None},
            False,
        ),
    ],
)
def test_matching(incident: dict, keyed: dict, expected: bool) -> None:
    assert matches(_incident(**incident), _keyed(**keyed)) is expected


@pytest.mark.parametrize(
    ("field", "incident", "keyed", "expected"),
    [
        ("date", {"date_end": date(2024, 1, 29), "date_precision": 2}, {}, True),
        ("date", {"date_end": date(2024, 1, 30), "date_precision": 2}, {}, False),
        ("weapons", {"weapons": ["unknown"]}, {"weapons": frozenset()}, True),
        ("weapons", {"weapons": ["drone", "rocket"]}, {}, False),
        ("killed", {}, {}, None),
        ("killed", {"killed_min": 3, "killed_max": 3}, {"killed": (3, 3)}, True),
        ("killed", {"killed_min": 0, "killed_max": 3}, {"killed": (3, 3)}, False),
        ("injured", {"injured_min": 34}, {"injured": (34, None)}, True),
        ("injured", {"injured_min": 0, "injured_max": 0}, {"injured": (0, 0)}, True),
        ("injured", {}, {"injured": (0, 0)}, False),
    ],
)
def test_field_accuracy(field: str, incident: dict, keyed: dict, expected: bool | None) -> None:
    assert field_right(field, _incident(**incident), _keyed(**keyed)) is expected


def test_seed_key_scores_one() -> None:
    metrics = evaluate_key(SEED_KEY, ARTICLES_DIR)
    assert metrics["keyed"] == 10
    assert metrics["recall"] == 1.0 and metrics["precision"] == 1.0
    assert all(v == 1.0 for v in metrics["fields"].values()), metrics["fields"]


def test_a_spurious_and_a_missed_attack_are_counted(tmp_path: Path) -> None:
    (tmp_path / "a1.txt").write_text(
        " date 2024-02-05\nA drone attack targeted US forces at Al-Asad airbase on Saturday. "
        "Separately, rockets hit the Conoco gas field in Syria on Sunday.\n",
        encoding="utf-8",
    )
    key = {
        "articles": [
            {
                "id": "a1",
                "published": "2024-02-05",
                "attacks": [
                    {
                        "country": "IRQ",
                        "lat": ASAD[0],
                        "lon": ASAD[1],
                        "date_start": "2024-02-03",
                        "date_end": "2024-02-03",
                        "weapons": ["drone"],
                    },
                    {
                        "country": "JOR",
                        "lat": None,
                        "lon": None,
                        "date_start": "2024-02-03",
                        "date_end": "2024-02-03",
                        "weapons": [],
                    },
                ],
            }
        ]
    }
    (tmp_path / "key.json").write_text(json.dumps(key), encoding="utf-8")
    m = evaluate_key(tmp_path / "key.json", tmp_path)
    assert (m["keyed"], m["extracted"], m["matched"]) == (2, 2, 1)
    assert m["recall"] == 0.5 and m["precision"] == 0.5
    (article,) = m["by_article"]
    assert len(article["missed"]) == 1 and "JOR" in article["missed"][0]
    assert len(article["spurious"]) == 1 and "SYR" in article["spurious"][0]


def test_a_key_naming_a_missing_text_is_an_error(tmp_path: Path) -> None:
    key = {"articles": [{"id": "nope", "published": "2024-02-05", "attacks": []}]}
    (tmp_path / "key.json").write_text(json.dumps(key), encoding="utf-8")
    with pytest.raises(DataFileError, match="no such text file"):
        evaluate_key(tmp_path / "key.json", tmp_path)


def test_a_malformed_casualty_range_is_an_error(tmp_path: Path) -> None:
    bad = {"country": "IRQ", "date_start": "2024-02-03", "date_end": "2024-02-03", "killed": 3}
    key = {"articles": [{"id": "a", "published": "2024-02-05", "attacks": [bad]}]}
    (tmp_path / "key.json").write_text(json.dumps(key), encoding="utf-8")
    with pytest.raises(DataFileError, match=r"expected \[min, max\]"):
        load_key(tmp_path / "key.json")


def test_the_real_world_key_is_well_formed() -> None:
    """Every keyed article has a URL, an outlet, a split; every attack a country of the atlas,
    a window, known weapons; a third or more is held aside."""
    doc = json.loads(REAL_KEY.read_text(encoding="utf-8"))
    articles = load_key(REAL_KEY)
    assert len(articles) >= 40
    for raw, a in zip(doc["articles"], articles, strict=True):
        assert raw["url"].startswith("http"), a.id
        assert a.outlet and a.split in ("dev", "holdout"), a.id
        for k in a.attacks:
            assert k.country in ("IRQ", "SYR", "JOR"), a.id
            assert k.date_start <= k.date_end <= a.published, a.id
            assert k.weapons <= set(WEAPONS), a.id
    holdout = sum(a.split == "holdout" for a in articles)
    assert holdout * 3 >= len(articles) - 2
    assert len({a.outlet for a in articles}) >= 10


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (" date 2024-02-03 Drones hit on Saturday", date(2024, 2, 3)),
        ("WASHINGTON, Feb. 3, 2024 (Wire) — Drones", date(2024, 2, 3)),
        ("Baghdad, 29th January 2024: Drones", date(2024, 1, 29)),
        ("Published 29 Jan 2024\nDrones hit", date(2024, 1, 29)),
        ("On 28 January 2024, a drone struck the base.", None),  # an event date, not a dateline
        ("A drone struck the base on Saturday.", None),
    ],
)
def test_stated_date(text: str, expected: date | None) -> None:
    assert stated_date(text)[0] == expected


def test_cli_reads_a_dateline_of_plain_text(tmp_path: Path) -> None:
    p = tmp_path / "story.txt"
    p.write_text("BAGHDAD, Feb. 5, 2024 (Wire) - Drones hit Al-Asad on Saturday.", "utf-8")
    article = read_any(p)
    assert article.published == date(2024, 2, 5)
    assert "Feb. 5" not in article.text and "Saturday" in article.text
