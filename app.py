"""Incident Atlas: ``streamlit run app.py``.  A router only; pages live in ``components/``.

Which pages show depends on what the connected role may do (:mod:`components.pages`)."""

import streamlit as st

from components import data, import_page, map_page, pages, review_page

RENDER = {"map": map_page.render, "review": review_page.render, "import": import_page.render}

st.set_page_config(page_title="Incident Atlas", layout="wide")
visible = pages.visible_pages(data.store().access())
st.navigation(
    [
        st.Page(RENDER[p.url_path], title=p.title, url_path=p.url_path, default=n == 0)
        for n, p in enumerate(visible)
    ]
).run()
