"""The import page in a real browser: upload a real UCDP export, watch it import, read the
report (which stays through the download and reruns, and opens again from the batch
list), and find the events on the map through the data-source filter.  (A module of its own:
its app server gets a fresh store, so the other browser tests keep the bundled data.)"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from test_browser import AtlasPage, atlas_page, open_app, screenshot, wait_for_map  # noqa: F401

from geo import query
from geo.importers import read_items
from geo.io.geojson import read_bundled
from geo.model import Incident
from geo.paths import ROOT

pytestmark = pytest.mark.browser
expect.set_options(timeout=30_000)

UCDP = ROOT / "tests" / "fixtures" / "ucdp_ged_sample_BGD.csv"
BUNDLED_LOCATED = [i.id for i in read_bundled() if i.longitude is not None]


def in_attack_range(items: list[Any]) -> list[str]:
    """Located ids the map shows by default once ``items`` are imported: the attacks' span."""
    frame = query.to_frame(read_bundled() + [i for i in items if isinstance(i, Incident)])
    start, end = query.subject_span(frame) or (None, None)
    whole = query.span(frame)
    assert whole is not None and start is not None and whole[0] < start, "no older imports"
    rows = query.apply(frame, query.Filters(start=start, end=end))
    return sorted(str(i) for i in rows[rows["longitude"].notna()]["id"])


def test_upload_a_ucdp_export(atlas_page: AtlasPage) -> Any:  # noqa: F811 (the fixture)
    ap = atlas_page
    assert UCDP.is_file(), f"the UCDP fixture is missing: {UCDP}"
    items = list(read_items(UCDP))
    stored = sorted(i.id for i in items if isinstance(i, Incident) and i.longitude is not None)
    rejected = len(items) - len([i for i in items if isinstance(i, Incident)])
    base = open_app(ap)  # the map page first: the store is seeded
    assert base is not None

    ap.page.goto(ap.base_url + "/import")
    ap.page.locator('input[type="file"]').set_input_files(str(UCDP))
    expect(ap.page.get_by_test_id("stFileChip")).to_have_count(1)
    ap.page.get_by_role("button", name="Import", exact=True).click()
    metrics = ap.page.get_by_test_id("stMetric")
    expect(metrics.filter(has_text="Read")).to_contain_text("601")
    expect(metrics.filter(has_text="Rejected")).to_contain_text(str(rejected))
    download = ap.page.get_by_role("button", name="Download the rejected rows (CSV)")
    expect(download).to_be_visible()
    report = ap.page.locator(".st-key-import_report_0")
    reasons = report.get_by_test_id("stDataFrame")
    expect(reasons).to_be_visible()
    screenshot(ap, "import.png")

    # The download gives the rejected rows, and the report stays: counts, reasons, button.
    with ap.page.expect_download() as info:
        download.click()
    csv_text = Path(info.value.path()).read_text(encoding="utf-8")
    assert csv_text.splitlines()[0] == "file,row,field,value,reason"
    assert len(csv_text.splitlines()) == rejected + 1
    expect(metrics.filter(has_text="Rejected")).to_contain_text(str(rejected))
    expect(reasons).to_be_visible()
    expect(download).to_be_visible()

    # ... and any rerun (here: opening the batch again from the batch list) keeps it too;
    # the batch list reopens the same rejects.
    picker = ap.page.get_by_role("combobox", name="Open a batch's report")
    picker.click()
    picker.fill(UCDP.name)
    ap.page.keyboard.press("Enter")
    expect(picker).to_have_value(re.compile(re.escape(f"{UCDP.name} ({rejected:,} rejected)")))
    past = ap.page.locator(".st-key-import_past_report")
    expect(past.get_by_test_id("stMetric").filter(has_text="Rejected")).to_contain_text(
        str(rejected)
    )
    expect(past.get_by_role("button", name="Download the rejected rows (CSV)")).to_be_visible()
    expect(report.get_by_test_id("stDataFrame")).to_be_visible()

    # On the map: the range stays on the attacks (the import reaches back to 1989), so only
    # the imported events inside it show; "All dates" brings every one of them.
    ap.page.get_by_test_id("stSidebarNav").get_by_role("link", name="Map").click()
    wait_for_map(ap, in_attack_range(items))
    ap.page.get_by_test_id("stSidebar").get_by_role("button", name="All dates").click()
    wait_for_map(ap, sorted(BUNDLED_LOCATED + stored))
    # ... and the data-source filter shows exactly the imported, located UCDP events.
    source = (
        ap.page.get_by_test_id("stSidebar")
        .get_by_test_id("stMultiSelect")
        .filter(has_text="Data source")
    )
    box = source.get_by_role("combobox")
    box.click()
    box.fill("ucdp")
    ap.page.keyboard.press("Enter")
    ap.page.keyboard.press("Escape")
    wait_for_map(ap, stored)
    ap.assert_offline()
