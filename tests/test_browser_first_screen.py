"""The first screen at three window sizes: the map is on it (its top in the window, most of
the window showing it), the headline sits above it on a wide screen and after it on a narrow
one, the sites with incidents carry their names on the map, none overlapping another, and the
legend starts folded on a phone.

Screenshots go to ``artifacts/first-screen-WxH.png``.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect
from test_browser import (  # noqa: F401 (atlas_page: the fixture)
    ARTIFACTS,
    FRAME,
    GAZETTEER,
    AtlasPage,
    atlas_page,
    open_app,
    settle_paint,
)

pytestmark = pytest.mark.browser

SIZES = [(1920, 1080), (1280, 720), (390, 844)]
#: the share of the window's height the map must cover on the first screen
MIN_SHARE = 0.6

#: every label's box, shown or hidden (hidden: it would have overlapped)
LABELS_JS = """
() => Array.from(document.querySelectorAll(".atlas-site-label"), (el) => {
    const r = el.getBoundingClientRect();
    return {name: el.textContent, hidden: el.style.visibility === "hidden",
            box: [r.left, r.top, r.right, r.bottom]};
})
"""


#: the shown names a map control or one of their own site's dots covers
COVERED_JS = """
() => {
    const hit = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    const shown = (els) => els.map((e) => e.getBoundingClientRect()).filter((r) => r.width > 0);
    const controls = shown(Array.from(document.querySelectorAll(".leaflet-control")));
    const dotsOf = {};
    window.map.atlasPlaces.forEach((p) => {
        const tag = p.hub && p.hub.getElement() && p.hub.getElement().querySelector("[data-site-id]");
        if (tag) {
            const live = p.dots.filter((d) => window.map.hasLayer(d) && d.getElement());
            dotsOf[tag.getAttribute("data-site-id")] = shown(live.map((d) => d.getElement()));
        }
    });
    const out = [];
    document.querySelectorAll(".atlas-site-label:not(.atlas-label-hidden)").forEach((el) => {
        const r = el.getBoundingClientRect();
        if (controls.some((c) => hit(r, c))) { out.push(["under a control", el.textContent]); }
        const own = dotsOf[el.getAttribute("data-label-site")] || [];
        if (own.some((d) => hit(r, d))) { out.push(["under its own dots", el.textContent]); }
    });
    return out;
}
"""


def _overlap(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_map_is_on_the_first_screen(
    atlas_page: AtlasPage,  # noqa: F811 (the fixture)
    size: tuple[int, int],
) -> None:
    ap = atlas_page
    width, height = size
    ap.page.set_viewport_size({"width": width, "height": height})
    frame = open_app(ap)
    settle_paint(frame)
    box: Any = frame.frame_element().bounding_box()
    assert box is not None
    top, bottom = box["y"], box["y"] + box["height"]
    visible = min(bottom, height) - max(top, 0)
    assert 0 <= top < height, f"the map starts at {top:.0f} px in a {width}x{height} window"
    assert visible >= MIN_SHARE * height, (
        f"the map shows {visible:.0f} px of a {height} px high window (top {top:.0f} px)"
    )
    headline = ap.page.locator(".st-key-atlas-headline").bounding_box()
    assert headline is not None
    if width >= 1000:  # above the map, and compact
        assert headline["y"] + headline["height"] <= top + 1
        assert headline["height"] < 0.2 * height, headline
    else:  # the map first
        assert headline["y"] >= bottom - 1, (headline, box)

    # names beside the counts: every site with incidents has one; the shown ones never overlap
    # placed after the last move of the map (the first fit may still be settling)
    frame.wait_for_function(
        "() => document.querySelectorAll('.atlas-site-label:not(.atlas-label-hidden)').length"
    )
    hit = {GAZETTEER.get(s).name for s in FRAME.dropna(subset=["longitude"])["site_id"].dropna()}
    labels = frame.evaluate(LABELS_JS)
    assert {lab["name"] for lab in labels} == hit
    shown = [lab for lab in labels if not lab["hidden"]]
    assert shown, "no site name is shown on the map"
    for i, a in enumerate(shown):
        for b in shown[i + 1 :]:
            assert not _overlap(a["box"], b["box"]), (a, b)
    # and never under the map's controls (the legend) or the dots of their own site
    covered = frame.evaluate(COVERED_JS)
    assert covered == [], covered

    # every map control inside the map (the playback bar wraps on a phone's)
    outside = frame.evaluate(
        """() => { const m = document.querySelector(".leaflet-container").getBoundingClientRect();
            return Array.from(document.querySelectorAll(".leaflet-control"), (c) => {
                const r = c.getBoundingClientRect();
                return r.left < m.left - 1 || r.right > m.right + 1 ? c.className : null;
            }).filter(Boolean); }"""
    )
    assert outside == [], outside

    # the legend starts open on a wide map, folded on a phone's (it would cover most of it)
    legend = frame.locator(".atlas-legend-body")
    if width >= 1000:
        assert legend.is_visible()
    else:
        assert legend.is_hidden()
        frame.locator(".atlas-legend-toggle").click()
        assert legend.is_visible()
        frame.locator(".atlas-legend-toggle").click()

    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"first-screen-{width}x{height}.png"
    ap.page.mouse.move(1, 1)
    ap.page.screenshot(path=str(path))  # the first screen only, as the user sees it
    assert path.stat().st_size > 0
    ap.assert_offline()


#: counts the page's script runs (Streamlit marks the app "running" for each)
COUNT_RUNS_JS = """
() => {
    window.atlasRuns = 0;
    const app = document.querySelector('[data-testid="stApp"]');
    const attr = "data-test-script-state";
    // each record's new value is the next one's old value (the last: the attribute now), so
    // a run that starts and ends between two callbacks is counted too
    if (window.atlasRunWatch) { window.atlasRunWatch.disconnect(); }
    window.atlasRunWatch = new MutationObserver((records) => {
        records.forEach((r, k) => {
            const now = k + 1 < records.length ? records[k + 1].oldValue : app.getAttribute(attr);
            if (now === "running") { window.atlasRuns += 1; }
        });
    });
    window.atlasRunWatch.observe(app, {attributes: true, attributeFilter: [attr],
                                       attributeOldValue: true});
}
"""


def test_a_map_that_never_reports_still_gets_the_whole_page(
    atlas_page: AtlasPage,  # noqa: F811 (the fixture)
) -> None:
    """The first half of the first screen waits for the map to report it is drawn; a map that
    cannot start (here Leaflet never arrives in its frame) must not leave the page half drawn:
    the rest comes REST_AFTER_S later."""
    from components.map_page import REST_AFTER_S

    ap = atlas_page
    ap.page.route("**/leaflet-1.9.4/leaflet.js", lambda r: r.abort())
    ap.page.goto(ap.base_url)
    # the first half: the headline, no tabs yet
    expect(ap.page.get_by_text("sites hit")).to_be_visible()
    expect(ap.page.get_by_test_id("stTabs")).to_be_visible(timeout=(REST_AFTER_S + 30) * 1000)
    # ... and that came from the safety net, not from a map that drew after all
    frames = [f for f in ap.page.frames if f is not ap.page.main_frame]
    assert frames and all(f.evaluate("() => typeof window.L") == "undefined" for f in frames)


def test_a_map_that_reports_gets_no_second_full_run(
    atlas_page: AtlasPage,  # noqa: F811 (the fixture)
) -> None:
    """Once the map has reported (the whole page drawn), the safety net is gone: the page
    stays idle past REST_AFTER_S (no rerun of a page already whole)."""
    from components.map_page import REST_AFTER_S

    ap = atlas_page
    open_app(ap)
    ap.page.evaluate(COUNT_RUNS_JS)
    # a clock in the page, not a sleep in the test: resolves REST_AFTER_S + 2 s from now
    ap.page.evaluate(f"() => new Promise(r => setTimeout(r, {(REST_AFTER_S + 2) * 1000}))")
    assert ap.page.evaluate("window.atlasRuns") == 0
    ap.assert_offline()


#: what each tab under the map shows once its run has drawn it
TAB_SHOWS = {
    "Unlocated": "not known precisely enough to pin",
    "All incidents": "incidents in range",
}


def open_tab(ap: AtlasPage, tab: str) -> None:
    """Open a tab under the map (a rerun of the page) and wait until its run has drawn it."""
    ap.page.get_by_role("tab", name=tab).click()
    expect(ap.page.get_by_text(TAB_SHOWS[tab])).to_be_visible()
    expect(ap.page.get_by_test_id("stApp")).to_have_attribute(
        "data-test-script-state", "notRunning"
    )


#: a websocket message at least this big carries the map's script (about 400 kB with the
#: bundled data; every other message of the page is under 100 kB)
SCRIPT_SIZED = 300_000


def test_the_maps_script_crosses_the_websocket_once_while_the_map_stays(
    atlas_page: AtlasPage,  # noqa: F811 (the fixture)
) -> None:
    """The first screen's second run, and a later rerun that keeps the map (a tab opened),
    draw around the map the frame holds: its script is sent once, not with each run (the
    frame's message is the same in both runs, so Streamlit sends a reference to the
    browser's copy)."""
    ap = atlas_page
    sizes: list[int] = []
    ap.page.on("websocket", lambda ws: ws.on("framereceived", lambda p: sizes.append(len(p))))
    frame = open_app(ap)
    assert sum(s >= SCRIPT_SIZED for s in sizes) == 1, sorted(sizes)[-3:]
    drawn = frame.evaluate("window.atlasMapsDrawn")
    sizes.clear()
    ap.page.get_by_role("tab", name="Unlocated").click()  # a rerun of the page
    expect(ap.page.get_by_text("not known precisely enough to pin")).to_be_visible()
    expect(ap.page.get_by_test_id("stApp")).to_have_attribute(
        "data-test-script-state", "notRunning"
    )
    assert sizes and max(sizes) < SCRIPT_SIZED, sorted(sizes)[-3:]
    assert frame.evaluate("window.atlasMapsDrawn") == drawn  # the same map, not redrawn
    ap.assert_offline()
