"""The app in Chromium on a store past the map's dot limit: the map counts (site hubs, shaded
grid cells), and clicking a site draws that site's own latest incidents at once.

Runs conftest's app server on a store of its own: the bundled incidents plus synthetic ones
written with :func:`geo.synth.fill_store` (enough for the map to switch to counts).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from conftest import AtlasAppServer, atlas_app_server
from playwright.sync_api import expect
from test_browser import (  # noqa: F401 (atlas_page: the fixture)
    WAIT,
    AtlasPage,
    atlas_page,
    screenshot,
    settle_paint,
    wait_for_map,
)

from geo.gazetteer import Gazetteer
from geo.mapping.build import MAX_DOTS
from geo.store import open_store
from geo.store.sql import SqlStore

pytestmark = pytest.mark.browser

SYNTHETIC = 3 * MAX_DOTS
SITE = "al_asad"
GAZ = Gazetteer.load()


@pytest.fixture(scope="module")
def store_frame(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The store file and the frame it holds."""
    from geo.synth import fill_store

    folder = tmp_path_factory.mktemp("atlas_scale")
    path = folder / "atlas.sqlite"
    store = open_store(str(path))
    assert isinstance(store, SqlStore)
    fill_store(store, SYNTHETIC, seed=21)
    frame = store.frame()
    store.close()
    return path, frame


@pytest.fixture(scope="module")
def atlas_browser_app(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, store_frame: Any
) -> Iterator[AtlasAppServer]:
    """conftest's app server on the big store."""
    path, _ = store_frame
    with atlas_app_server(request, path, path.parent) as server:
        yield server


def test_a_click_on_a_site_draws_its_own_incidents_at_once(
    atlas_page: AtlasPage,  # noqa: F811
    store_frame: Any,
) -> None:
    ap = atlas_page
    _, frame = store_frame
    located = frame[frame["longitude"].notna()]
    assert len(located) > MAX_DOTS
    ap.page.goto(ap.base_url)
    expect(ap.page.get_by_text("located incidents in range: the map counts them")).to_be_visible(
        timeout=WAIT
    )
    m = wait_for_map(ap, [])  # counted, not drawn one by one; the script idle
    settle_paint(m)  # hubs pushed apart where they overlap: click where they end up
    # incidents away from sites: shaded squares (with their count in a tooltip)
    assert m.locator("path.leaflet-interactive").count() > 0

    # the whole map in view: a click near the window's bottom edge does not reach the map
    # in this Chromium (the page's own point there is the map's iframe, yet Leaflet sees none)
    m.frame_element().scroll_into_view_if_needed()
    hub = m.locator(f'div.atlas-site[data-site-id="{SITE}"]')
    hub.hover()  # as a user does: the tooltip shows the map answers the pointer
    expect(m.locator(".leaflet-tooltip")).to_contain_text(GAZ.get(SITE).name)
    hub.click()
    # the same click, no other action: the map is drawn again with the site's latest
    # incidents, one dot each
    site_rows = located[located["site_id"] == SITE]
    latest = site_rows.sort_values("day_start").tail(MAX_DOTS // 2)
    assert len(latest) > 0
    m = wait_for_map(ap, sorted(str(i) for i in latest["id"]))
    expect(ap.page.get_by_role("heading", name=GAZ.get(SITE).name)).to_be_visible()
    expect(m.locator("path.atlas-ring")).to_have_count(3)  # and its range rings
    ap.page.mouse.move(1, 1)
    settle_paint(m)
    screenshot(ap, "app-scale-site-detail.png")
    ap.assert_offline()
