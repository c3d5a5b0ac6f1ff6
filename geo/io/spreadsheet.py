"""Text bound for a spreadsheet: cells a spreadsheet would run as a formula made inert.

OWASP "CSV Injection": a cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return may be evaluated (``=HYPERLINK(...)`` in an article quote would become a live link).  Such
a cell gets a leading ``'``, which spreadsheets show as text.  To keep files reversible, a cell
of quotes followed by one of those characters (``'=x``) gets one more quote too, and
:func:`restore_cell` drops one leading ``'`` from exactly those cells.  Every CSV we write (data
exports, rejects reports) passes its text cells through :func:`neutralise`.
"""

from __future__ import annotations

import re

#: first characters that make a spreadsheet treat a cell as a formula (OWASP)
FORMULA_START: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
_NEEDS_QUOTE = re.compile("^'*[=+\\-@\t\r]")


def neutralise(cell: str) -> str:
    """A text cell as it is safe to put in a CSV a spreadsheet will open."""
    return "'" + cell if _NEEDS_QUOTE.match(cell) else cell


def restore_cell(cell: str) -> str:
    """The inverse of :func:`neutralise`."""
    return cell[1:] if cell.startswith("'") and _NEEDS_QUOTE.match(cell) else cell
