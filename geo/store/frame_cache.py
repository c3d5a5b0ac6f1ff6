"""A store's frame kept on disk between runs, so the app's first map does not wait for the
database.

Loading a million incidents from a store takes seconds per hundred thousand rows (the driver
makes a Python object of every value); the same frame read back from an Arrow file takes about
a second.  :func:`load` gives the store's current frame (:meth:`Store.frame`), from the cache
when it holds this store at this revision, else from the store (and then writes the cache).

* **Key**: the store (its file, or its URL with the password masked), the store's
  :meth:`~geo.store.base.Store.revision` (it changes whenever the data does) and
  :data:`FORMAT`.  One file per store is kept: writing a new revision removes the old one.
* **Format**: Arrow IPC with zstd (a tenth of the raw size), the model's columns as the store
  holds them (dates as ISO text, weapons as JSON text); :func:`geo.query.finish` types them on
  reading, as it does for a store's rows.
* **Never wrong, never fatal**: a file that cannot be read, or whose columns are not the
  expected ones, is ignored and rewritten; a cache that cannot be written is logged and the
  frame returned all the same.  Files are written under a temporary name and renamed.

Where: ``$ATLAS_FRAME_CACHE`` (a directory; ``off`` turns the cache off), else ``var/frames``
in the checkout, beside the default store.  The files hold incident data: the directory is
created readable by its owner only.
"""

from __future__ import annotations

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

from geo.paths import ROOT
from geo.query import COLUMNS, finish
from geo.store.base import Store

#: bump when the file's layout changes: older files are then ignored
FORMAT = 1
ENV = "ATLAS_FRAME_CACHE"
DEFAULT_DIR = ROOT / "var" / "frames"
COMPRESSION = "zstd"

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


def _digest(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:24]


def _prefix(store: Store) -> str:
    return _digest(str(FORMAT), store_key(store), ",".join(COLUMNS))


def load(store: Store, directory: Path | str | None = "default") -> pd.DataFrame:
    """The store's current frame, from the cache in ``directory`` when it holds this revision
    (``"default"``: :func:`cache_dir`; ``None``: no cache)."""
    where = cache_dir() if directory == "default" else directory
    if where is None:
        return store.frame()
    where = Path(where)
    revision = store.revision()  # before reading: a newer frame under an older key is harmless
    prefix = _prefix(store)
    path = where / f"{prefix}-{_digest(revision)}.arrow"
    cached = _read(path)
    if cached is not None:
        return cached
    frame = store.frame()
    _write(frame, where, path, prefix)
    return frame


def _read(path: Path) -> pd.DataFrame | None:
    try:
        table = feather.read_table(path)
    except FileNotFoundError:
        return None
    except (OSError, pa.ArrowException) as exc:
        log.warning("frame cache %s unreadable (%s): loading from the store", path, exc)
        return None
    if table.column_names != list(COLUMNS):
        log.warning("frame cache %s has other columns: loading from the store", path)
        return None
    return finish(table.to_pandas())


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


def _write(frame: pd.DataFrame, where: Path, path: Path, prefix: str) -> None:
    try:
        where.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=where, prefix=".frame-", suffix=".tmp")
        os.close(fd)
        try:
            feather.write_feather(to_table(frame), tmp, compression=COMPRESSION)
            os.replace(tmp, path)
        finally:
            Path(tmp).unlink(missing_ok=True)
        for old in where.glob(f"{prefix}-*.arrow"):
            if old != path:
                old.unlink(missing_ok=True)
    except (OSError, pa.ArrowException) as exc:
        log.warning("frame cache not written to %s (%s)", where, exc)
