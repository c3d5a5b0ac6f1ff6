"""Synthetic ACLED-format CSV for benchmarks and tests: realistic shape, invented events.

:func:`write_acled_csv` streams ``n_rows`` rows (flat memory, any ``n``) in ACLED's export
columns: events in Iraq, Syria and Jordan at the gazetteer's sites (jittered by up to ~3 km) and
at real towns, dates from 2016 to 2025, a mix of attacks on US/coalition forces, US strikes and
other political violence, every ACLED time and geo precision code, multi-source ``source``
fields and notes that name the weapons.  The same ``seed`` gives the same file.

None of these events happened: the file is for exercising the importer, never for the map.
With ``bad_rate`` > 0 that share of rows is spoiled in one of :data:`SPOILERS`' ways, so a run
also exercises the reject path.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from geo.importers.acled import COLUMNS

#: (ISO3, ISO numeric, admin1, town, latitude, longitude): real towns, rounded coordinates
TOWNS: tuple[tuple[str, int, str, str, float, float], ...] = (
    ("IRQ", 368, "Baghdad", "Baghdad", 33.3152, 44.3661),
    ("IRQ", 368, "Nineveh", "Mosul", 36.335, 43.119),
    ("IRQ", 368, "Erbil", "Erbil", 36.191, 44.009),
    ("IRQ", 368, "Kirkuk", "Kirkuk", 35.4681, 44.3922),
    ("IRQ", 368, "Anbar", "Ramadi", 33.4258, 43.2992),
    ("IRQ", 368, "Anbar", "Fallujah", 33.35, 43.7833),
    ("IRQ", 368, "Anbar", "Hit", 33.6417, 42.8251),
    ("IRQ", 368, "Anbar", "Al Qaim", 34.3686, 41.0942),
    ("IRQ", 368, "Anbar", "Haditha", 34.139, 42.378),
    ("IRQ", 368, "Anbar", "Ar Rutbah", 33.0381, 40.2848),
    ("IRQ", 368, "Anbar", "Al Baghdadi", 33.87, 42.53),
    ("IRQ", 368, "Salah al-Din", "Tikrit", 34.6071, 43.6782),
    ("IRQ", 368, "Salah al-Din", "Samarra", 34.1959, 43.8857),
    ("IRQ", 368, "Salah al-Din", "Balad", 34.0164, 44.1453),
    ("IRQ", 368, "Diyala", "Baqubah", 33.7466, 44.6436),
    ("IRQ", 368, "Basra", "Basra", 30.5085, 47.7804),
    ("IRQ", 368, "Najaf", "Najaf", 32.0259, 44.3462),
    ("IRQ", 368, "Karbala", "Karbala", 32.616, 44.0249),
    ("IRQ", 368, "Babil", "Hillah", 32.4637, 44.4199),
    ("IRQ", 368, "Dhi Qar", "Nasiriyah", 31.0439, 46.2576),
    ("IRQ", 368, "Sulaymaniyah", "Sulaymaniyah", 35.5613, 45.4374),
    ("IRQ", 368, "Duhok", "Duhok", 36.8669, 42.9503),
    ("IRQ", 368, "Nineveh", "Sinjar", 36.3209, 41.8769),
    ("IRQ", 368, "Nineveh", "Tal Afar", 36.379, 42.4498),
    ("SYR", 760, "Deir ez-Zor", "Deir ez-Zor", 35.3359, 40.1408),
    ("SYR", 760, "Deir ez-Zor", "Al Mayadin", 35.0193, 40.4512),
    ("SYR", 760, "Deir ez-Zor", "Abu Kamal", 34.4527, 40.9188),
    ("SYR", 760, "Deir ez-Zor", "Hajin", 34.6936, 40.8339),
    ("SYR", 760, "Deir ez-Zor", "Thiban", 35.009, 40.508),
    ("SYR", 760, "Ar-Raqqa", "Ar Raqqa", 35.9528, 39.0079),
    ("SYR", 760, "Al-Hasakeh", "Al Hasakah", 36.5024, 40.7477),
    ("SYR", 760, "Al-Hasakeh", "Qamishli", 37.0522, 41.2317),
    ("SYR", 760, "Al-Hasakeh", "Al Hol", 36.378, 41.148),
    ("SYR", 760, "Aleppo", "Manbij", 36.5281, 37.9549),
    ("SYR", 760, "Aleppo", "Ain al Arab", 36.891, 38.3536),
    ("SYR", 760, "Aleppo", "Aleppo", 36.2021, 37.1343),
    ("SYR", 760, "Homs", "Palmyra", 34.5503, 38.2691),
    ("SYR", 760, "Homs", "Homs", 34.7324, 36.7137),
    ("SYR", 760, "Damascus", "Damascus", 33.5138, 36.2765),
    ("SYR", 760, "Idleb", "Idleb", 35.9306, 36.6339),
    ("JOR", 400, "Amman", "Amman", 31.9539, 35.9106),
    ("JOR", 400, "Zarqa", "Zarqa", 32.0728, 36.088),
    ("JOR", 400, "Mafraq", "Mafraq", 32.3429, 36.208),
    ("JOR", 400, "Mafraq", "Ruwaished", 32.5078, 38.198),
    ("JOR", 400, "Zarqa", "Azraq", 31.8342, 36.8136),
    ("JOR", 400, "Irbid", "Irbid", 32.5568, 35.8469),
    ("JOR", 400, "Aqaba", "Aqaba", 29.532, 35.0063),
    ("JOR", 400, "Maan", "Maan", 30.1962, 35.7341),
)
ISO_NUMERIC = {"IRQ": 368, "SYR": 760, "JOR": 400}
COUNTRY_NAMES = {"IRQ": "Iraq", "SYR": "Syria", "JOR": "Jordan"}

US = "Military Forces of the United States (2021-)"
ATTACKERS = (
    "Islamic Resistance in Iraq",
    "Kataib Hezbollah",
    "Unidentified Armed Group (Iraq)",
    "Harakat Hezbollah al Nujaba",
    "Unidentified Armed Group (Syria)",
    "Islamic State (Iraq)",
)
OTHER_PAIRS = (
    ("Islamic State (Iraq)", "Military Forces of Iraq (2022-)", "Armed clash"),
    ("Military Forces of Turkey (2016-)", "SDF: Syrian Democratic Forces", "Air/drone strike"),
    (
        "Military Forces of Syria (2000-2024)",
        "Hayat Tahrir al Sham",
        "Shelling/artillery/missile attack",
    ),
    ("Unidentified Armed Group (Syria)", "Civilians (Syria)", "Remote explosive/landmine/IED"),
    ("Protesters (Iraq)", "", "Peaceful protest"),
    ("SDF: Syrian Democratic Forces", "Islamic State (Syria)", "Armed clash"),
    ("Military Forces of Jordan (1999-)", "Smugglers (Jordan)", "Armed clash"),
)
SOURCES = (
    "Shafaq News",
    "Rudaw",
    "Xinhua",
    "AFP",
    "Reuters",
    "SOHR",
    "Kurdistan 24",
    "Al Mayadeen",
    "Jordan Times",
    "Sabereen News",
)
SCALES = ("National", "Regional", "International", "New media", "Other-National")
DISORDER = {"Protests": "Demonstrations"}
EVENT_TYPE_OF_SUB = {
    "Air/drone strike": "Explosions/Remote violence",
    "Shelling/artillery/missile attack": "Explosions/Remote violence",
    "Remote explosive/landmine/IED": "Explosions/Remote violence",
    "Armed clash": "Battles",
    "Peaceful protest": "Protests",
}
INTER = {"state": 1, "rebel": 2, "political": 3, "identity": 4, "protesters": 6, "civilians": 7}
ATTACK_WEAPON_NOTES = (
    ("Air/drone strike", "launched a one-way attack drone at"),
    ("Shelling/artillery/missile attack", "fired three rockets at"),
    ("Shelling/artillery/missile attack", "fired mortar rounds at"),
    ("Shelling/artillery/missile attack", "fired a ballistic missile at"),
    ("Remote explosive/landmine/IED", "detonated an IED against a logistics convoy supporting"),
)

#: ways a row can be spoiled (bad_rate): name -> change to the row dict
SPOILERS: dict[str, Callable[[dict[str, str]], None]] = {
    "swapped": lambda r: r.update(latitude=r["longitude"], longitude=r["latitude"]),
    "no_notes": lambda r: r.update(notes=""),
    "bad_date": lambda r: r.update(event_date="31/02/2020"),
    "out_of_range": lambda r: r.update(latitude="133.5"),
    "nan": lambda r: r.update(longitude="NaN"),
}

START, END = date(2016, 1, 1), date(2025, 12, 31)


#: English month names (not calendar.month_name: that follows the locale and is slow)
MONTH_NAMES = (
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _long_date(d: date) -> str:
    return f"{d.day:02d} {MONTH_NAMES[d.month]} {d.year}"


def _place(
    rng: random.Random,
    sites: list[tuple[str, str, str, float, float]],
    towns: tuple[tuple[str, int, str, str, float, float], ...] = TOWNS,
) -> tuple:
    if sites and rng.random() < 0.4:
        iso3, admin1, name, lat, lon = rng.choice(sites)
        lat += rng.uniform(-0.025, 0.025)
        lon += rng.uniform(-0.025, 0.025)
        return iso3, admin1, name, round(lat, 4), round(lon, 4), True
    iso3, _num, admin1, name, lat, lon = rng.choice(towns)
    return iso3, admin1, name, lat, lon, False


def _sites(near: tuple[tuple[float, float], ...] = ()) -> list[tuple[str, str, str, float, float]]:
    """The gazetteer's located sites, as (ISO3, admin1, name, lat, lon); with ``near``, only
    those within half a degree of one of these (lat, lon) points."""
    from geo.gazetteer import Gazetteer

    out = []
    for site in Gazetteer.load():
        if site.latitude is None or site.longitude is None:
            continue
        if near and not any(
            abs(site.latitude - a) <= 0.5 and abs(site.longitude - b) <= 0.5 for a, b in near
        ):
            continue
        out.append((site.country, site.admin1 or "", site.name, site.latitude, site.longitude))
    return out


def synth_row(
    rng: random.Random,
    n: int,
    sites: list,
    date_style: str = "iso",
    towns: tuple[tuple[str, int, str, str, float, float], ...] = TOWNS,
) -> dict[str, str]:
    """One ACLED-shaped row (``n`` makes the id unique)."""
    iso3, admin1, location, lat, lon, at_site = _place(rng, sites, towns)
    day = START + timedelta(days=rng.randrange((END - START).days + 1))
    roll = rng.random()
    assoc2 = ""
    if roll < 0.25 or (at_site and roll < 0.5):
        actor1, actor2 = rng.choice(ATTACKERS), US
        sub, verb = rng.choice(ATTACK_WEAPON_NOTES)
        if rng.random() < 0.2:
            actor2, assoc2 = "Military Forces of Iraq (2022-)", "Operation Inherent Resolve"
        what = f"{actor1} {verb} US and coalition forces at {location}"
        inter1, inter2 = INTER["political"], INTER["state"]
    elif roll < 0.5:
        actor1, actor2 = US, rng.choice(ATTACKERS)
        sub = "Air/drone strike"
        what = f"US forces conducted air strikes on {actor2} positions near {location}"
        inter1, inter2 = INTER["state"], INTER["political"]
    else:
        actor1, actor2, sub = rng.choice(OTHER_PAIRS)
        what = f"{actor1} and {actor2 or 'no other party'}: {sub.lower()} in {location}"
        inter1, inter2 = INTER["state"], INTER["rebel"] if actor2 else 0
    fatalities = 0 if sub == "Peaceful protest" else rng.choice((0, 0, 0, 1, 2, 3, 5, 8))
    time_precision = rng.choices((1, 2, 3), weights=(80, 15, 5))[0]
    geo_precision = rng.choices((1, 2, 3), weights=(70, 20, 10))[0]
    sources = "; ".join(rng.sample(SOURCES, rng.choice((1, 1, 2))))
    if time_precision == 1:
        when = f"On {_long_date(day)}"
    elif time_precision == 2:
        when = f"Around {_long_date(day)}"
    else:
        when = f"In {MONTH_NAMES[day.month]} {day.year}"
    notes = f"{when}, {what} ({admin1}). {fatalities or 'No'} fatalities reported."
    event_type = EVENT_TYPE_OF_SUB[sub]
    stamp = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(days=rng.randint(2, 10))
    return {
        "event_id_cnty": f"{iso3}{100000 + n}",
        "event_date": day.isoformat() if date_style == "iso" else _long_date(day),
        "year": str(day.year),
        "time_precision": str(time_precision),
        "disorder_type": DISORDER.get(event_type, "Political violence"),
        "event_type": event_type,
        "sub_event_type": sub,
        "actor1": actor1,
        "assoc_actor_1": "",
        "inter1": str(inter1),
        "actor2": actor2,
        "assoc_actor_2": assoc2,
        "inter2": str(inter2),
        "interaction": str(inter1 * 10 + inter2),
        "civilian_targeting": "Civilian targeting" if actor2.startswith("Civilians") else "",
        "iso": str(ISO_NUMERIC[iso3]),
        "region": "Middle East",
        "country": COUNTRY_NAMES[iso3],
        "admin1": admin1,
        "admin2": "",
        "admin3": "",
        "location": location,
        "latitude": f"{lat:.4f}",
        "longitude": f"{lon:.4f}",
        "geo_precision": str(geo_precision),
        "source": sources,
        "source_scale": rng.choice(SCALES),
        "notes": notes,
        "fatalities": str(fatalities),
        "tags": "",
        "timestamp": str(int(stamp.timestamp())),
    }


def write_acled_csv(
    path: str | Path,
    n_rows: int,
    seed: int = 0,
    *,
    date_style: str = "iso",
    bad_rate: float = 0.0,
    towns: tuple[str, ...] = (),
) -> int:
    """Write ``n_rows`` synthetic ACLED rows to ``path`` (UTF-8, comma-delimited), streaming.

    ``date_style``: ``"iso"`` (2024-08-05, as the ACLED API writes) or ``"long"``
    (05 August 2024, as older exports do).  ``bad_rate``: share of rows spoiled by one of
    :data:`SPOILERS` (0 by default: every row imports).  ``towns``: names from :data:`TOWNS`
    to place events at (and the sites within half a degree of them); all of them by default.
    Returns the number of spoiled rows."""
    rng = random.Random(seed)
    chosen = tuple(t for t in TOWNS if t[3] in towns) if towns else TOWNS
    if towns and len(chosen) != len(set(towns)):
        known = sorted(t[3] for t in TOWNS)
        raise ValueError(f"towns: expected names from {known}, got {sorted(towns)}")
    sites = _sites(tuple((t[4], t[5]) for t in chosen) if towns else ())
    spoilers = list(SPOILERS.values())
    spoiled = 0
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        for n in range(n_rows):
            row = synth_row(rng, n, sites, date_style, chosen)
            if bad_rate and rng.random() < bad_rate:
                rng.choice(spoilers)(row)
                spoiled += 1
            writer.writerow([row[c] for c in COLUMNS])
    return spoiled
