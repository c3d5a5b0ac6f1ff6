"""What an extraction run returns: incidents, links between them, evidence, and what was left out."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from geo.model import Incident, to_feature_collection


@dataclass(frozen=True)
class Link:
    """A US strike the text ties to an attack ("in response to", "following the missile strike").

    ``scope`` is ``specific`` when the text names one attack, ``general`` when it answers a series
    ("these escalating attacks").  The model has no ``responds_to`` field yet: links live here.
    """

    strike_id: str
    attack_id: str
    scope: str
    quote: str


@dataclass(frozen=True)
class Unlocated:
    """An incident the extractor could not put on the map, and why."""

    incident_id: str
    location: str
    country: str
    geo_precision: int
    reason: str


@dataclass(frozen=True)
class Rejected:
    """A sentence that mentions an event but is not an incident, and why."""

    article: str
    sentence: int
    quote: str
    reason: str


@dataclass
class Extraction:
    """Incidents extracted from articles, with provenance.

    ``evidence[incident_id][field]`` lists the sentences a field was read from, and
    ``rules[incident_id][field]`` says which rule read it.
    """

    incidents: list[Incident] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    evidence: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    rules: dict[str, dict[str, str]] = field(default_factory=dict)
    unlocated: list[Unlocated] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)

    def feature_collection(self, details: bool = False) -> dict[str, Any]:
        """GeoJSON of the incidents; ``details`` adds an ``extraction`` member with the rest."""
        doc = to_feature_collection(self.incidents)
        if details:
            doc["extraction"] = {
                "links": [asdict(x) for x in self.links],
                "unlocated": [asdict(x) for x in self.unlocated],
                "rejected": [asdict(x) for x in self.rejected],
                "evidence": self.evidence,
                "rules": self.rules,
            }
        return doc

    def responds_to(self, strike_id: str) -> list[str]:
        """Ids of the attacks a US strike answers."""
        return [x.attack_id for x in self.links if x.strike_id == strike_id]
