"""Queries over a frame of incidents (:mod:`geo.frame`): filters, summaries and timelines.

* :mod:`geo.query.filters`: :class:`Filters` and the rows that pass them;
* :mod:`geo.query.summaries`: casualty tallies, the headline and the per-site summaries;
* :mod:`geo.query.timelines`: lulls, attacks per week and the attack strip.

The frame and its typing live in :mod:`geo.frame`; the names callers reach through
``geo.query`` (``COLUMNS``, :func:`to_frame`, :func:`finish`, :func:`sources_of`) are named
here too.
"""

from __future__ import annotations

from geo.frame import COLUMNS, finish, sources_of, to_frame
from geo.query.filters import (
    RULES,
    Filters,
    Selection,
    apply,
    choices,
    for_summaries,
    incidents_at,
    select,
    span,
    subject_span,
)
from geo.query.summaries import (
    MAX_SOURCES,
    Headline,
    Range,
    SiteSummary,
    headline,
    site_summaries,
    summaries,
    tally,
)
from geo.query.timelines import STRIP_BINS, Lull, attack_strip, lulls, weekly

__all__ = [
    "COLUMNS",
    "MAX_SOURCES",
    "RULES",
    "STRIP_BINS",
    "Filters",
    "Headline",
    "Lull",
    "Range",
    "Selection",
    "SiteSummary",
    "apply",
    "attack_strip",
    "choices",
    "finish",
    "for_summaries",
    "headline",
    "incidents_at",
    "lulls",
    "select",
    "site_summaries",
    "sources_of",
    "span",
    "subject_span",
    "summaries",
    "tally",
    "to_frame",
    "weekly",
]
