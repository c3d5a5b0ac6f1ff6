"""Where the map page's time goes: server and client.

Server: the page's script run in Streamlit's AppTest with each part timed (the parts the page
calls, patched in place with a timer), on a cold run (new process: caches empty) and a warm
one, plus the imports at page load (a fresh interpreter).  Client: in Debian's Chromium, from
navigation: the first script message, the map's frame inserted, loaded, Leaflet's map object,
the map drawn, the script idle.

    python -m benchmarks.profile_page [--incidents 10000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

#: (module, attribute) timed inside the page, in the order they run
PARTS: tuple[tuple[str, str], ...] = (
    ("components.sidebar", "as_of_picker"),
    ("components.data", "_frame"),
    ("components.map_page", "sidebar"),
    ("geo.query", "apply"),
    ("geo.query", "headline"),
    ("components.map_panel", "build_map"),
    ("components.map_panel", "_atlas_map"),
    ("components.export_panel", "export_panel"),
    ("geo.query", "summaries"),
    ("components.tables", "summary_table"),
    ("components.charts", "attack_strip"),
    ("components.site_panel", "site_panel"),
    ("components.tables", "incident_table"),
    ("components.tables", "unlocated_table"),
)

SERVER_CHILD = """
import json, sys, time
t0 = time.perf_counter()
import streamlit  # noqa
t_st = time.perf_counter()
from streamlit.testing.v1 import AppTest
from benchmarks.profile_page import timed_parts
times = timed_parts()
t1 = time.perf_counter()
at = AppTest.from_file("app.py", default_timeout=300)
t = time.perf_counter(); at.run(); cold = time.perf_counter() - t
assert not at.exception, at.exception
parts_cold = dict(times); times.clear()
t = time.perf_counter(); at.run(); warm = time.perf_counter() - t
print(json.dumps({"import_streamlit_s": t_st - t0, "import_page_modules_s": t1 - t_st,
                  "script_cold_s": cold, "script_warm_s": warm,
                  "parts_cold": parts_cold, "parts_warm": dict(times)}))
"""


def timed_parts() -> dict[str, float]:
    """Wrap every part in PARTS with a timer; returns the dict the times accumulate in."""
    import importlib

    times: dict[str, float] = defaultdict(float)
    for mod_name, attr in PARTS:
        mod = importlib.import_module(mod_name)
        fn = getattr(mod, attr)

        def wrapped(*a: Any, _fn: Callable[..., Any] = fn, _k: str = attr, **kw: Any) -> Any:
            t = time.perf_counter()
            try:
                return _fn(*a, **kw)
            finally:
                times[_k] += time.perf_counter() - t

        setattr(mod, attr, wrapped)
    return times


CLIENT_INIT = """
window.__marks = {};
const ELEMENTS = {title_shown: "h1", sidebar_shown: '[data-testid="stSidebar"] input',
    metric_shown: '[data-testid="stMetric"]', table_shown: '[data-testid="stDataFrame"]',
    chart_shown: '[data-testid="stVegaLiteChart"], canvas.marks'};
const mark = (k) => { if (!(k in window.__marks)) window.__marks[k] = performance.now(); };
const watch = () => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (app && app.getAttribute("data-test-script-state") === "running") mark("script_running");
    for (const [k, sel] of Object.entries(ELEMENTS)) { if (document.querySelector(sel)) mark(k); }
    for (const f of document.querySelectorAll("iframe")) {
        mark("frame_inserted");
        if (!f.__hooked) { f.__hooked = true; f.addEventListener("load", () => mark("frame_loaded")); }
        try {
            const w = f.contentWindow;
            if (w.L) mark("leaflet_loaded");
            if (w.map) mark("leaflet_map_object");
            if (f.contentDocument.querySelector("div.atlas-site")) mark("map_drawn");
        } catch (e) {}
    }
    // the whole page: the map, then (the next run) the Sites table, and the script idle
    if ("map_drawn" in window.__marks && "table_shown" in window.__marks && app
        && app.getAttribute("data-test-script-state") === "notRunning") { mark("script_idle"); return; }
    requestAnimationFrame(watch);
};
requestAnimationFrame(watch);
"""


def client(store: Path, frames: Path) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    from benchmarks.browser_bench import ARGS, ATLAS, CHROMIUM, _serve

    proc, url = _serve(ATLAS, store, frames, store.parent)
    out: dict[str, Any] = {}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for run in ("cold", "warm"):
                page = browser.new_page(viewport={"width": 1600, "height": 1100})
                page.add_init_script(CLIENT_INIT)
                page.goto(url)
                page.wait_for_function("() => 'script_idle' in window.__marks", timeout=300_000)
                marks = page.evaluate("window.__marks")
                nav = page.evaluate(
                    "(() => { const n = performance.getEntriesByType('navigation')[0];"
                    " return {dom_content_loaded: n.domContentLoadedEventEnd,"
                    " load: n.loadEventEnd}; })()"
                )
                out.update({f"{run}_{k}": round(v / 1000, 3) for k, v in {**nav, **marks}.items()})
                # Streamlit's element scripts, fetched as the page first needs them
                chunks = page.evaluate(
                    "performance.getEntriesByType('resource').filter(r => r.name.endsWith('.js'))"
                    ".map(r => [r.name.split('/').pop(), r.startTime, r.responseEnd,"
                    " r.decodedBodySize])"
                )
                out[f"{run}_scripts"] = [
                    f"{n} {a / 1000:.2f}-{b / 1000:.2f}s {size // 1024} kB"
                    for n, a, b, size in chunks
                ]
                if run == "warm":
                    out["range_change"] = _range_change(page)
                page.context.close()
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return out


CHANGE_MARKS = """
() => {
    window.__marks = {}; const t0 = performance.now();
    const mark = (k) => { if (!(k in window.__marks)) window.__marks[k] = performance.now() - t0; };
    // the maps drawn before (a new one is drawn in a new frame, or in place in the same one)
    for (const f of document.querySelectorAll("iframe")) { try { f.contentWindow.map.__old = true; } catch (e) {} }
    const watch = () => {
        const app = document.querySelector('[data-testid="stApp"]');
        const state = app && app.getAttribute("data-test-script-state");
        if (state === "running") mark("script_running");
        if ("script_running" in window.__marks && state === "notRunning") mark("script_idle");
        for (const f of document.querySelectorAll("iframe")) {
            try {
                if (!f.contentWindow.map || f.contentWindow.map.__old) continue;
                mark("new_map");
                if (f.contentWindow.L) mark("leaflet_loaded");
                if (f.contentDocument.querySelector("div.atlas-site")) mark("map_drawn");
            } catch (e) {}
        }
        if ("map_drawn" in window.__marks && "script_idle" in window.__marks) return;
        requestAnimationFrame(watch);
    };
    requestAnimationFrame(watch);
}
"""


def _range_change(page: Any) -> dict[str, float]:
    """Marks from typing a new From date (the click that commits it) to the map redrawn."""
    field = page.get_by_test_id("stSidebar").get_by_role("group", name="From", exact=True)
    field.get_by_role("spinbutton").first.click()
    page.keyboard.type("2020/01/01")
    page.evaluate(CHANGE_MARKS)
    page.get_by_test_id("stSidebar").get_by_role("heading", name="Filters").click()
    page.wait_for_function(
        "() => 'map_drawn' in window.__marks && 'script_idle' in window.__marks",
        timeout=300_000,
    )
    return {k: round(v / 1000, 3) for k, v in page.evaluate("window.__marks").items()}


def server(store: Path, frames: Path) -> dict[str, Any]:
    import os

    env = {**os.environ, "ATLAS_STORE": str(store), "ATLAS_FRAME_CACHE": str(frames),
           "PYTHONPATH": str(ROOT)}  # fmt: skip
    r = subprocess.run(
        [sys.executable, "-c", SERVER_CHILD],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if r.returncode:
        raise RuntimeError(r.stderr[-3000:])
    raw = json.loads(r.stdout.strip().splitlines()[-1])
    return {
        k: ({p: round(s, 3) for p, s in v.items()} if isinstance(v, dict) else round(v, 3))
        for k, v in raw.items()
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--incidents", type=int, default=10, help="synthetic, beside the bundled")
    args = p.parse_args()
    from benchmarks.browser_bench import _store

    with tempfile.TemporaryDirectory(prefix="atlas-profile-") as tmp:
        store = _store(args.incidents, Path(tmp))
        frames = Path(tmp) / "frames"
        result = {"server": server(store, frames), "client": client(store, frames)}
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
