"""Cached loaders: the app reads files once per change, not once per rerun."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from geo import query
from geo.gazetteer import Gazetteer
from geo.io.geojson import read_incidents
from geo.paths import INCIDENTS_GEOJSON, SITES_CSV


def _stamp(path: Path) -> float:
    return path.stat().st_mtime


@st.cache_resource(show_spinner=False)
def _gazetteer(path: str, stamp: float) -> Gazetteer:
    return Gazetteer.load(Path(path))


@st.cache_data(show_spinner=False)
def _frame(path: str, stamp: float) -> pd.DataFrame:
    return query.to_frame(read_incidents(Path(path)))


def gazetteer() -> Gazetteer:
    return _gazetteer(str(SITES_CSV), _stamp(SITES_CSV))


def incidents() -> pd.DataFrame:
    return _frame(str(INCIDENTS_GEOJSON), _stamp(INCIDENTS_GEOJSON))
