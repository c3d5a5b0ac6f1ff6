"""Map building: folium maps that work offline (assets, basemap, plugins, popups, style)."""

from geo.mapping.build import REGION_BOUNDS, build_map, markers

__all__ = ["REGION_BOUNDS", "build_map", "markers"]
