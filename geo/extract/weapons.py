"""Weapons, outcome and damage named in a sentence (vocabularies in ``rules/weapons.toml``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from geo.extract.rules import any_of, caseless, load_rules, word_set
from geo.model import WEAPONS


def _named_groups(table: dict[str, list[str]]) -> re.Pattern[str]:
    """One pattern with a named group per weapon: a single pass finds them all.  The patterns are
    lower-case (checked) and run on lower-cased text."""
    for weapon, patterns in table.items():
        if not caseless(patterns):
            raise ValueError(f"weapons.toml: patterns of {weapon!r} must be lower-case")
    return re.compile(
        "|".join(f"(?P<{w}>" + "|".join(f"(?:{p})" for p in ps) + ")" for w, ps in table.items())
    )


@dataclass(frozen=True)
class _WeaponRules:
    attack: re.Pattern[str]
    strike: re.Pattern[str]
    attack_gate: frozenset[str]
    strike_gate: frozenset[str]
    untyped_missile: re.Pattern[str]
    intercepted: re.Pattern[str]
    impact: re.Pattern[str]
    negated_before: re.Pattern[str]
    damage: re.Pattern[str]
    no_damage: re.Pattern[str]


@cache
def _rules() -> _WeaponRules:
    r = load_rules().weapons
    for table in ("attack", "strike"):
        unknown = set(r[table]) - set(WEAPONS)
        if unknown:
            raise ValueError(f"weapons.toml [{table}]: not model weapons: {sorted(unknown)}")
    return _WeaponRules(
        attack=_named_groups(r["attack"]),
        strike=_named_groups(r["strike"]),
        attack_gate=frozenset(r["gate"]["attack"]),
        strike_gate=frozenset(r["gate"]["strike"]),
        untyped_missile=re.compile(r["untyped"]["missile"], re.I),
        intercepted=any_of(r["outcome"]["intercepted"]),
        impact=any_of(r["outcome"]["impact"]),
        negated_before=re.compile(r["outcome"]["negated_before"], re.I),
        damage=any_of(r["damage"]["phrases"]),
        no_damage=any_of(r["damage"]["none"]),
    )


def find_weapons(
    text: str, event_type: str = "attack", words: frozenset[str] | None = None
) -> list[str]:
    """Weapon codes named in ``text``, in :data:`geo.model.WEAPONS` order.

    ``event_type`` picks the vocabulary: an attack's weapons or a US strike's.
    """
    rules = _rules()
    strike = event_type == "us_strike"
    gate = rules.strike_gate if strike else rules.attack_gate
    if gate.isdisjoint(word_set(text) if words is None else words):
        return []
    table = rules.strike if strike else rules.attack
    found = {m.lastgroup for m in table.finditer(text.lower())}
    return [w for w in WEAPONS if w in found]


def untyped_missile(text: str) -> bool:
    """True when a missile is named whose type (ballistic, cruise) is not."""
    if not _rules().untyped_missile.search(text):
        return False
    return not ({"ballistic_missile", "cruise_missile"} & set(find_weapons(text)))


def _affirmed(pattern: re.Pattern[str], text: str) -> bool:
    """True when ``pattern`` occurs at least once not denied by the words just before it."""
    neg = _rules().negated_before
    return any(
        not neg.search(text[max(0, m.start() - 60) : m.start()]) for m in pattern.finditer(text)
    )


def find_outcome(text: str) -> set[str]:
    """``{"intercepted"}``, ``{"impact"}``, both, or nothing, as the sentence reports it."""
    rules = _rules()
    found: set[str] = set()
    if _affirmed(rules.intercepted, text):
        found.add("intercepted")
    if _affirmed(rules.impact, text):
        found.add("impact")
    return found


def find_damage(text: str) -> str | None:
    """The damage phrase, ``"none reported"`` when the text denies damage, or ``None``."""
    rules = _rules()
    if rules.no_damage.search(text):
        return "none reported"
    for m in rules.damage.finditer(text):
        if not rules.negated_before.search(text[max(0, m.start() - 40) : m.start()]):
            return m.group(0).strip(" ,")
    return None
