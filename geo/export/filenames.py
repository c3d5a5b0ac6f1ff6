"""Download file names from user text (a briefing title): safe on every file system.

:func:`safe_filename` keeps letters and digits of any script (NFKC-normalised), ``-``, ``_``,
``.``, ``(`` and ``)``; everything else -- path separators ``/`` and ``\\``, ``:``, wildcards,
quotes, control and format characters (including bidirectional overrides such as U+202E,
which could make ``evil\u202egnp.exe`` look like ``evilexe.png``) and whitespace -- becomes
``_``, runs of which collapse.  Leading and trailing dots, dashes, underscores and spaces are
dropped (no hidden files, no ``..``), as is a copy of the extension the title already ends
with.  Windows' reserved device names (``CON``, ``NUL``, ``COM1`` ...) get a leading ``_``.
The stem is cut to :data:`MAX_STEM` characters and :data:`MAX_BYTES` UTF-8 bytes; an empty
result becomes :data:`DEFAULT_STEM`.  The extension is always the format's own.
"""

from __future__ import annotations

import re
import unicodedata

MAX_STEM = 80
MAX_BYTES = 180  # most file systems allow 255 bytes per name; leave room for "(1)" suffixes
DEFAULT_STEM = "incident-atlas"
_UNSAFE = re.compile(r"[^\w\-.()]+", re.UNICODE)
_RUNS = re.compile(r"_{2,}")
_DOTS = re.compile(r"\.{2,}")
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.IGNORECASE)


def _extension(fmt: str) -> str:
    from geo.export import FORMATS, UnknownFormat

    key = fmt.lower().lstrip(".")
    if key not in FORMATS:
        raise UnknownFormat(fmt)
    return FORMATS[key].extension


def safe_filename(title: str | None, fmt: str) -> str:
    """A file name for a download of ``title`` in format ``fmt`` (``"png"`` or ``".png"``)."""
    ext = _extension(fmt)
    text = unicodedata.normalize("NFKC", title or "")
    text = "".join(
        "_" if unicodedata.category(c).startswith(("C", "Z")) and c != " " else c for c in text
    )
    stem = _UNSAFE.sub("_", text.replace(" ", "_"))
    stem = _DOTS.sub(".", _RUNS.sub("_", stem))
    if stem.lower().endswith(ext):
        stem = stem[: -len(ext)]
    stem = stem.strip("._- ")
    stem = stem[:MAX_STEM]
    while len(stem.encode("utf-8")) > MAX_BYTES:
        stem = stem[:-1]
    stem = stem.strip("._- ")
    if not stem:
        stem = DEFAULT_STEM
    if _RESERVED.match(stem):
        stem = "_" + stem
    return stem + ext
