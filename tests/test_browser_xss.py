"""Script payloads from files and articles never run, in a real browser, on any rendering path.

The data: incidents whose every text field -- id, location, admin1, damage, claimant,
attribution, notes, source article and quote -- holds one payload that would set
``window.__pwned`` if it ever became markup (``<img onerror>``, ``<script>``, an attribute
break-out with ``<svg onload>``, a ``javascript:`` URL, Markdown links and images), at gazetteer
sites, at a point with no site, unlocated, and waiting for review.  They are written to a
GeoJSON file whose *name* is a payload too and imported with ``python -m geo import`` into a
fresh store before the app starts (this module's ``atlas_browser_app`` replaces conftest's for
its tests: one app server for the module).

Every page is then opened as a user would: the map (every hostile dot clicked for its popup
and hovered for its tooltip, a hub clicked for the site panel), the "Data as of" picker, the
incidents and unlocated tables, the Add reporting page with a hostile article (evidence
highlighting) and its review queue, the Import page with a file whose name is a payload, the
HTML export opened in Chromium, and the KML export parsed.  After each, in the page and in
every frame: ``window.__pwned`` is undefined, no element carries an event handler or a
``javascript:`` URL from the data, no image points at the payloads' hosts, and no request left
localhost (the route guard of ``tests/test_browser.py``).  No fixed sleeps: every wait is for
a condition.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterator
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from conftest import ATLAS_OFFLINE_SCHEMES, AtlasAppServer, atlas_app_server
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Frame, Page, expect
from test_browser import (  # noqa: F401 (atlas_page: the fixture)
    AtlasPage,
    atlas_page,
    type_date,
    wait_for_map,
)

from geo import query
from geo.gazetteer import Gazetteer
from geo.io.geojson import read_bundled, write_incidents
from geo.model import Incident, parse_incident
from geo.paths import ROOT

expect.set_options(timeout=30_000)
GAZ = Gazetteer.load()

#: payload number -> text; each sets window.__pwned to its number if it ever runs
PAYLOADS: dict[int, str] = {
    1: '<img src=x onerror="window.__pwned=1">',
    2: "<script>window.__pwned=2</script>",
    3: '"><svg onload=window.__pwned=3>',
    4: "javascript:window.__pwned=4",
    5: "[x](javascript:window.__pwned=5)",
    6: "![x](http://example.invalid/x.png)",
}
HOSTILE_FILE = '<img src=x onerror="window.__pwned=7"> hostile.geojson'
TALLY: Counter[str] = Counter()


def hostile(k: int, site: str | None, day: str, **changes: Any) -> Incident:
    """An attack whose every text field holds payload ``k`` (its id too, unless given)."""
    s = GAZ.get(site) if site else None
    p = PAYLOADS[k]
    data: dict[str, Any] = {
        "id": f"{p} #{k}", "event_type": "attack", "date_start": day, "date_end": day,
        "date_precision": 1, "site_id": site, "location": p,
        "country": s.country if s else "IRQ", "geo_precision": 1,
        "latitude": s.latitude if s else None, "longitude": s.longitude if s else None,
        "admin1": p, "weapons": ["drone"], "damage": p, "claimed_by": p, "attributed_to": p,
        "notes": p, "sources": [{"article": p, "published": day, "quote": p}],
    }  # fmt: skip
    data.update(changes)
    return parse_incident(data)


HOSTILE: list[Incident] = [
    hostile(1, "al_asad", "2024-01-02"),
    hostile(2, "al_tanf", "2024-01-03"),
    hostile(3, "harir", "2024-01-04"),
    hostile(4, "erbil", "2024-01-05"),
    hostile(5, "mosul", "2024-01-06"),
    hostile(6, "conoco", "2024-01-07"),
    # a point but no site: the tooltip shows the location as reported
    hostile(2, None, "2024-01-08", id="no-site-2", latitude=33.31, longitude=44.36, geo_precision=2),
    hostile(1, None, "2024-01-09", id="unlocated-1", geo_precision=6),
    hostile(6, None, "2024-01-10", id="unlocated-6", geo_precision=6),
    hostile(3, None, "2024-01-11", id="pending-3", geo_precision=6, review="pending"),
]  # fmt: skip
HOSTILE_LOCATED = [i for i in HOSTILE if i.longitude is not None and i.review == "accepted"]
BUNDLED = read_bundled()
EXPECTED_DOTS = sorted(
    {i.id for i in BUNDLED if i.longitude is not None and i.review == "accepted"}
    | {i.id for i in HOSTILE_LOCATED}
)


# --- the app on a hostile store ---------------------------------------------------------------


@pytest.fixture(scope="module")
def atlas_browser_app(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[AtlasAppServer]:
    """conftest's app server, on a store that first received the hostile file through the
    command line (``python -m geo import``) -- the way an analyst's import reaches it."""
    folder = tmp_path_factory.mktemp("atlas_xss")
    store = folder / "atlas.sqlite"
    data = folder / HOSTILE_FILE
    write_incidents(HOSTILE, data)
    env = {k: v for k, v in os.environ.items() if k != "ATLAS_STORE"}
    done = subprocess.run(
        [sys.executable, "-m", "geo", "import", str(data), "--store", str(store)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert (summary["stored"], summary["rejected"]) == (len(HOSTILE), 0), summary

    with atlas_app_server(request, store, folder) as server:
        yield server


@pytest.fixture(scope="module", autouse=True)
def report(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if TALLY:
        reporter = request.config.pluginmanager.getplugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(f"\nXSS in the browser: {json.dumps(dict(sorted(TALLY.items())))}")


# --- what "nothing ran" means -------------------------------------------------------------------

#: One snapshot of the page and every frame it can reach: the flag, and the markup a payload
#: would have made had it become markup (handlers and javascript: URLs mentioning the flag,
#: images aimed at the payloads' addresses, links or frames with javascript: URLs).
_INSPECT_JS = """
() => {
    const found = {flags: [], handlers: [], urls: [], images: [], frames: 0, unreadable: 0};
    const walk = (win, path) => {
        let doc;
        try { doc = win.document; void doc.body; } catch (e) { found.unreadable++; return; }
        found.frames++;
        if (win.__pwned !== undefined) { found.flags.push([path, String(win.__pwned)]); }
        for (const el of doc.querySelectorAll("*")) {
            for (const attr of el.attributes) {
                const name = attr.name.toLowerCase(), value = attr.value;
                if (name.startsWith("on") && value.includes("__pwned")) {
                    found.handlers.push(`${path} <${el.tagName.toLowerCase()} ${name}="${value}">`);
                }
                if (["href", "src", "action", "formaction", "xlink:href"].includes(name)
                        && value.trim().toLowerCase().startsWith("javascript:")) {
                    found.urls.push(`${path} <${el.tagName.toLowerCase()} ${name}="${value}">`);
                }
            }
        }
        for (const img of doc.images) {
            const src = img.getAttribute("src") || "";
            if (src === "x" || src.includes("example.invalid")) {
                found.images.push(`${path} <img src="${src}">`);
            }
        }
        for (let i = 0; i < win.frames.length; i++) { walk(win.frames[i], `${path}/${i}`); }
    };
    walk(window, "top");
    return found;
}
"""


def assert_nothing_ran(ap: AtlasPage, where: str) -> None:
    found = ap.page.evaluate(_INSPECT_JS)
    TALLY["pages inspected"] += 1
    TALLY["frames inspected"] += found["frames"]
    TALLY["scripts executed"] += len(found["flags"])
    assert found["flags"] == [], f"{where}: a payload ran: {found['flags']}"
    assert found["handlers"] == [], f"{where}: payload markup in the page: {found['handlers']}"
    assert found["urls"] == [], f"{where}: javascript: URLs in the page: {found['urls']}"
    assert found["images"] == [], f"{where}: payload images in the page: {found['images']}"
    assert found["unreadable"] == 0, f"{where}: a frame from another origin"
    ap.assert_offline()


def css_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


_POPUP_JS = """
(id) => {
    const walk = (win) => {
        let doc;
        try { doc = win.document; } catch (e) { return null; }
        for (const el of doc.querySelectorAll(".atlas-popup")) {
            if (el.getAttribute("data-incident-id") === id) {
                return {text: el.textContent,
                        markup: el.querySelectorAll("img, script, svg, a, iframe").length};
            }
        }
        for (let i = 0; i < win.frames.length; i++) {
            const got = walk(win.frames[i]);
            if (got) { return got; }
        }
        return null;
    };
    return walk(window);
}
"""


def payload_of(inc: Incident) -> str:
    return inc.notes or ""


def on_the_map(ap: AtlasPage, action: Callable[[Frame], Any]) -> Any:
    """``action`` on the map's frame once it shows every dot; again on the new frame when a
    rerun replaced it half-way (a click on a dot or a hub reruns the page)."""
    problem = ""
    for _ in range(3):
        frame = wait_for_map(ap, EXPECTED_DOTS)
        try:
            return action(frame)
        except PlaywrightError as exc:
            if "detached" not in exc.message:
                raise
            problem = exc.message
    pytest.fail(f"the map frame kept being replaced\n{problem}")


def hover_and_click(frame: Frame, inc: Incident) -> Any:
    """The tooltip of an incident's dot, then its popup (as ``_POPUP_JS`` reports it)."""
    dot = frame.locator(f"div.atlas-dot[data-incident-id={css_string(inc.id)}]")
    expect(dot).to_have_count(1)
    dot.dispatch_event("mouseover")
    tip = frame.locator(".leaflet-tooltip").last
    expect(tip).to_be_visible()
    if inc.site_id is None:  # no site name: the tooltip shows the location as reported
        expect(tip).to_contain_text(payload_of(inc))
    dot.dispatch_event("mouseout")
    dot.dispatch_event("click")
    return frame.page.wait_for_function(_POPUP_JS, arg=inc.id).json_value()


# --- the map, its popups and tooltips, the site panel, the tables ------------------------------


@pytest.mark.browser
def test_map_popups_tooltips_site_panel_and_tables(atlas_page: AtlasPage) -> None:  # noqa: F811
    ap = atlas_page
    ap.page.goto(ap.base_url)
    wait_for_map(ap, EXPECTED_DOTS)
    assert_nothing_ran(ap, "the map")

    for inc in HOSTILE_LOCATED:
        popup = on_the_map(ap, lambda frame, inc=inc: hover_and_click(frame, inc))
        assert popup["markup"] == 0, f"markup inside the popup of {inc.id!r}"
        assert popup["text"].count(payload_of(inc)) >= 5, popup["text"]  # place, claimant...
        TALLY["popups opened"] += 1
        TALLY["tooltips shown"] += 1
        assert_nothing_ran(ap, f"the popup of {inc.id!r}")

    # the site panel (picked in its select box: tests/test_browser.py clicks hubs), whose
    # sources list the hostile quote
    # (the popup clicks above select sites too: let their reruns finish first)
    expect(ap.page.get_by_test_id("stApp")).to_have_attribute(
        "data-test-script-state", "notRunning"
    )
    picker = ap.page.get_by_role("combobox", name="Site (or click it on the map)")
    picker.click()
    picker.fill(GAZ.get("al_asad").name)
    ap.page.keyboard.press("Enter")
    expect(ap.page.get_by_role("heading", name=GAZ.get("al_asad").name)).to_be_visible()
    source = ap.page.locator(f"div.atlas-site-source[data-incident-id={css_string(HOSTILE[0].id)}]")
    expect(source).to_contain_text(PAYLOADS[1])
    assert source.locator("img, script, svg, a").count() == 0
    assert_nothing_ran(ap, "the site panel")

    # the "Data as of" picker lists the batch under its hostile file name, as text
    picker = (
        ap.page.get_by_test_id("stSidebar")
        .get_by_test_id("stSelectbox")
        .filter(has_text="Data as of")
    )
    picker.get_by_role("combobox").click()
    expect(ap.page.get_by_role("option").filter(has_text=HOSTILE_FILE)).to_have_count(1)
    ap.page.keyboard.press("Escape")
    assert_nothing_ran(ap, "the Data as of picker")

    # the tables, narrowed to the hostile rows' days (the grids draw only the rows in view):
    # every cell that holds a payload holds it as text
    type_date(ap, "From", min(i.date_start for i in HOSTILE))
    type_date(ap, "To", max(i.date_end for i in HOSTILE))
    for tab, ids in (
        ("All incidents", [i.id for i in HOSTILE if i.review == "accepted"]),
        ("Unlocated", [i.id for i in HOSTILE if i.longitude is None and i.review == "accepted"]),
    ):
        ap.page.get_by_role("tab", name=tab).click()
        grid = ap.page.get_by_test_id("stDataFrame").filter(visible=True).last
        # the grid is drawn again by the tab's and the range's reruns: the cells are read in the
        # same moment as the narrowed rows are found in them (a wait, then one reading)
        cells = ap.page.wait_for_function(VISIBLE_GRID_CELLS_WITH_PAYLOADS).json_value()
        shown = [c for c in cells if "__pwned" in c or "example.invalid" in c]
        assert shown, f"{tab}: no hostile row rendered ({len(ids)} expected)"
        assert all(any(p in c for p in PAYLOADS.values()) for c in shown), shown
        assert grid.locator("table").locator("img, script, svg, a").count() == 0
        TALLY["table cells with payloads"] += len(shown)
        assert_nothing_ran(ap, f"the {tab} table")


#: the cells of the last visible data grid, once one of them holds a payload (else null: wait on)
VISIBLE_GRID_CELLS_WITH_PAYLOADS = """() => {
    const grids = Array.from(document.querySelectorAll('[data-testid="stDataFrame"]'))
        .filter((g) => g.offsetParent !== null);
    const grid = grids[grids.length - 1];
    if (!grid) { return null; }
    const cells = Array.from(grid.querySelectorAll("table td"), (td) => td.textContent);
    return cells.some((c) => c.includes("__pwned") || c.includes("example.invalid")) ? cells : null;
}"""


# --- Add reporting: a hostile article, its evidence, the review queue ----------------------------

ARTICLE = (
    "A drone attack targeted US forces at Al-Asad airbase on Tuesday "
    + " ".join(PAYLOADS.values())
    + " officials said. Kataib Hezbollah <script>window.__pwned=9</script> claimed "
    "responsibility. Officials said US forces have been attacked [y](javascript:window.__pwned=10) "
    "more than 150 times since October."
)


@pytest.mark.browser
def test_add_reporting_shows_a_hostile_article_as_text(atlas_page: AtlasPage) -> None:  # noqa: F811
    ap = atlas_page
    ap.page.goto(ap.base_url + "/review")
    # dated by a header: the page refuses a text that states no publication date
    ap.page.get_by_label("Article text").fill(" date 2024-02-07\n" + ARTICLE)
    ap.page.get_by_role("button", name="Extract incidents").click()
    expect(ap.page.get_by_role("heading", name="1 candidate incident(s)")).to_be_visible()
    card = ap.page.locator(".st-key-rev_card_0")
    evidence = card.locator("mark").first
    expect(evidence).to_contain_text(PAYLOADS[1])
    expect(evidence).to_contain_text(PAYLOADS[6])
    assert card.locator(".atlas-evidence").locator("img, script, svg, a").count() == 0
    assert_nothing_ran(ap, "the candidate and its evidence")

    ap.page.get_by_text("Sentences read as not incidents").click()
    sentence = ap.page.get_by_role("tabpanel", name="New article").locator("i")
    expect(sentence.filter(has_text="[y](javascript:window.__pwned=10)")).to_be_visible()
    assert_nothing_ran(ap, "the sentences read as not incidents")

    ap.page.get_by_role("tab", name="Waiting for review").click()
    pending = ap.page.locator("[class*='st-key-queue_']").filter(has_text=PAYLOADS[3]).first
    expect(pending).to_be_visible()
    TALLY["articles extracted"] += 1
    assert_nothing_ran(ap, "the review queue")


# --- Import: a file whose name is a payload ------------------------------------------------------


@pytest.mark.browser
def test_import_page_shows_a_hostile_file_name_as_text(
    atlas_page: AtlasPage,  # noqa: F811
    tmp_path: Path,
) -> None:
    from geo.importers import write_csv
    from geo.importers.csv_own import COLUMNS

    ap = atlas_page
    name = '<img src=x onerror="window.__pwned=8">.csv'  # "<", ">" and quotes: fine on Linux
    path = tmp_path / name
    # unlocated, so the map of the other tests keeps its dots
    rows = [hostile(1, None, "2024-02-01", id=f"{PAYLOADS[1]} upload", geo_precision=6)]
    write_csv(rows, path)
    with open(path, "a", encoding="utf-8") as fh:  # and a row to reject, its value a payload
        fh.write(",".join(["bad", "atlas", PAYLOADS[4]] + [""] * (len(COLUMNS) - 3)) + "\n")
    ap.page.goto(ap.base_url + "/import")
    ap.page.locator('input[type="file"]').set_input_files(str(path))
    expect(ap.page.get_by_test_id("stFileChip")).to_have_count(1)
    ap.page.get_by_role("button", name="Import", exact=True).click()
    metrics = ap.page.get_by_test_id("stMetric")
    expect(metrics.filter(has_text="Read")).to_contain_text("2")
    expect(metrics.filter(has_text="Rejected")).to_contain_text("1")
    # the name as the browser sent it (Chromium writes '"' as %22 in a form's file name)
    expect(ap.page.get_by_text(re.compile(r"^<img src=x onerror=.*\.csv$")).first).to_be_visible()
    expect(ap.page.get_by_role("button", name="Download the rejected rows (CSV)")).to_be_visible()
    TALLY["files uploaded"] += 1
    assert_nothing_ran(ap, "the import report")


# --- Markdown from the data where Streamlit renders Markdown (found here; fixed in components/) ---


@pytest.mark.browser
def test_a_markdown_claimant_in_the_filters_stays_text(atlas_page: AtlasPage) -> None:  # noqa: F811
    ap = atlas_page
    ap.page.goto(ap.base_url)
    wait_for_map(ap, EXPECTED_DOTS)
    box = (
        ap.page.get_by_test_id("stSidebar")
        .get_by_test_id("stMultiSelect")
        .filter(has_text="Claimed by")
        .get_by_role("combobox")
    )
    box.click()
    box.fill("example.invalid")
    expect(ap.page.get_by_role("option", name=PAYLOADS[6])).to_be_visible()
    ap.page.keyboard.press("Enter")
    ap.page.keyboard.press("Escape")
    expect(ap.page.get_by_text(re.compile(r"^Range: .*claimants: ")).first).to_be_visible()
    assert_nothing_ran(ap, "the range caption with a claimant chosen")
    expect(ap.page.get_by_text(f"claimants: {PAYLOADS[6]}").first).to_be_visible()


@pytest.mark.browser
def test_markdown_in_an_upload_name_or_header_stays_text(atlas_page: AtlasPage) -> None:  # noqa: F811
    ap = atlas_page
    ap.page.goto(ap.base_url + "/import")
    ap.page.locator('input[type="file"]').set_input_files(
        files=[  # a browser may send any name, "/" included
            {"name": f"{PAYLOADS[6]}.csv", "mimeType": "text/csv", "buffer": b"a,b\n1,2\n"},
            {"name": "header.csv", "mimeType": "text/csv",
             "buffer": b"![y](http://example.invalid/y.png),b\n1,2\n"},
        ]
    )  # fmt: skip
    expect(ap.page.get_by_test_id("stFileChip")).to_have_count(2)
    ap.page.get_by_role("button", name="Import", exact=True).click()
    expect(ap.page.get_by_text(re.compile("cannot tell the format"))).to_have_count(2)
    assert_nothing_ran(ap, "the import errors")


@pytest.mark.browser
def test_a_binary_article_upload_is_refused_without_a_traceback(atlas_page: AtlasPage) -> None:  # noqa: F811
    ap = atlas_page
    ap.page.goto(ap.base_url + "/review")
    ap.page.locator('input[type="file"]').set_input_files(
        files=[{"name": "photo.txt", "mimeType": "text/plain",
                "buffer": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))}]
    )  # fmt: skip
    expect(ap.page.get_by_test_id("stFileChip")).to_have_count(1)
    ap.page.get_by_role("button", name="Extract incidents").click()
    expect(
        ap.page.get_by_test_id("stAlert").or_(ap.page.get_by_test_id("stException"))
    ).to_have_count(1)
    assert ap.page.get_by_test_id("stException").count() == 0, "a traceback on the page"
    assert_nothing_ran(ap, "the refused upload")


# --- exports: the standalone HTML map in Chromium, and KML --------------------------------------


def hostile_view(title: str = PAYLOADS[2], marking: str | None = PAYLOADS[3]) -> Any:
    from geo.export import View

    frame = query.to_frame([*BUNDLED, *HOSTILE])
    filters = query.Filters()
    return View(
        frame=query.apply(frame, filters),
        filters=filters,
        gazetteer=GAZ,
        title=title,
        marking=marking,
        as_of=PAYLOADS[1],
    )


@pytest.mark.browser
def test_the_html_export_runs_no_payload(offline_page: Callable[..., Any], tmp_path: Path) -> None:
    from geo.export import export

    out = export("html", hostile_view(), tmp_path / "export.html")
    page: Page = offline_page(
        width=1400, height=900, timeout_ms=30_000, schemes=(*ATLAS_OFFLINE_SCHEMES, "file")
    )
    ap = AtlasPage(page=page, base_url=out.as_uri(), outside=page.outside, errors=page.errors)
    page.goto(out.as_uri())
    frame: Frame = page.main_frame
    expect(frame.locator("div.atlas-dot[data-incident-id]")).to_have_count(len(EXPECTED_DOTS))
    expect(page.locator(".atlas-export-title")).to_have_text(PAYLOADS[2])
    expect(page.locator(".atlas-marking").first).to_have_text(PAYLOADS[3])
    assert_nothing_ran(ap, "the exported page")
    for inc in HOSTILE_LOCATED:
        dot = frame.locator(f"div.atlas-dot[data-incident-id={css_string(inc.id)}]")
        dot.dispatch_event("mouseover")
        dot.dispatch_event("click")
        popup = page.wait_for_function(_POPUP_JS, arg=inc.id).json_value()
        assert popup["markup"] == 0 and payload_of(inc) in popup["text"]
        TALLY["export popups opened"] += 1
    assert_nothing_ran(ap, "the exported page's popups")


class _Markup(HTMLParser):
    """The tags and attributes of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += attrs

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_kml_descriptions_are_escaped(tmp_path: Path) -> None:
    """KML balloons are HTML: the payloads must be text in them, never tags or attributes."""
    from geo.export import export

    out = export("kml", hostile_view(), tmp_path / "export.kml")
    root = ET.parse(out).getroot()  # well-formed XML, or this raises
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    placemarks = root.findall(".//k:Placemark", ns)
    assert len(placemarks) == len(EXPECTED_DOTS)
    active = {"script", "img", "svg", "iframe", "object", "embed", "a", "style", "link", "form",
              "input", "meta", "base", "video", "audio", "math"}  # fmt: skip
    seen = 0
    for pm in placemarks:
        description = pm.findtext("k:description", default="", namespaces=ns)
        markup = _Markup()
        markup.feed(description)
        markup.close()
        assert not set(markup.tags) & active, set(markup.tags) & active
        assert not [a for a in markup.attrs if a[0].startswith("on") or "javascript" in (a[1] or "")]  # fmt: skip
        text = "".join(markup.text)
        values = [d.text or "" for d in pm.iter(f"{{{ns['k']}}}value")]
        assert not [v for v in values if "<" in v or ">" in v]  # attributes carry no markup
        ids = {unescape(v) for v in values}  # escaped as the balloons are
        for inc in HOSTILE_LOCATED:
            if inc.id in ids:
                assert payload_of(inc) in text, "the payload is not shown as text"
                seen += 1
    assert seen == len(HOSTILE_LOCATED)
    about = _Markup()
    about.feed(root.findtext("k:Document/k:description", default="", namespaces=ns))
    assert not set(about.tags) & active and PAYLOADS[2] in "".join(about.text)  # the title
    TALLY["kml balloons checked"] += len(placemarks)
