"""Time playback over the incidents on the map: cumulative or a sliding window, with speed.

Works on ``map.atlasDots`` (registered by :class:`IncidentLayer`): each dot knows its window as
day numbers (days since 1970-01-01), so any date works — no epoch-seconds pitfalls on either
side of 2001-09-09 (folium #1268).  Written here rather than vendored: it is small, and the
TimeDimension plugins need more assets than they are worth.
"""

from __future__ import annotations

from jinja2 import Template

from geo.mapping.plugins._json import script_json
from geo.mapping.raw import Plugin

WINDOW_DAYS = 30
SPEEDS = (1, 7, 30)  # days per step


class Playback(Plugin):
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var dots = map.atlasDots || [];
            if (!dots.length) { return; }
            var lo = Math.min.apply(null, dots.map(function (d) { return d.start; }));
            var hi = Math.max.apply(null, dots.map(function (d) { return d.end; }));
            var windowDays = {{ this.window }}, speeds = {{ this.speeds }};
            var state = {mode: "all", day: hi, speed: speeds[0], timer: null};
            var ui = {};
            function iso(day) { return new Date(day * 86400000).toISOString().slice(0, 10); }
            function visible(d) {
                if (state.mode === "all") { return true; }
                if (state.mode === "cumulative") { return d.start <= state.day; }
                return d.start <= state.day && d.end > state.day - windowDays;
            }
            function apply() {
                var shown = 0;
                dots.forEach(function (d) {
                    var on = visible(d);
                    d.marker.atlasHidden = !on;
                    if (d.marker._icon) { d.marker._icon.style.display = on ? "" : "none"; }
                    if (on) { shown += 1; }
                });
                ui.label.textContent = state.mode === "all" ? "all dates" : iso(state.day);
                ui.label.setAttribute("data-day", state.mode === "all" ? "" : iso(state.day));
                ui.label.setAttribute("data-shown", shown);
                ui.slider.value = state.day;
            }
            // a change of dates: the map lays its markers out again (counts follow the dates)
            function step() { apply(); map.fire("atlasplayback"); }
            function stop() {
                if (state.timer) { clearInterval(state.timer); state.timer = null; }
                ui.play.textContent = "▶"; ui.play.title = "Play";
            }
            function play() {
                if (state.mode === "all") { state.mode = "cumulative"; ui.mode.value = "cumulative"; }
                if (state.day >= hi) { state.day = lo; }
                ui.play.textContent = "❚❚"; ui.play.title = "Pause";
                step();
                state.timer = setInterval(function () {
                    state.day = Math.min(hi, state.day + state.speed);
                    step();
                    if (state.day >= hi) { stop(); }
                }, 300);
            }
            var control = L.control({position: "bottomleft"});
            control.onAdd = function () {
                var div = L.DomUtil.create("div", "atlas-playback");
                ui.play = L.DomUtil.create("button", "atlas-play", div);
                ui.play.type = "button"; ui.play.textContent = "▶"; ui.play.title = "Play";
                ui.mode = L.DomUtil.create("select", "atlas-mode", div);
                [["all", "All dates"], ["cumulative", "Cumulative"],
                 ["window", "Last " + windowDays + " days"]].forEach(function (o) {
                    var opt = L.DomUtil.create("option", "", ui.mode);
                    opt.value = o[0]; opt.textContent = o[1];
                });
                ui.speed = L.DomUtil.create("select", "atlas-speed", div);
                speeds.forEach(function (s) {
                    var opt = L.DomUtil.create("option", "", ui.speed);
                    opt.value = s; opt.textContent = s + (s === 1 ? " day" : " days") + "/step";
                });
                ui.slider = L.DomUtil.create("input", "atlas-day", div);
                ui.slider.type = "range"; ui.slider.min = lo; ui.slider.max = hi; ui.slider.step = 1;
                ui.label = L.DomUtil.create("span", "atlas-day-label", div);
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                L.DomEvent.on(ui.play, "click", function () { if (state.timer) { stop(); } else { play(); } });
                L.DomEvent.on(ui.mode, "change", function () { state.mode = ui.mode.value; step(); });
                L.DomEvent.on(ui.speed, "change", function () { state.speed = +ui.speed.value; });
                L.DomEvent.on(ui.slider, "input", function () {
                    state.day = +ui.slider.value;
                    if (state.mode === "all") { state.mode = "cumulative"; ui.mode.value = "cumulative"; }
                    step();
                });
                return div;
            };
            control.addTo(map);
            map.on("overlayadd zoomend", apply);
            apply();
        })();
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "Playback"
        self.window = WINDOW_DAYS
        self.speeds = script_json(list(SPEEDS))
