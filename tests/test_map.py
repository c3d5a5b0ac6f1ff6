"""The map as rendered HTML: offline assets, one dot per located incident, escaped text."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from geo import query
from geo.gazetteer import Gazetteer
from geo.io.geojson import read_incidents
from geo.mapping import build_map, markers
from geo.mapping.assets import SERVED_PREFIX, asset_links
from geo.mapping.plugins.incidents import ring_offsets
from geo.mapping.popups import incident_popup
from geo.markup import esc
from geo.model import parse_incident
from geo.paths import INCIDENTS_GEOJSON, STATIC_DIR

GAZ = Gazetteer.load()
FRAME = query.to_frame(read_incidents(INCIDENTS_GEOJSON))
LOCATED = FRAME[FRAME["longitude"].notna()]


def html_of(frame: Any, **kw: Any) -> str:
    return build_map(frame, GAZ, **kw).get_root().render()


@pytest.mark.parametrize("mode", ["served", "inline"])
def test_no_outside_url_is_loaded(mode: str) -> None:
    page = html_of(FRAME, assets=mode)
    loads = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page)
    assert loads, "the page must load Leaflet from somewhere"
    for url in loads:
        assert not url.startswith(("http:", "https:", "//")), url
    assert "cdn." not in page and "unpkg" not in page


def test_served_assets_exist_in_static() -> None:
    page = html_of(FRAME, assets="served")
    for url in re.findall(r'(?:src|href)="(/app/static/[^"]+)"', page):
        rel = url.removeprefix(SERVED_PREFIX)
        assert (STATIC_DIR / "vendor" / rel).is_file(), url


def test_a_served_map_fetches_the_heat_plugin_only_when_the_heatmap_is_on() -> None:
    """The app's map frame loads Leaflet alone; the heat plugin's served URL (a file we ship)
    waits in the heatmap overlay.  An inline page (an export) carries the plugin itself."""
    from geo.mapping.assets import heat_src

    served = html_of(FRAME, assets="served")
    loads = re.findall(r'<script[^>]+src="([^"]+)"', served)
    assert loads and not any("heat" in url for url in loads), loads
    src = heat_src("served")
    assert src is not None and f'script.src = "{src}";' in served
    assert (STATIC_DIR / "vendor" / src.removeprefix(SERVED_PREFIX)).is_file()
    inline = html_of(FRAME, assets="inline")
    assert len(re.findall(r'<script[^>]+src="data:text/javascript', inline)) == 2
    assert "script.src = null;" in inline


def test_the_app_map_frame_loads_the_vendored_leaflet_the_maps_are_built_for() -> None:
    """The app's map frame (components/map_frame) loads Leaflet itself: the same files, in the
    same order, as a served map's links (geo.mapping.assets), and they are in static/."""
    from components.map_panel import FRONTEND

    frame = (FRONTEND / "index.html").read_text(encoding="utf-8")
    js, css = asset_links("served")
    assert re.findall(r'<script src="(/app/static/[^"]+)"', frame) == [url for _, url in js]
    assert re.findall(r'<link rel="stylesheet" href="([^"]+)"', frame) == [u for _, u in css]
    for _, url in (*js, *css):
        assert (STATIC_DIR / "vendor" / url.removeprefix(SERVED_PREFIX)).is_file(), url
    assert "http:" not in frame and "https:" not in frame


def test_online_tiles_only_on_request() -> None:
    assert "tile.openstreetmap.org" not in html_of(FRAME)
    assert "tile.openstreetmap.org" in html_of(FRAME, online_tiles=True)


def test_one_dot_per_located_incident_and_a_hub_per_located_site() -> None:
    dots, hubs = markers(FRAME, GAZ)
    assert sorted(d.id for d in dots) == sorted(LOCATED["id"])
    assert {h.site_id for h in hubs} == {s.id for s in GAZ if s.located}
    page = html_of(FRAME)
    for incident_id in LOCATED["id"]:
        assert incident_id in page


def test_hub_counts_follow_the_filter() -> None:
    narrowed = query.apply(FRAME, query.Filters(start=date(2024, 1, 1)))
    _, hubs = markers(narrowed, GAZ)
    counts = {h.site_id: h.count for h in hubs}
    assert counts["al_asad"] == 1 and counts["tower_22"] == 1 and counts["al_tanf"] == 0


def test_unlocated_incidents_get_no_dot() -> None:
    dots, _ = markers(FRAME, GAZ)
    unlocated = set(FRAME[FRAME["longitude"].isna()]["id"])
    assert unlocated and not unlocated & {d.id for d in dots}


@pytest.mark.parametrize("n", [1, 2, 5, 8, 9, 30])
def test_ring_offsets_keep_markers_apart(n: int) -> None:
    offsets = ring_offsets(n, centre=False)
    assert len(set(offsets)) == n
    assert (0, 0) not in offsets
    assert ring_offsets(1) == [(0, 0)]


def at_mosul(**text: Any) -> Any:
    """An IED attack at Mosul on 9 Nov 2023 carrying ``text`` (location, notes, sources ...)."""
    site = GAZ.get("mosul")
    return parse_incident(
        {
            "event_type": "attack",
            "date_start": "2023-11-09",
            "date_end": "2023-11-09",
            "date_precision": 1,
            "site_id": "mosul",
            "country": "IRQ",
            "geo_precision": 2,
            "latitude": site.latitude,
            "longitude": site.longitude,
            "weapons": ["ied"],
            **text,
        }
    )


PAYLOADS = [
    "<script>window.pwned=1</script>",
    '"><img src=x onerror=window.pwned=1>',
    "</script><script>window.pwned=1</script>",
    "javascript:window.pwned=1",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_article_text_is_escaped_in_popups_and_page(payload: str) -> None:
    hostile = at_mosul(
        location=payload,
        damage=payload,
        claimed_by=payload,
        notes=payload,
        sources=[{"article": payload, "published": "2023-11-11", "quote": payload}],
    )
    frame = query.to_frame([hostile])
    popup = incident_popup(frame.to_dict("records")[0], None)
    assert esc(payload) in popup
    if "<" in payload:
        assert payload not in popup
    assert "href=" not in popup and "src=" not in popup.replace("src=x", "")
    page = html_of(frame)
    assert "<img src=x" not in page and "<script>window" not in page


@pytest.mark.parametrize("n", [500, 5_000, 200_000])
def test_page_stays_small_whatever_the_number_of_incidents(n: int) -> None:
    from geo.mapping.build import MAX_DOTS
    from geo.synth import synth_frame

    frame = synth_frame(n, seed=n)
    page = html_of(frame)
    assert len(page.encode()) < 3_000_000
    dots, hubs = markers(frame, GAZ)
    located = int(frame["longitude"].notna().sum())
    if located <= MAX_DOTS:
        assert len(dots) == located  # every incident its own dot
    else:
        assert dots == []  # counted instead: every located incident is in a hub or a cell
        at_sites = frame[frame["site_id"].notna() & (frame["event_type"] == "attack")]
        assert sum(h.count for h in hubs if h.site_id) == len(at_sites)
        cells = sum(h.count for h in hubs if not h.site_id)
        assert cells == int((frame["site_id"].isna() & frame["longitude"].notna()).sum())
        detail, _ = markers(frame, GAZ, detail_site="al_asad")
        assert 0 < len(detail) <= MAX_DOTS
        assert {d.lat for d in detail} == {GAZ.get("al_asad").latitude}


def test_hub_sizes_grow_with_the_count_but_stay_bounded() -> None:
    """A hub grows with its count (so sites compare), but a site of a million attacks is no
    bigger than :data:`HUB_MAX`: at a million incidents hubs covered the whole map."""
    from geo.mapping.plugins.incidents import HUB_MAX, HUB_MIN, hub_size

    counts = [0, 1, 2, 5, 20, 50, 51, 200, 1_000, 10_000, 100_000, 1_000_000, 10**9]
    sizes = [hub_size(c) for c in counts]
    assert sizes[0] == sizes[1] == HUB_MIN
    assert sizes == sorted(sizes) and max(sizes) == HUB_MAX
    assert hub_size(10_000) > hub_size(1_000) > hub_size(50) > hub_size(5)


@pytest.mark.parametrize(
    ("n", "label"),
    [(0, "0"), (7, "7"), (999, "999"), (1000, "1.0k"), (1950, "1.9k"), (9_999, "10.0k"),
     (12_345, "12k"), (999_999, "1000k"), (1_000_000, "1.0M"), (2_345_678, "2.3M")],
)  # fmt: skip
def test_short_counts(n: int, label: str) -> None:
    from geo.mapping.plugins.incidents import short_count

    assert short_count(n) == label


def test_cells_are_shaded_squares_in_place_and_in_the_legend() -> None:
    """Past MAX_DOTS, incidents away from sites are counted per cell and drawn as squares at
    the cell's true bounds (never pushed aside like hubs), shaded by count, with the count in
    a tooltip; the legend says what the shading means."""
    from geo.mapping.plugins.incidents import CELL_DEG, CELL_SHADES, cell_shade
    from geo.synth import synth_frame

    frame = synth_frame(20_000, seed=4)
    page = html_of(frame)
    _, hubs = markers(frame, GAZ)
    cells = [h for h in hubs if not h.site_id]
    assert cells
    assert page.count("L.rectangle(") == 1  # one loop over the cells' data
    biggest = max(cells, key=lambda c: c.count)
    assert f'[{biggest.lat},{biggest.lng},"{CELL_SHADES[-1]}",' in page
    assert f"{biggest.count:,} incidents not at a known site" in page
    assert f"per {CELL_DEG}° cell (few → many)" in page
    assert cell_shade(1, biggest.count) == CELL_SHADES[0]
    # with few incidents there are no cells, and the legend does not mention them
    assert "few → many" not in html_of(FRAME)


def _other_event() -> Any:
    site = GAZ.get("mosul")
    return parse_incident(
        {
            "dataset": "ucdp",
            "event_type": "other",
            "date_start": "2023-11-09",
            "date_end": "2023-11-09",
            "date_precision": 1,
            "site_id": "mosul",
            "location": "Mosul",
            "country": "IRQ",
            "geo_precision": 2,
            "latitude": site.latitude,
            "longitude": site.longitude,
            "weapons": ["small_arms"],
            "sources": [{"article": "ucdp", "published": "2023-11-11", "quote": "a clash"}],
        }
    )


def test_other_events_are_called_other_events_everywhere() -> None:
    """An imported event that involves neither side is never titled an attack: not in its popup,
    its tooltip, or the incident table."""
    from components.tables import incident_rows

    frame = query.to_frame([_other_event()])
    row = frame.to_dict("records")[0]
    popup = incident_popup(row, "Mosul")
    assert "Other event" in popup and "Attack" not in popup
    dot = markers(frame, GAZ)[0][0]
    assert dot.tooltip.startswith("Other event: ") and "Attack" not in dot.tooltip
    assert incident_rows(frame, GAZ)["Type"].tolist() == ["Other event"]


def test_each_event_type_has_one_symbol_on_the_web_map_and_in_the_snapshot() -> None:
    """The web map and the PNG/PDF draw each event type with the same shape (other events: a
    diamond, a square turned 45 degrees; never a leaf on one and a diamond on the other)."""
    from geo.export import snapshot
    from geo.mapping import style

    assert snapshot.SHAPES == style.EVENT_SYMBOLS
    assert snapshot.SHAPES["other"] == "diamond"
    css = {e: style.dot_style(["drone"], "impact", e) for e in ("attack", "us_strike", "other")}
    assert "border-radius:50%" in css["attack"] and "rotate" not in css["attack"]
    assert "rotate" not in css["us_strike"] and "50%" not in css["us_strike"]
    assert "rotate(45deg)" in css["other"] and "50% 0" not in css["other"]
    html = markers(query.to_frame([_other_event()]), GAZ)[0][0].html
    assert "rotate(45deg)" in html


def test_each_outcome_has_one_fill_on_the_web_map_and_in_the_snapshot() -> None:
    """Hit and not reported solid, intercepted a ring, partly intercepted a ring with a dot, in
    the web map's dots, the snapshot's pins and the snapshot's legend alike."""
    from geo.export.snapshot import legend, symbols
    from geo.mapping import style
    from geo.model import OUTCOMES

    assert symbols.FILLS == style.OUTCOME_FILLS
    css = {o: style.dot_style(["drone"], o, "attack") for o in OUTCOMES}
    for outcome, fill in style.OUTCOME_FILLS.items():
        ring = "background:#fff;border:3px" in css[outcome]
        dot = "radial-gradient" in css[outcome]
        assert (ring, dot) == {"solid": (False, False), "ring": (True, False),
                               "ring_dot": (False, True)}[fill], (outcome, fill)  # fmt: skip
    assert legend.outcome_rows(list(OUTCOMES)) == [
        ("solid", "hit or not reported"),
        ("ring", "intercepted"),
        ("ring_dot", "partly intercepted"),
    ]


def test_each_event_type_is_grouped_under_one_name_on_the_web_map_and_in_kml() -> None:
    """The web map's layer and the KML folder of an event type have the vocabulary's name, and
    its KML icon the shape the maps draw it with."""
    from geo import vocabulary
    from geo.export.kml import FOLDERS, ICONS, SHAPE_ICONS
    from geo.mapping.plugins.incidents import OVERLAYS
    from geo.model import EVENT_TYPES

    for event in EVENT_TYPES:
        term = vocabulary.term("event_type", event)
        assert term.group and OVERLAYS[event][0] == FOLDERS[event] == term.group
        assert ICONS[event] == SHAPE_ICONS[term.shape]
    assert FOLDERS["attack"] == "Attacks on US/coalition forces"
    assert ICONS["other"].endswith("open-diamond.png")


def test_site_labels_name_the_sites_with_incidents_as_text() -> None:
    from geo.mapping.plugins import SiteLabels

    hit = set(LOCATED["site_id"].dropna())
    page = html_of(FRAME)
    for site in GAZ:
        if site.latitude is None:
            continue
        named = f'"{site.name}"' in page.split("var sites = ", 1)[1].split(";", 1)[0]
        assert named == (site.id in hit), site.id
    # a name is data: it goes in as JSON text, never as markup
    hostile = SiteLabels([("x", 33.0, 44.0, "</script><img src=x onerror=alert(1)>", 20, 3)])
    assert "<img" not in hostile.sites and "</script" not in hostile.sites
    assert "el.textContent = s[2]" in page


@pytest.mark.parametrize("mode", ["served", "inline"])
def test_the_map_needs_no_jquery(mode: str) -> None:
    # jQuery is not loaded (only folium's own Popup would call it): nothing may call it
    page = html_of(FRAME, assets=mode)
    assert "jquery" not in page.lower() and "$(" not in page


#: text shaped like a template: a Jinja expression, statement and comment, and folium's
#: element reference (which streamlit-folium would resolve)
TEMPLATE_SHAPED = ["{{ 7*7 }}", "{% if true %}yes{% endif %}", "{# hidden #}", "{{'map_div'}}"]


@pytest.mark.parametrize("shaped", TEMPLATE_SHAPED)
def test_text_shaped_like_a_template_is_shown_as_written_never_run(shaped: str) -> None:
    """branca compiles each element's rendered script as a template once more (in a page,
    an export and the script the app's map frame draws): text from an article or a file must
    come through as it was written, never evaluated."""
    from components.map_panel import map_script
    from geo.export.interactive import page
    from geo.export.view import View
    from geo.mapping.plugins._json import script_json

    incident = at_mosul(
        location=f"AAA{shaped}BBB",
        notes=shaped,
        sources=[{"article": "a", "published": "2023-11-11", "quote": shaped}],
    )
    frame = query.to_frame([incident])
    where = script_json(esc(f"AAA{shaped}BBB"))[1:-1]  # as the popup carries it
    assert where in html_of(frame)
    assert where in map_script(build_map(frame, GAZ))
    exported = page(View(frame=frame, filters=query.Filters(), gazetteer=GAZ, title=shaped))
    assert f"<title>{esc(shaped)}</title>" in exported
    assert where in exported
