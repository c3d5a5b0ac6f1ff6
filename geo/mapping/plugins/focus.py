"""Pressing the mouse on the map must not scroll the page that holds it.

Leaflet's keyboard handler focuses the map container on ``mousedown`` with a plain
``focus()`` and then restores the scroll of the map's own window only.  In the app the map is
an iframe inside a scrolling Streamlit page: when the map is not wholly in the window, that
focus scrolls the *parent* page between the press and the release, the release lands elsewhere
and the first click is lost.  This plugin re-binds the handler so the container is focused with
``preventScroll``, keeping keyboard navigation (arrows, +/-) once the map has the focus.
"""

from __future__ import annotations

from jinja2 import Template

from geo.mapping.raw import Plugin


class FocusWithoutScroll(Plugin):
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var kb = map.keyboard;
            if (!kb) { return; }
            var on = kb.enabled();
            if (on) { kb.disable(); }  // unbinds the listener bound to the prototype method
            kb._onMouseDown = function () {
                if (this._focused) { return; }
                this._map._container.focus({preventScroll: true});
            };
            if (on) { kb.enable(); }
        })();
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "FocusWithoutScroll"
