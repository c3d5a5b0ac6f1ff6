"""Import speed and peak memory: a synthetic ACLED export of 100,000 and 1,000,000 rows into a
fresh embedded store, each in a child process that reports its own peak RSS.

Baseline, measured in the same run over the same file: a bare ``csv.reader`` pass (what
reading the bytes costs before any validation or storage).  Memory is "flat" when the 1M
import's peak is close to the 100k import's.

A file this big is read by a worker process (geo.ingest_parallel) while the importing process
writes: ``peak_rss_mb`` and ``cpu_s`` are the importing process's, ``worker_peak_rss_mb`` and
``worker_cpu_s`` the worker's (0 when the file was read in one process).

    python benchmarks/import_bench.py [--sizes 100000 1000000] [--json]
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

CHILD = """
import json, resource, sys, time
from pathlib import Path
from geo.ingest import import_file
from geo.store import open_store
store = open_store(sys.argv[2], bundled=False)
t0 = time.perf_counter()
batch = import_file(store, Path(sys.argv[1]))
elapsed = time.perf_counter() - t0
me, worker = (resource.getrusage(r) for r in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
print(json.dumps({"seconds": elapsed, "read": batch.read, "stored": batch.stored,
                  "rejected": batch.rejected, "peak_rss_mb": me.ru_maxrss / 1024,
                  "cpu_s": me.ru_utime + me.ru_stime, "worker_peak_rss_mb": worker.ru_maxrss / 1024,
                  "worker_cpu_s": worker.ru_utime + worker.ru_stime}))
store.close()
if len(sys.argv) > 3:  # then, as `geo import` does, the app's frame cache brought up to date
    from geo.store import frame_cache
    store = open_store(sys.argv[2])  # as the app and `geo import` open it (bundled data in)
    t0 = time.perf_counter()
    frame_cache.load(store, Path(sys.argv[3]))
    print(json.dumps({"frame_cache_s": time.perf_counter() - t0}))
    store.close()
"""


def csv_pass(path: Path) -> float:
    """Rows per second of a bare csv.reader pass over the file."""
    t0 = time.perf_counter()
    with open(path, newline="", encoding="utf-8") as fh:
        n = sum(1 for _ in csv.reader(fh)) - 1
    return n / (time.perf_counter() - t0)


def measure(n: int, workdir: Path, frames: Path | None = None) -> dict[str, Any]:
    """The import of ``n`` synthetic rows into ``workdir/store_N.sqlite``; with ``frames``, the
    app's frame cache written there afterwards (as ``geo import`` does), timed apart and
    after the peak RSS is read."""
    sys.path.insert(0, str(ROOT))
    from geo.importers.synth_acled import write_acled_csv

    src = workdir / f"acled_{n}.csv"
    write_acled_csv(src, n, seed=1)
    baseline = csv_pass(src)
    args = [str(src), str(workdir / f"store_{n}.sqlite"), *([str(frames)] if frames else [])]
    out = subprocess.run(
        [sys.executable, "-c", CHILD, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    lines = [json.loads(line) for line in out.stdout.strip().splitlines() if line[:1] == "{"]
    child = {k: v for line in lines for k, v in line.items()}
    rate = child["read"] / child["seconds"]
    return {
        "rows": n,
        "rows_per_s": round(rate),
        "csv_reader_rows_per_s": round(baseline),
        "ratio_vs_csv_reader": round(rate / baseline, 4),
        "peak_rss_mb": round(child["peak_rss_mb"], 1),
        "worker_peak_rss_mb": round(child["worker_peak_rss_mb"], 1),
        "cpu_s": round(child["cpu_s"], 1),
        "worker_cpu_s": round(child["worker_cpu_s"], 1),
        "stored": child["stored"],
        "rejected": child["rejected"],
        "file_mb": round(src.stat().st_size / 1e6, 1),
        **({"frame_cache_s": round(child["frame_cache_s"], 1)} if frames else {}),
    }


def run(sizes: tuple[int, ...] = (100_000, 1_000_000), keep: Path | None = None) -> dict[str, Any]:
    """Each size imported into a fresh store.  ``keep``: the stores stay in that directory,
    the largest with the app's frame cache written in ``keep/frames`` after its import (for
    the app's first open after an import: ``browser_bench.first_open``)."""
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        results = [measure(n, keep, keep / "frames" if n == max(sizes) else None) for n in sizes]
        for n in sizes:
            (keep / f"acled_{n}.csv").unlink(missing_ok=True)
        return _summary(results)
    with tempfile.TemporaryDirectory(prefix="atlas-import-bench-") as tmp:
        results = [measure(n, Path(tmp)) for n in sizes]
    return _summary(results)


def _summary(results: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {"runs": results}
    by_n = {r["rows"]: r for r in results}
    if 1_000_000 in by_n:
        out["import_rows_per_s_1m"] = by_n[1_000_000]["rows_per_s"]
        out["import_peak_rss_mb_1m"] = by_n[1_000_000]["peak_rss_mb"]
    if len(results) > 1:
        small, big = results[0], results[-1]
        out["peak_rss_ratio_largest_vs_smallest"] = round(
            big["peak_rss_mb"] / small["peak_rss_mb"], 3
        )
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    result = run(tuple(args.sizes))
    print(json.dumps(result, indent=None if args.json else 1))


if __name__ == "__main__":
    main()
