"""Paragraphs, sentences, clauses and quotations of an article's text.

Every :class:`Sentence` keeps its character span in the article, so ``article.text[s.start:s.end]``
is exactly ``s.text``: quotes copied into an incident's sources are verbatim.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import cache

from geo.extract.rules import load_rules

_PARAGRAPH = re.compile(r"[^\n]+")
#: a sentence ends at . ! or ? (with closing quotes or brackets, and reference marks such as
#: "[36][37]" in encyclopedia text) before a capital or a digit
_BOUNDARY = re.compile(r"[.!?]+[”\"’)\]]*(?:\[\d{1,3}\])*(?=\s+[“\"‘(\[]?[A-Z0-9])")
_LAST_WORD = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")


@dataclass(frozen=True)
class Sentence:
    """One sentence (or an embedded post, ``embed=True``) with its span in the article."""

    index: int
    paragraph: int
    start: int
    end: int
    text: str
    embed: bool = False
    #: a clause cut from the sentence before it (text.toml's ``event_split``): it shares that
    #: sentence's subject ("..., while two other attacks in Iraq caused no damage")
    fragment: bool = False


@dataclass(frozen=True)
class _TextRules:
    abbreviations: frozenset[str]
    embed: re.Pattern[str]
    clause_break: re.Pattern[str]
    clause_lead: re.Pattern[str]
    aside_lead: re.Pattern[str]
    quote_pairs: tuple[tuple[str, str], ...]
    dateline: re.Pattern[str]
    refer_split: re.Pattern[str]
    event_split: re.Pattern[str]


@cache
def _rules() -> _TextRules:
    r = load_rules().text
    return _TextRules(
        abbreviations=frozenset(r["abbreviations"]),
        embed=re.compile(r["embed"]),
        clause_break=re.compile(r["clause_break"]),
        clause_lead=re.compile(r["clause_lead"]),
        aside_lead=re.compile(r["aside_lead"]),
        quote_pairs=tuple((a, b) for a, b in r["quote_pairs"]),
        dateline=re.compile(r["dateline"]),
        refer_split=re.compile(r["refer_split"]),
        event_split=re.compile(r["event_split"]),
    )


def _ends_sentence(chunk: str, rules: _TextRules) -> bool:
    """False when the full stop closing ``chunk`` belongs to an abbreviation or an initial."""
    if not chunk.endswith("."):
        return True
    m = _LAST_WORD.search(chunk[-24:])
    if not m:
        return True
    word = m.group(1).rstrip(".")
    last = word.rsplit(".", 1)[-1] if "." in word else word
    if word in rules.abbreviations or last in rules.abbreviations:
        return False
    return not (len(last) == 1 and last.isupper())


def _split_segment(
    text: str, start: int, end: int, rules: _TextRules
) -> list[tuple[int, int, bool]]:
    """Sentence spans inside ``text[start:end]`` (whitespace trimmed), each with whether it is a
    fragment cut from the one before."""
    spans: list[tuple[int, int]] = []
    cut = start
    for m in _BOUNDARY.finditer(text, start, end):
        if not _ends_sentence(text[cut : m.end()].rstrip('”"’)]'), rules):
            continue
        spans.append((cut, m.end()))
        cut = m.end()
    spans.append((cut, end))
    trimmed = []
    for a, b in spans:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            for n, (x, y) in enumerate(_event_split(text, a, b, rules)):
                trimmed += [(p, q, n > 0) for p, q in _refer_split(text, x, y, rules)]
    return trimmed


def _event_split(text: str, a: int, b: int, rules: _TextRules) -> list[tuple[int, int]]:
    """``text[a:b]`` cut where a clause reports an attack of its own (text.toml's
    ``event_split``)."""
    if not any(w in text[a:b] for w in (";", "while", "followed")):
        return [(a, b)]
    out = []
    for m in rules.event_split.finditer(text, a, b):
        if m.start() > a:
            out.append((a, m.start()))
        a = m.end()
    out.append((a, b))
    return [(x, y) for x, y in out if text[x:y].strip()]


def _refer_split(text: str, a: int, b: int, rules: _TextRules) -> list[tuple[int, int]]:
    """``text[a:b]`` cut after a head that refers back to an earlier attack (text.toml's
    ``refer_split``): ``[(a, b)]`` when there is none."""
    m = rules.refer_split.match(text, a, b)
    if m is None:
        return [(a, b)]
    head_end = m.end()
    tail = head_end
    while tail < b and text[tail].isspace():
        tail += 1
    return [(a, head_end), (tail, b)]


def split_sentences(text: str) -> list[Sentence]:
    """Sentences in reading order; each line of text is a paragraph.

    Embedded posts (``pic.twitter.com/... — Name (@handle) August 5, 2024``) become segments of
    their own with ``embed=True``.
    """
    rules = _rules()
    out: list[Sentence] = []
    for pno, para in enumerate(_PARAGRAPH.finditer(text)):
        pieces: list[tuple[int, int, bool]] = []
        cursor = para.start()
        for m in rules.embed.finditer(text, para.start(), para.end()):
            pieces.append((cursor, m.start(), False))
            pieces.append((m.start(), m.end(), True))
            cursor = m.end()
        pieces.append((cursor, para.end(), False))
        for a, b, embed in pieces:
            spans = _split_segment(text, a, b, rules) if not embed else [(a, b, False)]
            for s, e, fragment in spans:
                body = text[s:e]
                stripped = body.strip()
                if not stripped:
                    continue
                s += len(body) - len(body.lstrip())
                e = s + len(stripped)
                out.append(Sentence(len(out), pno, s, e, stripped, embed, fragment))
    return out


def clause_spans(sentence: str) -> list[tuple[int, int]]:
    """Clauses of a sentence as ``(start, end)`` offsets into it."""
    rules = _rules()
    cuts = {0, len(sentence)}
    lead = rules.clause_lead.match(sentence)
    if lead:
        cuts.add(lead.end())
    for m in rules.clause_break.finditer(sentence):
        cuts.add(m.start())
    points = sorted(cuts)
    return [(a, b) for a, b in itertools.pairwise(points) if b > a]


def is_aside(clause: str) -> bool:
    """A clause saying what went on around an event ("..., as officials met in Baghdad")."""
    return _rules().aside_lead.match(clause) is not None


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Spans of direct quotations (curly pairs; straight quotes paired within a line)."""
    spans: list[tuple[int, int]] = []
    for opening, closing in _rules().quote_pairs:
        o, c = re.escape(opening), re.escape(closing)
        body = f"[^{c}\\n]*" if opening == closing else f"[^{c}]*"
        spans += [m.span() for m in re.finditer(f"{o}{body}{c}", text)]
    return sorted(spans)


def inside(position: int, spans: list[tuple[int, int]]) -> bool:
    """True when ``position`` falls inside one of ``spans``."""
    return any(a <= position < b for a, b in spans)


def dateline_end(text: str) -> int:
    """Where a dateline that opens ``text`` ends (0 if it opens with none): see text.toml."""
    m = _rules().dateline.match(text)
    return m.end() if m else 0
