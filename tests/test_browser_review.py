"""The "Add reporting" page in a real browser: paste an article, read the candidate with its
evidence marked, find it undecided, accept it, save it, and follow the report's offer to the
map.  (Its own module: its app server
gets a fresh store.)"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from test_browser import GAZETTEER, AtlasPage, atlas_page, open_app, screenshot  # noqa: F401

from geo.io.geojson import read_bundled

pytestmark = pytest.mark.browser

ARTICLE = (
    "A drone attack targeted US forces at the Conoco gas field in eastern Syria on Tuesday, "
    "a US defense official said. There were no injuries. Officials said US forces have been "
    "attacked more than 150 times since October."
)
#: the publication date, as a ` date YYYY-MM-DD` header line ("Tuesday" is 2024-02-06)
DATE_HEADER = " date 2024-02-07\n"


def test_paste_extract_accept_save(atlas_page: AtlasPage) -> None:  # noqa: F811 (the fixture)
    ap = atlas_page
    open_app(ap)  # the store is seeded
    ap.page.get_by_test_id("stSidebarNav").get_by_role("link", name="Add reporting").click()
    # the text states its publication date in a header (the page never assumes today)
    ap.page.get_by_label("Article text").fill(DATE_HEADER + ARTICLE)
    ap.page.get_by_role("button", name="Extract incidents").click()
    expect(ap.page.get_by_role("heading", name="1 candidate incident(s)")).to_be_visible(
        timeout=30_000
    )
    card = ap.page.locator(".st-key-rev_card_0")
    expect(card.locator("mark").first).to_contain_text("Conoco gas field")
    expect(card.locator("mark")).to_have_count(2)  # the attack and its casualty sentence
    # the candidate starts undecided: nothing chosen, nothing to save
    decision = card.get_by_role("radiogroup")
    expect(decision).to_be_visible()
    expect(decision.get_by_role("radio")).to_have_count(3)
    for choice in ("accept", "edit", "reject"):
        expect(decision.get_by_role("radio", name=choice)).not_to_be_checked()
    expect(ap.page.get_by_role("button", name="Save 0 accepted")).to_be_disabled()
    expect(ap.page.get_by_text("1 candidate(s) not decided yet")).to_be_visible()
    screenshot(ap, "review.png")
    decision.get_by_text("accept", exact=True).click()
    expect(decision.get_by_role("radio", name="accept")).to_be_checked()
    ap.page.get_by_role("button", name="Save 1 accepted").click()
    expect(ap.page.get_by_text("Saved 1 incident: 1 new")).to_be_visible(timeout=30_000)

    # the report offers the map, and the map shows the saved incident at its site
    ap.page.get_by_role("button", name="Show it on the map").click()
    expect(ap.page.get_by_role("heading", name="Incident Atlas")).to_be_visible()
    frames = ap.page.frame_locator("iframe[title='components.map_panel.atlas_map']")
    bundled = sum(i.site_id == "conoco" and i.event_type == "attack" for i in read_bundled())
    expect(frames.locator('div.atlas-site[data-site-id="conoco"]')).to_have_text(
        str(bundled + 1), timeout=30_000
    )
    # its site is selected, with its range rings
    name = GAZETTEER.get("conoco").name
    expect(ap.page.get_by_role("combobox", name="Site (or click it on the map)")).to_have_value(
        name
    )
    expect(frames.locator("path.atlas-ring")).to_have_count(3)
    ap.assert_offline()
