"""``python -m geo import`` and friends against a real store: nothing offered is lost, a second
import adds nothing, revisions keep history and the data can be read as of a batch or date."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from geo.importers import write_csv
from geo.io.geojson import read_incidents
from geo.paths import CAMPAIGN_GEOJSON, INCIDENTS_GEOJSON, ROOT

UCDP = ROOT / "tests" / "fixtures" / "ucdp_ged_sample_BGD.csv"


def run(store: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "geo", *args, "--store", str(store)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={k: v for k, v in os.environ.items() if k != "ATLAS_STORE"},
    )


def ok(out: subprocess.CompletedProcess[str]) -> Any:
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_ucdp_sample_every_event_stored_or_rejected_then_nothing_added(tmp_path: Path) -> None:
    assert UCDP.is_file(), f"the UCDP fixture is missing: {UCDP}"
    store = tmp_path / "new" / "atlas.sqlite"  # --store with a new path creates it
    rejects = tmp_path / "rejects.csv"
    first = ok(run(store, "import", str(UCDP), "--rejects", str(rejects)))
    assert first["read"] == 601
    assert first["stored"] + first["rejected"] == 601
    assert first["files"][0]["file"] == UCDP.name
    with open(rejects, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == first["rejected"]
    for row in rows:
        assert row["file"] and row["row"].isdigit() and row["field"] and row["reason"]

    second = ok(run(store, "import", str(UCDP)))
    assert second["stored"] == 0 and second["revised"] == 0
    assert second["duplicates"] == first["stored"]
    geo = ok(run(store, "incidents"))
    ucdp = [f for f in geo["features"] if f["properties"]["dataset"] == "ucdp"]
    assert len(ucdp) == first["stored"]
    assert all(f["id"].startswith("ucdp:") for f in ucdp)
    batches = ok(run(store, "batches"))
    assert [b["file"] for b in batches][-2:] == [UCDP.name, UCDP.name]


def test_revision_history_and_as_of(tmp_path: Path) -> None:
    store = tmp_path / "atlas.sqlite"
    # seed records the campaign does not revise: the store holds them as the seed file has them
    revised = {i.id for i in read_incidents(CAMPAIGN_GEOJSON)}
    incidents = [i for i in read_incidents(INCIDENTS_GEOJSON) if i.id not in revised][:3]
    assert len(incidents) == 3
    v1 = tmp_path / "v1.csv"
    write_csv(incidents, v1)
    first = ok(run(store, "import", str(v1)))
    assert first["stored"] == 0 and first["duplicates"] == 3  # the bundled file holds them
    changed = [incidents[0].model_copy(update={"notes": "revised note"}), *incidents[1:]]
    v2 = tmp_path / "v2.csv"
    write_csv(changed, v2)
    second = ok(run(store, "import", str(v2)))
    assert (second["revised"], second["duplicates"]) == (1, 2)

    history = ok(run(store, "history", incidents[0].id))
    assert [v["incident"]["notes"] for v in history] == [incidents[0].notes, "revised note"]
    before = history[1]["batch"] - 1
    then = ok(run(store, "incidents", "--as-of", str(before)))
    now = ok(run(store, "incidents"))
    note = {f["id"]: f["properties"]["notes"] for f in then["features"]}
    assert note[incidents[0].id] == incidents[0].notes
    assert {f["id"]: f["properties"]["notes"] for f in now["features"]}[incidents[0].id] == (
        "revised note"
    )


def test_a_bad_file_is_reported_and_the_others_still_import(tmp_path: Path) -> None:
    store = tmp_path / "atlas.sqlite"
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"")
    good = tmp_path / "good.geojson"
    good.write_text(INCIDENTS_GEOJSON.read_text(encoding="utf-8"), encoding="utf-8")
    out = run(store, "import", str(bad), str(good))
    assert out.returncode == 1
    assert "bad.csv" in out.stderr and "Traceback" not in out.stderr
    summary = json.loads(out.stdout)
    assert summary["files"][0]["error"]
    assert summary["files"][1]["file"] == "good.geojson"


@pytest.mark.parametrize("as_of", ["yesterday", "2024-13-01"])
def test_bad_as_of(tmp_path: Path, as_of: str) -> None:
    out = run(tmp_path / "s.sqlite", "incidents", "--as-of", as_of)
    assert out.returncode == 2 and "batch number or a date" in out.stderr


def test_an_import_brings_the_apps_frame_cache_up_to_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After ``geo import`` the app's next open reads the frame cache, not the whole store."""
    from geo.store import frame_cache, open_store

    frames = tmp_path / "frames"
    monkeypatch.setenv("ATLAS_FRAME_CACHE", str(frames))
    store = tmp_path / "atlas.sqlite"
    stored = ok(run(store, "import", str(UCDP)))["stored"]
    assert stored > 0
    s = open_store(str(store))
    try:
        count = s.count()

        def read_the_store(*args: Any, **kwargs: Any) -> Any:
            raise AssertionError("the frame was read from the store, not the cache")

        monkeypatch.setattr(s, "frame", read_the_store)
        assert len(frame_cache.load(s)) == count
    finally:
        s.close()
