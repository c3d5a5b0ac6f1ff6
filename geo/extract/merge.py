"""Reports of the same attack become one incident.

Two drafts are the same incident when they have the same event type, overlapping date windows
(within one article, a mention the text gives no date is compatible with any),
compatible weapons (one unknown, or sharing one) and the same place: the same site (or town, or
unknown place name).  Within one article, an *unnamed* single target ("a military base in Iraq")
and an attack placed only in a country ("a drone attack in Jordan") also merge with the named one
of the same country ("Al-Asad Airbase", "Tower 22") -- the article is telling the same story twice
-- unless the text calls it another ("a separate attack").  Two unlocated drafts merge only
within one article, when one is placed by its country alone and the other is too, or is an unnamed
target of that country ("attacked in Syria" and "at two sites in northeastern Syria"); otherwise
nothing says they are the same.  Reports that disagree on whether anyone was hurt (none vs a
count) are different attacks.

Combining: the narrowest window (or the overlap of the windows), the union of weapons and outcomes
(intercepted + impact = mixed), every source and note.  Casualty figures from the *same* article
narrow each other ("at least five" and "one seriously" is at least five); figures from
*different* articles that disagree become a range covering both ("three" and "five" -> 3-5).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from geo.extract.casualties import intersect, union
from geo.extract.dates import DateWindow
from geo.extract.draft import STATUS_RANK, Draft
from geo.identity import compatible_weapons


def compatible_figures(a: Draft, b: Draft) -> bool:
    """False when one report says nobody was hurt and the other counts casualties."""
    for kind in ("killed", "injured"):
        x, y = getattr(a, kind), getattr(b, kind)
        if x is None or y is None:
            continue
        if (x == (0, 0) and (y[0] or 0) > 0) or (y == (0, 0) and (x[0] or 0) > 0):
            return False
    return True


#: a site this close to the centre of a town an article also names is "in" that town
TOWN_SITE_KM = 30.0


def same_place(a: Draft, b: Draft, within_article: bool) -> bool:
    if a.place_key is not None and b.place_key is not None:
        if a.place_key == b.place_key:
            return True
        return within_article and _site_in_town(a, b)
    if within_article and (a.place_key is None) != (b.place_key is None):
        unnamed, named = (a, b) if a.place_key is None else (b, a)
        if unnamed.separate or unnamed.country != named.country:
            return False
        return unnamed.unnamed_singular or unnamed.country_only
    if within_article and a.place_key is None and b.place_key is None:
        # "attacked in Syria" and "at two sites in northeastern Syria": the country-only mention
        # is the first of the unnamed ones; "US troops in Syria were attacked" and "a drone
        # attack in Syria injured one": the same attack told twice -- unless the text calls one
        # another
        # ... and "a base in Syria" told twice (on days that agree): the same base
        if a.country != b.country or a.separate or b.separate:
            return False
        if a.country_only or b.country_only:
            return True
        return a.unnamed_singular and b.unnamed_singular
    return False


def _site_in_town(a: Draft, b: Draft) -> bool:
    """One article's "a rocket attack in Baghdad" and "... near Baghdad International Airport":
    a town and a site near its centre (or a site with no coordinate in the town's province), the
    same attack unless the text calls one another."""
    site, town = sorted((a, b), key=lambda d: (d.site_id is None, d.geo_precision))
    # (a site with no coordinate of its own is pinned at its town: still a site)
    if site.site_id is None or town.site_id is not None:
        return False
    if town.geo_precision not in (2, 3) or a.separate or b.separate:
        return False
    if not site.located:  # "Union III" (no coordinate) and "Baghdad", its province's capital
        return (
            site.country == town.country
            and site.admin1 is not None
            and (site.admin1 == town.admin1)
        )
    if site.geo_precision > 3:
        return False
    if None in (site.latitude, site.longitude, town.latitude, town.longitude):
        return False
    if site.country != town.country:
        return False
    return _km(site, town) <= TOWN_SITE_KM


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def _km(a: Draft, b: Draft) -> float:
    assert a.latitude is not None and a.longitude is not None
    assert b.latitude is not None and b.longitude is not None
    return haversine_km(a.latitude, a.longitude, b.latitude, b.longitude)


def can_merge(a: Draft, b: Draft, within_article: bool) -> bool:
    """The merge rule of the module docstring."""
    if a.copy_group is not None and a.copy_group == b.copy_group:
        return False  # "attacked twice": two attacks
    if within_article and (a.separate or b.separate) and (a.undated or b.undated):
        return False  # ("similar attacks on the same base ... on November 19": not the undated one)
    if not within_article and a.articles == b.articles:
        return False  # one article's attacks it kept apart stay apart
    return (
        a.event_type == b.event_type
        and (a.window.overlaps(b.window) or (within_article and (a.undated or b.undated)))
        and compatible_weapons(a.weapons, b.weapons)
        and compatible_figures(a, b)
        and same_place(a, b, within_article)
    )


def combine_windows(a: DateWindow, b: DateWindow) -> tuple[DateWindow, bool]:
    """The narrower window if the wider holds it, else their overlap; ``True`` if they conflict."""
    narrow, wide = sorted((a, b), key=lambda w: (w.width, w.start))
    if wide.contains(narrow):
        return narrow, False
    start, end = max(a.start, b.start), min(a.end, b.end)
    if start <= end:
        return DateWindow.span(start, end), False
    return narrow, True


def _join(a: str | None, b: str | None) -> str | None:
    if not a or not b or a == b:
        return a or b
    if b.lower() in a.lower():
        return a
    if a.lower() in b.lower():
        return b
    return f"{a}; {b}"


def combine(a: Draft, b: Draft, same_report: bool) -> Draft:
    """``b`` folded into ``a`` (``a`` keeps its uid); ``same_report``: both from one article."""
    same_window = a.window == b.window
    if a.undated != b.undated:  # one article dates what another of its sentences does not
        window, conflict = (b.window if a.undated else a.window), False
    else:
        window, conflict = combine_windows(a.window, b.window)
    a.undated = a.undated and b.undated
    if conflict:
        a.note(f"Reports disagree on the date ({a.window} vs {b.window}); kept the narrower.")
    a.window = window
    finer = a.located and b.located and b.geo_precision < a.geo_precision  # a site in a town
    if (a.place_key is None and b.place_key is not None) or finer:
        for name in (
            "location",
            "country",
            "geo_precision",
            "site_id",
            "admin1",
            "longitude",
            "latitude",
            "place_key",
            "unlocated_reason",
        ):
            setattr(a, name, getattr(b, name))
        a.unnamed_singular = False
    a.weapons |= b.weapons
    a.outcome |= b.outcome
    if a.copy_group is None:  # one of "attacked twice" now: still not the other one
        a.copy_group = b.copy_group
    a.damage += [d for d in b.damage if d not in a.damage]
    pick = intersect if same_report else union
    for kind in ("killed", "injured"):
        mine, theirs = getattr(a, kind), getattr(b, kind)
        merged = pick(mine, theirs)
        if not same_report and mine is not None and theirs is not None and mine != theirs:
            a.note(f"Reports differ on {kind} ({mine} vs {theirs}): kept the range {merged}.")
        setattr(a, kind, merged)
    a.claimed_by = _join(a.claimed_by, b.claimed_by)
    a.attributed_to = a.attributed_to or b.attributed_to
    if STATUS_RANK[b.status] > STATUS_RANK[a.status]:
        a.status = b.status
    seen = {(s.article, s.quote) for s in a.sources}
    a.sources += [s for s in b.sources if (s.article, s.quote) not in seen]
    for field_name, rule in b.rules.items():
        a.rules.setdefault(field_name, rule)
    for field_name, quotes in b.evidence.items():
        for quote in quotes:
            a.cite(field_name, quote)
    for note in b.notes:
        if not (same_window and note.startswith("Date:")):
            a.note(note)
    a.members += b.members
    return a


def merge_drafts(drafts: Iterable[Draft], within_article: bool) -> list[Draft]:
    """Drafts with every mergeable pair combined, in first-report order."""
    merged: list[Draft] = []
    for draft in drafts:
        for kept in merged:
            if can_merge(kept, draft, within_article):
                same = within_article or kept.articles == draft.articles
                combine(kept, draft, same)
                break
        else:
            merged.append(draft)
    return merged
