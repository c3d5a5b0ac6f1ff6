"""Charts: a strip of attacks per site that shows lulls, and attacks per week by weapon.

Vega-Lite ships inside Streamlit's front end, so these draw offline.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from geo import query
from geo.gazetteer import Gazetteer
from geo.vocabulary import WEAPON_TERMS


def _weapon_scale(present: pd.Series) -> alt.Scale:
    """Weapon labels to their colours: only the weapons present, in the vocabulary's order (a
    chart's legend lists what the chart shows, never the whole vocabulary)."""
    shown = set(present)
    terms = [t for t in WEAPON_TERMS.values() if t.label in shown]
    return alt.Scale(domain=[t.label for t in terms], range=[t.colour for t in terms])


def _weapon_labels(codes: pd.Series) -> list[str]:
    return [WEAPON_TERMS[c].label for c in codes]


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
            "weapon": _weapon_labels(marks["weapon"]),
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
            color=alt.Color("weapon:N", scale=_weapon_scale(data["weapon"]), legend=None),
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


#: the most week ticks the weekly chart labels (more weeks: a tick every 2, 4, ... weeks)
MAX_WEEK_TICKS = 8


def weekly_chart(frame: pd.DataFrame) -> None:
    """Attacks per week (bars a week wide, ticks on Mondays, whole numbers), by weapon."""
    data = query.weekly(frame)
    if data.empty:
        return
    data["week"] = pd.to_datetime(data["week"])
    data["week_end"] = data["week"] + pd.Timedelta(days=6, hours=20)
    data["weapon"] = _weapon_labels(data["weapon"])
    weeks = (data["week"].max() - data["week"].min()).days // 7 + 1
    step = 1
    while weeks / step > MAX_WEEK_TICKS:
        step *= 2
    # ticks on the Mondays the bars start on (Vega's own "week" starts on Sunday)
    mondays = pd.date_range(data["week"].min(), data["week"].max(), freq=f"{7 * step}D")
    ticks = [alt.DateTime(year=d.year, month=d.month, date=d.day) for d in mondays]
    most = int(data.groupby("week")["attacks"].sum().max())
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X(
                "week:T",
                title="week (starting Monday)",
                axis=alt.Axis(format="%d %b", values=ticks, grid=False),
            ),
            x2="week_end:T",
            y=alt.Y(
                "sum(attacks):Q",
                title="attacks",
                axis=alt.Axis(format="d", tickMinStep=1, values=list(range(most + 1)))
                if most <= 5
                else alt.Axis(format="d", tickMinStep=1),
            ),
            color=alt.Color("weapon:N", scale=_weapon_scale(data["weapon"]), title="weapon"),
            tooltip=[
                alt.Tooltip("week:T", format="%Y-%m-%d", title="week of"),
                "weapon",
                "attacks",
            ],
        )
        .properties(height=160)
    )
    st.altair_chart(chart, width="stretch")
