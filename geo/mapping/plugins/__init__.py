"""Map plugins, one per file (as folium does): each a :class:`geo.mapping.raw.Plugin` (a
MacroElement whose rendered JS goes into the page as it is)."""

from geo.mapping.plugins.basemap import Borders
from geo.mapping.plugins.focus import FocusWithoutScroll
from geo.mapping.plugins.heat import HeatLayer
from geo.mapping.plugins.incidents import IncidentLayer
from geo.mapping.plugins.labels import SiteLabels
from geo.mapping.plugins.layers import LayerControl
from geo.mapping.plugins.legend import Legend
from geo.mapping.plugins.measure import MeasureControl
from geo.mapping.plugins.playback import Playback
from geo.mapping.plugins.rings import RangeRings
from geo.mapping.plugins.view import FitView

__all__ = [
    "Borders",
    "FitView",
    "FocusWithoutScroll",
    "HeatLayer",
    "IncidentLayer",
    "LayerControl",
    "Legend",
    "MeasureControl",
    "Playback",
    "RangeRings",
    "SiteLabels",
]
