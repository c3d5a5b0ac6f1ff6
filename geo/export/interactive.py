"""The interactive map as one HTML file that opens with no network.

:func:`geo.mapping.build_map` with ``assets="inline"`` (Leaflet and the heat plugin as
``data:`` URIs, the Natural Earth borders embedded), rendered to a single page, with a header
block above the map: marking, title, date range and headline, filters, data version and
attribution.  Every piece of text in the header goes through :func:`geo.mapping.popups.esc`;
the map's own popups are escaped by the mapping package.  The marking, when given, is repeated
in a footer banner.
"""

from __future__ import annotations

from pathlib import Path

from branca.element import Element

from geo.export.view import View, banner_colours
from geo.mapping import build_map
from geo.mapping.raw import RawHtml
from geo.markup import esc

PAGE_CSS = """
<style>
html, body { height: 100%; margin: 0; }
body { display: flex; flex-direction: column; font: 13px/1.35 sans-serif; color: #1b1b1b; }
.atlas-export-head { flex: 0 0 auto; padding: 8px 14px 6px; border-bottom: 1px solid #ccc; }
.atlas-export-head h1 { font-size: 19px; margin: 0 0 2px; }
.atlas-export-head p { margin: 2px 0; color: #444; }
.atlas-export-head .atlas-credits { font-size: 11px; color: #666; }
.atlas-marking { flex: 0 0 auto; text-align: center; font: bold 13px/22px sans-serif;
  letter-spacing: .05em; }
.folium-map { flex: 1 1 auto; min-height: 0; height: auto !important; }
</style>
"""


def header_html(view: View) -> str:
    lines = [
        f'<h1 class="atlas-export-title">{esc(view.title)}</h1>',
        f"<p>{esc(view.range_text())} · {esc(view.headline_text())}</p>",
        f'<p class="atlas-export-filters">{esc(view.filters_text())} · {esc(view.as_of_text())}</p>',
        f'<p class="atlas-credits">{" · ".join(esc(a) for a in view.attribution())}</p>',
    ]
    return f'<header class="atlas-export-head">{"".join(lines)}</header>'


def marking_html(view: View, where: str) -> str:
    if not view.marking:
        return ""
    back, fore = banner_colours(view.marking)
    return (
        f'<div class="atlas-marking atlas-marking-{where}" '
        f'style="background:{back};color:{fore}">{esc(view.marking)}</div>'
    )


def page(view: View) -> str:
    """The whole page as one string."""
    selected = view.selected_sites[0] if view.selected_sites else None
    m = build_map(view.frame, view.gazetteer, assets="inline", selected_site=selected)
    root = m.get_root()
    root.header.add_child(Element(PAGE_CSS), name="atlas_export_css")
    root.header.add_child(RawHtml(f"<title>{esc(view.title)}</title>"), name="atlas_export_title")
    html = root.render()
    top = marking_html(view, "top") + header_html(view)
    html = html.replace("<body>", "<body>\n" + top, 1)
    return html.replace("</body>", marking_html(view, "bottom") + "\n</body>", 1)


def write_html(view: View, out: Path) -> None:
    Path(out).write_text(page(view), encoding="utf-8")
