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
store.close()
me, worker = (resource.getrusage(r) for r in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
print(json.dumps({"seconds": elapsed, "read": batch.read, "stored": batch.stored,
                  "rejected": batch.rejected, "peak_rss_mb": me.ru_maxrss / 1024,
                  "cpu_s": me.ru_utime + me.ru_stime, "worker_peak_rss_mb": worker.ru_maxrss / 1024,
                  "worker_cpu_s": worker.ru_utime + worker.ru_stime}))
"""


def csv_pass(path: Path) -> float:
    """Rows per second of a bare csv.reader pass over the file."""
    t0 = time.perf_counter()
    with open(path, newline="", encoding="utf-8") as fh:
        n = sum(1 for _ in csv.reader(fh)) - 1
    return n / (time.perf_counter() - t0)


def measure(n: int, workdir: Path) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))
    from geo.importers.synth_acled import write_acled_csv

    src = workdir / f"acled_{n}.csv"
    write_acled_csv(src, n, seed=1)
    baseline = csv_pass(src)
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(src), str(workdir / f"store_{n}.sqlite")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    child = json.loads(out.stdout.strip().splitlines()[-1])
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
    }


def run(sizes: tuple[int, ...] = (100_000, 1_000_000)) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="atlas-import-bench-") as tmp:
        results = [measure(n, Path(tmp)) for n in sizes]
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
