"""Rebuild data/basemap/borders_region.geojson from Natural Earth (npm ``world-atlas``).

Run by a maintainer, never at app run time (the output is committed):

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python scripts/build_basemap.py package/countries-10m.json

The TopoJSON has no CRS and numeric ISO 3166 ids; we clip it to the region, simplify it
for the screen, and attach ISO3 codes so the rest of the code can speak ISO3.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import geopandas as gpd
from shapely.geometry import box, mapping

# lon_min, lat_min, lon_max, lat_max: Iraq, Syria, Jordan and their neighbours.
REGION = (30.0, 26.0, 52.0, 42.0)
# ISO 3166-1 numeric -> alpha-3 for every country the region box touches.
ISO3 = {
    "196": "CYP",
    "376": "ISR",
    "275": "PSE",
    "422": "LBN",
    "760": "SYR",
    "643": "RUS",
    "268": "GEO",
    "031": "AZE",
    "792": "TUR",
    "051": "ARM",
    "368": "IRQ",
    "364": "IRN",
    "634": "QAT",
    "682": "SAU",
    "414": "KWT",
    "400": "JOR",
    "818": "EGY",
    "048": "BHR",
}
OUT = Path(__file__).resolve().parents[1] / "data" / "basemap" / "borders_region.geojson"


def main(src: str) -> None:
    world = gpd.read_file(src, layer="countries").set_crs(4326)
    region = world[world.intersects(box(*REGION))].copy()
    region["geometry"] = region.geometry.intersection(box(*REGION)).simplify(0.01)
    features = []
    for row in region.itertuples():
        if row.geometry.is_empty:
            continue
        geom = json.loads(
            json.dumps(mapping(row.geometry)), parse_float=lambda s: round(float(s), 3)
        )
        features.append(
            {
                "type": "Feature",
                "properties": {"name": row.name, "iso3": ISO3.get(str(row.id), "")},
                "geometry": geom,
            }
        )
    OUT.write_text(
        json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":"))
    )
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes, {len(features)} features)")


if __name__ == "__main__":
    main(sys.argv[1])
