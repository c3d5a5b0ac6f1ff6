"""The app's pages, as objects other pages can switch to (``st.switch_page``)."""

from __future__ import annotations

import streamlit as st

from components import import_page, map_page, review_page

MAP = st.Page(map_page.render, title="Map", url_path="map", default=True)
REVIEW = st.Page(review_page.render, title="Add reporting", url_path="review")
IMPORT = st.Page(import_page.render, title="Import", url_path="import")
ALL = [MAP, REVIEW, IMPORT]
