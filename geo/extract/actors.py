"""Claimants, attribution and how sure a report is (``rules/actors.toml``).

A *claimant* is a named group that claimed the attack ("X claimed responsibility").  An
*attribution* is who the reporting says is behind it without a claim ("Iranian-backed militias",
"blamed on ...").  ``status`` is ``confirmed`` when an official US source confirms (Pentagon,
CENTCOM, US officials), ``claimed`` when there is a claim, ``disputed`` when the event is denied,
and ``reported`` otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from geo.extract.rules import Gated, gated, load_rules, word_set, words

_GENERIC_CAPTURE = re.compile(
    r"^(?:the|a|an|it|they|he|she|this|that|no|one|group|militants?|militias?)$|"
    r"backed|aligned|linked|supported",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _ActorRules:
    groups: re.Pattern[str]
    claim: tuple[re.Pattern[str], ...]
    claim_negated: re.Pattern[str]
    attribution: tuple[re.Pattern[str], ...]
    attribution_gate: frozenset[str]
    same_group: re.Pattern[str]
    confirmed: Gated
    disputed: Gated
    group_gate: frozenset[str]
    us_actors: tuple[tuple[re.Pattern[str], str], ...]
    us_default: str


@cache
def _rules() -> _ActorRules:
    r = load_rules().actors
    return _ActorRules(
        groups=words(r["groups"], flags=0),
        claim=tuple(re.compile(p) for p in r["claim"]),
        claim_negated=re.compile(r["claim_negated"], re.I),
        attribution=tuple(re.compile(p) for p in r["attribution"]),
        attribution_gate=frozenset(r["attribution_gate"]),
        same_group=re.compile(r["same_group"], re.I),
        confirmed=gated(r["confirmed"], r["confirmed_gate"], flags=0),
        disputed=gated(r["disputed"], ["denied", "denies", "disputed", "disputes", "rejected"]),
        group_gate=frozenset(re.split(r"[^a-z0-9]+", g.lower())[0] for g in r["groups"]),
        us_actors=tuple((re.compile(p), name) for p, name in r["us_claimant"]["actors"]),
        us_default=r["us_claimant"]["default"],
    )


def group_spans(text: str, words: frozenset[str] | None = None) -> list[tuple[int, int]]:
    """Spans of known armed groups' names (masked before places are looked for)."""
    rules = _rules()
    if rules.group_gate.isdisjoint(word_set(text) if words is None else words):
        return []
    return [m.span() for m in rules.groups.finditer(text)]


def _clean(name: str) -> str | None:
    name = re.sub(r"^(?:the|The)\s+", "", name.strip(" ,"))
    if not name or _GENERIC_CAPTURE.search(name):
        return None
    return name


#: a claim pattern only matches text holding one of these (a cheap test first)
_CLAIM_CUES = ("claim", " said it", "announced", "declared", "reported that it")


def find_claimant(text: str) -> str | None:
    """The named group that claimed the attack, or ``None`` (also when the claim is denied)."""
    rules = _rules()
    if not any(cue in text for cue in _CLAIM_CUES):
        return None
    if rules.claim_negated.search(text):
        return None
    for pattern in rules.claim:
        for m in pattern.finditer(text):
            known = rules.groups.search(m.group(0))
            if known:
                return known.group(0)
            name = _clean(m.group("group"))
            if name:
                return name
    return None


def find_attribution(text: str, words: frozenset[str] | None = None) -> str | None:
    """Who the text says is behind the attack without a claim, or ``None``."""
    rules = _rules()
    if rules.attribution_gate.isdisjoint(word_set(text) if words is None else words):
        return None
    for pattern in rules.attribution:
        m = pattern.search(text)
        if m:
            return _clean(m.group("group")) or m.group("group")
    return None


def refers_to_same_group(text: str) -> bool:
    """True for "the same group": the group the article named last."""
    return "same" in text and bool(_rules().same_group.search(text))


def known_group(text: str, words: frozenset[str] | None = None) -> str | None:
    """The first known group named in the text."""
    rules = _rules()
    if rules.group_gate.isdisjoint(word_set(text) if words is None else words):
        return None
    m = rules.groups.search(text)
    return m.group(0) if m else None


def confirms(text: str, words: frozenset[str] | None = None) -> bool:
    """True when an official US source confirms or reports the event in this sentence."""
    return _rules().confirmed.search(text, word_set(text) if words is None else words) is not None


def disputes(text: str, words: frozenset[str] | None = None) -> bool:
    """True when the event itself is denied or disputed."""
    return _rules().disputed.search(text, word_set(text) if words is None else words) is not None


def us_claimant(text: str) -> str | None:
    """The US body named as the source of a US strike in this sentence, or ``None``."""
    for pattern, name in _rules().us_actors:
        if pattern.search(text):
            return name
    return None


def default_us_claimant() -> str:
    return _rules().us_default
