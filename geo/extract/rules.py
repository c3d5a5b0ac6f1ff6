"""Loading the extraction rules: TOML files in ``geo/extract/rules/``.

Every vocabulary and pattern the extractor uses lives in those files, one per concern (places,
dates, weapons, casualties, actors, events, text).  Code decides *how* a rule is applied; the data
decides *what* it matches.  Patterns are Python regular expressions written as TOML literal strings
('...' keeps backslashes as written).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Generic, TypeVar, overload

from geo.errors import DataFileError

RULES_DIR = Path(__file__).resolve().parent / "rules"
DATA_DIR = Path(__file__).resolve().parent / "data"
FILES = ("actors", "casualties", "dates", "events", "places", "text", "weapons")


@dataclass(frozen=True)
class Rules:
    """The parsed rule files, one mapping per file."""

    actors: dict[str, Any]
    casualties: dict[str, Any]
    dates: dict[str, Any]
    events: dict[str, Any]
    places: dict[str, Any]
    text: dict[str, Any]
    weapons: dict[str, Any]


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise DataFileError(str(path), f"cannot read rules: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(str(path), f"not TOML: {exc}") from None


@cache
def load_rules(folder: Path = RULES_DIR) -> Rules:
    """All rule files of ``folder`` (cached: rules are read once per process)."""
    return Rules(**{name: _read(Path(folder) / f"{name}.toml") for name in FILES})


_WORD = re.compile(r"[a-z0-9]+")
_DIGIT = re.compile(r"\d")
#: The gate word that opens on any number written in digits.
NUMBER = "<number>"


def word_set(text: str) -> frozenset[str]:
    """The lower-case words (runs of letters and digits) of a text, for gates; with
    :data:`NUMBER` when one of them is a number."""
    found = set(_WORD.findall(text.lower()))
    if _DIGIT.search(text):
        found.add(NUMBER)
    return frozenset(found)


_UPPER = re.compile(r"(?<!\\)(?<!\(\?)[A-Z]|\(\?-i:")


def caseless(patterns: Iterable[str]) -> bool:
    """True when no pattern needs case: no upper-case literal, no ``(?-i:...)``.

    Such patterns are compiled without ``re.IGNORECASE`` and run on lower-cased text, which
    Python's ``re`` searches about twice as fast.
    """
    return not any(_UPPER.search(p) for p in patterns)


@dataclass(frozen=True)
class Gated:
    """A pattern tried only when the text has one of the ``gate`` words (an empty gate: always).

    Gates keep the extractor fast: most sentences contain none of a rule's words, and a set
    intersection is far cheaper than a regular-expression search.  A ``lower`` pattern is run on
    the lower-cased text (same offsets).
    """

    pattern: re.Pattern[str]
    gate: frozenset[str] = frozenset()
    lower: bool = False

    def open(self, words: frozenset[str]) -> bool:
        return not self.gate or not self.gate.isdisjoint(words)

    def search(
        self, text: str, words: frozenset[str], low: str | None = None
    ) -> re.Match[str] | None:
        """The first match (``low``: ``text.lower()``, if already made)."""
        if not self.open(words):
            return None
        if self.lower:
            return self.pattern.search(text.lower() if low is None else low)
        return self.pattern.search(text)

    def finditer(
        self, text: str, words: frozenset[str], low: str | None = None
    ) -> list[re.Match[str]]:
        """Every match (``low``: ``text.lower()``, if already made)."""
        if not self.open(words):
            return []
        if self.lower:
            return list(self.pattern.finditer(text.lower() if low is None else low))
        return list(self.pattern.finditer(text))


def gated(
    patterns: Iterable[str] | str, gate: Iterable[str] = (), flags: int = re.IGNORECASE
) -> Gated:
    """A :class:`Gated` pattern from one pattern or a list of alternatives."""
    items = [patterns] if isinstance(patterns, str) else list(patterns)
    lower = bool(flags & re.IGNORECASE) and caseless(items)
    if lower:
        flags &= ~re.IGNORECASE
    return Gated(any_of(items, flags), frozenset(w.lower() for w in gate), lower)


T = TypeVar("T")


class lazy(Generic[T]):
    """A cached attribute computed on first use (like ``functools.cached_property`` without its
    per-instance lock, which Python 3.11 takes on every first access)."""

    def __init__(self, func: Callable[[Any], T]) -> None:
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> lazy[T]: ...
    @overload
    def __get__(self, obj: object, owner: type | None = None) -> T: ...
    def __get__(self, obj: object | None, owner: type | None = None) -> T | lazy[T]:
        if obj is None:
            return self
        value = self.func(obj)
        obj.__dict__[self.name] = value
        return value


def any_of(patterns: Iterable[str], flags: int = re.IGNORECASE) -> re.Pattern[str]:
    """One compiled alternation of ``patterns`` (each wrapped in a non-capturing group)."""
    patterns = list(patterns)
    if not patterns:
        return re.compile(r"(?!x)x")  # matches nothing
    # Alternatives that start at a word boundary share one: "\b(?:a|b)" is searched several
    # times faster than "(?:\ba)|(?:\bb)".
    bounded = [p[2:] for p in patterns if p.startswith(r"\b")]
    others = [p for p in patterns if not p.startswith(r"\b")]
    parts = [r"\b(?:" + "|".join(f"(?:{p})" for p in bounded) + ")"] if bounded else []
    parts += [f"(?:{p})" for p in others]
    return re.compile("|".join(parts), flags)


def trie(items: Iterable[str]) -> str:
    """A regular expression matching exactly the literal phrases ``items`` (spaces match any
    whitespace), with shared prefixes factored out -- much faster than a flat alternation."""
    root: dict[str, Any] = {}
    for item in items:
        node = root
        for ch in item:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        ends = "" in node
        branches = [
            (r"\s+" if ch == " " else re.escape(ch)) + emit(child)
            for ch, child in sorted(node.items())
            if ch
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return "(?:" + emit(root) + ")"


def words(items: Iterable[str], flags: int = re.IGNORECASE) -> re.Pattern[str]:
    """A whole-word alternation of literal phrases, longest first."""
    escaped = sorted((re.escape(i) for i in items), key=len, reverse=True)
    return any_of([rf"\b{e}\b" for e in escaped], flags) if escaped else any_of([])
