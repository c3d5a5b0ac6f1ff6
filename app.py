"""Incident Atlas: ``streamlit run app.py``.  A router only; pages live in ``components/``.

Which pages show depends on what the connected role may do (:mod:`components.pages`)."""

import streamlit as st

from components import data, pages

st.set_page_config(page_title="Incident Atlas", layout="wide")
st.navigation(pages.navigation(data.store().access())).run()
