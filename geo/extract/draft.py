"""An incident being assembled: facts with the sentences they came from.

A :class:`Draft` holds what extraction found for one incident (one place of one event of one
article) and, after :mod:`geo.extract.merge`, of several reports.  :meth:`Draft.to_incident` turns
it into a validated :class:`geo.model.Incident`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from geo.extract.casualties import Count
from geo.extract.dates import DateWindow
from geo.model import WEAPONS, Incident, Source, parse_incident

#: Status strength: a merged incident keeps the strongest.
STATUS_RANK = {"reported": 0, "claimed": 1, "confirmed": 2, "disputed": 3}


@dataclass
class Draft:
    """One incident under construction.  ``uid`` is unique within an extraction run."""

    uid: int
    article: str
    published: date
    event_type: str
    window: DateWindow
    location: str
    country: str
    geo_precision: int
    site_id: str | None = None
    admin1: str | None = None
    longitude: float | None = None
    latitude: float | None = None
    place_key: str | None = None
    unnamed_singular: bool = False
    #: how many places an unnamed target counts ("two bases in Syria": 2; 0 when named)
    unnamed_count: int = 0
    #: only the country is known ("an attack in Syria"): within its article, the same attack as a
    #: named one of that country unless the text calls it another (``separate``)
    country_only: bool = False
    separate: bool = False
    #: copies of one sentence's several attacks ("attacked four times") share a group: never the
    #: same attack as each other, each may be one the text names later
    copy_group: int | None = None
    anchor_index: int = 0
    #: the text gives no date (the window is the default before publication): within its
    #: article, the same attack as a dated one at its place
    undated: bool = False
    weapons: set[str] = field(default_factory=set)
    outcome: set[str] = field(default_factory=set)
    damage: list[str] = field(default_factory=list)
    killed: Count | None = None
    injured: Count | None = None
    claimed_by: str | None = None
    attributed_to: str | None = None
    status: str = "reported"
    sources: list[Source] = field(default_factory=list)
    evidence: dict[str, list[str]] = field(default_factory=dict)
    #: field -> the rule that read it, in words (shown on the review page)
    rules: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    unlocated_reason: str | None = None
    members: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.members:
            self.members = [self.uid]

    @property
    def located(self) -> bool:
        return self.longitude is not None

    @property
    def articles(self) -> set[str]:
        return {s.article for s in self.sources}

    def note(self, text: str) -> None:
        if text and text not in self.notes:
            self.notes.append(text)

    def cite(self, field_name: str, quote: str) -> None:
        """Record that ``field_name`` rests on ``quote``."""
        quotes = self.evidence.setdefault(field_name, [])
        if quote not in quotes:
            quotes.append(quote)

    def outcome_code(self) -> str:
        if {"intercepted", "impact"} <= self.outcome:
            return "mixed"
        if "intercepted" in self.outcome:
            return "intercepted"
        if "impact" in self.outcome:
            return "impact"
        return "unknown"

    def weapon_codes(self) -> tuple[str, ...]:
        known = [w for w in WEAPONS if w in self.weapons and w != "unknown"]
        return tuple(known) or ("unknown",)

    def all_notes(self) -> list[str]:
        """The notes, with why the incident is unlocated (if it is) last."""
        notes = list(self.notes)
        if self.unlocated_reason:
            notes.append(f"Unlocated: {self.unlocated_reason}.")
        return notes

    def to_incident(self) -> Incident:
        """The validated incident (raises :class:`geo.errors.ValidationError` if a rule breaks)."""

        def lo(c: Count | None) -> int | None:
            return None if c is None else c[0]

        def hi(c: Count | None) -> int | None:
            return None if c is None else c[1]

        return parse_incident(
            {
                "event_type": self.event_type,
                "date_start": self.window.start,
                "date_end": self.window.end,
                "date_precision": self.window.precision,
                "site_id": self.site_id,
                "location": self.location,
                "country": self.country,
                "admin1": self.admin1,
                "geo_precision": self.geo_precision,
                "longitude": self.longitude,
                "latitude": self.latitude,
                "weapons": self.weapon_codes(),
                "outcome": self.outcome_code(),
                "damage": "; ".join(self.damage) or None,
                "killed_min": lo(self.killed),
                "killed_max": hi(self.killed),
                "injured_min": lo(self.injured),
                "injured_max": hi(self.injured),
                "claimed_by": self.claimed_by,
                "attributed_to": self.attributed_to,
                "status": self.status,
                "sources": [s.model_dump() for s in self.sources],
                "notes": " ".join(self.all_notes()) or None,
            },
            record=f"{self.article} sentence {self.anchor_index}",
        )
