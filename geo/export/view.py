"""What a briefing export shows: the :class:`View`, and the texts every format shares.

A :class:`View` is what the screen shows at the moment the user asks for an export: the frame
*already filtered* with the one :class:`~geo.query.Filters` value, that value itself (so the
export can say what was left out), the gazetteer, a title, an optional classification/handling
marking, a data version ("as of") and the selected sites.  Every exporter takes a View and a
path and nothing else, so a PNG, a slide deck and a spreadsheet of one view cannot disagree.

The helpers below are the shared wording: date range, headline, attribution.  Exporters never
compose these themselves.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

import pandas as pd

from geo import query
from geo.gazetteer import Gazetteer
from geo.model import Incident, Source

#: colours of the conventional banner markings, longest prefix first; others dark grey
BANNER_COLOURS: tuple[tuple[str, str, str], ...] = (
    ("TOP SECRET", "#ff8c00", "#000000"),
    ("SECRET", "#c8102e", "#ffffff"),
    ("CONFIDENTIAL", "#0033a0", "#ffffff"),
    ("CUI", "#502b85", "#ffffff"),
    ("CONTROLLED", "#502b85", "#ffffff"),
    ("UNCLASSIFIED", "#007a33", "#ffffff"),
)
#: The basemap's credit (data/basemap/SOURCE.md).
NATURAL_EARTH = "Borders: Natural Earth (public domain); de facto boundaries, no position implied"
#: Credit for rows curated or extracted by this project.
ATLAS_CREDIT = "Incidents: Incident Atlas, read from the news articles listed"


@dataclass(frozen=True, eq=False)
class View:
    """One export's input.  ``frame`` must already be ``query.apply(all_rows, filters)``.

    ``reference_date`` anchors "days since last" in site summaries; the app uses
    ``filters.end or`` the last day of all the data.  ``None``: ``filters.end``, else the last
    day in ``frame``.
    """

    frame: pd.DataFrame
    filters: query.Filters
    gazetteer: Gazetteer
    title: str = "Incident Atlas briefing"
    marking: str | None = None
    as_of: str = ""
    selected_sites: tuple[str, ...] = ()
    reference_date: date | None = None
    #: free-form extra lines for the speaker notes / document descriptions
    notes: tuple[str, ...] = field(default_factory=tuple)

    # -- the rows -------------------------------------------------------------------------------

    def rows(self) -> list[dict[str, Any]]:
        """The frame's rows as plain dicts (NaN -> None), by date then id: the export order."""
        return list(self._rows)

    @cached_property
    def _rows(self) -> tuple[dict[str, Any], ...]:
        return tuple(clean_row(r) for r in sorted_frame(self.frame).to_dict("records"))

    def incidents(self) -> list[Incident]:
        return [to_incident(r) for r in self.rows()]

    def located(self) -> list[dict[str, Any]]:
        return [r for r in self.rows() if r["longitude"] is not None]

    def unlocated(self) -> list[dict[str, Any]]:
        return [r for r in self.rows() if r["longitude"] is None]

    # -- shared wording -------------------------------------------------------------------------

    def anchor(self) -> date:
        """The day "days since last" counts from (see the class docstring)."""
        if self.reference_date is not None:
            return self.reference_date
        if self.filters.end is not None:
            return self.filters.end
        span = query.span(self.frame)
        return span[1] if span else date.today()

    def summaries(self) -> list[query.SiteSummary]:
        """Per-site summaries exactly as the app's Sites table computes them."""
        rows = query.for_summaries(self.frame, self.filters)
        return query.site_summaries(rows, self.gazetteer, self.anchor())

    def headline(self) -> query.Headline:
        return query.headline(self.frame)

    def range_text(self) -> str:
        """The date range shown: the filter's ends, or the data's when a side is open."""
        span = query.span(self.frame)
        start = self.filters.start or (span[0] if span else None)
        end = self.filters.end or (span[1] if span else None)
        if start is None or end is None:
            return "no incidents in range"
        return f"{long_date(start)} – {long_date(end)}"

    def headline_text(self) -> str:
        h = self.headline()
        parts = [
            f"{h.attacks} attack{'s' if h.attacks != 1 else ''} at {h.sites_hit} "
            f"site{'s' if h.sites_hit != 1 else ''}",
            f"{h.confirmed} confirmed",
            f"US killed {h.killed.core()}",
            f"injured {h.injured.core()}",
            f"{h.us_strikes} US strike{'s' if h.us_strikes != 1 else ''}",
        ]
        if h.unlocated_attacks:
            parts.insert(1, f"{h.unlocated_attacks} of the attacks not on the map (place unknown)")
        if h.unlocated:
            parts.append(f"{h.unlocated} incident{'s' if h.unlocated != 1 else ''} unlocated")
        return " · ".join(parts)

    def filters_text(self) -> str:
        return "Filters: " + self.filters.describe()

    def as_of_text(self) -> str:
        return f"Data as of: {self.as_of}" if self.as_of else "Data as of: not stated"

    def articles(self) -> list[tuple[str, date]]:
        """Every source article shown (id, published), in first-seen export order."""
        seen: dict[str, date] = {}
        for row in self.rows():
            for s in row["sources"]:
                seen.setdefault(s.article, s.published)
        return list(seen.items())

    def datasets(self) -> list[str]:
        return sorted({str(d) for d in self.frame["dataset"].dropna()})

    def attribution(self) -> list[str]:
        """Credits every export must carry: the basemap, the data, and the third-party datasets'
        own attribution text (ACLED's whenever any row shown comes from ACLED)."""
        lines = [NATURAL_EARTH]
        datasets = self.datasets()
        if not datasets or "atlas" in datasets:
            lines.append(ATLAS_CREDIT)
        third = dataset_attributions()
        for name in datasets:
            if name == "atlas":
                continue
            lines.append(f"Data: {third[name]}" if name in third else f"Data: dataset '{name}'")
        return lines


def banner_colours(marking: str) -> tuple[str, str]:
    """(background, text) colours of the banner for a marking."""
    upper = marking.strip().upper()
    for prefix, back, fore in BANNER_COLOURS:
        if upper.startswith(prefix):
            return back, fore
    return "#333333", "#ffffff"


def dataset_attributions() -> dict[str, str]:
    """Dataset name -> the attribution its terms ask for (owned by the importers)."""
    from geo.importers import ACLED_ATTRIBUTION, UCDP_ATTRIBUTION

    return {"acled": ACLED_ATTRIBUTION, "ucdp": UCDP_ATTRIBUTION}


# -- rows ---------------------------------------------------------------------------------------


def sorted_frame(frame: pd.DataFrame) -> pd.DataFrame:
    if frame.empty:
        return frame
    return frame.sort_values(["date_start", "id"], kind="mergesort")


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def clean_row(row: dict[str, Any]) -> dict[str, Any]:
    """A frame row as model-typed values: NaN -> None, floats that hold counts -> int."""
    out: dict[str, Any] = {}
    for key, value in row.items():
        if isinstance(value, (list, tuple)):
            out[key] = tuple(value)
        elif _missing(value):
            out[key] = None
        elif key in ("longitude", "latitude"):
            out[key] = float(value)
        elif key in COUNT_FIELDS:
            out[key] = int(value)
        elif isinstance(value, pd.Timestamp):
            out[key] = value.date()
        else:
            out[key] = value
    out["sources"] = sources_of(row.get("sources"))
    return out


def sources_of(value: Any) -> tuple[Source, ...]:
    """A frame cell of sources -- JSON text of the source list, or Source objects -- as
    Source objects."""
    if value is None:
        return ()
    if isinstance(value, str):
        value = json.loads(value)
    return tuple(s if isinstance(s, Source) else Source.model_validate(s) for s in value)


def to_incident(row: dict[str, Any]) -> Incident:
    """A cleaned row back to the model (columns that are not model fields are ignored)."""
    return Incident.model_validate({k: row[k] for k in Incident.model_fields if k in row})


COUNT_FIELDS = frozenset(
    {"date_precision", "geo_precision", "killed_min", "killed_max", "injured_min", "injured_max"}
)


def data_version(frame: pd.DataFrame) -> str:
    """A data version for "as of": the latest source date, the count and a content digest.

    The digest is over the incidents' field values (sorted by id, missing values as null), so
    the same data read from a file or a store gives the same text.
    """
    fields = [f for f in Incident.model_fields if f in frame.columns]
    digest = hashlib.sha256()
    latest: date | None = None
    for row in sorted(frame[fields].to_dict("records"), key=lambda r: str(r["id"])):
        clean = clean_row(row)
        sources = clean["sources"]
        clean["sources"] = [s.model_dump(mode="json") for s in sources]
        digest.update(json.dumps(clean, sort_keys=True, default=str).encode("utf-8"))
        for s in sources:
            latest = s.published if latest is None else max(latest, s.published)
    text = latest.isoformat() + " (latest source)" if latest else "no sources"
    # the whole data set, not the view: say so, so it is not read as the view's count
    return (
        f"{text} · {len(frame)} records in the data (every type, before filters) · "
        f"version {digest.hexdigest()[:10]}"
    )


def long_date(d: date) -> str:
    """``5 Aug 2024``: no leading zero, English month, independent of the locale."""
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def window_text(start: date, end: date) -> str:
    """A date window as people read it: ``9 Nov 2023`` or ``17–18 Oct 2023``."""
    if start == end:
        return long_date(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {MONTHS[end.month - 1]} {end.year}"
    if start.year == end.year:
        return f"{start.day} {MONTHS[start.month - 1]} – {long_date(end)}"
    return f"{long_date(start)} – {long_date(end)}"
