"""The frame cache on disk (geo.store.frame_cache): the cached frame is the store's frame, a
new revision is never answered from an old file, and a bad or unwritable cache costs time,
never data."""

from __future__ import annotations

import logging
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
import pytest

from geo.store import frame_cache, open_store
from geo.store.sql import SqlStore
from geo.synth import fill_store
from tests.postgis_server import fresh_schema
from tests.test_store import changed, meta
from tests.test_store_query import awkward, varied


@pytest.fixture(params=["embedded", "postgis"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SqlStore]:
    if request.param == "embedded":
        s = open_store(str(tmp_path / "atlas.sqlite"), bundled=False)
        yield s
        s.close()
    else:
        with fresh_schema(request.getfixturevalue("postgis_url")) as url:
            s = open_store(url, bundled=False)
            yield s
            s.close()


@pytest.fixture
def small(tmp_path: Path) -> Iterator[SqlStore]:
    """An embedded store of ten varied incidents."""
    s = open_store(str(tmp_path / "atlas.sqlite"), bundled=False)
    s.import_batch(meta("one.geojson"), varied()[:10])
    yield s
    s.close()


def _cached(store: SqlStore, cache: Path) -> Path:
    """Load the store's frame through the cache in ``cache``; the one file written there."""
    frame_cache.load(store, cache)
    [path] = cache.glob("*.arrow")
    return path


def _no_database(store: SqlStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on, reading the frame from the store fails the test."""

    def refuse(as_of: int | None = None) -> pd.DataFrame:
        raise AssertionError("the frame was read from the store, not from the cache")

    monkeypatch.setattr(store, "frame", refuse)


def test_a_cached_frame_is_the_store_frame(
    store: SqlStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.import_batch(meta("one.geojson"), varied())
    fill_store(store, 200, seed=3)
    cache = tmp_path / "frames"
    want = store.frame()
    first = frame_cache.load(store, cache)
    pd.testing.assert_frame_equal(first, want)
    assert len(list(cache.glob("*.arrow"))) == 1
    _no_database(store, monkeypatch)
    pd.testing.assert_frame_equal(frame_cache.load(store, cache), want)


def _only_changes(store: SqlStore, monkeypatch: pytest.MonkeyPatch) -> list[int | None]:
    """From now on, reading the whole frame fails the test; reads of what changed since a
    batch are allowed and recorded."""
    whole = store.frame
    asked: list[int | None] = []

    def changes_only(as_of: int | None = None, since: int | None = None) -> pd.DataFrame:
        if since is None:
            raise AssertionError("the whole frame was read from the store")
        asked.append(since)
        return whole(as_of=as_of, since=since)

    monkeypatch.setattr(store, "frame", changes_only)
    return asked


#: ids whose code point order differs from a natural-language collation's (punctuation,
#: case, accents): the merged frame must keep the stores' order among rows of one day
AWKWARD_IDS = ("t-b", "tA", "ta", "t_a", "tb", "t.a", "té", "tz", "T0", "t a")


def test_a_later_revision_is_caught_up_without_reading_the_whole_store(
    store: SqlStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """New incidents, new versions of stored ones (moved to another day) and ids that sort
    differently under a collation: the caught-up frame is the store's frame."""
    cache = tmp_path / "frames"
    first = varied()[:30]
    same_day = [changed(awkward(100 + k), id=i) for k, i in enumerate(AWKWARD_IDS[::2])]
    b1 = store.import_batch(meta("one.geojson"), [*first, *same_day])
    frame_cache.load(store, cache)
    [path] = cache.glob("*.arrow")
    day = same_day[0].date_start
    later = [
        *(changed(awkward(200 + k), id=i, date_start=day, date_end=day)
          for k, i in enumerate(AWKWARD_IDS[1::2])),
        changed(first[3], notes="revised", date_start=first[20].date_start,
                date_end=first[20].date_end),
        changed(first[7], weapons=("drone",)),
        awkward(300),
    ]  # fmt: skip
    store.import_batch(meta("two.geojson"), later)
    store.import_batch(meta("three.geojson"), [changed(first[7], status="claimed")])
    want = store.frame()
    asked = _only_changes(store, monkeypatch)
    got = frame_cache.load(store, cache)
    pd.testing.assert_frame_equal(got, want)
    assert asked == [b1.id]
    assert list(cache.glob("*.arrow")) == [path]  # the same file, rewritten
    # and now it is current: nothing is read from the store at all
    _no_database(store, monkeypatch)
    pd.testing.assert_frame_equal(frame_cache.load(store, cache), want)


def test_catching_up_from_an_empty_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = open_store(str(tmp_path / "atlas.sqlite"), bundled=False)
    cache = tmp_path / "frames"
    frame_cache.load(store, cache)
    store.import_batch(meta("one.geojson"), varied()[:8])
    want = store.frame()
    asked = _only_changes(store, monkeypatch)  # type: ignore[arg-type]
    pd.testing.assert_frame_equal(frame_cache.load(store, cache), want)
    assert asked == [0]
    store.close()


def test_a_cache_of_another_store_at_the_same_path_is_not_caught_up(tmp_path: Path) -> None:
    """The store file was replaced by another with as many batches: the cached revision is not
    a past state of this store, so the frame is read whole."""
    cache, path = tmp_path / "frames", tmp_path / "atlas.sqlite"
    old = open_store(str(path), bundled=False)
    old.import_batch(meta("one.geojson"), varied()[:10])
    frame_cache.load(old, cache)
    old.close()
    path.unlink()
    new = open_store(str(path), bundled=False)
    new.import_batch(meta("one.geojson"), varied()[10:14])
    new.import_batch(meta("two.geojson"), varied()[14:16])
    got = frame_cache.load(new, cache)
    pd.testing.assert_frame_equal(got, new.frame())
    assert set(got["id"]) == {i.id for i in varied()[10:16]}
    new.close()


def test_a_catch_up_that_does_not_add_up_is_refused(tmp_path: Path) -> None:
    """A cached frame holding a row the store never had (so the merge would keep it) is not
    caught up: the row count gives it away."""
    store = open_store(str(tmp_path / "atlas.sqlite"), bundled=False)
    b1 = store.import_batch(meta("one.geojson"), varied()[:10])
    stale = frame_cache.load(store, tmp_path / "frames")
    store.import_batch(meta("two.geojson"), [awkward(90)])
    phantom = pd.concat([stale, store.frame(since=0)[:0], stale[:1].assign(id="ghost")])
    assert frame_cache.catch_up(store, phantom, store.revision(as_of=b1.id)) is None
    assert frame_cache.catch_up(store, stale, store.revision(as_of=b1.id)) is not None
    store.close()


def test_an_empty_store_round_trips(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "empty.sqlite"), bundled=False)
    want = store.frame()
    frame_cache.load(store, tmp_path / "frames")
    got = frame_cache.load(store, tmp_path / "frames")
    pd.testing.assert_frame_equal(got, want)
    store.close()


def test_two_stores_never_share_a_file(tmp_path: Path) -> None:
    """Same revision text is possible in two stores; the key holds the store too."""
    cache = tmp_path / "frames"
    one = open_store(str(tmp_path / "one.sqlite"), bundled=False)
    two = open_store(str(tmp_path / "two.sqlite"), bundled=False)
    one.import_batch(meta("a.geojson"), varied()[:5])
    two.import_batch(meta("a.geojson"), varied()[5:12])
    for s in (one, two, one, two):
        pd.testing.assert_frame_equal(frame_cache.load(s, cache), s.frame())
    assert len(list(cache.glob("*.arrow"))) == 2
    one.close()
    two.close()


def _no_date(path: Path) -> None:
    """Readable Arrow with the right columns, but a start date that is no date."""
    table = frame_cache.feather.read_table(path)
    dates = table.column("date_start").to_pylist()
    column = table.column_names.index("date_start")
    table = table.set_column(column, "date_start", [["not a date", *dates[1:]]])
    frame_cache.feather.write_feather(table, path)


def _no_notes(path: Path) -> None:
    """A column short (and no revision in the metadata)."""
    table = frame_cache.feather.read_table(path).drop_columns(["notes"])
    frame_cache.feather.write_feather(table.replace_schema_metadata({}), path)


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        pytest.param(lambda p: p.write_bytes(b"not arrow at all"), "unreadable", id="garbage"),
        pytest.param(
            lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]),
            "unreadable",
            id="cut",
        ),
        pytest.param(lambda p: p.write_bytes(b""), "unreadable", id="empty"),
        pytest.param(_no_date, "unreadable", id="impossible-values"),
        pytest.param(_no_notes, "other columns", id="other-columns"),
    ],
)
def test_a_bad_file_is_ignored_and_rewritten(
    small: SqlStore,
    tmp_path: Path,
    damage: Callable[[Path], object],
    said: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    path = _cached(small, tmp_path / "frames")
    damage(path)
    with caplog.at_level(logging.WARNING, logger="geo.store"):
        got = frame_cache.load(small, tmp_path / "frames")
    pd.testing.assert_frame_equal(got, small.frame())
    assert said in caplog.text
    assert frame_cache.read(path) is not None  # rewritten whole


def test_an_unwritable_cache_still_gives_the_frame(
    small: SqlStore, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("the cache directory cannot be made under a file")
    with caplog.at_level(logging.WARNING, logger="geo.store"):
        got = frame_cache.load(small, blocker / "frames")
    pd.testing.assert_frame_equal(got, small.frame())
    assert "not written" in caplog.text


def test_files_are_private_to_their_owner(small: SqlStore, tmp_path: Path) -> None:
    cache = tmp_path / "frames"
    path = _cached(small, cache)
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not list(cache.glob(".frame-*"))  # no temporary file left behind


@pytest.mark.parametrize(
    ("env", "want"),
    [
        (None, frame_cache.DEFAULT_DIR),
        ("", frame_cache.DEFAULT_DIR),
        ("off", None),
        ("OFF", None),
        ("/somewhere/frames", Path("/somewhere/frames")),
    ],
)
def test_cache_dir_from_the_environment(
    env: str | None, want: Path | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    if env is None:
        monkeypatch.delenv(frame_cache.ENV, raising=False)
    else:
        monkeypatch.setenv(frame_cache.ENV, env)
    assert frame_cache.cache_dir() == want


def test_off_reads_the_store(
    small: SqlStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(frame_cache.ENV, "off")
    pd.testing.assert_frame_equal(frame_cache.load(small), small.frame())
    assert not list(tmp_path.rglob("*.arrow"))


def test_the_key_of_a_postgis_store_holds_no_password() -> None:
    class Remote:
        url = "postgresql://atlas:s3cret-pw@db.example:5432/atlas?options=-csearch_path%3Dx"

    key = frame_cache.store_key(Remote())  # type: ignore[arg-type]
    assert "s3cret-pw" not in key and "db.example" in key


def test_what_changed_is_found_through_the_batch_index(
    store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``frame(since=)`` reads the few rows later batches brought by the batch_id index, not
    every row in date order (a planner's first choice when the query asks for that order)."""
    fill_store(store, 5000, seed=9)
    last = store.import_batch(meta("later.geojson"), varied()[:5])
    plan = store.explain_frame(since=last.id - 1)
    assert "incidents_batch_id_idx" in plan, plan
    assert set(store.frame(since=last.id - 1)["id"]) == {i.id for i in varied()[:5]}
