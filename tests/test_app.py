"""The Streamlit app headless (AppTest): narrowing the range changes what the page reports.

The map itself is an opaque component here; its content is tested in test_map.py and in the
browser (test_browser.py).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo import query
from geo.gazetteer import Gazetteer
from geo.io.geojson import read_incidents
from geo.mapping.popups import esc
from geo.paths import INCIDENTS_GEOJSON, ROOT

FRAME = query.to_frame(read_incidents(INCIDENTS_GEOJSON))
SPAN = query.span(FRAME)


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("ATLAS_STORE", str(tmp_path / "atlas.sqlite"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def summary_of(at: AppTest) -> list[tuple[str, int]]:
    table = next(d for d in at.dataframe if "Days since last" in d.value.columns)
    return list(zip(table.value["Site"], table.value["Attacks"], strict=True))


def expected(start: date, end: date) -> list[tuple[str, int]]:
    frame = query.apply(FRAME, query.Filters(start=start, end=end))
    return [(r.site_name, r.incidents) for r in query.site_summaries(frame, Gazetteer.load(), end)]


def test_default_range_is_everything(app: AppTest) -> None:
    assert SPAN is not None
    assert app.session_state["atlas_range"] == SPAN
    assert summary_of(app) == expected(*SPAN)
    assert app.metric[0].label == "Attacks"
    assert int(app.metric[0].value) == int((FRAME["event_type"] == "attack").sum())


def test_narrowing_the_range_changes_the_site_summary(app: AppTest) -> None:
    assert SPAN is not None
    before = summary_of(app)
    app.date_input(key="range_from").set_value(date(2024, 1, 1)).run()
    assert not app.exception, app.exception
    after = summary_of(app)
    assert after == expected(date(2024, 1, 1), SPAN[1])
    assert after != before
    assert "Al-Tanf Garrison" not in dict(after)
    # the slider follows the typed date
    assert app.slider(key="range_slider").value == (date(2024, 1, 1), SPAN[1])


def test_slider_moves_the_range(app: AppTest) -> None:
    assert SPAN is not None
    app.slider(key="range_slider").set_value((date(2023, 11, 1), date(2023, 11, 30))).run()
    assert summary_of(app) == expected(date(2023, 11, 1), date(2023, 11, 30))
    assert app.date_input(key="range_to").value == date(2023, 11, 30)


def test_picking_a_site_lists_its_incidents_and_sources(app: AppTest) -> None:
    app.selectbox(key="site_select").set_value("al_asad").run()
    assert not app.exception, app.exception
    assert any(h.value == "Al-Asad Airbase" for h in app.subheader)
    incident_tables = [d.value for d in app.dataframe if "Quote" in d.value.columns]
    assert len(incident_tables) == 3  # the site's, all incidents, unlocated
    site_table = incident_tables[0]
    assert len(site_table) == int((FRAME["site_id"] == "al_asad").sum())
    assert set(site_table["Site"]) == {"Al-Asad Airbase"}
    shown = " ".join(h.proto.body for h in app.get("html"))
    for quote in FRAME[FRAME["site_id"] == "al_asad"]["sources"].map(lambda s: s[0].quote):
        assert esc(quote) in shown


def test_empty_range_says_so(app: AppTest) -> None:
    app.slider(key="range_slider").set_value((date(2023, 12, 1), date(2023, 12, 2))).run()
    assert not app.exception, app.exception
    assert any("No attacks on a known site" in i.value for i in app.info)


def _import_page() -> None:
    from components import import_page

    import_page.render()


def test_import_page_lists_the_batches(app: AppTest) -> None:
    at = AppTest.from_function(_import_page, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Import"
    batches = next(d.value for d in at.dataframe if "stored" in d.value.columns)
    assert batches["file"].tolist() == ["bundled:incidents.geojson"]
    assert int(batches["stored"].iloc[0]) == len(FRAME)


def test_as_of_picker_offers_every_batch(app: AppTest) -> None:
    picker = app.selectbox(key="as_of_batch")
    assert picker.options[0] == "now (latest import)"
    assert any("bundled:incidents.geojson" in o for o in picker.options[1:])
