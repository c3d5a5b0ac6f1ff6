"""The main page: headline, map, per-site summaries, the selected site, all incidents.

The first screen comes in two runs: a browser session's first run draws the headline, the map
and the dates beside it, nothing else (a page that fetches the browser scripts of a dozen
kinds of element draws its map late); the map, once drawn, asks for the next run (its frame
reports it is drawn: :func:`components.map_panel.map_panel`), which draws the whole page
around the same map; a map that never reports gets the whole page anyway, a few seconds
later (:func:`draw_rest_anyway`).
"""

from __future__ import annotations

import streamlit as st

from components import data, safe
from components.map_panel import SELECTED, map_panel
from components.sidebar import as_of, as_of_picker, chosen_filters, sidebar
from geo import query, vocabulary

#: the tabs under the map; only the open one is computed and sent (``.open``)
TAB = "atlas_tab"
SITES, TIMELINE, ALL, UNLOCATED = ("Sites", "Attacks over time", "All incidents", "Unlocated")

#: the first screen: a compact headline over the map; on a narrow screen the map comes first
LAYOUT_CSS = """<style>
[data-testid="stMainBlockContainer"] { padding-top: 4rem; }
.st-key-atlas-top { gap: 0.25rem; }
.st-key-atlas-headline p { margin-bottom: 0.1rem; }
.st-key-atlas-top iframe { height: clamp(420px, calc(100vh - 215px), 1100px) !important; }
@media (max-width: 640px) {
  .st-key-atlas-top > div:has(.st-key-atlas-headline), .st-key-atlas-headline { order: 1; }
  .st-key-atlas-top iframe { height: clamp(360px, calc(100vh - 120px), 900px) !important; }
}
</style>"""


def headline(head: query.Headline, filters: query.Filters) -> None:
    """The figures in two short lines (no row of metric boxes: the map starts high)."""
    off_map = f", {head.unlocated_attacks} not on the map" if head.unlocated_attacks else ""
    parts = [
        f"**{head.attacks}** attacks ({head.confirmed} confirmed, {head.claimed} claimed only"
        f"{off_map})",
        f"**{head.sites_hit}** sites hit",
        f"US killed **{head.killed.core()}**",
        f"US injured **{head.injured.core()}**",
        f"US strikes **{head.us_strikes}**",
        f"unlocated incidents **{head.unlocated}**",
    ]

    gaps = [
        f"{r.unreported} attack(s) give no {what} figure"
        for what, r in (("killed", head.killed), ("injured", head.injured))
        if r.unreported
    ]
    # numbers only: no text from the data goes into this Markdown
    st.markdown(
        " · ".join(parts),
        help="Attacks on US and coalition forces in range: what the map's site circles count "
        "(those not on the map: place not known, see Unlocated). Killed and injured: the sum of "
        "the reported ranges; '+' means no upper bound. Unlocated incidents: of every type, "
        "place not known precisely enough to pin. " + "; ".join(gaps),
    )
    if head.others:  # imported context: said, never added to the attacks
        st.caption(
            f"{vocabulary.count_noun(head.others, 'other event')} (imported) in range: "
            "context on the map (layer 'Other events (imported)')"
        )
    # filter values can come from imported files: inert text, never Markdown
    safe.text(f"Range: {filters.describe()}", "atlas-range")


#: set on a session's first run (the map first, the rest on the next run)
FIRST_RUN_DONE = "_atlas_first_run_done"
#: set for the rerun asked when the sidebar's widgets did not give the filters the map used
REDRAWN = "_atlas_redrawn"
#: seconds the first half waits for the map's report before drawing the rest anyway
REST_AFTER_S = 6
#: set once the first half's watch has run (its next run, REST_AFTER_S later, draws the rest)
WATCH_ARMED = "_atlas_rest_watch_armed"


def map_first() -> bool:
    """Whether this run is the first screen's first half: the session's first run, in a
    browser (a headless run, e.g. Streamlit's AppTest, has no map to report back: it gets the
    whole page at once)."""
    if st.session_state.get(FIRST_RUN_DONE):
        return False
    st.session_state[FIRST_RUN_DONE] = True
    return bool(st.context.headers)


@st.fragment(run_every=REST_AFTER_S)
def draw_rest_anyway() -> None:
    """The first half's safety net: a map that never reports (its frame failed to load, a
    script error in it) must not leave the page half drawn.  Runs with the first half, then
    once more REST_AFTER_S later, which reruns the whole page; the whole page does not call
    it, so once the map has reported it never fires."""
    if st.session_state.pop(WATCH_ARMED, False):
        st.rerun(scope="app")
    st.session_state[WATCH_ARMED] = True


def render() -> None:
    first = map_first()
    gazetteer = data.gazetteer()
    batch = as_of()
    frame_all = data.incidents(batch)
    st.html(LAYOUT_CSS)
    span = query.span(frame_all)
    if span is None:
        st.title("Incident Atlas")
        st.warning("No incidents in the store yet.")
        if batch is not None:  # nothing as of that batch: the picker back to the others
            with st.sidebar:
                as_of_picker(data.store().batches())
        return
    # the map's element first (the browser fetches its scripts first), the sidebar after it
    filters, online = chosen_filters(frame_all)
    frame = query.apply(frame_all, filters)
    range_end = filters.end or span[1]

    head = query.headline(frame_all, filters)
    # what the map shows, apart from the selected site: a new view rebuilds the map
    view = f"{filters!r}|{batch}|{data.store().revision()}|{online}"
    with st.container(key="atlas-top"):
        with st.container(key="atlas-headline"):
            st.markdown(
                "#### Incident Atlas",
                help="Attacks on US and coalition forces in Iraq, Syria and Jordan, "
                "from sourced reports.",
            )
            headline(head, filters)
        map_panel(frame, gazetteer, online, view)
    drawn = sidebar(frame_all, gazetteer, None if first else data.store().batches())
    # a widget dropped a value the session held (its options changed): draw again, once
    if drawn != (filters, online) and not st.session_state.pop(REDRAWN, False):
        st.session_state[REDRAWN] = True
        st.rerun()
    st.session_state.pop(REDRAWN, None)
    if first:  # the rest when the map is drawn (or, failing that, REST_AFTER_S later)
        draw_rest_anyway()
        return
    st.session_state.pop(WATCH_ARMED, None)
    # the rest of the page: its modules imported when it is drawn, not before the first map
    from components import charts
    from components.export_panel import export_panel
    from components.site_panel import site_panel
    from components.tables import incident_table, summary_table, unlocated_table

    selected = st.session_state.get(SELECTED)
    export_panel(
        frame,
        filters,
        gazetteer,
        data=frame_all,
        selected_sites=(selected,) if selected else (),
        reference_date=range_end,
    )
    # the selected site (only its picker until one is chosen), then tabs of which only the
    # open one is computed and sent: the map does not wait for tables and charts
    site_panel(frame, gazetteer, filters, range_end)
    tabs = st.tabs([SITES, TIMELINE, ALL, UNLOCATED], key=TAB, on_change="rerun")
    sites_tab, time_tab, all_tab, unlocated_tab = tabs
    if sites_tab.open:
        with sites_tab:
            summary_table(query.summaries(frame_all, filters, gazetteer, range_end))
    if time_tab.open:
        with time_tab:
            charts.attack_strip(frame, gazetteer)
    if all_tab.open:
        with all_tab:
            st.caption(f"{len(frame):,} incidents in range")
            incident_table(frame, gazetteer, key="all_incidents")
    if unlocated_tab.open:
        with unlocated_tab:
            st.caption(
                f"{head.unlocated} incidents whose place is not known precisely enough to pin: "
                "listed, never guessed."
            )
            unlocated_table(frame[frame["longitude"].isna()], gazetteer)
