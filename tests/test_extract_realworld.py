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
        "The drone attack on Tower 22 on Sunday killed three U.S. troops and injured 47 others.",
        "2024-01-30",
        {"killed": (3, 3), "injured": (47, 47)},
    ),
    (
        "Rockets struck Al-Asad Airbase on Monday. There were no injuries.",
        "2024-02-06",
        {"injured": (0, 0)},
    ),
    (
        "The attack against Al-Asad air base on Monday did not inflict any casualties.",
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
        "A drone attack on Tower 22 on Sunday killed three American soldiers and wounded dozens "
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
        "Several US troops were wounded in Friday's drone attack on Al-Tanf.",
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
        "Kataib Hezbollah claimed responsibility for striking Al-Asad base "
        "with ballistic missiles on 20 January 2024.",
        "2024-01-22",
        {"site": "al_asad", "weapons": {"ballistic_missile"}, "date": "2024-01-20"},
    ),
    (
        "An explosive-laden drone was downed over Erbil International Airport on Wednesday.",
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
        "A suicide drone slammed into Harir air base northeast of Erbil on Friday.",
        "2024-02-05",
        {"site": "harir"},
    ),
    (
        "On Saturday, al-Harir airbase near the regional capital, Erbil, was targeted by an armed "
        "drone.",
        "2024-02-05",
        {"site": "harir"},
    ),
    (
        "Rockets hit the Harir Airport, which is also known as Bashur airbase, on Thursday.",
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
        "Several US troops were wounded in a drone attack in Syria on Friday. That drone strike "
        "followed a rocket attack on Monday that hurt five US personnel at Ain al-Asad airbase.",
        "2024-08-10",
        {"n": 2},
    ),
    (
        "A rocket attack targeted US forces at Al-Asad on Monday. The fuel depot at the air "
        "base had come under a drone attack in early January.",
        "2024-02-07",
        {"n": 2},
    ),
    (
        "A drone hit the Conoco gas field on Sunday, to which the US responded with airstrikes "
        "on militia sites near Al-Qaim.",
        "2024-02-05",
        {"site": "conoco"},
    ),
    # second pass: several attacks in one sentence or one timeline line, each an incident
    (
        "US troops in Syria were targeted in three separate drone attacks on Tuesday.",
        "2024-02-08",
        {"n": 3},
    ),
    (
        "Coalition forces in Iraq were attacked four times on Monday with drones and rockets, "
        "causing no casualties.",
        "2024-02-07",
        {"n": 4},
    ),
    (
        "Drones targeted two bases housing American troops in Syria on Sunday.",
        "2024-02-06",
        {"n": 2},
    ),
    (
        "Officials confirmed two separate drone attacks on Ain al-Asad air base, one late on "
        "Jan. 3 and the other on the morning of Jan. 5.",
        "2024-01-07",
        {"n": 2},
    ),
    (
        "Attacks so far:\n\nNOV. 12 – Rockets target a base housing US troops in Syria.\n\n"
        "DEC. 3 – A drone strikes US forces in Iraq, wounding one soldier.",
        "2024-01-10",
        {"n": 2},
    ),
    (
        "A drone struck the Conoco gas field. The attack on Sunday, which caused no injuries, "
        "came hours after rockets were fired at Ain al-Asad airbase on Saturday.",
        "2024-02-06",
        {"n": 2},
    ),
    # the attackers' home is not the attack's country; a launch point is not a target
    (
        "A drone attack on US troops in Jordan on Sunday was the latest by militia groups in "
        "Iraq and Syria.",
        "2024-01-29",
        {"country": "JOR", "located": False, "date": "2024-01-28"},
    ),
    (
        "Five rockets were fired at a US base in Syria on Sunday from a village near Zummar, a "
        "town north-west of Mosul.",
        "2024-04-22",
        {"country": "SYR", "located": False, "site": None},
    ),
    # the place given in the next sentence, or named in the sentence before
    (
        "A drone attack injured several US troops in Syria on Friday. The troops were based at "
        "the Rumalyn landing zone.",
        "2024-08-12",
        {"site": "rumalyn", "date": "2024-08-09", "injured": (2, None)},
    ),
    (
        "A drone attack wounded three US service members in northern Iraq on Christmas Day.\n"
        "The troops were posted in Erbil, Iraq, officials said.",
        "2023-12-27",
        {"site": "erbil", "date": "2023-12-25", "injured": (3, 3)},
    ),
    (
        "The defence minister visited Ain al-Asad air base on Friday. A source said the base "
        "had come under rocket fire on Thursday.",
        "2023-10-20",
        {"site": "al_asad", "date": "2023-10-19", "weapons": {"rocket"}},
    ),
    (
        "A rocket attack targeted a US facility in Baghdad on Tuesday. The embassy said rockets "
        "were launched at its support compound near Baghdad International Airport.",
        "2024-10-02",
        {"site": "baghdad_airport", "date": "2024-10-01"},
    ),
    # cues of read-outs and claims
    (
        "US defences downed a drone over Harir air base on Tuesday.",
        "2024-01-05",
        {"site": "harir", "date": "2024-01-02", "weapons": {"drone"}},
    ),
    (
        "A suicide drone was used to target the Conoco base on Friday, the group announced.",
        "2024-01-07",
        {"site": "conoco", "date": "2024-01-05"},
    ),
    (
        "U.S. forces in western Iraq engaged two drones, destroying one and causing minor "
        "injuries to coalition troops.",
        "2023-10-18",
        {"country": "IRQ", "located": False, "injured": (1, None)},
    ),
    (
        "On Saturday, Harir air base was attacked by the militia with drones and rockets.",
        "2023-11-06",
        {"site": "harir", "weapons": {"drone", "rocket"}},
    ),
    # dates: undated news, a day inside a month, other events' dates
    (
        "Rockets hit Ain al-Asad airbase, a US official said.",
        "2024-02-10",
        {"site": "al_asad", "date": "2024-02-08..2024-02-10"},
    ),
    (
        "Reuters reported another drone attack in October, this one on the barracks at Erbil air base "
        "on Oct 26.",
        "2023-12-26",
        {"site": "erbil", "date": "2023-10-26"},
    ),
    (
        "The blast was the newest in a string of attacks on US personnel since war broke out "
        "between Hamas and Israel on October 7. A drone then targeted Harir air "
        "base.",
        "2023-11-10",
        {"site": "harir", "date": "2023-11-08..2023-11-10"},
    ),
    (
        "A drone attack targeted Harir air base. Coalition troops had been at the site until "
        "October 20.",
        "2023-11-10",
        {"site": "harir", "date": "2023-11-08..2023-11-10"},
    ),
    (
        "A drone attack targeted US forces at Al-Asad airbase on Sunday. These attacks come after "
        "months of almost daily drone and rocket attacks by militias.",
        "2024-04-22",
        {"site": "al_asad", "weapons": {"drone"}},
    ),
    # a denied report is no attack; attacks the text sets apart from it still are
    (
        "Officials refuted reports of a drone attack on Harir air base on Saturday. Earlier in "
        "the week there were two separate attacks on Harir, one on Nov. 8 and the other on "
        "Nov. 9.",
        "2023-11-11",
        {"n": 2},
    ),
    # figures past a neutral sentence; injuries named by their state; shootings
    (
        "Suicide drones targeted the coalition base at Khirab al-Jir on Friday. This was preceded "
        "by heavy aircraft activity along the border. Early reports said that American soldiers "
        "were injured.",
        "2024-08-10",
        {"site": "kharab_al_jir", "injured": (1, None)},
    ),
    (
        "A drone crashed into the barracks at Erbil air base on Oct. 26 but did not explode. A "
        "service member suffered a concussion.",
        "2023-10-28",
        {"site": "erbil", "date": "2023-10-26", "injured": (1, 1)},
    ),
    (
        "Two US soldiers were killed on Saturday when their patrol came under fire from an armed "
        "man near Palmyra in Syria.",
        "2025-12-14",
        {"weapons": {"small_arms"}, "killed": (2, 2), "date": "2025-12-13"},
    ),
    (
        "A drone struck US forces at Erbil air base on Monday. There have been over 100 "
        "attacks on US troops since October. Monday’s attack wounded three US service members.",
        "2023-12-26",
        {"site": "erbil", "injured": (3, 3), "date": "2023-12-25"},
    ),
    (
        "Rockets were fired at Ain al-Asad airbase in late July. The base had come under attack "
        "from two drones the previous week as well.",
        "2024-08-06",
        {"n": 2},
    ),
    # clauses of one sentence reporting attacks of their own; one attack told twice by country
    (
        "US troops in Iraq and Syria were attacked three times on Friday; a drone attack in Syria "
        "wounded one soldier while two other attacks in Iraq failed to cause damage or injuries.",
        "2023-11-19",
        {"n": 3},
    ),
    (
        "US forces in Syria were attacked on Monday. A drone attack in Syria injured two "
        "soldiers, officials said.",
        "2024-02-07",
        {"country": "SYR", "located": False, "injured": (2, 2), "weapons": {"drone"}},
    ),
    (
        "Rockets hit Al-Asad air base on Monday; no one was hurt.",
        "2024-02-07",
        {"site": "al_asad", "injured": (0, 0), "killed": (0, 0)},
    ),
    (
        "A drone targeted Harir air base on Monday while officials met in Baghdad.",
        "2024-02-07",
        {"site": "harir", "date": "2024-02-05"},
    ),
    # a tally named beside a day's attack keeps later "the attacks"; an unknown base near a site
    (
        "Ballistic missiles and rockets hit Al-Asad airbase on Saturday. Saturday's attack was "
        "the biggest among more than 140 attacks on US forces since October. Drones carried out "
        "most of the attacks.",
        "2024-01-21",
        {"site": "al_asad", "weapons": {"ballistic_missile", "rocket"}},
    ),
    (
        "Two drones targeted the Victoria base of US forces near Baghdad International Airport "
        "on Monday.",
        "2026-03-03",
        {"location": "Victoria", "located": True, "geo_precision": 2, "date": "2026-03-02"},
    ),
    (
        "A few days ago, at least 5 US soldiers were hurt in a rocket attack against the "
        "Ain al-Asad base.",
        "2024-08-10",
        {"site": "al_asad", "date": "2024-08-03..2024-08-09", "injured": (5, None)},
    ),
    # "came two days after ...": before what the sentence before told; a 'following the attack'
    # with no US strike to link is read as the sentence's own
    (
        "Rockets hit Al-Asad air base in late July. Drones had hit the base the week before as "
        "well, the first attack since early February, when the militias announced a halt. That "
        "pledge came two days after a drone strike in Jordan killed three US soldiers.",
        "2024-08-06",
        {"n": 3},
    ),
    (
        "Explosions were heard at the Conoco base on Monday, following a rocket attack with "
        "three rockets landing near the base.",
        "2024-04-23",
        {"site": "conoco", "weapons": {"rocket"}, "date": "2024-04-22"},
    ),
    # a list of places; a landmark named after a town is not the town
    (
        "A few hours earlier, militants targeted US bases at Al-Tanf and Al Rukban on Wednesday.",
        "2023-12-14",
        {"n": 2},
    ),
    (
        "A US troop convoy was hit by a roadside bomb on Thursday in northern Iraq, near the "
        "Mosul dam.",
        "2023-11-10",
        {"located": False, "country": "IRQ", "site": None, "location": "Mosul dam"},
    ),
    # contractors beside US troops; a clause's own subject; a dated dateline's "today"
    (
        "Four US troops and a defense contractor were wounded in a rocket attack against Al-Asad "
        "air base on Monday.",
        "2024-08-06",
        {"site": "al_asad", "injured": (4, 5)},
    ),
    (
        "A gunman opened fire on US and Syrian forces near Palmyra on Saturday, wounding a number "
        "of US troops, while the gunman was killed.",
        "2025-12-14",
        {"killed": None, "injured": (2, None), "weapons": {"small_arms"}},
    ),
    (
        "DAMASCUS, 13th December, 2025 (Wire) -- Two US soldiers were killed today in an attack "
        "near the Syrian city of Palmyra.",
        "2025-12-14",
        {"killed": (2, 2), "date": "2025-12-13", "located": True, "country": "SYR"},
    ),
    # a claimed count of a day's attacks dates those it lists; "nobody was hurt"; a denial
    (
        "Two rockets landed near the US embassy in Baghdad on Wednesday night. Nobody was hurt.",
        "2024-01-05",
        {"killed": (0, 0), "injured": (0, 0), "date": "2024-01-03"},
    ),
    # weekday spans; a cue with no place, day or US forces continues the attack before it
    (
        "On Monday and Tuesday, drones targeted the Conoco gas field, officials said.",
        "2024-01-24",
        {"site": "conoco", "date": "2024-01-22..2024-01-23"},
    ),
    (
        "During the night of Wednesday into Thursday, drones struck Harir air base.",
        "2023-11-10",
        {"site": "harir", "date": "2023-11-08..2023-11-09"},
    ),
    (
        "Rockets were fired at the US embassy in Baghdad early on Friday, a security source said. "
        "Two rockets landed inside the compound and a third fell near the river. No casualties "
        "were reported.",
        "2023-12-09",
        {"killed": (0, 0), "injured": (0, 0), "date": "2023-12-08", "weapons": {"rocket"}},
    ),
    (
        "Kataib Hezbollah said it would suspend its operations against US forces. The "
        "announcement came three days after a drone attack killed three soldiers at a base in "
        "Jordan.",
        "2024-01-31",
        {"country": "JOR", "killed": (3, 3), "date": "2024-01-28"},
    ),
    # a statement's day is no event's; "no serious injuries" is not "no injuries"
    (
        "Militants fired a drone at the Rumalyn landing zone in Syria on Friday. Several US "
        "personnel suffered minor injuries in the strike, the Pentagon said on Monday, and one "
        "was evacuated for further treatment.",
        "2024-08-12",
        {"site": "rumalyn", "date": "2024-08-09", "injured": (2, None)},
    ),
    (
        "A drone hit US forces at the Rumalyn landing zone on Friday. Personnel were treated for "
        "minor injuries, but no serious injuries were reported.",
        "2024-08-12",
        {"site": "rumalyn", "injured": (1, None)},
    ),
    (
        "A drone attack targeted the US base at Kharab al-Jir in Hasakah on Tuesday. The base, "
        "also known as the Rmelan landing zone, hosts US troops. A US official said there were "
        "no injuries and no damage.",
        "2024-03-06",
        {"site": "kharab_al_jir", "injured": (0, 0), "killed": (0, 0)},
    ),
    # "No US forces were injured" is none, not one
    (
        "A rocket attack targeted Ain al-Asad air base on Monday, Iraqi security forces said. "
        "No US forces were injured.",
        "2024-02-06",
        {"site": "al_asad", "injured": (0, 0), "killed": (0, 0)},
    ),
    # "today" in what a statement of a named day says is that day
    (
        "In a statement on Tuesday, CENTCOM said that earlier today a drone attacked US forces "
        "at Tower 22.",
        "2024-01-31",
        {"site": "tower_22", "date": "2024-01-30"},
    ),
    (
        "“Earlier today, a one-way drone attacked US forces at Tower 22,” CENTCOM said in a "
        "statement on Tuesday.",
        "2024-01-31",
        {"site": "tower_22", "date": "2024-01-30"},
    ),
    (
        "A drone attacked US forces at Tower 22 yesterday, CENTCOM said on Tuesday.",
        "2024-01-31",
        {"site": "tower_22", "date": "2024-01-29"},
    ),
    # a leading date before "a base near X" describes nothing: X is the target
    (
        "On November 4, a helicopter base near the town of al-Shaddadi was attacked with drones.",
        "2023-11-06",
        {"site": "shaddadi", "date": "2023-11-04"},
    ),
    # an attack the text places nowhere is in the country the article names most
    (
        "Jordan's king met US officials on Sunday. A drone hit an air base housing US troops on "
        "Monday. Iraq's government condemned the attack. Iraq's parliament will debate the "
        "presence of foreign troops.",
        "2024-02-07",
        {"country": "IRQ", "located": False, "date": "2024-02-05"},
    ),
    # days said against the event just told, not against publication
    (
        "A drone attack hit Tower 22 in Jordan on Sunday. Rockets had targeted Ain al-Asad air "
        "base the previous day.",
        "2024-01-30",
        {"n": 2},
    ),
    (
        "Militants struck the Conoco gas field early on Thursday. A few hours earlier, the "
        "militants also targeted the US base at Al-Tanf.",
        "2023-12-15",
        {"n": 2},
    ),
    (
        "Rockets hit Al-Asad air base on Tuesday. On the same day, a drone targeted Harir air "
        "base.",
        "2024-01-12",
        {"n": 2},
    ),
    (
        "Ain al-Asad came under a drone attack the previous week.",
        "2024-01-12",
        {"site": "al_asad", "date": "2024-01-05..2024-01-11"},
    ),
    # casualty figures
    (
        "A drone attack killed three U.S. soldiers and wounded dozens in Jordan on Sunday.",
        "2024-01-29",
        {"country": "JOR", "killed": (3, 3), "injured": (24, None)},
    ),
    (
        "A one-way drone attack on Monday in Iraq left one US service member critically injured "
        "and wounded two other US personnel.",
        "2023-12-26",
        {"injured": (3, 3), "date": "2023-12-25"},
    ),
    (
        "Rockets were fired at Al-Asad air base on Monday. U.S. personnel were injured in the "
        "attack.",
        "2024-08-07",
        {"site": "al_asad", "injured": (1, None)},
    ),
    (
        "An armed drone targeted Al-Asad airbase on Sunday but caused no damage or injuries.",
        "2024-04-22",
        {"site": "al_asad", "killed": (0, 0), "injured": (0, 0)},
    ),
    (
        "Air defences shot down a drone over the Conoco base on Friday without any losses.",
        "2024-09-29",
        {"site": "conoco", "killed": (0, 0), "injured": (0, 0)},
    ),
    (
        "Three US troops were killed and many others were hurt in a drone attack on Sunday in "
        "Jordan near the Syrian border.",
        "2024-01-29",
        {"country": "JOR", "killed": (3, 3), "injured": (2, None)},
    ),
    (
        "A drone struck Tower 22 on Sunday, killing three US soldiers. The militias oppose the "
        "Gaza war, which has now killed more than 26,000 people, and blame the U.S. for it.",
        "2024-01-29",
        {"site": "tower_22", "killed": (3, 3)},
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
        "The Shiite factions stepped up attacks on US bases in Syria and Iraq following the "
        "October 7th events in Palestine.",
        "2023-12-15",
    ),
    (
        "American bases in Iraq and Syria were targeted on more than a single occasion since last "
        "month.",
        "2023-11-18",
    ),
    (
        "Iran-aligned militias have struck coalition bases in Iraq and Syria over 100 times "
        "since mid-October.",
        "2024-01-10",
    ),
    ("On Monday, a Peshmerga base in Erbil province was hit by two drones.", "2024-02-06"),
    (
        "The Pentagon said it is tracking 59 U.S. personnel who received injuries in the TBI "
        "or non-serious categories.",
        "2023-11-14",
    ),
    ("Militia attacks against US forces were halted in February 2024.", "2024-03-01"),
    (
        "The deputy press secretary said on Tuesday that Washington reserves the right to respond "
        "to any attack by Iran-backed groups.",
        "2023-11-14",
    ),
    (
        "List of attacks on American bases in Syria, Iraq and Jordan in the Israel–Hamas war",
        "2024-03-01",
    ),
    ("Pro-Iran groups have frequently targeted the Al-Asad air base since October.", "2024-02-05"),
    (
        "Officials warned that militias could target US bases in Syria in the coming days.",
        "2024-02-05",
    ),
    ("The United States keeps roughly 2,500 soldiers in Iraq and 900 in Syria.", "2024-02-05"),
    ("Hamas attacked Israel on October 7, killing about 1,200 people.", "2023-11-05"),
    ("The US embassy in Baghdad urged Americans to leave Iraq on Friday.", "2024-02-05"),
    (
        "Washington's strikes were strongly condemned by the Iraqi government on Friday.",
        "2024-02-05",
    ),
    (
        "The group has claimed most of the comparable attacks on US interests in Iraq since "
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
    # second pass
    (
        "A roadside bomb hit an Iraqi army convoy in Diyala on Monday, wounding four soldiers.",
        "2024-02-06",
    ),
    (
        "ISIS militants attacked an SDF checkpoint near Deir ez-Zor on Tuesday, killing three "
        "fighters.",
        "2024-03-07",
    ),
    (
        "Iraqi factions have carried out more than 170 attacks on US forces since October. Two "
        "of those attacks, on Ain al-Asad and Harir, caused injuries.",
        "2024-02-01",
    ),
    (
        "Kurdish officials denied on Saturday that a drone had struck Erbil airport, saying the "
        "blast came from a controlled detonation.",
        "2024-03-10",
    ),
    (
        "Militias claimed three attacks on Sunday against Israeli targets in the Golan.",
        "2024-01-15",
    ),
    (
        "Officials denied reports that Al-Asad air base was attacked by drones on Saturday.",
        "2024-02-05",
    ),
    (
        "Kurdish counter-terrorism officials refuted reports of a drone attack on Harir air base. "
        "Local outlets had said on Friday that drones targeted the base.",
        "2023-11-11",
    ),
    (
        "US-backed Syrian fighters attacked three government posts near Deir ez-Zor on Monday, "
        "killing nine gunmen.",
        "2024-08-12",
    ),
    (
        "Approximately 40 drone and rocket attacks have targeted US troops in Syria and Iraq "
        "since October 17.",
        "2023-11-10",
    ),
    (
        "This and several other US bases in Syria have repeatedly come under drone attack in "
        "recent months.",
        "2024-02-22",
    ),
    (
        "A Turkish drone struck a Kurdish position near US forces in northern Syria on Monday.",
        "2023-10-10",
    ),
    (
        "The coalition shot down a Turkish drone near American forces in Syria on Oct. 5.",
        "2023-11-05",
    ),
    (
        "The group joined the war after the October 17 Al-Ahli Hospital massacre by launching "
        "attacks on U.S. bases across Syria and Iraq.",
        "2023-11-06",
    ),
    (
        "Pro-Iran factions have carried out repeated attacks on coalition bases over the past "
        "few months.",
        "2024-03-01",
    ),
    (
        "Roughly 60 attacks have targeted coalition troops in Syria and Iraq since mid-October.",
        "2023-11-20",
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
        "Pro-Iran parties pressed the government to expel coalition forces after a US drone "
        "strike last week targeted a militia headquarters in Baghdad."
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


def _attacks(text: str, published: date) -> list[Any]:
    result = extract_text(text, published)
    return sorted(
        (i for i in result.incidents if i.event_type == "attack"), key=lambda i: i.date_start
    )


def test_a_timeline_dates_each_line_by_its_own_date() -> None:
    text = (
        "Attacks so far:\n\nNOV. 12 – Rockets target a base housing US troops in Syria.\n\n"
        "DEC. 3 – A drone strikes US forces in Iraq, wounding one soldier."
    )
    got = [(i.country, i.date_start, i.date_end) for i in _attacks(text, date(2024, 1, 10))]
    assert got == [
        ("SYR", date(2023, 11, 12), date(2023, 11, 12)),
        ("IRQ", date(2023, 12, 3), date(2023, 12, 3)),
    ]


def test_two_attacks_each_dated_by_the_sentence_are_apart_at_one_site() -> None:
    text = (
        "Officials confirmed two separate drone attacks on Ain al-Asad air base, one late on "
        "Jan. 3 and the other on the morning of Jan. 5."
    )
    got = [(i.site_id, i.date_start, i.date_end) for i in _attacks(text, date(2024, 1, 7))]
    assert got == [
        ("al_asad", date(2024, 1, 3), date(2024, 1, 3)),
        ("al_asad", date(2024, 1, 5), date(2024, 1, 5)),
    ]


def test_several_attacks_at_unnamed_places_are_numbered_and_share_the_figures() -> None:
    text = (
        "Coalition forces in Iraq were attacked four times on Monday with drones and rockets, "
        "causing no casualties."
    )
    attacks = _attacks(text, date(2024, 2, 7))
    assert sorted(i.location for i in attacks) == [
        f"Iraq (not named) (attack {n} of 4)" for n in range(1, 5)
    ]
    assert {(i.date_start, i.killed_max, i.injured_max) for i in attacks} == {
        (date(2024, 2, 5), 0, 0)
    }
    assert len({i.id for i in attacks}) == 4


def test_a_head_that_refers_back_keeps_its_facts_and_the_rest_is_the_earlier_attack() -> None:
    text = (
        "A drone struck the Conoco gas field. The attack on Sunday, which caused no injuries, "
        "came hours after rockets were fired at Ain al-Asad airbase on Saturday."
    )
    got = [
        (i.site_id, i.date_start, tuple(i.weapons), i.injured_max)
        for i in _attacks(text, date(2024, 2, 6))
    ]
    assert got == [
        ("al_asad", date(2024, 2, 3), ("rocket",), None),
        ("conoco", date(2024, 2, 4), ("drone",), 0),
    ]


def test_what_the_us_military_targeted_is_a_us_strike() -> None:
    text = (
        "The depots targeted by the U.S. military near Jurf al-Sakhar on Tuesday were used by "
        "Kataib Hezbollah to support attacks on US forces."
    )
    result = extract_text(text, date(2023, 11, 22))
    assert [i.event_type for i in result.incidents] == ["us_strike"]


@pytest.mark.parametrize(
    ("text", "published", "want"),
    [
        (
            "A drone attack hit Tower 22 in Jordan on Sunday. Rockets had targeted Ain al-Asad "
            "air base the previous day.",
            date(2024, 1, 30),
            {"tower_22": (date(2024, 1, 28),) * 2, "al_asad": (date(2024, 1, 27),) * 2},
        ),
        (
            "Militants struck the Conoco gas field early on Thursday. A few hours earlier, the "
            "militants also targeted the US base at Al-Tanf.",
            date(2023, 12, 15),
            {
                "conoco": (date(2023, 12, 14),) * 2,
                "al_tanf": (date(2023, 12, 13), date(2023, 12, 14)),
            },
        ),
        (
            "Rockets hit Al-Asad air base on Tuesday. On the same day, a drone targeted Harir "
            "air base.",
            date(2024, 1, 12),
            {"al_asad": (date(2024, 1, 9),) * 2, "harir": (date(2024, 1, 9),) * 2},
        ),
        (
            "Officials in Syria said drones hit the Conoco field on Monday. The Pentagon also "
            "confirmed a drone attack on US troops in Jordan the previous day.",
            date(2024, 1, 31),
            {"conoco": (date(2024, 1, 29),) * 2, None: (date(2024, 1, 28),) * 2},
        ),
    ],
)
def test_a_day_said_against_the_event_just_told(
    text: str, published: date, want: dict[str | None, tuple[date, date]]
) -> None:
    got = {i.site_id: (i.date_start, i.date_end) for i in _attacks(text, published)}
    assert got == want


def test_another_attack_added_in_passing_is_an_incident_of_its_own() -> None:
    text = (
        "Militants fired two rockets at Al-Asad air base on Thursday, along with another attack "
        "in Syria, US officials said, causing no injuries."
    )
    got = {
        (i.site_id, i.country, tuple(i.weapons), i.injured_max)
        for i in _attacks(text, date(2024, 8, 5))
    }
    assert got == {("al_asad", "IRQ", ("rocket",), 0), (None, "SYR", ("unknown",), 0)}


def test_clauses_reporting_attacks_of_their_own_are_each_read() -> None:
    text = (
        "US troops in Iraq and Syria were attacked three times on Friday; a drone attack in Syria "
        "wounded one soldier while two other attacks in Iraq failed to cause damage or injuries."
    )
    got = sorted(
        (i.country, i.weapons, i.injured_min, i.injured_max)
        for i in _attacks(text, date(2023, 11, 19))
    )
    assert got == [
        ("IRQ", ("unknown",), 0, 0),
        ("IRQ", ("unknown",), 0, 0),
        ("SYR", ("drone",), 1, 1),
    ]


def test_what_came_days_after_is_dated_before_what_was_told() -> None:
    text = (
        "Rockets hit Al-Asad air base in late July. Drones had hit the base the week before as "
        "well, the first attack since early February, when the militias announced a halt. That "
        "pledge came two days after a drone strike in Jordan killed three US soldiers."
    )
    jordan = [i for i in _attacks(text, date(2024, 8, 6)) if i.country == "JOR"]
    assert [(i.date_start, i.date_end, i.killed_min) for i in jordan] == [
        (date(2024, 1, 30), date(2024, 2, 8), 3)
    ]


def test_no_casualties_in_a_summary_of_the_days_attacks_covers_each_of_them() -> None:
    text = (
        "US troops in Syria and Iraq were attacked four times on Thursday with drones, with no "
        "casualties. Two sites housing US troops in Syria were attacked. In Iraq, drones were "
        "launched at Ain al-Asad air base and at Erbil air base."
    )
    attacks = _attacks(text, date(2023, 11, 24))
    assert len(attacks) == 4
    assert {(i.killed_max, i.injured_max) for i in attacks} == {(0, 0)}


def test_each_place_takes_the_weapon_and_the_confirmation_the_text_gives_it() -> None:
    text = (
        "Iran-aligned militias claimed three attacks on Sunday. The Islamic Resistance in Iraq "
        "said it targeted the al-Omar oil field and the Conoco gas field in Syria with drones, "
        "and Harir air base in Erbil with a rocket.\nA US official confirmed the attack on "
        "Conoco, saying it caused no damage."
    )
    got = {
        (i.site_id, i.weapons, i.status, i.date_start) for i in _attacks(text, date(2024, 1, 15))
    }
    assert got == {
        ("conoco", ("drone",), "confirmed", date(2024, 1, 14)),
        ("green_village", ("drone",), "claimed", date(2024, 1, 14)),
        ("harir", ("rocket",), "claimed", date(2024, 1, 14)),
    }


@pytest.mark.parametrize(
    ("text", "published", "want"),
    [
        (
            "The group said it attacked the Ain al-Asad base with rockets at dawn on Monday, and "
            "the Harir base with a drone on Sunday evening.",
            date(2024, 1, 9),
            {("al_asad", ("rocket",), date(2024, 1, 8)), ("harir", ("drone",), date(2024, 1, 7))},
        ),
        (
            "U.S. troops in Syria came under attack twice on Wednesday. Officials said a rocket "
            "struck near the Conoco gas field, and hours later a drone was intercepted near the "
            "al-Tanf garrison. No injuries were reported in either attack.",
            date(2024, 1, 26),
            {
                ("conoco", ("rocket",), date(2024, 1, 24)),
                ("al_tanf", ("drone",), date(2024, 1, 24)),
            },
        ),
        (
            "Two drones targeted a base hosting US forces in Syria's Hasakah province on Friday. A "
            "second attack, with rockets, targeted the Shaddadi base later that day.",
            date(2024, 2, 10),
            {(None, ("drone",), date(2024, 2, 9)), ("shaddadi", ("rocket",), date(2024, 2, 9))},
        ),
        (
            "Yesterday there were two attacks: one on al-Asad, where a drone was shot down, and "
            "one on Erbil, which caused no damage.",
            date(2024, 1, 24),
            {
                ("al_asad", ("drone",), date(2024, 1, 23)),
                ("erbil", ("unknown",), date(2024, 1, 23)),
            },
        ),
        (
            "The group said it struck the Tanf base with drones on Wednesday and the Rukban base "
            "with a drone on Thursday.",
            date(2024, 1, 12),
            {("al_tanf", ("drone",), date(2024, 1, 10)), (None, ("drone",), date(2024, 1, 11))},
        ),
        (
            "A rocket attack on the Conoco base on Saturday followed drone attacks on the Omar base "
            "on Thursday and Friday, the Syrian Observatory said.",
            date(2024, 2, 5),
            {
                ("conoco", ("rocket",), date(2024, 2, 3)),
                ("green_village", ("drone",), date(2024, 2, 1)),
            },
        ),
        (
            "A helicopter base near the town of al-Shaddadi and the al-Harir Air Base were "
            "attacked by the militia with drones and rockets on November 4.",
            date(2023, 11, 6),
            {
                ("shaddadi", ("drone", "rocket"), date(2023, 11, 4)),
                ("harir", ("drone", "rocket"), date(2023, 11, 4)),
            },
        ),
    ],
)
def test_each_place_of_a_sentence_takes_its_own_clause(
    text: str, published: date, want: set[tuple[str | None, tuple[str, ...], date]]
) -> None:
    assert {(i.site_id, i.weapons, i.date_start) for i in _attacks(text, published)} == want


def test_no_injuries_in_either_attack_covers_both() -> None:
    text = (
        "U.S. troops in Syria came under attack twice on Wednesday. Officials said a rocket "
        "struck near the Conoco gas field, and hours later a drone was intercepted near the "
        "al-Tanf garrison. No injuries were reported in either attack."
    )
    assert {i.injured_max for i in _attacks(text, date(2024, 1, 26))} == {0}


def test_a_us_strike_is_not_where_the_attack_it_answers_was() -> None:
    text = (
        "On 2 February 2024, the United States launched airstrikes on targets in Iraq in "
        "retaliation for the Tower 22 drone attack, which killed three US soldiers."
    )
    result = extract_text(text, date(2024, 3, 1))
    assert [(i.event_type, i.site_id, i.country) for i in result.incidents] == [
        ("us_strike", None, "IRQ")
    ]


def test_a_days_attack_named_in_a_clause_of_its_own_gets_its_figure() -> None:
    text = (
        "Sunday’s attack on Tower 22 was the first to kill US troops since the war began. Eight "
        "service members were injured in Friday’s drone attack on Erbil, the Pentagon said, "
        "while Sunday’s strike wounded at least 34."
    )
    got = {(i.site_id, i.injured_min, i.injured_max) for i in _attacks(text, date(2024, 1, 30))}
    assert got == {("tower_22", 34, None), ("erbil", 8, 8)}


def test_the_rules_say_when_a_field_came_from_a_places_own_clause() -> None:
    text = (
        "The group said it attacked the Ain al-Asad base with rockets at dawn on Monday, and the "
        "Harir base with a drone on Sunday evening."
    )
    result = extract_text(text, date(2024, 1, 9))
    harir = next(i for i in result.incidents if i.site_id == "harir")
    assert "in this place's clause" in result.rules[harir.id]["date"]
    assert "in the clause naming this place" in result.rules[harir.id]["weapons"]


def test_a_strike_its_forces_conducted_is_a_us_strike() -> None:
    text = (
        "US Central Command said its forces conducted a strike in Syria on Friday against an "
        "ISIS leader. No US forces were injured."
    )
    result = extract_text(text, date(2024, 6, 15))
    assert [i.event_type for i in result.incidents] == ["us_strike"]


def test_a_bulleted_timeline_with_colons_dates_each_line() -> None:
    text = (
        "Timeline of attacks on US forces:\n"
        "- Oct. 17: Drones target Ain al-Asad air base; no injuries.\n"
        "- Oct. 19: Rockets hit Al-Tanf garrison, injuring two.\n"
        "- Oct 20: A drone is shot down near Erbil airport.\n"
        "- 24 October: Two drones target the Conoco gas field."
    )
    got = [
        (i.site_id, i.date_start, i.weapons, i.injured_min, i.injured_max)
        for i in _attacks(text, date(2023, 10, 30))
    ]
    assert got == [
        ("al_asad", date(2023, 10, 17), ("drone",), 0, 0),
        ("al_tanf", date(2023, 10, 19), ("rocket",), 2, 2),
        ("erbil", date(2023, 10, 20), ("drone",), None, None),
        ("conoco", date(2023, 10, 24), ("drone",), None, None),
    ]


# --- generalisation: classes seen on reports the rules were not fitted to --------------------

#: (text, publication day, what the article's attacks must be: site or country per attack)
ROOTS: list[tuple[str, str, list[dict[str, Any]]]] = [
    # a US actor that is the object of the attack is not a striker
    (
        "A one-way drone launched against American and coalition troops struck the Al-Tanf "
        "garrison on Tuesday.",
        "2023-11-02",
        [{"site": "al_tanf", "date": "2023-10-31", "weapons": {"drone"}}],
    ),
    (
        "Two rockets fired at American troops hit the Conoco gas field on Friday.",
        "2024-02-05",
        [{"site": "conoco", "date": "2024-02-02"}],
    ),
    # a description ("a US-run base") is no place name; the headline's name is the body's place
    (
        "Militants strike US-run Al-Asad base with drones\n\n"
        "A large US-run military base in western Iraq came under a drone attack on Monday. The "
        "group said its drones hit their targets.",
        "2023-12-06",
        [{"site": "al_asad", "date": "2023-12-04", "weapons": {"drone"}}],
    ),
    (
        "Drones were launched at the US-occupied base in Syria on Saturday, the group said.",
        "2024-01-08",
        [{"country": "SYR", "located": False, "date": "2024-01-06"}],
    ),
    (
        "A US-operated outpost in Syria came under rocket fire on Thursday.",
        "2024-01-08",
        [{"country": "SYR", "located": False, "date": "2024-01-04"}],
    ),
    # a date inside a "since" clause, or of the war, is background: the attack keeps its own day
    (
        "Rockets hit the Conoco gas field on Monday. This marks the first attack against US "
        "forces since a pause in attacks declared by the groups back in early February.",
        "2024-04-23",
        [{"site": "conoco", "date": "2024-04-22"}],
    ),
    (
        "Three rockets targeted the US embassy compound in Baghdad on Friday. It marks the first "
        "strike against the American embassy in Iraq since the Gaza war began on Oct 7.",
        "2023-12-09",
        [{"country": "IRQ", "date": "2023-12-08"}],
    ),
    # a day run into its month ("28January") is still that day
    (
        "On 28January 2024 a drone struck Tower 22 in Jordan, killing three U.S. soldiers.",
        "2024-02-03",
        [{"site": "tower_22", "date": "2024-01-28", "killed": (3, 3)}],
    ),
    # an undated mention of the attack at a dated one's site, in one article, is that attack
    (
        "On 28 January 2024 a drone hit Tower 22 in Jordan. Three U.S. soldiers died.\n\n"
        "- Event: Tower 22 drone attack",
        "2024-02-20",
        [{"site": "tower_22", "date": "2024-01-28", "weapons": {"drone"}}],
    ),
    # counted US casualties are not US strikers ("3 U.S. soldiers killed")
    (
        "A drone hit Tower 22 in Jordan on Sunday.\n\n- Casualties: 3 U.S. service members killed "
        "and 40 wounded",
        "2024-01-30",
        [{"site": "tower_22", "date": "2024-01-28"}],
    ),
    # a site with no verified coordinate, in a town the text names: pinned at the town
    (
        "Rockets were fired at US forces near the Union III base in Baghdad on Friday.",
        "2023-12-09",
        [{"site": "union_iii", "located": True, "date": "2023-12-08"}],
    ),
    # ... and one article's town and that site, on one day, are one attack
    (
        "Rockets struck near the US embassy in Baghdad on Friday, causing no casualties.\n\n"
        "A US official said a rocket attack was launched at coalition forces near the Union III "
        "base on Friday.",
        "2023-12-09",
        [{"located": True, "date": "2023-12-08", "injured": (0, 0)}],
    ),
    # a date of another event ("the killings last week") does not date the attack
    (
        "Two rockets were fired towards Ain al-Asad air base.\n\nAt least five U.S. service "
        "members were hurt in an attack on a base in Iraq, amid anger after the killings last "
        "week of two militia commanders.\n\nOn Monday two rockets struck Ain al-Asad air base, "
        "officials said.",
        "2024-08-06",
        [{"site": "al_asad", "date": "2024-08-05", "injured": (5, None)}],
    ),
    # a weekday before a name is not part of it; a base "belonging to" someone "in" a known
    # place is in that place
    (
        "The group said it attacked last Sunday Al-Masir base belonging to US forces in Al-Omar "
        "oilfield in Syria.",
        "2024-02-05",
        [{"located": True, "geo_precision": 2, "date": "2024-02-04"}],
    ),
    # attacks told in general, then figures for "the attack": that one attack
    (
        "Officials had earlier said US troops in Jordan were attacked by an Iraqi militia. The "
        "Pentagon said the attack killed three American service members and wounded more than 40 "
        "others.",
        "2024-02-05",
        [{"country": "JOR", "killed": (3, 3), "injured": (41, None)}],
    ),
    # "two bases in Syria" and the two bases it then names: those two attacks, told together
    (
        "The group announced it had attacked two American bases in Syria with drones.\n\nIn a "
        "statement published on Saturday, it said it targeted the Al-Tanf base and the "
        "Al-Shaddadi base.",
        "2024-01-06",
        [{"site": "al_tanf", "weapons": {"drone"}}, {"site": "shaddadi", "weapons": {"drone"}}],
    ),
    # figures said of several attacks are not the figures of the one told
    (
        "Drones hit Al-Asad air base on Tuesday. Officials said 45 troops have been hurt in these "
        "attacks so far.",
        "2023-11-02",
        [{"site": "al_asad", "date": "2023-10-31", "injured": None}],
    ),
    # "a base in Syria" told twice in one article, once undated: one attack
    (
        "Eight US troops were hurt when a drone struck a base in Syria, the Pentagon "
        "revealed.\n\nOn Saturday, officials said, a drone targeted an American base in eastern "
        "Syria.",
        "2024-08-14",
        [{"country": "SYR", "located": False, "date": "2024-08-10", "injured": (8, 8)}],
    ),
    # the day something was disclosed dates the disclosure
    (
        "The Pentagon disclosed on Tuesday that a rocket attack hit a base in Syria.",
        "2024-08-14",
        [{"country": "SYR", "date": "2024-08-12..2024-08-13"}],
    ),
    # "Iraq's Baghdad" is Baghdad; "X in Syria's Y Province" is X, in Y
    (
        "On Friday three rockets were fired at the US embassy in Iraq's Baghdad.",
        "2023-12-09",
        [{"located": True, "country": "IRQ", "date": "2023-12-08"}],
    ),
    (
        "On Sunday five rockets targeted a US outpost by the al-Omar oil field in Syria's "
        "Dayr al-Zawr Province.",
        "2024-11-11",
        [{"site": "green_village", "date": "2024-11-10"}],
    ),
    # a misspelt site known with its kind of place ("the Coneco gas field"); militia "missiles"
    # of no type, with no other weapon, are rockets
    (
        "On Tuesday night the group fired a missile at a US base in the Coneco gas field in "
        "Syria, Iraqi militia sources said.",
        "2024-08-14",
        [{"site": "conoco", "date": "2024-08-13", "weapons": {"rocket"}}],
    ),
    (
        "Drones and missiles were fired at the Tanf garrison on Monday; the missiles hit their "
        "targets, the group said.",
        "2024-01-10",
        [{"site": "al_tanf", "weapons": {"drone"}}],
    ),
    # a week-wide day ("from the previous week"), then "the attack on Saturday": that Saturday
    (
        "The Pentagon disclosed on Tuesday that six US troops were hurt in a drone attack from "
        "the previous week on a base in Syria. The attack on Saturday was carried out by a drone.",
        "2024-08-14",
        [{"country": "SYR", "date": "2024-08-10", "injured": (6, 6)}],
    ),
    # what the US says it carried out is its strike, not a day of the attack told before it
    (
        "Earlier, drones targeted Harir air base. The Pentagon also confirmed on Thursday that it "
        "had carried out the strike that killed a militia commander.",
        "2024-01-06",
        [{"site": "harir", "date": "2024-01-04..2024-01-06"}],
    ),
    # "causing injuries" with no count: at least one -- when the hurt are ours
    (
        "Several drones on Tuesday targeted Ain al-Asad air base hosting US forces, causing "
        "injuries and damage, an official said.",
        "2024-01-17",
        [{"site": "al_asad", "injured": (1, None)}],
    ),
    (
        "Rockets hit near Ain al-Asad air base on Tuesday, causing injuries among Iraqi soldiers "
        "at a checkpoint.",
        "2024-01-17",
        [{"site": "al_asad", "injured": None}],
    ),
    # a named place in one country and unnamed ones in another: those are attacks too
    (
        "On Friday drones and rockets hit Ain al-Asad air base in the west of Iraq and two troop "
        "locations in Syria, with no casualties, officials said.",
        "2023-12-09",
        [
            {"site": "al_asad", "date": "2023-12-08", "injured": (0, 0)},
            {"country": "SYR", "located": False, "date": "2023-12-08", "injured": (0, 0)},
            {"country": "SYR", "located": False, "date": "2023-12-08", "injured": (0, 0)},
        ],
    ),
    # a base in the country of the named one is that one, not another attack
    (
        "On Friday rockets hit Ain al-Asad air base, a base in western Iraq, causing no damage.",
        "2023-12-09",
        [{"site": "al_asad", "date": "2023-12-08"}],
    ),
    # ... nor is an unnamed base of another country that only describes the named one
    (
        "Two soldiers were hurt in a drone attack on Tower 22 in Jordan on Sunday, which supports "
        "the US garrison in southern Syria.",
        "2024-01-30",
        [{"site": "tower_22", "injured": (2, 2)}],
    ),
    # "to target the air base" right after an attack on a named base: that attack's weapon
    (
        "An attack on Erbil Air Base on Monday injured three US troops. The group later claimed "
        "credit, saying it had used a one-way drone to target the air base.",
        "2023-12-27",
        [{"site": "erbil", "weapons": {"drone"}, "injured": (3, 3)}],
    ),
    # other verbs of attack
    (
        "A volley of rockets was unleashed on Ain al-Asad air base on Saturday, officials said.",
        "2024-01-22",
        [{"site": "al_asad", "date": "2024-01-20", "weapons": {"rocket"}}],
    ),
    (
        "Two drones slammed into the Tanf garrison late on Sunday.",
        "2024-01-22",
        [{"site": "al_tanf", "date": "2024-01-21", "weapons": {"drone"}}],
    ),
    # "none from either incident" covers each attack told; "no human or material losses"
    (
        "Drones attacked the al-Omar oil field base on Sunday evening.\n\n"
        "The Tanf garrison also came under a drone attack on Sunday. Luckily, no casualties were "
        "reported from either incident.",
        "2024-08-06",
        [{"site": "green_village", "injured": (0, 0)}, {"site": "al_tanf", "injured": (0, 0)}],
    ),
    (
        "A drone targeted Harir air base on Friday; the attack did not cause any human or "
        "material losses, the statement said.",
        "2024-01-08",
        [{"site": "harir", "killed": (0, 0), "injured": (0, 0)}],
    ),
    # a count of ours "and civilians" is at most that many of ours; with "at least five": 5-7
    (
        "Rockets hit Ain al-Asad air base on Monday. At least five US personnel were wounded, "
        "officials said. Another agency reported that seven service members and civilians were "
        "hurt.",
        "2024-08-06",
        [{"site": "al_asad", "injured": (5, 7)}],
    ),
]

#: texts with no attack on US forces at all (US strikes, tallies and background may be there)
ROOTS_NOTHING: list[tuple[str, str]] = [
    (
        "The Pentagon said American forces “carried out precise strikes on two facilities used "
        "by the militia in Iraq” on Monday.",
        "2023-12-26",
    ),
    (
        "US forces “conducted proportionate strikes on three sites used by the group in Syria” "
        "late on Friday, the secretary said.",
        "2024-02-04",
    ),
    # strikes of the US told in other voices and tenses
    (
        "Similar American strikes were launched in February against 85 sites in Syria in response "
        "to an attack which killed US troops.",
        "2024-11-11",
    ),
    (
        "The US has responded with two retaliatory strikes against militia targets in Syria.",
        "2023-11-15",
    ),
    (
        "On 2 February the U.S. started retaliatory strikes, hitting targets in Syria and Iraq.",
        "2024-02-20",
    ),
    # tallies and background
    (
        "Between Hamas's October 7 attacks and late January, militias fired rockets at US forces "
        "in Syria on 160 occasions.",
        "2024-02-20",
    ),
    (
        "Militias have fired on American troops in Iraq on more than 60 occasions since the war "
        "started on October 7.",
        "2024-01-05",
    ),
    # another force's losses at an unnamed base
    (
        "A big blast at a military base in Iraq on Saturday resulted in the death of one Iraqi "
        "security force member.",
        "2024-04-22",
    ),
    # figures for "the attacks" (plural) after attacks in general: still a tally
    (
        "US forces in Syria were attacked by militias. According to the Pentagon, the attacks "
        "wounded more than 40 service members.",
        "2024-02-05",
    ),
    # a US drone attack is a US strike
    ("An American drone attack on Thursday killed a militia commander.", "2024-01-06"),
    ("A US air raid late on Monday hit a weapons depot of the group.", "2024-01-06"),
    (
        "As of last Wednesday, 24 American personnel had been wounded in militia attacks, the "
        "command said.",
        "2023-10-30",
    ),
    ("Attacks on U.S. troops in Syria have been rising since the Gaza war began.", "2023-10-30"),
    # what someone planned is not an attack
    (
        "Officials said the commander was killed in a raid in Baghdad because he planned attacks "
        "against American troops in Iraq.",
        "2024-01-06",
    ),
    (
        "Officials said the cell had been plotting further attacks on US forces in Syria.",
        "2024-01-06",
    ),
    (
        "Last Wednesday, the US Central Command claimed responsibility for the attack that killed "
        "a militia leader in Baghdad.",
        "2024-02-10",
    ),
]


# --- session 6: precision on unseen reports (tallies, counted targets, scope, names) --------------

ROOTS += [
    # another country's target is not the atlas': only the Syrian bases are attacks
    (
        "The militia said on Sunday its drones hit two American bases in Syria and a port "
        "facility in Israel.",
        "2024-02-05",
        [{"country": "SYR", "located": False}, {"country": "SYR", "located": False}],
    ),
    # a counted target and the bases the article names: those attacks, nothing more
    (
        "On Monday the group claimed it had targeted two US bases in Syria. Drones struck the "
        "al-Tanf garrison and the Shaddadi base on Monday morning.",
        "2024-02-06",
        [{"site": "al_tanf", "date": "2024-02-05"}, {"site": "shaddadi", "date": "2024-02-05"}],
    ),
    # a place listed under "bases in Syria" is in Syria, whatever the town list says
    (
        "Fighters launched drones at three US bases in Syria on Sunday, including al-Tanf "
        "garrison as well as the Rukban camp.",
        "2024-02-05",
        [{"site": "al_tanf"}, {"country": "SYR", "located": False, "location": "Rukban"}],
    ),
    # a description before the name it goes by is no place of its own
    (
        "On Sunday a drone hit the so-called 'Support Point' outpost known as Tower 22, in Jordan.",
        "2024-01-29",
        [{"site": "tower_22", "date": "2024-01-28", "weapons": {"drone"}}],
    ),
    # an ordinal as what the attack told is ("marks the second ...") is that attack
    (
        "A drone struck the Rumalyn landing zone in Syria on Friday. This strike marks the "
        "second attack in a week that injured American troops.",
        "2024-08-13",
        [{"site": "rumalyn", "date": "2024-08-09"}],
    ),
    # a base another force holds is not ours; the attack on ours stays
    (
        "Rockets hit a US base in northeastern Syria on Sunday. That attack on US troops came "
        "one day later than a blast on Saturday that wrecked a military base in Iraq controlled "
        "by an Iran-aligned militia.",
        "2024-04-22",
        [{"country": "SYR", "located": False, "date": "2024-04-21"}],
    ),
    # an attack told as before the one just told: the week before it, never its day
    (
        "Several American troops were hurt when a drone hit the Rumalyn landing zone in Syria on "
        "Friday. A few days earlier, rockets struck Iraq's Ain al-Asad air base, wounding "
        "two soldiers.",
        "2024-08-12",
        [
            {"site": "al_asad", "date": "2024-08-02..2024-08-08", "injured": (2, 2)},
            {"site": "rumalyn", "date": "2024-08-09"},
        ],
    ),
    (
        "A drone hit the Rumalyn landing zone in Syria on Friday. That was the second strike on "
        "US forces within a week; a previous rocket attack on the Ain al-Asad air base had "
        "wounded two soldiers.",
        "2024-08-13",
        [
            {"site": "al_asad", "date": "2024-08-02..2024-08-08"},
            {"site": "rumalyn", "date": "2024-08-09"},
        ],
    ),
    # "about two weeks ago": around two weeks before the day written, not that day
    (
        "Officials said about two weeks ago a rocket hit the Ain al-Asad air base, wounding three "
        "American troops.",
        "2024-08-13",
        [{"site": "al_asad", "date": "2024-07-25..2024-08-05", "injured": (3, 3)}],
    ),
    # a contractor counted beside the troops after the verb: at most one more of ours
    (
        "A rocket strike on Ain al-Asad wounded three US soldiers and one American "
        "contractor on Monday.",
        "2024-08-07",
        [{"site": "al_asad", "date": "2024-08-05", "injured": (3, 4)}],
    ),
    # a bare singular "US base in Syria" in a headline is the base the body names
    (
        "Militia drones hit US base in Syria, wounding nine. On Tuesday a drone struck the "
        "al-Tanf garrison, wounding nine US troops.",
        "2024-02-08",
        [{"site": "al_tanf", "date": "2024-02-06", "injured": (9, 9)}],
    ),
    # another transliteration of Rmelan
    (
        "A drone struck the US base at Rumailan in northeastern Syria on Tuesday.",
        "2024-02-08",
        [{"site": "rumalyn", "date": "2024-02-06"}],
    ),
    # a claim said the day before the bases it counts are dated "this morning": the same story
    (
        "The militia announced on Monday that it had targeted two US bases in Syria. This "
        "morning drones struck the al-Tanf garrison and the Shaddadi base, officials said.",
        "2024-02-06",
        [{"site": "al_tanf", "date": "2024-02-06"}, {"site": "shaddadi", "date": "2024-02-06"}],
    ),
    # the day of a statement ("a statement issued on Monday") gives way to the attack's day
    (
        "A drone attack in Syria left several US troops with minor injuries, according to a "
        "Pentagon statement issued on Monday. The attack happened at the Rumalyn landing zone "
        "on Friday.",
        "2024-08-13",
        [{"site": "rumalyn", "date": "2024-08-09", "weapons": {"drone"}, "injured": (2, None)}],
    ),
    # "the second attack in seven days, following an earlier one on X": X is the week before
    (
        "A drone hit the Rumalyn landing zone in Syria on Friday. This incident is the second "
        "attack on American forces in seven days, following a rocket barrage on Ain al-Asad that "
        "wounded two troops.",
        "2024-08-12",
        [
            {"site": "al_asad", "date": "2024-08-02..2024-08-08", "injured": (2, 2)},
            {"site": "rumalyn", "date": "2024-08-09"},
        ],
    ),
    # an unnamed outpost, then the one base of that country named with the same dead: that base
    (
        "Three US soldiers were killed overnight in a drone strike on a small American outpost "
        "in Jordan, officials said on Sunday.\n\nThe deaths of three Americans at Tower 22, close "
        "to the Syrian border, mark a sharp escalation.",
        "2024-01-29",
        [{"site": "tower_22", "date": "2024-01-27..2024-01-28", "killed": (3, 3)}],
    ),
    # a US aircraft downed is no attack on our forces, and "the drone" after it is that aircraft
    (
        "Rockets hit the Ain al-Asad air base on Saturday. Earlier, fighters claimed they "
        "shot down, on Thursday, an American MQ-9 drone in Diyala province. They said the drone "
        "took off from a base in Kuwait.",
        "2024-01-20",
        [{"site": "al_asad", "date": "2024-01-20", "weapons": {"rocket"}}],
    ),
    # "similar attacks" on the same base on a day of their own are others, not the undated one
    (
        "Drones struck US forces stationed at Ain al-Asad air base, the group said. In recent weeks it "
        "had claimed similar attacks on Ain al-Asad on November 12.",
        "2023-12-04",
        [
            {"site": "al_asad", "date": "2023-11-12"},
            {"site": "al_asad", "date": "2023-12-02..2023-12-04", "weapons": {"drone"}},
        ],
    ),
    # the small hours of the weekday after a Monday dateline are that Monday (local time is
    # ahead); a plain "on Tuesday" or "last Tuesday" is the Tuesday before
    (
        "Three rockets were fired at the Victory base near Baghdad airport in the early hours of "
        "Tuesday, Iraqi security sources said.",
        "2024-09-30",
        [{"site": "baghdad_airport", "date": "2024-09-30", "weapons": {"rocket"}}],
    ),
    (
        "Rockets were fired at the Victory base near Baghdad airport last Tuesday, officials said.",
        "2024-09-30",
        [{"site": "baghdad_airport", "date": "2024-09-24"}],
    ),
    (
        "Rockets hit the Victory base near Baghdad airport on Tuesday, officials said.",
        "2024-09-30",
        [{"site": "baghdad_airport", "date": "2024-09-24"}],
    ),
    # what an announcement reports is concrete when its verb is ("shooting down a drone that
    # was targeting X", "claimed the drone strike on X")
    (
        "Kurdish counter-terrorism officials announced on Tuesday shooting down an explosive-laden "
        "drone that was targeting the coalition air base at Erbil airport.",
        "2024-01-03",
        [{"site": "erbil", "date": "2024-01-01..2024-01-02", "weapons": {"drone"}}],
    ),
    (
        "In a statement on its channel on Saturday, the group claimed the drone strike on the "
        "Harir air base north of Erbil.",
        "2023-12-31",
        [{"site": "harir", "weapons": {"drone"}}],
    ),
    # "none" from first reports gives way to the count given later, and never lowers one given
    # before
    (
        "A drone struck the Tanf garrison on Saturday; initial reports said there were no "
        "casualties. The Pentagon later said six US troops had been hurt in the attack.",
        "2023-10-25",
        [{"site": "al_tanf", "date": "2023-10-21", "injured": (6, 6)}],
    ),
    (
        "The Pentagon said on Tuesday that six US troops were hurt when a drone struck the Tanf "
        "garrison last Saturday. The strike was the second on the garrison in two days, and "
        "initial reports had said there were no casualties.",
        "2023-10-25",
        [{"site": "al_tanf", "date": "2023-10-21", "injured": (6, 6)}],
    ),
    # a small count on one day, and "the first attacks since ...", are events, not tallies
    (
        "US forces in Syria came under at least two drone attacks on Monday, officials said.",
        "2024-08-07",
        [
            {"country": "SYR", "located": False, "date": "2024-08-05"},
            {"country": "SYR", "located": False, "date": "2024-08-05"},
        ],
    ),
    (
        "Two drone attacks hit US troops in Iraq on Tuesday, the first attacks since February.",
        "2024-08-07",
        [
            {"country": "IRQ", "located": False, "date": "2024-08-06"},
            {"country": "IRQ", "located": False, "date": "2024-08-06"},
        ],
    ),
    # an unknown place takes the article's country even beside "Iran-backed" (a compound)
    (
        "US troops in Syria have faced rising danger. On Monday Iran-backed militias fired "
        "rockets at the Qalat Farha outpost, wounding two American soldiers.",
        "2024-02-07",
        [{"country": "SYR", "location": "Qalat Farha", "date": "2024-02-05", "injured": (2, 2)}],
    ),
    # "repeated ... for a second time": another attack on the same base, kept apart in the end
    (
        "After weeks of calm, two drones struck the Tanf garrison. The assault was repeated on "
        "Thursday night, when the garrison was targeted for a second time.",
        "2023-10-20",
        [
            {"site": "al_tanf", "date": "2023-10-18..2023-10-20"},
            {"site": "al_tanf", "date": "2023-10-19"},
        ],
    ),
    # "this morning's incident" refers back to the attack told, and dates it
    (
        "Rockets landed near US troops at the Conoco gas field, an official said. This morning's "
        "incident followed another one last week.",
        "2024-12-03",
        [{"site": "conoco", "date": "2024-12-03", "weapons": {"rocket"}}],
    ),
]

ROOTS_NOTHING += [
    # tallies: counted, followed over time, or framed as a trend
    (
        "Since mid-October, militias have carried out more than four dozen attacks on American "
        "forces in Iraq and Syria, leaving about 50 troops with minor injuries.",
        "2023-11-20",
    ),
    (
        "Nine of those attacks were aimed at US targets in Iraq, the spokesman said on Tuesday.",
        "2023-11-01",
    ),
    (
        "Militia attacks against American soldiers in Iraq and Jordan have climbed since October, "
        "totalling over 150 so far.",
        "2024-02-20",
    ),
    (
        "Over the past week, US forces were attacked at least nine separate times in Iraq and "
        "twice in Syria.",
        "2023-10-27",
    ),
    (
        "Rockets and drones have continued to be launched toward US positions in Iraq since "
        "Monday, the spokesman said.",
        "2023-10-30",
    ),
    # what a US strike answers is no attack; '&' between the verb and 'strikes'
    (
        "In response to continued attacks, American warplanes launched strikes on Friday against "
        "sites used by militias in Iraq and Syria.",
        "2023-10-30",
    ),
    (
        "Today, at the President's direction, U.S. forces conducted precise & proportionate "
        "strikes on two facilities used by the group in Iraq.",
        "2023-12-26",
    ),
    # another state's strike, another country's target
    (
        "Two days on, Israel launched an airstrike on an airbase in Syria on April 19, officials said.",
        "2024-04-21",
    ),
    (
        "On Friday a drone hit a base in Syria operated by Iran-backed groups, the monitor said.",
        "2024-04-21",
    ),
    ("A US MQ-9 drone was shot down near Baghdad on Friday, officials said.", "2024-01-20"),
    # a tally, then one combined figure for "the earlier attacks" at two bases: still the tally
    (
        "Officials said 12 of the attacks have been against US targets in Iraq. In the earlier "
        "attacks, 15 American troops were wounded by drones aimed at Ain al-Asad and the Tanf "
        "garrison.",
        "2023-10-31",
    ),
    # ... but not one named among another country's targets
    (
        "US troops in Syria have faced rising danger. The group's targets were not only American "
        "but also Israeli, including a recent strike on an important site in the city of Haifa "
        "using a long-range cruise missile.",
        "2024-02-07",
    ),
]


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    ROOTS,
    ids=[f"{i:02d}-{t[:40]}" for i, (t, _, _) in enumerate(ROOTS)],
)
def test_root(text: str, published: str, expected: list[dict[str, Any]]) -> None:
    attacks = _attacks(text, date.fromisoformat(published))
    assert len(attacks) == len(expected), [(i.location, i.date_start) for i in attacks]
    for inc, want in zip(attacks, expected, strict=True):
        _check(inc, want)


@pytest.mark.parametrize(
    ("text", "published"),
    ROOTS_NOTHING,
    ids=[f"{i:02d}-{t[:40]}" for i, (t, _) in enumerate(ROOTS_NOTHING)],
)
def test_root_nothing(text: str, published: str) -> None:
    attacks = _attacks(text, date.fromisoformat(published))
    assert attacks == [], [(i.location, i.date_start) for i in attacks]


def test_what_a_referred_strike_answers_is_not_where_it_struck() -> None:
    # "Those strikes came in retaliation for ... on X": X is the answered attack's place
    text = (
        "US forces struck three depots used by the militia, the minister said in a statement. "
        "Those strikes came in retaliation for the militia's large ballistic missile attack upon "
        "the Ain al-Asad base on Saturday, an aide said."
    )
    result = extract_text(text, date(2024, 1, 24))
    strikes = [i for i in result.incidents if i.event_type == "us_strike"]
    assert all(i.site_id != "al_asad" for i in strikes), [i.location for i in strikes]
