"""The incident model: every rule refuses what it should, naming field, value and rule."""

from __future__ import annotations

from typing import Any

import pytest

from geo.errors import ValidationError
from geo.model import (
    WEAPONS,
    from_feature,
    incident_id,
    parse_incident,
    to_feature,
)


def valid(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "event_type": "attack",
        "date_start": "2023-10-17",
        "date_end": "2023-10-18",
        "date_precision": 2,
        "site_id": "al_asad",
        "location": "Al-Assad Airbase",
        "country": "IRQ",
        "geo_precision": 1,
        "longitude": 42.44117,
        "latitude": 33.78567,
        "weapons": ["drone"],
        "sources": [{"article": "a1", "published": "2023-11-07", "quote": "It happened."}],
    }
    base.update(changes)
    return base


def test_valid_incident_gets_a_content_id() -> None:
    inc = parse_incident(valid())
    assert inc.id.startswith("atl-") and inc.id == incident_id(inc)


def test_id_depends_on_content_not_order() -> None:
    a = parse_incident(valid())
    b = parse_incident(valid(notes="a different note", weapons=["rocket"]))
    c = parse_incident(valid(date_end="2023-10-19", date_precision=2))
    assert a.id == b.id  # the same record described differently
    assert a.id != c.id


def test_id_tells_apart_records_from_different_sources() -> None:
    """Two attacks at one site on one day, reported by different sources, are two records;
    the same sources in another order are the same record."""
    drone = parse_incident(valid(weapons=["drone"]))
    rockets = parse_incident(
        valid(
            weapons=["rocket"],
            sources=[{"article": "a2", "published": "2023-11-07", "quote": "Rockets hit."}],
        )
    )
    assert drone.id != rockets.id and drone.id.startswith("atl-")
    two = [
        {"article": "a1", "published": "2023-11-07", "quote": "It happened."},
        {"article": "a2", "published": "2023-11-08", "quote": "Rockets hit."},
    ]
    assert parse_incident(valid(sources=two)).id == parse_incident(valid(sources=two[::-1])).id
    assert parse_incident(valid(id="acled:IRQ1")).id == "acled:IRQ1"  # a given id is kept


@pytest.mark.parametrize(
    ("changes", "field", "rule"),
    [
        ({"event_type": "riot"}, "event_type", "attack"),
        ({"date_start": "2023-13-01"}, "date_start", "date"),
        ({"date_end": "2023-10-01"}, "date_end", "before date_start"),
        ({"date_precision": 1}, "date_precision", "at most 0 days"),
        ({"date_precision": 6}, "date_precision", "less than or equal to 5"),
        ({"date_end": "2023-10-30", "date_precision": 2}, "date_precision", "at most 5 days"),
        (
            {"date_start": "2023-01-01", "date_end": "2023-03-01", "date_precision": 4},
            "date_precision",
            "at most 30 days",
        ),
        ({"country": "Iraq"}, "country", "pattern"),
        ({"geo_precision": 0}, "geo_precision", "greater than or equal to 1"),
        ({"geo_precision": 8}, "geo_precision", "less than or equal to 7"),
        ({"longitude": 200.0}, "longitude", "less than or equal to 180"),
        ({"latitude": -91.0}, "latitude", "greater than or equal to -90"),
        ({"latitude": float("nan")}, "latitude", "finite"),
        ({"longitude": None}, "longitude", "both"),
        ({"weapons": []}, "weapons", "at least 1"),
        ({"weapons": ["laser"]}, "weapons.0", "drone"),
        ({"weapons": ["drone", "drone"]}, "weapons", "repeat"),
        ({"weapons": ["unknown", "rocket"]}, "weapons", "unknown"),
        ({"outcome": "destroyed"}, "outcome", "impact"),
        ({"status": "rumoured"}, "status", "confirmed"),
        ({"killed_min": -1}, "killed_min", "greater than or equal to 0"),
        ({"killed_min": 3, "killed_max": 2}, "killed_min", "killed_max"),
        ({"injured_min": 5, "injured_max": 1}, "injured_min", "injured_max"),
        ({"sources": []}, "sources", "at least 1"),
        (
            {"sources": [{"article": "a", "published": "2023-11-07", "quote": ""}]},
            "sources.0.quote",
            "at least 1",
        ),
        ({"location": ""}, "location", "at least 1"),
        ({"colour": "red"}, "colour", "Extra inputs"),
    ],
)
def test_rules(changes: dict[str, Any], field: str, rule: str) -> None:
    with pytest.raises(ValidationError) as err:
        parse_incident(valid(**changes), record="row 7")
    assert err.value.field == field
    assert rule in err.value.rule
    assert "row 7" in str(err.value) and field in str(err.value)


def test_casualty_conventions() -> None:
    at_least_five = parse_incident(valid(injured_min=5, injured_max=None))
    none_reported = parse_incident(valid(killed_min=0, killed_max=0))
    assert (at_least_five.injured_min, at_least_five.injured_max) == (5, None)
    assert none_reported.killed_max == 0 and parse_incident(valid()).killed_max is None


def test_feature_round_trip_keeps_lon_lat_order() -> None:
    inc = parse_incident(valid())
    feature = to_feature(inc)
    assert feature["geometry"] == {"type": "Point", "coordinates": [42.44117, 33.78567]}
    assert "longitude" not in feature["properties"]
    assert from_feature(feature) == inc


def test_unlocated_feature_has_null_geometry() -> None:
    inc = parse_incident(valid(longitude=None, latitude=None, site_id=None, geo_precision=6))
    feature = to_feature(inc)
    assert feature["geometry"] is None
    assert from_feature(feature) == inc


@pytest.mark.parametrize(
    "geometry",
    [
        {"type": "LineString", "coordinates": [[1, 2], [3, 4]]},
        {"type": "Point", "coordinates": [1]},
        {"type": "Point"},
        "POINT (1 2)",
    ],
)
def test_bad_geometry_is_refused(geometry: Any) -> None:
    feature = to_feature(parse_incident(valid()))
    feature["geometry"] = geometry
    with pytest.raises(ValidationError, match="geometry"):
        from_feature(feature)


def test_vocabulary_has_the_issue_words() -> None:
    assert {
        "drone",
        "rocket",
        "ballistic_missile",
        "ied",
        "mortar",
        "small_arms",
        "unknown",
    } <= set(WEAPONS)


# --- control characters: refused in every text field, by one check in the model -----------------

#: every free-text field of the model, sources included (a new ``str`` field is checked by the
#: same validator: ``test_every_str_field_is_checked``)
TEXT_FIELDS = (
    "id",
    "dataset",
    "site_id",
    "location",
    "country",
    "admin1",
    "damage",
    "claimed_by",
    "attributed_to",
    "notes",
    "responds_to",
    "sources.0.article",
    "sources.0.quote",
    "sources.0.outlet",
)
#: every C0 control character but tab, line feed and carriage return
CONTROLS = [chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20))]


def with_text(field: str, value: str) -> dict[str, Any]:
    if field.startswith("sources.0."):
        source = {"article": "a1", "published": "2023-11-07", "quote": "It happened."}
        source[field.removeprefix("sources.0.")] = value
        return valid(sources=[source])
    return valid(**{field: value})


def test_every_str_field_is_checked() -> None:
    from geo.model import Incident, Source

    top_level = tuple(f for f in TEXT_FIELDS if "." not in f)
    assert Incident._text_fields == top_level
    assert Source._text_fields == ("article", "outlet", "quote", "url")


@pytest.mark.parametrize("field", TEXT_FIELDS)
@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x07", "\x0b", "\x0c", "\x1f"])
def test_control_characters_are_refused_in_every_text_field(field: str, char: str) -> None:
    """NUL (PostgreSQL refuses it) and the other C0 controls: a ValidationError naming the field
    and the character, from whichever path builds the record."""
    value = f"AB{char}C"
    with pytest.raises(ValidationError) as err:
        parse_incident(with_text(field, value), record="row 7")
    assert err.value.field == field and err.value.value == value
    if field in ("dataset", "country", "sources.0.url"):  # their patterns refuse it first
        assert "pattern" in err.value.rule
    else:
        what = "a NUL character" if char == "\x00" else f"control character U+{ord(char):04X}"
        assert what in err.value.rule and "(character 3)" in err.value.rule
    assert "row 7" in str(err.value) and char not in str(err.value)  # echoed as an escape


@pytest.mark.parametrize("char", CONTROLS)
def test_each_control_character_is_refused(char: str) -> None:
    with pytest.raises(ValidationError) as err:
        parse_incident(valid(notes=f"x{char}"))
    assert err.value.field == "notes"


def test_tabs_and_line_breaks_are_text() -> None:
    text = "one\ttwo\nthree\r\nfour\rfive \u2028 \u200b \x7f \x85 \ufeff"
    inc = parse_incident(with_text("sources.0.quote", text) | {"notes": text})
    assert inc.notes == text and inc.sources[0].quote == text


def test_model_validate_and_source_refuse_them_too() -> None:
    """Not only parse_incident: the model itself (as the review page's merge and the stores use
    it), and a Source on its own."""
    import pydantic

    from geo.model import Incident, Source

    with pytest.raises(pydantic.ValidationError):
        Incident.model_validate(valid(claimed_by="IRI\x00"))
    with pytest.raises(pydantic.ValidationError):
        Source(article="a\x1b[2J", published="2023-11-07", quote="q")  # type: ignore[arg-type]


def test_an_id_with_control_characters_is_named_not_echoed() -> None:
    with pytest.raises(ValidationError) as err:
        parse_incident(valid(id="x\x1b[2Jy", notes="\x07"))
    assert "\x1b" not in str(err.value) and "\\x1b" in str(err.value)
