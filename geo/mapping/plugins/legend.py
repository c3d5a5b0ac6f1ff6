"""A categorical legend control: weapon colours, event-type shapes, outcome fills and precision
(folium has no categorical legend: folium #454, #528).  Exports draw the same table."""

from __future__ import annotations

from jinja2 import Template

from geo import vocabulary
from geo.mapping import style
from geo.mapping.plugins._json import script_json
from geo.mapping.plugins.incidents import CELL_DEG, CELL_SHADES
from geo.mapping.raw import Plugin


def _swatch(css: str, label: str, text: str = "") -> str:
    return f'<div><span class="atlas-swatch" style="{css}">{text}</span>{label}</div>'


def legend_html(
    weapons: list[str],
    event_types: list[str],
    outcomes: list[str],
    cells: bool = False,
    counted: bool = False,
) -> str:
    """Only the categories present on the map, in the vocabulary's order."""
    parts = ['<div class="atlas-legend-title">Weapon</div>']
    parts += [
        _swatch(f"background:{style.WEAPON_COLOURS[w]}", style.WEAPON_LABELS[w]) for w in weapons
    ]
    parts.append('<div class="atlas-legend-title">Event</div>')
    parts += [
        _swatch(
            f"background:{style.NEUTRAL};{style.EVENT_SHAPES[e]}",
            vocabulary.long_label("event_type", e),
        )
        for e in event_types
    ]
    if "other" in event_types:  # context: how many of them the view holds (the map fills it in)
        parts.append('<div class="atlas-other-count" data-in-view=""></div>')
    parts.append('<div class="atlas-legend-title">Outcome</div>')
    parts += [
        _swatch(style.dot_style(["unknown"], o, "attack").replace("3px", "2px"),
                style.OUTCOME_LABELS[o])
        for o in outcomes
    ]  # fmt: skip
    parts.append('<div class="atlas-legend-title">Site</div>')
    parts.append(_swatch("", "attacks at site in range", "3").replace(
        'class="atlas-swatch"', 'class="atlas-swatch atlas-site-swatch"'))  # fmt: skip
    parts.append(
        '<div><span class="atlas-swatch atlas-uncertain-swatch"></span>place known to ±25–150 km</div>'
    )
    if counted:
        parts.append(
            '<div><span class="atlas-swatch atlas-counted-swatch">n</span>events too close to '
            "draw apart: click to zoom in</div>"
        )
    parts.append(
        '<div><span class="atlas-swatch atlas-ring-swatch"></span>10 / 50 / 100 km from the '
        "selected site</div>"
    )
    if cells:
        ramp = "linear-gradient(90deg, " + ", ".join(CELL_SHADES) + ")"
        parts.append(
            _swatch(f"background:{ramp};border-radius:0;width:28px", "incidents away from sites,")
            + f"<div>per {CELL_DEG}° cell (few → many)</div>"
        )
    return "".join(parts)


#: a map narrower than this (px) starts with its legend folded
LEGEND_OPEN_FROM = 600


class Legend(Plugin):
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var legend = L.control({position: "bottomright"});
            legend.onAdd = function (map) {
                // a <details>: the reader folds it away when it covers something; folded from
                // the start on a narrow map (a phone), where it would cover most of it
                var div = L.DomUtil.create("details", "atlas-legend");
                div.open = map.getSize().x >= {{ this.open_from }};
                var summary = L.DomUtil.create("summary", "atlas-legend-toggle", div);
                summary.textContent = "Legend";
                summary.title = "Show or hide the legend";
                var body = L.DomUtil.create("div", "atlas-legend-body", div);
                body.innerHTML = {{ this.html }};
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            legend.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self,
        weapons: list[str],
        event_types: list[str],
        outcomes: list[str],
        cells: bool = False,
        counted: bool = False,
    ) -> None:
        super().__init__()
        self._name = "Legend"
        self.open_from = LEGEND_OPEN_FROM
        # Our own fixed vocabulary, not user text; still passed as JSON, never spliced raw.
        self.html = script_json(legend_html(weapons, event_types, outcomes, cells, counted))
