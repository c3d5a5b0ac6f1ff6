"""Incident Atlas: ``streamlit run app.py``.  A router only; pages live in ``components/``."""

import streamlit as st

from components import import_page, map_page, review_page

st.set_page_config(page_title="Incident Atlas", layout="wide")
st.navigation(
    [
        st.Page(map_page.render, title="Map", url_path="map", default=True),
        st.Page(review_page.render, title="Add reporting", url_path="review"),
        st.Page(import_page.render, title="Import", url_path="import"),
    ]
).run()
