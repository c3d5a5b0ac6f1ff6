"""Embedding data in a <script> safely."""

from __future__ import annotations

import json
import re
from typing import Any

#: a brace that would open a Jinja expression, statement or comment ("{{", "{%", "{#").  branca
#: compiles every element's rendered script as a template once more, and streamlit-folium turns
#: ``{{'name'}}`` into ``name``: data must reach the page as it was written, never be run.  JSON
#: itself never puts such a pair outside a string (a structural "{" is followed by '"' or "}"),
#: so each one is inside a string, where "\u007b" means the same.
_TEMPLATE_OPENER = re.compile(r"\{(?=[{%#])")


def script_json(value: Any) -> str:
    """JSON that cannot end the surrounding <script> element, open a comment, or be read as a
    template by the render passes the page goes through."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    text = (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("'", "\\u0027")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
    return _TEMPLATE_OPENER.sub(r"\\u007b", text)
