"""Tests of the site gazetteer: the bundled data/sites.csv, name matching and file checks."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest

from geo.errors import DataFileError, NotFoundError
from geo.gazetteer import COLUMNS, KINDS, Gazetteer, Site, normalize
from geo.paths import SITES_CSV

EXPECTED_IDS = {
    "al_asad",
    "al_tanf",
    "harir",
    "erbil",
    "mosul",
    "tower_22",
    "baghdad_airport",
    "union_iii",
    "conoco",
    "green_village",
    "shaddadi",
    "rumalyn",
    "kharab_al_jir",
    "tell_baydar",
    "jurf_al_sakhar",
    # named in the 2023-24 campaign reporting (issue 17)
    "camp_taji",
    "al_malikiyah",
    "himo",
    "qasrak",
    "istrahat_al_wazir",
    "al_khadra",
    "khirbat_adana",
    "rukban_area",
}
UNLOCATED = {
    "union_iii",
    "tell_baydar",
    "kharab_al_jir",
    "al_malikiyah",
    "himo",
    "qasrak",
    "istrahat_al_wazir",
    "al_khadra",
    "khirbat_adana",
    "rukban_area",
}

#: Rough (generous) bounding boxes, lat_min, lat_max, lon_min, lon_max.
COUNTRY_BOXES = {
    "IRQ": (29.0, 37.5, 38.7, 48.8),
    "SYR": (32.3, 37.4, 35.7, 42.4),
    "JOR": (29.1, 33.4, 34.9, 39.4),
}


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


def haversine_km(a: Site, b: Site) -> float:
    assert a.latitude is not None and a.longitude is not None
    assert b.latitude is not None and b.longitude is not None
    p1, p2 = math.radians(a.latitude), math.radians(b.latitude)
    dp, dl = p2 - p1, math.radians(b.longitude - a.longitude)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


# --- names that must resolve ---------------------------------------------------------------------

MATCHES = [
    # Al-Asad
    ("Al-Asad Airbase", "al_asad"),
    ("Ain al-Asad", "al_asad"),
    ("Ayn al Asad", "al_asad"),
    ("Ayn al-Asad", "al_asad"),
    ("Ain Al-Assad", "al_asad"),
    ("Al-Assad Airbase", "al_asad"),
    ("AL ASAD AIR BASE", "al_asad"),
    ("Al Asad Air Base", "al_asad"),
    ("Al-Asad AB", "al_asad"),
    ("Asad Airbase", "al_asad"),
    ("ain al-asad air base", "al_asad"),
    ("ORAA", "al_asad"),
    # Al-Tanf
    ("Al-Tanf Garrison", "al_tanf"),
    ("al-Tanf garrison", "al_tanf"),
    ("At Tanf", "al_tanf"),
    ("At-Tanf", "al_tanf"),
    ("Al Tanf", "al_tanf"),
    ("Tanf", "al_tanf"),
    ("Al Tanf U.S. outpost", "al_tanf"),
    ("Al-Tanff", "al_tanf"),  # doubled letter collapses: an exact key, not a fuzzy guess
    # Harir
    ("Harir Air Base", "harir"),
    ("al-Harir", "harir"),
    ("Harir airbase", "harir"),
    ("al-Harir airbase", "harir"),
    ("Harîr", "harir"),
    ("Harir Airfield", "harir"),
    # Erbil
    ("Erbil air base", "erbil"),
    ("Erbil airport", "erbil"),
    ("Erbil International Airport", "erbil"),
    ("Erbil", "erbil"),
    ("Irbil", "erbil"),
    ("Arbil", "erbil"),
    ("Hewler", "erbil"),
    # Mosul
    ("Mosul", "mosul"),
    ("al-Mawsil", "mosul"),
    # Tower 22
    ("Tower 22", "tower_22"),
    ("Tower-22", "tower_22"),
    ("tower22", "tower_22"),
    ("T22", "tower_22"),
    ("Tower 22 (Jordan)", "tower_22"),
    ("Tower 22 outpost", "tower_22"),
    # Baghdad airport
    ("Baghdad International Airport", "baghdad_airport"),
    ("Baghdad airport", "baghdad_airport"),
    ("BIAP", "baghdad_airport"),
    ("Camp Victory", "baghdad_airport"),
    ("Victory Base", "baghdad_airport"),
    ("Victory Base Complex", "baghdad_airport"),
    ("BDSC", "baghdad_airport"),
    ("Baghdad Diplomatic Support Center", "baghdad_airport"),
    # Union III
    ("Union III", "union_iii"),
    ("Union 3", "union_iii"),
    ("FOB Union III", "union_iii"),
    ("Union III base", "union_iii"),
    # Conoco
    ("MSS Conoco", "conoco"),
    ("Conoco", "conoco"),
    ("Conoco gas field", "conoco"),
    ("MSS Euphrates", "conoco"),
    ("Mission Support Site Euphrates", "conoco"),
    # Green Village
    ("Green Village", "green_village"),
    ("MSS Green Village", "green_village"),
    ("al-Omar oil field", "green_village"),
    ("Al-Omar", "green_village"),
    ("Omar oilfield", "green_village"),
    # Shaddadi
    ("Al-Shaddadi", "shaddadi"),
    ("Shadadi", "shaddadi"),
    ("Ash Shaddadi", "shaddadi"),
    ("al-Shaddadah", "shaddadi"),
    ("Şeddadê", "shaddadi"),
    # named in the campaign reporting
    ("al-Taji base", "camp_taji"),
    ("Camp Taji", "camp_taji"),
    ("Roubarba", "al_malikiyah"),
    ("Rubarya base", "al_malikiyah"),
    ("Himo", "himo"),
    ("Qasrak", "qasrak"),
    ("Base near Khirbat Adana", "khirbat_adana"),
    ("base near al-Rukban", "rukban_area"),
    # Rumalyn
    ("Rumalyn Landing Zone", "rumalyn"),
    ("Rumalyn LZ", "rumalyn"),
    ("Rmeilan", "rumalyn"),
    ("Rmelan", "rumalyn"),
    ("Abu Hajar Airport", "rumalyn"),
    # Kharab al-Jir
    ("Kharab al-Jir", "kharab_al_jir"),
    ("Kharab Al-Jair", "kharab_al_jir"),
    ("Kharab al-Jir airport", "kharab_al_jir"),
    # Tell Baydar
    ("Tell Baydar", "tell_baydar"),
    ("Tal Baidar", "tell_baydar"),
    ("Tel Baidar", "tell_baydar"),
    ("Tal Beder", "tell_baydar"),
    # Jurf al-Sakhar
    ("Jurf al-Sakhar", "jurf_al_sakhar"),
    ("Jurf al-Nasr", "jurf_al_sakhar"),
    ("Jurf as-Sakhar", "jurf_al_sakhar"),
    ("Jurf al Saqr", "jurf_al_sakhar"),
]


@pytest.mark.parametrize(("name", "site_id"), MATCHES)
def test_name_resolves_to_site(gaz: Gazetteer, name: str, site_id: str) -> None:
    site = gaz.lookup(name)
    assert site is not None, f"{name!r} (key {normalize(name)!r}) matched nothing"
    assert site.id == site_id


# One-letter typos: accepted only through the guarded fuzzy fallback, with score < 100.
FUZZY_MATCHES = [
    ("Shaddadee", "shaddadi"),  # 'shadade' vs alias key 'shadadeh'
    ("Jurf al-Sakar", "jurf_al_sakhar"),
    ("Grene Village", "green_village"),
    ("al-Omar oilfeld", "green_village"),
    ("Tel Baidr", "tell_baydar"),
    ("Baghdad Diplomatic Support Centre", "baghdad_airport"),
]


@pytest.mark.parametrize(("name", "site_id"), FUZZY_MATCHES)
def test_typo_resolves_through_fuzzy_fallback(gaz: Gazetteer, name: str, site_id: str) -> None:
    found = gaz.match(name)
    assert found is not None
    site, score, key = found
    assert site.id == site_id
    assert 90 <= score < 100
    assert key != normalize(name)


# --- names that must NOT resolve -----------------------------------------------------------------

NEAR_MISSES = [
    "Baghdad",  # the city, not the airport or Union III
    "Baghdad Green Zone",
    "Green Zone",
    "Asadabad",
    "Al-Asadiya",
    "Al-Qadisiyyah",  # governorate; why 'Qadisiyah Airbase' is not an alias
    "Tower 2",
    "Tower 23",
    "Tower 220",
    "T23",
    "Union II",
    "Union IV",
    "Union",
    "Hariri",
    "Harir town",
    "Hasakah",
    "Al-Hasakah",
    "Damascus",
    "Homs",
    "Mosel",
    "Mosul Dam",  # a different place from the city
    "Tanf road",
    "Tanf crossing",
    "Rukban",  # the camp in Syria; see the tower_22 note
    "Rukban camp",
    "Rukban refugee camp",
    "Al-Malikiyah",  # the town; the base near it is 'Rubarya'
    "Al-Malikiyah base",
    "al-Khadra",  # several villages bear the name
    "Khasham",  # village / battle name, not the base
    "Euphrates",
    "Conoco oil field",  # 'oil' vs 'gas' is a short token: no fuzzy
    "Rumailan oil fields",
    "Irbid",  # Jordanian city, one letter from 'Irbil'
    "Tal Afar",
    "Tel Tamr",
    "Tell Abyad",
    "Ain Issa",
    "Balad Air Base",
    "Kirkuk",
    "Anbar",
    "Deir ez-Zor",
    "Mafraq",
    "Jurf",
    "Al",
    "",
    "   ",
    "-",
    "base",
    "air base",
    "the U.S. military base",
]


@pytest.mark.parametrize("name", NEAR_MISSES)
def test_near_miss_does_not_resolve(gaz: Gazetteer, name: str) -> None:
    assert gaz.lookup(name) is None, f"{name!r} -> {gaz.match(name)}"
    assert gaz.match(name) is None


# --- normalize -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("Ain Al-Assad Air Base", "asad"),
        ("AYN AL-ASAD", "asad"),
        ("Tell Baydar", "tel baydar"),
        ("Tal Baydar", "tel baydar"),
        ("Tower 22", "tower 22"),  # digits are never collapsed
        ("T-22", "t 22"),
        ("Union III", "union 3"),
        ("Şeddadê", "sedade"),
        ("Ma'an", "man"),  # apostrophes are deleted, so no stray 'an' token
        ("U.S. outpost at al-Tanf", "tanf"),
        ("Baghdad airport", "baghdad airport"),  # 'airport' is kept
        ("Rukban camp", "rukban camp"),  # 'camp' is kept
        ("  Mosul   Dam ", "mosul dam"),
        ("al", ""),
    ],
)
def test_normalize(raw: str, key: str) -> None:
    assert normalize(raw) == key


def test_exact_match_reports_score_100_and_key(gaz: Gazetteer) -> None:
    found = gaz.match("Ayn al-Assad")
    assert found is not None
    site, score, key = found
    assert (site.id, score, key) == ("al_asad", 100.0, "asad")


def test_every_name_and_alias_resolves_to_its_own_site(gaz: Gazetteer) -> None:
    for site in gaz:
        for label in (site.name, *site.aliases):
            found = gaz.lookup(label)
            assert found is not None and found.id == site.id, (site.id, label)


# --- the bundled data ----------------------------------------------------------------------------


def test_bundled_file_has_exactly_the_expected_sites(gaz: Gazetteer) -> None:
    assert {s.id for s in gaz} == EXPECTED_IDS
    assert len(gaz) == len(EXPECTED_IDS)
    with SITES_CSV.open(encoding="utf-8", newline="") as fh:
        assert tuple(next(csv.reader(fh))) == COLUMNS


def test_every_site_cites_a_coordinate_source(gaz: Gazetteer) -> None:
    for site in gaz:
        assert site.coord_source.strip(), site.id
        if site.located:
            assert "http" in site.coord_source, site.id


def test_sites_without_verified_coordinates_stay_unlocated(gaz: Gazetteer) -> None:
    for site in gaz:
        if site.id in UNLOCATED:
            assert not site.located
            assert site.latitude is None and site.longitude is None
            assert site.note and "NOT LOCATED" in site.note
        else:
            assert site.located, site.id


def test_kinds_countries_and_boxes(gaz: Gazetteer) -> None:
    for site in gaz:
        assert site.kind in KINDS
        assert site.country in COUNTRY_BOXES, site.id
        if site.located:
            assert site.latitude is not None and site.longitude is not None
            assert 29 <= site.latitude <= 38 and 34.5 <= site.longitude <= 49, site.id
            lat0, lat1, lon0, lon1 = COUNTRY_BOXES[site.country]
            assert lat0 <= site.latitude <= lat1 and lon0 <= site.longitude <= lon1, site.id


def test_named_facts(gaz: Gazetteer) -> None:
    assert gaz.get("al_asad").admin1 == "Anbar"
    assert gaz.get("al_tanf").admin1 == "Homs"
    assert "Rif Dimashq" in (gaz.get("al_tanf").note or "")
    assert gaz.get("tower_22").country == "JOR"
    assert gaz.get("mosul").kind == "city"
    assert "Mosul Dam" not in gaz.get("mosul").aliases


def test_tower_22_is_about_20_km_from_al_tanf(gaz: Gazetteer) -> None:
    assert 20 <= haversine_km(gaz.get("tower_22"), gaz.get("al_tanf")) <= 25


def test_no_alias_key_claimed_by_two_sites() -> None:
    """Read the CSV directly (not through load, which would refuse it) and check the keys."""
    owners: dict[str, set[str]] = {}
    with SITES_CSV.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            for label in [row["name"], *row["aliases"].split(";")]:
                owners.setdefault(normalize(label), set()).add(row["id"])
    assert "" not in owners
    shared = {k: v for k, v in owners.items() if len(v) > 1}
    assert not shared


def test_get_unknown_id_raises(gaz: Gazetteer) -> None:
    with pytest.raises(NotFoundError, match="unknown site id: nowhere"):
        gaz.get("nowhere")


# --- load() of bad files -------------------------------------------------------------------------

GOOD_ROW = {
    "id": "x_base",
    "name": "X Base",
    "aliases": "Camp X;X-ville",
    "kind": "garrison",
    "country": "IRQ",
    "admin1": "Anbar",
    "latitude": "33.5",
    "longitude": "42.5",
    "coord_source": "https://example.org/x",
    "note": "",
}


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_load_small_good_file(tmp_path: Path) -> None:
    gaz = Gazetteer.load(write_csv(tmp_path / "s.csv", [GOOD_ROW]))
    site = gaz.get("x_base")
    assert site.aliases == ("Camp X", "X-ville")
    assert (site.latitude, site.longitude, site.note) == (33.5, 42.5, None)
    assert gaz.lookup("Camp X") is site


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"latitude": "north"}, "latitude"),
        ({"latitude": "95"}, "latitude"),
        ({"longitude": "nan"}, "longitude"),
        ({"longitude": ""}, "longitude"),
        ({"country": "Iraq"}, "country"),
        ({"country": "iq"}, "country"),
        ({"kind": "fort"}, "kind"),
        ({"id": "X Base"}, "id"),
        ({"coord_source": ""}, "coord_source"),
        ({"aliases": "Camp X;;Y"}, "aliases"),
        ({"aliases": "Air Base"}, "aliases"),  # normalizes to an empty key
    ],
)
def test_load_bad_row_names_line_and_field(
    tmp_path: Path, change: dict[str, str], field: str
) -> None:
    other = {**GOOD_ROW, "id": "y_site", "name": "Y", "aliases": ""}
    path = write_csv(tmp_path / "bad.csv", [other, {**GOOD_ROW, **change}])
    with pytest.raises(DataFileError) as err:
        Gazetteer.load(path)
    assert err.value.line == 3
    assert f"'{field}'" in err.value.reason
    assert str(path) in str(err.value) and ":3:" in str(err.value)


def test_load_duplicate_id(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "dup.csv", [GOOD_ROW, {**GOOD_ROW, "name": "Z", "aliases": ""}])
    with pytest.raises(DataFileError, match="'id'.*duplicate.*line 2") as err:
        Gazetteer.load(path)
    assert err.value.line == 3


def test_load_alias_claimed_by_two_sites(tmp_path: Path) -> None:
    other = {**GOOD_ROW, "id": "y_site", "name": "Y", "aliases": "Al-X-ville air base"}
    path = write_csv(tmp_path / "clash.csv", [GOOD_ROW, other])
    with pytest.raises(DataFileError, match="'aliases'.*'x vile'.*'x_base'") as err:
        Gazetteer.load(path)
    assert err.value.line == 3


def test_load_bad_header_and_missing_file(tmp_path: Path) -> None:
    bad = tmp_path / "header.csv"
    bad.write_text("id,name,lat,lon\nx,X,1,2\n", encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        Gazetteer.load(bad)
    assert err.value.line == 1
    with pytest.raises(DataFileError, match="cannot read"):
        Gazetteer.load(tmp_path / "missing.csv")


def test_load_short_row(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "short.csv", [GOOD_ROW])
    with path.open("a", encoding="utf-8") as fh:
        fh.write("y_site,Y,,town\n")
    with pytest.raises(DataFileError, match="expected 10 fields, got 4") as err:
        Gazetteer.load(path)
    assert err.value.line == 3
