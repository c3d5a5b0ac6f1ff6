"""The frame cache on disk (geo.store.frame_cache): the cached frame is the store's frame, a
new revision is never answered from an old file, and a bad or unwritable cache costs time,
never data."""

from __future__ import annotations

import logging
import stat
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from geo.store import frame_cache, open_store
from geo.store._sql import SqlStore
from geo.synth import fill_store
from tests.postgis_server import fresh_schema
from tests.test_store import meta
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


def test_a_new_revision_is_read_from_the_store_and_replaces_the_old_file(
    store: SqlStore, tmp_path: Path
) -> None:
    cache = tmp_path / "frames"
    store.import_batch(meta("one.geojson"), varied()[:10])
    frame_cache.load(store, cache)
    [old] = cache.glob("*.arrow")
    store.import_batch(meta("two.geojson"), [awkward(77, notes="new")])
    got = frame_cache.load(store, cache)
    assert "new" in set(got["notes"])
    pd.testing.assert_frame_equal(got, store.frame())
    [new] = cache.glob("*.arrow")
    assert new != old


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


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda p: p.write_bytes(b"not arrow at all"), id="garbage"),
        pytest.param(lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]), id="cut"),
        pytest.param(lambda p: p.write_bytes(b""), id="empty"),
    ],
)
def test_a_damaged_file_is_ignored_and_rewritten(
    tmp_path: Path, damage: object, caplog: pytest.LogCaptureFixture
) -> None:
    store = open_store(str(tmp_path / "atlas.sqlite"), bundled=False)
    store.import_batch(meta("one.geojson"), varied()[:10])
    cache = tmp_path / "frames"
    frame_cache.load(store, cache)
    [path] = cache.glob("*.arrow")
    damage(path)  # type: ignore[operator]
    with caplog.at_level(logging.WARNING, logger="geo.store"):
        got = frame_cache.load(store, cache)
    pd.testing.assert_frame_equal(got, store.frame())
    assert "unreadable" in caplog.text
    assert frame_cache._read(path) is not None  # rewritten whole
    store.close()


def test_a_file_with_other_columns_is_not_used(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = open_store(str(tmp_path / "atlas.sqlite"), bundled=False)
    store.import_batch(meta("one.geojson"), varied()[:10])
    cache = tmp_path / "frames"
    frame_cache.load(store, cache)
    [path] = cache.glob("*.arrow")
    table = frame_cache.to_table(store.frame()).drop_columns(["notes"])
    frame_cache.feather.write_feather(table, path)
    with caplog.at_level(logging.WARNING, logger="geo.store"):
        got = frame_cache.load(store, cache)
    pd.testing.assert_frame_equal(got, store.frame())
    assert "other columns" in caplog.text
    store.close()


def test_an_unwritable_cache_still_gives_the_frame(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = open_store(str(tmp_path / "atlas.sqlite"), bundled=False)
    store.import_batch(meta("one.geojson"), varied()[:10])
    blocker = tmp_path / "a-file"
    blocker.write_text("the cache directory cannot be made under a file")
    with caplog.at_level(logging.WARNING, logger="geo.store"):
        got = frame_cache.load(store, blocker / "frames")
    pd.testing.assert_frame_equal(got, store.frame())
    assert "not written" in caplog.text
    store.close()


def test_files_are_private_to_their_owner(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "atlas.sqlite"), bundled=False)
    store.import_batch(meta("one.geojson"), varied()[:3])
    cache = tmp_path / "frames"
    frame_cache.load(store, cache)
    [path] = cache.glob("*.arrow")
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not list(cache.glob(".frame-*"))  # no temporary file left behind
    store.close()


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


def test_off_reads_the_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(frame_cache.ENV, "off")
    store = open_store(str(tmp_path / "atlas.sqlite"), bundled=False)
    store.import_batch(meta("one.geojson"), varied()[:3])
    pd.testing.assert_frame_equal(frame_cache.load(store), store.frame())
    assert not (tmp_path / "frames").exists()
    store.close()


def test_the_key_of_a_postgis_store_holds_no_password() -> None:
    class Remote:
        url = "postgresql://atlas:s3cret-pw@db.example:5432/atlas?options=-csearch_path%3Dx"

    key = frame_cache.store_key(Remote())  # type: ignore[arg-type]
    assert "s3cret-pw" not in key and "db.example" in key
