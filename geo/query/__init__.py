"""Queries over a frame of incidents (:mod:`geo.frame`): filters, summaries and timelines.

* :mod:`geo.query.filters`: :class:`Filters` and the rows that pass them;
* :mod:`geo.query.summaries`: casualty tallies, the headline and the per-site summaries;
* :mod:`geo.query.timelines`: lulls, attacks per week and the attack strip.

The frame's own names (its columns, :func:`to_frame`, :func:`finish`, :func:`sources_of`)
live in :mod:`geo.frame` and are named here too, so ``from geo import query`` reaches them all.
"""

from __future__ import annotations

from geo.frame import (
    CASUALTY_COLUMNS,
    COLUMNS,
    EPOCH,
    FLOAT_COLUMNS,
    INT_COLUMNS,
    STR_COLUMNS,
    TEXT_COLUMNS,
    WEAPON_BIT,
    finish,
    sources_of,
    to_frame,
)
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
    "CASUALTY_COLUMNS",
    "COLUMNS",
    "EPOCH",
    "FLOAT_COLUMNS",
    "INT_COLUMNS",
    "MAX_SOURCES",
    "RULES",
    "STRIP_BINS",
    "STR_COLUMNS",
    "TEXT_COLUMNS",
    "WEAPON_BIT",
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
