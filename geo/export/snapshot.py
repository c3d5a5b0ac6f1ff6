"""The static map snapshot: a PNG (at least 1920×1080) and an A4 landscape PDF from one drawing.

Why matplotlib and not a screenshot of the web map in headless Chromium
    It needs no browser and no display (the ``Agg`` canvas draws into memory, the PDF backend
    writes vectors), so it works on a server, in CI and on an air-gapped laptop alike; it is
    deterministic (same view -> byte-identical PNG: fonts are matplotlib's bundled DejaVu Sans,
    no timestamps or software names are written into the files); and it is fast (about a
    second).  A page screenshot would depend on the browser's version, fonts and timing.

What is drawn
    Natural Earth borders (``data/basemap/borders_region.geojson``) in a Lambert azimuthal
    equal-area projection centred on the region (so the scale bar and uncertainty circles are
    true to within a few per cent over the whole map); per located incident a pin coloured by
    weapon (:data:`geo.mapping.style.WEAPON_COLOURS`; several weapons: equal slices) and shaped
    by event type (circle: attack; square: US strike; diamond: other), filled as the web map
    fills it by outcome (solid: hit or not reported; ring: intercepted; ring with a centre:
    partly intercepted); several incidents at one place fanned round it clockwise from
    12 o'clock, oldest first (more than :data:`FAN_MAX`: one pin per kind with a ``×N`` count);
    a hub at each site with its count of attacks in range; dashed uncertainty circles for
    ``geo_precision`` >= 2 (radii of :data:`geo.mapping.plugins.incidents.UNCERTAINTY_M`);
    places too close to read apart pushed apart with a leader line to their true point; site
    labels placed where they overlap nothing; a legend of exactly what is drawn; scale bar (km);
    north arrow; an inset locator map; title, date range, headline, filters
    (``Filters.describe()``), data version and sources; the attribution (Natural Earth, the
    articles, and each imported dataset's own credit -- ACLED's when any row is ACLED's);
    and the marking, if any, in a banner at the top and bottom.

:func:`render` returns a :class:`Snapshot` whose :meth:`Snapshot.project` maps a longitude/
latitude to a pixel of the PNG, and whose ``pins`` give each incident's drawn position, so tests
can look at the pixels where the incidents are.  All text from articles and users is drawn with
``parse_math=False`` (a ``$`` in a title is a dollar sign, not TeX).
"""

from __future__ import annotations

import io
import math
import textwrap
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PatchCollection, PathCollection
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrow, Rectangle
from matplotlib.path import Path as MPath
from matplotlib.patheffects import withStroke
from matplotlib.transforms import Bbox, offset_copy
from pyproj import Transformer
from shapely.geometry import Point, box
from shapely.ops import nearest_points, unary_union

from geo import vocabulary
from geo.errors import NotFoundError
from geo.export.view import View, banner_colours, long_date
from geo.mapping import REGION_BOUNDS, style
from geo.mapping.plugins.basemap import REGION_BOX
from geo.mapping.plugins.incidents import UNCERTAINTY_M
from geo.model import EVENT_TYPES, OUTCOMES, WEAPONS
from geo.paths import BORDERS_GEOJSON, DATA_DIR

#: The PNG's size in pixels and the dots per inch it is drawn at (13.33 × 7.5 in: a 16:9 slide).
PNG_SIZE: tuple[int, int] = (1920, 1080)
PNG_DPI = 144
#: A4 landscape in inches, and the PDF's resolution for anything rasterised (nothing is, today).
A4_LANDSCAPE: tuple[float, float] = (297 / 25.4, 210 / 25.4)
PDF_DPI = 300

#: Lambert azimuthal equal-area centred on the region: metres, north up along 41.5°E.
CRS = "+proj=laea +lat_0=33.5 +lon_0=41.5 +datum=WGS84 +units=m +no_defs"
#: The world file used for the inset, when present (data/basemap/SOURCE.md); else the borders.
WORLD_TOPOJSON = DATA_DIR / "basemap" / "countries-50m.json"
FOCUS = ("IRQ", "SYR", "JOR")
FONT = "DejaVu Sans"  # bundled with matplotlib: the same glyphs on every machine

#: a place with more incidents than this shows one pin per kind with a count
FAN_MAX = 24
#: more drawn places than this are not pushed apart (dense maps rely on merging alone)
MAX_RELAX = 400
#: more uncertainty circles than this are drawn as one merged area
MAX_CIRCLES = 60
#: the map never shows less than this many km across (one lone incident is not a street map)
MIN_SPAN_KM = 700.0
INK = "#1b1b1b"
MUTED = "#555555"
SELECTED = "#b2182b"
EVENT_LABELS = style.EVENT_LEGEND


# -- projection and basemap --------------------------------------------------------------------


@cache
def _to_map() -> Transformer:
    return Transformer.from_crs("EPSG:4326", CRS, always_xy=True)


def to_map(lon: float, lat: float) -> tuple[float, float]:
    """Longitude/latitude -> map metres (the snapshot's projection)."""
    x, y = _to_map().transform(lon, lat)
    return float(x), float(y)


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
    clipped = frame.clip(box(15, 5, 70, 50))
    clipped = clipped[~clipped.geometry.is_empty].explode(index_parts=False)
    clipped = clipped[clipped.geom_type.isin(["Polygon", "MultiPolygon"])]
    return clipped.to_crs(CRS)


@cache
def world_beyond() -> gpd.GeoDataFrame:
    """The world's countries (as far as the projection holds up) beyond the region file's box,
    for a map whose data leaves it: imported events elsewhere sit on land, not on blank sea."""
    frame = gpd.read_file(WORLD_TOPOJSON, layer="countries").set_crs(4326)
    frame = frame[frame.geometry.notna()]
    frame = frame.set_geometry(frame.geometry.make_valid()).clip(box(-40, -45, 125, 82))
    frame = frame.set_geometry(frame.geometry.difference(box(*REGION_BOX)))
    frame = frame[~frame.geometry.is_empty].explode(index_parts=False)
    return frame[frame.geom_type.isin(["Polygon", "MultiPolygon"])].to_crs(CRS)


def _beyond_region(extent: tuple[float, float, float, float]) -> bool:
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
        in_focus = frame["name"].isin({"Iraq", "Syria", "Jordan"})
    focus = tuple(polygon_path(g) for g in frame[in_focus].geometry)
    other = tuple(polygon_path(g) for g in frame[~in_focus].geometry)
    return focus, other


def _draw_countries(ax: Axes, which: str, s: float, weights: tuple[float, float]) -> None:
    focus, other = _paths(which)
    for paths, fill, lw in ((other, style.LAND, weights[0]), (focus, style.FOCUS_LAND, weights[1])):
        ax.add_collection(
            PathCollection(
                list(paths), facecolors=fill, edgecolors=style.BORDER, linewidths=lw * s, zorder=1
            ),
            autolim=False,
        )


# -- the result ---------------------------------------------------------------------------------


@dataclass
class Snapshot:
    """A drawn snapshot: the figure, and where things are on it in PNG pixels (0,0 top left)."""

    figure: Figure
    map_axes: Axes
    dpi: float
    #: incident id -> centre of its pin, in pixels
    pins: dict[str, tuple[float, float]] = field(default_factory=dict)
    #: site id -> centre of its hub as drawn (pushed apart from neighbours when needed)
    hubs: dict[str, tuple[float, float]] = field(default_factory=dict)
    #: whether any place was drawn away from its true point / any pin stands for several
    shifted: bool = False
    grouped: bool = False

    @property
    def size(self) -> tuple[int, int]:
        w, h = self.figure.get_size_inches()
        return round(w * self.dpi), round(h * self.dpi)

    def project(self, lon: float, lat: float) -> tuple[float, float]:
        """Pixel (x right, y down) of a longitude/latitude on the saved PNG."""
        return self._pixels(*to_map(lon, lat))

    def _pixels(self, x: float, y: float) -> tuple[float, float]:
        px, py = self.map_axes.transData.transform((x, y))
        scale = self.dpi / self.figure.dpi
        return float(px * scale), float(self.size[1] - py * scale)

    def png(self) -> bytes:
        buf = io.BytesIO()
        self.figure.savefig(buf, format="png", dpi=self.dpi, metadata={"Software": None})
        return buf.getvalue()

    def pdf(self, title: str = "") -> bytes:
        buf = io.BytesIO()
        self.figure.savefig(
            buf,
            format="pdf",
            dpi=self.dpi,
            metadata={
                "Title": title or None,
                "Creator": None,
                "Producer": None,
                "CreationDate": None,
                "ModDate": None,
            },
        )
        return buf.getvalue()


def render(view: View, *, size: tuple[int, int] = PNG_SIZE, dpi: float = PNG_DPI) -> Snapshot:
    """Draw ``view`` on a figure of ``size`` pixels at ``dpi`` (the PNG)."""
    return draw(view, (size[0] / dpi, size[1] / dpi), dpi)


def render_a4(view: View) -> Snapshot:
    """The same drawing on an A4 landscape page (the PDF)."""
    return draw(view, A4_LANDSCAPE, PDF_DPI)


def write_png(view: View, out: Path) -> None:
    Path(out).write_bytes(render(view).png())


def write_pdf(view: View, out: Path) -> None:
    Path(out).write_bytes(render_a4(view).pdf(view.title))


def project(
    view: View, lon: float, lat: float, size: tuple[int, int] = PNG_SIZE
) -> tuple[float, float]:
    """Where ``lon``/``lat`` lands on the PNG of ``view`` (pixels, y down)."""
    return render(view, size=size).project(lon, lat)


# -- the drawing --------------------------------------------------------------------------------


@dataclass
class _Layout:
    """Rectangles in inches from the bottom left: (x, y, w, h)."""

    fig_w: float
    fig_h: float
    s: float  # scale of type and symbols (1.0 on the 7.5 in high PNG)
    banner: float
    title: tuple[float, float, float, float]
    map: tuple[float, float, float, float]
    panel: tuple[float, float, float, float]
    footer: tuple[float, float, float, float]


def _layout(fig_w: float, fig_h: float, marking: bool, footer_lines: int) -> _Layout:
    s = fig_h / 7.5
    m = 0.2 * s
    banner = 0.3 * s if marking else 0.0
    title_h = 0.86 * s
    footer_h = (0.1 + 0.15 * footer_lines) * s
    panel_w = 3.7 * s
    top = fig_h - banner - m
    title = (m, top - title_h, fig_w - 2 * m, title_h)
    body_top = title[1] - 0.08 * s
    body_bottom = banner + footer_h + m * 0.5
    map_w = fig_w - panel_w - 3 * m
    return _Layout(
        fig_w,
        fig_h,
        s,
        banner,
        title,
        (m, body_bottom, map_w, body_top - body_bottom),
        (m + map_w + m, body_bottom, panel_w, body_top - body_bottom),
        (m, banner + 0.04 * s, fig_w - 2 * m, footer_h),
    )


def _axes(fig: Figure, rect: tuple[float, float, float, float]) -> Axes:
    x, y, w, h = rect
    W, H = fig.get_size_inches()
    return fig.add_axes((x / W, y / H, w / W, h / H))


def _text(ax: Any, x: float, y: float, s: str, **kw: Any) -> Any:
    """Text that is never parsed as TeX, always in the bundled font."""
    kw.setdefault("fontfamily", FONT)
    kw.setdefault("color", INK)
    return ax.text(x, y, s, parse_math=False, **kw)


def _wrap(text: str, width_in: float, size_pt: float) -> list[str]:
    """Lines that fit ``width_in`` at ``size_pt`` (DejaVu Sans averages ~0.56 em a glyph)."""
    chars = max(12, int(width_in * 72 / (size_pt * 0.56)))
    return textwrap.wrap(text, chars, break_long_words=True, break_on_hyphens=False) or [""]


def draw(view: View, fig_size_in: tuple[float, float], dpi: float) -> Snapshot:
    fig = Figure(figsize=fig_size_in, dpi=dpi, facecolor="white")
    FigureCanvasAgg(fig)
    footer = _footer_lines(view, fig_size_in[0], fig_size_in[1] / 7.5)
    lay = _layout(*fig_size_in, bool(view.marking), len(footer))
    ax = _axes(fig, lay.map)
    snap = Snapshot(fig, ax, dpi)
    extent = _extent(view, lay.map[2] / lay.map[3])
    _draw_map(ax, view, extent, lay, snap)
    _draw_title(fig, view, lay)
    _draw_panel(fig, view, lay, extent, snap)
    _draw_footer(fig, footer, lay)
    if view.marking:
        _draw_banners(fig, view.marking, lay)
    return snap


# -- extent -------------------------------------------------------------------------------------


def _extent(view: View, aspect: float) -> tuple[float, float, float, float]:
    """(xmin, xmax, ymin, ymax) in map metres: the located incidents (and the selected sites)
    with a margin, at least :data:`MIN_SPAN_KM` across, stretched to the map's aspect."""
    points = [to_map(r["longitude"], r["latitude"]) for r in view.located()]
    for site_id in view.selected_sites:
        site = _site(view, site_id)
        if site is not None and site.located:
            points.append(to_map(site.longitude, site.latitude))
    if not points:
        (s, w), (n, e) = REGION_BOUNDS
        corners = [to_map(lon, lat) for lon in (w, e) for lat in (s, n)]
        xs, ys = [p[0] for p in corners], [p[1] for p in corners]
        pad = 0.0
    else:
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        pad = 160_000.0
    x0, x1, y0, y1 = min(xs) - pad, max(xs) + pad, min(ys) - pad, max(ys) + pad
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    w = max(x1 - x0, MIN_SPAN_KM * 1000, (y1 - y0) * aspect)
    h = w / aspect
    return cx - w / 2, cx + w / 2, cy - h / 2, cy + h / 2


def _site(view: View, site_id: str | None) -> Any:
    """The gazetteer's site, or None for no id or an id it does not know (an imported row may
    name a site a later gazetteer dropped).  Any other error is a bug and is raised."""
    if not site_id:
        return None
    try:
        return view.gazetteer.get(site_id)
    except NotFoundError:
        return None


# -- markers --------------------------------------------------------------------------------------


def _slice_paths(shape: str, n: int) -> list[MPath]:
    """Marker paths: the whole symbol for n=1, else n equal slices of it.  matplotlib scales a
    marker path by its largest coordinate, so every slice keeps a vertex at distance 1."""
    if shape == "circle":
        if n == 1:
            return [MPath.unit_circle()]
        step = 360 / n
        return [MPath.wedge(90 - (k + 1) * step, 90 - k * step) for k in range(n)]
    edges = np.linspace(-1, 1, n + 1)
    if shape == "diamond":
        return [_diamond_strip(a, b) for a, b in pairwise(edges)]
    return [
        MPath([(a, -1), (b, -1), (b, 1), (a, 1), (a, -1)], closed=True) for a, b in pairwise(edges)
    ]


def _diamond_strip(a: float, b: float) -> MPath:
    """The part of the unit diamond between x=a and x=b, with an invisible anchor at (1, 1)."""
    xs = [a, *([0.0] if a < 0 < b else []), b]
    ring = [(x, 1 - abs(x)) for x in xs] + [(x, abs(x) - 1) for x in reversed(xs)]
    verts = [(1.0, 1.0), *ring, ring[0]]
    codes = [MPath.MOVETO, MPath.MOVETO] + [MPath.LINETO] * (len(ring) - 1) + [MPath.CLOSEPOLY]
    return MPath(verts, codes)


SHAPES = style.EVENT_SYMBOLS


@dataclass
class _Pin:
    x: float  # map metres, drawn centre
    y: float
    weapons: tuple[str, ...]
    event_type: str
    outcome: str
    ids: list[str]
    count: int = 1


@dataclass
class _Place:
    x: float  # true point, map metres
    y: float
    lon: float
    lat: float
    rows: list[dict[str, Any]]
    site_id: str | None = None
    name: str | None = None
    attacks: int = 0
    hub_pt: float = 0.0  # hub diameter in points (0: no hub)
    radius_pt: float = 0.0  # everything drawn round the place
    offsets: list[tuple[float, float]] = field(default_factory=list)  # pt, per pin
    pins: list[_Pin] = field(default_factory=list)
    x_pt: float = 0.0  # true point in points from the map's bottom left
    y_pt: float = 0.0
    dx_pt: float = 0.0  # display shift from the true point (pushed apart)
    dy_pt: float = 0.0
    last: Any = None
    members: list[tuple[float, float]] = field(default_factory=list)  # true points, metres
    merged: int = 0  # other places merged into this one


def _at(site: Any, lon: float, lat: float) -> bool:
    return site.located and abs(site.longitude - lon) < 1e-5 and abs(site.latitude - lat) < 1e-5


def _places(view: View) -> list[_Place]:
    """Located incidents grouped by point; a place on a gazetteer site takes the site's name."""
    sites = {s.id: s for s in view.gazetteer}
    by_point: dict[tuple[float, float], _Place] = {}
    for row in view.located():
        key = (round(row["longitude"], 5), round(row["latitude"], 5))
        place = by_point.get(key)
        if place is None:
            x, y = to_map(row["longitude"], row["latitude"])
            place = by_point[key] = _Place(x, y, row["longitude"], row["latitude"], [])
        place.rows.append(row)
    for place in by_point.values():
        named = Counter(r["site_id"] for r in place.rows if r["site_id"] in sites).most_common()
        candidates = [sites[site_id] for site_id, _n in named] + list(sites.values())
        site = next((c for c in candidates if _at(c, place.lon, place.lat)), None)
        if site is not None:
            place.site_id, place.name = site.id, site.name
        else:
            place.name = _short(place.rows[0]["location"], 32)
        place.attacks = sum(r["event_type"] == "attack" for r in place.rows)
        place.last = max(r["date_end"] for r in place.rows)
    return sorted(by_point.values(), key=lambda p: (-len(p.rows), p.name or "", p.x))


def _short(text: str, n: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _kinds(rows: list[dict[str, Any]]) -> list[tuple[tuple[str, str, tuple[str, ...]], list[str]]]:
    """A busy place's incidents grouped by event type and (first) weapon, largest group first;
    a group's outcome is its members' when they agree, else drawn as "not reported"."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        groups[(r["event_type"], (r["weapons"] or ("unknown",))[0])].append(r)
    out = []
    for (event, weapon), members in groups.items():
        outcomes = {r["outcome"] for r in members}
        outcome = outcomes.pop() if len(outcomes) == 1 else "unknown"
        out.append(((event, outcome, (weapon,)), [r["id"] for r in members]))
    return sorted(out, key=lambda kv: (-len(kv[1]), kv[0]))


def _fan(n: int, inner_pt: float, pin_pt: float, centre_free: bool) -> list[tuple[float, float]]:
    """Offsets in points for n pins round a place: clockwise from 12 o'clock, ring by ring."""
    if n == 1 and centre_free:
        return [(0.0, 0.0)]
    out: list[tuple[float, float]] = []
    radius = inner_pt + pin_pt * 0.62
    ring = 0
    while len(out) < n:
        capacity = max(6, int(2 * math.pi * radius / (pin_pt * 1.22)))
        take = min(capacity, n - len(out))
        for k in range(take):
            angle = math.pi / 2 - 2 * math.pi * k / take - ring * 0.25
            out.append((radius * math.cos(angle), radius * math.sin(angle)))
        radius += pin_pt * 1.2
        ring += 1
    return out


def _cluster(places: list[_Place], m_per_pt: float, merge_pt: float) -> list[_Place]:
    """Merge places closer on the page than ``merge_pt`` into one drawn place (a site keeps
    its own: two sites are never merged, they are pushed apart instead).  Each merged place
    remembers its members' true points."""
    order = sorted(places, key=lambda p: (p.site_id is None, -len(p.rows), p.name or "", p.x))
    out: list[_Place] = []
    for p in order:
        p.members = [(p.x, p.y)]
        best, best_d = None, merge_pt
        for c in out:
            if c.site_id is not None and p.site_id is not None:
                continue
            d = math.hypot(c.x - p.x, c.y - p.y) / m_per_pt
            if d < best_d:
                best, best_d = c, d
        if best is None:
            out.append(p)
            continue
        best.rows += p.rows
        best.members.append((p.x, p.y))
        best.attacks += p.attacks
        best.last = max(best.last, p.last)
        best.merged += 1
    for c in out:
        if c.site_id is None and c.merged:
            c.name = _short(f"{c.name} and {c.merged} place{'s' if c.merged > 1 else ''} near", 40)
    return out


def _relax(places: list[_Place], gap_pt: float, max_shift_pt: float) -> None:
    """Push apart places whose drawings would overlap (display only; deterministic).  No place
    moves more than ``max_shift_pt`` from its true point: where the map is too crowded for
    that, drawings may touch rather than wander off."""
    n = len(places)
    if n < 2 or n > MAX_RELAX:
        return
    home = np.array([[p.x_pt, p.y_pt] for p in places])
    pos = home.copy()
    radius = np.array([p.radius_pt for p in places])
    need = radius[:, None] + radius[None, :] + gap_pt
    np.fill_diagonal(need, 0.0)
    index = np.arange(n)
    fallback = np.stack(
        [np.cos(-math.pi / 4 + index * 0.7), np.sin(-math.pi / 4 + index * 0.7)], axis=1
    )
    for _ in range(300):
        diff = pos[None, :, :] - pos[:, None, :]  # i -> j
        dist = np.hypot(diff[..., 0], diff[..., 1])
        overlap = np.clip(need - dist, 0.0, None)
        np.fill_diagonal(overlap, 0.0)
        if overlap.max() < 0.05:
            break
        same = dist < 1e-6
        unit = np.where(
            same[..., None], fallback[None, :, :], diff / np.maximum(dist, 1e-6)[..., None]
        )
        push = (overlap / 2 + 0.01 * (overlap > 0))[..., None] * unit
        pos += -push.sum(axis=1) * 0.5 + push.sum(axis=0) * 0.5
        shift = pos - home
        length = np.hypot(shift[:, 0], shift[:, 1])
        too_far = length > max_shift_pt
        pos[too_far] = home[too_far] + shift[too_far] / length[too_far, None] * max_shift_pt
    for p, (x, y) in zip(places, pos, strict=True):
        p.dx_pt, p.dy_pt = float(x - p.x_pt), float(y - p.y_pt)


def _draw_map(
    ax: Axes, view: View, extent: tuple[float, float, float, float], lay: _Layout, snap: Snapshot
) -> None:
    s = lay.s
    x0, x1, y0, y1 = extent
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_facecolor(style.SEA)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor("#444444")
        spine.set_linewidth(0.8)
    m_per_pt = (x1 - x0) / (lay.map[2] * 72)

    if _beyond_region(extent):
        _draw_countries(ax, "beyond", s, (0.5, 0.5))
    _draw_countries(ax, "basemap", s, (0.6, 1.0))

    pin_pt = 9.0 * s
    places = _cluster(_places(view), m_per_pt, merge_pt=2.4 * pin_pt)
    for place in places:
        if place.site_id is not None:
            place.hub_pt = (14 + 3 * math.sqrt(max(place.attacks, 1) - 1)) * s
        kinds = _kinds(place.rows)
        grouped = len(place.rows) > FAN_MAX
        snap.grouped |= grouped
        members = (
            [(k, ids) for k, ids in kinds]
            if grouped
            else [
                ((r["event_type"], r["outcome"], tuple(r["weapons"])), [r["id"]])
                for r in sorted(place.rows, key=lambda r: (r["date_start"], r["id"]))
            ]
        )
        place.offsets = _fan(len(members), place.hub_pt / 2, pin_pt, centre_free=not place.hub_pt)
        place.pins = [
            _Pin(0, 0, weapons, event, outcome, list(ids), len(ids) if grouped else 1)
            for (event, outcome, weapons), ids in members
        ]
        reach = max((math.hypot(*o) for o in place.offsets), default=0.0) + pin_pt / 2
        place.radius_pt = max(reach, place.hub_pt / 2)
        place.x_pt = (place.x - x0) / m_per_pt
        place.y_pt = (place.y - y0) / m_per_pt
    _relax(places, gap_pt=14 * s, max_shift_pt=36 * s)

    _uncertainty(ax, places, s)

    selected = set(view.selected_sites)
    for place in places:
        cx = place.x + place.dx_pt * m_per_pt
        cy = place.y + place.dy_pt * m_per_pt
        shifted = math.hypot(place.dx_pt, place.dy_pt) > 0.5
        snap.shifted |= shifted
        if shifted:
            ax.plot([place.x, cx], [place.y, cy], color=INK, linewidth=0.9 * s, zorder=3)
        if shifted or place.merged or (not place.hub_pt and len(place.pins) > 1):
            xs, ys = zip(*place.members, strict=True)
            ax.scatter(xs, ys, s=(3.2 * s) ** 2, color=INK, zorder=3, linewidths=0)
        for (ox, oy), pin in zip(place.offsets, place.pins, strict=True):
            pin.x, pin.y = cx + ox * m_per_pt, cy + oy * m_per_pt
        if place.hub_pt:
            ring = SELECTED if place.site_id in selected else INK
            if place.site_id in selected:
                ax.scatter(
                    [cx],
                    [cy],
                    s=(place.radius_pt * 2 + 5 * s) ** 2,
                    facecolors="none",
                    edgecolors=SELECTED,
                    linewidths=2.2 * s,
                    zorder=4,
                )
            ax.scatter(
                [cx],
                [cy],
                s=place.hub_pt**2,
                color="white",
                edgecolors=ring,
                linewidths=1.6 * s,
                zorder=5,
            )
            _text(
                ax,
                cx,
                cy,
                str(place.attacks),
                ha="center",
                va="center_baseline",
                fontsize=8.5 * s,
                fontweight="bold",
                zorder=6,
            )
            snap.hubs[place.site_id or ""] = snap._pixels(cx, cy)
    _draw_pins(ax, [p for place in places for p in place.pins], pin_pt, s)
    for place in places:
        for pin in place.pins:
            if pin.count > 1:
                _text(
                    ax,
                    pin.x,
                    pin.y,
                    str(pin.count),
                    ha="center",
                    va="center_baseline",
                    fontsize=(6 if pin.count < 100 else 5) * s,
                    fontweight="bold",
                    zorder=9,
                    path_effects=[withStroke(linewidth=2 * s, foreground="white")],
                )
            for incident_id in pin.ids:
                snap.pins[incident_id] = snap._pixels(pin.x, pin.y)

    context = _draw_context_sites(ax, view, places, extent, m_per_pt, s)
    obstacles = _obstacles(ax, places, m_per_pt)
    _scale_bar(ax, extent, lay, obstacles)
    _north_arrow(ax, extent, lay, obstacles)
    placed = _site_labels(ax, places, context, m_per_pt, s, selected, obstacles)
    _country_labels(ax, extent, s, placed)


def _uncertainty(ax: Axes, places: list[_Place], s: float) -> None:
    """Dashed circles round points placed to ``geo_precision`` >= 2, under everything.  Past
    :data:`MAX_CIRCLES` distinct circles they are drawn as one merged area, so a crowded map
    shows where places are uncertain instead of turning black."""
    circles = sorted(
        {
            (*(round(v, -2) for v in to_map(r["longitude"], r["latitude"])), _uncertainty_m(r))
            for place in places
            for r in place.rows
            if int(r["geo_precision"]) >= 2
        }
    )
    if not circles:
        return
    style_kw: dict[str, Any] = {
        "facecolors": [(0, 0, 0, 0.035)],
        "edgecolors": "#555555",
        "linestyles": [(0, (3, 3))],
        "linewidths": 0.9 * s,
        "zorder": 2,
    }
    if len(circles) <= MAX_CIRCLES:
        patches = [Circle((cx, cy), radius) for cx, cy, radius in circles]
        ax.add_collection(PatchCollection(patches, **style_kw), autolim=False)
        return
    area = unary_union([Point(cx, cy).buffer(radius, 32) for cx, cy, radius in circles])
    ax.add_collection(PathCollection([polygon_path(area)], **style_kw), autolim=False)


def _uncertainty_m(row: dict[str, Any]) -> int:
    """Radius of the circle drawn round a point placed to ``geo_precision`` (web map's table)."""
    return UNCERTAINTY_M.get(int(row["geo_precision"]), max(UNCERTAINTY_M.values()))


def _draw_pins(ax: Axes, pins: list[_Pin], pin_pt: float, s: float) -> None:
    """Pins grouped into one scatter call per symbol and colour (fast for thousands)."""
    under: dict[str, list[tuple[float, float]]] = defaultdict(list)
    fills: dict[tuple[str, int, int, str, str], list[tuple[float, float]]] = defaultdict(list)
    centres: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for pin in pins:
        shape = SHAPES.get(pin.event_type, "circle")
        under[shape].append((pin.x, pin.y))
        weapons = pin.weapons or ("unknown",)
        if pin.outcome in ("intercepted", "mixed"):
            colour = style.WEAPON_COLOURS[weapons[0]]
            fills[(shape, 1, 0, colour, "ring")].append((pin.x, pin.y))
            if pin.outcome == "mixed":
                centres[colour].append((pin.x, pin.y))
            continue
        for k, w in enumerate(weapons):
            fills[(shape, len(weapons), k, style.WEAPON_COLOURS[w], "solid")].append((pin.x, pin.y))
    size = {"circle": pin_pt, "square": pin_pt * 0.9, "diamond": pin_pt * 1.15}
    for shape, pts in sorted(under.items()):
        xs, ys = zip(*pts, strict=True)
        path = _slice_paths(shape, 1)[0]
        ax.scatter(
            xs,
            ys,
            s=(size[shape] + 2.6 * s) ** 2,
            marker=path,
            color="#222222",
            alpha=0.75,
            linewidths=0,
            zorder=7,
        )
        ax.scatter(
            xs,
            ys,
            s=(size[shape] + 1.4 * s) ** 2,
            marker=path,
            color="white",
            linewidths=0,
            zorder=7,
        )
    for (shape, n, k, colour, kind), pts in sorted(fills.items()):
        xs, ys = zip(*pts, strict=True)
        path = _slice_paths(shape, n)[k]
        if kind == "ring":
            ax.scatter(
                xs,
                ys,
                s=(size[shape] - 2.2 * s) ** 2,
                marker=path,
                facecolors="white",
                edgecolors=colour,
                linewidths=2.4 * s,
                zorder=8,
            )
        else:
            ax.scatter(
                xs,
                ys,
                s=size[shape] ** 2,
                marker=path,
                color=colour,
                edgecolors="white" if n > 1 else "none",
                linewidths=0.5 * s,
                zorder=8,
            )
    for colour, pts in sorted(centres.items()):
        xs, ys = zip(*pts, strict=True)
        ax.scatter(xs, ys, s=(pin_pt * 0.38) ** 2, color=colour, linewidths=0, zorder=9)


@cache
def _countries_merged() -> tuple[tuple[str, str, Any], ...]:
    merged = basemap().dissolve(by="iso3", as_index=False).sort_values("iso3")
    return tuple((str(r.iso3), str(r["name"]), r.geometry) for _, r in merged.iterrows())


def _country_labels(
    ax: Axes, extent: tuple[float, float, float, float], s: float, obstacles: list[Any]
) -> None:
    """Country names in spaced capitals, each moved off symbols, labels and map furniture."""
    x0, x1, y0, y1 = extent
    frame = box(x0, y0, x1, y1)
    renderer = ax.figure.canvas.get_renderer()
    inv = ax.transData.inverted()

    def data_box(b: Any) -> tuple[float, float, float, float]:
        (ax0, ay0), (ax1, ay1) = inv.transform((b.x0, b.y0)), inv.transform((b.x1, b.y1))
        return ax0, ay0, ax1, ay1

    blocked = [data_box(b) for b in obstacles]
    for iso3, name, geom in _countries_merged():
        visible = geom.intersection(frame)
        if visible.is_empty or visible.area < 0.012 * frame.area:
            continue
        focus = iso3 in FOCUS
        t = _text(
            ax,
            0,
            0,
            " ".join(name.upper()),
            ha="center",
            va="center",
            fontsize=(11 if focus else 8.5) * s,
            color="#8a8070" if focus else "#a39c8c",
            fontweight="bold" if focus else "normal",
            zorder=1.5,
        )
        bx0, by0, bx1, by1 = data_box(t.get_window_extent(renderer))
        hw, hh = (bx1 - bx0) / 2 * 1.1, (by1 - by0) / 2 * 1.3
        grown = unary_union([box(a - hw, b - hh, c + hw, d + hh) for a, b, c, d in blocked])
        room = visible.buffer(-hh).intersection(box(x0 + hw, y0 + hh, x1 - hw, y1 - hh))
        room = room.difference(grown) if not grown.is_empty else room
        if room.is_empty:
            t.remove()
            continue
        want = visible.representative_point()
        spot = want if room.contains(want) else nearest_points(room, want)[0]
        t.set_position((spot.x, spot.y))
        blocked.append((spot.x - hw, spot.y - hh, spot.x + hw, spot.y + hh))


def _draw_context_sites(
    ax: Axes,
    view: View,
    places: list[_Place],
    extent: tuple[float, float, float, float],
    m_per_pt: float,
    s: float,
) -> list[tuple[Any, float, float, Any]]:
    """Known sites with nothing in range: a small hollow circle (kept only if its label fits,
    see :func:`_site_labels`).  Returns (site, x, y, marker) for each."""
    x0, x1, y0, y1 = extent
    drawn = {p.site_id for p in places if p.site_id}
    out: list[tuple[Any, float, float, Any]] = []
    for site in view.gazetteer:
        if site.id in drawn or not site.located:
            continue
        x, y = to_map(site.longitude, site.latitude)
        edge = 12 * s * m_per_pt
        if not (x0 + edge < x < x1 - edge and y0 + edge < y < y1 - edge):
            continue
        near = [p for p in places if math.hypot(p.x - x, p.y - y) / m_per_pt < p.radius_pt + 6 * s]
        if near:
            continue
        marker = ax.scatter(
            [x],
            [y],
            s=(6 * s) ** 2,
            facecolors="white",
            edgecolors="#777777",
            linewidths=1.0 * s,
            zorder=4,
        )
        out.append((site, x, y, marker))
    return out


def _obstacles(ax: Axes, places: list[_Place], m_per_pt: float) -> list[Any]:
    """Display-space boxes labels must avoid: every place's drawing."""
    out = []
    pt = ax.figure.dpi / 72
    for p in places:
        cx, cy = ax.transData.transform((p.x + p.dx_pt * m_per_pt, p.y + p.dy_pt * m_per_pt))
        r = p.radius_pt * pt
        out.append(Bbox([[cx - r, cy - r], [cx + r, cy + r]]))
        tx, ty = ax.transData.transform((p.x, p.y))
        out.append(Bbox([[tx - 2 * pt, ty - 2 * pt], [tx + 2 * pt, ty + 2 * pt]]))
    return out


def _site_labels(
    ax: Axes,
    places: list[_Place],
    context_sites: list[tuple[Any, float, float, Any]],
    m_per_pt: float,
    s: float,
    selected: set[str],
    obstacles: list[Any],
) -> list[Any]:
    """Place each label where it overlaps nothing (else where it overlaps least); a context
    site's label only where it fits, else the site is not drawn at all.  Returns every box
    now taken."""
    renderer = ax.figure.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    pt = ax.figure.dpi / 72
    halo = [withStroke(linewidth=2.6 * s, foreground="white")]
    labels: list[tuple[str, float, float, float, bool, Any]] = []
    many = len(places) > 15
    for p in places:
        if p.site_id is None and many:
            continue
        first = p.name or ""
        # the same unit as the app's hubs: attacks, then any other kinds, each named
        kinds = vocabulary.event_counts((r["event_type"] for r in p.rows), sep=" + ")
        second = f"{kinds} · last {long_date(p.last)}"
        cx = p.x + p.dx_pt * m_per_pt
        cy = p.y + p.dy_pt * m_per_pt
        labels.append((f"{first}\n{second}", cx, cy, p.radius_pt, p.site_id in selected, None))
    for site, x, y, marker in context_sites:
        labels.append((site.name, x, y, 3 * s, False, marker))
    placed = list(obstacles)
    for text, cx, cy, radius, is_selected, marker in labels:
        context = marker is not None
        t = _text(
            ax,
            cx,
            cy,
            text,
            fontsize=(7 if context else 8.5) * s,
            fontweight="normal" if context else "bold",
            color=SELECTED if is_selected else (MUTED if context else INK),
            linespacing=1.15,
            zorder=10,
            path_effects=halo,
        )
        gap = (radius + 3 * s) * pt
        best = None
        for ha, va, dx, dy in (
            ("left", "center", gap, 0),
            ("right", "center", -gap, 0),
            ("center", "bottom", 0, gap),
            ("center", "top", 0, -gap),
            ("left", "bottom", gap * 0.72, gap * 0.72),
            ("left", "top", gap * 0.72, -gap * 0.72),
            ("right", "bottom", -gap * 0.72, gap * 0.72),
            ("right", "top", -gap * 0.72, -gap * 0.72),
        ):
            t.set_ha(ha)
            t.set_va(va)
            t.set_position((cx, cy))
            t.set_transform(
                offset_copy(ax.transData, fig=ax.figure, x=dx / pt, y=dy / pt, units="points")
            )
            bb = t.get_window_extent(renderer).expanded(1.04, 1.08)
            inside = (
                bb.x0 >= frame.x0 + 2
                and bb.x1 <= frame.x1 - 2
                and bb.y0 >= frame.y0 + 2
                and bb.y1 <= frame.y1 - 2
            )
            overlap = sum(_area(bb, o) for o in placed) + (0 if inside else 1e9)
            if best is None or overlap < best[0]:
                best = (overlap, ha, va, dx, dy, bb)
            if overlap == 0:
                break
        assert best is not None
        overlap, ha, va, dx, dy, bb = best
        if context and overlap > 0:
            t.remove()
            marker.remove()
            continue
        t.set_ha(ha)
        t.set_va(va)
        t.set_transform(
            offset_copy(ax.transData, fig=ax.figure, x=dx / pt, y=dy / pt, units="points")
        )
        placed.append(bb)
    return placed


def _area(a: Any, b: Any) -> float:
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return w * h if w > 0 and h > 0 else 0.0


def _nice_km(target: float) -> float:
    exp = 10 ** math.floor(math.log10(target))
    for step in (5, 2, 1):
        if step * exp <= target:
            return step * exp
    return exp


def _scale_bar(
    ax: Axes, extent: tuple[float, float, float, float], lay: _Layout, obstacles: list[Any]
) -> None:
    x0, x1, y0, _y1 = extent
    s = lay.s
    km = _nice_km((x1 - x0) / 1000 / 5)
    length = km * 1000
    m_per_in = (x1 - x0) / lay.map[2]
    left = x0 + 0.3 * s * m_per_in
    base = y0 + 0.3 * s * m_per_in
    height = 0.07 * s * m_per_in
    ax.add_patch(
        Rectangle(
            (left - 0.12 * s * m_per_in, base - 0.14 * s * m_per_in),
            length + 0.5 * s * m_per_in,
            0.5 * s * m_per_in,
            facecolor=(1, 1, 1, 0.85),
            edgecolor="none",
            zorder=11,
        )
    )
    for k in range(4):
        ax.add_patch(
            Rectangle(
                (left + k * length / 4, base),
                length / 4,
                height,
                facecolor=INK if k % 2 == 0 else "white",
                edgecolor=INK,
                linewidth=0.6 * s,
                zorder=12,
            )
        )
    for value, x in ((0, left), (km / 2, left + length / 2), (km, left + length)):
        label = f"{value:g}" + (" km" if value == km else "")
        _text(
            ax, x, base + height * 1.6, label, ha="center", va="bottom", fontsize=7.5 * s, zorder=12
        )
    a = ax.transData.transform((left - 0.12 * s * m_per_in, base - 0.14 * s * m_per_in))
    b = ax.transData.transform((left + length + 0.4 * s * m_per_in, base + 0.36 * s * m_per_in))
    obstacles.append(Bbox([a, b]))


def _north_arrow(
    ax: Axes, extent: tuple[float, float, float, float], lay: _Layout, obstacles: list[Any]
) -> None:
    """A north arrow at the top left, pointing along the meridian through the map's centre."""
    x0, x1, y0, y1 = extent
    s = lay.s
    m_per_in = (x1 - x0) / lay.map[2]
    inv = Transformer.from_crs(CRS, "EPSG:4326", always_xy=True)
    lon, lat = inv.transform((x0 + x1) / 2, (y0 + y1) / 2)
    ax_, ay_ = to_map(lon, lat)
    bx, by = to_map(lon, lat + 0.5)
    angle = math.atan2(bx - ax_, by - ay_)  # from straight up, clockwise positive
    length = 0.42 * s * m_per_in
    cx = x0 + 0.42 * s * m_per_in
    cy = y1 - 0.78 * s * m_per_in
    dx, dy = length * math.sin(angle), length * math.cos(angle)
    ax.add_patch(
        Rectangle(
            (cx - 0.24 * s * m_per_in, cy - 0.14 * s * m_per_in),
            0.48 * s * m_per_in,
            0.86 * s * m_per_in,
            facecolor=(1, 1, 1, 0.85),
            edgecolor="none",
            zorder=11,
        )
    )
    ax.add_patch(
        FancyArrow(
            cx,
            cy,
            dx,
            dy,
            width=0.05 * s * m_per_in,
            head_width=0.18 * s * m_per_in,
            head_length=0.2 * s * m_per_in,
            length_includes_head=True,
            color=INK,
            zorder=12,
        )
    )
    _text(
        ax,
        cx + dx * 1.05,
        cy + dy * 1.05 + 0.02 * s * m_per_in,
        "N",
        ha="center",
        va="bottom",
        fontsize=10 * s,
        fontweight="bold",
        zorder=12,
    )
    a = ax.transData.transform((cx - 0.24 * s * m_per_in, cy - 0.14 * s * m_per_in))
    b = ax.transData.transform((cx + 0.24 * s * m_per_in, cy + 0.72 * s * m_per_in))
    obstacles.append(Bbox([a, b]))


# -- title, panel, footer, banners ----------------------------------------------------------------


def _draw_title(fig: Figure, view: View, lay: _Layout) -> None:
    _x, _y, w, h = lay.title
    s = lay.s
    ax = _axes(fig, lay.title)
    ax.set_axis_off()
    ax.set_xlim(0, w)
    ax.set_ylim(0, h)
    title = _short(view.title or "Incident Atlas briefing", 110)
    _text(ax, 0, h, title, ha="left", va="top", fontsize=19 * s, fontweight="bold")
    sub = f"{view.range_text()}   ·   {view.headline_text()}"
    _text(
        ax, 0, h - 0.44 * s, _short(sub, 170), ha="left", va="top", fontsize=10.5 * s, color=MUTED
    )
    ax.plot([0, w], [0.02 * s, 0.02 * s], color="#cccccc", linewidth=0.8 * s)


def _draw_panel(
    fig: Figure, view: View, lay: _Layout, extent: tuple[float, float, float, float], snap: Snapshot
) -> None:
    x, y, w, h = lay.panel
    s = lay.s
    inset_h = 1.3 * s
    _inset(fig, (x, y + h - inset_h, w, inset_h), extent, s)
    ax = _axes(fig, (x, y, w, h - inset_h - 0.12 * s))
    ax.set_axis_off()
    ph = h - inset_h - 0.12 * s
    ax.set_xlim(0, w)
    ax.set_ylim(0, ph)
    top = _legend(ax, view, w, ph, s, snap)
    _info(ax, view, w, top - 0.1 * s, s)


def _legend(ax: Axes, view: View, w: float, top: float, s: float, snap: Snapshot) -> float:
    """The legend of what is drawn, from the style table; returns the y below it."""
    rows = view.located()
    weapons = [x for x in WEAPONS if any(x in r["weapons"] for r in rows)]
    events = [e for e in EVENT_TYPES if any(r["event_type"] == e for r in rows)]
    outcomes = [o for o in OUTCOMES if any(r["outcome"] == o for r in rows)]
    line = 0.175 * s
    size = 7.6 * s
    head = {"fontsize": 8 * s, "fontweight": "bold", "va": "center"}
    body = {"fontsize": size, "va": "center"}
    _text(
        ax,
        0,
        top - 0.08 * s,
        "LEGEND",
        fontsize=8.5 * s,
        fontweight="bold",
        va="center",
        color=MUTED,
    )
    y_left = y_right = top - 0.08 * s - line * 1.15
    col = w / 2 + 0.05 * s
    pin = 8 * s

    def symbol(ax_x: float, ax_y: float, shape: str, colour: str, kind: str = "solid") -> None:
        path = _slice_paths(shape, 1)[0]
        sz = {"circle": pin, "square": pin * 0.9, "diamond": pin * 1.15}[shape]
        ax.scatter(
            [ax_x],
            [ax_y],
            s=(sz + 2.2 * s) ** 2,
            marker=path,
            color="#222222",
            alpha=0.75,
            linewidths=0,
        )
        ax.scatter([ax_x], [ax_y], s=(sz + 1.2 * s) ** 2, marker=path, color="white", linewidths=0)
        if kind == "solid":
            ax.scatter([ax_x], [ax_y], s=sz**2, marker=path, color=colour, linewidths=0)
        else:
            ax.scatter(
                [ax_x],
                [ax_y],
                s=(sz - 2.2 * s) ** 2,
                marker=path,
                facecolors="white",
                edgecolors=colour,
                linewidths=2.2 * s,
            )
            if kind == "mixed":
                ax.scatter([ax_x], [ax_y], s=(pin * 0.38) ** 2, color=colour, linewidths=0)

    if weapons:
        _text(ax, 0, y_left, "Weapon (colour)", **head)
        y_left -= line
        for weapon in weapons:
            symbol(0.1 * s, y_left, "circle", style.WEAPON_COLOURS[weapon])
            _text(ax, 0.26 * s, y_left, style.WEAPON_LABELS[weapon], **body)
            y_left -= line
    if events:
        _text(ax, col, y_right, "Event (shape)", **head)
        y_right -= line
        for event in events:
            symbol(col + 0.1 * s, y_right, SHAPES[event], "#777777")
            _text(ax, col + 0.26 * s, y_right, EVENT_LABELS[event], **body)
            y_right -= line
    if outcomes:
        y_right -= line * 0.25
        _text(ax, col, y_right, "Outcome (fill)", **head)
        y_right -= line
        for kind, label in _outcome_rows(outcomes):
            symbol(col + 0.1 * s, y_right, "circle", "#777777", kind)
            _text(ax, col + 0.26 * s, y_right, label, **body)
            y_right -= line
    y = min(y_left, y_right) - line * 0.25
    extras: list[tuple[str, str]] = []
    if snap.hubs:
        extras.append(
            ("hub", "site: attacks there in range (pins round it clockwise from 12, oldest first)")
        )
    if any(len(r["weapons"]) > 1 for r in rows):
        extras.append(("split", "several weapons: one slice each"))
    if any(int(r["geo_precision"]) >= 2 for r in rows):
        radii = sorted({_uncertainty_m(r) for r in rows if int(r["geo_precision"]) >= 2})
        span = f"{radii[0] // 1000}" + (f"–{radii[-1] // 1000}" if len(radii) > 1 else "")
        extras.append(("circle", f"place known only to ±{span} km"))
    if snap.shifted:
        extras.append(("leader", "true point of a place drawn apart from a close neighbour"))
    if snap.grouped:
        extras.append(
            ("count", f"number on a pin: incidents of one kind (places with over {FAN_MAX})")
        )
    for kind, label in extras:
        lines = _wrap(label, w - 0.3 * s, size)
        cy = y - (len(lines) - 1) * line * 0.42
        if kind == "hub":
            ax.scatter(
                [0.1 * s], [cy], s=(12 * s) ** 2, color="white", edgecolors=INK, linewidths=1.4 * s
            )
            _text(
                ax,
                0.1 * s,
                cy,
                "3",
                ha="center",
                va="center_baseline",
                fontsize=7 * s,
                fontweight="bold",
            )
        elif kind == "split":
            for k, colour in enumerate(
                (style.WEAPON_COLOURS["drone"], style.WEAPON_COLOURS["rocket"])
            ):
                ax.scatter(
                    [0.1 * s],
                    [cy],
                    s=pin**2,
                    marker=_slice_paths("circle", 2)[k],
                    color=colour,
                    edgecolors="white",
                    linewidths=0.5 * s,
                )
        elif kind == "circle":
            ax.add_patch(
                Circle(
                    (0.1 * s, cy),
                    0.075 * s,
                    facecolor=(0, 0, 0, 0.05),
                    edgecolor="#555555",
                    linestyle=(0, (2, 2)),
                    linewidth=0.9 * s,
                )
            )
        elif kind == "leader":
            ax.plot(
                [0.02 * s, 0.2 * s], [cy - 0.05 * s, cy + 0.05 * s], color=INK, linewidth=0.9 * s
            )
            ax.scatter([0.02 * s], [cy - 0.05 * s], s=(3 * s) ** 2, color=INK, linewidths=0)
        elif kind == "count":
            symbol(0.1 * s, cy, "circle", "#777777")
            _text(
                ax,
                0.1 * s,
                cy,
                "7",
                ha="center",
                va="center_baseline",
                fontsize=6 * s,
                fontweight="bold",
                path_effects=[withStroke(linewidth=2 * s, foreground="white")],
            )
        for k, text in enumerate(lines):
            _text(ax, 0.26 * s, y - k * line * 0.84, text, **body)
        y -= line * (1 + 0.84 * (len(lines) - 1))
    return y


def _outcome_rows(outcomes: list[str]) -> list[tuple[str, str]]:
    """(fill, label) per legend row; outcomes drawn alike share a row."""
    by_kind: dict[str, list[str]] = {}
    for outcome in outcomes:
        kind = {"intercepted": "ring", "mixed": "mixed"}.get(outcome, "solid")
        by_kind.setdefault(kind, []).append(style.OUTCOME_LABELS[outcome])
    return [(kind, " or ".join(labels)) for kind, labels in by_kind.items()]


def _info(ax: Axes, view: View, w: float, top: float, s: float) -> None:
    size = 7.4 * s
    line = 0.155 * s
    y = top
    ax.plot([0, w], [y + 0.05 * s, y + 0.05 * s], color="#dddddd", linewidth=0.8 * s)
    y -= 0.06 * s
    blocks: list[tuple[str, str]] = [
        ("Filters", view.filters.describe()),
        ("Data as of", view.as_of or "not stated"),
    ]
    unlocated = view.unlocated()
    if unlocated:
        blocks.append(
            (
                "Not on the map",
                f"{len(unlocated)} incident{'s' if len(unlocated) != 1 else ''} with no "
                "reliable point (country or region only); listed in the data exports",
            )
        )
    if view.selected_sites:
        names = [(_site(view, i).name if _site(view, i) else i) for i in view.selected_sites]
        blocks.append(("Selected", ", ".join(names)))
    renderer = ax.figure.canvas.get_renderer()
    per_in = ax.transData.inverted()
    for label, text in blocks:
        head = _text(ax, 0, y, label + ":", fontsize=size, fontweight="bold", va="top")
        bb = head.get_window_extent(renderer)
        label_w = per_in.transform((bb.x1, 0))[0] - per_in.transform((bb.x0, 0))[0]
        first_w = w - label_w - 0.06 * s
        first = _wrap(text, first_w, size)[0]
        rest = text[len(first) :].strip()
        lines = [first, *(_wrap(rest, w, size) if rest else [])]
        room = max(1, int(y / line))
        if len(lines) > room:
            lines = lines[:room]
            lines[-1] = _short(lines[-1], max(4, len(lines[-1]) - 2)).rstrip("…") + "…"
        for k, chunk in enumerate(lines):
            _text(ax, label_w + 0.06 * s if k == 0 else 0, y, chunk, fontsize=size, va="top")
            y -= line
        y -= line * 0.35
        if y < line:
            break


def _inset(
    fig: Figure,
    rect: tuple[float, float, float, float],
    extent: tuple[float, float, float, float],
    s: float,
) -> None:
    ax = _axes(fig, rect)
    x0, x1, y0, y1 = extent
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    aspect = rect[2] / rect[3]
    half_w = max((x1 - x0) * 2.2, 3_600_000) / 2
    half_h = half_w / aspect
    ax.set_facecolor(style.SEA)
    _draw_countries(ax, "world", s, (0.3, 0.5))
    ax.add_patch(
        Rectangle(
            (x0, y0),
            x1 - x0,
            y1 - y0,
            facecolor="none",
            edgecolor=SELECTED,
            linewidth=1.6 * s,
            zorder=5,
        )
    )
    ax.set_xlim(cx - half_w, cx + half_w)
    ax.set_ylim(cy - half_h, cy + half_h)
    ax.set_aspect("auto")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor("#444444")
        spine.set_linewidth(0.8)
    _text(
        ax,
        0.02,
        0.04,
        "Locator: the map's area in red",
        transform=ax.transAxes,
        fontsize=6.5 * s,
        color=MUTED,
        va="bottom",
        path_effects=[withStroke(linewidth=2 * s, foreground="white")],
    )


def _footer_lines(view: View, fig_w: float, s: float) -> list[str]:
    """Sources (the articles shown) and credits, wrapped to the page; at most four lines."""
    articles = view.articles()
    shown = [f"{a} ({long_date(d)})" for a, d in articles[:MAX_SOURCES]]
    if len(articles) > MAX_SOURCES:
        shown.append(f"and {len(articles) - MAX_SOURCES} more (listed in the data exports)")
    lines = _wrap(
        f"Sources ({len(articles)} article{'s' if len(articles) != 1 else ''}): "
        + ("; ".join(shown) or "none"),
        fig_w - 0.45,
        FOOTER_PT * s,
    )[:2]
    lines += _wrap("Credits: " + " · ".join(view.attribution()), fig_w - 0.45, FOOTER_PT * s)[:2]
    return lines


MAX_SOURCES = 12
FOOTER_PT = 7.2


def _draw_footer(fig: Figure, lines: Iterable[str], lay: _Layout) -> None:
    _x, _y, w, h = lay.footer
    ax = _axes(fig, lay.footer)
    ax.set_axis_off()
    ax.set_xlim(0, w)
    ax.set_ylim(0, h)
    s = lay.s
    for k, line in enumerate(lines):
        _text(
            ax, 0, h - 0.05 * s - k * 0.15 * s, line, fontsize=FOOTER_PT * s, color=MUTED, va="top"
        )


def _draw_banners(fig: Figure, marking: str, lay: _Layout) -> None:
    back, fore = banner_colours(marking)
    text = _short(marking.strip(), 80)
    h = lay.banner / lay.fig_h
    for y in (0.0, 1.0 - h):
        fig.patches.append(
            Rectangle((0, y), 1, h, transform=fig.transFigure, facecolor=back, edgecolor="none")
        )
        _text(
            fig,
            0.5,
            y + h / 2,
            text,
            ha="center",
            va="center",
            fontsize=10.5 * lay.s,
            fontweight="bold",
            color=fore,
        )
