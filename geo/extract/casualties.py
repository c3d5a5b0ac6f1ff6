"""US/coalition casualties as ranges ``(min, max)`` (vocabulary in ``rules/casualties.toml``).

``None`` for a bound means "not reported": ``(5, None)`` is "at least five", ``(None, 21)`` "at most
21", ``(0, 0)`` "reported none".  A figure counts only US/coalition personnel: a count of named
people ("three soldiers", "21 US service members") is read when the people are ours, a bare count
("at least six killed") only when the sentence is about US/coalition personnel and names nobody
else.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from geo.extract.rules import any_of, load_rules, trie, word_set

Count = tuple[int | None, int | None]
#: words that cannot stand between a count and the people it counts
_EVENT_WORDS = re.compile(
    r"\b(?:attacks?|hit|struck|strikes?|targeted|drones?|rockets?|missiles?|fired|launched)\b"
)
_WORD_CHARS = r"[\w\-.’']+"
#: between a count of named US people and a bare count of the same sentence that shares them
_JOINED = re.compile(r"[\w\-.’' ]{0,40}?\s*,?\s*and\s+[“\"]?")
#: "two other U.S. personnel", "three more": counted on top of a figure already read
_MORE = re.compile(r"\b(?:other|others|more)\b")


#: people counted together with ours, uncounted ("seven service members and civilians")
_AND_OTHERS = re.compile(r"\s*and\s+(?:civilians|contractors|others|Iraqis|local\s+\w+)\s", re.I)
#: the US named as such (a count of "soldiers" beside "Iraqi" is not enough)
_EXPLICIT_US = re.compile(r"\b(?:US|U\.S\.|American|coalition)\b")


def _add(a: tuple[int | None, int | None], b: tuple[int | None, int | None]) -> Count:
    lo = (a[0] or 0) + (b[0] or 0)
    hi = None if a[1] is None or b[1] is None else a[1] + b[1]
    return lo, hi


@dataclass(frozen=True)
class Casualties:
    """What one sentence says about US/coalition killed and injured (``None``: nothing)."""

    killed: Count | None = None
    injured: Count | None = None
    #: (kind, rule) pairs: which rule read each figure
    rules: tuple[tuple[str, str], ...] = ()
    #: hedged as the first word ("initial reports suggested no casualties")
    early: bool = False

    def __bool__(self) -> bool:
        return self.killed is not None or self.injured is not None

    def rule(self, kind: str) -> str:
        """The rule that read the ``kind`` figure (``killed`` or ``injured``), in words."""
        return next((r for k, r in self.rules if k == kind), "casualty rules")


@dataclass(frozen=True)
class _CasualtyRules:
    words: dict[str, tuple[int, int | None]]
    modifiers: dict[str, str]
    kind: dict[str, str]
    named: re.Pattern[str]
    before: re.Pattern[str]
    bare_after: re.Pattern[str]
    bare_before: re.Pattern[str]
    others: re.Pattern[str]
    others_place: re.Pattern[str]
    us_people: re.Pattern[str]
    minor: re.Pattern[str]
    subset: re.Pattern[str]
    also_counted: re.Pattern[str]
    early: re.Pattern[str]
    none_both: re.Pattern[str]
    none_injured: re.Pattern[str]
    none_killed: re.Pattern[str]
    unknown: re.Pattern[str]
    gate: frozenset[str]


def _alternation(items: Iterable[str]) -> str:
    return trie(sorted({i.lower() for i in items}))


@cache
def _rules() -> _CasualtyRules:
    """The casualty grammar, compiled for lower-cased text (vocabulary from casualties.toml)."""
    r = load_rules().casualties
    number_words = {k.lower(): (v[0], None if v[1] < 0 else v[1]) for k, v in r["words"].items()}
    modifiers = {m.lower(): kind for kind, ms in r["modifiers"].items() for m in ms}
    kind = {w.lower(): k for k, ws in r["hurt"].items() for w in ws}
    num = rf"\d{{1,3}}(?:,\d{{3}})+|\d+|{_alternation(number_words)}\b"
    qty = (
        rf"(?:(?P<mod>{_alternation(modifiers)})\s+)?"
        rf"(?:between\s+(?P<b1>{num})\s+and\s+(?P<b2>{num})"
        rf"|(?P<n1>{num})(?:\s*(?:-|–|to|or)\s*(?P<n2>{num}))?)"
    )
    people = _alternation(r["people"]["us"])
    hurt = _alternation(kind)
    hurt_verbs = "killing|killed|kills|injuring|injured|injures|wounding|wounded|wounds"
    named = re.compile(
        rf"\b{qty}\s+(?P<adj>(?:{_WORD_CHARS}\s+){{0,3}}?)(?P<people>{people})\b"
        rf"(?P<gap>(?:(?!\bwhile\b|\bwhereas\b|,\s*but\b)[^.;]){{0,80}}?)\b(?P<hurt>{hurt})\b"
    )
    before = re.compile(
        rf"\b(?P<hurt>{hurt_verbs}|injuries\s+to|wounds\s+to|(?:killing|deaths?|wounding)\s+of)\s+"
        rf"{qty}\s+"
        rf"(?P<adj>(?:{_WORD_CHARS}\s+){{0,3}}?)(?P<people>{people})\b"
    )
    bare_after = re.compile(
        rf"(?<!\bno\s)\b{qty}[”\"]?\s+(?:others?\s+|more\s+)?(?:(?:were|was|have\s+been|had\s+been)\s+)?"
        rf"(?P<hurt>killed|injured|wounded|dead|hurt)\b"
    )
    bare_before = re.compile(
        rf"\b(?P<hurt>{hurt_verbs})\s+{qty}(?=\s*(?:[,.;]|and\b|others?\b|more\b|of\s+others\b|(?:in|at|on|near)\s|$))"
    )
    ph = r["phrases"]
    return _CasualtyRules(
        words=number_words,
        modifiers=modifiers,
        kind=kind,
        named=named,
        before=before,
        bare_after=bare_after,
        bare_before=bare_before,
        others=re.compile(rf"\b{_alternation(r['people']['others'])}\b"),
        others_place=re.compile(r["others_place"]),
        us_people=re.compile(rf"\b(?:{people})\b|\bu\.s\.|\bamerican"),
        minor=any_of(ph["minor"]),
        subset=re.compile(ph["subset"], re.IGNORECASE),
        also_counted=re.compile(ph["also_counted"], re.IGNORECASE),
        early=re.compile(ph["early"], re.IGNORECASE),
        none_both=any_of(ph["none_both"]),
        none_injured=any_of(ph["none_injured"]),
        none_killed=any_of(ph["none_killed"]),
        unknown=any_of(ph["unknown"]),
        gate=frozenset(r["gate"]),
    )


def _number(rules: _CasualtyRules, text: str) -> tuple[int, int | None]:
    key = re.sub(r"\s+", " ", text.lower())
    if key in rules.words:
        return rules.words[key]
    n = int(key.replace(",", ""))
    return n, n


def _quantity(rules: _CasualtyRules, m: re.Match[str]) -> Count:
    gd = m.groupdict()
    if gd.get("b1"):
        return _number(rules, gd["b1"])[0], _number(rules, gd["b2"])[1]
    lo, hi = _number(rules, gd["n1"])
    if gd.get("n2"):
        hi = _number(rules, gd["n2"])[1]
    mod = rules.modifiers.get(re.sub(r"\s+", " ", (gd.get("mod") or "").lower()))
    if mod == "at_least":
        return lo, None
    if mod == "more_than":
        return lo + 1, None
    if mod == "up_to":
        return (1 if hi else 0), hi
    if mod == "below":
        return (1 if hi and hi > 1 else 0), (hi - 1 if hi else hi)
    return lo, hi


def merge_figure(
    mine: Count | None, said: Count, early: bool, provisional: bool
) -> tuple[Count | None, bool]:
    """A figure said of an attack that has ``mine``: the tighter of the two -- except that "none"
    from first reports (``early``) never lowers a count, and is replaced by a later count
    (``provisional``: ``mine`` is such a "none").  Returns the figure and whether it is
    provisional."""
    if early and said == (0, 0) and mine not in (None, (0, 0)):
        return mine, False
    if provisional and said != (0, 0):
        mine = None
    return intersect(mine, said), early and said == (0, 0)


def intersect(a: Count | None, b: Count | None) -> Count | None:
    """Two figures about the same people: the tighter range (the looser one if they conflict)."""
    if a is None or b is None:
        return a if b is None else b
    los = [x for x in (a[0], b[0]) if x is not None]
    his = [x for x in (a[1], b[1]) if x is not None]
    lo = max(los) if los else None
    hi = min(his) if his else None
    if lo is not None and hi is not None and lo > hi:
        return union(a, b)
    return lo, hi


def union(*counts: Count | None) -> Count | None:
    """Figures from different reports: a range covering all of them."""
    given = [c for c in counts if c is not None]
    if not given:
        return None
    los = [c[0] for c in given if c[0] is not None]
    his = [c[1] for c in given if c[1] is not None]
    open_ended = any(c[0] is not None and c[1] is None for c in given)
    lo = min(los) if los else None
    hi = None if open_ended or not his else max(his)
    return lo, hi


def may_report(words: frozenset[str]) -> bool:
    """Whether a sentence with these words can report a casualty figure at all."""
    return not _rules().gate.isdisjoint(words)


def find_casualties(
    text: str, words: frozenset[str] | None = None, about_us: bool = False
) -> Casualties:
    """US/coalition killed and injured reported in one sentence (``words``: its word set;
    ``about_us``: the sentence is a clause cut from one about US personnel, so a bare count is
    theirs unless it names someone else)."""
    rules = _rules()
    words = word_set(text) if words is None else words
    if rules.gate.isdisjoint(words):
        return Casualties()
    text = rules.unknown.sub(lambda m: " " * len(m.group(0)), text)
    low = text.lower()
    figures: dict[str, Count | None] = {"killed": None, "injured": None}
    taken: list[tuple[int, int]] = []
    how: list[tuple[str, str]] = []

    def record(m: re.Match[str], hurt: str, count: Count, rule: str) -> None:
        kind = rules.kind.get(re.sub(r"\s+", " ", hurt.lower()))
        if kind is None:
            return
        how.append((kind, rule))
        if rules.subset.search(m.group(0)):
            count = (count[0], None)
        gap = m.group("gap") if "gap" in m.re.groupindex else None
        # ("four US troops and a contractor were hurt", "injured four troops and one contractor")
        extra = rules.also_counted.match(gap) if gap else rules.also_counted.match(low, m.end())
        if extra and count[1] is not None:  # "four US troops and a contractor": 4, or 5 with them
            count = (count[0], count[1] + rules.words[extra.group("k").lower()][0])
        elif gap and count[1] is not None and _AND_OTHERS.match(gap):
            count = (1, count[1])  # "seven service members and civilians": at most seven ours
        if _MORE.search(m.group(0)) and figures[kind] is not None:  # "... and two other ..."
            figures[kind] = _add(figures[kind], count)
        else:
            figures[kind] = intersect(figures[kind], count)
        taken.append(m.span())

    # in reading order ("one ... injured and wounded two other ..." adds the second to the first)
    counted = [(m, p is rules.before) for p in (rules.before, rules.named) for m in p.finditer(low)]
    for m, after_verb in sorted(counted, key=lambda x: (x[0].start(), not x[1])):
        if rules.others.search(m.group("adj")) or _EVENT_WORDS.search(m.group("adj")):
            continue  # "a rocket attack hit US forces": the count is not of the people
        if any(a < m.end("people") and m.start() < b for a, b in taken):
            continue  # "killed three US soldiers and wounded ...": counted once, by `before`
        name = "a count of US personnel" + (" after the verb" if after_verb else "")
        record(m, m.group("hurt"), _quantity(rules, m), name)
    others = [m for m in rules.others.finditer(low) if not rules.others_place.match(low, m.end())]
    about_us = (about_us or bool(rules.us_people.search(low))) and not others
    named_ends = [b for _, b in taken]
    for pattern in (rules.bare_after, rules.bare_before):
        for m in pattern.finditer(low):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            # "killed three US soldiers and wounded dozens": the same people, whoever else is named
            joined = any(_JOINED.fullmatch(low, b, m.start()) for b in named_ends if b <= m.start())
            if about_us or joined:
                record(m, m.group("hurt"), _quantity(rules, m), "a bare count about US personnel")
    if rules.none_both.search(text):
        for kind in ("killed", "injured"):
            if figures[kind] is None:
                figures[kind] = (0, 0)
                how.append((kind, "'no casualties': none"))
    if rules.none_injured.search(text) and figures["injured"] is None:
        figures["injured"] = (0, 0)
        how.append(("injured", "'no injuries': none"))
        # nobody was even hurt: nobody was killed either (as analysts key "no injuries")
        if figures["killed"] is None:
            figures["killed"] = (0, 0)
            how.append(("killed", "'no injuries': nobody hurt, so nobody killed"))
    if rules.none_killed.search(text) and figures["killed"] is None:
        figures["killed"] = (0, 0)
        how.append(("killed", "'no one was killed': none"))
    # ("causing injuries to Iraqi civilians": someone else's)
    ours = not others or _EXPLICIT_US.search(text) is not None
    if figures["injured"] is None and ours and rules.minor.search(text):
        figures["injured"] = (1, None)
        how.append(("injured", "an injury named without a count: at least one"))
    early = rules.early.search(text) is not None
    return Casualties(figures["killed"], figures["injured"], tuple(how), early)
