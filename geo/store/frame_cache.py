"""A store's frame kept on disk between runs, so the app's first map does not wait for the
database.

Loading a million incidents from a store takes seconds per hundred thousand rows (the driver
makes a Python object of every value); the same frame read back from an Arrow file takes about
a second.  :func:`load` gives the store's current frame (:meth:`Store.frame`):

* from the cache, when it holds this store at its current
  :meth:`~geo.store.base.Store.revision` (which changes whenever the data does);
* else, when the cache holds an earlier revision of this store, from the cache brought up to
  date by :func:`catch_up` (only the rows later batches brought are read from the store: an
  import of a hundred rows into a million costs a merge, not a reload);
* else from the store.  In the last two cases the cache is rewritten.

* **Files**: one per store (its file path, or its URL with the password masked) and
  :data:`FORMAT`; the revision it holds is in the file's metadata.
* **Format**: Arrow IPC with zstd (a tenth of the raw size), the model's columns as the store
  holds them (dates as ISO text, weapons as JSON text); :func:`geo.frame.finish` types them on
  reading, as it does for a store's rows.
* **Never wrong, never fatal**: a file that cannot be read, or whose columns are not the
  expected ones, is ignored and rewritten; a cache that cannot be written is logged and the
  frame returned all the same.  Files are written under a temporary name and renamed.

Where: ``$ATLAS_FRAME_CACHE`` (a directory; ``off`` turns the cache off), else ``var/frames``
in the checkout, beside the default store.  The files hold incident data: the directory is
created readable by its owner only.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.feather as feather

from geo.frame import COLUMNS, finish
from geo.paths import ROOT
from geo.store.base import Store

#: bump when the file's layout changes: older files are then ignored
FORMAT = 1
ENV = "ATLAS_FRAME_CACHE"
DEFAULT_DIR = ROOT / "var" / "frames"
COMPRESSION = "zstd"
#: the file's metadata key for the store revision it holds
REVISION_KEY = b"atlas.revision"

log = logging.getLogger("geo.store")


def cache_dir() -> Path | None:
    """Where frames are cached (``None``: not at all)."""
    given = os.environ.get(ENV)
    if given is None or given == "":
        return DEFAULT_DIR
    return None if given.lower() == "off" else Path(given)


def store_key(store: Store) -> str:
    """A name for the store that holds no secret: its file, or its URL without the password."""
    path = getattr(store, "path", None)
    if isinstance(path, Path):
        return "file:" + str(path.resolve())
    from geo.store.postgis import redact

    return "url:" + redact(store.url)


def _prefix(store: Store) -> str:
    """The cache file's name for this store (and this :data:`FORMAT` and these columns)."""
    key = "\n".join((str(FORMAT), store_key(store), ",".join(COLUMNS)))
    return hashlib.sha256(key.encode()).hexdigest()[:24]


def load(store: Store, directory: Path | None = None) -> pd.DataFrame:
    """The store's current frame, from the cache in ``directory`` (else :func:`cache_dir`,
    which may say: no cache) when it can be."""
    where = directory or cache_dir()
    if where is None:
        return store.frame()
    path = where / f"{_prefix(store)}.arrow"
    revision = store.revision()  # before reading: a newer frame under an older key is harmless
    cached = read(path)
    if cached is not None:
        frame, cached_revision = cached
        if cached_revision == revision:
            return frame
        caught_up = catch_up(store, frame, cached_revision)
        if caught_up is not None:
            _write(caught_up, revision, path)
            return caught_up
    frame = store.frame()
    _write(frame, revision, path)
    return frame


def catch_up(store: Store, frame: pd.DataFrame, revision: str) -> pd.DataFrame | None:
    """``frame``, the store's frame at ``revision``, brought up to now: the rows later batches
    brought (new ids, and new versions of known ones) replace or join it, in the store's order.
    ``None`` when ``revision`` is not a past state of this store (another store's file at the
    same path) or the result does not hold as many rows as the store."""
    batch = _batch_of(revision)
    if batch is None or store.revision(as_of=batch) != revision:
        return None
    changed = store.frame(since=batch)
    merged = _merge(frame, changed)
    return merged if len(merged) == store.count() else None


def _merge(frame: pd.DataFrame, changed: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with ``changed``'s rows in place of those of the same ids, in (start date,
    id) order; both come in that order.  Each changed row's place is a binary search among
    the kept rows of its day, so the frame is not sorted again: one ``take`` of its rows."""
    replaced = frame["id"].isin(changed["id"]).to_numpy()
    keep = np.flatnonzero(~replaced)
    days, ids = frame["day_start"].to_numpy()[keep], frame["id"].to_numpy()[keep]
    new_days = changed["day_start"].to_numpy()
    first = np.searchsorted(days, new_days, side="left")
    past = np.searchsorted(days, new_days, side="right")
    places = [
        bisect.bisect_left(ids, i, lo, hi)
        for i, lo, hi in zip(changed["id"].tolist(), first.tolist(), past.tolist(), strict=True)
    ]
    # the changed rows' places in the result, and the kept rows' in between
    at = np.asarray(places, dtype=np.int64) + np.arange(len(changed))
    is_new = np.zeros(len(keep) + len(changed), dtype=bool)
    is_new[at] = True
    order = np.empty(len(is_new), dtype=np.int64)
    order[~is_new] = keep
    order[is_new] = len(frame) + np.arange(len(changed))
    both = pd.concat([frame, changed], ignore_index=True)
    return both.take(order).reset_index(drop=True)


def _batch_of(revision: str) -> int | None:
    """The batch id a revision names (``"12@2026-..."``), 0 for an empty store."""
    if revision == "empty":
        return 0
    head = revision.partition("@")[0]
    return int(head) if head.isdigit() else None


def read(path: Path) -> tuple[pd.DataFrame, str] | None:
    """The cached frame and the revision it is of, or ``None``."""
    try:
        table = feather.read_table(path)
    except FileNotFoundError:
        return None
    except (OSError, pa.ArrowException) as exc:
        log.warning("frame cache %s unreadable (%s): loading from the store", path, exc)
        return None
    meta = table.schema.metadata or {}
    revision = meta.get(REVISION_KEY)
    if table.column_names != list(COLUMNS) or revision is None:
        log.warning("frame cache %s has other columns: loading from the store", path)
        return None
    try:
        return finish(table.to_pandas()), revision.decode()
    except (ValueError, TypeError, KeyError, UnicodeDecodeError) as exc:  # values gone wrong
        log.warning("frame cache %s unreadable (%s): loading from the store", path, exc)
        return None


def to_table(frame: pd.DataFrame) -> pa.Table:
    """The model's columns of a frame as the store holds them (see the module docstring);
    dates and weapon lists are written once per distinct value."""
    raw = frame[list(COLUMNS)].copy()
    for col in ("date_start", "date_end"):
        raw[col] = _each_distinct(raw[col], lambda d: d.isoformat())
    raw["weapons"] = _each_distinct(raw["weapons"], lambda w: json.dumps(list(w)))
    return pa.Table.from_pandas(raw, preserve_index=False)


def _each_distinct(values: pd.Series, encode: Callable[[Any], str]) -> np.ndarray:
    codes, uniques = pd.factorize(values)
    if len(codes) and codes.min() < 0:
        raise ValueError(f"{values.name}: a row has no value")
    texts = np.array([encode(u) for u in uniques], dtype=object)
    return texts[codes] if len(codes) else np.array([], dtype=object)


def _write(frame: pd.DataFrame, revision: str, path: Path) -> None:
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        table = to_table(frame)
        table = table.replace_schema_metadata({REVISION_KEY: revision})
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".frame-", suffix=".tmp")
        os.close(fd)
        try:
            feather.write_feather(table, tmp, compression=COMPRESSION)
            os.replace(tmp, path)
        finally:
            Path(tmp).unlink(missing_ok=True)
    except (OSError, pa.ArrowException) as exc:
        log.warning("frame cache not written to %s (%s)", path.parent, exc)
