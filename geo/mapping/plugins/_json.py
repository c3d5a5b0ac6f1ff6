"""Embedding data in a <script> safely."""

from __future__ import annotations

import json
from typing import Any


def script_json(value: Any) -> str:
    """JSON that cannot end the surrounding <script> element or open a comment."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
