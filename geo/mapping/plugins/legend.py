"""A categorical legend control: weapon colours and symbol shapes (folium has none, #454)."""

from __future__ import annotations

from branca.element import MacroElement
from jinja2 import Template

from geo.mapping import style
from geo.mapping.plugins._json import script_json


def legend_html(weapons: list[str]) -> str:
    rows = "".join(
        f'<div><span class="atlas-swatch" style="background:{style.WEAPON_COLOURS[w]}"></span>'
        f"{style.WEAPON_LABELS[w]}</div>"
        for w in weapons
    )
    return (
        '<div class="atlas-legend-title">Weapon</div>'
        + rows
        + '<div class="atlas-legend-title">Symbol</div>'
        '<div><span class="atlas-swatch" style="border-radius:50%;background:#777"></span>attack</div>'
        '<div><span class="atlas-swatch" style="border-radius:2px;background:#777"></span>US strike</div>'
        '<div><span class="atlas-swatch atlas-site-swatch">3</span>attacks at site</div>'
    )


class Legend(MacroElement):
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var legend = L.control({position: "topright"});
            legend.onAdd = function () {
                var div = L.DomUtil.create("div", "atlas-legend");
                div.innerHTML = {{ this.html }};
                L.DomEvent.disableClickPropagation(div);
                return div;
            };
            legend.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, weapons: list[str]) -> None:
        super().__init__()
        self._name = "Legend"
        # Our own fixed vocabulary, not user text; still passed as JSON, never spliced raw.
        self.html = script_json(legend_html(weapons))
