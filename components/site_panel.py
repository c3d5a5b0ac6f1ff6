"""The selected site: what the gazetteer knows of it, and its incidents with their sources."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from components import charts, safe
from components.map_panel import MAP_GENERATION, SELECTED
from components.tables import incident_table
from geo import query, vocabulary
from geo.gazetteer import Gazetteer
from geo.markup import date_window, esc

#: incidents whose quotes are printed under the selected site (latest first)
SOURCE_ROWS = 50


def site_picker(gazetteer: Gazetteer) -> str | None:
    """A select box kept in step with map clicks (the map writes SELECTED before this runs)."""
    options = [None] + [s.id for s in gazetteer]
    names = {s.id: s.name for s in gazetteer}
    if st.session_state.get("site_select") != st.session_state.get(SELECTED):
        st.session_state["site_select"] = st.session_state.get(SELECTED)

    def _picked() -> None:
        st.session_state[SELECTED] = st.session_state["site_select"]
        st.session_state[MAP_GENERATION] = st.session_state.get(MAP_GENERATION, 0) + 1
        st.session_state.pop("_atlas_last_click", None)

    return st.selectbox(
        "Site (or click it on the map)",
        options,
        key="site_select",
        format_func=lambda sid: "— choose a site —" if sid is None else names[sid],
        on_change=_picked,
    )


def site_panel(
    frame: pd.DataFrame, gazetteer: Gazetteer, filters: query.Filters, as_of: date
) -> None:
    site_id = site_picker(gazetteer)
    if not site_id:
        return
    site = gazetteer.get(site_id)
    st.subheader(site.name)
    where = "no verified coordinate" if not site.located else f"{site.latitude}, {site.longitude}"
    safe.text(
        f"{site.kind.replace('_', ' ')} · {site.admin1 or ''} {vocabulary.country(site.country)}"
        f" · {where}",
        "atlas-site-meta",
    )
    with st.expander("Where the coordinate comes from, and doubts"):
        safe.text(f"Source: {site.coord_source}")
        if site.note:
            safe.text(f"Note: {site.note}")
    here = query.incidents_at(frame, site_id)
    summary = query.site_summaries(query.for_summaries(here, filters), gazetteer, as_of)
    if summary:
        s = summary[0]
        top, bottom = st.columns(2), st.columns(2)
        top[0].metric("Attacks in range", s.incidents)
        top[1].metric(
            "Last attack",
            str(s.last_date),
            f"{s.days_since_last} days before range end",
            delta_color="off",
            delta_arrow="off",
        )
        top[0].caption(f"{s.confirmed} confirmed · {s.claimed} claimed only")
        bottom[0].metric("US killed", s.killed.core())
        bottom[1].metric("US injured", s.injured.core())
        for col, r in ((bottom[0], s.killed), (bottom[1], s.injured)):
            if r.unreported:
                col.caption(f"{r.unreported} attack(s) give no figure")
    if here.empty:
        st.info("No incidents at this site in the selected range.")
        return
    charts.weekly_chart(here)
    incident_table(here, gazetteer, key="site_incidents")
    st.markdown("**Sources**")
    shown = here.iloc[::-1].iloc[:SOURCE_ROWS]  # the latest first
    if len(here) > SOURCE_ROWS:
        st.caption(
            f"The {SOURCE_ROWS} latest of {len(here):,} incidents; the table above and the "
            "exports hold every quote."
        )
    for row in shown.to_dict("records"):
        quotes = "".join(
            f"<blockquote>“{esc(src.quote)}”<br><small>{esc(src.article)}, published "
            f"{esc(src.published)}</small></blockquote>"
            for src in query.sources_of(row["sources"])
        )
        st.html(
            f'<div class="atlas-site-source" data-incident-id="{esc(row["id"])}">'
            f"<b>{esc(date_window(row['date_start'], row['date_end'], row['date_precision']))}</b>"
            f" — {esc(vocabulary.labels('weapon', row['weapons']))}{quotes}</div>"
        )
