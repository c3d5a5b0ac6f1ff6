"""The analyst's screen at two common window sizes, with the default page (the map does not
fit in the window): one click on a site selects it, a filter change keeps its range rings, and
the page speaks the vocabulary's words, never the data's codes.

Screenshots of each size go to ``artifacts/screen-WxH.png`` (copies are kept in ``docs/``).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Frame, expect
from test_browser import (  # noqa: F401 (atlas_page: the fixture)
    ARTIFACTS,
    GAZETTEER,
    SPAN,
    AtlasPage,
    atlas_page,
    located_ids,
    located_ids_for,
    open_app,
    settle_paint,
    wait_for_map,
)

from geo import query
from geo.vocabulary import TERMS

pytestmark = pytest.mark.browser

SIZES = [{"width": 1600, "height": 1000}, {"width": 1280, "height": 720}]
SITE = "al_asad"
WEAPON = "drone"


@pytest.fixture(params=SIZES, ids=lambda s: f"{s['width']}x{s['height']}")
def atlas_viewport(request: pytest.FixtureRequest) -> dict[str, int]:
    return dict(request.param)


def _pick_weapon(ap: AtlasPage, label: str) -> None:
    box = (
        ap.page.get_by_test_id("stSidebar")
        .get_by_test_id("stMultiSelect")
        .filter(has_text="Weapon")
        .get_by_role("combobox")
    )
    box.click()
    ap.page.keyboard.press("ArrowDown")  # opens the list when the click only focused it
    ap.page.get_by_role("option", name=label, exact=True).click()
    ap.page.keyboard.press("Escape")


def _scroll_top(ap: AtlasPage) -> float:
    return float(ap.page.get_by_test_id("stMain").evaluate("el => el.scrollTop"))


def test_one_click_selects_and_a_filter_keeps_the_rings(
    atlas_page: AtlasPage,  # noqa: F811 (the fixture)
    atlas_viewport: dict[str, int],
) -> None:
    ap = atlas_page
    assert SPAN is not None
    site = GAZETTEER.get(SITE)
    frame = open_app(ap)
    hub = frame.locator(f'div.atlas-site[data-site-id="{SITE}"]')
    # the default page: the map does not fit in the window, so it is partly out of view
    box = frame.frame_element().bounding_box()
    assert box is not None and box["y"] + box["height"] > atlas_viewport["height"], (
        f"the map fits in a {atlas_viewport} window: this test would not see a focus scroll"
    )

    # ONE click (Playwright brings the hub into view first, as a user scrolls to it)
    hub.scroll_into_view_if_needed()
    before = _scroll_top(ap)
    hub.click()
    expect(ap.page.get_by_role("heading", name=site.name)).to_be_visible()
    assert _scroll_top(ap) == pytest.approx(before, abs=1), "pressing on the map scrolled the page"
    frame = wait_for_map(ap, located_ids(*SPAN))
    expect(frame.locator("path.atlas-ring")).to_have_count(3)

    # the user zooms in (one step, as the + button does) ...
    fitted = _view(frame)
    frame.locator(".leaflet-control-zoom-in").click()
    frame.wait_for_function(f"() => ({_MAP_JS}).getZoom() === {fitted[2] + 1}")
    zoomed = _view(frame)

    # ... then changes a filter: a new map, the site still selected with its rings, and the
    # view as the user left it (the data is still in it)
    drones = located_ids_for(query.Filters(start=SPAN[0], end=SPAN[1], weapons=(WEAPON,)))
    assert drones and drones != located_ids(*SPAN)
    _pick_weapon(ap, WEAPON)
    frame = wait_for_map(ap, drones)
    expect(frame.locator("path.atlas-ring")).to_have_count(3)
    assert _view(frame) == pytest.approx(zoomed, abs=0.01)  # a pixel or two: rounding
    expect(frame.locator(".atlas-ring-label")).to_have_text(["10 km", "50 km", "100 km"])
    expect(ap.page.get_by_role("combobox", name="Site (or click it on the map)")).to_have_value(
        site.name
    )
    expect(ap.page.get_by_role("heading", name=site.name)).to_be_visible()

    # the reset-view button fits the data again
    frame.locator(".atlas-reset-view a").click()
    frame.wait_for_function(
        f"() => {{ const m = {_MAP_JS}; return m.getZoom() !== {zoomed[2]} && !m._animatingZoom; }}"
    )
    assert _view(frame) != pytest.approx(zoomed, abs=0.01)
    _screenshot(ap, frame, atlas_viewport)

    # the ring labels are drawn above the markers (a pane of their own), in solid rings
    expect(frame.locator(".leaflet-atlasRingLabels-pane .atlas-ring-label")).to_have_count(3)
    assert frame.locator("path.atlas-ring").first.get_attribute("stroke-dasharray") is None
    # the legend folds away and back
    body = frame.locator(".atlas-legend-body")
    expect(body).to_be_visible()
    frame.locator(".atlas-legend-toggle").click()
    expect(body).to_be_hidden()
    frame.locator(".atlas-legend-toggle").click()
    expect(body).to_be_visible()
    ap.assert_offline()


#: the page's Leaflet map (folium names its variable map_<id>)
_MAP_JS = "Object.values(window).find((v) => v instanceof L.Map)"


def _view(frame: Frame) -> tuple[float, float, int]:
    lat, lng, zoom = frame.evaluate(
        f"() => {{ const m = {_MAP_JS}; const c = m.getCenter(); "
        "return [c.lat, c.lng, m.getZoom()]; }"
    )
    return float(lat), float(lng), int(zoom)


def _screenshot(ap: AtlasPage, frame: Frame, size: dict[str, int]) -> None:
    """The window as the user sees it with the map in view (not a full-page capture)."""
    frame.frame_element().scroll_into_view_if_needed()
    ap.page.mouse.move(1, 1)
    expect(frame.locator(".leaflet-tooltip")).to_have_count(0)
    settle_paint(frame)
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"screen-{size['width']}x{size['height']}.png"
    ap.page.screenshot(path=str(path))
    assert path.stat().st_size > 0


#: every code whose label differs from it ("ballistic_missile", "impact", "ied", ...), as a
#: whole word, case-sensitive ("IED" is the label of "ied"), and the countries' ISO3 codes
RAW_CODES = sorted(
    {code for terms in TERMS.values() for code, t in terms.items() if t.label != code}
    | {"IRQ", "SYR", "JOR"}
)


def _raw_codes(text: str) -> list[str]:
    return [c for c in RAW_CODES if re.search(rf"(?<![\w-]){re.escape(c)}(?![\w-])", text)]


def test_no_raw_code_in_the_page_text(atlas_page: AtlasPage) -> None:  # noqa: F811
    """At each size (``atlas_page`` runs at every ``atlas_viewport``)."""
    ap = atlas_page
    assert _raw_codes("a ballistic_missile hit") == ["ballistic_missile"]  # the check can fail
    assert _raw_codes("IED, impact-free") == []
    frame = open_app(ap)
    picker = ap.page.get_by_role("combobox", name="Site (or click it on the map)")
    picker.click()
    picker.fill(GAZETTEER.get(SITE).name)
    ap.page.keyboard.press("Enter")
    expect(picker).to_have_value(GAZETTEER.get(SITE).name)
    expect(ap.page.locator("div.atlas-site-source").first).to_be_visible()
    texts: dict[str, Any] = {
        "page": ap.page.locator("body").inner_text(),
        "map": wait_for_map(ap, located_ids(*SPAN)).locator("body").inner_text(),
    }
    # the filters' choices (what the data holds) as the sidebar offers them
    for name in ("Event type", "Weapon", "Outcome", "Status", "Country"):
        box = (
            ap.page.get_by_test_id("stSidebar")
            .get_by_test_id("stMultiSelect")
            .filter(has_text=name)
            .first.get_by_role("combobox")
        )
        box.click()
        ap.page.keyboard.press("ArrowDown")  # opens the list when the click only focused it
        options = ap.page.get_by_role("option")
        expect(options.first).to_be_visible()
        texts[f"{name} choices"] = "\n".join(options.all_inner_texts())
        ap.page.keyboard.press("Escape")
    found = {where: _raw_codes(text) for where, text in texts.items()}
    assert all(not codes for codes in found.values()), f"raw codes on the page: {found}"
    for word in ("ballistic missile", "IED", "not reported"):
        assert word in texts["map"], f"the legend does not say {word!r}"
    assert frame is not None
    ap.assert_offline()
