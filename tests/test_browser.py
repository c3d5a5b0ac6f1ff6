"""The running app in a real browser: the map draws every located incident, offline; the "From"
date narrows it; a click on a site's hub selects the site.

The app runs as ``scripts/app`` starts it (fixture ``atlas_browser_app`` in conftest.py) and is
driven with Debian's Chromium (``atlas_browser_chromium``).  Expected markers are computed from
the data with the project's own code, never hard-coded.

Waiting: nothing sleeps for a fixed time.  Every wait is for a condition, with a generous
timeout (``WAIT``):

* The map lives in a frame of its own (``components/map_frame/``), which draws each new map in
  place of the one before; while Streamlit reruns, the frame may be empty, stale or (briefly)
  doubled.  Counting markers across frames
  would count a stale map twice, and a union of ids would let a stale full map hide a missing
  update.  So the map is "ready" when ONE visible frame shows exactly the expected set of
  incident ids (no more, no fewer, no duplicates), its borders are drawn and the script is not
  running.  A stale frame can never satisfy a narrowed expectation, and a frame caught mid-render
  simply fails the check until it is done.
* That condition is polled inside the browser (``page.wait_for_function`` walking every nested
  frame, one consistent snapshot per poll, so no frame can detach half-way through a check);
  the matching frame is then picked out of Playwright's ``page.frames`` to click in it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Frame, Page, WebSocketRoute, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from geo import query
from geo.gazetteer import Gazetteer
from geo.io.geojson import read_bundled
from geo.paths import ROOT, SITES_CSV

pytestmark = pytest.mark.browser

WAIT = 30_000  # ms, for any one condition
ARTIFACTS = ROOT / "artifacts"
DOT = "div.atlas-dot[data-incident-id]"
#: How Streamlit's date input shows a date (its default ``format="YYYY/MM/DD"``).
DATE_INPUT_FORMAT = "%Y/%m/%d"
NARROW_FROM = date(2024, 1, 1)
CLICKED_SITE = "al_asad"

FRAME = query.to_frame(read_bundled())
SPAN = query.span(FRAME)
GAZETTEER = Gazetteer.load(SITES_CSV)


def located_ids(start: date, end: date) -> list[str]:
    """Ids of the incidents the map should pin for the range: located ones whose window
    overlaps it (the app's default filters: every event type)."""
    rows = query.apply(FRAME, query.Filters(start=start, end=end))
    return sorted(str(i) for i in rows[rows["longitude"].notna()]["id"])


# --- the page ---------------------------------------------------------------------------------


def _allowed(url: str) -> bool:
    """Only the app itself (any localhost port) and in-page URLs; nothing from a network."""
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    return parts.scheme in ("http", "ws") and parts.hostname in ("localhost", "127.0.0.1")


@dataclass
class AtlasPage:
    page: Page
    base_url: str
    outside: list[str] = field(default_factory=list)  # requests aborted: not the app's own
    errors: list[str] = field(default_factory=list)  # uncaught exceptions in the page

    def assert_offline(self) -> None:
        assert self.outside == [], f"the page tried to load outside URLs: {self.outside}"
        assert self.errors == [], f"uncaught errors in the page: {self.errors}"


@pytest.fixture
def atlas_page(
    atlas_browser_chromium: Any, atlas_browser_app: Any, atlas_viewport: dict[str, int]
) -> Any:
    """A fresh browser context (so a fresh Streamlit session) with every request routed."""
    context = atlas_browser_chromium.new_context(viewport=atlas_viewport)
    context.set_default_timeout(WAIT)
    page = context.new_page()
    ap = AtlasPage(page=page, base_url=atlas_browser_app.url)

    def route(r: Any) -> None:
        url = r.request.url
        if _allowed(url):
            r.continue_()
        else:
            ap.outside.append(url)
            r.abort()

    def route_ws(ws: WebSocketRoute) -> None:  # only outside sockets come here
        ap.outside.append(ws.url)
        ws.close()

    context.route("**/*", route)
    context.route_web_socket(lambda url: not _allowed(url), route_ws)
    page.on("pageerror", lambda exc: ap.errors.append(str(exc)))
    try:
        yield ap
    finally:
        context.close()


# --- the map ----------------------------------------------------------------------------------

#: One snapshot of every frame (nested too) that holds a map: is its iframe visible, which
#: incident ids does it show, are the borders drawn.  Returns the snapshot when one visible frame
#: shows exactly ``expected`` and the script has finished, else false (so wait_for_function polls).
_MAP_READY_JS = """
([dotSelector, expected]) => {
    const maps = [];
    const walk = (win) => {
        for (let i = 0; i < win.frames.length; i++) {
            const child = win.frames[i];
            let doc = null, el = null;
            try { doc = child.document; el = child.frameElement; } catch (e) { continue; }
            if (!doc || !el) { continue; }
            if (doc.querySelector(".leaflet-container")) {
                const box = el.getBoundingClientRect();
                const style = el.ownerDocument.defaultView.getComputedStyle(el);
                maps.push({
                    visible: box.width > 0 && box.height > 0 && style.visibility !== "hidden",
                    ids: Array.from(doc.querySelectorAll(dotSelector),
                                    (d) => d.getAttribute("data-incident-id")),
                    borders: doc.querySelectorAll(".leaflet-overlay-pane path").length,
                });
            }
            walk(child);
        }
    };
    walk(window);
    const app = document.querySelector('[data-testid="stApp"]');
    const idle = !!app && app.getAttribute("data-test-script-state") === "notRunning";
    const want = new Set(expected);
    const exact = (ids) => ids.length === want.size && new Set(ids).size === ids.length
        && ids.every((id) => want.has(id));
    return idle && maps.some((m) => m.visible && m.borders > 0 && exact(m.ids)) ? maps : false;
}
"""


def _frame_ids(frame: Frame) -> list[str] | None:
    """Incident ids in a frame, None if it is not a visible frame any more."""
    try:
        element = frame.frame_element()
        if not element.is_visible():
            return None
        return frame.eval_on_selector_all(
            DOT, "els => els.map(e => e.getAttribute('data-incident-id'))"
        )
    except PlaywrightError:  # detached while we looked: a rerun replaced it
        return None


def _diagnose(ap: AtlasPage) -> str:
    page = ap.page
    lines = []
    for f in page.frames:
        if f is page.main_frame:
            continue
        ids = _frame_ids(f)
        lines.append(f"  frame {f.url[:90]}: {'not visible' if ids is None else sorted(ids)}")
    try:
        state = page.get_by_test_id("stApp").get_attribute("data-test-script-state", timeout=1000)
    except PlaywrightError as exc:
        state = f"? ({exc.message.splitlines()[0]})"
    try:
        text = page.locator("body").inner_text(timeout=1000)
    except PlaywrightError as exc:
        text = f"? ({exc.message.splitlines()[0]})"
    try:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "failure.png"), full_page=True, timeout=5000)
        shot = f"screenshot: {ARTIFACTS / 'failure.png'}"
    except PlaywrightError as exc:
        shot = f"no screenshot ({exc.message.splitlines()[0]})"
    return (
        f"script state: {state}\nframes:\n"
        + ("\n".join(lines) or "  (none)")
        + f"\n{shot}\npage text:\n{text[:3000]}"
    )


def wait_for_map(ap: AtlasPage, expected: list[str]) -> Frame:
    """The frame of the map once it shows exactly the ``expected`` incident ids (see the
    module docstring); fails with what each frame showed instead."""
    page = ap.page
    deadline = time.monotonic() + WAIT / 1000
    while True:
        left_ms = max(1.0, (deadline - time.monotonic()) * 1000)
        try:
            page.wait_for_function(_MAP_READY_JS, arg=[DOT, expected], timeout=left_ms)
        except PlaywrightTimeoutError:
            pytest.fail(
                f"no map frame showed exactly the {len(expected)} expected incidents "
                f"{expected} within {WAIT / 1000:.0f} s\n{_diagnose(ap)}"
            )
        # The browser saw it; now pick that frame out of Playwright's list of all frames.  A
        # miss can only be a rerun in between: then the wait above runs again.
        for f in page.frames:
            if f is not page.main_frame and sorted(_frame_ids(f) or []) == expected:
                return f
        if time.monotonic() > deadline:
            pytest.fail(f"the map frame kept changing under the test\n{_diagnose(ap)}")


def settle_paint(frame: Frame) -> None:
    """Wait for two animation frames in the map: work queued when it drew (the marker
    decluttering runs in a zero timeout after Leaflet is ready) is painted by then."""
    frame.evaluate(
        "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(1))))"
    )


def open_app(ap: AtlasPage) -> Frame:
    """The app opened, its map frame once it shows every incident and the whole page drawn
    (the first run draws the map, the next one the rest: components/map_page.py)."""
    ap.page.goto(ap.base_url)
    assert SPAN is not None, "the incident store is empty: nothing to show"
    frame = wait_for_map(ap, located_ids(*SPAN))
    expect(ap.page.get_by_test_id("stTabs")).to_be_visible()
    expect(ap.page.get_by_test_id("stApp")).to_have_attribute(
        "data-test-script-state", "notRunning"
    )
    return frame


def screenshot(ap: AtlasPage, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    ap.page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 0
    return path


# --- the sidebar's dates ----------------------------------------------------------------------


def date_field(ap: AtlasPage, label: str) -> Any:
    # Streamlit 1.67's date input is a react-aria DateField: a group of year/month/day
    # spinbuttons (no <input> to fill), committed when focus leaves the field.
    return ap.page.get_by_test_id("stSidebar").get_by_role("group", name=label, exact=True)


def type_date(ap: AtlasPage, label: str, day: date) -> None:
    """Type ``day`` into a date input the way a user does: in the format it displays, starting
    in its first segment, then leave the field (Enter does not commit it; leaving does)."""
    field_ = date_field(ap, label)
    field_.get_by_role("spinbutton").first.click()
    text = day.strftime(DATE_INPUT_FORMAT)
    ap.page.keyboard.type(text)
    expect(field_).to_have_text(text)
    # Click something inert so focus leaves the field (Tab would land on the calendar button,
    # which belongs to the field and does not commit).
    ap.page.get_by_test_id("stSidebar").get_by_role("heading", name="Filters").click()


# --- the tests --------------------------------------------------------------------------------


def test_map_pins_every_located_incident_offline(atlas_page: AtlasPage) -> None:
    ap = atlas_page
    assert SPAN is not None
    expected = located_ids(*SPAN)
    frame = open_app(ap)

    ids = _frame_ids(frame)
    assert ids is not None
    assert len(ids) == len(expected), f"{len(ids)} markers, expected {len(expected)}"
    assert sorted(ids) == expected
    # Every located site has its hub, showing its number of attacks in range.
    attacks = FRAME[FRAME["event_type"] == "attack"]["site_id"].value_counts().to_dict()
    for site in GAZETTEER:
        if site.latitude is None or site.longitude is None:
            continue
        hub = frame.locator(f'div.atlas-site[data-site-id="{site.id}"]')
        count = int(attacks.get(site.id, 0))
        expect(hub).to_have_count(1)
        expect(hub).to_have_text(str(count) if count else "")
        if not count:
            expect(hub).to_have_class("atlas-site atlas-site-empty")
    # The sidebar shows the data's whole span in the format type_date() types.
    expect(date_field(ap, "From")).to_have_text(SPAN[0].strftime(DATE_INPUT_FORMAT))
    expect(date_field(ap, "To")).to_have_text(SPAN[1].strftime(DATE_INPUT_FORMAT))

    settle_paint(frame)
    screenshot(ap, "app.png")
    ap.assert_offline()


def test_from_date_narrows_the_map(atlas_page: AtlasPage) -> None:
    ap = atlas_page
    assert SPAN is not None
    full = located_ids(*SPAN)
    narrow = located_ids(NARROW_FROM, SPAN[1])
    assert SPAN[0] < NARROW_FROM <= SPAN[1], f"{NARROW_FROM} is not inside the data's span {SPAN}"
    assert len(narrow) != len(full), "the data no longer makes the narrowing visible"
    first = open_app(ap)
    drawn = first.evaluate("window.atlasMapsDrawn")

    type_date(ap, "From", NARROW_FROM)
    frame = wait_for_map(ap, narrow)
    ids = _frame_ids(frame)
    assert ids is not None and len(ids) == len(narrow) != len(full)
    expect(ap.page.get_by_text(f"Range: {NARROW_FROM} to {SPAN[1]}")).to_be_visible()
    # redrawn in place: the same frame, one more map drawn in it (components/map_panel.py)
    assert frame == first, "a range change made a new map frame"
    assert frame.evaluate("window.atlasMapsDrawn") == drawn + 1

    # Back to everything.
    ap.page.get_by_test_id("stSidebar").get_by_role("button", name="All dates").click()
    wait_for_map(ap, full)
    expect(date_field(ap, "From")).to_have_text(SPAN[0].strftime(DATE_INPUT_FORMAT))
    expect(ap.page.get_by_text(f"Range: {SPAN[0]} to {SPAN[1]}")).to_be_visible()
    ap.assert_offline()


def test_clicking_a_site_hub_selects_the_site(atlas_page: AtlasPage) -> None:
    ap = atlas_page
    assert SPAN is not None
    site = GAZETTEER.get(CLICKED_SITE)
    frame = open_app(ap)

    frame.locator(f'div.atlas-site[data-site-id="{CLICKED_SITE}"]').click()
    expect(ap.page.get_by_role("heading", name=site.name)).to_be_visible()
    expect(ap.page.get_by_role("combobox", name="Site (or click it on the map)")).to_have_value(
        site.name
    )
    # The panel lists the site's incidents in range, with their sources.
    here = query.incidents_at(
        query.apply(FRAME, query.Filters(start=SPAN[0], end=SPAN[1])), site.id
    )
    sources = ap.page.locator("div.atlas-site-source[data-incident-id]")
    expect(sources).to_have_count(len(here))
    got = sources.evaluate_all("els => els.map(e => e.getAttribute('data-incident-id'))")
    assert sorted(got) == sorted(str(i) for i in here["id"])

    # The click drew the range rings round the site at once, in the browser.
    frame = wait_for_map(ap, located_ids(*SPAN))
    expect(frame.locator("path.atlas-ring")).to_have_count(3)
    expect(frame.locator(".atlas-ring-label")).to_have_text(["10 km", "50 km", "100 km"])

    # Screenshot once the map is whole again, with the pointer off the map so no hover
    # tooltip hides the markers.
    ap.page.mouse.move(1, 1)
    expect(frame.locator(".leaflet-tooltip")).to_have_count(0)
    settle_paint(frame)
    screenshot(ap, "app-site-selected.png")
    ap.assert_offline()


def located_ids_for(filters: query.Filters) -> list[str]:
    rows = query.apply(FRAME, filters)
    return sorted(str(i) for i in rows[rows["longitude"].notna()]["id"])


def test_a_weapon_filter_changes_the_map(atlas_page: AtlasPage) -> None:
    ap = atlas_page
    assert SPAN is not None
    drones = located_ids_for(query.Filters(start=SPAN[0], end=SPAN[1], weapons=("drone",)))
    assert drones and len(drones) != len(located_ids(*SPAN))
    open_app(ap)
    weapon = (
        ap.page.get_by_test_id("stSidebar")
        .get_by_test_id("stMultiSelect")
        .filter(has_text="Weapon")
    )
    weapon.get_by_role("combobox").click()
    ap.page.get_by_role("option", name="drone", exact=True).click()
    ap.page.keyboard.press("Escape")
    frame = wait_for_map(ap, drones)
    expect(frame.locator(".atlas-legend")).to_contain_text("drone")
    ap.assert_offline()


def test_legend_layers_and_playback(atlas_page: AtlasPage) -> None:
    ap = atlas_page
    assert SPAN is not None
    frame = open_app(ap)
    expect(frame.locator(".atlas-legend")).to_be_visible()
    for word in ("Weapon", "Event", "Outcome", "intercepted"):
        expect(frame.locator(".atlas-legend")).to_contain_text(word)
    layers = frame.locator(".leaflet-control-layers")
    expect(layers).to_have_count(1)
    layers.hover()
    expect(layers.get_by_text("Heatmap")).to_be_visible()
    expect(layers.get_by_text("US strikes")).to_be_visible()

    label = frame.locator(".atlas-day-label")
    expect(label).to_have_text("all dates")
    frame.locator("select.atlas-speed").select_option("7")
    frame.locator("button.atlas-play").click()
    # playback starts at the first day, then advances
    expect(label).to_have_attribute("data-day", SPAN[0].isoformat())
    expect(label).not_to_have_attribute("data-day", SPAN[0].isoformat())
    first = label.get_attribute("data-day")
    assert first is not None and first > SPAN[0].isoformat()
    frame.locator("button.atlas-play").click()  # pause
    shown = int(label.get_attribute("data-shown") or -1)
    visible = frame.locator(f"{DOT}:visible").count()
    # events too close to draw apart at this zoom are counted, not drawn: together, all shown
    counted = frame.locator(".atlas-counted").evaluate_all(
        "els => els.reduce((n, e) => n + Number(e.getAttribute('data-count')), 0)"
    )
    assert visible + counted == shown < len(located_ids(*SPAN))
    ap.page.mouse.move(1, 1)
    settle_paint(frame)
    screenshot(ap, "app-playback.png")
    ap.assert_offline()


def test_the_heatmap_fetches_its_plugin_when_turned_on(atlas_page: AtlasPage) -> None:
    """The map frame does not fetch Leaflet.heat to draw the map; turning the Heatmap overlay
    on fetches it (from the app, never a CDN) and draws the heat layer."""
    ap = atlas_page
    fetched: list[str] = []
    ap.page.on("request", lambda r: fetched.append(r.url) if "leaflet-heat" in r.url else None)
    frame = open_app(ap)
    assert fetched == []
    assert frame.evaluate("() => typeof L.heatLayer") == "undefined"
    layers = frame.locator(".leaflet-control-layers")
    layers.hover()
    layers.get_by_text("Heatmap").click()
    expect(frame.locator("canvas.leaflet-heatmap-layer")).to_have_count(1)
    assert len(fetched) == 1 and fetched[0].startswith(ap.base_url)
    # off and on again: the same layer, not a second one
    layers.get_by_text("Heatmap").click()
    expect(frame.locator("canvas.leaflet-heatmap-layer")).to_have_count(0)
    layers.get_by_text("Heatmap").click()
    expect(frame.locator("canvas.leaflet-heatmap-layer")).to_have_count(1)
    assert len(fetched) == 1
    ap.assert_offline()
