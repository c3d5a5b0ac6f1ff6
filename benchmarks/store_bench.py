"""The stores' read paths at 1,000,000 incidents, on the embedded store and on PostGIS:

* ``frame``: ``store.frame()`` in a fresh process (cold, as for the app's first map);
* ``site_counts``: the date-range filter and per-site summary run by the database, for a
  one-month and a three-year range, with the plans;
* the baseline, measured in the same run on the same rows: the same counts in memory with
  numpy over the frame's arrays (a mask, ``bincount``, ``minimum.at``/``maximum.at``).

Both stores are filled with the same synthetic rows written straight into their incidents
tables (:func:`geo.synth.fill_stores`; the importer has its own benchmark), then analysed
(PostgreSQL also vacuumed, so its index-only scans see an up-to-date visibility map).  PostGIS
is ``ATLAS_TEST_POSTGRES`` or a throwaway cluster (tests/postgis_server.py).

    python benchmarks/store_bench.py [--rows 1000000] [--json]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.run import _best as best  # noqa: E402
from geo.frame import EPOCH  # noqa: E402
from geo.store import open_store  # noqa: E402
from geo.store.sql import SqlStore  # noqa: E402
from geo.synth import fill_stores  # noqa: E402

RANGES = {
    "one_month": (date(2020, 1, 1), date(2020, 1, 31)),
    "three_years": (date(2019, 1, 1), date(2021, 12, 31)),
}

CHILD = """
import json, sys, time
from geo.store import open_store
store = open_store(sys.argv[1], bundled=False)
wall, cpu = time.perf_counter(), time.process_time()
frame = store.frame()
print(json.dumps({"seconds": time.perf_counter() - wall, "cpu_seconds": time.process_time() - cpu,
                  "rows": len(frame)}))
"""


def cold_frame(url: str, rounds: int = 2) -> dict[str, Any]:
    """``store.frame()`` in a fresh process, the best of ``rounds``."""
    runs = []
    for _ in range(rounds):
        out = subprocess.run(
            [sys.executable, "-c", CHILD, url],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return min(runs, key=lambda r: r["seconds"])


def numpy_counts(store: SqlStore) -> Callable[[date, date], dict[str, tuple[int, int, int]]]:
    """The in-memory equivalent of ``site_counts`` over the store's frame: its columns made
    ready once (as a page does), then one mask and three reductions per range."""
    import pandas as pd

    frame = store.frame()
    day_start = frame["day_start"].to_numpy()
    day_end = frame["day_end"].to_numpy()
    codes, sites = pd.factorize(frame["site_id"])
    counted = (
        (frame["event_type"] == "attack").to_numpy()
        & (frame["review"] == "accepted").to_numpy()
        & (codes >= 0)
    )
    del frame

    def counts(start: date, end: date) -> dict[str, tuple[int, int, int]]:
        s, e = (start - EPOCH).days, (end - EPOCH).days
        rows = np.flatnonzero(counted & (day_end >= s) & (day_start <= e))
        c = codes[rows]
        n = np.bincount(c, minlength=len(sites))
        first = np.full(len(sites), np.iinfo(np.int64).max)
        np.minimum.at(first, c, day_start[rows])
        last = np.full(len(sites), np.iinfo(np.int64).min)
        np.maximum.at(last, c, day_end[rows])
        return {str(sites[k]): (int(n[k]), int(first[k]), int(last[k])) for k in np.flatnonzero(n)}

    return counts


def as_days(store: SqlStore, start: date, end: date) -> dict[str, tuple[int, int, int]]:
    return {
        c.site_id: (c.attacks, (c.first_date - EPOCH).days, (c.last_date - EPOCH).days)
        for c in store.site_counts(start, end)
    }


def measure(name: str, store: SqlStore) -> dict[str, Any]:
    out: dict[str, Any] = {"frame": cold_frame(store.url)}
    baseline = numpy_counts(store)
    for label, (start, end) in RANGES.items():
        assert as_days(store, start, end) == baseline(start, end), (name, label)
        ours = best(lambda s=start, e=end: store.site_counts(s, e))
        theirs = best(lambda s=start, e=end: baseline(s, e))
        out[label] = {
            "site_counts_s": round(ours, 4),
            "numpy_s": round(theirs, 4),
            "ratio_vs_numpy": round(ours / theirs, 2),
            "plan": store.explain_site_counts(start, end),
        }
    return out


def vacuum(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE incidents")


def run(rows: int) -> dict[str, Any]:
    from tests.postgis_server import fresh_schema, running_postgis

    with (
        tempfile.TemporaryDirectory(prefix="atlas-store-bench-") as tmp,
        running_postgis() as server,
        fresh_schema(server, prefix="bench") as pg_url,
    ):
        stores = {
            "embedded": open_store(str(Path(tmp) / "atlas.sqlite"), bundled=False),
            "postgis": open_store(pg_url, bundled=False),
        }
        try:
            assert all(isinstance(s, SqlStore) for s in stores.values())
            t = time.perf_counter()
            fill_stores(list(stores.values()), rows, seed=1)  # type: ignore[arg-type]
            vacuum(pg_url)
            result: dict[str, Any] = {"rows": rows, "fill_s": round(time.perf_counter() - t, 1)}
            for name, store in stores.items():
                result[name] = measure(name, store)  # type: ignore[arg-type]
        finally:
            for store in stores.values():
                store.close()
    return result


def report(result: dict[str, Any]) -> str:
    lines = [f"{result['rows']:,} rows (filled in {result['fill_s']} s)"]
    for name in ("embedded", "postgis"):
        r = result[name]
        f = r["frame"]
        lines.append(f"\n{name}: frame() cold {f['seconds']:.2f} s (cpu {f['cpu_seconds']:.2f} s)")
        for label in RANGES:
            q = r[label]
            lines.append(
                f"  site_counts {label}: {q['site_counts_s'] * 1000:.1f} ms; numpy "
                f"{q['numpy_s'] * 1000:.1f} ms (ratio {q['ratio_vs_numpy']})"
            )
            lines += ["    " + line for line in q["plan"].splitlines()]
    return "\n".join(lines)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    result = run(args.rows)
    print(json.dumps(result, indent=1) if args.json else report(result))


if __name__ == "__main__":
    main()
