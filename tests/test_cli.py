"""``python -m geo``: JSON on stdout, errors on stderr with a non-zero exit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import pytest

from geo import query
from geo.gazetteer import Gazetteer
from geo.io.geojson import read_bundled
from geo.paths import ROOT

STORE = Path(tempfile.mkdtemp(prefix="atlas-cli-")) / "store.sqlite"


def run(*args: str, store: Path = STORE) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ATLAS_STORE": str(store)}
    return subprocess.run(
        [sys.executable, "-m", "geo", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


@pytest.mark.parametrize(
    ("name", "site_id"),
    [
        ("Ain al-Asad", "al_asad"),
        ("Al-Assad Airbase", "al_asad"),
        ("al-Tanf garrison", "al_tanf"),
        ("al-Harir", "harir"),
        ("Tower 22", "tower_22"),
    ],
)
def test_geocode_known(name: str, site_id: str) -> None:
    out = run("geocode", name)
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout)
    site = Gazetteer.load().get(site_id)
    assert got == {
        "site_id": site_id,
        "name": site.name,
        "latitude": site.latitude,
        "longitude": site.longitude,
        "country": site.country,
    }


@pytest.mark.parametrize("name", ["Baghdad", "Tower 23", "Springfield"])
def test_geocode_unknown(name: str) -> None:
    out = run("geocode", name)
    assert out.returncode == 1
    assert out.stdout == ""
    assert out.stderr.strip() == f"not found: {name}"


def test_incidents_all_and_range() -> None:
    everything = json.loads(run("incidents").stdout)
    assert everything["type"] == "FeatureCollection"
    assert len(everything["features"]) == len(read_bundled())
    narrowed = json.loads(run("incidents", "--start", "2024-01-01", "--end", "2024-12-31").stdout)
    for f in narrowed["features"]:
        assert f["properties"]["date_end"] >= "2024-01-01"
        assert f["properties"]["date_start"] <= "2024-12-31"
    frame = query.to_frame(read_bundled())
    want = query.apply(frame, query.Filters(start=date(2024, 1, 1), end=date(2024, 12, 31)))
    assert sorted(f["id"] for f in narrowed["features"]) == sorted(want["id"])
    assert 0 < len(narrowed["features"]) < len(everything["features"])


def test_incident_properties_are_the_public_fields() -> None:
    feature = json.loads(run("incidents").stdout)["features"][0]
    assert set(feature["properties"]) == {
        "id",
        "dataset",
        "event_type",
        "date_start",
        "date_end",
        "date_precision",
        "site_id",
        "location",
        "country",
        "admin1",
        "geo_precision",
        "weapons",
        "outcome",
        "damage",
        "killed_min",
        "killed_max",
        "injured_min",
        "injured_max",
        "claimed_by",
        "attributed_to",
        "status",
        "sources",
        "notes",
        "responds_to",
        "review",
    }


def test_summary_matches_the_query_layer() -> None:
    out = run("summary", "--start", "2023-11-01", "--end", "2023-11-30")
    rows = json.loads(out.stdout)
    filters = query.Filters(start=date(2023, 11, 1), end=date(2023, 11, 30))
    # in the store's order (date, then id): a site lists its sources in order of appearance
    bundled = sorted(read_bundled(), key=lambda i: (i.date_start, i.id))
    frame = query.apply(query.to_frame(bundled), filters)
    want = query.site_summaries(
        query.for_summaries(frame, filters), Gazetteer.load(), date(2023, 11, 30)
    )
    assert rows == [r.as_dict() for r in want]
    assert rows[0]["site_id"] == "al_asad"
    assert "tower_22" not in {r["site_id"] for r in rows}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["incidents", "--start", "yesterday"], "expected a date YYYY-MM-DD"),
        (["summary", "--start", "2024-02-01", "--end", "2024-01-01"], "is after --end"),
        (["explode"], "invalid choice"),
    ],
)
def test_bad_arguments(args: list[str], message: str) -> None:
    out = run(*args)
    assert out.returncode == 2
    assert message in out.stderr
    assert "Traceback" not in out.stderr
