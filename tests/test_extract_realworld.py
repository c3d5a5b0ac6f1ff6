"""Phrasings of real reporting (issue 13's classes), written for these tests: each class of error
seen on real reports, by its grammar.  The table is read like ``tests/test_extract.py``'s: a row
is a text, its publication date, and what it must yield (``NONE``: no incident at all)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from geo.articles import Article
from geo.extract import extract_articles, extract_text
from tests.test_extract import _check

PHRASINGS: list[tuple[str, str, Any]] = [
    # 1. dates, numbers and clauses are never places
    (
        "Militants attacked the base at Al-Asad on Christmas Day, officials said.",
        "2023-12-27",
        {"site": "al_asad", "date": "2023-12-25"},
    ),
    (
        "On 28 January 2024, a drone struck Tower 22 in Jordan.",
        "2024-01-30",
        {"site": "tower_22", "date": "2024-01-28"},
    ),
    (
        "A rocket attack hit US forces at Al-Tanf on Saturday, injuring two service members "
        "who were treated for TBI.",
        "2024-02-05",
        {"site": "al_tanf", "date": "2024-02-03", "injured": (2, 2)},
    ),
    (
        "Drones targeted a US base in Syria on New Year's Eve.",
        "2024-01-02",
        {"country": "SYR", "located": False, "date": "2023-12-31"},
    ),
    # 2. one attack, told twice in one article, is one incident
    (
        "A drone struck Tower 22 on Sunday, killing three US soldiers. The attack in Jordan was "
        "the deadliest so far.",
        "2024-01-29",
        {"site": "tower_22", "killed": (3, 3)},
    ),
    (
        "Rockets hit the Conoco gas field on Friday. Officials said the rocket attack in Syria "
        "caused no injuries.",
        "2024-02-05",
        {"site": "conoco", "injured": (0, 0), "date": "2024-02-02"},
    ),
    (
        "A drone attack on Harir air base on Tuesday was repelled. In a separate attack in "
        "Iraq, rockets landed near a US patrol on Tuesday.",
        "2024-02-07",
        {"n": 2},
    ),
    # 3. days the text pins
    (
        "Rockets targeted Ain al-Asad air base yesterday, the Pentagon said.",
        "2024-02-05",
        {"site": "al_asad", "date": "2024-02-04"},
    ),
    (
        "A drone was shot down near Erbil airport on Saturday afternoon.",
        "2024-02-05",
        {"site": "erbil", "date": "2024-02-03", "outcome": "intercepted"},
    ),
    (
        "US forces at Al-Shaddadi were attacked with a drone last Friday.",
        "2024-02-05",
        {"site": "shaddadi", "date": "2024-02-02", "weapons": {"drone"}},
    ),
    (
        "A drone targeted the Rumalyn landing zone on Christmas Eve.",
        "2023-12-26",
        {"site": "rumalyn", "date": "2023-12-24"},
    ),
    (
        "Rockets were fired at the US base at Al-Omar oil field on New Year's Day.",
        "2024-01-03",
        {"site": "green_village", "date": "2024-01-01", "weapons": {"rocket"}},
    ),
    (
        "The Pentagon said on Tuesday that a drone had struck US forces at Al-Tanf.",
        "2024-02-06",
        {"site": "al_tanf", "date": "2024-02-05..2024-02-06"},
    ),
    (
        "A drone attack on the US base at Al-Tanf on Monday came days after militants fired "
        "rockets at the Green Village base.",
        "2024-02-05",
        {"n": 2},
    ),
    # 5. casualty figures, exactly
    (
        "The drone attack on Tower 22 on Sunday killed three U.S. soldiers and injured 47 others.",
        "2024-01-30",
        {"killed": (3, 3), "injured": (47, 47)},
    ),
    (
        "Rockets struck Al-Asad Airbase on Monday. There were no injuries.",
        "2024-02-06",
        {"injured": (0, 0)},
    ),
    (
        "The attack on Al-Asad air base on Monday did not inflict any casualties.",
        "2024-02-06",
        {"killed": (0, 0), "injured": (0, 0)},
    ),
    (
        "A drone hit Harir air base on Wednesday without resulting in any casualties.",
        "2024-02-08",
        {"killed": (0, 0), "injured": (0, 0)},
    ),
    (
        "A rocket attack on Ain al-Asad on Friday resulted in injuries to several US service "
        "members.",
        "2024-02-05",
        {"injured": (2, None)},
    ),
    (
        "A drone attack on Tower 22 on Sunday killed three American troops and wounded dozens "
        "of others.",
        "2024-01-29",
        {"killed": (3, 3), "injured": (24, None)},
    ),
    (
        "The US military initially assessed no casualties after a drone struck Al-Tanf on "
        "Friday, but two soldiers were later treated for concussions.",
        "2024-02-05",
        {"killed": None, "injured": (2, 2)},
    ),
    (
        "No American soldiers were injured when rockets hit the Conoco gas field on Sunday.",
        "2024-02-05",
        {"site": "conoco", "injured": (0, 0)},
    ),
    (
        "Several US troops were wounded in a drone attack on Al-Tanf on Friday.",
        "2024-02-05",
        {"injured": (2, None)},
    ),
    # 6. constructions
    (
        "The Islamic Resistance in Iraq announced the targeting of a US base in Al-Shaddadi "
        "with a drone on Thursday.",
        "2024-02-05",
        {"site": "shaddadi", "weapons": {"drone"}, "status": "claimed"},
    ),
    (
        "Militants fired rockets at the base at Kharab al-Jir on Monday.",
        "2024-02-06",
        {"site": "kharab_al_jir", "weapons": {"rocket"}},
    ),
    (
        "The Islamic Resistance in Iraq claimed responsibility for striking the Al-Asad base "
        "with ballistic missiles on 20 January 2024.",
        "2024-01-22",
        {"site": "al_asad", "weapons": {"ballistic_missile"}, "date": "2024-01-20"},
    ),
    (
        "An explosive-laden drone was shot down over Erbil International Airport on Wednesday.",
        "2024-02-08",
        {"site": "erbil", "weapons": {"drone"}},
    ),
    # datelines, headlines and reference points
    (
        "ERBIL, Kurdistan Region - A drone was shot down over Harir air base on Thursday.",
        "2024-02-09",
        {"site": "harir"},
    ),
    (
        "BAGHDAD, Jan 5 (Wire) - Rockets struck Ain al-Asad air base on Thursday.",
        "2024-01-05",
        {"site": "al_asad", "date": "2024-01-04"},
    ),
    (
        "WASHINGTON (Wire) - A drone hit US forces at Tower 22 on Sunday.",
        "2024-01-29",
        {"site": "tower_22", "date": "2024-01-28"},
    ),
    (
        "Drone Attack Targets US Base in Syria\nA drone targeted US forces at the Conoco gas "
        "field on Sunday.",
        "2024-02-05",
        {"site": "conoco"},
    ),
    (
        "A suicide drone hit Harir air base northeast of Erbil on Friday.",
        "2024-02-05",
        {"site": "harir"},
    ),
    (
        "An armed drone targeted al-Harir airbase near the regional capital, Erbil, on Saturday.",
        "2024-02-05",
        {"site": "harir"},
    ),
    (
        "Rockets hit the Harir Airport, also known as Bashur airbase, on Thursday.",
        "2024-02-05",
        {"site": "harir"},
    ),
    (
        "Drones targeted the Ain al-Asad base in Iraq's western Anbar province on Monday.",
        "2024-02-06",
        {"site": "al_asad"},
    ),
    (
        "Two drones hit a US base in Erbil province on Monday.",
        "2024-02-06",
        {"located": False, "admin1": "Erbil", "site": None},
    ),
    (
        "A drone struck the Tal Baydar base in Hasakah on Sunday.",
        "2024-02-05",
        {"site": "tell_baydar"},
    ),
    (
        "Drones hit the Khirab al-Jir base in the Rmelan countryside on Friday.",
        "2024-08-10",
        {"site": "kharab_al_jir"},
    ),
    # a new attack in a sentence that refers back to another
    (
        "Several US troops were wounded in a drone attack in Syria on Friday. The drone attack "
        "followed a rocket strike on Monday that hurt five US personnel at Ain al-Asad airbase.",
        "2024-08-10",
        {"n": 2},
    ),
    (
        "A rocket attack targeted US forces at Al-Asad on Monday. The storage area of the air "
        "base came under a drone attack in early January.",
        "2024-02-07",
        {"n": 2},
    ),
    (
        "A drone hit the Conoco gas field on Sunday, to which the US responded with airstrikes "
        "on militia sites near Al-Qaim.",
        "2024-02-05",
        {"site": "conoco"},
    ),
]

#: 4 and 6: background, tallies, other actors' bases, statements, other events: nothing at all
NOTHING: list[tuple[str, str]] = [
    (
        "US forces have been attacked more than 150 times since October. About 70 soldiers "
        "sustained mostly minor injuries in these attacks.",
        "2024-02-05",
    ),
    (
        "Militias have launched a flurry of drone and missile strikes on US bases since the "
        "outbreak of the conflict in early October.",
        "2024-02-05",
    ),
    (
        "The Shiite factions escalated their attacks on US bases in Iraq and Syria after the "
        "events of October 7th in Palestine.",
        "2023-12-15",
    ),
    (
        "US installations in Syria and Iraq have been attacked on more than a single occasion "
        "since last month.",
        "2023-11-18",
    ),
    (
        "Iran-aligned militias have struck coalition bases in Iraq and Syria over 100 times "
        "since mid-October.",
        "2024-01-10",
    ),
    ("Two drones hit a Peshmerga base in Erbil province on Monday.", "2024-02-06"),
    (
        "The Pentagon said it is tracking 59 U.S. personnel who received injuries in the TBI "
        "or non-serious categories.",
        "2023-11-14",
    ),
    ("Militia attacks against US forces were halted in February 2024.", "2024-03-01"),
    (
        "The deputy press secretary said on Tuesday that the US reserves the right to respond "
        "to attacks by Iran-backed groups.",
        "2023-11-14",
    ),
    ("Attacks on U.S. bases in Iraq, Jordan, and Syria during the Israel–Hamas war", "2024-03-01"),
    ("Pro-Iran groups have frequently targeted the Al-Asad air base since October.", "2024-02-05"),
    (
        "Officials warned that militias could target US bases in Syria in the coming days.",
        "2024-02-05",
    ),
    ("The United States has about 2,500 troops in Iraq and 900 in Syria.", "2024-02-05"),
    ("Hamas attacked Israel on October 7, killing about 1,200 people.", "2023-11-05"),
    ("The US embassy in Baghdad urged Americans to leave Iraq on Friday.", "2024-02-05"),
    (
        "Washington's strikes drew strong condemnation from the Iraqi government on Friday.",
        "2024-02-05",
    ),
    (
        "The group has claimed most of the similar attacks against US interests in Iraq since "
        "mid-October.",
        "2024-01-25",
    ),
    ("Attacks on American forces in the region escalated sharply last month.", "2024-02-05"),
    (
        "Kurdish officials said many attacks on US forces in Syria go unreported.",
        "2024-02-05",
    ),
    ("The militia repeatedly attacked US troops at Al-Tanf in January.", "2024-02-05"),
    (
        "Iraq's prime minister condemned the attack on Ain al-Asad airbase as a violation of "
        "sovereignty, and said US forces must leave.",
        "2024-01-22",
    ),
]


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    PHRASINGS,
    ids=[f"{i:02d}-{t[:40]}" for i, (t, _, _) in enumerate(PHRASINGS)],
)
def test_real_world_phrasing(text: str, published: str, expected: dict[str, Any]) -> None:
    result = extract_text(text, date.fromisoformat(published))
    attacks = [i for i in result.incidents if i.event_type == "attack"]
    n = expected.get("n", 1)
    assert len(attacks) == n, [(i.location, i.date_start, i.date_end) for i in attacks]
    if n == 1:
        _check(attacks[0], expected)
        assert all(s.quote in text for s in attacks[0].sources)


@pytest.mark.parametrize(
    ("text", "published"), NOTHING, ids=[f"{i:02d}-{t[:40]}" for i, (t, _) in enumerate(NOTHING)]
)
def test_real_world_non_incident(text: str, published: str) -> None:
    result = extract_text(text, date.fromisoformat(published))
    assert result.incidents == [], [(i.event_type, i.location) for i in result.incidents]


def test_the_table_is_large_enough() -> None:
    assert len(PHRASINGS) + len(NOTHING) >= 60 and len(NOTHING) >= 20


def test_a_us_strike_after_an_attack_is_not_an_attack() -> None:
    text = (
        "Pro-Iran parties pressed the government to expel coalition forces after an American "
        "drone strike last week targeted a militia headquarters in Baghdad."
    )
    result = extract_text(text, date(2024, 1, 10))
    assert [i.event_type for i in result.incidents] == ["us_strike"]


def test_two_reports_of_different_attacks_at_one_site_on_one_day_stay_apart() -> None:
    """8. A drone shot down in the morning and rockets that injured two in the evening, at one
    base on one day, reported by two articles, are two attacks."""
    a = Article(
        "a",
        date(2024, 2, 11),
        "A drone was shot down over Al-Asad air base on Saturday morning. There were no injuries.",
    )
    b = Article(
        "b",
        date(2024, 2, 11),
        "Rockets hit Al-Asad air base on Saturday evening, injuring two US service members.",
    )
    attacks = [i for i in extract_articles([a, b]).incidents if i.event_type == "attack"]
    assert sorted((tuple(i.weapons), i.injured_min) for i in attacks) == [
        (("drone",), 0),
        (("rocket",), 2),
    ]
