"""``python -m benchmarks [--json] [--quick]`` (also ``python -m geo bench``): every speed figure, each against a baseline
measured in the same run (never a timed unit test).

Figures (keys of the ``--json`` object are stable):

* filter + per-site summary over 1,000,000 incidents vs a bare numpy mask + bincount over the
  same columns (``filter_summary_1m_ratio_vs_numpy``, target ≤ 3);
* map page bytes and build time for 10k / 100k incidents vs folium ``MarkerCluster`` with one
  ``Marker`` each and vs ``FastMarkerCluster`` (targets at 100k: ≤ 1/20 of MarkerCluster's
  bytes, ≤ 1/10 of its time, ≤ 1/2 of FastMarkerCluster's bytes), and the page for 1M;
* snapshot PNG time for 1,000 incidents;
* the app in headless Chromium: cold load and a date-range change with 10 and with 10,000
  incidents (target: 10k within 2× of 10), and the first map (cold and warm server) and a
  range change against a plain Streamlit + folium app on the same data
  (``benchmarks/peer_app.py``; ``browser_*_ratio_vs_peer``, target ≤ 1);
* extraction articles/s vs ``dateparser.search_dates`` (benchmarks/extract_bench.py);
* import rows/s and peak memory for a 1,000,000-row ACLED export (benchmarks/import_bench.py).
* the app's first map after that import (``first_open_after_import_1m_s``, target ≤ 8 s): the
  imported store kept with the app's frame cache written after the import (as ``geo import``
  does), the app started on it, timed from navigation in a new browser.

The figures timed against a baseline in this process run first, on a quiet machine; the slow
baselines (MarkerCluster at 100k, the 1M import) then run in child processes beside the map
figures, so the two cores overlap them; the browser runs last, alone.  ``--quick`` uses smaller sizes (a smoke
run; its keys say which sizes).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from geo.paths import ROOT

MARKERCLUSTER_CHILD = """
import json, sys, time
import folium
from folium.plugins import FastMarkerCluster, MarkerCluster
from geo.synth import synth_frame
out = {}
for n in map(int, sys.argv[1].split(",")):
    f = synth_frame(n, seed=n)
    pts = list(zip(f["latitude"], f["longitude"]))
    t = time.perf_counter()
    m = folium.Map(location=[33.5, 41.5], zoom_start=6)
    cluster = MarkerCluster().add_to(m)
    for lat, lng in pts:
        folium.Marker([lat, lng], popup="incident").add_to(cluster)
    html = m.get_root().render()
    out[f"markercluster_{n}"] = {"seconds": time.perf_counter() - t, "bytes": len(html.encode())}
    print(json.dumps(out), flush=True)
"""


def _best(fn: Callable[[], Any], rounds: int = 5) -> float:
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def _best_pair(a: Callable[[], Any], b: Callable[[], Any], rounds: int) -> tuple[float, float]:
    """The best of ``rounds`` for each, taken in turns (a, b, a, b ...) so that both see the
    same machine."""
    times_a, times_b = [], []
    for _ in range(rounds):
        for fn, times in ((a, times_a), (b, times_b)):
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
    return min(times_a), min(times_b)


def _child(code: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def filter_summary(n: int) -> dict[str, Any]:
    """A three-year range filter and the per-site summary (counts, first/last, weapon mix,
    casualty ranges, confirmed/claimed) over n incidents, as the page computes it.

    Both sides get their columns ready-made: ours the frame's column index (codes built once
    per loaded frame, as the app keeps it; the build is timed separately), numpy the day and
    site-code arrays.
    """
    import pandas as pd

    from geo import query
    from geo.columns import index_of
    from geo.gazetteer import Gazetteer
    from geo.synth import synth_frame

    gaz = Gazetteer.load()
    frame = synth_frame(n, seed=7)
    start, end = date(2019, 1, 1), date(2021, 12, 31)
    filters = query.Filters(start=start, end=end)

    t = time.perf_counter()
    index_of(frame)
    query.summaries(frame, filters, gaz, end, sources=False)  # codes and caches built here
    first_call = time.perf_counter() - t

    def ours() -> None:
        query.summaries(frame, filters, gaz, end, sources=False)

    day_start = frame["day_start"].to_numpy()
    day_end = frame["day_end"].to_numpy()
    codes, _ = pd.factorize(frame["site_id"])
    s, e = (start - date(1970, 1, 1)).days, (end - date(1970, 1, 1)).days

    def numpy() -> None:
        mask = (day_end >= s) & (day_start <= e) & (codes >= 0)
        np.bincount(codes[mask])

    t_ours, t_numpy = _best_pair(ours, numpy, rounds=9)
    with_sources = _best(lambda: query.summaries(frame, filters, gaz, end), rounds=3)
    return {
        "rows": n,
        "ours_s": round(t_ours, 4),
        "numpy_s": round(t_numpy, 4),
        "ratio": round(t_ours / t_numpy, 2),
        "first_call_s": round(first_call, 3),
        "with_sources_s": round(with_sources, 4),
    }


def map_pages(sizes: tuple[int, ...]) -> dict[str, Any]:
    import folium
    from folium.plugins import FastMarkerCluster

    from geo.gazetteer import Gazetteer
    from geo.mapping import build_map
    from geo.synth import synth_frame

    gaz = Gazetteer.load()
    out: dict[str, Any] = {}
    for n in sizes:
        frame = synth_frame(n, seed=n)
        t = time.perf_counter()
        html = build_map(frame, gaz, assets="served").get_root().render()
        out[f"ours_{n}"] = {"seconds": time.perf_counter() - t, "bytes": len(html.encode())}
        if n > 100_000:
            continue
        pts = list(zip(frame["latitude"], frame["longitude"], strict=True))
        t = time.perf_counter()
        m = folium.Map(location=[33.5, 41.5], zoom_start=6)
        FastMarkerCluster(pts).add_to(m)
        html = m.get_root().render()
        out[f"fastmarkercluster_{n}"] = {
            "seconds": time.perf_counter() - t,
            "bytes": len(html.encode()),
        }
    return out


def snapshot(n: int) -> dict[str, Any]:
    try:
        from geo.export import View, export
    except ImportError:
        return {"error": "geo.export is not available"}
    from geo import query
    from geo.gazetteer import Gazetteer
    from geo.synth import synth_frame

    frame = synth_frame(n, seed=3)
    view = View(frame=frame, filters=query.Filters(), gazetteer=Gazetteer.load(), title="bench")
    with tempfile.TemporaryDirectory() as tmp:
        seconds = _best(lambda: export("png", view, Path(tmp) / "s.png"), rounds=2)
    return {"incidents": n, "seconds": round(seconds, 3)}


def browser(sizes: tuple[int, int]) -> dict[str, Any]:
    """Cold load and a range change, timed in Debian's Chromium, for two store sizes: the
    atlas, then the plain peer app on the same stores."""
    from benchmarks.browser_bench import run as run_browser

    return run_browser(sizes)


def first_open_after_import(kept: Path, rows: int) -> dict[str, Any]:
    from benchmarks.browser_bench import first_open

    return first_open(kept / f"store_{rows}.sqlite", kept / "frames")


def extraction() -> dict[str, Any]:
    from benchmarks.extract_bench import run as run_extract

    return run_extract(rounds=3)


def run(quick: bool = False) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))
    big = 100_000 if quick else 1_000_000
    map_sizes = (1_000, 10_000) if quick else (10_000, 100_000)
    import_rows = 20_000 if quick else 1_000_000
    started = time.perf_counter()
    report: dict[str, Any] = {"quick": quick}
    # The figures whose baseline runs in this process come first, on a quiet machine; then
    # the two long baselines' children (folium MarkerCluster, the 1M import) run beside the map
    # figures; the browser comes last, after them, since its two stores are timed one after
    # the other and must see the same load.
    fs = filter_summary(big)
    report["extract"] = extraction()
    report["snapshot"] = snapshot(1_000)
    mc = _child(MARKERCLUSTER_CHILD, ",".join(map(str, map_sizes)))
    # the imported store is kept (with the app's frame cache, as `geo import` writes it) for
    # the app's first open after the import, timed after the browser figures
    kept = Path(tempfile.mkdtemp(prefix="atlas-bench-import-"))
    imp = _child(
        "import json, sys; from pathlib import Path; sys.path.insert(0, '.'); "
        "from benchmarks.import_bench import run; "
        "print(json.dumps(run((int(sys.argv[1]),), keep=Path(sys.argv[2]))))",
        str(import_rows),
        str(kept),
    )
    maps = map_pages((*map_sizes, big))
    mc_out, mc_err = mc.communicate()
    imp_out, imp_err = imp.communicate()
    if mc.returncode or imp.returncode:
        raise RuntimeError(f"a benchmark child failed:\n{mc_err[-2000:]}\n{imp_err[-2000:]}")
    report["browser"] = browser((10, 10_000 if not quick else 1_000))
    try:
        report["first_open_after_import"] = first_open_after_import(kept, import_rows)
    finally:
        shutil.rmtree(kept, ignore_errors=True)
    maps.update(json.loads(mc_out.strip().splitlines()[-1]))
    imports = json.loads(imp_out.strip().splitlines()[-1])["runs"][0]
    report.update({"filter_summary": fs, "maps": maps, "import": imports})

    n_big, n_mid = map_sizes[-1], map_sizes[0]
    ours, mcl, fmc = (
        maps[f"ours_{n_big}"],
        maps[f"markercluster_{n_big}"],
        maps[f"fastmarkercluster_{n_big}"],
    )
    suffix = "" if not quick else "_quick"
    report["summary"] = {
        f"filter_summary_1m_ratio_vs_numpy{suffix}": fs["ratio"],
        f"map_bytes_ratio_vs_markercluster_100k{suffix}": round(ours["bytes"] / mcl["bytes"], 4),
        f"map_bytes_ratio_vs_fastmarkercluster_100k{suffix}": round(
            ours["bytes"] / fmc["bytes"], 4
        ),
        f"map_time_ratio_vs_markercluster_100k{suffix}": round(ours["seconds"] / mcl["seconds"], 4),
        f"map_payload_bytes_1m{suffix}": maps[f"ours_{big}"]["bytes"],
        "snapshot_png_s_1k": report["snapshot"].get("seconds"),
        f"browser_range_change_ratio_10k_vs_10{suffix}": report["browser"].get("ratio"),
        # the atlas against a plain Streamlit + folium app (benchmarks/peer_app.py), the worse
        # of the two sizes (bundled data, 10,000 incidents); per size under details.browser
        f"browser_first_map_ratio_vs_peer{suffix}": report["browser"].get(
            "first_map_ratio_vs_peer"
        ),
        f"browser_range_change_ratio_vs_peer{suffix}": report["browser"].get(
            "range_change_ratio_vs_peer"
        ),
        "extract_articles_per_s": report["extract"]["extractor"]["articles_per_s"],
        "extract_ratio_vs_dateparser": report["extract"]["ratio"],
        f"import_rows_per_s_1m{suffix}": imports["rows_per_s"],
        f"import_peak_rss_mb_1m{suffix}": imports["peak_rss_mb"],
        # the app's first map after `geo import` of the import figure's rows into a fresh
        # store (the import brings the frame cache up to date): cold server, new browser
        f"first_open_after_import_1m_s{suffix}": report["first_open_after_import"]["first_map_s"],
        "sizes": {"filter_summary": big, "maps": map_sizes, "import": import_rows},
        "total_seconds": round(time.perf_counter() - started, 1),
    }
    _ = n_mid
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description="run the benchmarks (each with its baseline)"
    )
    parser.add_argument("--json", action="store_true", help="one JSON object with stable keys")
    parser.add_argument("--quick", action="store_true", help="smaller sizes: a smoke run")
    args = parser.parse_args(argv)
    report = run(quick=args.quick)
    if args.json:
        print(json.dumps({**report["summary"], "details": report}, default=str))
    else:
        print(json.dumps(report, indent=1, default=str))
    return 0
