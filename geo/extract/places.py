"""Places named in a sentence: gazetteer sites, GeoNames towns, unknown places and countries.

How a sentence is read (patterns and vocabularies in ``rules/places.toml``):
1. Armed groups' names ("Islamic Resistance in Iraq") and people ("Bashar al-Assad") are masked.
2. *Site scan*: every run of words (normalised by :func:`geo.gazetteer.normalize`) whose key is a
   site key is a site (longest run wins), unless more of a name follows ("Mosul Dam").
3. *Capitalised phrases* in a place slot ("at X", "X airbase") go through the gazetteer's guarded
   fuzzy match (with the kind of place after them: "the Coneco gas field"), then the town list; a
   phrase known to neither is an *unknown* place (unlocated, never guessed).
4. Roles: ``container`` ("in Erbil"), ``descriptive``, ``origin`` ("launched from X"), ``target``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache

from geo.extract.actors import group_spans
from geo.extract.rules import Gated, gated, load_rules, word_set
from geo.extract.towns import Town, TownGazetteer, default_towns
from geo.gazetteer import ARTICLES, GENERIC_PAIRS, PREFIXES, Gazetteer, Site, normalize

_TOKEN = re.compile(r"[0-9A-Za-z\u00C0-\u024F\u1E00-\u1EFF'’ʿʾ`]+")
_JOIN = re.compile(r"^[\s\-‑–]*$")
_CAP_PHRASE = re.compile(
    r"(?:\b(?:al|el|ad|an|ar|as|ash|at|az)[-‑])?\b[A-Z][\w'’ʿʾ\-]*"
    r"(?:[ \-](?:(?:al|el|ad|an|ar|as|ash|at|az|ez|es|ed|bin|ibn|abu|umm|of|de)[-‑ ])?"
    r"(?:[A-Z][\w'’ʿʾ\-]*|\d+\b))*"
)
_DIRECTIONS = frozenset(
    f"{a}{b}"
    for a in ("", "north", "south")
    for b in (
        "",
        "east",
        "west",
        "-east",
        "-west",
        "ern",
        "eastern",
        "western",
        "-eastern",
        "-western",
    )
    if a or b
) | {"central", "northern", "southern", "eastern", "western"}
#: what "bases in Iraq" (plural, uncounted) names in general: US/coalition sites
_OUR_SITES = ("base", "outpost", "installation", "garrison")
_DETERMINERS = frozenset(
    {"the", "this", "that", "these", "those", "its", "their", "our", "another"}
)
_KIND_TAIL = re.compile(r"\s+(?:gas|oil)\s*(?:field|plant)\b")
#: not part of a name ("On Sunday Al-Masir base", "Iraq's Baghdad")
_LEADING = re.compile(
    r"^(?:(?:The|A|An|In|On|At|Near)\s+)?(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\s+)?"
    r"(?:(?:Iraq|Syria|Jordan)['’]s\s+)?(?=\S)"
)


@dataclass(frozen=True)
class Place:
    """A place named in a sentence.  ``start``/``end`` are offsets in that sentence."""

    text: str
    start: int
    end: int
    kind: str  # site | town | region | unknown | country
    role: str  # target | container | descriptive | origin
    country: str | None = None
    site: Site | None = None
    town: Town | None = None
    candidates: tuple[Town, ...] = field(default=())
    score: float = 100.0
    admin1: str | None = None

    @property
    def key(self) -> str:
        """What identifies the place: the site id, the town id, or the written name."""
        if self.site is not None:
            return self.site.id
        if self.town is not None:
            return f"geonames:{self.town.geonameid}"
        return normalize(self.text) or self.text.lower()


#: Gazetteer kinds that are not US/coalition bases: naming one does not make an attack ours.
NOT_BASES = frozenset({"city", "town"})

#: counts an unnamed target can carry ("two bases in Iraq")
_COUNTS = {"two": 2, "three": 3, "four": 4, "five": 5}


@dataclass(frozen=True)
class Unnamed:
    """A target the text does not name: "two bases in Iraq", "a base in Anbar"."""

    text: str
    start: int
    country: str
    singular: bool
    admin1: str | None = None
    count: int = 1  # "two bases in Iraq": 2


@dataclass(frozen=True)
class _PlaceRules:
    not_places: Gated
    stop_phrases: frozenset[str]
    stop_words: frozenset[str]
    slot_before: re.Pattern[str]
    slot_last_words: frozenset[str]
    slot_after: re.Pattern[str]
    strong_before: re.Pattern[str]
    place_last_words: frozenset[str]
    place_first_words: frozenset[str]
    arabic_article: re.Pattern[str]
    container_link: re.Pattern[str]
    relation_between: re.Pattern[str]
    relation_list: re.Pattern[str]
    descriptive: re.Pattern[str]
    origin_before: re.Pattern[str]
    actor_home: re.Pattern[str]
    landmark_after: re.Pattern[str]
    site_suffix: re.Pattern[str]
    unnamed: re.Pattern[str]
    near_linked: re.Pattern[str]
    country_names: dict[str, str]
    country_pattern: re.Pattern[str]
    regions: dict[str, tuple[str, str]]
    region_pattern: re.Pattern[str]
    region_gate: frozenset[str]
    country_gate: frozenset[str]
    region_suffix: re.Pattern[str]
    demonyms: dict[str, str]
    demonym_pattern: re.Pattern[str]
    in_scope: frozenset[str]
    ambiguous_words: frozenset[str]
    site_precision: dict[str, int]
    site_default_precision: int
    no_coordinate_precision: int
    town_precision: int
    large_population: int
    large_precision: int


@cache
def place_rules() -> _PlaceRules:
    r = load_rules().places
    scan = r["scan"]
    names = {n: c["iso3"] for c in r["country"] for n in c["names"]}
    demonyms = {n: c["iso3"] for c in r["country"] for n in c["demonyms"]}

    def names_pattern(items: Sequence[str]) -> re.Pattern[str]:
        alt = "|".join(re.escape(n) for n in sorted(items, key=len, reverse=True))
        return re.compile(rf"\b(?:{alt})\b")

    regions = {
        alias: (iso3, name)
        for iso3, table in r["region"].items()
        for name, aliases in table.items()
        for alias in (name, *aliases)
    }
    return _PlaceRules(
        not_places=gated(scan["not_places"], scan["not_places_gate"], flags=0),
        stop_phrases=frozenset(p.lower() for p in scan["stop_phrases"]),
        stop_words=frozenset(scan["stop_words"]),
        slot_before=re.compile(scan["slot_before"], re.I),
        slot_last_words=frozenset(scan["slot_last_words"]),
        slot_after=re.compile(scan["slot_after"], re.I),
        strong_before=re.compile(scan["strong_before"], re.I),
        place_last_words=frozenset(scan["place_last_words"]),
        place_first_words=frozenset(scan["place_first_words"]),
        arabic_article=re.compile(scan["arabic_article"]),
        container_link=re.compile(scan["container_link"], re.I),
        relation_between=re.compile(scan["relation_between"], re.I),
        relation_list=re.compile(scan["relation_list"], re.I),
        descriptive=re.compile(scan["descriptive"]),
        origin_before=re.compile(scan["origin_before"], re.I),
        actor_home=re.compile(scan["actor_home"]),
        landmark_after=re.compile(scan["landmark_after"]),
        site_suffix=re.compile(scan["site_suffix"], re.I),
        unnamed=re.compile(scan["unnamed_target"]),
        near_linked=re.compile(scan["near_linked"], re.I),
        country_names=names,
        country_pattern=names_pattern(list(names)),
        regions=regions,
        region_pattern=names_pattern(list(regions)),
        region_gate=_first_words(regions),
        country_gate=_first_words([*names, *demonyms]),
        region_suffix=re.compile(r"^\s+(?:province|governorate|region)\b", re.I),
        demonyms=demonyms,
        demonym_pattern=names_pattern(list(demonyms)),
        in_scope=frozenset(c["iso3"] for c in r["country"] if c["in_scope"]),
        ambiguous_words=frozenset(r["town"]["ambiguous_words"]),
        site_precision=dict(r["site"]["precision_by_kind"]),
        site_default_precision=r["site"]["default_precision"],
        no_coordinate_precision=r["site"]["no_coordinate_precision"],
        town_precision=r["town"]["precision"],
        large_population=r["town"]["large_population"],
        large_precision=r["town"]["large_precision"],
    )


def _first_words(names: Sequence[str]) -> frozenset[str]:
    """The lower-case first word of each name: a gate for the names' pattern."""
    return frozenset(re.split(r"[^a-z0-9]+", n.lower())[0] for n in names)


@lru_cache(maxsize=65536)
def _token_key(token: str) -> str:
    return normalize(token)


#: between two places of one list ("Al Tanf and Al Rukban", "Erbil, Harir")
_LIST_LINK = re.compile(r"\s*(?:,\s*(?:and\s+)?|and\s+|or\s+)")


def _listed(text: str, start: int, taken: Sequence[tuple[int, int]]) -> bool:
    """A phrase listed right after a place already found ("Al Tanf and Al Rukban"): in the slot
    that place is in."""
    return any(_LIST_LINK.fullmatch(text, b, start) for _, b in taken if b <= start)


def _mask(text: str, spans: Sequence[tuple[int, int]]) -> str:
    chars = list(text)
    for a, b in spans:
        for i in range(a, b):
            chars[i] = " "
    return "".join(chars)


def _clause_closed(text: str, start: int, place: int) -> bool:
    """A relative clause (", which houses US forces,") closed by a comma before ``place``: the
    place after it is the sentence's again ("... base, which houses US forces, in X")."""
    return text.startswith(",", start) and "," in text[start + 1 : place]


class PlaceFinder:
    """Finds places in sentences with one gazetteer and one town list."""

    def __init__(self, gazetteer: Gazetteer, towns: TownGazetteer | None = None) -> None:
        self.gazetteer = gazetteer
        self.rules = place_rules()
        self._site_keys: dict[str, str] = {}
        for site in gazetteer:
            for label in (site.name, *site.aliases):
                self._site_keys[normalize(label)] = site.id
        self._first = {k.split()[0] for k in self._site_keys}
        self._starts_site: dict[str, bool] = {}
        self._max_tokens = max(len(k.split()) for k in self._site_keys) + 4
        self.towns = towns if towns is not None else default_towns()

    # --- precision --------------------------------------------------------------------------

    def site_precision(self, site: Site) -> int:
        if not site.located:
            return self.rules.no_coordinate_precision
        return self.rules.site_precision.get(site.kind, self.rules.site_default_precision)

    def town_precision(self, town: Town) -> int:
        if town.population >= self.rules.large_population:
            return self.rules.large_precision
        return self.rules.town_precision

    # --- scanning ---------------------------------------------------------------------------

    def masked(self, text: str, words: frozenset[str] | None = None) -> str:
        """The text with non-places (people, armed groups' names) blanked out."""
        words = word_set(text) if words is None else words
        spans = [m.span() for m in self.rules.not_places.finditer(text, words)]
        spans += group_spans(text, words)
        return _mask(text, spans) if spans else text

    def _may_name_site(self, words: frozenset[str]) -> bool:
        """Whether any word can start a site key (a cheap test before the scan).

        The answer per word is kept: the vocabulary of news is small.
        """
        starts = self._starts_site
        for w in words:
            hit = starts.get(w)
            if hit is None:  # once per word of the vocabulary
                key = _token_key(w)
                hit = starts[w] = bool(key) and key.split()[0] in self._first
            if hit:
                return True
        return False

    def _site_runs(self, text: str) -> list[tuple[int, int, Site]]:
        tokens = list(_TOKEN.finditer(text))
        keys = [_token_key(t.group(0)) for t in tokens]
        lowered = [t.group(0).lower() for t in tokens]
        for i in range(len(tokens) - 1):
            if (lowered[i], lowered[i + 1]) in GENERIC_PAIRS:
                keys[i] = keys[i + 1] = ""
        runs: list[tuple[int, int, Site]] = []
        i = 0
        while i < len(tokens):
            first = keys[i].split()[0] if keys[i] else ""
            if first not in self._first or not (tokens[i].group(0)[0].isupper() or first.isdigit()):
                i += 1
                continue
            best: tuple[int, str] | None = None
            parts: list[str] = []
            for j in range(i, min(len(tokens), i + self._max_tokens)):
                if j > i and not _JOIN.match(text[tokens[j - 1].end() : tokens[j].start()]):
                    break
                if keys[j]:
                    parts.append(keys[j])
                site_id = self._site_keys.get(" ".join(parts))
                if site_id is not None and keys[j]:
                    best = (j, site_id)
            if best is None:
                i += 1
                continue
            j, site_id = best
            a = i
            while a > 0 and lowered[a - 1] in (ARTICLES | PREFIXES) - {"the"}:
                gap = text[tokens[a - 1].end() : tokens[a].start()]
                if not _JOIN.match(gap) or not ("-" in gap or tokens[a - 1].group(0)[0].isupper()):
                    break
                a -= 1
            start, end = tokens[a].start(), tokens[j].end()
            suffix = self.rules.site_suffix.match(text, end)
            if suffix:
                end = suffix.end()
            runs.append((start, end, self.gazetteer.get(site_id)))
            i = j + 1
        return runs

    def _different_place(self, text: str, start: int, end: int) -> str | None:
        """The longer name when a site's words are followed by more of a name ("Mosul Dam")."""
        m = re.match(r"\s+([A-Z][a-z][\w\-]*)\b", text[end:])
        if not m:
            return None
        word = m.group(1)
        if word.lower() in self.rules.stop_phrases or word in self.rules.country_names:
            return None
        if word in self.rules.demonyms:
            return None
        longer = text[start : end + m.end()]
        return None if self.gazetteer.lookup(longer) is not None else longer

    def _slot_before(self, text: str, start: int) -> bool:
        before = text[max(0, start - 70) : start]
        tail = before.rstrip(" ,;:-–—\"“”'’(")
        i = len(tail)
        while i > 0 and tail[i - 1].isalnum():
            i -= 1
        if tail[i:].lower() not in self.rules.slot_last_words:
            return False
        return self.rules.slot_before.search(before) is not None

    def _in_slot(self, text: str, start: int, end: int) -> bool:
        return self._slot_before(text, start) or bool(self.rules.slot_after.match(text[end:]))

    def _names_a_place(self, text: str, start: int, end: int, phrase: str) -> bool:
        """An unknown phrase is a place only where the text or its own words say so ("the town of
        X", "X base", "Mosul Dam", "Tal Tamr"), and never an acronym ("TBI") or a possessive
        ("Iraq's")."""
        rules = self.rules
        if phrase.isupper() or phrase.endswith(("'s", "’s")):
            return False
        before = text[max(0, start - 40) : start]
        if rules.strong_before.search(before) or rules.slot_after.match(text[end:]):
            return True
        words = [w.lower() for w in re.split(r"[\s\-‑]+", phrase) if w]
        return bool(
            (
                len(words) > 1
                and (words[-1] in rules.place_last_words or words[0] in rules.place_first_words)
            )
            or rules.arabic_article.search(phrase)
        )

    def _stop(self, phrase: str) -> bool:
        if phrase.lower() in self.rules.stop_phrases:
            return True
        *head, last = phrase.split()
        if (
            head
            and last in self.rules.country_names
            and all(w.lower().rstrip("-") in _DIRECTIONS for w in head)
        ):
            return True  # "Northeastern Syria": part of a country, named by the country pass
        words = [w.rstrip(".") for w in re.split(r"[\s\-]+", phrase)]
        if any(w.lower() in self.rules.stop_words for w in words):
            return True
        if words[0].lower() in self.rules.stop_phrases and words[0][:1].isupper():
            return all(w.lower() in self.rules.stop_phrases or w.isdigit() for w in words)
        return False

    @lru_cache(maxsize=8192)  # noqa: B019 - one finder per process; names repeat across texts
    def _phrase(self, phrase: str) -> tuple[str, Site | None, tuple[Town, ...], float]:
        """``(kind, site, towns, score)`` for a capitalised phrase in a place slot."""
        match = self.gazetteer.match(phrase)
        if match is not None:
            return "site", match[0], (), match[1]
        towns = self.towns.lookup(phrase)
        if len(towns) > 1:
            key = normalize(phrase)
            primary = tuple(t for t in towns if normalize(t.name) == key)
            towns = primary if len(primary) == 1 else tuple(towns)
        return ("town" if towns else "unknown"), None, tuple(towns), 100.0

    def find(
        self, sentence: str, masked: str | None = None, words: frozenset[str] | None = None
    ) -> list[Place]:
        """Places of one sentence, in order, each with its role.

        ``masked`` (:meth:`masked`) and ``words`` (:func:`word_set`) save work when known.
        """
        rules = self.rules
        words = word_set(sentence) if words is None else words
        text = self.masked(sentence, words) if masked is None else masked
        found: list[Place] = []
        taken: list[tuple[int, int]] = []
        runs = self._site_runs(text) if self._may_name_site(words) else []
        for start, end, site in runs:
            longer = self._different_place(text, start, end)
            if longer is not None:
                continue
            landmark = rules.landmark_after.match(text, end)
            if landmark is not None:  # "the Mosul dam": a landmark named after the town
                found.append(
                    Place(text[start : landmark.end()], start, landmark.end(), "unknown", "target")
                )
                taken.append((start, landmark.end()))
                continue
            if rules.region_suffix.match(text[end:]) and rules.region_pattern.fullmatch(
                text[start:end]
            ):
                continue  # "Erbil province" is the governorate, not the air base
            found.append(
                Place(text[start:end], start, end, "site", "target", site.country, site=site)
            )
            taken.append((start, end))
        regions = (
            rules.region_pattern.finditer(text) if not rules.region_gate.isdisjoint(words) else ()
        )
        for m in regions:
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            named = rules.region_suffix.match(text[m.end() :])
            if not named and self.towns.lookup(m.group(0)):
                continue  # "Kirkuk" alone is the city; "Kirkuk province" the governorate
            iso3, name = rules.regions[m.group(0)]
            end = m.end() + (named.end() if named else 0)
            found.append(
                Place(
                    text[m.start() : end], m.start(), end, "region", "container", iso3, admin1=name
                )
            )
            taken.append((m.start(), end))
        for m in _CAP_PHRASE.finditer(text):
            start, end = m.span()
            lead = _LEADING.match(m.group(0))
            if lead:
                start += lead.end()
            phrase = text[start:end].rstrip("-")
            end = start + len(phrase)
            if len(phrase) < 3 or any(a < end and start < b for a, b in taken):
                continue
            if phrase.lower() in _DETERMINERS:
                continue  # "The outpost": a determiner before a common noun names no place
            if not self._in_slot(text, start, end) and not _listed(text, start, taken):
                continue
            if phrase in rules.country_names or phrase in rules.demonyms or self._stop(phrase):
                continue
            kind, site, towns, score = self._phrase(phrase)
            tail = _KIND_TAIL.match(text, end) if kind != "site" else None
            if tail and (longer := self._phrase(text[start : tail.end()]))[0] == "site":
                (kind, site, towns, score), end = longer, tail.end()
            ambiguous_word = kind == "town" and normalize(phrase) in rules.ambiguous_words
            if ambiguous_word and not self._slot_before(text, start):
                continue  # "Hit" is a town only after "the town of", "near"...
            suffix = rules.site_suffix.match(text, end)
            if kind == "site" and site is not None:
                end = suffix.end() if suffix else end
                found.append(
                    Place(
                        text[start:end],
                        start,
                        end,
                        "site",
                        "target",
                        site.country,
                        site,
                        score=score,
                    )
                )
            elif kind == "town" and len(towns) == 1:
                found.append(
                    Place(phrase, start, end, "town", "target", towns[0].country, town=towns[0])
                )
            elif kind == "town":
                countries = {t.country for t in towns}
                country = countries.pop() if len(countries) == 1 else None
                found.append(Place(phrase, start, end, "town", "target", country, candidates=towns))
            else:
                if not self._names_a_place(text, start, end, phrase):
                    continue
                end = suffix.end() if suffix else end
                found.append(Place(text[start:end], start, end, "unknown", "target"))
            taken.append((start, end))
        countries = (
            rules.country_pattern.finditer(text) if not rules.country_gate.isdisjoint(words) else ()
        )
        for m in countries:
            if not any(a < m.end() and m.start() < b for a, b in taken):
                iso3 = rules.country_names[m.group(0)]
                found.append(Place(m.group(0), m.start(), m.end(), "country", "container", iso3))
        found.sort(key=lambda p: p.start)
        if all(p.kind in ("country", "region") for p in found):
            return found
        return self._roles(text, found)

    def _roles(self, text: str, places: list[Place]) -> list[Place]:
        rules = self.rules
        # a description follows a place it describes ("X, a small outpost near Y"); a leading
        # "On November 4, a base near Y was attacked" describes nothing
        first_end = min((p.end for p in places), default=len(text))
        described = [m.start() for m in rules.descriptive.finditer(text) if m.start() >= first_end]
        out: list[Place] = []
        previous: Place | None = None
        target: Place | None = None  # the last place taken as a target (or a launch point)
        for place in places:
            role = place.role
            before = text[: place.start]
            if place.kind not in ("country", "region"):
                if any(
                    d < place.start and not _clause_closed(text, d, place.start) for d in described
                ):
                    role = "descriptive"
                elif rules.origin_before.search(before[-100:]):
                    role = "origin"
                elif (
                    previous is not None
                    and previous.kind not in ("country", "region")
                    and rules.container_link.match(text[previous.end : place.start])
                ) or (target is not None and self._reference_point(text[target.end : place.start])):
                    role = "container"
            out.append(place if role == place.role else replace(place, role=role))
            previous = place if place.kind != "country" else previous  # "X in Syria's Y": X
            if role in ("target", "origin") and place.kind not in ("country", "region"):
                target = place  # a later "north-west of X" is a reference point to it
        return out

    def _reference_point(self, between: str) -> bool:
        """Whether the words between a target and a later place make the later one a reference
        point ("... northeast of Erbil") rather than another target ("... and Erbil")."""
        rules = self.rules
        return bool(rules.relation_between.match(between)) and not rules.relation_list.search(
            between
        )

    def unnamed_targets(self, sentence: str, masked: str | None = None) -> list[Unnamed]:
        """Targets the sentence does not name ("a military base in Iraq")."""
        text = self.masked(sentence) if masked is None else masked
        out = []
        for m in self.rules.unnamed.finditer(text):
            where = m.group("country")
            iso3, admin1 = None, None
            for name in (where, where.split()[0]):
                if name in self.rules.country_names:
                    iso3 = self.rules.country_names[name]
                elif name in self.rules.regions:
                    iso3, admin1 = self.rules.regions[name]
                if iso3:
                    end = m.start("country") + len(name)
                    break
            if iso3 is None:
                continue
            q = (m.group("q") or "").lower()
            noun = m.group("noun").lower()
            singular = q in ("a", "an", "one", "the") or (not q and not noun.endswith("s"))
            count = _COUNTS.get(q, 1)
            if not m.group("q") and noun.endswith("s") and noun.rstrip("s").endswith(_OUR_SITES):
                continue  # "attacks on US bases in Iraq": bases in general, not a target
            out.append(Unnamed(text[m.start() : end], m.start(), iso3, singular, admin1, count))
        return out

    def countries(self, sentence: str, masked: str | None = None) -> list[str]:
        """ISO3 codes of countries named (not demonyms) in the sentence, in order, unique."""
        text = self.masked(sentence) if masked is None else masked
        seen: list[str] = []
        home = [m.span() for m in self.rules.actor_home.finditer(text)] if "in" in text else []
        for m in self.rules.country_pattern.finditer(text):
            if any(a <= m.start() < b for a, b in home):
                continue  # "militia groups in Iraq and Syria": the attackers' home
            iso3 = self.rules.country_names[m.group(0)]
            if iso3 not in seen:
                seen.append(iso3)
        return seen

    def says_nearby(self, sentence: str) -> bool:
        """True when a US strike is placed "in the area" of something already named."""
        return bool(self.rules.near_linked.search(sentence))
