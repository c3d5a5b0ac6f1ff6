"""Properties that must hold for any input, checked with Hypothesis on generated data.

* dates: whatever the publication day, a weekday resolves to the most recent such day on or
  before it; no window ever ends after publication (unless it is marked ``future``); the
  extractor dates an attack "on <weekday>" that way end to end;
* gazetteer names: normalisation is idempotent and blind to case, hyphens, diacritics and the
  Arabic article; an alias spelt any of those ways still resolves to its site;
* files: generated valid incidents (windows per precision, points at gazetteer sites in Iraq,
  Syria and Jordan or none, weapon sets, casualty ranges, any Unicode text including script and
  formula payloads) come back identical through our CSV writer and our GeoJSON, read with the
  real importer, and through a real store;
* summaries: :func:`geo.query.site_summaries` after :func:`geo.query.apply` equals a recount in
  plain Python of the same rows, for random data and random filters;
* download names: whatever the title (path separators, "..", control and bidi characters,
  payloads), :func:`geo.export.safe_filename` gives one safe file name with the format's
  extension.

Runs are reproducible (``derandomize=True``, no example database) and small (50-100 examples
each) so the module stays well under a minute.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from geo import query
from geo.extract import extract_text
from geo.extract.dates import find_dates
from geo.gazetteer import Gazetteer, normalize
from geo.importers import read_items, write_csv
from geo.ingest import import_file
from geo.io.geojson import write_incidents
from geo.model import (
    DATE_PRECISION,
    EVENT_TYPES,
    OUTCOMES,
    REVIEWS,
    STATUSES,
    WEAPONS,
    Incident,
    parse_incident,
)
from geo.store import open_store

GAZ = Gazetteer.load()
TODAY = date.today()
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def props(n: int, **kw: Any) -> Any:
    """Reproducible settings: a fixed derandomised run, no example database, no deadline (the
    first call of a strategy pays for imports)."""
    return settings(
        max_examples=n,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        **kw,
    )


publication_days = st.dates(min_value=date(2001, 1, 1), max_value=date(2030, 12, 31))


# --- dates in the extractor -------------------------------------------------------------------


@props(100)
@given(
    published=publication_days,
    weekday=st.sampled_from(WEEKDAYS),
    frame=st.sampled_from(["on {w}", "{w}", "early {w}", "{w} night", "late on {w}", "last {w}"]),
)
def test_a_weekday_is_the_latest_such_day_on_or_before_publication(
    published: date, weekday: str, frame: str
) -> None:
    phrase = frame.format(w=weekday)
    found = [m for m in find_dates(f"The base was attacked {phrase}, officials said.", published)]
    (mention,) = [m for m in found if m.rule == "weekday"]
    window = mention.window
    assert window.start == window.end <= published
    if frame == "early {w}" and WEEKDAYS[(published.weekday() + 1) % 7] == weekday:
        # the small hours of the day after publication (a dateline behind local time: "early
        # Tuesday" in a report dated Monday) are the publication day, never six days before
        assert window.start == published
        return
    assert WEEKDAYS[window.start.weekday()] == weekday
    back = (published - window.start).days
    if frame == "last {w}":
        assert 1 <= back <= 7  # "last Thursday" in a Thursday article is a week before
    else:
        assert 0 <= back <= 6
    assert window.precision == 1


#: date phrases of every kind the rules know, absolute and relative
PHRASES = (
    "yesterday", "last night", "overnight", "today", "this morning", "three days ago",
    "2 days ago", "the day before yesterday", "last week", "earlier this week",
    "earlier this month", "last month", "in a January attack", "on October 17-18",
    "on August 5, 2024", "in mid-October", "on 5 August", "on Oct. 7", "on December 30",
    "between March 3 and March 5", "on 2019-04-01", "in late February 2020", "recently",
    "on Monday", "on Sunday", "since October 17", "on February 29",
)  # fmt: skip


@props(100)
@given(
    published=publication_days,
    phrases=st.lists(st.sampled_from(PHRASES), min_size=1, max_size=4),
)
def test_no_window_ends_after_publication(published: date, phrases: list[str]) -> None:
    text = " ".join(f"An attack came {p}." for p in phrases)
    for mention in find_dates(text, published):
        window = mention.window
        assert window.start <= window.end
        widest = DATE_PRECISION[window.precision][1]
        assert window.width <= widest
        narrower = [w for code, (_, w) in DATE_PRECISION.items() if code < window.precision]
        assert all(window.width > w for w in narrower), "not the narrowest precision"
        if mention.kind == "future":
            assert window.start > published
        else:
            assert window.end <= published, (mention, published)


@props(40)
@given(published=publication_days.filter(lambda d: d <= TODAY), weekday=st.sampled_from(WEEKDAYS))
def test_the_extractor_dates_an_attack_on_a_weekday(published: date, weekday: str) -> None:
    text = f"A drone attack targeted US forces at Al-Asad airbase on {weekday}, officials said."
    (incident,) = extract_text(text, published).incidents
    assert incident.date_start == incident.date_end <= published
    assert WEEKDAYS[incident.date_start.weekday()] == weekday
    assert (published - incident.date_start).days < 7
    assert incident.site_id == "al_asad"


# --- gazetteer names --------------------------------------------------------------------------

ALIASES = [(site.id, name) for site in GAZ for name in (site.name, *site.aliases)]


@props(100)
@given(st.text(max_size=40))
@example("all")
@example("Maarret enn Naamane")
@example("u al s")
@example("iiv")
def test_normalize_is_idempotent(name: str) -> None:
    key = normalize(name)
    assert normalize(key) == key


#: the letters place names are written in here: Latin (with Latin-1 and Extended-A accents),
#: Arabic, digits, punctuation, spaces and combining marks
NAME_CHARS = st.one_of(
    st.characters(min_codepoint=0x20, max_codepoint=0x17F, exclude_categories=("Cc", "Cs")),
    st.characters(min_codepoint=0x600, max_codepoint=0x6FF),
    st.sampled_from(ACCENTS_AND_MARKS := ("\u0301", "\u0308", "\u0327", "'", "’", "-", " ")),
)


@props(100)
@given(st.text(alphabet=NAME_CHARS, max_size=40))
def test_normalize_ignores_case_and_diacritics(name: str) -> None:
    folded = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    assert normalize(name.upper()) == normalize(name.lower()) == normalize(folded.casefold())


ACCENTS = ("\u0301", "\u0300", "\u0302", "\u0308", "\u0304", "\u0323")


@st.composite
def spelling_variants(draw: st.DrawFn) -> tuple[str, str]:
    """A gazetteer name as someone might write it: random case, hyphens/underscores/double
    spaces for spaces (and back), accents on letters, curly apostrophes, an "al-" more or less."""
    site_id, name = draw(st.sampled_from(ALIASES))
    out = []
    for ch in name:
        if ch.isalpha() and ch.isascii():
            ch = ch.upper() if draw(st.booleans()) else ch.lower()
            if draw(st.integers(0, 5)) == 0:
                ch += draw(st.sampled_from(ACCENTS))
        elif ch in " -":
            ch = draw(st.sampled_from([" ", "-", "_", "  ", " - "]))
        elif ch == "'":
            ch = draw(st.sampled_from(["'", "’", "ʿ", ""]))
        out.append(ch)
    variant = "".join(out)
    article = draw(st.sampled_from(["", "al-", "Al ", "AL-", "el-", "Al-"]))
    if article and not variant.lower().startswith(("al", "el", "at", "as", "ash", "ad", "an")):
        variant = article + variant
    elif draw(st.booleans()):  # or drop the article it has
        for a in ("al-", "Al-", "al ", "Al ", "AL-"):
            if variant.startswith(a):
                variant = variant[len(a) :]
                break
    return site_id, variant


@props(100)
@given(spelling_variants())
def test_an_alias_spelt_another_way_still_resolves(case: tuple[str, str]) -> None:
    site_id, variant = case
    site = GAZ.lookup(variant)
    assert site is not None and site.id == site_id, (variant, normalize(variant))


# --- incidents: a strategy, and round trips through our files and a store ---------------------

#: text as files carry it: any Unicode but unpaired surrogates (no store holds those) and the
#: C0 controls but tab, LF and CR (the model refuses them: geo.model.CONTROL_CHARS), with the
#: payloads an attacker would try mixed in
PAYLOADS = (
    '<img src=x onerror="window.__pwned=1">',
    "<script>window.__pwned=2</script>",
    '"><svg onload=window.__pwned=3>',
    "javascript:window.__pwned=4",
    "[x](javascript:window.__pwned=5)",
    "![x](http://example.invalid/x.png)",
    '=HYPERLINK("http://example.invalid","x")',
    "+1+cmd|' /C calc'!A0",
    "\t=1+1",
    "line1\r\nline2",
)


def model_text(max_size: int) -> st.SearchStrategy[str]:
    """Non-empty text the model accepts in any text field (see :data:`PAYLOADS`' comment)."""
    return st.text(
        alphabet=st.characters(
            codec="utf-8",
            exclude_categories=("Cs",),
            exclude_characters="".join(chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"),
        ),
        min_size=1,
        max_size=max_size,
    )


texts = st.one_of(st.sampled_from(PAYLOADS), model_text(30))
optional_texts = st.none() | texts  # never "": our CSV reads an empty cell back as null
LOCATED = [s for s in GAZ if s.latitude is not None and s.country in ("IRQ", "SYR", "JOR")]
UNLOCATED_SITES = [s for s in GAZ if s.latitude is None]
KNOWN_WEAPONS = [w for w in WEAPONS if w != "unknown"]


@st.composite
def casualties(draw: st.DrawFn) -> tuple[int | None, int | None]:
    lo = draw(st.none() | st.integers(0, 50))
    hi = draw(st.none() | st.integers(lo or 0, 80))
    return lo, hi


@st.composite
def incidents(draw: st.DrawFn, text: st.SearchStrategy[Any] = texts) -> Incident:
    precision = draw(st.integers(1, 5))
    widest = DATE_PRECISION[precision][1]
    start = draw(st.dates(min_value=date(2003, 1, 1), max_value=TODAY - timedelta(days=400)))
    end = start + timedelta(days=draw(st.integers(0, widest)))
    where = draw(st.sampled_from(["site", "site", "unlocated-site", "nowhere"]))
    if where == "site":
        site = draw(st.sampled_from(LOCATED))
        place: dict[str, Any] = {
            "site_id": site.id, "country": site.country, "geo_precision": draw(st.integers(1, 7)),
            "latitude": site.latitude + draw(st.floats(-0.01, 0.01)),
            "longitude": site.longitude + draw(st.floats(-0.01, 0.01)),
            "location": draw(st.sampled_from([site.name, *site.aliases])),
        }  # fmt: skip
    elif where == "unlocated-site":
        site = draw(st.sampled_from(UNLOCATED_SITES))
        place = {"site_id": site.id, "country": site.country, "geo_precision": 6,
                 "location": site.name}  # fmt: skip
    else:
        place = {"country": draw(st.sampled_from(["IRQ", "SYR", "JOR"])),
                 "geo_precision": draw(st.integers(3, 7)), "location": draw(text)}  # fmt: skip
    if draw(st.booleans()):
        weapons: list[str] = ["unknown"]
    else:
        weapons = draw(
            st.lists(st.sampled_from(KNOWN_WEAPONS), min_size=1, max_size=4, unique=True)
        )
    killed, injured = draw(casualties()), draw(casualties())
    sources = [
        {
            "article": draw(text),
            "published": draw(st.dates(min_value=end, max_value=min(TODAY, end + timedelta(days=60)))),
            "quote": draw(text),
        }
        for _ in range(draw(st.integers(1, 3)))
    ]  # fmt: skip
    return parse_incident(
        {
            "event_type": draw(st.sampled_from(EVENT_TYPES)),
            "dataset": draw(st.sampled_from(["atlas", "acled", "ucdp", "team-b.v2"])),
            "date_start": start, "date_end": end, "date_precision": precision,
            **place,
            "admin1": draw(st.none() | text), "weapons": weapons,
            "outcome": draw(st.sampled_from(OUTCOMES)), "damage": draw(st.none() | text),
            "killed_min": killed[0], "killed_max": killed[1],
            "injured_min": injured[0], "injured_max": injured[1],
            "claimed_by": draw(st.none() | text), "attributed_to": draw(st.none() | text),
            "status": draw(st.sampled_from(STATUSES)), "sources": sources,
            "notes": draw(st.none() | text), "responds_to": draw(st.none() | text),
            "review": draw(st.sampled_from(REVIEWS)),
        }
    )  # fmt: skip


incident_lists = st.lists(incidents(), min_size=1, max_size=6, unique_by=lambda i: i.id)


@props(50)
@given(incident_lists)
def test_our_csv_round_trip(generated: list[Incident]) -> None:
    with TemporaryDirectory() as tmp:
        path = Path(tmp) / "incidents.csv"
        assert write_csv(generated, path) == len(generated)
        assert list(read_items(path, today=TODAY)) == generated


@props(50)
@given(incident_lists)
def test_geojson_round_trip(generated: list[Incident]) -> None:
    with TemporaryDirectory() as tmp:
        path = Path(tmp) / "incidents.geojson"
        write_incidents(generated, path)
        assert list(read_items(path, today=TODAY)) == generated


@props(20)
@given(incident_lists)
def test_import_export_import_through_a_store(generated: list[Incident]) -> None:
    """CSV -> store -> GeoJSON -> store: the same incidents at every step."""
    with TemporaryDirectory() as tmp:
        first, second = Path(tmp) / "in.csv", Path(tmp) / "out.geojson"
        write_csv(generated, first)
        store = open_store(str(Path(tmp) / "a.sqlite"), bundled=False)
        try:
            batch = import_file(store, first, today=TODAY)
            assert (batch.read, batch.stored, batch.rejected) == (len(generated),) * 2 + (0,)
            exported = store.incidents()
            assert sorted(exported, key=lambda i: i.id) == sorted(generated, key=lambda i: i.id)
            write_incidents(exported, second)
        finally:
            store.close()
        again = open_store(str(Path(tmp) / "b.sqlite"), bundled=False)
        try:
            import_file(again, second, today=TODAY)
            assert sorted(again.incidents(), key=lambda i: i.id) == sorted(
                generated, key=lambda i: i.id
            )
        finally:
            again.close()


# --- site summaries against a recount ---------------------------------------------------------

plain_texts = st.sampled_from(["IRGC", "Kataib Hezbollah", "Islamic Resistance", "x"])


@st.composite
def filters_for(draw: st.DrawFn, rows: list[Incident]) -> query.Filters:
    def some(values: Any) -> tuple[str, ...]:
        pool = sorted({v for v in values if v is not None})
        if not pool or draw(st.booleans()):
            return ()
        return tuple(draw(st.lists(st.sampled_from(pool), min_size=1, max_size=3, unique=True)))

    lo = min(i.date_start for i in rows) - timedelta(days=30)
    hi = max(i.date_end for i in rows) + timedelta(days=30)
    start = draw(st.none() | st.dates(lo, hi))
    end = draw(st.none() | st.dates(start or lo, hi))
    return query.Filters(
        start=start,
        end=end,
        event_types=some(EVENT_TYPES),
        weapons=some(w for i in rows for w in i.weapons),
        outcomes=some(i.outcome for i in rows),
        statuses=some(i.status for i in rows),
        countries=some(i.country for i in rows),
        sites=some(i.site_id for i in rows),
        claimants=some(i.claimed_by for i in rows),
        datasets=some(i.dataset for i in rows),
        summary_max_geo_precision=draw(st.integers(1, 7)),
        reviews=tuple(draw(st.lists(st.sampled_from(REVIEWS), min_size=1, unique=True))),
    )


def passes(i: Incident, f: query.Filters) -> bool:
    """The filters as the README states them, one incident at a time."""
    return (
        i.review in f.reviews
        and (f.start is None or i.date_end >= f.start)
        and (f.end is None or i.date_start <= f.end)
        and (not f.event_types or i.event_type in f.event_types)
        and (not f.weapons or bool(set(i.weapons) & set(f.weapons)))
        and (not f.outcomes or i.outcome in f.outcomes)
        and (not f.statuses or i.status in f.statuses)
        and (not f.countries or i.country in f.countries)
        and (not f.sites or i.site_id in f.sites)
        and (not f.claimants or i.claimed_by in f.claimants)
        and (not f.datasets or i.dataset in f.datasets)
    )


def recount(lo_hi: list[tuple[int | None, int | None]]) -> dict[str, int | None]:
    low, high, unreported, open_ended = 0, 0, 0, False
    for lo, hi in lo_hi:
        if lo is None and hi is None:
            unreported += 1
            continue
        low += lo or 0
        if hi is None:
            open_ended = True
        else:
            high += hi
    return {"min": low, "max": None if open_ended else high, "unreported": unreported}


@props(60)
@given(st.data())
def test_site_summaries_equal_a_recount(data: st.DataObject) -> None:
    rows = data.draw(st.lists(incidents(plain_texts), min_size=1, max_size=25))
    filters = data.draw(filters_for(rows))
    as_of = data.draw(st.dates(date(2003, 1, 1), TODAY))
    whole = query.to_frame(rows)
    frame = query.apply(whole, filters)
    got = query.site_summaries(query.for_summaries(frame, filters), GAZ, as_of)
    # the same straight from the whole frame (no rows copied out), as given and ordered by
    # date (where a date range is a slice): sources come in frame order, so compare them as sets
    ordered = query.to_frame(sorted(rows, key=lambda i: (i.date_start, i.id)))
    assert set(query.apply(ordered, filters)["id"]) == set(frame["id"])

    def unordered(summaries: list[query.SiteSummary]) -> list[dict[str, Any]]:
        return [{**s.as_dict(), "sources": sorted(s.sources)} for s in summaries]

    assert [s.as_dict() for s in query.summaries(whole, filters, GAZ, as_of)] == [
        s.as_dict() for s in got
    ]
    assert unordered(query.summaries(ordered, filters, GAZ, as_of)) == unordered(got)
    head = query.headline(frame)
    assert query.headline(whole, filters) == head == query.headline(ordered, filters)
    passing = [i for i in rows if passes(i, filters)]
    attacks = [i for i in passing if i.event_type == "attack"]
    assert head.as_dict() == {
        "attacks": len(attacks),
        "unlocated_attacks": sum(i.longitude is None for i in attacks),
        "confirmed": sum(i.status == "confirmed" for i in attacks),
        "claimed": sum(i.status == "claimed" for i in attacks),
        "sites_hit": len({i.site_id for i in attacks if i.site_id}),
        "us_strikes": sum(i.event_type == "us_strike" for i in passing),
        "unlocated": sum(i.longitude is None for i in passing),
        "killed": recount([(i.killed_min, i.killed_max) for i in attacks]),
        "injured": recount([(i.injured_min, i.injured_max) for i in attacks]),
    }

    kept = [
        i
        for i in rows
        if passes(i, filters)
        and i.geo_precision <= filters.summary_max_geo_precision
        and i.event_type == "attack"
        and i.site_id is not None
    ]
    assert len(frame) == sum(passes(i, filters) for i in rows)
    by_site: dict[str, list[Incident]] = {}
    for i in kept:
        by_site.setdefault(i.site_id or "", []).append(i)
    want = {}
    for site_id, its in by_site.items():
        last = max(i.date_end for i in its)
        articles = list(dict.fromkeys(s.article for i in its for s in i.sources))
        want[site_id] = {
            "site_id": site_id,
            "site_name": GAZ.get(site_id).name,
            "country": GAZ.get(site_id).country,
            "incidents": len(its),
            "confirmed": sum(i.status == "confirmed" for i in its),
            "claimed": sum(i.status == "claimed" for i in its),
            "first_date": min(i.date_start for i in its).isoformat(),
            "last_date": last.isoformat(),
            "days_since_last": max(0, (as_of - last).days),
            "weapons": dict(Counter(w for i in its for w in i.weapons)),
            "killed": recount([(i.killed_min, i.killed_max) for i in its]),
            "injured": recount([(i.injured_min, i.injured_max) for i in its]),
            "sources": articles[: query.MAX_SOURCES],
            "more_sources": len(articles) > query.MAX_SOURCES,
        }
    assert {s.site_id: s.as_dict() for s in got} == want
    # most attacked first, then the most recent, then by name
    keys = [(-s.incidents, s.days_since_last, s.site_name) for s in got]
    assert keys == sorted(keys)
    for s in got:  # the weapon mix is listed most used first
        counts = list(s.weapons.values())
        assert counts == sorted(counts, reverse=True)


# --- download names ---------------------------------------------------------------------------

HOSTILE_TITLES = (
    "../../etc/passwd", "..\\..\\windows\\win.ini", "/abs/path", "C:\\x", "con", "NUL.txt",
    "evil\u202egnp.exe", "a\x00b", "line\nbreak", ".hidden", "...", "", " ", "x" * 400,
    *PAYLOADS,
)  # fmt: skip


@props(100)
@given(
    title=st.one_of(st.sampled_from(HOSTILE_TITLES), st.text(max_size=300)),
    fmt=st.sampled_from(["png", "pdf", "pptx", "html", "csv", "geojson", "kml", "gpkg"]),
)
def test_download_names_are_one_safe_file_name(title: str, fmt: str) -> None:
    from geo.export import FORMATS, safe_filename

    name = safe_filename(title, fmt)
    ext = FORMATS[fmt].extension
    assert name.endswith(ext) and len(name) > len(ext)
    assert "/" not in name and "\\" not in name and ":" not in name
    assert not name.startswith((".", "-", " ")) and ".." not in name
    assert all(not unicodedata.category(c).startswith(("C", "Z")) for c in name), (
        "control, format (bidi) or space characters"
    )
    assert not any(c in name for c in "<>\"|?*&;$`'")
    assert len(name.encode("utf-8")) <= 255
    stem = name[: -len(ext)].split(".")[0].lower()
    assert stem not in {"con", "prn", "aux", "nul"} and not (
        stem[:3] in ("com", "lpt") and stem[3:].isdigit()
    )
