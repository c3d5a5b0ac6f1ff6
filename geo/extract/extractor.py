"""From articles to incidents: sentences -> event clusters -> drafts -> merged incidents.

1. Each sentence is read once, lazily (:mod:`geo.extract.sentence`); relative days are read
   against the day a dated dateline gives, else against publication.
2. :class:`geo.extract.clusters.ClusterReader` groups sentences into events.
3. Each event becomes one draft per target place (:meth:`Extractor._drafts_at`): a site of the
   gazetteer (its point), a town (its centre, precision 2-3), an unknown place the text puts near
   a base (that base, precision 2), an unknown or ambiguous place (unlocated, with the country the
   text states), an unnamed target ("two bases in Iraq") or, for a US strike "in the area" of the
   attack it answers, that attack's site (precision 2); one draft per attack when the text reports
   several at once at a place it does not name, or each on its own day.  Places in clauses of their
   own take that clause's weapons and day.  A casualty figure shared by several places becomes an
   upper bound for each; "no casualties" in a sentence summing up a day's attacks covers each.
   Dates without an own expression fall back to the narrative date, then to the two days before
   publication.
4. Drafts are merged within the article, then across articles (:mod:`geo.extract.merge`), and
   validated into :class:`geo.model.Incident` records; US strikes are linked to the attacks the
   text says they answer.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date

from geo.articles import Article
from geo.extract import actors
from geo.extract.assemble import (
    RawLink,
    date_note,
    drop_headlines,
    filed_day,
    finish,
    fold_counted,
    is_confirmed,
    merge_until_stable,
    rules_of,
    share_every,
    share_none,
    shared,
    split_figures,
    status_of,
    unique,
)
from geo.extract.clusters import COUNTRY_NAMES, Cluster, ClusterReader
from geo.extract.dates import DateWindow, undated_window
from geo.extract.draft import Draft
from geo.extract.places import NOT_BASES, Place, PlaceFinder
from geo.extract.result import Extraction, Rejected
from geo.extract.sentence import SentenceFacts, read_sentence
from geo.extract.text import quote_spans, split_sentences
from geo.extract.towns import Town, TownGazetteer
from geo.extract.where import Where, by_place, unnamed_where
from geo.gazetteer import Gazetteer, Site
from geo.model import Source


@dataclass
class ArticleDrafts:
    """What one article yields before merging across articles."""

    drafts: list[Draft]
    links: list[RawLink]
    rejected: list[Rejected]


class Extractor:
    """Extracts incidents from articles with one gazetteer and one town list."""

    def __init__(
        self, gazetteer: Gazetteer | None = None, towns: TownGazetteer | None = None
    ) -> None:
        self.gazetteer = gazetteer or Gazetteer.load()
        self.places = PlaceFinder(self.gazetteer, towns)
        self._uid = itertools.count(1)

    # --- public API ---------------------------------------------------------------------------

    def extract(self, articles: Iterable[Article]) -> Extraction:
        """Incidents of all ``articles``, merged across them, with links and provenance."""
        drafts: list[Draft] = []
        links: list[RawLink] = []
        rejected: list[Rejected] = []
        for article in articles:
            result = self.article_drafts(article)
            drafts += result.drafts
            links += result.links
            rejected += result.rejected
        return finish(merge_until_stable(drafts, within_article=False), links, rejected)

    def read(self, article: Article) -> list[SentenceFacts]:
        """The (lazily read) facts of every sentence of an article; relative days ("today",
        "Saturday") are read against the day its dateline gives, else against publication."""
        quoted = quote_spans(article.text)
        sentences = split_sentences(article.text)
        day = filed_day(sentences, article.published)
        facts = [read_sentence(s, day, self.places, quoted) for s in sentences]
        for before, f in itertools.pairwise(facts):
            if f.sentence.fragment:
                f.before = before
        return facts

    def article_drafts(self, article: Article) -> ArticleDrafts:
        """Drafts of one article, merged within it."""
        facts = self.read(article)
        reader = ClusterReader(article.id)
        clusters = reader.read(facts)
        context: list[list[str]] = []

        def countries() -> list[str]:
            """In-scope countries the article names, the most named first (then in order; read
            only when needed)."""
            if not context:
                found = [x for f in facts for x in f.countries if x in COUNTRY_NAMES]
                order = list(dict.fromkeys(found))
                context.append(sorted(order, key=lambda x: (-found.count(x), order.index(x))))
            return context[0]

        drafts: list[Draft] = []
        links: list[RawLink] = []
        for cluster in (c for c in clusters if c.real):
            wheres, reason = self._places_of(cluster, countries, drafts)
            own = sum(not w.separate for w in wheres)
            made = [d for w in wheres for d in self._drafts_at(article, cluster, w, own)]
            if not made:
                quote = cluster.anchor.text
                reader.rejected.append(Rejected(article.id, cluster.anchor.index, quote, reason))
            for strike in made if cluster.kind == "us_strike" else ():
                attacks, scope = self._answered(cluster, drafts)
                links += [(strike.uid, a.uid, scope, cluster.response_quote or "") for a in attacks]
                if cluster.date is None and attacks:  # undated: after what it answers
                    start = min(a.window.start for a in attacks)
                    strike.window = DateWindow.span(
                        min(start, strike.window.start), article.published
                    )
                    strike.note("Undated: between the attack it answers and publication.")
            drafts += made
        share_none(clusters, drafts)
        share_every(clusters, drafts)
        drafts = fold_counted(drop_headlines(drafts, facts))
        merged = merge_until_stable(drafts, within_article=True)
        return ArticleDrafts(merged, links, reader.rejected)

    # --- places -------------------------------------------------------------------------------

    def _places_of(
        self, c: Cluster, countries: Callable[[], list[str]], earlier: list[Draft]
    ) -> tuple[list[Where], str]:
        """Where a cluster's incidents are (one per place), or ``[]`` and why there is none."""
        places = _not_containers(c, unique(c.targets))
        own = by_place(c, places)
        wheres = [
            replace(self._where(c, p, countries), weapons=own[p.key][0], day=own[p.key][1])
            if p.key in own
            else self._where(c, p, countries)
            for p in places
        ]
        if not wheres and c.kind == "attack" and c.anchor.events.tally:
            return [], "attacks counted or followed over time, none placed: a tally"
        if not wheres and c.unnamed:
            for u in {u.country: u for u in reversed(c.unnamed)}.values():
                if u.country in COUNTRY_NAMES:  # ("a naval facility in Israel": not the atlas')
                    wheres.append(unnamed_where(u, singular=u.singular, count=u.count))
            if not wheres:
                return [], "only targets outside Iraq, Syria and Jordan"
        have = {w.country for w in wheres}
        for u in c.unnamed if wheres and c.kind == "attack" and c.times < 2 else ():
            if (
                u.count > 1 and u.country in COUNTRY_NAMES and u.country not in have
            ):  # "X in Iraq and three
                have.add(u.country)  # sites in Syria": the sites too, one attack each
                wheres.append(unnamed_where(u, copies=u.count))
        if not wheres and c.kind == "us_strike" and c.nearby:
            near = self._near_answered(c, earlier)
            wheres += [near] if near else []
        if not wheres:
            held = {x for m in c.members for x in m.held_countries}
            ours = [x for x in c.countries if x not in held]
            for country in ours or ([] if c.countries else countries()[:1]):
                wheres.append(
                    Where(
                        f"{COUNTRY_NAMES[country]} (not named)",
                        country,
                        6,
                        country_only=True,
                        reason="the text names no place, only the country"
                        if c.countries
                        else "the text names no place; the country is the article's",
                    )
                )
        for name in c.also_in if wheres else ():
            iso3 = next(k for k, v in COUNTRY_NAMES.items() if v == name)
            wheres.append(
                Where(
                    f"{name} (not named)",
                    iso3,
                    6,
                    country_only=True,
                    reason="the text adds another attack in the country, naming no place",
                    separate=True,
                )
            )
        placed = [w for w in wheres if w.country in COUNTRY_NAMES]
        if placed:
            return placed, ""
        if any(w.country is not None for w in wheres):
            return [], "only places outside Iraq, Syria and Jordan"
        unknown = "; ".join(w.reason or w.location for w in wheres)
        return [], f"no country stated ({unknown})" if unknown else "no place or country stated"

    def _where(self, c: Cluster, place: Place, countries: Callable[[], list[str]]) -> Where:
        """Where one named place is (see the module docstring)."""
        if place.site is not None and not place.site.located:
            town = self._town_of_site(c, place.site)
            if town is not None:
                return self._site_in_town(place, place.site, town)
        if place.site is not None:
            site = place.site
            fuzzy = place.score < 100
            return Where(
                place.text,
                site.country,
                self.places.site_precision(site),
                admin1=site.admin1,
                site_id=site.id,
                longitude=site.longitude,
                latitude=site.latitude,
                place_key=site.id,
                reason=None if site.located else f"site {site.name} has no verified coordinate",
                note=f"'{place.text}' read as {site.name} (gazetteer fuzzy match "
                f"{place.score:.0f})."
                if fuzzy
                else None,
            )
        f = next((m for m in c.members if place in m.places), c.anchor)
        container = next(
            (
                p
                for p in f.places
                if p.start >= place.end
                and p.role == "container"
                and p.kind in ("country", "region")
            ),
            None,
        )
        stated = [x for x in ((container.country if container else None), *c.countries) if x]
        listed = _listed_in(f, place)
        if place.town is not None and listed not in (None, place.town.country):
            return Where(  # "three bases in Syria, including ... the Rukban camp": not Jordan's
                place.text,
                listed,
                6,
                place_key=place.key,
                reason=f"the town list's {place.town.name} is in {place.town.country}; the "
                f"text lists '{place.text}' among targets in {COUNTRY_NAMES.get(listed or '')}",
            )
        if place.town is not None:
            return self._town(place, place.town, "")
        near = next(
            (
                p
                for p in f.places
                if p.start >= place.end
                and p.role == "container"
                and p.site is not None
                and p.site.kind not in NOT_BASES
            ),
            None,
        )
        if (
            near is not None
            and near.site is not None
            and near.site.located
            and not place.candidates
        ):
            return self._near_site(place, near.site)
        candidates = [t for t in place.candidates if t.country in stated] or place.candidates
        if len(candidates) == 1:  # "Sinjar in Iraq": the Iraqi one
            return self._town(place, candidates[0], " (the one in the country the text names)")
        country = place.country or next(iter(stated), None)
        if country is None and not self._abroad(f.text, place):  # ("Israeli targets ... in Haifa")
            country = next(iter(countries()), None)
        admin1 = container.admin1 if container is not None else None
        if candidates:
            names = ", ".join(f"{t.name} ({t.admin1})" for t in candidates)
            reason = f"'{place.text}' can be {len(candidates)} towns ({names}): not guessed"
            admin1 = admin1 or shared({t.admin1 for t in candidates})
        else:
            reason = f"'{place.text}' is not in the site gazetteer or the town list"
        return Where(
            place.text,
            country,
            4 if admin1 else 6,
            admin1=admin1,
            place_key=place.key,
            reason=reason,
        )

    def _abroad(self, text: str, place: Place) -> bool:
        """Another country than the atlas' (by name or demonym; the US aside) is named near an
        unknown place ("Israeli targets, including a site in the city of Haifa"): the place is
        not put in the article's country.  A compound ("Iran-backed", "Israel-Hamas") names
        no place."""
        rules = self.places.rules
        near = (max(0, place.start - 90), place.end + 40)
        for pattern, names in (
            (rules.country_pattern, rules.country_names),
            (rules.demonym_pattern, rules.demonyms),
        ):
            for m in pattern.finditer(text, *near):
                foreign = names[m.group(0)] not in rules.in_scope and names[m.group(0)] != "USA"
                if foreign and text[m.end() : m.end() + 1] not in ("-", "–"):
                    return True
        return False

    def _town_of_site(self, c: Cluster, site: Site) -> Town | None:
        """A town the cluster's sentences name that holds ``site`` (same country, and the site's
        province when it has one; a province named as its capital, "Baghdad", counts): where a
        site with no verified coordinate is."""
        for f in c.members:
            for p in f.places:
                t = p.town
                if (
                    t is not None
                    and t.country == site.country
                    and site.admin1
                    in (
                        None,
                        t.admin1,
                        t.name,
                    )
                ):
                    return t
        if site.admin1 is None:
            return None
        said = re.compile(rf"\b{re.escape(site.admin1)}\b")
        if not any(said.search(f.text) for f in c.members):
            return None
        capital = [
            t
            for t in self.places.towns.lookup(site.admin1)
            if t.country == site.country and t.admin1 == site.admin1
        ]
        return capital[0] if len(capital) == 1 else None

    def _site_in_town(self, place: Place, site: Site, town: Town) -> Where:
        """A known site with no verified coordinate, in a town the text names ("Union III in
        Baghdad"): the site, pinned at the town's centre at the town's precision."""
        where = self._town(place, town, "")
        note = (
            f"{site.name} has no verified coordinate; the text puts it in {town.name}: pinned at "
            f"the centre of the town (GeoNames {town.geonameid}), precision {where.geo_precision}."
        )
        return replace(where, site_id=site.id, place_key=site.id, note=note)

    def _near_site(self, place: Place, site: Site) -> Where:
        """An unknown place the text puts near a known site ("the US Victoria base near Baghdad
        International Airport"): at that site, precision 2."""
        return Where(
            place.text,
            site.country,
            2,
            admin1=site.admin1,
            longitude=site.longitude,
            latitude=site.latitude,
            place_key=site.id,
            note=f"'{place.text}' is not a known site; the text places it near {site.name}: "
            "pinned there (precision 2).",
        )

    def _town(self, place: Place, town: Town, how: str) -> Where:
        precision = self.places.town_precision(town)
        return Where(
            place.text,
            town.country,
            precision,
            admin1=town.admin1,
            longitude=town.longitude,
            latitude=town.latitude,
            place_key=f"geonames:{town.geonameid}",
            note=f"'{place.text}' is not a known site: pinned at the centre of the town "
            f"{town.name}{how} ({town.admin1 or town.country}, GeoNames {town.geonameid}), "
            f"precision {precision}.",
        )

    def _near_answered(self, c: Cluster, earlier: list[Draft]) -> Where | None:
        """A US strike "in the area" of the attack it answers: that attack's site, precision 2."""
        attacks, _ = self._answered(c, earlier)
        near = next((d for d in attacks if d.site_id and d.located), None)
        if near is None or near.site_id is None:
            return None
        site = self.gazetteer.get(near.site_id)
        return Where(
            f"near {site.name} (the area of the attack it answers)",
            site.country,
            2,
            admin1=site.admin1,
            longitude=site.longitude,
            latitude=site.latitude,
            note=f"Placed 'in the area' of the attack on {site.name} it answers "
            "(precision 2, no site of its own).",
        )

    def _answered(self, c: Cluster, earlier: list[Draft]) -> tuple[list[Draft], str]:
        """The attack drafts a US strike answers and the link's scope.

        "These escalating attacks" answers every attack reported before it (``general``); "the
        missile strike" / "In response," the latest one, or the one at the site it names
        (``specific``).
        """
        if c.response is None:
            return [], ""
        attacks = [
            d for d in earlier if d.event_type == "attack" and d.anchor_index < c.anchor.index
        ]
        if not attacks:
            return [], ""
        if c.response.plural:
            return attacks, "general"
        named = {p.key for p in self.places.find(c.response.text) if p.site is not None}
        hits = [d for d in attacks if d.place_key in named]
        if hits:
            return hits, "specific"
        last = max(d.anchor_index for d in attacks)
        return [d for d in attacks if d.anchor_index == last], "specific"

    # --- drafts -------------------------------------------------------------------------------

    def _drafts_at(self, article: Article, c: Cluster, where: Where, n_places: int) -> list[Draft]:
        """The drafts of a cluster at one place: one, or one per attack when the text reports
        several at once ("two separate drone attacks in Iraq") at a place it does not name, or
        each on its own day.  The copies are never merged with each other (each may still be one
        the text names later); the location says which of how many each is."""
        n = max(c.times, where.copies)
        if n < 2 or not (c.each_date or where.place_key is None):
            return [self._draft(article, c, where, n_places)]
        out = []
        for i in range(n):
            label = f"{where.location} (attack {i + 1} of {n})"
            d = self._draft(article, c, replace(where, location=label), n_places * n)
            if c.each_date:
                d.window = c.each_date[i].window
            d.copy_group = c.anchor.index
            out.append(d)
        return out

    def _draft(self, article: Article, c: Cluster, where: Where, n_places: int) -> Draft:
        """One draft of a cluster at one place."""
        published = article.published
        assert where.country is not None
        d = Draft(
            uid=next(self._uid),
            article=article.id,
            published=published,
            event_type=c.kind,
            window=c.date.window if c.date is not None else undated_window(published),
            location=where.location,
            country=where.country,
            geo_precision=where.geo_precision,
            site_id=where.site_id,
            admin1=where.admin1,
            longitude=where.longitude,
            latitude=where.latitude,
            place_key=where.place_key,
            unnamed_singular=where.singular,
            unnamed_count=where.count if where.place_key is None and not where.country_only else 0,
            country_only=where.country_only,
            separate=c.separate or where.separate,
            anchor_index=c.anchor.index,
            undated=c.date is None,
            weapons=set(c.weapons),
            outcome=set(c.outcome),
            damage=list(c.damage),
            unlocated_reason=where.reason,
        )
        if where.weapons is not None:  # (none named in its clause: unknown)
            d.weapons = set(where.weapons)
            d.note("Weapons: the ones the sentence names for this place.")
        if where.day is not None:
            d.window = where.day.window
            d.note(f"Date: '{where.day.text}', the day the sentence gives for this place.")
        if c.kind == "attack":
            d.killed, d.injured = c.killed, c.injured
            d.claimed_by, d.attributed_to = c.claimant, c.attribution
            d.status = status_of(c.disputed, is_confirmed(c, where), bool(c.claimant))
            if where.separate:  # another attack: only "nobody hurt" is shared
                d.weapons = set()
                d.killed = c.killed if c.killed == (0, 0) else None
                d.injured = c.injured if c.injured == (0, 0) else None
        else:
            d.claimed_by = c.us_claimant or actors.default_us_claimant()
            d.status = status_of(c.disputed, is_confirmed(c, where), False)
        if n_places > 1 and split_figures(d):
            d.note(
                f"One casualty figure covers {n_places} places without saying which had how "
                "many: it is an upper bound for each."
            )
        quotes = [m.text for m in c.members]
        if c.date_quote and c.date_quote not in quotes:
            quotes.append(c.date_quote)
        d.sources = [Source(article=article.id, published=published, quote=q) for q in quotes]
        for field_name, cited in c.evidence.items():
            for q in cited:
                d.cite(field_name, q)
        d.rules.update(c.rules)
        d.rules.update(rules_of(c, where))
        if c.date_quote:
            d.cite("date", c.date_quote)
        d.note(date_note(c, published))
        d.note(where.note or "")
        militia = c.kind == "attack" and (
            bool(c.claimant or c.attribution) or any(_GROUP.search(m.text) for m in c.members)
        )
        if c.untyped_missile and not d.weapons and militia:
            d.weapons = {"rocket"}  # a group's "missiles" with no type: the key's convention
            d.note("A group's missile named without its type, no other weapon: read as rockets.")
            d.rules["weapons"] = "an armed group's untyped 'missile', no other weapon: rocket"
        elif c.untyped_missile and not (d.weapons & {"ballistic_missile", "cruise_missile"}):
            d.note("A missile is named without its type (ballistic or cruise): not recorded.")
        for note in c.notes:
            d.note(note)
        return d


def _not_containers(c: Cluster, places: list[Place]) -> list[Place]:
    """Without a town a sentence names as what holds a site right before it ("the Conoco field
    in the province of Deir ez-Zor", same province): where the site is, not a target."""
    held = set()
    for m in c.members:
        sites = [(p.end, p.site) for p in m.places if p.site is not None]
        towns = [(p.start, p.key, p.town) for p in m.places if p.town is not None]
        for start, key, town in towns:
            for end, site in sites:
                same = (site.country, site.admin1) == (town.country, town.admin1)
                if same and end <= start and _HOLDS.match(m.text[end:start]):
                    held.add(key)
    return [p for p in places if p.site is not None or p.key not in held]


#: between a site and the town that holds it ("... gas field in the ", "... base near ")
_HOLDS = re.compile(r"^[\w\s\-’']{0,25}?\b(?:in|near|outside|of)\s+(?:the\s+)?$")


#: a list of the places a counted target stands for ("three bases in Syria, including X, Y")
_INCLUDING = re.compile(r"^[^.;]{0,20}?(?:\bincluding\b|\bnamely\b|\bamong\s+them\b|:)")


def _listed_in(f: SentenceFacts, place: Place) -> str | None:
    """The country of the counted unnamed target whose list names ``place``, if any."""
    for u in f.unnamed:
        end = u.start + len(u.text)
        if u.count > 1 and end <= place.start and _INCLUDING.search(f.text[end : place.start]):
            return u.country
    return None


#: an armed group as the actor ("the group fired", "Iran-backed militias launched")
_GROUP = re.compile(r"\b(?:groups?|militias?|militants|factions?|proxies|resistance)\b", re.I)

_DEFAULT: list[Extractor] = []


def default_extractor() -> Extractor:
    """One extractor per process (the gazetteer and town list are loaded once)."""
    if not _DEFAULT:
        _DEFAULT.append(Extractor())
    return _DEFAULT[0]


def extract_articles(articles: Iterable[Article], extractor: Extractor | None = None) -> Extraction:
    """Extract from ``articles`` (the shared :func:`default_extractor` when none is given)."""
    return (extractor or default_extractor()).extract(articles)


def extract_text(
    text: str, published: date, article_id: str = "text", extractor: Extractor | None = None
) -> Extraction:
    """Extract from one text published on ``published``."""
    return extract_articles([Article(article_id, published, text)], extractor)
