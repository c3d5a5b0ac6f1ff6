"""Everything one sentence says: places, dates, weapons, casualties, actors, events.

Facts are read on first use (:class:`geo.extract.rules.lazy`): most sentences of an article are
never anything but their event reading, so their places, dates and figures are never computed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from geo.extract import actors
from geo.extract.casualties import Casualties, find_casualties, may_report
from geo.extract.dates import DateMention, find_dates
from geo.extract.events import EventReading, held_by_other, read_events
from geo.extract.places import NOT_BASES, Place, PlaceFinder, Unnamed
from geo.extract.rules import lazy, word_set
from geo.extract.text import Sentence, dateline_end, is_aside
from geo.extract.weapons import find_damage, find_outcome, find_weapons, untyped_missile

#: figures said of several attacks ("wounded in attacks by militias", "injured in these attacks")
#: between a description and the name it goes by ("... base, also known as Tower 22")
_KNOWN_AS = re.compile(
    r"[\s’'\x22”,]*(?:(?:also|formerly|locally|commonly)\s+)?(?:known|referred\s+to)\s+as|"
    r"[\s’'\x22”,]*(?:called|dubbed|named)\b"
)
_OF_ATTACKS = re.compile(
    r"\b(?:in|from|during|by|across)\s+(?:the\s+|these\s+|those\s+|such\s+|all\s+|recent\s+)?"
    r"(?:[\w\-]+\s+){0,2}?attacks\b"
)


class SentenceFacts:
    """The facts of one sentence; offsets in ``places``/``dates`` are into ``sentence.text``."""

    def __init__(
        self,
        sentence: Sentence,
        published: date,
        places: PlaceFinder,
        quoted: list[tuple[int, int]] | None = None,
    ) -> None:
        self.sentence = sentence
        self.published = published
        self._finder = places
        self._quoted = [
            (a - sentence.start, b - sentence.start)
            for a, b in (quoted or [])
            if a < sentence.end and b > sentence.start
        ]
        self.words = word_set(sentence.text)
        #: set when the sentence's reference back ("the drone attack") names another event than
        #: the one it reports: that phrase's weapons are not this event's
        self.refers_elsewhere = False
        # a dateline opening a paragraph names where and when the report was filed
        self.dateline = dateline_end(sentence.text)
        #: the sentence this one is a fragment of ("..., while Sunday's strike wounded 34"), if any
        self.before: SentenceFacts | None = None
        self._held: frozenset[str] = frozenset()

    def __repr__(self) -> str:
        return f"SentenceFacts({self.sentence.index}: {self.text[:60]!r})"

    @property
    def text(self) -> str:
        return self.sentence.text

    @property
    def index(self) -> int:
        return self.sentence.index

    @lazy
    def events(self) -> EventReading:
        return read_events(self.text, self.words)

    @lazy
    def _masked(self) -> str:
        masked = self._finder.masked(self.text, self.words)
        if self.dateline:
            masked = " " * self.dateline + masked[self.dateline :]
        return masked

    @lazy
    def places(self) -> tuple[Place, ...]:
        return tuple(self._finder.find(self.text, self._masked, self.words))

    @lazy
    def unnamed(self) -> tuple[Unnamed, ...]:
        found = self._finder.unnamed_targets(self.text, self._masked)
        # ("a base in Iraq an Iran-aligned militia runs": not ours, nor is its country)
        held = [u for u in found if held_by_other(self.text[u.start + len(u.text) :])]
        self._held = frozenset(u.country for u in held)
        return tuple(u for u in found if u not in held)

    @property
    def held_countries(self) -> frozenset[str]:
        """Countries of unnamed targets another force holds (not ours, nor their country)."""
        return self._held if self.unnamed is not None else frozenset()

    @lazy
    def countries(self) -> tuple[str, ...]:
        return tuple(self._finder.countries(self.text, self._masked))

    @lazy
    def dates(self) -> tuple[DateMention, ...]:
        found = find_dates(self.text, self.published, self._quoted, self.words)
        return tuple(d for d in found if d.start >= self.dateline)

    @lazy
    def attack_weapons(self) -> tuple[str, ...]:
        return tuple(find_weapons(self.text, "attack", self.words))

    def weapons_outside(self, start: int, end: int) -> tuple[str, ...]:
        """Attack weapons named outside ``text[start:end]`` (a reference to another event)."""
        masked = self.text[:start] + " " * (end - start) + self.text[end:]
        return tuple(find_weapons(masked, "attack", word_set(masked)))

    @lazy
    def strike_weapons(self) -> tuple[str, ...]:
        return tuple(find_weapons(self.text, "us_strike", self.words))

    @lazy
    def untyped_missile(self) -> bool:
        return bool({"missile", "missiles"} & self.words) and untyped_missile(self.text)

    @lazy
    def outcome(self) -> frozenset[str]:
        return frozenset(find_outcome(self.text))

    @lazy
    def damage(self) -> str | None:
        return find_damage(self.text)

    @lazy
    def casualties(self) -> Casualties:
        # a clause cut from a sentence about US forces, or a hit on a base of theirs ("Rockets
        # hit Al-Tanf garrison, injuring two"): a bare count is theirs unless it names others
        context = self.before is not None and self.before.events.us_target
        if not context and may_report(self.words):
            context = any(
                p.site is not None and p.site.kind not in NOT_BASES for p in self.targets()
            )
        return find_casualties(self.text, self.words, about_us=context)

    @lazy
    def claimant(self) -> str | None:
        return actors.find_claimant(self.text)

    @lazy
    def attribution(self) -> str | None:
        return actors.find_attribution(self.text, self.words)

    @lazy
    def same_group(self) -> bool:
        return actors.refers_to_same_group(self.text)

    @lazy
    def group(self) -> str | None:
        return actors.known_group(self.text, self.words)

    @lazy
    def confirms(self) -> bool:
        return actors.confirms(self.text, self.words)

    @lazy
    def disputes(self) -> bool:
        return actors.disputes(self.text, self.words)

    @lazy
    def us_claimant(self) -> str | None:
        return actors.us_claimant(self.text)

    @lazy
    def nearby(self) -> bool:
        return self._finder.says_nearby(self.text)

    def targets(self) -> list[Place]:
        """Places the sentence reports as hit (sites, towns, unknown places; not containers, nor
        places of an aside with no attack of its own: "..., as officials met in Baghdad")."""
        found = [
            p for p in self.places if p.role == "target" and p.kind in ("site", "town", "unknown")
        ]
        if len(found) < 2:
            return found
        # "the 'Supply Point' outpost, also known as Tower 22": the description is not a place
        found = [
            p
            for p, q in zip(found, [*found[1:], None], strict=True)
            if not (
                p.kind == "unknown"
                and q is not None
                and q.kind != "unknown"
                and _KNOWN_AS.match(self.text, p.end, q.start)
            )
        ]
        asides = [
            (c.start, c.end)
            for c in self.events.clauses
            if not c.attack and is_aside(self.text[c.start : c.end])
        ]
        return [p for p in found if not any(a <= p.start < b for a, b in asides)]

    def strike_targets(self) -> list[Place]:
        """Targets told before what a US strike answers (in "these raids answered a drone attack
        on X", not X)."""
        said = self.events.response
        return [p for p in self.targets() if said is None or p.start < said.span[0]]

    def event_date(self, within: tuple[int, int] | None = None) -> DateMention | None:
        """The first date usable as an event date (in the clause ``within``, if given)."""
        found = [d for d in self.dates if d.kind == "event"]
        if not found:  # "announced on Friday that it attacked": on that day or the day before
            found = [d for d in self.dates if d.kind == "statement"]
        if within is not None:
            inside = [d for d in found if within[0] <= d.start < within[1]]
            found = inside or found
        if not found:
            return None
        first = found[0]
        # "in October ... on Oct 26", "earlier this week, on Tuesday": the day within the span
        narrower = [
            d for d in found[1:] if first.window.contains(d.window) and d.window != first.window
        ]
        return min(narrower, key=lambda d: d.window.width) if narrower else first

    def anchored_date(self) -> DateMention | None:
        """The first date said against an event already told ("the previous day")."""
        return next((d for d in self.dates if d.kind == "anchored"), None)

    def vague_date(self) -> DateMention | None:
        return next((d for d in self.dates if d.kind == "vague"), None)

    @property
    def specific(self) -> bool:
        """Names a target, a date, a US casualty figure or a claim: enough for an incident."""
        return bool(
            self.targets()
            or self.unnamed
            or any(d.kind in ("event", "anchored") for d in self.dates)
            or self.casualties
            or self.claimant
        )

    @property
    def neutral(self) -> bool:
        """No event of its own and no place ("This was preceded by intense aircraft
        activity."): figures in the next sentence can still be the last attack's."""
        ev = self.events
        return not (ev.has_event_cue or ev.anaphor is not None or self.targets() or self.unnamed)

    @property
    def tally(self) -> bool:
        """Attacks counted or followed over time ("12 of the attacks were against US targets in
        Iraq"), with no named or single place of their own: a tally, not one attack."""
        return (
            self.events.tally and not self.targets() and not any(u.singular for u in self.unnamed)
        )

    def placeable_in(self, countries: Sequence[str]) -> bool:
        """Whether the sentence's places can be where an attack in ``countries`` was: one
        place, in one of them (or no country known)."""
        places = {p.key: p for p in self.targets()}
        if len(places) != 1:
            return False
        (p,) = places.values()
        country = p.site.country if p.site else p.town.country if p.town else p.country
        return not countries or country in countries

    def names_the_one(self, unnamed: Sequence[Unnamed]) -> bool:
        """The sentence names the one base an attack on an unnamed one hit ("a drone hit an
        American outpost in Jordan", then "the deaths at Tower 22 ..."): one unnamed single
        target, and one base of that country here."""
        if len(unnamed) != 1 or not unnamed[0].singular:
            return False
        bases = {p.key: p.site for p in self.targets() if p.site is not None}
        if len(bases) != 1:
            return False
        (site,) = bases.values()
        return (
            site is not None and site.kind not in NOT_BASES and site.country == unnamed[0].country
        )

    @property
    def of_attacks(self) -> bool:
        """Whether the sentence says something of several attacks ("hurt in these attacks")."""
        return _OF_ATTACKS.search(self.text) is not None

    @property
    def tally_of_attacks(self) -> bool:
        """The sentence tells of "the attacks" (plural), or gives figures "in attacks", as its
        event, with no place or count of its own: figures for several attacks, a tally."""
        ev = self.events
        a, cue = ev.anaphor, ev.first_attack_cue
        if cue is None:
            return False
        if a is not None:
            told = a.plural and a.kind == "attack" and a.start <= cue < a.start + len(a.text)
        else:  # "as of Wednesday, 24 personnel were wounded in attacks by militias"
            m = _OF_ATTACKS.search(self.text)
            told = m is not None and m.start() <= cue < m.end() and bool(self.casualties)
        return told and not (self.targets() or self.unnamed or ev.several > 1 or ev.new_event)


def read_sentence(
    sentence: Sentence,
    published: date,
    places: PlaceFinder,
    quoted: list[tuple[int, int]] | None = None,
) -> SentenceFacts:
    """The (lazily read) facts of one sentence; ``quoted`` are quotation spans in the article."""
    return SentenceFacts(sentence, published, places, quoted)
