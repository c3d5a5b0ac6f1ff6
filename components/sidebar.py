"""The sidebar: the date range (slider and exact dates, kept in step) and display options."""

from __future__ import annotations

from datetime import date

import streamlit as st

from geo.query import Filters

RANGE = "atlas_range"


def _from_slider() -> None:
    start, end = st.session_state["range_slider"]
    _set(start, end)


def _from_inputs() -> None:
    start, end = st.session_state["range_from"], st.session_state["range_to"]
    if start > end:  # typed the wrong way round
        start, end = end, start
    _set(start, end)


def _set(start: date, end: date) -> None:
    st.session_state[RANGE] = (start, end)
    st.session_state["range_slider"] = (start, end)
    st.session_state["range_from"], st.session_state["range_to"] = start, end


def date_range(lo: date, hi: date) -> tuple[date, date]:
    """A range inside [lo, hi]; defaults to all of it."""
    ss = st.session_state
    start, end = ss.get(RANGE, (lo, hi))
    clamped = (max(lo, min(start, hi)), min(hi, max(end, lo)))  # the data's span may have changed
    if ss.get(RANGE) != clamped or "range_slider" not in ss:
        _set(*clamped)
    st.slider(
        "Date range",
        min_value=lo,
        max_value=hi,
        key="range_slider",
        on_change=_from_slider,
        format="YYYY-MM-DD",
    )
    st.date_input("From", key="range_from", min_value=lo, max_value=hi, on_change=_from_inputs)
    st.date_input("To", key="range_to", min_value=lo, max_value=hi, on_change=_from_inputs)
    st.button("All dates", on_click=_set, args=(lo, hi), width="stretch")
    return ss[RANGE]


def sidebar(lo: date, hi: date) -> tuple[Filters, bool]:
    """The filters the user chose, and whether to draw online tiles."""
    with st.sidebar:
        st.header("Filters")
        start, end = date_range(lo, hi)
        show_strikes = st.checkbox("Show US strikes", value=True, key="show_strikes")
        st.divider()
        online = st.toggle(
            "Online map tiles (needs a network)",
            value=False,
            key="online_tiles",
            help="Off by default: the bundled borders need no network.",
        )
    types = () if show_strikes else ("attack",)
    return Filters(start=start, end=end, event_types=types), online
