"""KML 2.2 for Google Earth, written with the standard library's ElementTree.

One ``Placemark`` per located incident, in a folder per event type, with

* ``name``: event, place and date.  KML calls it plain text, but several viewers render a name
  (and ``ExtendedData`` values) as HTML, so data text in both is escaped by :func:`_esc` like
  the balloon's (a ``<b>`` in a place name reads ``&lt;b&gt;`` after XML parsing: a viewer
  that renders HTML shows the characters, one that shows text shows the references); it never
  enters a balloon through ``$[name]``;
* ``description``: an HTML balloon (the name as its heading, date window, place, weapons,
  outcome, casualties, status, quotes).  Every value passes through :func:`_esc` (that is
  :func:`geo.mapping.popups.esc`, plus ``$`` as ``&#36;`` so a ``$[name]`` in a quote is not a
  Google Earth entity) *before* it becomes HTML, and ElementTree escapes the whole balloon again
  as XML text, so a ``<script>`` in a quote reaches Google Earth as the text ``&lt;script&gt;``,
  never as a tag.  The style's balloon template is ``$[description]`` alone: Google Earth does
  not document whether it escapes what ``$[name]`` inserts, so no entity but our own escaped
  description is used;
* ``TimeSpan`` of the date window (Google Earth's time slider);
* ``styleUrl`` to a style per (event type, weapon): the weapon colour of
  :data:`geo.mapping.style.WEAPON_COLOURS` (first weapon when several) and Google Earth's
  icon nearest the event type's shape in :mod:`geo.vocabulary` (circle, square, diamond);
* ``ExtendedData`` with the incident's id and the fields a GIS wants as attributes (values
  through :func:`_esc`, as the name).

Unlocated incidents are left out -- KML needs a point -- and the document description says how
many, so nobody reads the file as complete.  The marking, filters, data version and the
attribution (ACLED's when any row is ACLED's) go into the document's name and description.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from geo.export.view import View, window_text
from geo.mapping import style
from geo.mapping.style import EVENT_TITLES
from geo.markup import casualty_text, esc
from geo.model import DATE_PRECISION, GEO_PRECISION
from geo.vocabulary import EVENT_TYPE_TERMS

NS = "http://www.opengis.net/kml/2.2"
#: Google Earth's own icon for each shape (resolved by Google Earth, not by us)
SHAPE_ICONS = {
    "circle": "http://maps.google.com/mapfiles/kml/shapes/placemark_circle.png",
    "square": "http://maps.google.com/mapfiles/kml/shapes/placemark_square.png",
    "diamond": "http://maps.google.com/mapfiles/kml/shapes/open-diamond.png",
}
#: event type -> its icon, by the shape the map draws it with
ICONS = {e: SHAPE_ICONS[shape] for e, shape in style.EVENT_SYMBOLS.items()}
#: event type -> the name of its folder
FOLDERS = {e: t.group for e, t in EVENT_TYPE_TERMS.items()}
EVENT_NAMES = EVENT_TITLES
EXTENDED = (
    "id",
    "dataset",
    "event_type",
    "date_start",
    "date_end",
    "site_id",
    "location",
    "country",
    "geo_precision",
    "weapons",
    "outcome",
    "status",
)


def kml_colour(hex_rgb: str, alpha: int = 255) -> str:
    """``#rrggbb`` -> KML's ``aabbggrr``."""
    r, g, b = hex_rgb[1:3], hex_rgb[3:5], hex_rgb[5:7]
    return f"{alpha:02x}{b}{g}{r}".lower()


def style_id(event_type: str, weapon: str) -> str:
    return f"{event_type}-{weapon}"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, f"{{{NS}}}{tag}", attrs)
    if text is not None:
        el.text = _XML_INVALID.sub("\ufffd", text)
    return el


#: characters XML 1.0 cannot carry at all (not even escaped): C0 controls but tab, LF, CR
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


#: the balloon template of every style: our description, nothing Google Earth fills in itself
BALLOON_TEXT = "$[description]"
#: the document's own style (its balloon)
DOCUMENT_STYLE = "atlas-document"


def _esc(value: Any) -> str:
    """:func:`esc` for balloon HTML, and ``$`` as a character reference: Google Earth replaces
    ``$[...]`` entities in balloon text, and text from the data must not name one."""
    return esc(value).replace("$", "&#36;")


def placemark_name(row: dict[str, Any], site_name: str | None) -> str:
    """``Attack: <place>, <window>`` (plain text: escape it where it goes into the file)."""
    event = EVENT_NAMES.get(row["event_type"], "Event")
    where = site_name or row["location"]
    return f"{event}: {where}, {window_text(row['date_start'], row['date_end'])}"


def balloon(row: dict[str, Any], site_name: str | None) -> str:
    """The placemark's HTML description, headed by its name; every value escaped (:func:`_esc`)."""
    lines = [
        (
            "When",
            f"{window_text(row['date_start'], row['date_end'])} "
            f"({DATE_PRECISION[int(row['date_precision'])][0]})",
        ),
        ("Where", f"{row['location']} · {GEO_PRECISION[int(row['geo_precision'])]}"),
        ("Weapons", ", ".join(style.WEAPON_LABELS[w] for w in row["weapons"])),
        ("Outcome", style.OUTCOME_LABELS.get(row["outcome"], row["outcome"])),
        ("US killed", casualty_text(row["killed_min"], row["killed_max"])),
        ("US injured", casualty_text(row["injured_min"], row["injured_max"])),
        ("Status", row["status"]),
    ]
    if site_name:
        lines.insert(1, ("Site", site_name))
    for key, label in (("claimed_by", "Claimed by"), ("attributed_to", "Attributed to")):
        if row.get(key):
            lines.append((label, row[key]))
    table = "".join(f"<tr><th align='left'>{_esc(k)}</th><td>{_esc(v)}</td></tr>" for k, v in lines)
    quotes = "".join(
        f"<blockquote>“{_esc(s.quote)}”<br/><small>{_esc(s.article)}, {_esc(s.published)}"
        "</small></blockquote>"
        for s in row["sources"]
    )
    notes = f"<p><i>{_esc(row['notes'])}</i></p>" if row.get("notes") else ""
    return (
        f"<h3>{_esc(placemark_name(row, site_name))}</h3><table>{table}</table>{quotes}{notes}"
        f"<p><small>id {_esc(row['id'])}</small></p>"
    )


def document(view: View) -> ET.ElementTree:
    ET.register_namespace("", NS)
    root = ET.Element(f"{{{NS}}}kml")
    doc = _sub(root, "Document")
    name = view.title or "Incident Atlas"
    _sub(doc, "name", _esc(f"{view.marking} · {name}" if view.marking else name))
    located, unlocated = view.located(), view.unlocated()
    about = [
        *([f"<p><b>{_esc(view.marking)}</b></p>"] if view.marking else []),
        f"<p><b>{_esc(name)}</b><br/>{_esc(view.range_text())}</p>",
        f"<p>{_esc(view.filters_text())}<br/>{_esc(view.as_of_text())}</p>",
        f"<p>{len(located)} located incident{'s' if len(located) != 1 else ''} shown. "
        f"{len(unlocated)} unlocated incident{'s' if len(unlocated) != 1 else ''} not shown "
        "(no reliable point: country or region only); they are in the CSV, GeoJSON and "
        "GeoPackage exports.</p>",
        "<p>" + "<br/>".join(_esc(line) for line in view.attribution()) + "</p>",
    ]
    _sub(doc, "description", "".join(about))
    # the document's balloon too is its description alone (its name is the title, in <b> above)
    _sub(doc, "styleUrl", f"#{DOCUMENT_STYLE}")
    _sub(_sub(_sub(doc, "Style", id=DOCUMENT_STYLE), "BalloonStyle"), "text", BALLOON_TEXT)
    used = sorted({(r["event_type"], (r["weapons"] or ("unknown",))[0]) for r in located})
    for event_type, weapon in used:
        st = _sub(doc, "Style", id=style_id(event_type, weapon))
        icon_style = _sub(st, "IconStyle")
        _sub(icon_style, "color", kml_colour(style.WEAPON_COLOURS[weapon]))
        _sub(icon_style, "scale", "1.1")
        icon = _sub(icon_style, "Icon")
        _sub(icon, "href", ICONS.get(event_type, ICONS["attack"]))
        label = _sub(st, "LabelStyle")
        _sub(label, "scale", "0.8")
        balloon_style = _sub(st, "BalloonStyle")
        _sub(balloon_style, "text", BALLOON_TEXT)

    # KML 2.2 order: a Feature's styles come before its ExtendedData
    counts = _sub(doc, "ExtendedData")
    for key, value in (("located", len(located)), ("unlocated_not_shown", len(unlocated))):
        data = _sub(counts, "Data", name=key)
        _sub(data, "value", str(value))

    names = {s.id: s.name for s in view.gazetteer}
    folders: dict[str, ET.Element] = {}
    for row in located:
        event_type = row["event_type"]
        if event_type not in folders:
            folders[event_type] = _sub(doc, "Folder")
            _sub(folders[event_type], "name", FOLDERS.get(event_type, event_type))
        site_name = names.get(row["site_id"]) if row["site_id"] else None
        pm = _sub(folders[event_type], "Placemark")
        _sub(pm, "name", _esc(placemark_name(row, site_name)))
        _sub(pm, "description", balloon(row, site_name))
        span = _sub(pm, "TimeSpan")
        _sub(span, "begin", row["date_start"].isoformat())
        _sub(span, "end", row["date_end"].isoformat())
        _sub(pm, "styleUrl", "#" + style_id(event_type, (row["weapons"] or ("unknown",))[0]))
        extended = _sub(pm, "ExtendedData")
        for key in EXTENDED:
            value = row[key]
            if isinstance(value, tuple):
                value = ";".join(value)
            data = _sub(extended, "Data", name=key)
            _sub(data, "value", _esc(value))
        point = _sub(pm, "Point")
        _sub(point, "coordinates", f"{row['longitude']!r},{row['latitude']!r},0")
    tree = ET.ElementTree(root)
    ET.indent(tree, space=" ")
    return tree


def write_kml(view: View, out: Path) -> None:
    document(view).write(Path(out), encoding="UTF-8", xml_declaration=True)
