"""The main page: headline, map, per-site summaries, the selected site, all incidents."""

from __future__ import annotations

import streamlit as st

from components import charts, data, safe
from components.export_panel import export_panel
from components.map_panel import SELECTED, map_panel
from components.sidebar import as_of_picker, sidebar
from components.site_panel import site_panel
from components.tables import incident_table, summary_table, unlocated_table
from geo import query, vocabulary


def render() -> None:
    gazetteer = data.gazetteer()
    as_of = as_of_picker(data.store().batches())
    frame_all = data.incidents(as_of)
    st.title("Incident Atlas")
    st.caption(
        "Attacks on US and coalition forces in Iraq, Syria and Jordan, from sourced reports."
    )
    span = query.span(frame_all)
    if span is None:
        st.warning("No incidents in the store yet.")
        return
    filters, online = sidebar(frame_all, gazetteer)
    frame = query.apply(frame_all, filters)
    range_end = filters.end or span[1]

    head = query.headline(frame_all, filters)
    cols = st.columns(6)
    cols[0].metric(
        "Attacks",
        head.attacks,
        help="Attacks on US and coalition forces in range: what the map's site circles count.",
    )
    cols[0].caption(f"{head.confirmed} confirmed · {head.claimed} claimed only")
    if head.unlocated_attacks:
        cols[0].caption(
            f"{head.unlocated_attacks} of them not on the map: place not known (see Unlocated)"
        )
    cols[1].metric("Sites hit", head.sites_hit)
    for col, label, r in (
        (cols[2], "US killed", head.killed),
        (cols[3], "US injured", head.injured),
    ):
        col.metric(label, r.core(), help="Sum of the reported ranges; '+' means no upper bound.")
        if r.unreported:
            col.caption(f"{r.unreported} attack(s) give no figure")
    cols[4].metric("US strikes", head.us_strikes)
    if head.others:  # imported context: said, never added to the attacks
        cols[4].caption(
            f"{vocabulary.count_noun(head.others, 'other event')} (imported) in range: "
            "context on the map (layer 'Other events (imported)')"
        )
    cols[5].metric(
        "Unlocated incidents",
        head.unlocated,
        help="Incidents of every type whose place is not known precisely enough to pin.",
    )
    # filter values can come from imported files: inert text, never Markdown
    safe.text(f"Range: {filters.describe()}", "atlas-range")

    # what the map shows, apart from the selected site: a new view rebuilds the map
    view = f"{filters!r}|{as_of}|{data.store().revision()}|{online}"
    map_panel(frame, gazetteer, online, view)
    selected = st.session_state.get(SELECTED)
    export_panel(
        frame,
        filters,
        gazetteer,
        data=frame_all,
        selected_sites=(selected,) if selected else (),
        reference_date=range_end,
    )
    # the Sites table has the page's width: its key columns show without scrolling at 1280 px
    st.subheader("Sites")
    summary_table(query.summaries(frame_all, filters, gazetteer, range_end))
    left, right = st.columns([1, 1], gap="large")
    with left:
        st.subheader("Attacks over time")
        charts.attack_strip(frame, gazetteer)
    with right:
        site_panel(frame, gazetteer, filters, range_end)

    tab_all, tab_unlocated = st.tabs(
        [f"All incidents ({len(frame)})", f"Unlocated ({head.unlocated})"]
    )
    with tab_all:
        incident_table(frame, gazetteer, key="all_incidents")
    with tab_unlocated:
        st.caption(
            "Incidents whose place is not known precisely enough to pin: listed, never guessed."
        )
        unlocated_table(frame[frame["longitude"].isna()], gazetteer)
