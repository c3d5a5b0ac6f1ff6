"""Filters, per-site summaries and tallies, checked against hand-built frames."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from geo import query
from geo.frame import article_lists
from geo.gazetteer import Gazetteer
from geo.model import parse_incident

GAZ = Gazetteer.load()


def inc(site: str | None, start: str, end: str, prec: int = 1, **kw: Any) -> Any:
    data: dict[str, Any] = {
        "event_type": "attack",
        "date_start": start,
        "date_end": end,
        "date_precision": prec,
        "site_id": site,
        "location": site or "somewhere in Iraq",
        "country": "IRQ",
        "geo_precision": 1 if site else 6,
        "weapons": ["drone"],
        "sources": [{"article": f"art-{site}-{start}", "published": "2024-12-31", "quote": "q"}],
    }
    if site:
        s = GAZ.get(site)
        data.update(latitude=s.latitude, longitude=s.longitude, country=s.country)
    data.update(kw)
    return parse_incident(data)


FRAME = query.to_frame(
    [
        inc("al_asad", "2024-01-10", "2024-01-10", weapons=["rocket"], injured_min=5),
        inc(
            "al_asad",
            "2024-02-01",
            "2024-02-03",
            2,
            weapons=["drone", "rocket"],
            injured_min=0,
            injured_max=2,
        ),
        inc("al_tanf", "2024-01-01", "2024-01-31", 4, killed_min=3, killed_max=3),
        inc(
            "harir",
            "2024-03-05",
            "2024-03-05",
            killed_min=0,
            killed_max=0,
            outcome="intercepted",
            status="claimed",
            claimed_by="Islamic Resistance in Iraq",
        ),
        inc(None, "2024-02-20", "2024-02-20", dataset="acled", id="acled:IRQ1"),
        inc(None, "2024-02-21", "2024-02-21", event_type="us_strike", weapons=["air_strike"]),
    ]
)


@pytest.mark.parametrize(
    ("filters", "expected_sites"),
    [
        (query.Filters(), ["al_asad", "al_asad", "al_tanf", "harir", None, None]),
        (query.Filters(start=date(2024, 2, 2)), ["al_asad", "harir", None, None]),
        # a month-precision window overlaps any range touching that month
        (query.Filters(start=date(2024, 1, 31), end=date(2024, 1, 31)), ["al_tanf"]),
        (query.Filters(end=date(2024, 1, 9)), ["al_tanf"]),
        (query.Filters(start=date(2024, 4, 1)), []),
        (query.Filters(event_types=("attack",)), ["al_asad", "al_asad", "al_tanf", "harir", None]),
        (query.Filters(weapons=("rocket",)), ["al_asad", "al_asad"]),
        (query.Filters(sites=("harir", "al_tanf")), ["al_tanf", "harir"]),
        (query.Filters(outcomes=("intercepted",)), ["harir"]),
        (query.Filters(statuses=("claimed",)), ["harir"]),
        (query.Filters(statuses=("reported", "claimed"), event_types=("us_strike",)), [None]),
        (query.Filters(countries=("SYR",)), ["al_tanf"]),
        (query.Filters(countries=("IRQ",), weapons=("drone",)), ["al_asad", "harir", None]),
        (query.Filters(claimants=("Islamic Resistance in Iraq",)), ["harir"]),
        (query.Filters(datasets=("acled",)), [None]),
        (query.Filters(datasets=("atlas",), start=date(2024, 3, 1)), ["harir"]),
    ],
)
def test_filters(filters: query.Filters, expected_sites: list[str | None]) -> None:
    got = query.apply(FRAME, filters).sort_values(["date_start"])
    want = FRAME[FRAME.index.isin(got.index)]
    assert sorted(map(str, got["site_id"])) == sorted(map(str, expected_sites))
    assert len(want) == len(got)


def test_describe_names_every_active_filter() -> None:
    f = query.Filters(start=date(2024, 1, 1), weapons=("drone",), statuses=("confirmed",))
    assert f.describe() == "2024-01-01 to end; weapons: drone; statuses: confirmed"
    assert f.active() == {"weapons": ("drone",), "statuses": ("confirmed",)}


def test_imprecise_incidents_do_not_count_in_summaries_by_default() -> None:
    vague = inc("al_asad", "2024-01-05", "2024-01-05", geo_precision=3)
    frame = query.to_frame([vague, inc("al_asad", "2024-01-06", "2024-01-06")])
    counted = query.for_summaries(frame, query.Filters())
    assert len(counted) == 1
    assert len(query.for_summaries(frame, query.Filters(summary_max_geo_precision=7))) == 2


def test_site_summary_counts_and_sorts() -> None:
    rows = query.site_summaries(FRAME, GAZ, as_of=date(2024, 3, 10))
    assert [r.site_id for r in rows] == ["al_asad", "harir", "al_tanf"]
    asad = rows[0]
    assert asad.incidents == 2
    assert (asad.first_date, asad.last_date) == (date(2024, 1, 10), date(2024, 2, 3))
    assert asad.days_since_last == (date(2024, 3, 10) - date(2024, 2, 3)).days
    assert asad.weapons == {"rocket": 2, "drone": 1}
    assert asad.injured == query.Range(5, None, 0)  # "at least five" leaves the top open
    assert asad.killed == query.Range(0, 0, 2)
    assert rows[2].killed.text() == "3"
    assert (rows[1].claimed, rows[1].confirmed) == (1, 0)  # harir: claimed, not confirmed


def test_days_since_last_is_relative_to_range_end() -> None:
    narrowed = query.apply(FRAME, query.Filters(end=date(2024, 2, 1)))
    rows = {r.site_id: r for r in query.site_summaries(narrowed, GAZ, as_of=date(2024, 2, 1))}
    assert rows["al_asad"].days_since_last == 0  # its window runs past the range end
    assert rows["al_tanf"].days_since_last == 1


def test_headline() -> None:
    head = query.headline(FRAME)
    assert (head.attacks, head.sites_hit, head.us_strikes, head.unlocated) == (5, 3, 1, 2)
    assert head.killed == query.Range(3, 3, 3)
    assert head.injured.text() == "5+ (3 not reported)"
    assert (head.claimed, head.confirmed) == (1, 0)


@pytest.mark.parametrize(
    ("mins", "maxs", "expected"),
    [
        ([], [], query.Range(0, 0, 0)),
        ([None], [None], query.Range(0, 0, 1)),
        ([0], [0], query.Range(0, 0, 0)),
        ([5], [None], query.Range(5, None, 0)),
        ([2, 1], [4, 1], query.Range(3, 5, 0)),
        ([None], [21], query.Range(0, 21, 0)),
        ([5, 1], [None, 3], query.Range(6, None, 0)),
    ],
)
def test_tally(mins: list[Any], maxs: list[Any], expected: query.Range) -> None:
    assert query.tally(mins, maxs) == expected


@pytest.mark.parametrize(
    ("r", "text"),
    [
        (query.Range(3, 3), "3"),
        (query.Range(0, 21), "0–21"),
        (query.Range(7, None, 2), "7+ (2 not reported)"),
    ],
)
def test_range_text(r: query.Range, text: str) -> None:
    assert r.text() == text


def test_empty_frame() -> None:
    empty = query.apply(FRAME, query.Filters(start=date(2030, 1, 1)))
    assert query.site_summaries(empty, GAZ, date(2030, 1, 1)) == []
    assert query.headline(empty).attacks == 0
    assert query.span(empty) is None


def test_lulls_find_the_quiet_spells() -> None:
    frame = query.to_frame(
        [
            inc("al_asad", "2024-01-01", "2024-01-01"),
            inc("al_asad", "2024-01-03", "2024-01-10", 3),
            inc("al_tanf", "2024-02-04", "2024-02-04"),
            inc("al_tanf", "2024-04-23", "2024-04-23"),
            inc(None, "2024-03-01", "2024-03-01", event_type="us_strike", weapons=["air_strike"]),
        ]
    )
    got = query.lulls(frame, min_days=14)
    assert [(g.start, g.end) for g in got] == [
        (date(2024, 2, 5), date(2024, 4, 22)),  # US strikes do not break a lull of attacks
        (date(2024, 1, 11), date(2024, 2, 3)),
    ]
    assert got[0].days == 78
    assert query.lulls(frame, min_days=100) == []


def test_weekly_counts_by_weapon() -> None:
    frame = query.to_frame(
        [
            inc("al_asad", "2024-01-03", "2024-01-03", weapons=["drone", "rocket"]),
            inc("al_asad", "2024-01-07", "2024-01-07", weapons=["drone"]),
            inc("al_asad", "2024-01-08", "2024-01-08", weapons=["drone"]),
        ]
    )
    got = query.weekly(frame)
    assert got.values.tolist() == [
        [date(2024, 1, 1), "drone", 2],
        [date(2024, 1, 1), "rocket", 1],
        [date(2024, 1, 8), "drone", 1],
    ]


def test_summary_sources_stop_at_the_cap_and_say_so() -> None:
    """A site cited by many articles lists the first MAX_SOURCES (in order of first appearance)
    and says there are more; one article fewer than the cap lists them all."""
    many = query.MAX_SOURCES + 3
    rows = [
        inc("al_asad", f"2024-01-{1 + k % 28:02d}", f"2024-01-{1 + k % 28:02d}")
        for k in range(many)
    ]
    rows = [
        r.model_copy(
            update={
                "id": f"atl-{k}",
                "sources": (r.sources[0].model_copy(update={"article": f"a{k}"}),),
            }
        )
        for k, r in enumerate(rows)
    ]
    frame = query.to_frame(rows)
    [site] = query.site_summaries(frame, GAZ, date(2024, 2, 1))
    assert site.sources == tuple(f"a{k}" for k in range(query.MAX_SOURCES))
    assert site.more_sources and site.as_dict()["more_sources"] is True
    [fewer] = query.site_summaries(frame.iloc[: query.MAX_SOURCES], GAZ, date(2024, 2, 1))
    assert len(fewer.sources) == query.MAX_SOURCES and not fewer.more_sources


@pytest.mark.parametrize(
    "article",
    ["plain", 'with "quotes"', "back\\slash", 'x", "article": "fake', "Ḥarīr — عين الأسد", "{"],
)
@pytest.mark.parametrize("ascii_only", [False, True])
@pytest.mark.parametrize("separators", [None, (",", ":")])  # the usual layout, and another
@pytest.mark.parametrize("second", [False, True])
def test_summary_sources_read_article_names_exactly(
    article: str, ascii_only: bool, separators: tuple[str, str] | None, second: bool
) -> None:
    """Summaries read article names out of the frame's JSON text: names holding quotes,
    backslashes, JSON-looking text or non-ASCII (escaped or not) come back as written, and a
    quote that looks like an article key is not taken for one."""
    import json

    row = inc("al_asad", "2024-01-10", "2024-01-10")
    row = row.model_copy(
        update={
            "sources": (
                row.sources[0].model_copy(
                    update={"article": article, "quote": '{"article": "no"}'}
                ),
            )
        }
    )
    if second:
        extra = row.sources[0].model_copy(update={"article": article + " (2)"})
        row = row.model_copy(update={"sources": (*row.sources, extra)})
    plain = inc("al_asad", "2024-01-11", "2024-01-11")  # a row in the usual layout beside it
    frame = query.to_frame([row, plain])
    frame["sources"] = [
        json.dumps(json.loads(t), ensure_ascii=ascii_only, separators=separators)
        for t in frame["sources"]
    ]
    [site] = query.site_summaries(frame, GAZ, date(2024, 2, 1))
    want = (article, article + " (2)") if second else (article,)
    assert site.sources == (*want, plain.sources[0].article)


@pytest.mark.parametrize(
    "order",
    [
        ("article", "published", "quote"),  # the model's field order (also sorted)
        ("article", "quote", "published"),
        ("quote", "article", "published"),  # jsonb's: shortest key first
        ("published", "quote", "article"),
    ],
)
@pytest.mark.parametrize("second", [False, True])
def test_summary_sources_do_not_depend_on_the_order_of_keys(
    order: tuple[str, str, str], second: bool
) -> None:
    """Whatever order a source's keys come in, each row's article is read whole and alone
    (never the article with the text of the next key glued on)."""
    import json

    row = inc("al_asad", "2024-01-10", "2024-01-10")
    if second:
        extra = row.sources[0].model_copy(update={"article": "second"})
        row = row.model_copy(update={"sources": (*row.sources, extra)})
    frame = query.to_frame([row])
    frame["sources"] = [
        json.dumps([{k: s[k] for k in order} for s in json.loads(t)]) for t in frame["sources"]
    ]
    want = (row.sources[0].article, "second") if second else (row.sources[0].article,)
    [site] = query.site_summaries(frame, GAZ, date(2024, 2, 1))
    assert site.sources == want
    codes, lists = article_lists(frame["sources"])  # the typed reader the summaries use
    assert [lists[c] for c in codes] == [want]


def test_attack_strip_one_mark_per_attack_while_few() -> None:
    got = query.attack_strip(FRAME, max_marks=100)
    attacks = FRAME[FRAME["event_type"] == "attack"]
    assert len(got) == len(attacks) and set(got["attacks"]) == {1}
    assert sorted(
        zip(got["site_id"], got["start"], got["end"], got["weapon"], strict=True), key=str
    ) == sorted(
        zip(
            attacks["site_id"],
            attacks["date_start"],
            attacks["date_end"],
            [w[0] for w in attacks["weapons"]],
            strict=True,
        ),
        key=str,
    )


@pytest.mark.parametrize("max_marks", [40, 400, 4000])
def test_attack_strip_bins_many_attacks_and_loses_none(max_marks: int) -> None:
    """Past the cap, marks are per site and time bin: every attack falls in exactly one mark
    of its site whose dates cover its start, and the counts add up."""
    from geo.synth import synth_frame

    frame = synth_frame(3000, seed=5)
    got = query.attack_strip(frame, max_marks=max_marks)
    attacks = frame[frame["event_type"] == "attack"]
    assert got["attacks"].sum() == len(attacks)
    if len(attacks) <= max_marks:  # one mark per attack, as above
        assert len(got) == len(attacks)
        return
    widths = {(e - s).days + 1 for s, e in zip(got["start"], got["end"], strict=True)}
    assert len(widths) == 1
    [width] = widths
    assert width in query.STRIP_BINS
    if width > 1:
        assert len(got) <= max_marks or width == query.STRIP_BINS[-1]
    if width == 7:
        assert {s.weekday() for s in got["start"]} == {0}
    marks = {
        (site, s): (e, n)
        for site, s, e, n in got[["site_id", "start", "end", "attacks"]].itertuples(index=False)
    }
    recount: dict[tuple[Any, Any], int] = {}
    for site, start in zip(attacks["site_id"], attacks["date_start"], strict=True):
        [key] = [k for k, (e, _n) in marks.items() if k[0] == site and k[1] <= start <= e]
        recount[key] = recount.get(key, 0) + 1
    assert recount == {k: n for k, (_e, n) in marks.items()}
