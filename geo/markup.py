"""How values read to a person, and the one escaping helper for untrusted text in markup.

Every page, popup, table and export that puts text from an article or a file into HTML or XML
passes it through :func:`esc`; dates and casualty figures read the same everywhere.
"""

from __future__ import annotations

import html
from typing import Any

from geo.model import DATE_PRECISION
from geo.query import Range, tally


def esc(value: Any) -> str:
    """The one escaping helper for untrusted text that becomes markup."""
    return html.escape("" if value is None else str(value), quote=True)


def date_window(start: Any, end: Any, precision: int) -> str:
    when = str(start) if start == end else f"{start} – {end}"
    return f"{when} ({DATE_PRECISION[int(precision)][0]})"


def casualty_text(lo: Any, hi: Any) -> str:
    r: Range = tally([lo], [hi])
    return "not reported" if r.unreported else r.text()
