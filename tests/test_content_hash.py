"""The import's fast paths give exactly what the plain code they replace gave.

Stores on disk hold content hashes, and a re-imported file is recognised as duplicates only if
each incident hashes as it did when it was stored: :func:`geo.store.rows.dump_values` (the
columns and the hash, written without ``json.dumps``) is held here byte for byte to the first
implementation, ``sha256(json.dumps(model_dump(mode="json"), sort_keys=True,
ensure_ascii=False))`` with the columns ``json.dumps``'d, on the bundled incidents, synthetic
ACLED rows and generated incidents (any Unicode, ``None`` fields, awkward floats).

Also here: ACLED's one-pattern-per-weapon search against the phrase-by-phrase rule it replaces,
and the point-in-country grid cells against the exact test.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
from datetime import date, timedelta
from itertools import islice
from pathlib import Path
from typing import Any

import pytest
import shapely
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from geo.importers import acled, read_items
from geo.importers._countries import DISPUTED_AREAS, TOLERANCE_KM, countries
from geo.importers.synth_acled import write_acled_csv
from geo.io.geojson import read_incidents
from geo.model import DATE_PRECISION, EVENT_TYPES, WEAPONS, Incident, parse_incident
from geo.paths import INCIDENTS_GEOJSON
from geo.store import rows
from geo.store.schema import INCIDENT_COLUMNS
from tests.test_properties import model_text

# --- the reference: the code the fast paths replaced -------------------------------------------


def reference_hash(inc: Incident) -> str:
    payload = json.dumps(inc.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def reference_row(inc: Incident) -> dict[str, Any]:
    data = inc.model_dump(mode="json")
    row = {f: data[f] for f in rows.SCALAR_FIELDS}
    row["weapons"] = json.dumps(data["weapons"])
    row["sources"] = json.dumps(data["sources"], ensure_ascii=False)
    return row


def assert_same_as_reference(inc: Incident) -> None:
    digest = reference_hash(inc)
    values, fast = rows.row_values(inc)
    assert fast == digest, inc
    assert rows.content_hash(inc) == digest
    assert rows.dump_values(inc.model_dump(mode="json")) == (values, digest)
    row = dict(zip(rows.ROW_FIELDS, values, strict=True))
    expected = reference_row(inc)
    assert row == expected
    assert [type(v) for v in row.values()] == [type(v) for v in expected.values()]
    assert rows.row_and_hash(inc) == (expected, digest)
    assert rows.to_row(inc) == expected


def test_the_row_is_in_the_tables_column_order() -> None:
    assert (*rows.ROW_FIELDS, "content_hash", "batch_id") == INCIDENT_COLUMNS


def test_bundled_incidents_hash_as_before() -> None:
    incidents = read_incidents(INCIDENTS_GEOJSON)
    assert incidents
    for inc in incidents:
        assert_same_as_reference(inc)


def test_synthetic_acled_rows_hash_as_before(tmp_path: Path) -> None:
    path = tmp_path / "acled.csv"
    write_acled_csv(path, 300, seed=11, date_style="long", bad_rate=0.1)
    incidents = [i for i in read_items(path, today=date(2026, 1, 1)) if isinstance(i, Incident)]
    assert len(incidents) > 200
    for inc in incidents:
        assert_same_as_reference(inc)


# --- generated incidents ---------------------------------------------------------------------

#: any Unicode a store can hold and the model accepts (no unpaired surrogates, no C0 controls
#: but tab, LF and CR), with what JSON escapes or leaves raw: quotes, backslashes, DEL, U+2028,
#: astral characters, "\u" written out
TEXT = st.one_of(
    st.sampled_from(
        ['say "hi"', "back\\slash", "\\u00e9 written out", "tab\there", "cr\r\nlf", "del\x7f",
         "line\u2028sep", "emoji 🛰️🚀", "Ninive — Nord « café »", "الحسكة", "ĀĒĪŌŪ", "'"]
    ),
    model_text(40),
)  # fmt: skip
#: coordinates whose repr is unusual: exponents, negative zero, the last digit of a double
LATITUDES = st.one_of(
    st.sampled_from([0.0, -0.0, 1e-05, -1e-07, 5e-324, 33.0, 33.31520000000001, 89.99999999999999]),
    st.floats(min_value=-90, max_value=90, allow_nan=False),
)
LONGITUDES = st.one_of(
    st.sampled_from([0.0, -0.0, 1e-05, 2.5e-08, 179.99999999999997, -180.0, 44.3661]),
    st.floats(min_value=-180, max_value=180, allow_nan=False),
)
COUNTS = st.none() | st.integers(0, 10**12)


@st.composite
def generated_incidents(draw: st.DrawFn) -> Incident:
    precision = draw(st.integers(1, 5))
    start = draw(st.dates(min_value=date(1000, 1, 1), max_value=date(2025, 12, 1)))
    end = start + timedelta(days=draw(st.integers(0, DATE_PRECISION[precision][1])))
    located = draw(st.booleans())
    lo, hi = draw(COUNTS), draw(COUNTS)
    if lo is not None and hi is not None and lo > hi:
        lo, hi = hi, lo
    weapons = (
        ["unknown"]
        if draw(st.booleans())
        else draw(
            st.lists(
                st.sampled_from([w for w in WEAPONS if w != "unknown"]),
                min_size=1,
                max_size=5,
                unique=True,
            )
        )
    )
    return parse_incident(
        {
            "id": draw(st.none() | TEXT) or "",
            "dataset": draw(st.sampled_from(["atlas", "acled", "ucdp", "team-b.v2"])),
            "event_type": draw(st.sampled_from(EVENT_TYPES)),
            "date_start": start, "date_end": end, "date_precision": precision,
            "location": draw(TEXT), "country": draw(st.sampled_from(["IRQ", "SYR", "JOR", "XKX"])),
            "admin1": draw(st.none() | TEXT), "geo_precision": draw(st.integers(1, 7)),
            "latitude": draw(LATITUDES) if located else None,
            "longitude": draw(LONGITUDES) if located else None,
            "weapons": weapons, "damage": draw(st.none() | TEXT),
            "killed_min": lo, "killed_max": hi, "injured_min": draw(COUNTS), "injured_max": None,
            "claimed_by": draw(st.none() | TEXT), "attributed_to": draw(st.none() | TEXT),
            "sources": [
                {"article": draw(TEXT), "published": draw(st.dates(min_value=end)), "quote": draw(TEXT)}
                for _ in range(draw(st.integers(1, 3)))
            ],
            "notes": draw(st.none() | TEXT), "responds_to": draw(st.none() | TEXT),
        }
    )  # fmt: skip


@settings(
    max_examples=300,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(generated_incidents())
@example(
    parse_incident(
        {
            "event_type": "attack", "date_start": date(2024, 1, 20), "date_end": date(2024, 1, 20),
            "date_precision": 1, "location": "Hammam al-Alil (Mossoul, Ninive)", "country": "IRQ",
            "geo_precision": 1, "latitude": 36.1572, "longitude": 43.2589, "weapons": ["drone"],
            "sources": [{"article": "L'Orient-Le Jour", "published": date(2024, 1, 21),
                         "quote": "Frappe près de l'aéroport: « café » détruit; 5 € ‰."}],
        }
    )
)  # fmt: skip
def test_generated_incidents_hash_as_before(inc: Incident) -> None:
    assert_same_as_reference(inc)


# --- the canonical text's own fallbacks ------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [None, True, False, 0, -7, 10**30, 1.5, -0.0, 1e-05, 1e16, math.inf, -math.inf, math.nan,
     "", "é\"\\\n", ["a", None, 2], {"b": 1, "a": [2.5, "x"]}],
)  # fmt: skip
def test_a_value_is_written_as_json_dumps_writes_it(value: Any) -> None:
    assert rows.value_json(value) == json.dumps(value, sort_keys=True, ensure_ascii=False)


def test_the_canonical_text_falls_back_where_the_columns_differ(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inc = read_incidents(INCIDENTS_GEOJSON)[0]
    data = inc.model_dump(mode="json")
    expected = json.dumps(data, sort_keys=True, ensure_ascii=False)
    weapons, sources = rows.weapons_json(data["weapons"]), rows.sources_json(data["sources"])
    assert rows.canonical_text(data, weapons, sources) == expected
    # a weapons column with a \u escape is not the canonical text: written again
    odd = {**data, "weapons": ["é"]}
    odd_text = json.dumps(odd, sort_keys=True, ensure_ascii=False)
    assert rows.canonical_text(odd, rows.weapons_json(["é"]), sources) == odd_text
    # sources whose fields are not in key order: written again, sorted
    monkeypatch.setattr(rows, "SOURCES_IN_KEY_ORDER", False)
    shuffled = [{"quote": s["quote"], "article": s["article"], "published": s["published"]}
                for s in data["sources"]]  # fmt: skip
    moved = {**data, "sources": shuffled}
    assert rows.canonical_text(moved, weapons, rows.sources_json(shuffled)) == json.dumps(
        moved, sort_keys=True, ensure_ascii=False
    )
    # not a whole dump: the encoder writes it all
    part = {"id": "x", "notes": None}
    assert rows.canonical_text(part, "[]", "[]") == json.dumps(part, sort_keys=True)


def test_sources_fields_are_in_key_order() -> None:
    """Else every row's sources are written twice (still right, only slower)."""
    assert rows.SOURCES_IN_KEY_ORDER


# --- ACLED weapon keywords -------------------------------------------------------------------


def test_one_pattern_per_weapon_finds_what_the_phrases_find() -> None:
    rng = random.Random(3)
    phrases = [p for ps in acled.WEAPON_KEYWORDS.values() for p in ps]
    vocabulary = [*phrases, *(p + "s" for p in phrases), *(p + "ss" for p in phrases),
                  *(p[:-1] for p in phrases), "the", "at", "fired", "un", "ballistic", "way"]  # fmt: skip
    for _ in range(3000):
        notes = rng.choice([" ", "-", ", ", ". ", "/"]).join(
            rng.choice(vocabulary) for _ in range(rng.randint(1, 8))
        )
        words = acled.words_of(notes)
        for weapon, found in acled._MENTIONS.items():
            plain = any(acled.mentions(words, p) for p in acled.WEAPON_KEYWORDS[weapon])
            assert (found.search(words) is not None) == plain, (weapon, notes)


# --- point in country: the grid cells --------------------------------------------------------


def exact_contains(iso3: str, lon: float, lat: float) -> bool | None:
    """:meth:`Countries.contains` as it was, without the cells."""
    index = countries()
    geom = index.shape(iso3)
    if geom is None:
        return None
    if shapely.contains_xy(geom, lon, lat):
        return True
    for _name, (x0, y0, x1, y1), codes in DISPUTED_AREAS:
        if iso3 in codes and x0 <= lon <= x1 and y0 <= lat <= y1:
            return True
    return index.distance_km(iso3, lon, lat) <= TOLERANCE_KM


def test_cells_give_the_exact_answer() -> None:
    rng = random.Random(7)
    index = countries()
    boxes = {"IRQ": (38.5, 28.5, 49.0, 37.5), "SYR": (35.5, 32.0, 42.5, 37.5),
             "JOR": (34.8, 29.0, 39.5, 33.5), "UKR": (32.0, 44.0, 37.0, 46.5)}  # fmt: skip
    points = []
    for iso3, (x0, y0, x1, y1) in boxes.items():
        points += [(iso3, rng.uniform(x0, x1), rng.uniform(y0, y1)) for _ in range(400)]
        # points on cell edges and corners (multiples of 1/16 degree)
        points += [(iso3, rng.randint(int(x0 * 16), int(x1 * 16)) / 16,
                    rng.randint(int(y0 * 16), int(y1 * 16)) / 16) for _ in range(200)]  # fmt: skip
    for _ in range(2):  # the second pass answers from the remembered cells
        for iso3, lon, lat in points:
            assert index.contains(iso3, lon, lat) == exact_contains(iso3, lon, lat), (
                iso3,
                lon,
                lat,
            )
    assert index.contains("TUV", 10.0, 10.0) is None  # no polygon: not checked


def test_cells_are_forgotten_beyond_the_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    from geo.importers import _countries

    index = countries()
    monkeypatch.setattr(_countries, "MAX_CELLS", 5)
    for k in range(40):
        lon, lat = 40.0 + k / 8, 33.0
        assert index.contains("IRQ", lon, lat) == exact_contains("IRQ", lon, lat)
        assert len(index._cells) <= 5


def test_acled_rows_of_a_big_file_agree_with_the_exact_test(tmp_path: Path) -> None:
    path = tmp_path / "acled.csv"
    write_acled_csv(path, 500, seed=2, bad_rate=0.2)
    for inc in islice(read_items(path, today=date(2026, 1, 1)), 500):
        if isinstance(inc, Incident) and inc.latitude is not None:
            assert exact_contains(inc.country, inc.longitude, inc.latitude)
