"""Where the bundled files live.  Everything else asks here instead of building paths."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = ROOT / "data"
ARTICLES_DIR = DATA_DIR / "articles"
SITES_CSV = DATA_DIR / "sites.csv"
INCIDENTS_GEOJSON = DATA_DIR / "incidents.geojson"
#: the 2023-24 campaign, built from public reporting by scripts/build_campaign.py
CAMPAIGN_GEOJSON = DATA_DIR / "campaign.geojson"
#: what every store holds out of the box: each file is its own import batch
BUNDLED_GEOJSON: tuple[Path, ...] = (INCIDENTS_GEOJSON, CAMPAIGN_GEOJSON)
BORDERS_GEOJSON = DATA_DIR / "basemap" / "borders_region.geojson"
# Streamlit serves ROOT/static at /app/static (server.enableStaticServing in .streamlit/config.toml)
STATIC_DIR = ROOT / "static"
VENDOR_DIR = STATIC_DIR / "vendor"
