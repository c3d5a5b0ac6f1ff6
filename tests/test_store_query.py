"""The stores' fast read paths, on both stores: the frame built from plain tuples equals the
model-based frame, and the date-range + per-site summary run by the database
(:meth:`Store.site_counts`) equals the in-memory one and uses the index.

Big stores are filled with :func:`geo.synth.fill_store` (rows written straight into the
incidents table; the importer has its own tests).  Plans are the planners' honest choice after
``ANALYZE`` on enough rows: no ``enable_seqscan = off``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from geo.frame import COLUMNS, EPOCH, FLOAT_COLUMNS, INT_COLUMNS, STR_COLUMNS, TEXT_COLUMNS
from geo.gazetteer import Gazetteer
from geo.model import Incident
from geo.query import Filters, apply, site_summaries, to_frame
from geo.store import Store, open_store
from geo.store.rows import row_and_hash
from geo.store.schema import INDEXED, WIDEST_WINDOW_DAYS, index_name
from geo.store.sql import SqlStore
from geo.synth import _json_form, fill_store, store_rows, synth_records
from tests.postgis_server import fresh_schema
from tests.test_store import changed, incident, meta

#: the index site_counts must use
COMPOSITE = index_name(("event_type", "review", "date_start", "date_end", "site_id"))
#: synthetic rows in the shared big stores: enough for the planners to prefer the index
BIG = 20_000
GAZ = Gazetteer.load()
SITES = [s.id for s in GAZ if s.located]


def _open(url: str) -> SqlStore:
    store = open_store(url, bundled=False)
    assert isinstance(store, SqlStore)
    return store


@pytest.fixture(params=["embedded", "postgis"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "embedded":
        yield str(tmp_path / "atlas.sqlite")
    else:
        with fresh_schema(request.getfixturevalue("postgis_url")) as url:
            yield url


@pytest.fixture
def store(store_url: str) -> Iterator[SqlStore]:
    s = _open(store_url)
    try:
        yield s
    finally:
        s.close()


# --- data -----------------------------------------------------------------------------------


def awkward(n: int, **changes: Any) -> Incident:
    """:func:`tests.test_store.incident` at a gazetteer site, with source text that tests the
    JSON both stores give back (PostgreSQL's jsonb reorders keys): quotes, backslashes, a
    newline, a tab, a line separator, non-ASCII, a quote that looks like a JSON key, and one to
    three sources."""
    quote = f'He said "{n}" \\ then\n left\t — ünïcödé\u2028, "article": "fake"'
    base = incident(n, site_id=SITES[n % len(SITES)] if n % 4 else None)
    sources = [
        {"article": f'a"{n}\\', "published": base.date_start, "quote": quote},
        *[s.model_dump() for s in base.sources],
    ][: 1 + n % 3]
    return changed(base, sources=sources, **changes)


def varied() -> list[Incident]:
    """Rows of every kind the frame and the summary must tell apart."""
    rows = [awkward(n) for n in range(40)]
    rows += [awkward(n, review=("pending", "rejected")[n % 2]) for n in range(40, 46)]
    # year-long windows (the widest the model allows) starting long before a range
    for n in range(46, 52):
        start = date(2019, 2, 1) + timedelta(days=30 * (n - 46))
        rows.append(
            awkward(
                n,
                event_type="attack",
                site_id=SITES[n % len(SITES)],
                date_start=start,
                date_end=start + timedelta(days=WIDEST_WINDOW_DAYS),
                date_precision=5,
            )
        )
    return rows


# --- task 1: the frame --------------------------------------------------------------------


def test_frame_equals_the_model_frame_as_of_every_batch(store: SqlStore) -> None:
    """Values, dtypes and order: the tuple-built frame is the model-built one."""
    first = varied()
    b1 = store.import_batch(meta("one.geojson"), first)
    revised = [
        changed(i, notes=f"revised {k} ✓", weapons=("drone",)) for k, i in enumerate(first[::5])
    ]
    b2 = store.import_batch(meta("two.geojson"), [*revised, awkward(99)])
    fill_store(store, 300, seed=5)
    for as_of in (b1.id, b2.id, None):
        got = store.frame(as_of=as_of)
        want = to_frame(store.incidents(as_of=as_of))
        pd.testing.assert_frame_equal(got, want)
    assert len(store.frame(as_of=b1.id)) == len(first)
    frame = store.frame()
    assert len(frame) == len(first) + 1 + 300
    # the contract, spelled out on one row (to_frame goes through the same finish)
    row = frame.set_index("id").loc[awkward(3).id]
    assert type(row["date_start"]) is date and row["weapons"] == ("rocket", "drone")
    assert row["site_id"] == SITES[3] and row["admin1"] == "Anbar" and row["damage"] is None
    assert pd.isna(row["killed_min"]) and row["killed_max"] == 3.0
    assert row["day_start"] == (row["date_start"] - EPOCH).days
    want_sources = [s.model_dump(mode="json") for s in awkward(3).sources]
    assert row["sources"] == json.dumps(want_sources, ensure_ascii=False, sort_keys=True)


def test_frame_of_an_empty_store_has_the_frame_types(store: SqlStore) -> None:
    assert store.frame().dtypes.to_dict() == to_frame([]).dtypes.to_dict()


def test_frame_column_groups_cover_the_model() -> None:
    """Every model column has its type in :func:`geo.frame.finish`."""
    grouped = [*STR_COLUMNS, *TEXT_COLUMNS, *INT_COLUMNS, *FLOAT_COLUMNS]
    special = ["date_start", "date_end", "weapons"]
    assert sorted(grouped + special) == sorted(COLUMNS)
    assert len(set(grouped)) == len(grouped)


def test_synthetic_store_rows_are_what_the_import_writes() -> None:
    """:func:`geo.synth.store_rows` (no model per row) equals :func:`row_and_hash` of the
    validated incident, content hash included."""
    records = synth_records(500, seed=11)
    names = list(records.columns)
    rows = list(store_rows(records, batch_id=7))
    for values, row in zip(records.itertuples(index=False), rows, strict=True):
        inc = Incident.model_validate(_json_form(dict(zip(names, values, strict=True))))
        want, digest = row_and_hash(inc)
        assert row == [*want.values(), digest, 7]
    assert len({r[-2] for r in rows}) == 500  # every content hash differs


# --- task 2: the query path in the database --------------------------------------------------


@contextmanager
def _store_at(kind: str, request: pytest.FixtureRequest, folder: Path) -> Iterator[SqlStore]:
    if kind == "embedded":
        store = _open(str(folder / "atlas.sqlite"))
        try:
            yield store
        finally:
            store.close()
        return
    with fresh_schema(request.getfixturevalue("postgis_url")) as url:
        store = _open(url)
        try:
            yield store
        finally:
            store.close()


@pytest.fixture(scope="module", params=["embedded", "postgis"])
def big(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[SqlStore, pd.DataFrame]]:
    """A store of :data:`BIG` synthetic rows plus :func:`varied` ones (analysed by
    ``fill_store``), and its frame; shared by the module, as filling it is the slow part."""
    with _store_at(request.param, request, tmp_path_factory.mktemp("big")) as store:
        store.import_batch(meta("varied.geojson"), varied())
        fill_store(store, BIG, seed=3)
        yield store, store.frame()


RANGES = [
    pytest.param(date(2020, 1, 1), date(2020, 1, 31), id="one-month"),
    pytest.param(date(2019, 1, 1), date(2021, 12, 31), id="three-years"),
    pytest.param(date(2020, 3, 15), date(2020, 3, 15), id="one-day"),
    pytest.param(date(2013, 6, 1), date(2014, 1, 10), id="the-data's-first-days"),
    pytest.param(date(2026, 6, 1), date(2027, 1, 1), id="the-data's-last-days"),
    pytest.param(date(2014, 1, 1), date(2026, 12, 31), id="everything"),
    pytest.param(date(2001, 1, 1), date(2002, 1, 1), id="before-any-data"),
]


@pytest.mark.parametrize(("start", "end"), RANGES)
def test_site_counts_equal_the_in_memory_summary(
    big: tuple[SqlStore, pd.DataFrame], start: date, end: date
) -> None:
    store, frame = big
    summary = site_summaries(apply(frame, Filters(start=start, end=end)), GAZ, end, sources=False)
    want = {s.site_id: (s.incidents, s.first_date, s.last_date) for s in summary}
    got = {c.site_id: (c.attacks, c.first_date, c.last_date) for c in store.site_counts(start, end)}
    assert got == want


def test_site_counts_reach_windows_that_began_a_year_before(store: SqlStore) -> None:
    """The year-long windows of :func:`varied` (nothing else) overlap January 2020."""
    store.import_batch(meta("one.geojson"), varied())
    start, end = date(2020, 1, 1), date(2020, 1, 31)
    counts = store.site_counts(start, end)
    summary = site_summaries(apply(store.frame(), Filters(start=start, end=end)), GAZ, end)
    got = sorted((c.site_id, c.attacks, c.first_date, c.last_date) for c in counts)
    assert got == sorted((s.site_id, s.incidents, s.first_date, s.last_date) for s in summary)
    assert min(c.first_date for c in counts) < start - timedelta(days=300)


def test_site_counts_of_a_narrow_range_use_the_index(big: tuple[SqlStore, pd.DataFrame]) -> None:
    store, _frame = big
    plan = store.explain_site_counts(date(2020, 1, 1), date(2020, 1, 31))
    assert COMPOSITE in plan, plan
    assert "Seq Scan" not in plan and not re.search(r"^\s*SCAN incidents\b", plan, re.M), plan


def test_an_older_store_gains_the_new_index_on_open(store_url: str) -> None:
    """A store made before the index existed (the same schema version) gets it when opened."""
    store = _open(store_url)
    store.import_batch(meta("one.geojson"), varied())
    with store._write() as tx:
        tx.execute(f"DROP INDEX {COMPOSITE}")
    assert COMPOSITE not in store._index_names()
    store.close()
    store = _open(store_url)
    try:
        assert {index_name(c) for c in INDEXED} <= store._index_names()
    finally:
        store.close()


def test_store_protocol_has_the_query_path(store: Store) -> None:
    assert isinstance(store, Store)
    assert store.site_counts(date(2020, 1, 1), date(2020, 12, 31)) == []
