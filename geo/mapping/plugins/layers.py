"""The layer control: every overlay the other plugins registered in ``map.atlasOverlays``.

Add it last, after the plugins that register overlays.
"""

from __future__ import annotations

from jinja2 import Template

from geo.mapping.raw import Plugin


class LayerControl(Plugin):
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var control = L.control.layers(map.atlasBaseLayers || null, map.atlasOverlays || {},
                                           {collapsed: true, position: "topright"});
            control.addTo(map);
            control.getContainer().classList.add("atlas-layers");
        })();
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "LayerControl"
