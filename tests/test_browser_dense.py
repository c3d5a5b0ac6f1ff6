"""Dense imports on the map in Debian's Chromium (issue 18): the real UCDP sample (Bangladesh)
and a synthetic regional ACLED file of 800 events round Mosul, Baghdad and Deir ez-Zor, each
imported into a store of its own and opened as the app opens it (its default range: the
attacks'), then looked at where the imported events are and zoomed in step by step.

At every view: no marker is drawn more than :data:`MAX_SHIFT` px from its true point, a
counted marker sits on one of the places it counts, only a few leader lines are drawn, and
every event in the view's layers is either drawn or counted (nothing lost).  Screenshots go to
``artifacts/``.  Waiting is on the map's own layout counter, never on time.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from geo import query
from geo.gazetteer import Gazetteer
from geo.importers.synth_acled import write_acled_csv
from geo.ingest import import_file
from geo.mapping import build_map
from geo.mapping.plugins.incidents import MAX_SHIFT
from geo.paths import ROOT
from geo.store import open_store

pytestmark = pytest.mark.browser

GAZ = Gazetteer.load()
ARTIFACTS = ROOT / "artifacts"
UCDP = ROOT / "tests" / "fixtures" / "ucdp_ged_sample_BGD.csv"
#: leader lines a view may draw: a few pushed-apart sites, never one per event
MAX_LEADERS = 6
#: px of rounding (sub-pixel icon boxes) allowed over MAX_SHIFT
SLACK = 1.5

#: the map object of a folium page (the one in the document: set_content keeps the window, and
#: with it the globals of the page before)
FIND_MAP = """Object.keys(window).filter((k) => k.startsWith("map_")).map((k) => window[k])
    .find((v) => v && v.atlasDots && v.getZoom && v.getContainer().isConnected)"""

#: every drawn marker's distance from its true point, the leader lines, the counted markers
#: (each with its distance to the place it stands on) and the events drawn or counted
MEASURE = (
    """
() => {
    const map = FIND_MAP;
    const box = map.getContainer().getBoundingClientRect();
    const shown = (el) => el && getComputedStyle(el).display !== "none";
    const away = (el, ll) => {
        const r = el.getBoundingClientRect();
        const p = map.latLngToContainerPoint(ll);
        return Math.hypot(r.left + r.width / 2 - box.left - p.x, r.top + r.height / 2 - box.top - p.y);
    };
    const view = map.getBounds();
    let worst = 0, drawnDots = 0, inViewDrawn = 0, liveDots = 0;
    map.atlasDots.forEach((d) => {
        const m = d.marker;
        if (!map.hasLayer(m) || m.atlasHidden) { return; }
        liveDots += 1;
        if (!shown(m._icon)) { return; }
        drawnDots += 1;
        if (view.contains(m.getLatLng())) { inViewDrawn += 1; }
        worst = Math.max(worst, away(m._icon, m.getLatLng()));
    });
    document.querySelectorAll(".leaflet-marker-icon.atlas-hub").forEach((el) => {
        const hub = Object.values(map._layers).find((l) => l._icon === el);
        if (hub && shown(el)) { worst = Math.max(worst, away(el, hub.getLatLng())); }
    });
    let counted = 0, countedWorst = 0, badges = 0, inViewBadges = 0;
    map.atlasCounted.eachLayer((b) => {
        badges += 1;
        counted += +b._icon.querySelector(".atlas-counted").getAttribute("data-count");
        countedWorst = Math.max(countedWorst, away(b._icon, b.atlasSeed));
        if (view.contains(b.getLatLng())) { inViewBadges += 1; }
    });
    let othersInView = 0;
    map.atlasDots.forEach((d) => {
        if (d.marker.atlasType === "other" && !d.marker.atlasHidden
            && view.contains(d.marker.getLatLng())) { othersInView += 1; }
    });
    const legend = document.querySelector(".atlas-other-count");
    const leaders = Array.from(document.querySelectorAll("path.atlas-leader"));
    return {zoom: map.getZoom(), worst, countedWorst, drawnDots, inViewDrawn, liveDots, counted,
            badges, inViewBadges, leaders: leaders.length, layouts: map.atlasLayouts,
            othersInView, legendOthers: legend ? legend.getAttribute("data-in-view") : null,
            legendText: legend ? legend.textContent : null};
}
"""
).replace("FIND_MAP", FIND_MAP)


@pytest.fixture
def page(offline_page: Callable[..., Any]) -> Any:
    return offline_page(timeout_ms=30_000)


def imported_frame(tmp_path: Path, source: Path) -> Any:
    """The store after importing ``source`` (the bundled incidents are there already), with the
    app's default filters: the range of the attacks and US strikes."""
    store = open_store(str(tmp_path / "atlas.sqlite"))
    try:
        import_file(store, source)
        frame = store.frame()
    finally:
        store.close()
    start, end = query.subject_span(frame) or (None, None)
    return frame, query.apply(frame, query.Filters(start=start, end=end))


def settle(page: Any, layouts: int) -> dict[str, Any]:
    """Wait until the map has laid its markers out more than ``layouts`` times and is not
    zooming, then two frames for the paint; the measurements."""
    frames = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
    page.wait_for_function(f"(n) => {{ const map = {FIND_MAP}; return map && map.atlasLayouts > n; }}",
                           arg=layouts)  # fmt: skip
    # Leaflet starts an animated zoom (the page's first fit) in the next frame: let it start,
    # then wait for its end (its zoomend lays the markers out again), then for the paint
    page.evaluate(frames)
    page.wait_for_function(f"() => !{FIND_MAP}._animatingZoom")
    page.evaluate(frames)
    return page.evaluate(MEASURE)


def move(page: Any, script: str) -> dict[str, Any]:
    """Run ``script`` (with ``map`` bound) without animation and measure once it is laid out."""
    before = page.evaluate(f"() => {FIND_MAP}.atlasLayouts")
    page.evaluate(f"() => {{ const map = {FIND_MAP}; {script} }}")
    return settle(page, before)


def check(m: dict[str, Any], where: str) -> None:
    assert m["worst"] <= MAX_SHIFT + SLACK, f"{where}: a marker drawn {m['worst']:.0f} px away"
    assert m["countedWorst"] <= MAX_SHIFT + SLACK, (
        f"{where}: a count {m['countedWorst']:.0f} px off"
    )
    assert m["leaders"] <= MAX_LEADERS, f"{where}: {m['leaders']} leader lines"
    # nothing lost: every event of the visible layers and dates is drawn or counted
    assert m["drawnDots"] + m["counted"] == m["liveDots"], f"{where}: {m}"
    # the legend says how many imported other events the view holds
    if m["legendOthers"] is not None:
        assert int(m["legendOthers"]) == m["othersInView"], f"{where}: {m}"
        assert m["legendText"].startswith(f"{m['othersInView']} of "), m["legendText"]


def shoot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    page.mouse.move(1, 1)
    path = ARTIFACTS / name
    page.screenshot(path=str(path))
    assert path.stat().st_size > 0
    return path


def acled_file(tmp_path: Path) -> Path:
    path = tmp_path / "acled_regional.csv"
    write_acled_csv(path, 800, seed=18, towns=("Mosul", "Baghdad", "Deir ez-Zor"))
    return path


@pytest.mark.parametrize("name", ["ucdp", "acled"])
def test_a_dense_import_is_counted_not_displaced(page: Any, tmp_path: Path, name: str) -> None:
    source = UCDP if name == "ucdp" else acled_file(tmp_path)
    whole, frame = imported_frame(tmp_path, source)
    assert len(whole) > 600 and len(whole[whole["event_type"] == "other"]) > 300, len(whole)
    for dates, shown in (("default", frame), ("all", whole)):
        html = build_map(shown, GAZ, assets="inline").get_root().render()
        page.set_content(html)
        first = settle(page, 0)
        check(first, f"{name}: first view, {dates} dates")
        # the first view is the attacks': the bundled sites in Iraq, Syria and Jordan
        centre = page.evaluate(f"() => {FIND_MAP}.getCenter()")
        assert 29 < centre["lat"] < 38 and 34 < centre["lng"] < 49, centre
        shoot(page, f"dense-{name}-first-{dates}.png")

    # all dates (the user widened the range): where the imported events are, then closer
    others = whole[(whole["event_type"] == "other") & whole["longitude"].notna()]
    if len(others):
        # where the imported events are, then closer step by step
        bounds = [[float(others["latitude"].min()), float(others["longitude"].min())],
                  [float(others["latitude"].max()), float(others["longitude"].max())]]  # fmt: skip
        m = move(page, f"map.fitBounds({bounds}, {{animate: false}});")
        check(m, f"{name}: the imported events")
        assert m["othersInView"] > 0 and m["legendOthers"] is not None, m
        assert m["badges"] > 0, f"{name}: dense places must be counted: {m}"
        assert m["inViewDrawn"] + m["inViewBadges"] > 0
        shoot(page, f"dense-{name}-imports.png")
        # closer, step by step, round the place with most imported events
        lat, lng = others.groupby(["latitude", "longitude"]).size().idxmax()
        for step in range(1, 4):
            m = move(page, f"map.setView([{lat}, {lng}], map.getZoom() + 1, {{animate: false}});")
            check(m, f"{name}: the imported events, zoom +{step}")
        shoot(page, f"dense-{name}-zoomed.png")

    # a counted marker expands: a click zooms in, or (one place) lists its events
    picked = page.evaluate(
        f"""() => {{ const map = {FIND_MAP}; const view = map.getBounds(); let hit = false;
            map.atlasCounted.eachLayer((b) => {{
                if (!hit && view.pad(-0.1).contains(b.getLatLng())) {{
                    b._icon.firstChild.setAttribute("data-test-pick", "1"); hit = true; }} }});
            return hit; }}"""
    )
    badge = page.locator('.atlas-counted[data-test-pick="1"]')
    if picked:
        zoom = page.evaluate(f"() => {FIND_MAP}.getZoom()")
        before = page.evaluate(f"() => {FIND_MAP}.atlasLayouts")
        badge.click()
        page.wait_for_function(
            f"""([z, n]) => {{ const map = {FIND_MAP};
                return document.querySelector(".atlas-counted-list li")
                    || (map.getZoom() > z && map.atlasLayouts > n && !map._animatingZoom); }}""",
            arg=[zoom, before],
        )
    assert page.outside == [] and page.errors == []


PAYLOAD = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>'


def test_a_counted_place_lists_its_events_as_text(page: Any) -> None:
    """Thirty events at one place away from any site (more than a fan holds) are one counted marker; a click lists
    them, hostile place names as inert text, and an item opens that event's popup."""
    from geo.model import parse_incident

    def event(k: int) -> Any:
        day = f"2024-01-{k % 28 + 1:02d}"
        return parse_incident({
            "event_type": "other", "date_start": day, "date_end": day, "date_precision": 1,
            "location": f"{PAYLOAD} {k}", "country": "IRQ", "geo_precision": 1,
            "latitude": 32.0, "longitude": 41.0, "weapons": ["small_arms"],
            "notes": PAYLOAD,
            "sources": [{"article": "test", "published": day, "quote": PAYLOAD}],
        })  # fmt: skip

    events = [event(k) for k in range(30)]
    page.set_content(build_map(query.to_frame(events), GAZ, assets="inline").get_root().render())
    m = settle(page, 0)
    check(m, "one crowded town")
    assert m["badges"] == 1 and m["counted"] == 30 and m["drawnDots"] == 0, m
    zoom = page.evaluate(f"() => {FIND_MAP}.getZoom()")
    page.locator(".atlas-counted").click()  # one place: zooming cannot part them, so a list
    items = page.locator(".atlas-counted-list li")
    items.first.wait_for()
    assert page.evaluate(f"() => {FIND_MAP}.getZoom()") == zoom
    assert items.count() == 30
    assert PAYLOAD in items.first.inner_text()  # shown as text
    items.first.locator("a").click()
    popup = page.locator(".atlas-popup")
    popup.wait_for()
    assert PAYLOAD in popup.inner_text()
    assert page.evaluate("() => window.pwned") is None
    assert page.outside == [] and page.errors == []


@pytest.mark.parametrize("n", [990, 1010])
def test_either_side_of_the_switch_to_counts(page: Any, n: int) -> None:
    """Just below the switch (MAX_DOTS located incidents) every event is drawn or counted in
    the page; just above, the page counts per site and cell: no dot is drawn at all, and the
    legend explains whichever counts the map shows."""
    from geo.mapping.build import MAX_DOTS
    from geo.synth import synth_frame

    frame = synth_frame(n, seed=7)
    located = int(frame["longitude"].notna().sum())
    page.set_content(build_map(frame, GAZ, assets="inline").get_root().render())
    m = settle(page, 0)
    check(m, f"{n} synthetic incidents")
    legend = page.locator(".atlas-legend")
    if located <= MAX_DOTS:
        assert m["liveDots"] == located and m["badges"] > 0, m
        assert "too close to draw apart" in legend.inner_text()
    else:
        assert m["liveDots"] == 0 and m["badges"] == 0, m
        assert "cell" in legend.inner_text()
    m = move(page, "map.setZoom(map.getZoom() + 2, {animate: false});")
    check(m, f"{n} synthetic incidents, zoomed in")
    assert page.outside == [] and page.errors == []
