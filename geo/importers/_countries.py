"""Country names and codes to ISO3, and "does this point lie in that country?".

Polygons: ``data/basemap/countries-50m.json`` (Natural Earth 1:50m via npm ``world-atlas`` 2.0.2,
see data/basemap/SOURCE.md), read once per process with geopandas/pyogrio.  Its ids are ISO 3166
numeric codes, mapped to ISO3 with :mod:`pycountry`.

A point counts as inside a country when it lies in the country's polygon or within
:data:`TOLERANCE_KM` of it: 1:50m coastlines and borders are generalised by a few km, and a
harbour, an island or a border post must not be rejected for that.  Countries the file does not
have (e.g. tiny island states below 1:50m) are not checked: :meth:`Countries.contains` answers
``None``.
"""

from __future__ import annotations

import math
import re
from functools import cache, lru_cache
from pathlib import Path

import pycountry
import shapely
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

from geo.errors import DataFileError
from geo.paths import DATA_DIR

COUNTRIES_FILE = DATA_DIR / "basemap" / "countries-50m.json"

#: a point this close to its country's polygon counts as inside (generalised coastlines/borders)
TOLERANCE_KM = 10.0

#: grid cells per degree for :meth:`Countries.contains`' memory of cells wholly inside a country
#: (a power of two: exact cell edges; 1/16 degree is about 7 km), and how many it keeps at most
CELLS_PER_DEGREE = 16
MAX_CELLS = 8192

#: features of the file without an ISO numeric id -> the ISO3 code(s) they count for
UNNUMBERED: dict[str, tuple[str, ...]] = {
    "Somaliland": ("SOM",),  # datasets code it as Somalia
    "Kosovo": ("XKX",),  # user-assigned code used by ACLED/UCDP-style exports (not in ISO 3166)
    "N. Cyprus": ("CYP",),
    "Indian Ocean Ter.": ("AUS",),  # Christmas Island, Cocos (Keeling) Islands
    "Siachen Glacier": ("IND", "PAK"),  # held by India, claimed by Pakistan
}

#: Natural Earth draws de facto borders; datasets often code these areas to the de jure country.
#: (name, (lon_min, lat_min, lon_max, lat_max), ISO3 codes a point in the box may also state)
DISPUTED_AREAS: tuple[tuple[str, tuple[float, float, float, float], tuple[str, ...]], ...] = (
    ("Crimea (in Russia's polygon)", (32.4, 44.3, 36.7, 46.25), ("UKR",)),
    ("Golan Heights (in Israel's polygon)", (35.62, 32.68, 35.95, 33.34), ("SYR",)),
)

#: country names (as ACLED and UCDP spell them) that pycountry does not know -> ISO3
NAME_ALIASES: dict[str, str] = {
    "turkey": "TUR",
    "palestine": "PSE",
    "russia": "RUS",
    "kosovo": "XKX",
    "democratic republic of congo": "COD",
    "dr congo": "COD",
    "republic of congo": "COG",
    "congo": "COG",
    "ivory coast": "CIV",
    "cape verde": "CPV",
    "micronesia": "FSM",
    "brunei": "BRN",
    "east timor": "TLS",
    "caribbean netherlands": "BES",
    "vatican city": "VAT",
    "curacao": "CUW",
    "saint-barthelemy": "BLM",
    "bailiwick of guernsey": "GGY",
    "bailiwick of jersey": "JEY",
    "united states": "USA",
    "swaziland": "SWZ",
    "macedonia": "MKD",
    "yemen (north yemen)": "YEM",
}

_PAREN = re.compile(r"\s*\([^)]*\)\s*$")


@lru_cache(maxsize=4096)
def iso3_from_numeric(code: str) -> str | None:
    """ISO 3166 numeric (``"368"``, ``"4"``) -> ISO3, or ``None`` when unknown or not numeric."""
    code = code.strip()
    if not code.isdigit() or len(code) > 3:
        return None
    found = pycountry.countries.get(numeric=code.zfill(3))
    return found.alpha_3 if found else None


@lru_cache(maxsize=4096)
def iso3_from_name(name: str) -> str | None:
    """A country name (``"Iraq"``, ``"Syria"``, ``"Russia (Soviet Union)"``) -> ISO3 or ``None``.

    Exact matches only (pycountry's name, official and common names, then :data:`NAME_ALIASES`);
    UCDP's historical names in brackets are tried without the bracket.  Never fuzzy.
    """
    name = " ".join(name.split())
    for candidate in dict.fromkeys((name, _PAREN.sub("", name))):
        if len(candidate) <= 3:  # pycountry.lookup would also match alpha-2/alpha-3 codes
            continue
        alias = NAME_ALIASES.get(candidate.lower())
        if alias:
            return alias
        try:
            return pycountry.countries.lookup(candidate).alpha_3
        except LookupError:
            continue
    return None


def iso3_is_known(code: str) -> bool:
    code = code.strip().upper()
    return bool(re.fullmatch(r"[A-Z]{3}", code)) and (
        code in UNNUMBERED_CODES or pycountry.countries.get(alpha_3=code) is not None
    )


UNNUMBERED_CODES = frozenset(c for codes in UNNUMBERED.values() for c in codes)


def haversine_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


class Countries:
    """Country polygons by ISO3, with an STRtree to say where a point actually lies.

    ``parts``: each country's polygons as the file has them.  A country's shape (the parts made
    valid, merged and prepared for fast tests) is built the first time that country is asked
    about, and the tree the first time :meth:`where` is: a file of events in three countries
    pays for three, not for the world's two hundred and forty."""

    def __init__(self, parts: dict[str, list[BaseGeometry]]) -> None:
        self._parts = parts
        self._shapes: dict[str, BaseGeometry] = {}
        self._tree: tuple[list[str], shapely.STRtree] | None = None
        #: (ISO3, column, row) -> whether that grid cell lies wholly inside the country
        self._cells: dict[tuple[str, int, int], bool] = {}

    def shape(self, iso3: str) -> BaseGeometry | None:
        """The country's prepared shape, or ``None`` when the file has no polygon for it."""
        geom = self._shapes.get(iso3)
        if geom is None and iso3 in self._parts:
            geom = shapely.union_all([shapely.make_valid(g) for g in self._parts[iso3]])
            shapely.prepare(geom)
            self._shapes[iso3] = geom
        return geom

    @classmethod
    def load(cls, path: Path = COUNTRIES_FILE) -> Countries:
        import geopandas as gpd  # slow to import: only when a point is first checked

        try:
            world = gpd.read_file(path, layer="countries").set_crs(4326)
        except Exception as exc:  # pyogrio raises its own DataSourceError family
            raise DataFileError(str(path), f"cannot read the country polygons: {exc}") from None
        parts: dict[str, list[BaseGeometry]] = {}
        for number, name, geom in zip(world["id"], world["name"], world.geometry, strict=True):
            if geom is None or geom.is_empty:
                continue
            if isinstance(number, str) and number.strip():
                code = iso3_from_numeric(number)
                codes: tuple[str, ...] = (code,) if code else ()
            else:
                codes = UNNUMBERED.get(str(name), ())
            for code in codes:
                parts.setdefault(code, []).append(geom)
        return cls(parts)

    def __contains__(self, iso3: str) -> bool:
        return iso3 in self._parts

    def contains(self, iso3: str, lon: float, lat: float) -> bool | None:
        """Whether (lon, lat) lies in ``iso3`` or within :data:`TOLERANCE_KM` of it; ``None``
        when the file has no polygon for ``iso3``."""
        geom = self.shape(iso3)
        if geom is None:
            return None
        if self._in_inner_cell(iso3, geom, lon, lat) or shapely.contains_xy(geom, lon, lat):
            return True
        for _name, (x0, y0, x1, y1), codes in DISPUTED_AREAS:
            if iso3 in codes and x0 <= lon <= x1 and y0 <= lat <= y1:
                return True
        return self.distance_km(iso3, lon, lat) <= TOLERANCE_KM

    def _in_inner_cell(self, iso3: str, geom: BaseGeometry, lon: float, lat: float) -> bool:
        """Whether the point's grid cell (:data:`CELLS_PER_DEGREE`) lies wholly inside the
        country: then so does the point, and the answer is one dict lookup.

        Events cluster in towns, so a file's points fall in few cells; a cell on a border or a
        coast answers ``False`` and the point is tested exactly.  The cells are powers of two of
        a degree, so a cell's edges and ``floor(lon * CELLS_PER_DEGREE)`` are exact in floating
        point and the point always lies in the cell tested.  At most :data:`MAX_CELLS` are
        remembered (then forgotten all at once): memory stays bounded whatever the file."""
        key = (iso3, math.floor(lon * CELLS_PER_DEGREE), math.floor(lat * CELLS_PER_DEGREE))
        inside = self._cells.get(key)
        if inside is None:
            if len(self._cells) >= MAX_CELLS:
                self._cells.clear()
            x0, y0 = key[1] / CELLS_PER_DEGREE, key[2] / CELLS_PER_DEGREE
            cell = shapely.box(x0, y0, x0 + 1 / CELLS_PER_DEGREE, y0 + 1 / CELLS_PER_DEGREE)
            inside = self._cells[key] = bool(shapely.contains(geom, cell))
        return inside

    def distance_km(self, iso3: str, lon: float, lat: float) -> float:
        """Distance from the point to the country's polygon (0 inside), in km."""
        geom = self.shape(iso3)
        if geom is None:
            raise KeyError(iso3)
        point = shapely.Point(lon, lat)
        if shapely.contains_xy(geom, lon, lat):
            return 0.0
        # the nearest point in degree space, then its true distance: never less than the true
        # distance, and close to it at the ~10 km scale the tolerance works at
        nearest = nearest_points(geom, point)[0]
        return haversine_km(lon, lat, nearest.x, nearest.y)

    def where(self, lon: float, lat: float) -> list[str]:
        """The countries whose polygon holds the point (usually one; none at sea)."""
        if self._tree is None:
            codes = list(self._parts)
            self._tree = codes, shapely.STRtree([self.shape(c) for c in codes])
        codes, tree = self._tree
        hits = tree.query(shapely.Point(lon, lat), predicate="intersects")
        return sorted(codes[i] for i in hits)


@cache
def countries() -> Countries:
    """The polygons, loaded once per process."""
    return Countries.load()
