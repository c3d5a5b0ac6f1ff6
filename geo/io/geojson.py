"""Our own GeoJSON: a FeatureCollection of incidents, properties as in :mod:`geo.model`."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from geo.errors import DataFileError, ValidationError
from geo.model import Incident, from_feature, to_feature_collection


def read_incidents(path: Path) -> list[Incident]:
    """Every feature as an incident; the first bad one raises, naming the feature."""
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(str(path), f"cannot read: {exc}") from None
    except json.JSONDecodeError as exc:
        raise DataFileError(str(path), f"not JSON: {exc.msg}", exc.lineno) from None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise DataFileError(str(path), "expected a GeoJSON FeatureCollection")
    incidents: list[Incident] = []
    seen: set[str] = set()
    for n, feature in enumerate(doc.get("features") or []):
        inc = from_feature(feature, record=f"{path} feature {n}")
        if inc.id in seen:
            raise ValidationError("id", inc.id, "must be unique in the file", f"{path} feature {n}")
        seen.add(inc.id)
        incidents.append(inc)
    return incidents


def read_bundled() -> list[Incident]:
    """What a fresh store holds: the incidents of the bundled files
    (:data:`geo.paths.BUNDLED_GEOJSON`) imported in order, a record of a later file revising
    the one of an earlier file with the same id (the campaign revises the seed attacks it
    shares)."""
    from geo.paths import BUNDLED_GEOJSON

    latest: dict[str, Incident] = {}
    for path in BUNDLED_GEOJSON:
        for inc in read_incidents(path):
            latest[inc.id] = inc
    return list(latest.values())


def dumps(incidents: Iterable[Incident]) -> str:
    return json.dumps(to_feature_collection(list(incidents)), ensure_ascii=False, indent=1)


def write_incidents(incidents: Iterable[Incident], path: Path) -> None:
    Path(path).write_text(dumps(incidents) + "\n", encoding="utf-8")
