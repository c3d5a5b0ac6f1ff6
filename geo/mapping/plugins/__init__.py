"""Map plugins, one per file (as folium does): each a MacroElement rendering its own JS."""

from geo.mapping.plugins.basemap import Borders
from geo.mapping.plugins.incidents import IncidentLayer
from geo.mapping.plugins.legend import Legend

__all__ = ["Borders", "IncidentLayer", "Legend"]
