"""Incident Atlas: ``streamlit run app.py``.  A router only; pages live in ``components/``."""

import streamlit as st

from components import map_page

st.set_page_config(page_title="Incident Atlas", layout="wide")
st.navigation([st.Page(map_page.render, title="Map", url_path="map", default=True)]).run()
