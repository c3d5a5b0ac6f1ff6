"""Charts: a strip of attacks per site that shows lulls, and attacks per week by weapon.

Vega-Lite ships inside Streamlit's front end, so these draw offline.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from geo import query
from geo.gazetteer import Gazetteer
from geo.mapping.style import WEAPON_COLOURS


def _weapon_scale() -> alt.Scale:
    return alt.Scale(domain=list(WEAPON_COLOURS), range=list(WEAPON_COLOURS.values()))


def attack_strip(frame: pd.DataFrame, gazetteer: Gazetteer) -> None:
    """One row per site, a mark per attack (a bar for a window longer than a day); past
    ``query.attack_strip``'s cap, a mark per site and week (or month, quarter, year)."""
    marks = query.attack_strip(frame)
    if marks.empty:
        return
    names = {s.id: s.name for s in gazetteer}
    data = pd.DataFrame(
        {
            "site": [names.get(s, "unlocated") if s else "unlocated" for s in marks["site_id"]],
            "start": pd.to_datetime(marks["start"]),
            "end": pd.to_datetime(marks["end"]) + pd.Timedelta(hours=20),
            "weapon": marks["weapon"],
            "attacks": marks["attacks"],
        }
    )
    binned = len(marks) < int(marks["attacks"].sum())
    chart = (
        alt.Chart(data)
        .mark_bar(height=12, cornerRadius=2)
        .encode(
            x=alt.X("start:T", title=None),
            x2="end:T",
            y=alt.Y("site:N", title=None, sort="-x"),
            color=alt.Color("weapon:N", scale=_weapon_scale(), legend=None),
            opacity=alt.Opacity("attacks:Q", legend=None) if binned else alt.value(1),
            tooltip=["site", alt.Tooltip("start:T", format="%Y-%m-%d"), "weapon", "attacks"],
        )
        .properties(height=28 * data["site"].nunique() + 30)
    )
    st.altair_chart(chart, width="stretch")
    if binned:
        days = (marks["end"].iloc[0] - marks["start"].iloc[0]).days + 1
        st.caption(
            f"{int(marks['attacks'].sum()):,} attacks drawn as one mark per site and "
            f"{days}-day period (darker: more attacks; colour: the most frequent weapon)."
        )
    gaps = query.lulls(frame)
    if gaps:
        longest = ", ".join(f"{g.start} … {g.end} ({g.days} days)" for g in gaps[:3])
        st.caption(f"Longest lulls without an attack: {longest}")


def weekly_chart(frame: pd.DataFrame) -> None:
    data = query.weekly(frame)
    if data.empty:
        return
    data["week"] = pd.to_datetime(data["week"])
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("week:T", title="week"),
            y=alt.Y("sum(attacks):Q", title="attacks"),
            color=alt.Color("weapon:N", scale=_weapon_scale()),
            tooltip=[alt.Tooltip("week:T", format="%Y-%m-%d"), "weapon", "attacks"],
        )
        .properties(height=160)
    )
    st.altair_chart(chart, width="stretch")
