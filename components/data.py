"""Cached loaders: the store is opened once per process, the frame rebuilt only when the data
changes (``store.revision()``) or another as-of batch is asked for; across restarts the current
frame comes from :mod:`geo.store.frame_cache`."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import streamlit as st

from geo.gazetteer import Gazetteer
from geo.paths import SITES_CSV
from geo.store import Store, frame_cache, open_store, read_only_default, store_url


def _argv_store() -> str | None:
    """``streamlit run app.py -- --store URL`` (else ATLAS_STORE, else the default file)."""
    args = sys.argv[1:]
    for i, arg in enumerate(args):
        if arg == "--store" and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith("--store="):
            return arg.split("=", 1)[1]
    return None


def url() -> str:
    return store_url(_argv_store())


def read_only() -> bool:
    """``streamlit run app.py -- --read-only`` (``scripts/app --read-only``), else
    ``ATLAS_READ_ONLY``: the briefing-room display, which writes nothing."""
    return "--read-only" in sys.argv[1:] or read_only_default()


@st.cache_resource(show_spinner="Opening the store…")
def _store(url: str, read_only: bool) -> Store:
    return open_store(url, read_only=read_only)


def store() -> Store:
    return _store(url(), read_only())


def open_for_write() -> Store:
    """A connection of its own for one write (close it after), opened as the app's is."""
    return open_store(url(), bundled=False, read_only=read_only())


@st.cache_resource(show_spinner=False)
def _gazetteer(path: str, stamp: float) -> Gazetteer:
    return Gazetteer.load(Path(path))


@st.cache_resource(show_spinner="Loading incidents…", max_entries=3)
def _frame(url: str, revision: str, as_of: int | None) -> pd.DataFrame:
    # cache_resource, not cache_data: a million rows are shared, not copied on every rerun
    # (nothing downstream mutates the frame: filters return new frames).  The current data
    # comes through the frame cache on disk: a restart does not wait for the database.
    if as_of is None:
        return frame_cache.load(_store(url, read_only()))
    return _store(url, read_only()).frame(as_of=as_of)


def gazetteer() -> Gazetteer:
    return _gazetteer(str(SITES_CSV), SITES_CSV.stat().st_mtime)


def incidents(as_of: int | None = None) -> pd.DataFrame:
    s = store()
    return _frame(url(), s.revision(), as_of)
