// The map frame's side of Streamlit's component protocol (components/map_panel.py sends the
// arguments): "header" (the map's styles), "code" (its script, which makes the Leaflet map
// `map_div` on the element of that id), "height" (the frame's, in px) and "report_drawn" (give
// a value once the map is painted: the page then draws the rest around it).  A click on a
// marker gives {last_object_clicked: {lat, lng}} (markers sit on their site's point).
(function () {
    "use strict";
    var shown = {header: null, code: null, height: null};
    var reported = false;

    function send(type, extra) {
        var message = {isStreamlitMessage: true, type: type};
        Object.keys(extra).forEach(function (k) { message[k] = extra[k]; });
        window.parent.postMessage(message, "*");
    }

    function setValue(value) {
        send("streamlit:setComponentValue", {value: value, dataType: "json"});
    }

    // markers only (popups and tooltips are layers with a place too: a click inside one is
    // not a click on the map's marks)
    function hook(layer) {
        var mark = layer instanceof L.Marker || layer instanceof L.CircleMarker;
        if (!mark || layer.atlasClickHooked) { return; }
        layer.atlasClickHooked = true;
        layer.on("click", function (e) {
            setValue({last_object_clicked: {lat: e.latlng.lat, lng: e.latlng.lng}});
        });
    }

    // a new map in place of the one drawn before, on the same element
    function draw(code) {
        if (window.map) { window.map.remove(); }
        (0, eval)(code);  // global scope: the script's `var map_div` is the map
        var map = window.map = window.map_div;
        window.atlasMapsDrawn = (window.atlasMapsDrawn || 0) + 1;
        map.eachLayer(hook);
        map.on("layeradd", function (e) { hook(e.layer); });
        // the frame may be sized after the map was drawn: Leaflet then measures again
        if (window.atlasResize) { window.atlasResize.disconnect(); }
        window.atlasResize = new ResizeObserver(function () { map.invalidateSize(); });
        window.atlasResize.observe(map.getContainer());
        return map;
    }

    function reportDrawn(map) {
        reported = true;
        map.whenReady(function () {
            requestAnimationFrame(function () { requestAnimationFrame(function () {
                setValue({last_object_clicked: null, atlas_drawn: true});
            }); });
        });
    }

    window.addEventListener("message", function (event) {
        if (!event.data || event.data.type !== "streamlit:render") { return; }
        var args = event.data.args;
        if (args.header !== shown.header) {
            document.getElementById("atlas-header").innerHTML = args.header;
            shown.header = args.header;
        }
        if (args.code !== shown.code) {
            shown.code = args.code;
            var map = draw(args.code);
            if (args.report_drawn && !reported) { reportDrawn(map); }
        }
        if (args.height !== shown.height) {
            shown.height = args.height;
            send("streamlit:setFrameHeight", {height: args.height});
        }
    });
    send("streamlit:componentReady", {apiVersion: 1});
})();
