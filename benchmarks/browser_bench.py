"""The app in headless Chromium: cold load and date-range changes, for stores of two sizes.

For each size: a store of that many synthetic incidents (plus the bundled ones), the app on a
free port, then in Debian's Chromium: the time from navigation until the map shows its site
hubs (first map), and until the script is idle too (cold load: the whole page); then from
typing a new "From" date until the page shows the new range with the map redrawn (range
change; the median of three).  The figure is the ratio of the two range changes (target: the
10,000 case within 2× of the 10 case).  The same for the peer (``peer_app.py``); on the small
store each app is started three times, alternately, and each first-map timing is the median.

``--big N`` opens the app on one store of N incidents three times: with an empty frame cache
(the frame comes from the store), after a restart (from geo.store.frame_cache), and after a
restart that follows an import of 100 incidents (the cache catches up).

    python benchmarks/browser_bench.py [--sizes 10 10000]
    python benchmarks/browser_bench.py --big 1000000 [--store FILE]   # the app on a big store
    python benchmarks/browser_bench.py --zoom    # ms per zoom step on dense imports (issue 18)
    python benchmarks/browser_bench.py --after-import 1000000   # first open after an import
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
#: the "From" dates typed one after the other; the figure is the median of the changes
NEW_FROMS = ("2020/01/01", "2018/06/01", "2021/03/15")

#: the map shows what it draws (``mark``: a CSS selector inside the map's frame), and its Leaflet
#: map is not one marked stale (maps are marked before a range change: the redrawn map is a new
#: map, in a new frame for the peer, in the same frame for the atlas)
MAP_SHOWN = """
(mark) => {
    for (const f of document.querySelectorAll("iframe")) {
        try {
            const box = f.getBoundingClientRect();
            const map = f.contentWindow.map;
            if (box.width > 0 && f.contentDocument && map && !map.__benchStale
                && f.contentDocument.querySelectorAll(mark).length > 0) { return true; }
        } catch (e) { /* another origin: not ours */ }
    }
    return false;
}
"""
#: ... and the script is idle, with ``want`` on the page and ``done`` (a CSS selector: the
#: whole page drawn) in it
READY = """
([want, mark, done]) => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.getAttribute("data-test-script-state") !== "notRunning") { return false; }
    if (want && !document.body.innerText.includes(want)) { return false; }
    if (done && !document.querySelector(done)) { return false; }
    return (MAP_SHOWN)(mark);
}
""".replace("MAP_SHOWN", MAP_SHOWN)
#: marks the maps on the page as stale
MARK_STALE = """
() => { for (const f of document.querySelectorAll("iframe")) {
    try { if (f.contentWindow.map) { f.contentWindow.map.__benchStale = true; } }
    catch (e) { /* not ours */ } } }
"""


@dataclass(frozen=True)
class App:
    """What is served and how its map is recognised."""

    name: str
    #: a CSS selector matching what the map draws, inside its frame
    mark: str
    #: a CSS selector matching an element of the whole page (the atlas draws its map first and
    #: the rest in the next run): the page is ready when it is there and the script idle
    done: str = ""
    #: how the app is started (``python ARGS``; then the port and headless options), as its
    #: users start it
    launch: tuple[str, ...] = ()


#: started as scripts/app starts it (components/launch.py: the page's modules imported first)
ATLAS = App(
    "atlas", "div.atlas-site", done='[data-testid="stTabs"]', launch=("-m", "components.launch")
)
#: the peer: a plain app written the tutorial way (benchmarks/peer_app.py), started the
#: tutorial way
PEER = App("peer", "path.leaflet-interactive", launch=("-m", "streamlit", "run", "peer_app.py"))


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


def _count_bytes(page: Any) -> dict[str, Any]:
    """Bytes the browser receives from now on, counted by Chromium (DevTools protocol): over
    the websocket, over HTTP (as sent: compressed where the server compresses), and per HTTP
    path (``by_path``)."""
    counts: dict[str, Any] = {"websocket": 0, "http": 0, "by_path": {}}
    urls: dict[str, str] = {}
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")

    def frame(event: dict[str, Any]) -> None:
        data = event["response"]["payloadData"]
        # binary frames (Streamlit's protobuf messages) arrive base64-encoded
        binary = event["response"].get("opcode") == 2
        counts["websocket"] += len(data) * 3 // 4 if binary else len(data.encode())

    def response(event: dict[str, Any]) -> None:
        urls[event["requestId"]] = urllib.parse.urlsplit(event["response"]["url"]).path

    def loaded(event: dict[str, Any]) -> None:
        size = int(event.get("encodedDataLength", 0))
        counts["http"] += size
        path = urls.get(event["requestId"], "?")
        counts["by_path"][path] = counts["by_path"].get(path, 0) + size

    cdp.on("Network.webSocketFrameReceived", frame)
    cdp.on("Network.responseReceived", response)
    cdp.on("Network.loadingFinished", loaded)
    return counts


def _largest(by_path: dict[str, int], k: int = 5) -> dict[str, int]:
    return dict(sorted(by_path.items(), key=lambda kv: -kv[1])[:k])


def _serve(
    app: App, store: Path, frames: Path, folder: Path
) -> tuple[subprocess.Popen[bytes], str]:
    """Start ``app`` on a free port and wait until it answers.  The peer runs from ``folder``
    (its script, the project's static files and Streamlit config linked beside it), reading
    the store's incidents as CSV."""
    port = _free_port()
    url = f"http://localhost:{port}"
    env = {**os.environ, "ATLAS_STORE": str(store), "ATLAS_FRAME_CACHE": str(frames)}
    cwd = ROOT
    if app is PEER:
        cwd = folder / "peer"
        if not cwd.exists():
            cwd.mkdir()
            (cwd / "peer_app.py").symlink_to(ROOT / "benchmarks" / "peer_app.py")
            (cwd / "static").symlink_to(ROOT / "static")
            (cwd / ".streamlit").symlink_to(ROOT / ".streamlit")
        env["PEER_CSV"] = str(_peer_csv(store, folder))
    proc = subprocess.Popen(
        [sys.executable, *app.launch, "--server.port", str(port), "--server.headless", "true"],
        cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
                if r.read() == b"ok":
                    return proc, url
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.terminate()
                raise RuntimeError(f"the {app.name} app did not start") from None
            # the pause between polls doubles as a watch on the server exiting
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=0.2)


def _peer_csv(store: Path, folder: Path) -> Path:
    """The store's accepted attacks as the peer reads them (a CSV, the tutorial way)."""
    sys.path.insert(0, str(ROOT))
    from geo.store import open_store

    path = folder / f"{store.stem}.csv"
    if not path.exists():
        s = open_store(str(store), bundled=False)
        frame = s.frame()
        s.close()
        frame = frame[(frame["event_type"] == "attack") & (frame["review"] == "accepted")]
        frame[["date_start", "latitude", "longitude", "site_id"]].to_csv(path, index=False)
    return path


def _first_map(browser: Any, url: str, app: App) -> tuple[Any, float, float, dict[str, Any]]:
    """A new browser context opens the app: seconds to the map drawn and to the page idle."""
    page = browser.new_page(viewport={"width": 1600, "height": 1100})
    page.set_default_timeout(300_000)
    received = _count_bytes(page)
    t = time.perf_counter()
    page.goto(url)
    page.wait_for_function(MAP_SHOWN, arg=app.mark)  # the map is drawn before the tables
    first_map = time.perf_counter() - t
    page.wait_for_function(READY, arg=["", app.mark, app.done])
    return page, first_map, time.perf_counter() - t, dict(received)


def _range_changes(page: Any, app: App) -> dict[str, Any]:
    """On a loaded page: the median of the range changes, then (the atlas only: a diagnostic,
    and the peer's reload of 10,000 markers took 15 s of the run) a reload from the same
    browser (Streamlit's bundle from its cache), with what the app sent for each; closes the
    page."""
    received = _count_bytes(page)
    changes = []
    for new_from in NEW_FROMS:
        field = page.get_by_test_id("stSidebar").get_by_role("group", name="From", exact=True)
        field.get_by_role("spinbutton").first.click()
        page.evaluate(MARK_STALE)
        t = time.perf_counter()
        page.keyboard.type(new_from)
        page.get_by_test_id("stSidebar").get_by_role("heading", name="Filters").click()
        page.wait_for_function(
            READY, arg=[f"Range: {new_from.replace('/', '-')}", app.mark, app.done]
        )
        changes.append(time.perf_counter() - t)
    out = {
        "range_change_s": round(statistics.median(changes), 3),
        "range_changes_s": [round(c, 3) for c in changes],
        "range_change_websocket_bytes": received["websocket"] // len(NEW_FROMS),
    }
    if app is ATLAS:
        # a second visit from the same browser: Streamlit's bundle (immutable, served
        # uncompressed by design) now comes from the browser's cache
        received.update(websocket=0, http=0, by_path={})
        page.reload()
        page.wait_for_function(READY, arg=["", app.mark, app.done])
        out.update(
            revisit_websocket_bytes=received["websocket"], revisit_http_bytes=received["http"]
        )
    page.context.close()
    return out


def _measure(
    store: Path,
    frames: Path,
    app: App = ATLAS,
    folder: Path | None = None,
    first_maps_only: bool = False,
) -> dict[str, Any]:
    """One server start: the first page load (cold server), the range changes, then a first
    load from a new browser context (warm server).  ``frames``: the app's frame cache
    (geo.store.frame_cache), empty before a store's first measurement.  ``first_maps_only``:
    the two first loads, nothing between them."""
    from playwright.sync_api import sync_playwright

    t = time.perf_counter()
    proc, url = _serve(app, store, frames, folder or store.parent)
    started = time.perf_counter() - t
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page, first_map, cold, cold_bytes = _first_map(browser, url, app)
            if first_maps_only:
                page.context.close()
                between: dict[str, Any] = {}
            else:
                between = _range_changes(page, app)
            # a new visitor on the warm server (its caches filled by the visits above)
            warm_page, warm_map, warm_idle, _ = _first_map(browser, url, app)
            warm_page.context.close()
            browser.close()
        return {
            # process start → the server answers (the atlas imports its page's modules first)
            "server_start_s": round(started, 3),
            "first_map_s": round(first_map, 3),
            "cold_load_s": round(cold, 3),
            "warm_first_map_s": round(warm_map, 3),
            "warm_load_s": round(warm_idle, 3),
            # what the app sent: over its websocket (the page's data: map, tables, charts) and
            # over HTTP (Streamlit's own scripts and styles, the map's vendored assets)
            "cold_websocket_bytes": cold_bytes["websocket"],
            "cold_http_bytes": cold_bytes["http"],
            "cold_http_largest": _largest(cold_bytes["by_path"]),
            **between,
        }
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _ratio(a: float, b: float) -> float:
    return round(a / b, 2)


#: server starts per app on the small store, where the two apps are close: each figure is the
#: median over them (one start on the large store, where they are far apart)
SMALL_STARTS = 3


def _median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Each first-map timing the median over ``runs`` (one server start each); the rest (the
    range changes: a median of their own) from the first; ``starts`` keeps every start's."""
    out = dict(runs[0])
    for key in ("server_start_s", "first_map_s", "cold_load_s", "warm_first_map_s", "warm_load_s"):
        out[key] = round(statistics.median(r[key] for r in runs), 3)
    out["starts"] = [{k: r[k] for k in ("first_map_s", "warm_first_map_s")} for r in runs]
    return out


def run(sizes: tuple[int, int] = (10, 10_000), peer: bool = True) -> dict[str, Any]:
    """Both sizes, the atlas and (``peer``) the plain app on the same store, one after the other
    (on the small store :data:`SMALL_STARTS` times, alternately)."""
    with tempfile.TemporaryDirectory(prefix="atlas-browser-bench-") as tmp:
        folder = Path(tmp)
        stores = {n: _store(n, folder) for n in sizes}
        results: dict[int, dict[str, Any]] = {}
        peers: dict[int, dict[str, Any]] = {}
        for n in sizes:  # each size: the atlas, then the peer, so that both see the same machine
            atlas_runs: list[dict[str, Any]] = []
            peer_runs: list[dict[str, Any]] = []
            for start in range(SMALL_STARTS if n == sizes[0] else 1):
                # each start a cold server with an empty frame cache, as the first was; the
                # range changes (a median of three already) on the first start only
                frames, again = folder / f"frames-{n}-{start}", start > 0
                atlas_runs.append(_measure(stores[n], frames, first_maps_only=again))
                if peer:
                    peer_runs.append(_measure(stores[n], frames, PEER, folder, again))
            results[n] = _median_run(atlas_runs)
            if peer:
                peers[n] = _median_run(peer_runs)
    small, large = results[sizes[0]], results[sizes[1]]
    out: dict[str, Any] = {
        "sizes": list(sizes),
        "runs": {str(n): r for n, r in results.items()},
        "ratio": _ratio(large["range_change_s"], small["range_change_s"]),
        "cold_ratio": _ratio(large["cold_load_s"], small["cold_load_s"]),
    }
    if peers:
        out["peer_runs"] = {str(n): r for n, r in peers.items()}
        # per size: atlas / peer (below 1: the atlas is faster)
        out["vs_peer"] = {
            str(n): {
                "first_map_cold": _ratio(results[n]["first_map_s"], peers[n]["first_map_s"]),
                "first_map_warm": _ratio(
                    results[n]["warm_first_map_s"], peers[n]["warm_first_map_s"]
                ),
                "range_change": _ratio(results[n]["range_change_s"], peers[n]["range_change_s"]),
                # not a target: what the atlas's head start costs at start-up
                "server_start": _ratio(results[n]["server_start_s"], peers[n]["server_start_s"]),
            }
            for n in sizes
        }
        # the worst over both sizes (first map: cold and warm)
        out["first_map_ratio_vs_peer"] = max(
            max(v["first_map_cold"], v["first_map_warm"]) for v in out["vs_peer"].values()
        )
        out["range_change_ratio_vs_peer"] = max(v["range_change"] for v in out["vs_peer"].values())
    return out


def first_open(store: Path, frames: Path) -> dict[str, Any]:
    """The app started on ``store`` (its frame cache in ``frames``) and opened once: seconds
    from navigation to the first map and to the whole page (cold server, new browser)."""
    from playwright.sync_api import sync_playwright

    proc, url = _serve(ATLAS, store, frames, store.parent)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page, first_map, whole, _ = _first_map(browser, url, ATLAS)
            page.context.close()
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return {"first_map_s": round(first_map, 3), "whole_page_s": round(whole, 3)}


def after_import(n: int, folder: Path) -> dict[str, Any]:
    """A synthetic ACLED file of ``n`` rows imported with ``python -m geo import`` into a
    fresh store (the import brings the app's frame cache up to date), then the app's first
    open (:func:`first_open`)."""
    sys.path.insert(0, str(ROOT))
    from geo.importers.synth_acled import write_acled_csv

    src, store, frames = folder / f"acled_{n}.csv", folder / f"imported_{n}.sqlite", folder / "f"
    write_acled_csv(src, n, seed=1)
    env = {**os.environ, "ATLAS_FRAME_CACHE": str(frames)}
    t = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "geo", "import", str(src), "--store", str(store)],
        cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    imported = time.perf_counter() - t
    src.unlink()
    return {"incidents": n, "import_s": round(imported, 1), **first_open(store, frames)}


def big_store(n: int, path: Path) -> Path:
    """A store of ``n`` synthetic incidents (plus the bundled ones) written straight into its
    table (``geo.synth.fill_store``): the importer would take minutes per million."""
    sys.path.insert(0, str(ROOT))
    from geo.store import open_store
    from geo.synth import fill_store

    store = open_store(str(path))
    fill_store(store, n, seed=11)  # type: ignore[arg-type]
    store.close()
    return path


def small_import(path: Path, folder: Path) -> None:
    """Import 100 new synthetic incidents into the store at ``path`` (ids unlike the big
    fill's: a seed of the current time)."""
    sys.path.insert(0, str(ROOT))
    from geo.ingest import import_file
    from geo.store import open_store
    from geo.synth import write_synth

    src = folder / "small.csv"
    write_synth(src, 100, seed=time.time_ns() % 1_000_000_007)
    store = open_store(str(path))
    import_file(store, src)
    store.close()
    src.unlink()


#: one zoom step on a standalone map: the layout (counting, decluttering) runs on zoomend, in
#: the same task as a zoom without animation; then one frame for the paint
FIND_MAP = """Object.keys(window).filter((k) => k.startsWith("map_")).map((k) => window[k])
    .find((v) => v && v.atlasDots && v.getContainer().isConnected)"""
FRAMES = "() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))"
ZOOM_STEP = """
async ([lat, lng, zoom]) => {
    const map = FIND_MAP;
    const before = map.atlasLayouts;
    const t = performance.now();
    map.setView([lat, lng], zoom, {animate: false});
    const layout = performance.now() - t;
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    return {layout_ms: layout, painted_ms: performance.now() - t,
            laid_out: map.atlasLayouts > before,
            counted: map.atlasCounted.getLayers().length};
}
""".replace("FIND_MAP", FIND_MAP)


def zoom_steps(folder: Path) -> dict[str, Any]:
    """Dense imports opened as a standalone map (all dates), zoomed step by step from the
    region to the street round their busiest place: ms per step (median, worst)."""
    sys.path.insert(0, str(ROOT))
    from playwright.sync_api import sync_playwright

    from geo.gazetteer import Gazetteer
    from geo.importers.synth_acled import write_acled_csv
    from geo.ingest import import_file
    from geo.mapping import build_map
    from geo.store import open_store

    acled = folder / "acled_regional.csv"
    write_acled_csv(acled, 800, seed=18, towns=("Mosul", "Baghdad", "Deir ez-Zor"))
    sources = {"ucdp_sample": ROOT / "tests" / "fixtures" / "ucdp_ged_sample_BGD.csv",
               "acled_regional_800": acled}  # fmt: skip
    out: dict[str, Any] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for name, source in sources.items():
            store = open_store(str(folder / f"{name}.sqlite"))
            import_file(store, source)
            frame = store.frame()
            store.close()
            html = build_map(frame, Gazetteer.load(), assets="inline").get_root().render()
            others = frame[(frame["event_type"] == "other") & frame["longitude"].notna()]
            lat, lng = others.groupby(["latitude", "longitude"]).size().idxmax()
            page = browser.new_page(viewport={"width": 1200, "height": 800})
            page.set_content(html)
            # laid out once, and the first fit's animated zoom (started in the next frame) over
            page.wait_for_function(f"() => ({FIND_MAP}).atlasLayouts > 0")
            page.evaluate(FRAMES)
            page.wait_for_function(f"() => !({FIND_MAP})._animatingZoom")
            steps = [page.evaluate(ZOOM_STEP, [lat, lng, z]) for z in range(5, 14)]
            assert all(s["laid_out"] for s in steps), (
                f"a zoom step did not lay the map out: {steps}"
            )
            page.close()
            layout = [s["layout_ms"] for s in steps]
            painted = [s["painted_ms"] for s in steps]
            out[name] = {
                "dots": len(frame[frame["longitude"].notna()]),
                "zoom_steps": len(steps),
                "layout_ms_median": round(statistics.median(layout), 1),
                "layout_ms_worst": round(max(layout), 1),
                "painted_ms_median": round(statistics.median(painted), 1),
                "painted_ms_worst": round(max(painted), 1),
            }
        browser.close()
    return out


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", type=int, nargs=2, default=[10, 10_000])
    p.add_argument(
        "--big",
        type=int,
        metavar="N",
        help="instead: the app on one store of N incidents (made once, kept at --store)",
    )
    p.add_argument("--store", type=Path, help="where --big keeps its store")
    p.add_argument("--no-peer", action="store_true", help="the atlas only (no plain app)")
    p.add_argument(
        "--after-import",
        type=int,
        metavar="N",
        help="instead: `geo import` of N synthetic ACLED rows into a fresh store, then the "
        "app's first open",
    )
    p.add_argument(
        "--zoom",
        action="store_true",
        help="instead: ms per zoom step on dense imports (UCDP sample, regional ACLED file)",
    )
    args = p.parse_args()
    if args.after_import:
        with tempfile.TemporaryDirectory(prefix="atlas-after-import-") as tmp:
            print(json.dumps(after_import(args.after_import, Path(tmp)), indent=1))
    elif args.zoom:
        with tempfile.TemporaryDirectory(prefix="atlas-zoom-") as tmp:
            print(json.dumps(zoom_steps(Path(tmp)), indent=1))
    elif args.big:
        path = args.store or Path(tempfile.gettempdir()) / f"atlas-big-{args.big}.sqlite"
        if not path.exists():
            big_store(args.big, path)
        with tempfile.TemporaryDirectory(prefix="atlas-frames-") as frames:
            # first open: the frame comes from the store; then a restart: from the frame cache;
            # then after an import of 100 rows: the cache caught up with the new batch
            first, restart = _measure(path, Path(frames)), _measure(path, Path(frames))
            small_import(path, Path(frames))
            after_import = _measure(path, Path(frames))
        print(
            json.dumps(
                {
                    "incidents": args.big,
                    "store": str(path),
                    "first": first,
                    "restart": restart,
                    "after_import_of_100": after_import,
                },
                indent=1,
            )
        )
    else:
        print(json.dumps(run(tuple(args.sizes), peer=not args.no_peer), indent=1))
