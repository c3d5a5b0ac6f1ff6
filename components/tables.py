"""Tables: per-site summaries, incidents, unlocated incidents.  Cells are plain text."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from geo import vocabulary
from geo.gazetteer import Gazetteer
from geo.markup import casualty_text, date_window
from geo.model import GEO_PRECISION
from geo.query import SiteSummary, sources_of


def summary_table(rows: list[SiteSummary]) -> None:
    if not rows:
        st.info("No attacks on a known site in this range.")
        return
    # the key columns first and narrow, so they show without scrolling at 1280 px
    table = pd.DataFrame(
        [
            {
                "Site": r.site_name,
                "Attacks": r.incidents,
                "Last": r.last_date,
                "Days since": r.days_since_last,
                "Weapons": ", ".join(
                    f"{vocabulary.label('weapon', w)} {n}" for w, n in r.weapons.items()
                ),
                "US killed": r.killed.text(),
                "US injured": r.injured.text(),
                "Confirmed": r.confirmed,
                "Claimed only": r.claimed,
                "First": r.first_date,
                "Country": vocabulary.country(r.country),
                "Sources": len(r.sources),
            }
            for r in rows
        ]
    )
    # widths in px: these seven fit the page's width at 1280 px, the rest are a scroll away
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        key="site_summary",
        column_config={
            "Site": st.column_config.TextColumn(width=140, pinned=True),
            "Attacks": st.column_config.NumberColumn(help="Attacks in range", width=62),
            "Last": st.column_config.DateColumn(help="Last attack in range", width=88),
            "Days since": st.column_config.NumberColumn(
                help="Days from the last attack to the range's end", width=78
            ),
            "Weapons": st.column_config.TextColumn(width=190),
            "US killed": st.column_config.TextColumn(width=112),
            "US injured": st.column_config.TextColumn(width=112),
        },
    )


def incident_rows(frame: pd.DataFrame, gazetteer: Gazetteer) -> pd.DataFrame:
    """One table row per incident, in the frame's order."""
    names = {s.id: s.name for s in gazetteer}
    return pd.DataFrame(
        [
            {
                "When": date_window(r["date_start"], r["date_end"], r["date_precision"]),
                "Type": vocabulary.title("event_type", r["event_type"]),
                "Site": names.get(r["site_id"], "") if r["site_id"] else "",
                "Location as reported": r["location"],
                "Country": vocabulary.country(r["country"]),
                "Weapons": vocabulary.labels("weapon", r["weapons"]),
                "Outcome": vocabulary.label("outcome", r["outcome"]),
                "US killed": casualty_text(r["killed_min"], r["killed_max"]),
                "US injured": casualty_text(r["injured_min"], r["injured_max"]),
                "Status": vocabulary.label("status", r["status"]),
                "Claimed by": r["claimed_by"] or "",
                "Quote": sources_of(r["sources"])[0].quote,
                "Article": sources_of(r["sources"])[0].article,
                "id": r["id"],
            }
            for r in frame.to_dict("records")
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


#: rows drawn per page of an incident table (the rest are a page away, or in the CSV export)
PAGE_ROWS = 500


def _page(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    """The page of ``frame`` (latest first) the user is on; a page picker when there are
    more rows than :data:`PAGE_ROWS`, so a range of a million incidents sends 500 rows."""
    # positions, latest first; only the page's rows are taken from the frame
    days = frame["day_start"].to_numpy()
    if bool((days[1:] >= days[:-1]).all()):  # date-ordered, as a store's frame is
        latest_first = np.arange(len(frame) - 1, -1, -1)
    else:
        latest_first = np.argsort(-days, kind="stable")
    pages = max(1, -(-len(frame) // PAGE_ROWS))
    if pages == 1:
        return frame.iloc[latest_first]
    page = st.number_input(
        f"Page (of {pages:,}; {PAGE_ROWS} incidents each, latest first)",
        min_value=1,
        max_value=pages,
        value=1,
        step=1,
        key=f"{key}_page",
    )
    start = (int(page) - 1) * PAGE_ROWS
    st.caption(
        f"Incidents {start + 1:,}–{min(start + PAGE_ROWS, len(frame)):,} of {len(frame):,}. "
        "The CSV export holds them all."
    )
    return frame.iloc[latest_first[start : start + PAGE_ROWS]]


def incident_table(frame: pd.DataFrame, gazetteer: Gazetteer, key: str) -> None:
    page = _page(frame, key)
    st.dataframe(incident_rows(page, gazetteer), hide_index=True, width="stretch", key=key)


def unlocated_table(frame: pd.DataFrame, gazetteer: Gazetteer) -> None:
    page = _page(frame, "unlocated")
    rows = incident_rows(page, gazetteer)
    rows.insert(
        4,
        "Place known to",
        [GEO_PRECISION[int(p)] for p in page["geo_precision"]],
    )
    st.dataframe(rows, hide_index=True, width="stretch", key="unlocated")
