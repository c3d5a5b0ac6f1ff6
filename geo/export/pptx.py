"""A briefing deck (python-pptx): title, map, per-site table, incidents, sources.

Slides (16:9, 13.33 × 7.5 in)

1. **Title**: the title, date range, headline, data version, filters; the marking.
2. **Map**: the PNG snapshot (:mod:`geo.export.snapshot`, drawn without its own marking
   banners: the slide carries them).
3. **Sites** (one slide per :data:`TABLE_ROWS` sites): per-site attacks, confirmed / claimed,
   first and last date, days since the last one, weapons, US killed and injured -- the
   numbers of :meth:`View.summaries`, i.e. the app's Sites table, formatted by
   :func:`summary_cells`.
4. **Incidents**: one card per incident (date window, site/location, weapons, outcome,
   casualties, status, sources with their quotes), as many per slide as fit in two columns;
   at most :data:`MAX_CARDS` (the most recent, and the slides say so).  Quotes longer than
   :data:`QUOTE_CHARS` are cut on the slide and given in full in the notes.
5. **Sources and attribution**: the articles shown, the basemap and each dataset's credit
   (ACLED's attribution text whenever any row is ACLED's).

Every slide has the marking (when given) in a banner at the top and the bottom, and speaker
notes that start with the filters (``Filters.describe()``) and the data version.
"""

from __future__ import annotations

import dataclasses
import io
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from geo import query
from geo.export import snapshot
from geo.export.view import View, banner_colours, long_date, window_text
from geo.mapping import style
from geo.mapping.style import EVENT_TITLES
from geo.markup import casualty_text
from geo.model import DATE_PRECISION, GEO_PRECISION

SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.4)
BANNER_H = Inches(0.3)
TABLE_ROWS = 12
QUOTE_CHARS = 300
#: at most this many incident cards (the most recent): a deck is for a briefing, not an archive
MAX_CARDS = 120
CARD_PT = 10.5
COLUMNS_PER_SLIDE = 2
SUMMARY_HEADER: tuple[str, ...] = (
    "Site",
    "Attacks",
    "Confirmed / claimed",
    "First",
    "Last",
    "Days since last",
    "Weapons",
    "US killed",
    "US injured",
)
SUMMARY_WIDTHS = (2.3, 0.95, 1.3, 1.2, 1.2, 1.05, 2.3, 1.1, 1.133)  # inches, sum 12.533
EVENT_NAMES = EVENT_TITLES
#: a card's symbol, as the map draws the event (:data:`geo.mapping.style.EVENT_SYMBOLS`)
SYMBOL_CHARS = {"circle": "●", "square": "■", "diamond": "◆"}


def _rgb(hex_rgb: str) -> RGBColor:
    return RGBColor.from_string(hex_rgb.lstrip("#").upper())


#: the printed page's colours (:mod:`geo.mapping.style`), as the snapshot uses them
INK = _rgb(style.INK)
MUTED = _rgb(style.MUTED)


def summary_cells(s: query.SiteSummary) -> list[str]:
    """One row of the Sites table, as text (the test compares these with the query's)."""
    weapons = ", ".join(f"{style.WEAPON_LABELS.get(w, w)} {n}" for w, n in s.weapons.items())
    return [
        s.site_name,
        str(s.incidents),
        f"{s.confirmed} / {s.claimed}",
        s.first_date.isoformat(),
        s.last_date.isoformat(),
        str(s.days_since_last),
        weapons,
        s.killed.text(),
        s.injured.text(),
    ]


# -- building blocks ----------------------------------------------------------------------------


class Deck:
    def __init__(self, view: View) -> None:
        self.view = view
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = SLIDE_W, SLIDE_H
        self.prs.core_properties.title = view.title[:255]
        self.prs.core_properties.subject = view.range_text()
        self.prs.core_properties.keywords = view.marking or ""
        self.top = MARGIN // 2 + (BANNER_H if view.marking else 0)
        self.bottom = SLIDE_H - MARGIN // 2 - (BANNER_H if view.marking else 0)

    def slide(self, title: str, notes: Iterable[str] = (), layout: int = 5) -> Any:
        """A slide of layout ``layout`` (5: title only) with banners and the standard notes."""
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[layout])
        shape = slide.shapes.title
        shape.left, shape.top = MARGIN, self.top
        shape.width, shape.height = SLIDE_W - 2 * MARGIN, Inches(0.7)
        shape.text_frame.text = title
        para = shape.text_frame.paragraphs[0]
        para.alignment = PP_ALIGN.LEFT
        for run in para.runs:
            run.font.size = Pt(26)
            run.font.bold = True
            run.font.color.rgb = INK
        shape.text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE
        shape.text_frame.word_wrap = True
        self._banners(slide)
        lines = [
            self.view.filters_text(),
            self.view.as_of_text(),
            *(["Marking: " + self.view.marking] if self.view.marking else []),
            *self.view.notes,
            "",
            *notes,
        ]
        slide.notes_slide.notes_text_frame.text = "\n".join(lines)
        return slide

    def _banners(self, slide: Any) -> None:
        if not self.view.marking:
            return
        back, fore = banner_colours(self.view.marking)
        for top in (0, SLIDE_H - BANNER_H):
            box = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, top, SLIDE_W, BANNER_H)
            box.fill.solid()
            box.fill.fore_color.rgb = _rgb(back)
            box.line.fill.background()
            box.shadow.inherit = False
            tf = box.text_frame
            tf.margin_top = tf.margin_bottom = 0
            tf.text = self.view.marking
            para = tf.paragraphs[0]
            para.alignment = PP_ALIGN.CENTER
            run = para.runs[0]
            run.font.size, run.font.bold = Pt(12), True
            run.font.color.rgb = _rgb(fore)
            box.name = "Marking"

    def text_box(
        self,
        slide: Any,
        left: int,
        top: int,
        width: int,
        height: int,
        paragraphs: Iterable[list[tuple[str, dict[str, Any]]]],
        size: float = 14,
    ) -> Any:
        """A text box of paragraphs, each a list of (text, run options) runs."""
        box = slide.shapes.add_textbox(left, top, width, height)
        tf = box.text_frame
        tf.word_wrap = True
        first = True
        for runs in paragraphs:
            para = tf.paragraphs[0] if first else tf.add_paragraph()
            first = False
            for text, opts in runs:
                run = para.add_run()
                run.text = text
                run.font.size = Pt(opts.get("size", size))
                run.font.bold = opts.get("bold", False)
                run.font.italic = opts.get("italic", False)
                run.font.color.rgb = opts.get("colour", INK)
            para.space_after = Pt(opts.get("after", 4)) if runs else Pt(2)
        return box


# -- the slides ---------------------------------------------------------------------------------


def title_slide(deck: Deck) -> None:
    view = deck.view
    slide = deck.slide(view.title or "Incident Atlas briefing", layout=5)
    shape = slide.shapes.title
    shape.top, shape.height = deck.top + Inches(1.6), Inches(1.3)
    for run in shape.text_frame.paragraphs[0].runs:
        run.font.size = Pt(36)
    body = [
        [(view.range_text(), {"size": 22, "bold": True})],
        [(view.headline_text(), {"size": 16, "colour": MUTED})],
        [],
        [("Filters: ", {"bold": True}), (view.filters.describe(), {})],
        [("Data as of: ", {"bold": True}), (view.as_of or "not stated", {})],
    ]
    if view.marking:
        body.append([("Marking: ", {"bold": True}), (view.marking, {})])
    deck.text_box(slide, MARGIN, deck.top + Inches(3.0), SLIDE_W - 2 * MARGIN, Inches(2.4), body)
    credits = [[(line, {"size": 10, "colour": MUTED})] for line in view.attribution()]
    deck.text_box(
        slide, MARGIN, deck.bottom - Inches(0.75), SLIDE_W - 2 * MARGIN, Inches(0.7), credits
    )


def map_slide(deck: Deck) -> None:
    view = deck.view
    slide = deck.slide(
        f"Map · {view.range_text()}",
        notes=[
            "The map: every located incident as a pin (colour: weapon; shape: event type), "
            "a count of attacks at each site, dashed circles where the place is known only "
            "roughly. Unlocated incidents are not drawn; they are on the incident slides.",
        ],
    )
    plain = dataclasses.replace(view, marking=None)
    png = snapshot.render(plain).png()
    top = deck.top + Inches(0.75)
    height = deck.bottom - top
    width = int(height * 16 / 9)
    if width > SLIDE_W - 2 * MARGIN:
        width = SLIDE_W - 2 * MARGIN
        height = int(width * 9 / 16)
    left = (SLIDE_W - width) // 2
    pic = slide.shapes.add_picture(io.BytesIO(png), left, top, width, height)
    pic.name = "Map snapshot"


def summary_slides(deck: Deck) -> list[query.SiteSummary]:
    view = deck.view
    rows = view.summaries()
    chunks = [rows[i : i + TABLE_ROWS] for i in range(0, len(rows), TABLE_ROWS)] or [[]]
    precision = view.filters.summary_max_geo_precision
    explain = (
        f"Counts attacks placed to geo_precision {precision} or better "
        f"({GEO_PRECISION.get(precision, '')}); days since last counted from "
        f"{long_date(view.anchor())}. Casualties are sums of reported ranges: '5+' means at "
        "least five with no upper bound."
    )
    for n, chunk in enumerate(chunks):
        more = f" ({n + 1}/{len(chunks)})" if len(chunks) > 1 else ""
        slide = deck.slide(f"Sites: attacks in range{more}", notes=[explain])
        top = deck.top + Inches(0.85)
        if not chunk:
            deck.text_box(
                slide,
                MARGIN,
                top,
                SLIDE_W - 2 * MARGIN,
                Inches(1),
                [[("No attacks at a known site in this range.", {"size": 18})]],
            )
            continue
        height = Inches(0.4) * (len(chunk) + 1)
        shape = slide.shapes.add_table(
            len(chunk) + 1, len(SUMMARY_HEADER), MARGIN, top, SLIDE_W - 2 * MARGIN, height
        )
        shape.name = "Site summaries"
        table = shape.table
        for c, width in enumerate(SUMMARY_WIDTHS):
            table.columns[c].width = Inches(width)
        for c, text in enumerate(SUMMARY_HEADER):
            _cell(table.cell(0, c), text, bold=True, size=11)
        for r, summary in enumerate(chunk, start=1):
            for c, text in enumerate(summary_cells(summary)):
                _cell(table.cell(r, c), text, size=12 if c != 6 else 11)
        deck.text_box(
            slide,
            MARGIN,
            deck.bottom - Inches(0.55),
            SLIDE_W - 2 * MARGIN,
            Inches(0.5),
            [[(explain, {"size": 10, "colour": MUTED})]],
        )


def _cell(cell: Any, text: str, bold: bool = False, size: float = 12) -> None:
    cell.text = text
    for para in cell.text_frame.paragraphs:
        for run in para.runs:
            run.font.size = Pt(size)
            run.font.bold = bold
    cell.margin_left = cell.margin_right = Inches(0.06)
    cell.vertical_anchor = MSO_ANCHOR.MIDDLE


@dataclass
class Card:
    row: dict[str, Any]
    paragraphs: list[list[tuple[str, dict[str, Any]]]]
    notes: str
    lines: float  # estimated height in text lines


def _estimate(paragraphs: list[list[tuple[str, dict[str, Any]]]], chars: int) -> float:
    total = 0.0
    for runs in paragraphs:
        n = sum(len(t) for t, _ in runs)
        total += max(1, math.ceil(n / chars)) + 0.3
    return total + 0.8  # the gap after a card


def card(row: dict[str, Any], site_name: str | None, chars: int) -> Card:
    colours = [style.WEAPON_COLOURS.get(w, style.WEAPON_COLOURS["unknown"]) for w in row["weapons"]]
    event = EVENT_NAMES.get(row["event_type"], "Event")
    place = site_name or row["location"]
    head: list[tuple[str, dict[str, Any]]] = [
        (
            SYMBOL_CHARS[style.EVENT_SYMBOLS[row["event_type"]]] + " ",
            {"colour": _rgb(c), "bold": True},
        )
        for c in colours[:1]
    ]
    head.append(
        (
            f"{event} · {place} · {window_text(row['date_start'], row['date_end'])}",
            {"bold": True, "size": CARD_PT + 1.5},
        )
    )
    located = "" if row["longitude"] is not None else " · not on the map (no reliable point)"
    where = f"{row['location']}, {row['country']}" + (
        f" ({row['admin1']})" if row["admin1"] else ""
    )
    status = row["status"]
    if row.get("claimed_by"):
        status += f" · claimed by {row['claimed_by']}"
    if row.get("attributed_to"):
        status += f" · attributed to {row['attributed_to']}"
    killed = casualty_text(row["killed_min"], row["killed_max"])
    injured = casualty_text(row["injured_min"], row["injured_max"])
    paragraphs: list[list[tuple[str, dict[str, Any]]]] = [
        head,
        _field(
            "When",
            f"{window_text(row['date_start'], row['date_end'])} "
            f"({DATE_PRECISION[int(row['date_precision'])][0]})",
        ),
        _field("Where", f"{where} · {GEO_PRECISION[int(row['geo_precision'])]}{located}"),
        _field(
            "Weapons",
            ", ".join(style.WEAPON_LABELS.get(w, w) for w in row["weapons"])
            + f" · outcome: {style.OUTCOME_LABELS.get(row['outcome'], row['outcome'])}",
        ),
        _field("US casualties", f"killed {killed} · injured {injured}"),
        _field("Status", status),
    ]
    notes = [f"{event} at {place}, {row['date_start']}..{row['date_end']} (id {row['id']})"]
    for s in row["sources"]:
        quote = " ".join(s.quote.split())
        cut = quote if len(quote) <= QUOTE_CHARS else quote[: QUOTE_CHARS - 1].rstrip() + "…"
        paragraphs.append(
            [
                (f"“{cut}” ", {"italic": True, "size": CARD_PT - 0.5}),
                (
                    f"— {s.article}, {long_date(s.published)}",
                    {"size": CARD_PT - 1.5, "colour": MUTED},
                ),
            ]
        )
        notes.append(f"  “{quote}” — {s.article}, {s.published}")
    if row.get("notes"):
        paragraphs.append([(f"Note: {row['notes']}", {"size": CARD_PT - 1.5, "colour": MUTED})])
    return Card(row, paragraphs, "\n".join(notes), _estimate(paragraphs, chars))


def _field(label: str, value: str) -> list[tuple[str, dict[str, Any]]]:
    return [(f"{label}: ", {"bold": True, "colour": MUTED}), (value, {})]


def incident_slides(deck: Deck) -> int:
    """Cards packed into two columns per slide; returns the number of slides made.  More than
    :data:`MAX_CARDS` incidents: the most recent ones, and every slide says so."""
    view = deck.view
    rows = view.rows()
    total = len(rows)
    if total > MAX_CARDS:
        rows = rows[-MAX_CARDS:]
    of = f"{len(rows)}" if len(rows) == total else f"the {len(rows)} latest of {total}"
    omitted = (
        []
        if len(rows) == total
        else [
            f"Only the {len(rows)} most recent of {total} incidents have slides; every "
            "incident is in the CSV, GeoJSON, KML and GeoPackage exports."
        ]
    )
    names = {s.id: s.name for s in view.gazetteer}
    top = deck.top + Inches(0.8)
    gap = Inches(0.3)
    col_w = (SLIDE_W - 2 * MARGIN - gap) // COLUMNS_PER_SLIDE
    height = deck.bottom - top
    chars = int(Emu(col_w).inches * 72 / (CARD_PT * 0.5))
    per_column = Emu(height).inches * 72 / (CARD_PT * 1.22)
    cards = [card(r, names.get(r["site_id"]) if r["site_id"] else None, chars) for r in rows]
    pages: list[list[list[Card]]] = []
    column: list[Card] = []
    used = 0.0
    page: list[list[Card]] = []
    for c in cards:
        if column and used + c.lines > per_column:
            page.append(column)
            column, used = [], 0.0
            if len(page) == COLUMNS_PER_SLIDE:
                pages.append(page)
                page = []
        column.append(c)
        used += c.lines
    if column:
        page.append(column)
    if page:
        pages.append(page)
    done = 0
    for page in pages:
        count = sum(len(col) for col in page)
        first, last = done + 1, done + count
        done = last
        title = f"Incidents {first}–{last} of {of}" if count > 1 else f"Incident {first} of {of}"
        slide = deck.slide(title, notes=[*omitted, *(c.notes for col in page for c in col)])
        for k, col in enumerate(page):
            paragraphs = [p for c in col for p in [*c.paragraphs, []]]
            box = deck.text_box(
                slide, MARGIN + k * (col_w + gap), top, col_w, height, paragraphs, size=CARD_PT
            )
            box.name = f"Incidents column {k + 1}"
    return len(pages)


def sources_slide(deck: Deck) -> None:
    view = deck.view
    articles = view.articles()
    counts: dict[str, int] = {}
    for row in view.rows():
        for article in dict.fromkeys(s.article for s in row["sources"]):
            counts[article] = counts.get(article, 0) + 1
    shown = articles[:18]
    paragraphs = [[("Articles", {"bold": True, "size": 16})]]
    paragraphs += [
        [
            (f"{a}", {"bold": True}),
            (
                f" — published {long_date(d)} · cited by {counts.get(a, 0)} "
                f"incident{'s' if counts.get(a, 0) != 1 else ''}",
                {},
            ),
        ]
        for a, d in shown
    ]
    if len(articles) > len(shown):
        paragraphs.append(
            [
                (
                    f"and {len(articles) - len(shown)} more (all in the CSV/GeoJSON exports)",
                    {"italic": True},
                )
            ]
        )
    paragraphs += [[], [("Attribution", {"bold": True, "size": 16})]]
    paragraphs += [[(line, {})] for line in view.attribution()]
    slide = deck.slide(
        "Sources and attribution", notes=["Every article an incident shown rests on."]
    )
    deck.text_box(
        slide,
        MARGIN,
        deck.top + Inches(0.85),
        SLIDE_W - 2 * MARGIN,
        deck.bottom - deck.top - Inches(0.9),
        paragraphs,
        size=12 if len(shown) > 10 else 14,
    )


def build(view: View) -> Any:
    deck = Deck(view)
    title_slide(deck)
    map_slide(deck)
    summary_slides(deck)
    incident_slides(deck)
    sources_slide(deck)
    return deck.prs


def write_pptx(view: View, out: Path) -> None:
    build(view).save(str(out))
