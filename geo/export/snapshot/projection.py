"""The snapshot's projection and basemap: Lambert azimuthal equal-area centred on the region
(the scale bar and uncertainty circles are true to within a few per cent over the whole map),
Natural Earth borders, the world round the region for the inset and for data beyond it."""

from __future__ import annotations

from functools import cache
from typing import Any

import geopandas as gpd
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.path import Path as MPath
from pyproj import Transformer
from shapely.geometry import box

from geo.mapping import style
from geo.mapping.plugins.basemap import REGION_BOX
from geo.paths import BORDERS_GEOJSON, DATA_DIR

#: Lambert azimuthal equal-area centred on the region: metres, north up along 41.5°E.
CRS = "+proj=laea +lat_0=33.5 +lon_0=41.5 +datum=WGS84 +units=m +no_defs"
#: The world file used for the inset, when present (data/basemap/SOURCE.md); else the borders.
WORLD_TOPOJSON = DATA_DIR / "basemap" / "countries-50m.json"
#: the countries drawn in the focus colour and named in bold
FOCUS = ("IRQ", "SYR", "JOR")
FOCUS_NAMES = {"Iraq", "Syria", "Jordan"}
#: the inset's world (lon/lat box) and how far the world beyond the region is drawn
INSET_BOX = (15, 5, 70, 50)
BEYOND_BOX = (-40, -45, 125, 82)
#: border widths in points (× the page's scale): (other countries, focus countries)
Weights = tuple[float, float]


@cache
def _to_map() -> Transformer:
    return Transformer.from_crs("EPSG:4326", CRS, always_xy=True)


@cache
def _from_map() -> Transformer:
    return Transformer.from_crs(CRS, "EPSG:4326", always_xy=True)


def to_map(lon: float, lat: float) -> tuple[float, float]:
    """Longitude/latitude -> map metres (the snapshot's projection)."""
    x, y = _to_map().transform(lon, lat)
    return float(x), float(y)


def to_lonlat(x: float, y: float) -> tuple[float, float]:
    """Map metres -> longitude/latitude."""
    lon, lat = _from_map().transform(x, y)
    return float(lon), float(lat)


@cache
def basemap() -> gpd.GeoDataFrame:
    frame = gpd.read_file(BORDERS_GEOJSON).explode(index_parts=False)
    frame = frame[frame.geom_type.isin(["Polygon", "MultiPolygon"])]
    return frame.to_crs(CRS)


@cache
def world() -> gpd.GeoDataFrame:
    """Countries round the region for the inset (the 1:50m world file, or the region's own)."""
    try:
        frame = gpd.read_file(WORLD_TOPOJSON, layer="countries").set_crs(4326)
    except Exception:  # the optional world file is missing or unreadable: use the borders
        return basemap()
    frame = frame[frame.geometry.notna()]
    clipped = frame.clip(box(*INSET_BOX))
    clipped = clipped[~clipped.geometry.is_empty].explode(index_parts=False)
    clipped = clipped[clipped.geom_type.isin(["Polygon", "MultiPolygon"])]
    return clipped.to_crs(CRS)


@cache
def world_beyond() -> gpd.GeoDataFrame:
    """The world's countries (as far as the projection holds up) beyond the region file's box,
    for a map whose data leaves it: imported events elsewhere sit on land, not on blank sea."""
    frame = gpd.read_file(WORLD_TOPOJSON, layer="countries").set_crs(4326)
    frame = frame[frame.geometry.notna()]
    frame = frame.set_geometry(frame.geometry.make_valid()).clip(box(*BEYOND_BOX))
    frame = frame.set_geometry(frame.geometry.difference(box(*REGION_BOX)))
    frame = frame[~frame.geometry.is_empty].explode(index_parts=False)
    return frame[frame.geom_type.isin(["Polygon", "MultiPolygon"])].to_crs(CRS)


def beyond_region(extent: tuple[float, float, float, float]) -> bool:
    """Whether the map's extent reaches past what the region file covers."""
    bx0, by0, bx1, by1 = basemap().total_bounds
    x0, x1, y0, y1 = extent
    return x0 < bx0 or x1 > bx1 or y0 < by0 or y1 > by1


def _ring_path(coords: Any) -> tuple[list[tuple[float, float]], list[int]]:
    pts = [(float(x), float(y)) for x, y, *_ in coords]
    codes = [MPath.MOVETO] + [MPath.LINETO] * (len(pts) - 2) + [MPath.CLOSEPOLY]
    return pts, codes


def polygon_path(geom: Any) -> MPath:
    """One matplotlib path for a (multi)polygon, holes included."""
    verts: list[tuple[float, float]] = []
    codes: list[int] = []
    polygons = getattr(geom, "geoms", [geom])
    for poly in polygons:
        for ring in (poly.exterior, *poly.interiors):
            v, c = _ring_path(ring.coords)
            verts += v
            codes += c
    return MPath(verts, codes)


@cache
def _paths(which: str) -> tuple[tuple[MPath, ...], tuple[MPath, ...]]:
    """(focus, other) country paths of the basemap or the inset's world, made once."""
    frame = {"basemap": basemap, "world": world, "beyond": world_beyond}[which]()
    if "iso3" in frame.columns:
        in_focus = frame["iso3"].isin(FOCUS)
    else:
        in_focus = frame["name"].isin(FOCUS_NAMES)
    focus = tuple(polygon_path(g) for g in frame[in_focus].geometry)
    other = tuple(polygon_path(g) for g in frame[~in_focus].geometry)
    return focus, other


def draw_countries(ax: Axes, which: str, s: float, weights: Weights) -> None:
    """The countries of ``which`` ("basemap", "world" or "beyond"), focus countries on top."""
    focus, other = _paths(which)
    for paths, fill, lw in ((other, style.LAND, weights[0]), (focus, style.FOCUS_LAND, weights[1])):
        ax.add_collection(
            PathCollection(
                list(paths), facecolors=fill, edgecolors=style.BORDER, linewidths=lw * s, zorder=1
            ),
            autolim=False,
        )


@cache
def countries_merged() -> tuple[tuple[str, str, Any], ...]:
    """(iso3, name, geometry) of each basemap country, its parts merged, by iso3."""
    merged = basemap().dissolve(by="iso3", as_index=False).sort_values("iso3")
    return tuple((str(r.iso3), str(r["name"]), r.geometry) for _, r in merged.iterrows())
