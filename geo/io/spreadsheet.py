"""Text bound for a spreadsheet: cells that a spreadsheet would run as a formula made inert.

OWASP "CSV injection": a cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return may be evaluated.  We prefix such cells with a single quote, which spreadsheets show as
text and do not evaluate.  Every CSV we write passes its cells through :func:`neutralize`.
"""

from __future__ import annotations

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value: str) -> str:
    return "'" + value if value.startswith(TRIGGERS) else value
