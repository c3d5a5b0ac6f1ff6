"""Markup put into a folium page as it is.

``branca.element.Element`` compiles its text as a Jinja template, so text that came from an
article or a file (a title, say) must not go through it: ``{{ ... }}`` in it would be run.
"""

from __future__ import annotations

from typing import Any

from branca.element import Element, MacroElement


class RawHtml(Element):
    """Markup put in as it is: never compiled or rendered as a template."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.html = html

    def render(self, **kwargs: Any) -> str:
        return self.html


class Plugin(MacroElement):
    """A map plugin: a ``MacroElement`` whose rendered header, html and script go into the page
    as they are.

    branca's ``MacroElement.render`` wraps each part in an ``Element``, which compiles its text
    as a Jinja template once more before it is rendered again: for the incident layer's 390 kB
    of script that was 35 ms of every map built (a range change builds one), and data taken
    through a second template pass (``plugins/_json.py`` guards against that too)."""

    def render(self, **kwargs: Any) -> None:
        figure = self.get_root()
        parts = self._template.module.__dict__
        for part, parent in (
            ("header", figure.header),
            ("html", figure.html),
            ("script", figure.script),
        ):
            if parts.get(part) is not None:
                parent.add_child(RawHtml(parts[part](self, kwargs)), name=self.get_name())
        for element in self._children.values():
            element.render(**kwargs)
