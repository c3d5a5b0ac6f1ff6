"""Tables: per-site summaries, incidents, unlocated incidents.  Cells are plain text."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.gazetteer import Gazetteer
from geo.mapping.popups import casualty_text, date_window
from geo.model import GEO_PRECISION
from geo.query import SiteSummary, sources_of


def summary_table(rows: list[SiteSummary]) -> None:
    if not rows:
        st.info("No attacks on a known site in this range.")
        return
    table = pd.DataFrame(
        [
            {
                "Site": r.site_name,
                "Country": r.country,
                "Attacks": r.incidents,
                "Confirmed": r.confirmed,
                "Claimed only": r.claimed,
                "First": r.first_date,
                "Last": r.last_date,
                "Days since last": r.days_since_last,
                "Weapons": ", ".join(f"{w.replace('_', ' ')} {n}" for w, n in r.weapons.items()),
                "US killed": r.killed.text(),
                "US injured": r.injured.text(),
                "Sources": len(r.sources),
            }
            for r in rows
        ]
    )
    st.dataframe(table, hide_index=True, width="stretch", key="site_summary")


def incident_rows(frame: pd.DataFrame, gazetteer: Gazetteer) -> pd.DataFrame:
    names = {s.id: s.name for s in gazetteer}
    return pd.DataFrame(
        [
            {
                "When": date_window(r["date_start"], r["date_end"], r["date_precision"]),
                "Type": "US strike" if r["event_type"] == "us_strike" else "attack",
                "Site": names.get(r["site_id"], "") if r["site_id"] else "",
                "Location as reported": r["location"],
                "Country": r["country"],
                "Weapons": ", ".join(w.replace("_", " ") for w in r["weapons"]),
                "Outcome": r["outcome"],
                "US killed": casualty_text(r["killed_min"], r["killed_max"]),
                "US injured": casualty_text(r["injured_min"], r["injured_max"]),
                "Status": r["status"],
                "Claimed by": r["claimed_by"] or "",
                "Quote": sources_of(r["sources"])[0].quote,
                "Article": sources_of(r["sources"])[0].article,
                "id": r["id"],
            }
            for r in frame.sort_values("date_start").to_dict("records")
        ],
        columns=[
            "When",
            "Type",
            "Site",
            "Location as reported",
            "Country",
            "Weapons",
            "Outcome",
            "US killed",
            "US injured",
            "Status",
            "Claimed by",
            "Quote",
            "Article",
            "id",
        ],
    )


def incident_table(frame: pd.DataFrame, gazetteer: Gazetteer, key: str) -> None:
    st.dataframe(incident_rows(frame, gazetteer), hide_index=True, width="stretch", key=key)


def unlocated_table(frame: pd.DataFrame, gazetteer: Gazetteer) -> None:
    rows = incident_rows(frame, gazetteer)
    rows.insert(
        4,
        "Place known to",
        [GEO_PRECISION[int(p)] for p in frame.sort_values("date_start")["geo_precision"]],
    )
    st.dataframe(rows, hide_index=True, width="stretch", key="unlocated")
