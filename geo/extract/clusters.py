"""Reading an article sentence by sentence into event clusters.

A :class:`Cluster` is one event of an article and the sentences about it.  :class:`ClusterReader`
decides, for each sentence (its facts read by :mod:`geo.extract.sentence`), what it does:

* a sentence reporting a **US strike** opens a ``us_strike`` cluster;
* a sentence that **refers back** ("the attack", "these strikes", "the rockets", "Sunday's
  attack") joins the most recent compatible cluster (one naming the same site, one of that day,
  or one with no place yet) and adds its facts -- places and a date only where the cluster has
  none of its own;
* a sentence reporting an **attack** on US/coalition forces with something specific (a target,
  a date, a US casualty figure, a claim) and no veto opens an ``attack`` cluster; when it reports
  **several at once** ("two separate drone attacks", "attacked four times on Nov. 23", "one on
  Nov. 8 and the other on Nov. 9") the cluster counts them (:attr:`Cluster.times`), and a day said
  against the event just told ("the previous day", "a few hours earlier") is resolved against it;
* a **series** with a date ("a series of attacks ... on Thursday", "claimed three attacks on
  Sunday") opens no incident but dates the undated ones that follow (the *narrative date*);
* an **aggregate** ("around 40 times") opens a cluster that swallows what refers to it
  ("45 soldiers were injured in these attacks"), so none of it becomes an incident;
* a report an official **denies** ("denied reports that the base was attacked") opens a
  ``denied`` cluster: later reports of that attack at that place are not incidents either;
* a sentence with no event of its own right after a cluster's sentence in the same paragraph
  (or after one neutral sentence, with figures) **continues** it (casualties, damage, outcome,
  status, claims: "Thankfully, there were no casualties, but a vehicle sustained significant
  damage."; the place, when the attack had none: "The troops were stationed in Erbil.");
* anything else that looks like an event but is not one is **rejected**, with the reason.

Timeline lines ("OCT. 18 – ...") and clauses that report attacks of their own ("...; a drone
attack in Syria injured one while two other attacks in Iraq caused no damage") are sentences of
their own (:mod:`geo.extract.text`); a clause cut that way shares its sentence's US target.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field, replace

from geo.extract.casualties import Count, merge_figure
from geo.extract.dates import DateMention, DateWindow
from geo.extract.events import Response
from geo.extract.places import NOT_BASES, Place, Unnamed
from geo.extract.result import Rejected
from geo.extract.sentence import SentenceFacts

#: The countries an incident can be in, with their names for "(not named)" locations.
COUNTRY_NAMES = {"IRQ": "Iraq", "SYR": "Syria", "JOR": "Jordan"}
#: a base named by a definite noun only ("the air base", "the base's storage facility")
_THE_BASE = re.compile(
    r"\b[Tt]he\s+(?:(?:US|U\.S\.|American|coalition|same|military|US-led)\s+)?"
    r"(?:air\s*base|airbase|base|outpost|garrison|airfield)\b(?![\s,]+(?:in|at|near)\b)"
)


#: a sentence opening on the people or the base an attack hit ("The troops were stationed in ...")
_THE_PEOPLE = re.compile(
    r"(?:The|Those|These)\s+(?:(?:US|U\.S\.|American|coalition)\s+)?"
    r"(?:troops|soldiers|service\s*members|personnel|forces|base|outpost)\b"
)


@dataclass
class Cluster:
    """One event of an article and the sentences about it."""

    kind: str  # attack | us_strike | aggregate | umbrella | denied | aside (an aircraft lost)
    anchor: SentenceFacts
    last_index: int
    members: list[SentenceFacts] = field(default_factory=list)
    targets: list[Place] = field(default_factory=list)
    unnamed: list[Unnamed] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    date: DateMention | None = None
    date_origin: str = "default"  # own | vague | narrative | continuation | default
    date_quote: str | None = None
    weapons: set[str] = field(default_factory=set)
    untyped_missile: bool = False
    outcome: set[str] = field(default_factory=set)
    damage: list[str] = field(default_factory=list)
    killed: Count | None = None
    injured: Count | None = None
    claimant: str | None = None
    attribution: str | None = None
    confirmed: bool = False
    #: of a cluster at several places, those an official source confirms ("confirmed the attack
    #: on Conoco"): the others stay as reported
    confirmed_at: set[str] = field(default_factory=set)
    disputed: bool = False
    us_claimant: str | None = None
    response: Response | None = None
    response_quote: str | None = None
    nearby: bool = False
    separate: bool = False  # the text says it is another event ("a separate attack")
    #: how many attacks the anchor reports at once ("two separate drone attacks") and, when it
    #: dates each ("one on Nov. 8 and the other on Nov. 9"), their dates in order
    times: int = 1
    #: the anchor counts the attacks it sums up ("attacked four times on Nov. 23, with no
    #: casualties"): its "nobody hurt" covers every attack of the article on that day
    covers: int = 1
    #: countries of other attacks the anchor adds in passing ("along with another attack in Syria")
    also_in: list[str] = field(default_factory=list)
    each_date: list[DateMention] = field(default_factory=list)
    evidence: dict[str, list[str]] = field(default_factory=dict)
    rules: dict[str, str] = field(default_factory=dict)  # field -> the rule that read it
    #: figures only first reports gave as none ("initial reports suggested no casualties")
    provisional: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)

    @property
    def real(self) -> bool:
        """An attack or a US strike (not an aggregate or a series)."""
        return self.kind in ("attack", "us_strike")

    def cite(self, field_name: str, quote: str) -> None:
        quotes = self.evidence.setdefault(field_name, [])
        if quote not in quotes:
            quotes.append(quote)


def against_us(f: SentenceFacts) -> bool:
    """The sentence names US/coalition forces, or a base of theirs, as the target."""
    if f.events.us_target:
        return True
    return any(p.site is not None and p.site.kind not in NOT_BASES for p in f.targets())


class ClusterReader:
    """Reads one article's sentences in order (see the module docstring)."""

    def __init__(self, article_id: str) -> None:
        self.article_id = article_id
        self.clusters: list[Cluster] = []
        self.rejected: list[Rejected] = []
        self.narrative: tuple[DateMention, str] | None = None
        self.last_group: str | None = None
        self.previous: Cluster | None = None  # the real cluster of the previous sentence
        self.seen: list[SentenceFacts] = []  # the sentences read so far
        self.skipped: SentenceFacts | None = None  # a quiet sentence since the previous cluster's
        #: the last sentence read as attacks in general, with a country ("US forces in Jordan were
        #: attacked"): the next sentence's figures for "the attack" make it one
        self.general: SentenceFacts | None = None

    def read(self, facts: list[SentenceFacts]) -> list[Cluster]:
        for f in facts:
            rejected = len(self.rejected)
            here = self._step(f)
            quiet = here is None and len(self.rejected) == rejected  # neither event nor reject
            self._remember(f, here, quiet)
            self.seen.append(f)
        return self.clusters

    # --- one sentence -----------------------------------------------------------------------

    def _step(self, f: SentenceFacts) -> Cluster | None:
        """What ``f`` does; returns the real cluster it belongs to, if any."""
        ev = f.events
        if f.sentence.embed:
            self._reject(f, "embedded post (byline), not read")
            return None
        strike = ev.strike_clause()
        s_cue = ev.first_strike_cue
        if strike is not None and not self._attack_first(f):
            return self._open("us_strike", f, (strike.start, strike.end))
        target = None
        general = self._general_told(f)
        if general is not None:
            self.rejected = [r for r in self.rejected if r.sentence != general.index]
            c = self._open("attack", general, (0, len(general.text)))
            if c.date_origin == "narrative":  # told in passing: not of the series being told
                c.date, c.date_origin, c.date_quote = None, "default", None
            self._absorb(c, f, "anaphor")
            c.last_index = f.index
            return c
        if ev.anaphor is not None and not ev.new_event:
            target = self._resolve(f)
        if target is None and f.tally_of_attacks:
            self._reject(f, "figures for several attacks told before: a tally")
            return None
        if target is not None and target.real and self._other_day(target, f):
            target = None  # "that drone strike followed a rocket attack on Monday": a new event
            f.refers_elsewhere = True
        if target is not None and not target.real:
            target.last_index = f.index
            self._reject(f, f"refers to the {target.kind} of sentence {target.anchor.index}")
            return None
        if target is not None:
            hard = ev.hard_reasons()
            if not hard or (f.casualties and set(hard) <= {"evacuation"}):
                # ("... suffered injuries in the strike, and one was evacuated": about the attack)
                self._absorb(target, f, "anaphor")
            elif "aggregate count" in hard:
                # "Saturday's attack was the largest of the 140 attacks ...": later "the attacks"
                # are the tally's
                self.clusters.append(Cluster("aggregate", f, f.index))
            target.last_index = f.index
            return target
        attack = ev.attack_clause()
        if attack is not None and self._against_us(f) and f.specific and self._denied(f):
            self._reject(f, "the attack the text reports as denied")
            return None
        if attack is not None and self._against_us(f) and f.specific and f.tally:
            self.clusters.append(Cluster("aggregate", f, f.index))  # (what refers back: its)
            self._reject(f, "attacks counted or followed over time, none placed: a tally")
            return None
        if attack is not None and self._against_us(f) and f.specific:
            c = self._open("attack", f, (attack.start, attack.end))
            if strike is not None:  # "..., to which the US responded with strikes on X": not X
                c.targets = [p for p in c.targets if p.start < (s_cue or strike.start)]
            return c
        if (ev.umbrella_clause() is not None or ev.several > 1) and f.event_date() is not None:
            # "a series of attacks on Thursday", "militias claimed three attacks on Sunday"
            self.clusters.append(Cluster("umbrella", f, f.index))
            self.narrative = (f.event_date(), f.text)  # type: ignore[assignment]
            self._reject(f, "a series of attacks: dates the incidents that follow")
            return None
        if (ev.has_event_cue or ev.anaphor is not None) and ev.hard_reasons():
            reasons = ev.hard_reasons()
            if "aggregate count" in reasons:
                self.clusters.append(Cluster("aggregate", f, f.index))
            elif "a US aircraft downed" in reasons:  # ("the drone" after it is that aircraft)
                self.clusters.append(Cluster("aside", f, f.index))
            if "reports denied" in reasons:
                denied = Cluster("denied", f, f.index, members=[f])
                denied.targets = f.targets() or self._the_base(f)
                self.clusters.append(denied)
            self._reject(f, ", ".join(reasons))
            return None
        if ev.has_event_cue and ev.reasons():
            self._reject(f, ", ".join(ev.reasons()))
            return None
        if self._continues(f):
            c = self.previous
            assert c is not None
            self._absorb(c, f, "adjacent")
            c.last_index = f.index  # part of its story, facts or not ("The base hosts US troops.")
            return c
        c = self.previous  # "... claimed credit for using a drone to target the air base"
        near = c is not None and c.kind == "attack" and c.last_index >= f.index - 2 and c.targets
        if near and ev.has_event_cue and not ev.new_event and _THE_BASE.search(f.text):
            assert c is not None
            self._absorb(c, f, "anaphor")
            c.last_index = f.index
            return c
        if ev.has_event_cue and self._against_us(f):
            self._reject(f, "no target, date or casualty figure: about attacks in general")
            self.general = f if any(x in COUNTRY_NAMES for x in f.countries) else None
        elif (ev.response is not None or ev.us_target) and ev.hard_reasons():
            self._reject(f, ", ".join(ev.hard_reasons()))
        return None

    def _general_told(self, f: SentenceFacts) -> SentenceFacts | None:
        """The sentence right before ``f``, read as attacks in general ("US forces in Jordan
        were attacked"), when ``f`` gives US casualty figures for "the attack" (singular, no
        place or day of its own): that sentence told one attack."""
        g, ev = self.general, f.events
        if g is None or g.index != f.index - 1 or g.sentence.paragraph != f.sentence.paragraph:
            return None
        a = ev.anaphor
        if a is None or a.kind != "attack" or a.plural or a.dated or ev.new_event:
            return None
        if not f.casualties or f.targets() or f.unnamed or g.events.several > 1:
            return None
        return g

    def _against_us(self, f: SentenceFacts) -> bool:
        """:func:`against_us`, or a fragment cut from a sentence that is ("..., while two other
        attacks in Iraq caused no damage")."""
        if against_us(f):
            return True
        return f.sentence.fragment and bool(self.seen) and self._against_us(self.seen[-1])

    def _attack_first(self, f: SentenceFacts) -> bool:
        """A sentence reporting an attack on us before a US strike ("a drone hit X, to which the
        US responded with strikes on Y") is about the attack."""
        ev = f.events
        a_cue, s_cue = ev.first_attack_cue, ev.first_strike_cue
        if a_cue is None or (s_cue is not None and a_cue >= s_cue):  # one word, read as ours
            return False
        return ev.attack_clause() is not None and self._against_us(f) and f.specific

    @staticmethod
    def _other_day(c: Cluster, f: SentenceFacts) -> bool:
        """``f`` dates its event on days that cannot be those of ``c`` (both dated by the text;
        the day of a statement, "the Pentagon said on Monday", dates no event)."""
        own = next((d for d in f.dates if d.kind == "event"), None)
        if own is None or c.date is None or c.date_origin not in ("own", "continuation"):
            return False
        if c.date.kind == "statement" and own.window.end <= c.date.window.end:
            return False  # ("a statement released on Monday", then "the attack was on Friday")
        return not own.window.overlaps(c.date.window)

    def _remember(self, f: SentenceFacts, here: Cluster | None, quiet: bool = False) -> None:
        """Carry the narrative date, the last group named and the previous cluster forward (past
        one neutral sentence, for figures)."""
        if here is not None:
            own = f.event_date()
            if own is not None and (here.anchor is f or not f.events.reasons()):
                self.narrative = (own, f.text)
            # "the same group" means the last group named about an incident
            if f.claimant or (f.attribution and f.group and f.group in f.attribution):
                self.last_group = f.claimant or f.group
        if here is None and quiet and self.previous is not None and self.skipped is None:
            self.skipped = f  # kept over one quiet sentence; whether it is neutral is read later
            return
        self.previous, self.skipped = here, None

    def _reject(self, f: SentenceFacts, reason: str) -> None:
        self.rejected.append(Rejected(self.article_id, f.index, f.text, reason))

    def _continues(self, f: SentenceFacts) -> bool:
        """A sentence right after a cluster's, in its paragraph, about its places, with no event
        of its own (no cue, or a cue with no place, day or US forces: "Two rockets landed inside
        the compound")."""
        c = self.previous
        if c is None or c.last_index < f.index - 2:
            return False
        if c.last_index == f.index - 2 and not (
            f.casualties and self.skipped is not None and self.skipped.neutral
        ):
            return False  # past a neutral sentence only with figures
        if f.events.reasons() or f.events.anaphor is not None or f.events.new_event:
            return False
        if f.events.has_event_cue and (
            f.targets() or f.unnamed or f.event_date() is not None or self._against_us(f)
        ):
            return False  # a cue with a place, a day or US forces of its own: an event of its own
        if self._other_day(c, f):
            return False
        last = max(c.members, key=lambda m: m.index)
        named = {p.key for p in f.targets()}
        # "The troops were stationed in Erbil": where an attack the text has not placed was
        placing = (
            c.kind == "attack" and not c.targets and (not c.unnamed or f.names_the_one(c.unnamed))
        )
        placing = placing and bool(named) and f.placeable_in(c.countries)
        if last.sentence.paragraph != f.sentence.paragraph and not (
            f.casualties or f.damage or (placing and _THE_PEOPLE.match(f.text))
        ):
            return False  # a paragraph of its own continues only with figures, damage or place
        if not named or named & {p.key for p in c.targets} or placing:
            return True
        # "The base, also known as Rmelan landing zone, hosts US troops": about its base
        return not f.events.has_event_cue and bool(_THE_PEOPLE.match(f.text))

    # --- clusters ---------------------------------------------------------------------------

    def _open(self, kind: str, f: SentenceFacts, clause: tuple[int, int]) -> Cluster:
        """A new cluster anchored on ``f``: its places, its date, and what ``f`` says."""
        # "another attack" sets it apart from those reported before it (none: nothing to part from)
        earlier = any(x.real for x in self.clusters)
        c = Cluster(kind, f, f.index, members=[f], separate=f.events.new_event and earlier)
        c.targets = f.targets()
        c.unnamed = list(f.unnamed)
        c.countries = [x for x in f.countries if x in COUNTRY_NAMES]
        own = f.event_date(within=clause)
        # ("disclosed on Tuesday that ... an attack from the previous week": not Tuesday)
        stated = own is not None and own.kind == "statement"
        anchored = f.anchored_date() if own is None or stated else None
        if anchored is not None:  # "the previous day": against the event just told, or publication
            told = self._last_told()
            own = anchored.against(told) if told is not None else anchored
            if own.kind == "anchored":
                own = replace(own, kind="event")
        if own is not None:
            c.date, c.date_origin, c.date_quote = own, "own", f.text
        elif f.vague_date() is not None:
            c.date, c.date_origin, c.date_quote = f.vague_date(), "vague", f.text
        elif self.narrative is not None:
            c.date, c.date_origin = self.narrative[0], "narrative"
            c.date_quote = self.narrative[1]
        if kind == "attack":
            self._several(c, f)
            named = {p.site.country if p.site else p.country for p in c.targets}
            c.also_in = [x for x in f.events.also_elsewhere if x not in named]
        if kind == "attack" and not c.targets and not c.unnamed:
            c.targets = self._the_base(f)
        c.cite("event_type", f.text)
        if c.targets or c.unnamed or c.countries:
            c.cite("location", f.text)
        if kind == "us_strike":
            c.nearby = f.nearby
            said = f.events.response
            if said is not None:  # "in retaliation for the Tower 22 attack": not where it struck
                a, b = said.span
                c.targets = [p for p in c.targets if not a <= p.start < b]
        self._absorb(c, f, "anchor")
        self.clusters.append(c)
        return c

    def _last_told(self) -> DateWindow | None:
        """The dates of what was just told: the sentence before's event date (when it told an
        attack), else the last date it gives ("... since early February, when the groups announced a halt. That announcement
        came two days after ..."), else the narrative date."""
        told = self.previous is not None and self.previous.last_index == len(self.seen) - 1
        if self.seen and told:  # the sentence before told an attack (not a tally)
            before = self.seen[-1]
            own = before.event_date()
            given = [d for d in before.dates if d.kind in ("event", "since", "statement")]
            if own is not None or given:
                return (own or given[-1]).window
        return self.narrative[0].window if self.narrative else None

    @staticmethod
    def _several(c: Cluster, f: SentenceFacts) -> None:
        """Several attacks reported at once: on one day ("targeted in two separate drone attacks
        on Oct. 18"), or each on its own day ("two attacks, one on Nov. 8 and the other on
        Nov. 9").  A count over a wider span is a tally, not a list of incidents."""
        counts = [f.events.several, *(u.count for u in f.unnamed)]
        n = max(counts)
        c.covers = n
        if n < 2:
            return
        days = [d for d in f.dates if d.kind == "event" and d.window.width <= 1]
        apart = all(not a.window.overlaps(b.window) for a, b in itertools.pairwise(days))
        if len(days) == n and apart:
            c.times, c.each_date = n, days
            c.date, c.date_origin, c.date_quote = days[0], "own", f.text
            c.notes.append(f"The text reports {n} attacks, each on its own day.")
        elif c.date is not None and c.date.window.width <= 2 and len(c.countries) <= 1:
            c.times = n
            c.notes.append(f"The text reports {n} attacks at once: one incident each.")

    def _denied(self, f: SentenceFacts) -> bool:
        """``f`` reports again an attack the article says was denied: at its place (or "the
        base"), and the text does not call it another."""
        if f.events.new_event:
            return False
        denied = {p.key for c in self.clusters if c.kind == "denied" for p in c.targets}
        if not denied:
            return False
        named = {p.key for p in f.targets()} or {p.key for p in self._the_base(f)}
        return bool(named) and named <= denied

    def _the_base(self, f: SentenceFacts) -> list[Place]:
        """ "The air base" with no name: the base of the article's latest attack, if any."""
        if not _THE_BASE.search(f.text):
            return []
        for c in reversed(self.clusters):
            bases = [p for p in c.targets if p.site is not None and p.site.kind not in NOT_BASES]
            if c.kind in ("attack", "denied") and len(bases) == 1:
                return bases
        # no attack yet: the one base the sentence before names ("X visited Ain al-Asad. ...
        # the base had come under attack")
        before = self.seen[-1:] if self.seen else []
        bases = [
            p
            for b in before
            for p in b.places
            if p.site is not None and p.site.kind not in NOT_BASES
        ]
        return bases[:1] if len({p.key for p in bases}) == 1 else []

    def _resolve(self, f: SentenceFacts) -> Cluster | None:
        """The cluster a reference back ("the attack", "these strikes") points to."""
        anaphor = f.events.anaphor
        assert anaphor is not None
        kinds = {"attack"} if anaphor.dated else {"attack", "aggregate", "umbrella", "aside"}
        if anaphor.kind == "strike":
            kinds.add("us_strike")
        named = {p.key for p in f.targets()}
        candidates = [c for c in reversed(self.clusters) if c.kind in kinds]
        day = f.event_date() if anaphor.dated else None
        if day is not None:  # "Sunday's strike": the attack of that day, if one was told
            same_day = [c for c in candidates if c.date and c.date.window.overlaps(day.window)]
            candidates = same_day + [c for c in candidates if c not in same_day]
        if not named:
            return candidates[0] if candidates else None
        for c in candidates:
            if named & {p.key for p in c.targets}:
                return c
        # the latest cluster, if it has no named place yet ("attacks on bases in Iraq"), or a
        # tally ("Two of those attacks, on Ain al-Asad and Harir, ...": examples of the tally)
        return next(
            (c for c in candidates[:1] if (c.real and not c.targets) or c.kind == "aggregate"),
            None,
        )

    def _absorb(self, c: Cluster, f: SentenceFacts, mode: str) -> bool:
        """Add what ``f`` says to ``c``; ``mode`` is ``anchor``, ``anaphor`` or ``adjacent``.

        An adjacent sentence adds no weapons ("These groups have used drones and rockets" says
        nothing about this attack).  A confirmation counts when it is in the anchor or next to
        the cluster's sentences (a far-off "CENTCOM confirmed the recent attacks" is about the
        series).  Returns whether anything was added.
        """
        quote = f.text
        added = False
        placing = mode == "anaphor" or (
            mode == "adjacent" and (not c.unnamed or f.names_the_one(c.unnamed))
        )
        mine = f.strike_targets() if c.kind == "us_strike" else f.targets()
        if placing and not c.targets and mine:
            c.targets, c.unnamed = mine, list(f.unnamed)
            c.countries += [x for x in f.countries if x in COUNTRY_NAMES and x not in c.countries]
            c.cite("location", quote)
            added = True
        own = f.event_date() if mode == "anaphor" else None
        wider = c.date is not None and own is not None and own.window.width < c.date.window.width
        if wider and c.date.window.contains(own.window):  # type: ignore[union-attr]
            c.date, c.date_quote = own, quote  # "the previous week", then "the attack on Saturday"
            added = True
        elif own is not None and (
            c.date_origin in ("vague", "narrative", "default")
            or (c.date is not None and c.date.kind == "statement" and own.kind == "event")
        ):
            c.date, c.date_origin, c.date_quote = own, "continuation", quote
            added = True
        if c.kind == "attack":
            added |= self._attack_facts(c, f, mode)
        else:
            added |= self._strike_facts(c, f, mode)
        near = mode == "anchor" or f.index == c.last_index + 1
        if f.confirms and near and not c.confirmed:
            named = {p.key for p in f.targets()} & {p.key for p in c.targets}
            if len({p.key for p in c.targets}) > 1 and named:
                c.confirmed_at |= named
            else:
                c.confirmed = True
            c.cite("status", quote)
            added = True
        if f.disputes:
            c.disputed = True
            c.cite("status", quote)
            added = True
        if added and f not in c.members:
            c.members.append(f)
        return added

    def _attack_facts(self, c: Cluster, f: SentenceFacts, mode: str) -> bool:
        quote = f.text
        added = False
        weapons = f.attack_weapons
        if f.refers_elsewhere and f.events.anaphor is not None:
            a = f.events.anaphor
            weapons = f.weapons_outside(a.start, a.start + len(a.text))
        if mode != "adjacent" and weapons:
            new = set(weapons) - c.weapons
            c.weapons |= set(weapons)
            if new or mode == "anchor":
                c.cite("weapons", quote)
                added = True
        if mode != "adjacent" and f.untyped_missile:
            c.untyped_missile = True
        if f.casualties and mode != "anchor" and f.of_attacks:
            c.notes.append(f"Figures said of several attacks, not this one: '{f.text}'")
        elif f.casualties:
            early = f.casualties.early
            for kind in ("killed", "injured"):
                said = getattr(f.casualties, kind)
                if said is None:
                    continue
                figure, provisional = merge_figure(
                    getattr(c, kind), said, early, kind in c.provisional
                )
                setattr(c, kind, figure)
                (c.provisional.add if provisional else c.provisional.discard)(kind)
                c.cite(kind, quote)
                c.rules.setdefault(kind, f.casualties.rule(kind))
            added = True
        if f.claimant and not c.claimant:
            c.claimant = f.claimant
            c.cite("claimed_by", quote)
            added = True
        if not c.attribution:
            if f.same_group and self.last_group:
                c.attribution = self.last_group
                c.notes.append(f"'The same group' is taken as {self.last_group}, named earlier.")
                c.cite("attributed_to", quote)
                added = True
            elif f.attribution and f.attribution != c.claimant:
                c.attribution = f.attribution
                c.cite("attributed_to", quote)
                added = True
        if f.outcome:
            c.outcome |= set(f.outcome)
            c.cite("outcome", quote)
            added = True
        if f.damage and f.damage not in c.damage:
            c.damage.append(f.damage)
            c.cite("damage", quote)
            added = True
        return added

    def _strike_facts(self, c: Cluster, f: SentenceFacts, mode: str) -> bool:
        quote = f.text
        added = False
        if mode != "adjacent" and f.strike_weapons:
            c.weapons |= set(f.strike_weapons)
            c.cite("weapons", quote)
            added = True
        if f.us_claimant and not c.us_claimant:
            c.us_claimant = f.us_claimant
            c.cite("claimed_by", quote)
            added = True
        if f.events.response and c.response is None:
            c.response, c.response_quote = f.events.response, quote
            added = True
        return added
