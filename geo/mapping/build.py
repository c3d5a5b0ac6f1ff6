"""Build the folium map of a (filtered) frame of incidents: offline, escaped, one entry point."""

from __future__ import annotations

from typing import Any

import folium
import numpy as np
import pandas as pd
from branca.element import Element

from geo import vocabulary
from geo.frame import WEAPON_BIT, to_day
from geo.gazetteer import Gazetteer
from geo.mapping import style
from geo.mapping.assets import AssetMode, asset_links, heat_src
from geo.mapping.plugins import (
    Borders,
    FitView,
    FocusWithoutScroll,
    HeatLayer,
    IncidentLayer,
    LayerControl,
    Legend,
    MeasureControl,
    Playback,
    RangeRings,
    SiteLabels,
)
from geo.mapping.plugins.incidents import CELL_DEG, FAN_MAX, Dot, Hub, hub_size, short_count
from geo.mapping.popups import incident_popup, site_tooltip
from geo.markup import esc
from geo.model import EVENT_TYPES, OUTCOMES, WEAPONS

#: [[south, west], [north, east]]: Iraq, Syria and Jordan.
REGION_BOUNDS = [[29.0, 34.5], [37.6, 48.8]]

CSS = f"""
<style>
.leaflet-container {{ background: {style.SEA}; }}
.atlas-incident, .atlas-hub {{ background: none; border: none; }}
.atlas-dot {{ width: 100%; height: 100%; box-sizing: border-box; border: 1.5px solid #fff;
  box-shadow: 0 0 0 1px rgba(0,0,0,.55); }}
.atlas-site {{ width: 100%; height: 100%; box-sizing: border-box; border-radius: 50%;
  background: #fff; border: 2px solid #222; font: bold 11px sans-serif; text-align: center;
  color: #111; }}
.atlas-cell {{ background: #fde0dd; border: 1.5px solid {style.SELECTED}; font-size: 10px; }}
.atlas-site-empty {{ background: rgba(255,255,255,.6); border: 1.5px dashed #666; transform: scale(.6); }}
.atlas-vague {{ opacity: .6; outline: 1px dashed #333; outline-offset: 1px; }}
.atlas-uncertain-swatch {{ border-radius: 50%; border: 1.5px dotted {style.MUTED} !important;
  background: rgba(0,0,0,.08); box-shadow: none !important; }}
.atlas-ring-swatch {{ border-radius: 50%; border: 1.5px solid {style.SELECTED} !important; background: none;
  box-shadow: none !important; }}
.atlas-ring-label {{ font: bold 11px sans-serif; color: {style.SELECTED}; text-align: center;
  text-shadow: 0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff; pointer-events: none; }}
.atlas-ring-label.atlas-hidden {{ display: none; }}
.atlas-layers {{ font: 12px sans-serif; }}
.atlas-measure {{ background: #fff; font: 12px sans-serif; }}
.atlas-measure a {{ width: auto !important; padding: 0 6px; }}
.atlas-measure.active a {{ background: #fde0dd; }}
.atlas-measure-readout {{ padding: 0 6px; }}
.atlas-measure:not(.active) .atlas-measure-readout {{ display: none; }}
.atlas-playback {{ background: rgba(255,255,255,.92); padding: 4px 6px; border-radius: 4px;
  box-shadow: 0 1px 4px rgba(0,0,0,.3); font: 12px sans-serif; display: flex; gap: 4px;
  align-items: center; flex-wrap: wrap; max-width: calc(100vw - 24px); box-sizing: border-box; }}
.atlas-playback input[type=range] {{ width: 140px; max-width: 100%; }}
.atlas-day-label {{ min-width: 72px; font-variant-numeric: tabular-nums; }}
.atlas-country-label {{ font: 600 13px sans-serif; color: #6b6250; letter-spacing: .15em;
  text-transform: uppercase; text-align: center; white-space: nowrap; }}
.atlas-legend {{ background: rgba(255,255,255,.92); padding: 3px 8px; font: 11px sans-serif;
  border-radius: 4px; box-shadow: 0 1px 4px rgba(0,0,0,.3); line-height: 15px; }}
.atlas-legend-toggle {{ cursor: pointer; font-weight: bold; }}
.atlas-legend:not([open]) {{ padding: 2px 8px; }}
.atlas-legend-title {{ font-weight: bold; margin-top: 3px; }}
.atlas-swatch {{ display: inline-block; width: 11px; height: 11px; margin-right: 5px;
  vertical-align: -1px; border: 1px solid #fff; box-shadow: 0 0 0 1px rgba(0,0,0,.4); }}
.atlas-site-swatch {{ width: 14px; height: 14px; border-radius: 50%; background: #fff;
  border: 1.5px solid #222; font: bold 9px/14px sans-serif; text-align: center; box-shadow: none; }}
.atlas-popup table {{ border-collapse: collapse; font-size: 12px; }}
.atlas-popup th {{ text-align: left; padding-right: 8px; vertical-align: top; color: {style.MUTED}; }}
.atlas-popup blockquote {{ margin: 6px 0; padding-left: 6px; border-left: 3px solid #bbb;
  font-style: italic; font-size: 12px; }}
.atlas-notes {{ font-size: 11px; color: {style.MUTED}; }}
.atlas-counted-away {{ display: none !important; }}
.atlas-counted-icon {{ background: none; border: none; }}
.atlas-counted {{ width: 100%; height: 100%; box-sizing: border-box; border-radius: 50%;
  background: #3a3a3a; color: #fff; border: 2px solid #fff; box-shadow: 0 0 0 1.5px #3a3a3a;
  font: bold 11px sans-serif; text-align: center; cursor: pointer; }}
.atlas-counted-swatch {{ border-radius: 50%; background: #3a3a3a; color: #fff; font: bold 8px/11px
  sans-serif; text-align: center; }}
.atlas-other-count:empty {{ display: none; }}
.atlas-other-count {{ color: {style.MUTED}; font-style: italic; }}
.atlas-counted-list ol {{ margin: 4px 0; padding-left: 22px; font-size: 12px; }}
</style>
"""


def build_map(
    frame: pd.DataFrame,
    gazetteer: Gazetteer,
    *,
    assets: AssetMode = "served",
    online_tiles: bool = False,
    selected_site: str | None = None,
    detail_site: str | None = None,
    height: int | str = "100%",
    keep_view: str | None = None,
) -> folium.Map:
    """The map of ``frame`` (already filtered): borders, site hubs, incident dots with their
    uncertainty, response links, heatmap, legend, layer control, playback and measure tool,
    and range rings round ``selected_site``.

    ``assets`` chooses where Leaflet comes from (see :mod:`geo.mapping.assets`); nothing is
    loaded from a CDN.  ``online_tiles`` adds an OpenStreetMap layer for connected machines
    (it fails quietly offline: the borders are drawn above it either way).  ``keep_view`` names
    where the browser tab keeps the user's view across rebuilt maps (see
    :mod:`geo.mapping.plugins.view`); without it the map is fitted to the data.
    """
    m = folium.Map(
        tiles=None,
        control_scale=True,
        min_zoom=4,
        max_zoom=13,
        height=height,
        zoom_start=6,
        location=[33.5, 41.5],
    )
    m.default_js, m.default_css = asset_links(assets)
    m.get_root().header.add_child(Element(CSS))
    if online_tiles:
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap (online)", control=False).add_to(m)
    dots, hubs = markers(frame, gazetteer, detail_site)
    here = [(d.lat, d.lng) for d in dots] + [(h.lat, h.lng) for h in hubs if h.count]
    Borders(fill=not online_tiles, points=here).add_to(m)
    IncidentLayer(dots, hubs).add_to(m)
    SiteLabels(
        [
            (h.site_id, h.lat, h.lng, h.name, hub_size(h.count), h.count)
            for h in hubs
            if h.site_id and h.count
        ]
    ).add_to(m)
    HeatLayer([(d.lat, d.lng) for d in dots], src=heat_src(assets)).add_to(m)
    site = gazetteer.get(selected_site) if selected_site else None
    rings = None
    if site is not None and site.latitude is not None and site.longitude is not None:
        rings = (site.latitude, site.longitude, site.name)
    RangeRings(rings).add_to(m)
    LayerControl().add_to(m)
    bits = int(np.bitwise_or.reduce(frame["weapon_bits"].to_numpy())) if len(frame) else 0
    events, outcomes = set(frame["event_type"].unique()), set(frame["outcome"].unique())
    Legend(
        [w for w in WEAPONS if bits & WEAPON_BIT[w]],
        [e for e in EVENT_TYPES if e in events],
        [o for o in OUTCOMES if o in outcomes],
        cells=any(not h.site_id for h in hubs),
        counted=len(dots) > FAN_MAX,  # enough dots that some may be counted at some zoom
    ).add_to(m)
    Playback().add_to(m)
    MeasureControl().add_to(m)
    FocusWithoutScroll().add_to(m)
    FitView(view_bounds(dots, hubs), here, storage_key=keep_view).add_to(m)
    return m


def view_bounds(dots: list[Dot], hubs: list[Hub], pad: float = 0.6) -> list[list[float]]:
    """What to show first: the atlas's subject, attacks on US/coalition forces and the US
    strikes answering them, with a margin; imported other events only when there is nothing
    else (they are context: a world-wide import must not zoom the map out to hold it all);
    else the whole region."""
    points = subject_points(dots, hubs) or [(d.lat, d.lng) for d in dots]
    if not points:
        return REGION_BOUNDS
    lats, lngs = [p[0] for p in points], [p[1] for p in points]
    return [[min(lats) - pad, min(lngs) - pad], [max(lats) + pad, max(lngs) + pad]]


def subject_points(dots: list[Dot], hubs: list[Hub]) -> list[tuple[float, float]]:
    """Where the attacks and US strikes are: their dots, and the hubs of attacked sites."""
    return [(d.lat, d.lng) for d in dots if d.event_type != "other"] + [
        (h.lat, h.lng) for h in hubs if h.count and h.site_id
    ]


#: past this many located incidents the map shows counts (per site, per grid cell) instead of
#: one dot each, so the page stays small whatever the number of incidents
MAX_DOTS = 1000
#: ... or past this many bytes of dots and popups (a page must stay well under 3 MB)
MAX_DOT_BYTES = 2_000_000


def markers(
    frame: pd.DataFrame, gazetteer: Gazetteer, detail_site: str | None = None
) -> tuple[list[Dot], list[Hub]]:
    """Dots for located incidents and a hub for every located site (its attacks in range).

    With more than :data:`MAX_DOTS` located incidents, dots are drawn only for ``detail_site``
    (its latest ones), and the rest are counted: per site on its hub, and per 0.5° grid cell
    for incidents not at a known site.
    """
    names = {s.id: s.name for s in gazetteer}
    # masks over single columns: a million-row frame is never copied whole, only the rows
    # that become dots are taken
    site_ids = frame["site_id"]
    counts = site_ids[(frame["event_type"] == "attack").to_numpy()].value_counts().to_dict()
    located = frame["longitude"].notna().to_numpy()
    hubs = [
        _hub(site.id, site.name, site.latitude, site.longitude, int(counts.get(site.id, 0)))
        for site in gazetteer
        if site.latitude is not None and site.longitude is not None
    ]

    def dots_of(rows: pd.DataFrame) -> list[Dot]:
        return [
            _dot(row, names.get(row["site_id"]) if row["site_id"] else None)
            for row in rows.sort_values(["date_start", "id"]).to_dict("records")
        ]

    dots = dots_of(frame[located]) if located.sum() <= MAX_DOTS else None
    if dots is None or sum(len(d.popup) + len(d.html) for d in dots) > MAX_DOT_BYTES:
        hubs += _cells(frame[["latitude", "longitude"]][located & site_ids.isna().to_numpy()])
        at_site = (site_ids == detail_site).to_numpy() if detail_site else np.zeros(0, bool)
        detail = frame[located & at_site] if detail_site else frame[:0]
        dots = dots_of(detail.sort_values("day_start").tail(MAX_DOTS // 2))
    return dots, hubs


def _cells(frame: pd.DataFrame) -> list[Hub]:
    """Counts per grid cell (hubs without a site), drawn as shaded squares."""
    if frame.empty:
        return []
    lat = (frame["latitude"].to_numpy() // CELL_DEG) * CELL_DEG + CELL_DEG / 2
    lng = (frame["longitude"].to_numpy() // CELL_DEG) * CELL_DEG + CELL_DEG / 2
    cells = pd.DataFrame({"lat": lat, "lng": lng}).value_counts()
    out = []
    for (clat, clng), n in cells.items():
        tip = f"{n:,} incidents not at a known site in this {CELL_DEG}° cell"
        out.append(Hub(site_id="", lat=float(clat), lng=float(clng), count=int(n), html="",
                       tooltip=esc(tip), name=""))  # fmt: skip
    return out


def _dot(row: dict[str, Any], site_name: str | None) -> Dot:
    vague = " atlas-vague" if int(row["geo_precision"]) >= 3 else ""
    html = (
        f'<div class="atlas-dot{vague}" data-incident-id="{esc(row["id"])}" '
        f'data-event-type="{esc(row["event_type"])}" '
        f'style="{style.dot_style(row["weapons"], row["outcome"], row["event_type"])}"></div>'
    )
    label = vocabulary.title("event_type", row["event_type"])
    tip = f"{label}: {site_name or row['location']}, {row['date_start']}"
    return Dot(
        id=row["id"],
        lat=float(row["latitude"]),
        lng=float(row["longitude"]),
        html=html,
        popup=incident_popup(row, site_name),
        tooltip=esc(tip),
        day_start=to_day(row["date_start"]),
        day_end=to_day(row["date_end"]),
        event_type=row["event_type"],
        geo_precision=int(row["geo_precision"]),
        responds_to=row.get("responds_to"),
    )


def _hub(site_id: str, name: str, lat: float, lng: float, count: int) -> Hub:
    cls = "atlas-site" if count else "atlas-site atlas-site-empty"
    label = short_count(count) if count else ""
    html = f'<div class="{cls}" data-site-id="{esc(site_id)}">{label}</div>'
    size = hub_size(count)
    html = html.replace('class="', f'style="line-height:{size - 4}px" class="', 1)
    return Hub(
        site_id=site_id,
        lat=lat,
        lng=lng,
        count=count,
        html=html,
        tooltip=site_tooltip(name, count),
        name=name,
    )
