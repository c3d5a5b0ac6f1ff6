"""Where the bundled files live.  Everything else asks here instead of building paths."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = ROOT / "data"
ARTICLES_DIR = DATA_DIR / "articles"
SITES_CSV = DATA_DIR / "sites.csv"
INCIDENTS_GEOJSON = DATA_DIR / "incidents.geojson"
BORDERS_GEOJSON = DATA_DIR / "basemap" / "borders_region.geojson"
# Streamlit serves ROOT/static at /app/static (server.enableStaticServing in .streamlit/config.toml)
STATIC_DIR = ROOT / "static"
VENDOR_DIR = STATIC_DIR / "vendor"
