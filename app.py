"""Incident Atlas: ``streamlit run app.py``.  A router only; pages live in ``components/``."""

import streamlit as st

from components import pages

st.set_page_config(page_title="Incident Atlas", layout="wide")
st.navigation(pages.ALL).run()
