"""Markup put into a folium page as it is.

``branca.element.Element`` compiles its text as a Jinja template, so text that came from an
article or a file (a title, say) must not go through it: ``{{ ... }}`` in it would be run.
"""

from __future__ import annotations

from typing import Any

from branca.element import Element


class RawHtml(Element):
    """Markup put in as it is: never compiled or rendered as a template."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.html = html

    def render(self, **kwargs: Any) -> str:
        return self.html
