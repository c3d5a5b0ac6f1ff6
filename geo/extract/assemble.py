"""From an article's clusters and drafts to an :class:`Extraction`: the day a report was filed,
headlines, shared figures, the rule behind each field, merging and the finished incidents."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

from geo.extract.clusters import Cluster
from geo.extract.dates import DateWindow, stated_day, undated_window
from geo.extract.draft import Draft
from geo.extract.merge import can_merge, combine, merge_drafts
from geo.extract.places import Place
from geo.extract.result import Extraction, Link, Rejected, Unlocated
from geo.extract.sentence import SentenceFacts
from geo.extract.text import Sentence, dateline_end
from geo.extract.where import Where
from geo.model import Incident

#: the longest first line read as a headline
HEADLINE_CHARS = 160
#: strike uid, attack uid, scope (specific | general), the sentence that says so
RawLink = tuple[int, int, str, str]


#: how many days before publication a dateline's date may be (a report filed, then posted)
FILED_DAYS = 3


def filed_day(sentences: list[Sentence], published: date) -> date:
    """The day the report was filed: the full date of its first dateline ("WASHINGTON, 13th
    December, 2025 (WAM) --") when it is a few days before publication, else publication."""
    for s in sentences[:6]:
        end = dateline_end(s.text)
        stated = stated_day(s.text[:end]) if end else None
        if stated is not None:
            day = stated[0]
            return day if published - timedelta(days=FILED_DAYS) <= day <= published else published
    return published


#: "from either incident", "in both attacks": a figure said of every attack the article tells
_EVERY = re.compile(r"\b(?:either|both|each|all)\s+(?:of\s+the\s+)?(?:incidents?|attacks?)\b", re.I)


def share_every(clusters: list[Cluster], drafts: list[Draft]) -> None:
    """'No casualties ... from either incident': none for each attack with no figure of its own."""
    said = [m for c in clusters if c.kind == "attack" for m in c.members if m.casualties]
    for m in (m for m in said if _EVERY.search(m.text)):
        for kind in ("killed", "injured"):
            if getattr(m.casualties, kind) != (0, 0):
                continue
            for d in drafts:
                told = d.anchor_index <= m.index  # (of those told so far)
                if d.event_type == "attack" and getattr(d, kind) is None and told:
                    setattr(d, kind, (0, 0))
                    d.note(f"No {kind}: the text says so of every attack it tells.")
                    d.cite(kind, m.text)


def share_none(clusters: list[Cluster], drafts: list[Draft]) -> None:
    """A sentence summing up several attacks of a day with "no casualties" ("attacked four times
    on Nov. 23, but there were no casualties") says so of each attack the article tells of that
    day: the others with no figure of their own get "none"."""
    for c in clusters:
        if c.kind != "attack" or c.covers < 2 or c.times > 1:
            continue  # (a count made into incidents of its own is about those only)
        if c.date is None or c.date.window.width > 2:
            continue
        for kind in ("killed", "injured"):
            if getattr(c, kind) != (0, 0):
                continue
            for d in drafts:
                if (
                    d.event_type == "attack"
                    and getattr(d, kind) is None
                    and c.date.window.contains(d.window)
                ):
                    setattr(d, kind, (0, 0))
                    d.note(f"No {kind}: the sentence summing up that day's attacks says so.")
                    d.cite(kind, c.anchor.text)


def is_headline(facts: list[SentenceFacts]) -> bool:
    """Whether the article opens with a headline: a short first line with no closing full stop,
    followed by more text."""
    if len(facts) < 2:
        return False
    first = facts[0].sentence
    return (
        facts[1].sentence.paragraph != first.paragraph
        and len(first.text) <= HEADLINE_CHARS
        and not first.text.rstrip().endswith((".", "!", "?", '"', "”"))
    )


def drop_headlines(drafts: list[Draft], facts: list[SentenceFacts]) -> list[Draft]:
    """A headline sums up what the body reports: an incident the headline opens is dropped when
    the body reports one of that kind (it would count the lead twice, or pull the body's
    incidents to the headline's wording of the place) -- unless it is the same attack as one the
    body tells without naming its place ("Militias hit Ain al-Asad base" over "a major base in
    Iraq came under attack"): then it is kept, to be merged with it and name it."""
    if not is_headline(facts):
        return drafts
    headline_only = [d for d in drafts if d.anchor_index == 0]
    rest = [d for d in drafts if d not in headline_only]
    body = {d.event_type for d in rest}

    def names_one(h: Draft) -> bool:
        return h.place_key is not None and any(
            d.place_key is None and can_merge(d, h, within_article=True) for d in rest
        )

    return [d for d in drafts if d in rest or d.event_type not in body or names_one(d)]


def fold_counted(drafts: list[Draft]) -> list[Draft]:
    """One article's "two bases in Syria" and the bases of Syria it names ("Al-Tanf and
    Al-Shaddadi"): the counted mention is those attacks told together, folded into each of them
    (its weapons, day and sources) when it counts at least that many, and into none when it counts
    fewer.  Its copies (one per attack counted) go: the located ones are the attacks it counts."""
    out = list(drafts)
    done: set[int] = set()
    for d in drafts:
        if d.unnamed_count < 2 or d.separate or d.event_type != "attack" or d not in out:
            continue
        if d.copy_group is not None and d.copy_group in done:
            continue
        # (a claim said on one day and the bases it names dated "today" by a text posted the next
        # day: a day either way is still the same story)
        day = timedelta(days=1)
        wide = DateWindow.span(d.window.start - day, d.window.end + day)
        named = [
            n
            for n in out
            if n.place_key is not None and n.country == d.country and n is not d
            if can_merge(n, replace(d, place_key=n.place_key, copy_group=None, window=wide), True)
        ]
        if not named:
            continue
        copies = [x for x in out if d.copy_group is not None and x.copy_group == d.copy_group]
        for n in named if len(named) <= d.unnamed_count else ():
            told = d.window if d.window.overlaps(n.window) else n.window
            combine(
                n, replace(d, sources=list(d.sources), weapons=set(d.weapons), window=told), True
            )
            n.copy_group = None  # (the copies' group is not the named attack's)
            n.note(f"'{d.location}' counts the places the article names: told together.")
        for n in named if len(named) > d.unnamed_count else ():
            n.note(f"'{d.location}' counts fewer places than the article names: among them.")
        for x in copies or [d]:
            out.remove(x)
        if d.copy_group is not None:
            done.add(d.copy_group)
    return out


_DATE_ORIGIN = {
    "own": "in the sentence itself",
    "vague": "an undated recent event: the week before publication",
    "narrative": "from an earlier sentence dating this series",
    "continuation": "from a later sentence about the same event",
    "default": "",
}


def rules_of(c: Cluster, where: Where) -> dict[str, str]:
    """Which rule read each field of a draft, in words (the review page shows them)."""
    rules = {
        "event_type": "an attack cue with US/coalition forces or a base as the target"
        if c.kind == "attack"
        else "a US strike cue with the US as the actor",
        "weapons": "the weapon vocabulary (rules/weapons.toml)",
    }
    if where.weapons is not None:
        rules["weapons"] += ", in the clause naming this place"
    if where.day is not None:
        rules["date"] = (
            f"date rule '{where.day.rule}' on '{where.day.text}', in this place's clause"
        )
    elif c.date is None:
        rules["date"] = "no date in the text: the two days before publication"
    else:
        origin = _DATE_ORIGIN[c.date_origin]
        rules["date"] = f"date rule '{c.date.rule}' on '{c.date.text}'" + (
            f", {origin}" if origin else ""
        )
    if where.site_id:
        rules["location"] = "a site of the gazetteer" + (
            " (fuzzy match)" if where.note and "fuzzy" in where.note else ""
        )
    elif where.longitude is not None:
        rules["location"] = "a town of the GeoNames list (its centre)"
    elif where.country_only:
        rules["location"] = "no place named: the country only"
    else:
        rules["location"] = f"not placed: {where.reason or where.location}"
    if c.claimant:
        rules["claimed_by"] = "a claim phrase naming a group"
    if c.attribution:
        rules["attributed_to"] = "an attribution phrase ('Iran-backed', 'blamed on')"
    rules["status"] = (
        "denied in the text"
        if c.disputed
        else "an official US source confirms it"
        if is_confirmed(c, where)
        else "a claim only"
        if c.claimant
        else "reported, not confirmed"
    )
    return rules


def is_confirmed(c: Cluster, where: Where) -> bool:
    return c.confirmed or (where.place_key is not None and where.place_key in c.confirmed_at)


def status_of(disputed: bool, confirmed: bool, claimed: bool) -> str:
    if disputed:
        return "disputed"
    if confirmed:
        return "confirmed"
    return "claimed" if claimed else "reported"


def split_figures(d: Draft) -> bool:
    """Turn a figure shared by several places into an upper bound; ``True`` if one changed."""
    changed = False
    for kind in ("killed", "injured"):
        count = getattr(d, kind)
        if count is not None and count[1] != 0:
            setattr(d, kind, (None, count[1]))
            changed = True
    return changed


def shared(values: set[str | None]) -> str | None:
    return next(iter(values)) if len(values) == 1 else None


def unique(places: list[Place]) -> list[Place]:
    """The places with the first mention of each kept, in order."""
    first: dict[str, Place] = {}
    for p in places:
        first.setdefault(p.key, p)
    return list(first.values())


def date_note(c: Cluster, published: date) -> str:
    if c.date is None:
        window = undated_window(published)
        return (
            f"No date given: the two days before publication on {published.isoformat()} ({window})."
        )
    how = {
        "own": "",
        "vague": " (an undated recent event: the week before publication)",
        "narrative": " (from an earlier sentence dating this series)",
        "continuation": " (from a later sentence about the same event)",
        "default": "",
    }[c.date_origin]
    return f"Date: {c.date.explain(published)}{how}."


def merge_until_stable(drafts: list[Draft], within_article: bool) -> list[Draft]:
    while True:
        merged = merge_drafts(drafts, within_article)
        if len(merged) == len(drafts):
            return merged
        drafts = merged


def finish(drafts: list[Draft], raw_links: list[RawLink], rejected: list[Rejected]) -> Extraction:
    """Incidents, id-level links, evidence and the unlocated list from merged drafts."""
    by_id: dict[str, tuple[Draft, Incident]] = {}
    for d in drafts:
        inc = d.to_incident()
        if inc.id in by_id:  # same type, window and place: one incident whatever the weapons
            kept = by_id[inc.id][0]
            kept.note("Reports with different weapons at the same place and time: kept as one.")
            combine(kept, d, kept.articles == d.articles)
            by_id[inc.id] = (kept, kept.to_incident())
        else:
            by_id[inc.id] = (d, inc)
    out = Extraction(rejected=rejected)
    owner: dict[int, str] = {}
    for d, inc in by_id.values():
        out.incidents.append(inc)
        out.evidence[inc.id] = {k: list(v) for k, v in d.evidence.items()}
        out.rules[inc.id] = dict(d.rules)
        owner.update(dict.fromkeys(d.members, inc.id))
        if not inc.located:
            reason = d.unlocated_reason or "no coordinate"
            out.unlocated.append(
                Unlocated(inc.id, inc.location, inc.country, inc.geo_precision, reason)
            )
    seen: set[tuple[str, str]] = set()
    for strike_uid, attack_uid, scope, quote in raw_links:
        s, a = owner.get(strike_uid), owner.get(attack_uid)
        if s and a and s != a and (s, a) not in seen:
            seen.add((s, a))
            out.links.append(Link(s, a, scope, quote))
    # the model's single ``responds_to``: set when the text names one attack
    for n, inc in enumerate(out.incidents):
        named = {x.attack_id for x in out.links if x.strike_id == inc.id and x.scope == "specific"}
        if len(named) == 1:
            out.incidents[n] = inc.model_copy(update={"responds_to": named.pop()})
    return out
