"""Reading articles: the seed format, plain text with a given date, and HTML.

Every reader returns a :class:`geo.articles.Article` (id = file name without its suffix).  HTML is
reduced to its text with the standard library's :class:`html.parser.HTMLParser`: scripts, styles
and page furniture (``nav``, ``aside``, ``form``...) are dropped, block elements become paragraph
breaks, entities are decoded.  Its publication date comes from the page's metadata
(``article:published_time``, ``datePublished``, ``<time datetime>``) when there is one.
Files are UTF-8 text: undecodable bytes or NUL bytes (a binary file, UTF-16) are a
:class:`~geo.errors.DataFileError`, and so are the other control characters but tab and line
breaks (:data:`geo.model.CONTROL_CHARS`: the model refuses them in every text field, so a quote
holding one could never be stored) and a publication date after tomorrow.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

from geo.articles import Article, read_article
from geo.errors import DataFileError
from geo.extract.dates import stated_day
from geo.model import CONTROL_CHARS

#: Elements whose content is not article text.
DROPPED = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "iframe",
        "head",
        "nav",
        "aside",
        "form",
        "button",
        "select",
        "textarea",
    }
)
#: Elements that end a paragraph.
BLOCKS = frozenset(
    {
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "section",
        "article",
        "header",
        "footer",
        "blockquote",
        "figcaption",
        "tr",
        "table",
        "main",
        "title",
    }
)
#: Metadata that may carry the publication date: (attribute, value) pairs naming it.
DATE_META = (
    ("property", "article:published_time"),
    ("property", "og:published_time"),
    ("name", "article:published_time"),
    ("name", "pubdate"),
    ("name", "publishdate"),
    ("name", "date"),
    ("name", "dc.date"),
    ("itemprop", "datePublished"),
)
_SEED_HEADER = re.compile(r"\A\s*date\s+\d{4}-\d{2}-\d{2}\s")
_ISO_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")


class _TextParser(HTMLParser):
    """Collects text outside dropped elements, and date metadata."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.dates: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            for attr, name in DATE_META:
                if values.get(attr, "").lower() == name.lower() and values.get("content"):
                    self.dates.append(values["content"])
        elif tag == "time" and values.get("datetime"):
            self.dates.append(values["datetime"])
        if tag in DROPPED:
            self._skip += 1
        elif tag in BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in DROPPED:
            self._skip = max(0, self._skip - 1)
        elif tag in BLOCKS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in DROPPED:
            self._skip = max(0, self._skip - 1)

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(html: str) -> tuple[str, date | None]:
    """The text of an HTML page (one paragraph per line) and its publication date, if stated."""
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    lines = [_SPACES.sub(" ", line).strip() for line in "".join(parser.parts).split("\n")]
    text = "\n\n".join(line for line in lines if line)
    published = None
    for raw in parser.dates:
        m = _ISO_DATE.search(raw)
        if m:
            try:
                published = date.fromisoformat(m.group(1))
                break
            except ValueError:
                continue
    return text, published


#: how far into a text a dateline is looked for
DATELINE_CHARS = 400
#: what follows a date that is a dateline ("Feb. 5, 2024 (AP) -", "29 January 2024:"), or comes
#: before it ("Published 29 Jan 2024"); "On 28 January 2024, a drone struck" is an event date
_DATELINE_AFTER = re.compile(r"[ \t]*(?:\(|—|–|-|:|\||/|\n|$)")
_DATELINE_BEFORE = re.compile(r"(?:published|updated|posted|date)d?:?\s*(?:on\s+)?$", re.I)


def stated_date(text: str) -> tuple[date | None, str, str]:
    """The publication date a text states, the text without its header, and how it was found.

    A seed-format header (`` date YYYY-MM-DD``) wins; otherwise the first full date with a year
    in the first :data:`DATELINE_CHARS` characters (a dateline, "Published 29 Jan 2024").
    ``(None, text, "")`` when the text states none: the caller must ask, never assume today.
    """
    m = _SEED_HEADER.match(text)
    if m:
        found = _ISO_DATE.search(m.group(0))
        assert found is not None
        try:
            return date.fromisoformat(found.group(1)), text[m.end() :], "the date header"
        except ValueError:
            pass
    found = stated_day(text[:DATELINE_CHARS])
    if found is not None:
        day, a, b = found
        if _DATELINE_AFTER.match(text, b) or _DATELINE_BEFORE.search(text[max(0, a - 12) : a]):
            # the dateline is not an event date: blanked, so offsets and quotes stay as they are
            return day, text[:a] + " " * (b - a) + text[b:], "the dateline"
    return None, text, ""


def _read(path: Path) -> str:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(str(path), f"cannot read as UTF-8 text: {exc}") from None
    if "\x00" in text:
        raise DataFileError(
            str(path), "contains NUL bytes: a binary file or UTF-16 text, not a UTF-8 article"
        )
    found = CONTROL_CHARS.search(text)
    if found is not None:
        raise DataFileError(
            str(path),
            f"contains the control character U+{ord(found.group()):04X}: not article text "
            "(tab and line breaks are the only control characters an article may hold)",
            text.count("\n", 0, found.start()) + 1,
        )
    return text


def _not_future(path: Path, article: Article) -> Article:
    """Nothing is reported before it happens: a publication date after tomorrow (a day of
    slack for time zones) is a DataFileError, as a future date is in an imported file."""
    if article.published > date.today() + timedelta(days=1):
        raise DataFileError(str(path), f"the publication date {article.published} is in the future")
    return article


def read_text(path: Path, published: date, article_id: str | None = None) -> Article:
    """Plain text published on ``published``."""
    path = Path(path)
    return Article(article_id or path.stem, published, _read(path))


def read_html(path: Path, published: date | None = None, article_id: str | None = None) -> Article:
    """An HTML page; ``published`` is used when the page does not state its date."""
    path = Path(path)
    text, stated = html_to_text(_read(path))
    when = stated or published
    if when is None:
        raise DataFileError(str(path), "no publication date in the page: pass one (--published)")
    return Article(article_id or path.stem, when, text)


def read_any(path: Path, published: date | None = None) -> Article:
    """By file type: ``.html``/``.htm`` pages, seed-format ``.txt``, else plain text + date."""
    path = Path(path)
    if path.suffix.lower() in (".html", ".htm", ".xhtml"):
        return _not_future(path, read_html(path, published))
    raw = _read(path)
    if _SEED_HEADER.match(raw):
        return _not_future(path, read_article(path))
    if published is None:
        stated, raw, _ = stated_date(raw)
        if stated is None:
            raise DataFileError(
                str(path), "plain text without a date header or a dated dateline: pass --published"
            )
        published = stated
    return _not_future(path, Article(path.stem, published, raw))
