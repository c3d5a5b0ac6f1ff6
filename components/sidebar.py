"""The sidebar: the date range (slider and exact dates, kept in step) and display options."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pandas as pd
import streamlit as st

from geo import query, vocabulary
from geo.gazetteer import Gazetteer
from geo.query import Filters
from geo.store import BatchInfo

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


def range_state(lo: date, hi: date, default: tuple[date, date] | None = None) -> tuple[date, date]:
    """The range inside [lo, hi] the page shows (kept in session state; the widgets of
    :func:`date_range` edit it); defaults to ``default`` (the attacks' span: imported other
    events can reach back decades) or all of it.  A range still at the default, or at all of
    [lo, hi], follows new data; a range the user chose stays as it was."""
    ss = st.session_state
    default = default or (lo, hi)
    start, end = ss.get(RANGE, default)
    if (start, end) == ss.get("atlas_default"):  # first: an import must not widen it to decades
        start, end = default
    elif (start, end) == ss.get("atlas_span"):
        start, end = lo, hi
    ss["atlas_span"], ss["atlas_default"] = (lo, hi), default
    clamped = (max(lo, min(start, hi)), min(hi, max(end, lo)))  # the data's span may have changed
    if ss.get(RANGE) != clamped or "range_slider" not in ss:
        _set(*clamped)
    return ss[RANGE]


def date_fields(lo: date, hi: date) -> None:
    """The exact dates: the From and To fields (after :func:`range_state`)."""
    st.date_input("From", key="range_from", min_value=lo, max_value=hi, on_change=_from_inputs)
    st.date_input("To", key="range_to", min_value=lo, max_value=hi, on_change=_from_inputs)


def range_tools(lo: date, hi: date, default: tuple[date, date]) -> None:
    """The slider over the whole span and the buttons back to the attacks' or all dates."""
    st.slider(
        "Date range",
        min_value=lo,
        max_value=hi,
        key="range_slider",
        on_change=_from_slider,
        format="YYYY-MM-DD",
    )
    right = st
    if default != (lo, hi):  # imported other events reach beyond the attacks
        left, right = st.columns(2)
        left.button(
            "Attack dates",
            on_click=_set,
            args=default,
            width="stretch",
            help="The span of the attacks on US/coalition forces and US strikes (the default).",
        )
    right.button(
        "All dates",
        on_click=_set,
        args=(lo, hi),
        width="stretch",
        help="Every date in the data, imported other events included.",
    )


def date_range(lo: date, hi: date, default: tuple[date, date] | None = None) -> tuple[date, date]:
    """The range (:func:`range_state`) with all its widgets: exact dates, slider, buttons."""
    start, end = range_state(lo, hi, default)
    date_fields(lo, hi)
    range_tools(lo, hi, default or (lo, hi))
    return start, end


#: (Filters attribute, label, frame column) for the multiselect filters, in sidebar order
CHOICES: tuple[tuple[str, str, str], ...] = (
    ("event_types", "Event type", "event_type"),
    ("weapons", "Weapon", "weapons"),
    ("outcomes", "Outcome", "outcome"),
    ("statuses", "Status (claimed / confirmed ...)", "status"),
    ("countries", "Country", "country"),
    ("sites", "Site", "site_id"),
    ("claimants", "Claimed by", "claimed_by"),
    ("datasets", "Data source", "dataset"),
)


#: the session-state key of the "Data as of" picker
AS_OF = "as_of_batch"


def as_of() -> int | None:
    """The batch chosen in the "Data as of" picker (drawn by :func:`sidebar`; read before the
    frame is loaded), None for the data as it is now."""
    return st.session_state.get(AS_OF)


def as_of_picker(batches: list[BatchInfo]) -> int | None:
    """The data as it stood after a chosen import batch (None = as it is now)."""
    labels = {
        b.id: f"batch {b.id}: {b.file_name} ({b.finished_at:%Y-%m-%d %H:%M})" for b in batches
    }
    return st.selectbox(
        "Data as of",
        [None, *reversed(list(labels))],
        format_func=lambda b: "now (latest import)" if b is None else labels[b],
        key=AS_OF,
        help="Show the data as it was after an earlier import: later imports and "
        "revisions are undone.",
    )


def _filters(
    start: date, end: date, chosen: dict[str, tuple[str, ...]], vague: bool, pending: bool
) -> Filters:
    return Filters(
        start=start,
        end=end,
        summary_max_geo_precision=7 if vague else 2,
        reviews=("accepted", "pending") if pending else ("accepted",),
        **chosen,
    )


def chosen_filters(frame: pd.DataFrame) -> tuple[Filters, bool]:
    """The filters as the session holds them, and whether to draw online tiles: what
    :func:`sidebar`'s widgets will return, read before they are drawn (the page draws its map
    first, so that the browser fetches the map's scripts first).  A new session: the default
    range and no other filter."""
    span = query.span(frame)
    assert span is not None
    start, end = range_state(*span, default=query.subject_span(frame))
    ss = st.session_state
    chosen = {attr: tuple(ss.get(f"f_{attr}") or ()) for attr, _label, _column in CHOICES}
    filters = _filters(
        start, end, chosen, bool(ss.get("count_imprecise")), bool(ss.get("include_pending"))
    )
    return filters, bool(ss.get("online_tiles"))


def sidebar(
    frame: pd.DataFrame, gazetteer: Gazetteer, batches: list[BatchInfo] | None = None
) -> tuple[Filters, bool]:
    """The filters the user chose (one Filters value for map, tables and exports), and whether
    to draw online tiles; after :func:`chosen_filters` in the same run.

    ``batches`` None: the first screen's sidebar, the dates only (the other filters at their
    defaults); the rest comes on the next run, once the map is drawn.  Else everything, the
    "Data as of" picker over ``batches`` first."""
    span = query.span(frame)
    assert span is not None
    names = {s.id: s.name for s in gazetteer}

    def fmt_of(attr: str) -> Callable[[str], str]:
        if attr == "sites":
            return lambda v: names.get(v, v)
        return lambda v: vocabulary.filter_value(attr, v)

    chosen: dict[str, tuple[str, ...]] = {}
    vague = pending = online = False
    start, end = st.session_state[RANGE]
    with st.sidebar:
        if batches is not None:
            as_of_picker(batches)
        st.header("Filters")
        date_fields(*span)
        if batches is not None:
            range_tools(*span, query.subject_span(frame) or span)
            for attr, label, column in CHOICES:
                chosen[attr] = tuple(
                    st.multiselect(label, query.choices(frame, column), key=f"f_{attr}",
                                   format_func=fmt_of(attr), placeholder="all")
                )  # fmt: skip
            vague = st.toggle(
                "Count imprecise places in site summaries",
                value=False,
                key="count_imprecise",
                help="Off: incidents placed only to a district, province or country "
                "(UCDP where_prec 3 or more) are drawn and listed but not counted per site.",
            )
            pending = st.toggle(
                "Include incidents waiting for review",
                value=False,
                key="include_pending",
                help="Extracted incidents count once an analyst accepts them (Add reporting page).",
            )
            st.divider()
            online = st.toggle(
                "Online map tiles (needs a network)",
                value=False,
                key="online_tiles",
                help="Off by default: the bundled borders need no network.",
            )
    return _filters(start, end, chosen, vague, pending), online
