"""The export panel: title and marking inputs and one download button per format.

Display only: what an export contains, how it is drawn and what it is called all come from
``geo.export`` (the same code the ``python -m geo export`` command runs).  Files are made only
when a button is clicked (Streamlit's deferred ``data`` callable) and cached per view, so a
rerun that changes nothing does not redraw a map or rebuild a deck.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable
from datetime import date

import pandas as pd
import streamlit as st

from components import safe
from geo import export, query, vocabulary
from geo.export import FORMATS, View, data_version, safe_filename
from geo.gazetteer import Gazetteer

#: exports kept in memory per session (format × view); older ones are dropped first
CACHE_KEY = "_atlas_export_cache"
CACHE_SIZE = 16
VERSION_KEY = "_atlas_export_versions"


def view_key(view: View, extra: object = None) -> str:
    """What makes two views give the same files: the rows shown (their content, so a revised
    incident makes new files) and every other input."""
    rows = view.frame.sort_values("id").astype(str)
    content = hashlib.sha256(pd.util.hash_pandas_object(rows, index=False).values.tobytes())
    payload = json.dumps(
        [
            content.hexdigest(),
            str(extra),
            view.filters.describe(),
            view.filters.summary_max_geo_precision,
            view.title,
            view.marking,
            view.as_of,
            list(view.selected_sites),
            str(view.reference_date),
        ],
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


def _producer(fmt: str, view: View, data: pd.DataFrame | None) -> Callable[[], bytes]:
    """The bytes of one export, made when its button is clicked (on Streamlit's download
    thread: no Streamlit calls in here) and kept for the session, so a second click or another
    rerun of the same view costs nothing.  With ``data`` given, the view's data version is
    computed from it then, not on every rerun."""
    cache: dict[tuple[str, str], bytes] = st.session_state.setdefault(CACHE_KEY, {})
    versions: dict[str, str] = st.session_state.setdefault(VERSION_KEY, {})

    def make() -> bytes:
        key = view_key(view, len(data) if data is not None else None)
        hit = cache.get((fmt, key))
        if hit is None:
            ready = view
            if data is not None:
                if key not in versions:
                    versions[key] = data_version(data)
                ready = dataclasses.replace(view, as_of=versions[key])
            hit = export.export_bytes(fmt, ready)
            while len(cache) >= CACHE_SIZE:
                cache.pop(next(iter(cache)))
            cache[(fmt, key)] = hit
        return hit

    return make


def export_panel(
    frame: pd.DataFrame,
    filters: query.Filters,
    gazetteer: Gazetteer,
    *,
    data: pd.DataFrame | None = None,
    as_of: str | None = None,
    selected_sites: tuple[str, ...] = (),
    reference_date: date | None = None,
) -> None:
    """Download buttons for ``frame`` (already filtered with ``filters``).

    The data version printed on the exports is ``as_of`` when given, else computed when a
    button is first clicked from ``data`` (all the rows the page loaded, as the command line
    does) or, without it, from ``frame``.  Pass the page's range end (``filters.end`` or the
    data's last day) as ``reference_date`` so "days since last" matches the Sites table, and
    the selected site so the map marks it.
    """
    with st.expander("Export for a briefing", expanded=False):
        left, right = st.columns([3, 2])
        title = left.text_input(
            "Title", value="Incident Atlas briefing", max_chars=120, key="atlas_export_title"
        )
        marking = right.text_input(
            "Marking (banner, optional)",
            value="",
            max_chars=80,
            placeholder="e.g. UNCLASSIFIED",
            key="atlas_export_marking",
        )
        view = View(
            frame=frame,
            filters=filters,
            gazetteer=gazetteer,
            title=title.strip() or "Incident Atlas briefing",
            marking=marking.strip() or None,
            as_of=as_of or "",
            selected_sites=tuple(selected_sites),
            reference_date=reference_date,
        )
        # filter values can come from imported files: shown as inert text, never Markdown
        safe.text(
            f"{vocabulary.event_counts(frame['event_type'])} · {filters.describe()} · "
            "files are made when you click",
            "atlas-export-caption",
        )
        source = None if as_of else (data if data is not None else frame)
        columns = st.columns(4)
        for n, (fmt, exporter) in enumerate(FORMATS.items()):
            columns[n % 4].download_button(
                exporter.label,
                data=_producer(fmt, view, source),
                file_name=safe_filename(view.title, fmt),
                mime=exporter.media_type,
                key=f"atlas_export_{fmt}",
                on_click="ignore",
                width="stretch",
            )
