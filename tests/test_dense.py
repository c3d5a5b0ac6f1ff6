"""Dense and imported data (issue 18), without a browser: the default range and first view
follow the attacks, imported events beyond the region get the world's countries (web map and
snapshot), vague imports do not bury the map in circles, the regional synthetic ACLED file."""

from __future__ import annotations

import csv
import json
import re
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from geo import query
from geo.export import View, snapshot
from geo.gazetteer import Gazetteer
from geo.importers import read_items
from geo.importers.synth_acled import TOWNS, write_acled_csv
from geo.io.geojson import read_incidents
from geo.mapping import build_map, markers
from geo.mapping.build import view_bounds
from geo.mapping.plugins.basemap import REGION_BOX, world_around
from geo.mapping.plugins.incidents import MAX_CIRCLES
from geo.mapping.style import LAND, SEA
from geo.model import Incident, parse_incident
from geo.paths import INCIDENTS_GEOJSON, ROOT

GAZ = Gazetteer.load()
BUNDLED = read_incidents(INCIDENTS_GEOJSON)
UCDP = ROOT / "tests" / "fixtures" / "ucdp_ged_sample_BGD.csv"
DHAKA = (23.81, 90.41)


def imported(path: Path) -> list[Incident]:
    return [i for i in read_items(path) if isinstance(i, Incident)]


def other_event(lat: float, lng: float, day: str, **kw: Any) -> Incident:
    data: dict[str, Any] = {
        "event_type": "other", "date_start": day, "date_end": day, "date_precision": 1,
        "location": "somewhere", "country": "BGD", "geo_precision": 1,
        "latitude": lat, "longitude": lng, "weapons": ["small_arms"],
        "sources": [{"article": "test", "published": day, "quote": "A test sentence."}],
    }  # fmt: skip
    data.update(kw)
    return parse_incident(data)


def test_the_default_range_is_the_attacks_span_not_the_imports() -> None:
    ucdp = imported(UCDP)
    frame = query.to_frame(BUNDLED + ucdp)
    whole, subject = query.span(frame), query.subject_span(frame)
    assert whole is not None and subject is not None
    assert subject == query.span(query.to_frame(BUNDLED))  # the bundled data: attacks, strikes
    assert whole[0] < date(2000, 1, 1) < subject[0], (whole, subject)
    # nothing but imported other events: their own span
    only = query.to_frame(ucdp)
    assert query.subject_span(only) == query.span(only)
    assert query.subject_span(query.to_frame([])) is None


def test_the_first_view_holds_the_attacks_not_a_far_import() -> None:
    far = [other_event(*DHAKA, "2024-01-05"), other_event(22.3, 91.8, "2024-01-06")]
    dots, hubs = markers(query.to_frame(BUNDLED + far), GAZ)
    (south, west), (north, east) = view_bounds(dots, hubs)
    assert east < 60 and west > 30, "the view must stay on the region's attacks"
    # only other events: the view goes to them
    dots, hubs = markers(query.to_frame(far), GAZ)
    (south, west), (north, east) = view_bounds(dots, hubs)
    assert west < DHAKA[1] < east and south < DHAKA[0] < north


def test_the_world_is_drawn_round_events_beyond_the_region() -> None:
    inside = [(33.5, 41.5), (36.3, 43.1)]
    assert world_around(inside) is None  # the region's own file covers it: no extra bytes
    world = world_around([*inside, DHAKA])
    assert world is not None
    names = {f["properties"]["name"] for f in world["features"]}
    assert {"Bangladesh", "India", "Myanmar"} <= names
    assert "Brazil" not in names  # only round the data
    page = build_map(query.to_frame([*BUNDLED, other_event(*DHAKA, "2024-01-05")]), GAZ)
    html = page.get_root().render()
    assert '"Bangladesh"' in html
    assert '"Bangladesh"' not in build_map(query.to_frame(BUNDLED), GAZ).get_root().render()
    lo_lng, lo_lat, hi_lng, hi_lat = REGION_BOX
    assert lo_lng < 41.5 < hi_lng and lo_lat < 33.5 < hi_lat


def _pixel(snap: snapshot.Snapshot, lon: float, lat: float) -> str:
    image = Image.open(BytesIO(snap.png())).convert("RGB")
    x, y = snap.project(lon, lat)
    r, g, b = image.getpixel((round(x), round(y)))
    return f"#{r:02x}{g:02x}{b:02x}"


def test_the_snapshot_draws_land_under_events_beyond_the_region() -> None:
    events = [*BUNDLED, other_event(*DHAKA, "2024-01-05")]
    view = View(frame=query.to_frame(events), filters=query.Filters(), gazetteer=GAZ,
                as_of="test data")  # fmt: skip
    snap = snapshot.render(view)
    # inland India, well away from any pin or label: land now, sea before
    assert _pixel(snap, 79.0, 23.0) == LAND
    assert _pixel(snap, 64.0, 18.0) == SEA  # the Arabian Sea stays sea


def test_vague_imports_start_with_their_circles_hidden() -> None:
    ucdp = query.to_frame(imported(UCDP))
    html = build_map(ucdp, GAZ).get_root().render()
    names = json.loads(re.search(r"var names = (\{.*?\});", html).group(1))  # type: ignore[union-attr]
    dots, _ = markers(ucdp, GAZ)
    assert len({(d.lat, d.lng) for d in dots if d.geo_precision >= 2}) > MAX_CIRCLES
    assert names["uncertainty"][1] is False and names["uncertainty"][2] is True
    bundled = build_map(query.to_frame(BUNDLED), GAZ).get_root().render()
    names = json.loads(re.search(r"var names = (\{.*?\});", bundled).group(1))  # type: ignore[union-attr]
    assert names["uncertainty"][1] is True


def test_a_regional_acled_file_stays_round_its_towns(tmp_path: Path) -> None:
    path = tmp_path / "acled.csv"
    towns = ("Mosul", "Baghdad", "Deir ez-Zor")
    write_acled_csv(path, 300, seed=4, towns=towns)
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 300
    centres = [(t[4], t[5]) for t in TOWNS if t[3] in towns]
    for row in rows:
        lat, lng = float(row["latitude"]), float(row["longitude"])
        assert any(abs(lat - a) <= 0.6 and abs(lng - b) <= 0.6 for a, b in centres), row
    # most of them at the very same few points: the dense case the map must count
    points = {(r["latitude"], r["longitude"]) for r in rows}
    assert len(points) < len(rows) / 2
    with pytest.raises(ValueError, match="expected names from"):
        write_acled_csv(tmp_path / "x.csv", 1, towns=("Atlantis",))


def test_the_headline_counts_other_events_apart_from_attacks() -> None:
    frame = query.to_frame(BUNDLED + imported(UCDP))
    head = query.headline(frame)
    assert head.others == int((frame["event_type"] == "other").sum()) > 500
    assert head.attacks == int((frame["event_type"] == "attack").sum())
    start, end = query.subject_span(frame) or (None, None)
    narrowed = query.headline(frame, query.Filters(start=start, end=end))
    assert narrowed.others < head.others  # the default range leaves most of the import out


def test_the_app_opens_an_import_on_the_attacks_range(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app on a store holding the UCDP sample (events back to 1989): the range it opens on
    is the attacks', the headline names the other events apart, and the new range buttons
    switch between the attacks' dates and all of them."""
    from streamlit.testing.v1 import AppTest

    from geo.ingest import import_file
    from geo.io.geojson import read_bundled
    from geo.store import open_store

    path = tmp_path / "atlas.sqlite"
    store = open_store(str(path))
    import_file(store, UCDP)
    frame = store.frame()
    store.close()
    whole, subject = query.span(frame), query.subject_span(frame)
    assert subject == query.span(query.to_frame(read_bundled())) and whole != subject
    monkeypatch.setenv("ATLAS_STORE", str(path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    assert at.session_state["atlas_range"] == subject

    def said(at: AppTest) -> list[str]:
        return [c.value for c in at.caption if "(imported) in range" in c.value]

    others = query.headline(frame, query.Filters(start=subject[0], end=subject[1])).others
    if others:  # the sample's events inside the attacks' dates, if any, are named apart
        assert len(said(at)) == 1 and said(at)[0].startswith(f"{others:,} other event"), said(at)
    else:
        assert said(at) == [], said(at)
    next(b for b in at.button if b.label == "All dates").click().run()
    assert at.session_state["atlas_range"] == whole
    every = int((frame["event_type"] == "other").sum())
    assert len(said(at)) == 1 and said(at)[0].startswith(f"{every:,} other events"), said(at)
    next(b for b in at.button if b.label == "Attack dates").click().run()
    assert at.session_state["atlas_range"] == subject
