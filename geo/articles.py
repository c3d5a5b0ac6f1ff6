"""News articles as the project stores them: ``data/articles/<id>.txt``.

The seed format is a header `` date YYYY-MM-DD`` (leading space) followed by the text, on the
same line or the next.  The article id is the file name without ``.txt``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from geo.errors import DataFileError

_HEADER = re.compile(r"\A\s*date\s+(\d{4}-\d{2}-\d{2})\s*")


@dataclass(frozen=True)
class Article:
    id: str
    published: date
    text: str


def read_article(path: Path) -> Article:
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(str(path), f"cannot read as UTF-8 text: {exc}") from None
    m = _HEADER.match(raw)
    if not m:
        raise DataFileError(str(path), "expected a ' date YYYY-MM-DD' header", 1)
    try:
        published = date.fromisoformat(m.group(1))
    except ValueError:
        raise DataFileError(str(path), f"not a date: {m.group(1)!r}", 1) from None
    return Article(id=path.stem, published=published, text=raw[m.end() :])


def read_articles(folder: Path) -> dict[str, Article]:
    return {a.id: a for a in (read_article(p) for p in sorted(Path(folder).glob("*.txt")))}
