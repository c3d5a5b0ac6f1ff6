"""The app in headless Chromium: cold load and one date-range change, for stores of two sizes.

For each size: a store of that many synthetic incidents (plus the bundled ones), the app on a
free port, then in Debian's Chromium: the time from navigation until the map shows its site
hubs with the script idle (cold load), and from typing a new "From" date until the page shows
the new range with the map redrawn (range change).  The figure is the ratio of the two range
changes (target: the 10,000 case within 2× of the 10 case).

    python benchmarks/browser_bench.py [--sizes 10 10000]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
NEW_FROM = "2020/01/01"

READY = """
(want) => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.getAttribute("data-test-script-state") !== "notRunning") { return false; }
    if (want && !document.body.innerText.includes(want)) { return false; }
    for (const f of document.querySelectorAll("iframe")) {
        try {
            const box = f.getBoundingClientRect();
            if (box.width > 0 && f.contentDocument
                && f.contentDocument.querySelectorAll("div.atlas-site").length > 0) { return true; }
        } catch (e) { /* another origin: not ours */ }
    }
    return false;
}
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _store(n: int, folder: Path) -> Path:
    sys.path.insert(0, str(ROOT))
    from geo.ingest import import_file
    from geo.store import open_store
    from geo.synth import write_synth

    src = folder / f"synth_{n}.csv"
    write_synth(src, n, seed=5)
    path = folder / f"store_{n}.sqlite"
    store = open_store(str(path))
    import_file(store, src)
    store.close()
    return path


def _measure(store: Path) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    port = _free_port()
    url = f"http://localhost:{port}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.headless", "true"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**__import__("os").environ, "ATLAS_STORE": str(store)},
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
                    if r.read() == b"ok":
                        break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("the app did not start") from None
                # the pause between polls doubles as a watch on the server exiting
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(timeout=0.2)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1600, "height": 1100})
            page.set_default_timeout(120_000)
            t = time.perf_counter()
            page.goto(url)
            page.wait_for_function(READY, arg="")
            cold = time.perf_counter() - t
            field = page.get_by_test_id("stSidebar").get_by_role("group", name="From", exact=True)
            field.get_by_role("spinbutton").first.click()
            t = time.perf_counter()
            page.keyboard.type(NEW_FROM)
            page.get_by_test_id("stSidebar").get_by_role("heading", name="Filters").click()
            page.wait_for_function(READY, arg=f"Range: {NEW_FROM.replace('/', '-')}")
            change = time.perf_counter() - t
            browser.close()
        return {"cold_load_s": round(cold, 3), "range_change_s": round(change, 3)}
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def run(sizes: tuple[int, int] = (10, 10_000)) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="atlas-browser-bench-") as tmp:
        results = {n: _measure(_store(n, Path(tmp))) for n in sizes}
    small, large = results[sizes[0]], results[sizes[1]]
    return {
        "sizes": list(sizes),
        "runs": {str(n): r for n, r in results.items()},
        "ratio": round(large["range_change_s"] / small["range_change_s"], 2),
        "cold_ratio": round(large["cold_load_s"] / small["cold_load_s"], 2),
    }


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", type=int, nargs=2, default=[10, 10_000])
    print(json.dumps(run(tuple(p.parse_args().sizes)), indent=1))
