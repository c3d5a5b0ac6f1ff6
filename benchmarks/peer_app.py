"""The peer: a plain Streamlit + folium app written the tutorial way, for browser_bench.py.

A pandas date filter, one folium ``CircleMarker`` per incident, ``st_folium``; the same vendored
Leaflet as the atlas (served at /app/static, no network).  It reads a CSV the benchmark writes
from the same store the atlas opens (``PEER_CSV``).  Run: ``streamlit run peer_app.py``
from a folder whose ``static`` is the project's (browser_bench.py links one).
"""

import os
from html import escape

import folium
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

LEAFLET = "/app/static/vendor/leaflet-1.9.4/"

st.set_page_config(page_title="Incidents", layout="wide")


@st.cache_data
def load(path: str) -> pd.DataFrame:
    return pd.read_csv(path, parse_dates=["date_start"])


df = load(os.environ["PEER_CSV"])
lo, hi = df["date_start"].min().date(), df["date_start"].max().date()
with st.sidebar:
    st.header("Filters")
    start = st.date_input("From", lo, min_value=lo, max_value=hi)
    end = st.date_input("To", hi, min_value=lo, max_value=hi)

day = df["date_start"].dt.date
shown = df[(day >= start) & (day <= end) & df["latitude"].notna()]
st.title("Incidents")
st.text(f"Range: {start} to {end} ({len(shown)} incidents)")

m = folium.Map(location=[33.5, 41.5], zoom_start=6, tiles=None)
m.default_js = [("leaflet", LEAFLET + "leaflet.js")]
m.default_css = [("leaflet_css", LEAFLET + "leaflet.css")]
for row in shown.itertuples():
    folium.CircleMarker(
        [row.latitude, row.longitude],
        radius=5,
        fill=True,
        tooltip=escape(f"{row.site_id}: {row.date_start:%Y-%m-%d}"),
    ).add_to(m)
st_folium(m, height=640, use_container_width=True)
