"""Where a first map's time goes, the atlas against the peer, phase by phase (issue 15).

Each app is started ``--starts`` times on the same small store, alternately; each start, a
cold visit (a new browser) and a warm one (a new browser context).  In the page, from
navigation: the script reported running, the map's frame inserted, Leaflet loaded in it, the
map drawn (what ``browser_bench.py`` waits for).  Prints the median of each phase.

    python benchmarks/first_map_phases.py [--starts 4]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

#: marks (ms from navigation) kept in ``window.__marks``, watched every animation frame
MARKS = """
window.__marks = {};
const mark = (k) => { if (!(k in window.__marks)) window.__marks[k] = performance.now(); };
const watch = () => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (app && app.getAttribute("data-test-script-state") === "running") mark("script_running");
    for (const f of document.querySelectorAll("iframe")) {
        mark("frame_inserted");
        try {
            if (f.contentWindow.L) mark("leaflet_loaded");
            if (f.contentWindow.map && f.contentDocument.querySelector(window.__drawn)) {
                mark("map_drawn");
                return;
            }
        } catch (e) { /* not ours */ }
    }
    requestAnimationFrame(watch);
};
requestAnimationFrame(watch);
"""
PHASES = (
    ("navigation → script running", None, "script_running"),
    ("script running → frame inserted", "script_running", "frame_inserted"),
    ("frame inserted → map drawn", "frame_inserted", "map_drawn"),
    ("first map (navigation → map drawn)", None, "map_drawn"),
)


def visit(browser: Any, url: str, drawn: str) -> dict[str, float]:
    page = browser.new_page(viewport={"width": 1600, "height": 1100})
    page.add_init_script(f"window.__drawn = {json.dumps(drawn)};" + MARKS)
    page.goto(url)
    page.wait_for_function("() => 'map_drawn' in window.__marks", timeout=120_000)
    marks: dict[str, float] = page.evaluate("window.__marks")
    page.context.close()
    return marks


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--starts", type=int, default=4)
    args = p.parse_args()
    sys.path.insert(0, str(ROOT))
    from playwright.sync_api import sync_playwright

    from benchmarks.browser_bench import ARGS, ATLAS, CHROMIUM, PEER, _serve, _store

    seen: dict[tuple[str, str], list[dict[str, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="atlas-phases-") as tmp:
        folder = Path(tmp)
        store = _store(10, folder)
        for start in range(args.starts):
            for app in (ATLAS, PEER):
                proc, url = _serve(app, store, folder / f"frames-{start}", folder)
                try:
                    with sync_playwright() as pw:
                        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                        for visit_kind in ("cold", "warm"):
                            marks = visit(browser, url, app.mark)
                            seen.setdefault((app.name, visit_kind), []).append(marks)
                        browser.close()
                finally:
                    proc.terminate()
                    proc.wait(timeout=30)
    out: dict[str, Any] = {}
    for (name, kind), runs in sorted(seen.items()):
        out[f"{name} {kind}"] = {
            label: round(statistics.median(r[b] - (r[a] if a else 0.0) for r in runs))
            for label, a, b in PHASES
        }
    print(json.dumps({"starts": args.starts, "median_ms": out}, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
