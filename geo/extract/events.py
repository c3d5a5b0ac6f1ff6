"""What a sentence reports, clause by clause (``rules/events.toml``).

A sentence can report an attack on US/coalition forces, report a US strike, refer back to an event
already reported ("the attack", "these strikes", "the drones"), open a series ("a series of
attacks ... on Thursday"), or be something that is not an incident: an aggregate count, a
deployment, an evacuation, a warning, a statement, troop numbers.  Negative cues are read per
clause: "hard" ones (counts, deployments...) veto their clause, "soft" ones (warnings, statements,
hypotheticals) only veto a clause that reports nothing concrete.

The phrase naming what a US strike answers ("in response to these attacks", "following the missile
strike") is masked before cues are read: it is a link, not an event of the sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache

from geo.extract.rules import Gated, gated, lazy, load_rules, word_set
from geo.extract.text import clause_spans

_WEAPON_NOUNS = frozenset(
    {"drone", "drones", "rocket", "rockets", "missile", "missiles", "mortar", "mortars"}
)
_ATTACK_NOUNS = ("attack", "assault", "incident", "explosion", "blast")


@dataclass(frozen=True)
class Clause:
    start: int
    end: int
    attack: bool
    us_strike: bool
    concrete: bool
    hard: tuple[str, ...]
    soft: tuple[str, ...]
    umbrella: bool

    @property
    def vetoed(self) -> bool:
        return bool(self.hard) or (bool(self.soft) and not self.concrete)


@dataclass(frozen=True)
class Anaphor:
    """A reference back: ``kind`` is ``attack``, ``strike`` or ``weapon``."""

    text: str
    start: int
    kind: str
    plural: bool
    dated: bool = False  # "Sunday's attack", "today's strike"


@dataclass(frozen=True)
class Response:
    """What a US strike answers: "these escalating attacks" (plural) or "the missile strike"."""

    text: str
    plural: bool
    span: tuple[int, int] = (0, 0)  # where the phrase is in the sentence


class EventReading:
    """The event cues of one sentence, read on demand (most sentences need only a few)."""

    def __init__(self, sentence: str, words: frozenset[str] | None = None) -> None:
        rules = _rules()
        self.words = word_set(sentence) if words is None else words
        self.response: Response | None = None
        self.text = sentence
        m = rules.response.search(sentence, self.words)
        if m and rules.us_actor.search(
            sentence[m.start("ref") : m.end("ref")] if m.group("ref") else ""
        ):
            m = None  # "after an American drone strike": a US strike, not the attack it answers
        if (
            m
            and rules.us_strike.search(sentence, self.words) is None
            and not rules.strike_anaphor.search(sentence, 0, m.start())
        ):
            m = None  # no US strike to link: "came two days after a drone strike in Jordan ..."
        if m:
            noun = (m.group("noun") or m.group("bare") or "").lower()
            self.response = Response(m.group("ref") or "", noun.endswith("s"), m.span())
            masked = " " * (m.end() - m.start())
            self.text = sentence[: m.start()] + masked + sentence[m.end() :]

    @lazy
    def low(self) -> str:
        return self.text.lower()

    def _starts(self, pattern: Gated) -> list[int]:
        if pattern.gate and pattern.gate.isdisjoint(self.words):
            return []
        text = self.low if pattern.lower else self.text
        return [m.start() for m in pattern.pattern.finditer(text)]

    @lazy
    def _attack(self) -> list[int]:
        return self._starts(_rules().attack_cue)

    @lazy
    def _strike(self) -> list[int]:
        """US strike cues, not those whose US actor is the object of what precedes it."""
        rules = _rules()
        return [
            s
            for s in self._starts(rules.us_strike)
            if not rules.us_object.search(self.text, max(0, s - 40), s)
        ]

    @lazy
    def _umbrella(self) -> list[int]:
        return self._starts(_rules().umbrella)

    @lazy
    def clauses(self) -> tuple[Clause, ...]:
        """Every clause with its cues and vetoes."""
        rules = _rules()
        concrete = self._starts(rules.concrete) if self._attack or self._strike else []
        hard: list[tuple[str, list[int]]] = []
        soft: list[tuple[str, list[int]]] = []
        words = self.words
        for reason, is_hard, pattern in rules.negatives:
            if pattern.gate.isdisjoint(words):
                continue
            starts = self._starts(pattern)
            if starts:
                (hard if is_hard else soft).append((reason, starts))
        spans = clause_spans(self.text)
        bounds = [a for a, _ in spans]

        def clauses_of(starts: list[int]) -> set[int]:
            return {bisect_right(bounds, x) - 1 for x in starts}

        attack, strike = clauses_of(self._attack), clauses_of(self._strike)
        umbrella, firm = clauses_of(self._umbrella), clauses_of(concrete)
        hard_in = [(reason, clauses_of(xs)) for reason, xs in hard]
        soft_in = [(reason, clauses_of(xs)) for reason, xs in soft]
        out = []
        for i, (a, b) in enumerate(spans):
            out.append(
                Clause(
                    start=a,
                    end=b,
                    attack=i in attack,
                    us_strike=i in strike,
                    concrete=i in firm,
                    hard=tuple(dict.fromkeys(r for r, where in hard_in if i in where)),
                    soft=tuple(dict.fromkeys(r for r, where in soft_in if i in where)),
                    umbrella=i in umbrella,
                )
            )
        return tuple(out)

    @lazy
    def us_target(self) -> bool:
        rules = _rules()
        if rules.us_target.search(self.text, self.words, self.low) is None:
            return False
        # "a roadside bomb hit an Iraqi army convoy, wounding four soldiers": not ours
        return not rules.other_force.search(self.text) or bool(rules.explicit_us.search(self.text))

    @lazy
    def generic(self) -> bool:
        return _rules().generic.search(self.text, self.words, self.low) is not None

    @lazy
    def tally(self) -> bool:
        """Attacks counted or followed over time ("more than 60 attacks", "attacks have surged
        since October"): a tally, not one event (``rules/events.toml`` ``tally``)."""
        return _rules().tally.search(self.text, self.words, self.low) is not None

    @lazy
    def new_event(self) -> bool:
        return _rules().new_event.search(self.text, self.words, self.low) is not None

    @lazy
    def several(self) -> int:
        """How many attacks the sentence reports at once ("in two separate drone attacks",
        "attacked four times in 24 hours"); 1 when it gives no such count."""
        rules = _rules()
        for pattern in rules.several:
            m = pattern.search(self.text, self.words, self.low)
            if m:
                n = m.group("n").lower()
                return int(n) if n.isdigit() else rules.several_words[n]
        return 1

    @lazy
    def also_elsewhere(self) -> list[str]:
        """Countries of other attacks the sentence adds in passing ("along with another attack
        in Syria")."""
        rules = _rules()
        return [m.group("country") for m in rules.also_elsewhere.finditer(self.text, self.words)]

    @lazy
    def anaphor(self) -> Anaphor | None:
        """The first reference back to an event, if any ("such attacks" is none)."""
        rules = _rules()
        generic = rules.generic.search(self.text, self.words, self.low)
        for am in rules.anaphor.finditer(self.text, self.words, self.low):
            if generic and generic.start() <= am.start() < generic.end():
                continue
            noun = am.group("noun").lower()
            if noun in _WEAPON_NOUNS:
                kind = "weapon"
            elif noun.startswith(_ATTACK_NOUNS):
                kind = "attack"
            else:
                kind = "strike"
            dated = am.group("day") is not None
            return Anaphor(am.group(0), am.start(), kind, noun.endswith("s"), dated)
        return None

    @property
    def first_attack_cue(self) -> int | None:
        return min(self._attack) if self._attack else None

    @property
    def first_strike_cue(self) -> int | None:
        return min(self._strike) if self._strike else None

    @property
    def has_event_cue(self) -> bool:
        return bool(self._attack or self._strike)

    def strike_clause(self) -> Clause | None:
        """The clause reporting a US strike, unless vetoed."""
        if not self._strike:
            return None
        return next((c for c in self.clauses if c.us_strike and not c.vetoed), None)

    def attack_clause(self) -> Clause | None:
        """The clause that can anchor an attack: a cue, no veto, not part of a series.

        Whether the target is US/coalition (:attr:`us_target`, or a base the sentence names) is
        the caller's question.
        """
        if not self._attack:
            return None
        return next((c for c in self.clauses if c.attack and not c.vetoed and not c.umbrella), None)

    def umbrella_clause(self) -> Clause | None:
        if not self._umbrella:
            return None
        return next((c for c in self.clauses if c.umbrella and not c.hard), None)

    def reasons(self) -> tuple[str, ...]:
        """Why the sentence is not an incident, from its negative cues."""
        out: list[str] = []
        for c in self.clauses:
            for r in (*c.hard, *c.soft):
                if r not in out:
                    out.append(r)
        return tuple(out)

    def hard_reasons(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r for c in self.clauses for r in c.hard))


@dataclass(frozen=True)
class _EventRules:
    us_target: Gated
    us_strike: Gated
    attack_cue: Gated
    concrete: Gated
    anaphor: Gated
    new_event: Gated
    generic: Gated
    tally: Gated
    umbrella: Gated
    response: Gated
    us_actor: re.Pattern[str]
    us_object: re.Pattern[str]
    several: tuple[Gated, ...]
    other_force: re.Pattern[str]
    explicit_us: re.Pattern[str]
    other_holder: re.Pattern[str]
    strike_anaphor: re.Pattern[str]
    also_elsewhere: Gated
    several_words: dict[str, int]
    negatives: tuple[tuple[str, bool, Gated], ...]


@cache
def _rules() -> _EventRules:
    r = load_rules().events
    g = r["gates"]
    us = r["us_actor"]
    negatives = tuple(
        (n["reason"], n["hard"], gated(n["patterns"], n["gate"])) for n in r["negative"]
    )
    return _EventRules(
        us_target=gated(r["us_target"], g["us_target"]),
        us_strike=gated([p.replace("{US}", us) for p in r["us_strike"]], g["us_strike"]),
        attack_cue=gated(r["attack_cue"], g["attack_cue"]),
        concrete=gated(r["concrete"]),
        anaphor=gated(r["anaphor"], g["anaphor"]),
        new_event=gated(r["new_event"], g["new_event"]),
        generic=gated(r["generic"], g["generic"]),
        tally=gated(r["tally"], g["tally"]),
        umbrella=gated(r["umbrella"], g["umbrella"]),
        response=gated(r["response"], g["response"]),
        us_actor=re.compile(us),
        us_object=re.compile(r["us_object"], re.I),
        several=tuple(gated(p, g["several"]) for p in r["several"]),
        other_force=re.compile(r["other_force"], re.I),
        explicit_us=re.compile(r["explicit_us"], re.I),
        other_holder=re.compile(r["other_holder"], re.I),
        strike_anaphor=re.compile(r["strike_anaphor"], re.I),
        several_words=dict(r["several_words"]),
        also_elsewhere=gated(r["also_elsewhere"], g["also_elsewhere"], flags=0),
        negatives=negatives,
    )


def held_by_other(after: str) -> bool:
    """The words right after a target say another force holds it ("being used by a militia")."""
    return _rules().other_holder.search(after) is not None


def read_events(sentence: str, words: frozenset[str] | None = None) -> EventReading:
    """The event reading of one sentence (``words``: its :func:`word_set`, if already made)."""
    return EventReading(sentence, words)
