"""Range rings (10 / 50 / 100 km by default) round the selected site.

``map.atlasRings(latlng, name)`` redraws them; the incident layer calls it when a site is
clicked, so the rings follow a click at once, with no rerun and no reload of the map.
"""

from __future__ import annotations

from jinja2 import Template

from geo.mapping import style
from geo.mapping.plugins._json import script_json
from geo.mapping.raw import Plugin

DEFAULT_RADII_KM = (10, 50, 100)
#: a ring label shows only when its ring is at least this far from the centre on screen (px):
#: closer, it would sit on the site's own dots
MIN_LABEL_PX = 20


class RangeRings(Plugin):
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            // labels in a pane of their own above the markers: never hidden under the dots
            if (!map.getPane("atlasRingLabels")) {
                map.createPane("atlasRingLabels").style.zIndex = 650;
            }
            var group = L.featureGroup().addTo(map);
            var radii = {{ this.radii }};
            var labels = [];
            // a label whose ring is too small on screen would sit on the site's own dots
            function fit() {
                labels.forEach(function (l) {
                    if (!l.marker._icon) { return; }
                    var px = map.latLngToLayerPoint(l.centre).distanceTo(
                        map.latLngToLayerPoint(l.marker.getLatLng()));
                    l.marker._icon.classList.toggle("atlas-hidden", px < {{ this.min_px }});
                });
            }
            map.atlasRings = function (centre, name) {
                group.clearLayers();
                labels = [];
                radii.forEach(function (km) {
                    // solid rings: uncertainty circles are grey and dotted
                    L.circle(centre, {radius: km * 1000, color: "{{ this.colour }}", weight: 1.5,
                        fill: false, interactive: false,
                        className: "atlas-ring"}).addTo(group);
                    var top = L.latLng(centre.lat + km / 111.32, centre.lng);
                    var marker = L.marker(top, {interactive: false, keyboard: false,
                        pane: "atlasRingLabels", icon: L.divIcon({
                        className: "atlas-ring-label", html: km + " km",
                        iconSize: [50, 14], iconAnchor: [25, 15]})}).addTo(group);
                    labels.push({marker: marker, centre: centre});
                });
                group.atlasSite = name;
                fit();
            };
            map.on("zoomend", fit);
            var initial = {{ this.initial }};
            if (initial) { map.atlasRings(L.latLng(initial[0], initial[1]), initial[2]); }
            map.atlasOverlays = map.atlasOverlays || {};
            map.atlasOverlays["Range rings (selected site)"] = group;
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self,
        initial: tuple[float, float, str] | None = None,
        radii_km: tuple[int, ...] = DEFAULT_RADII_KM,
    ) -> None:
        """``initial``: (latitude, longitude, name) of the site selected when the map is built."""
        super().__init__()
        self._name = "RangeRings"
        self.initial = script_json(list(initial) if initial else None)
        self.radii = script_json(list(radii_km))
        self.min_px = MIN_LABEL_PX
        self.colour = style.SELECTED
