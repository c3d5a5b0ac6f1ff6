"""The "Add reporting" page in a real browser: paste an article, read the candidate with its
evidence marked, accept it, save it, and find it on the map.  (Its own module: its app server
gets a fresh store.)"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from test_browser import AtlasPage, atlas_page, open_app, screenshot  # noqa: F401

from geo.io.geojson import read_bundled

pytestmark = pytest.mark.browser

ARTICLE = (
    "A drone attack targeted US forces at the Conoco gas field in eastern Syria on Tuesday, "
    "a US defense official said. There were no injuries. Officials said US forces have been "
    "attacked more than 150 times since October."
)


def test_paste_extract_accept_save(atlas_page: AtlasPage) -> None:  # noqa: F811 (the fixture)
    ap = atlas_page
    open_app(ap)  # the store is seeded
    ap.page.get_by_test_id("stSidebarNav").get_by_role("link", name="Add reporting").click()
    ap.page.get_by_label("Article text").fill(ARTICLE)
    ap.page.get_by_role("button", name="Extract incidents").click()
    expect(ap.page.get_by_role("heading", name="1 candidate incident(s)")).to_be_visible(
        timeout=30_000
    )
    card = ap.page.locator(".st-key-rev_card_0")
    expect(card.locator("mark").first).to_contain_text("Conoco gas field")
    expect(card.locator("mark")).to_have_count(2)  # the attack and its casualty sentence
    expect(card.get_by_role("radiogroup")).to_be_visible()
    screenshot(ap, "review.png")
    ap.page.get_by_role("button", name="Save 1 accepted").click()
    expect(ap.page.get_by_text("Saved: 1 new")).to_be_visible(timeout=30_000)

    ap.page.get_by_test_id("stSidebarNav").get_by_role("link", name="Map").click()
    frames = ap.page.frame_locator("iframe[title='streamlit_folium.st_folium']")
    bundled = sum(i.site_id == "conoco" and i.event_type == "attack" for i in read_bundled())
    expect(frames.locator('div.atlas-site[data-site-id="conoco"]')).to_have_text(
        str(bundled + 1), timeout=30_000
    )
    ap.assert_offline()
