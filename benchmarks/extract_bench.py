"""Extraction speed: articles per second on one core, against a ``dateparser`` baseline.

Both are timed in the same run over the same seed texts (``data/articles``):

* **extractor**: :meth:`geo.extract.Extractor.extract` on one article at a time (the full
  pipeline: sentences, places, dates, weapons, casualties, claims, clusters, merging, validated
  incidents);
* **baseline**: ``dateparser.search.search_dates`` on the same texts with the article's date as
  the relative base -- dates only, no places or anything else.

After one warm-up pass (the gazetteer, town list and compiled rules are loaded once per process,
as in the CLI), the two sides run in ``rounds`` interleaved rounds of ``repeat`` passes over the
articles.  A round's rate is articles / CPU seconds of this process (``time.process_time``: other
work on a shared machine does not count), and each side's best round is reported, as ``timeit``
does; wall-clock rates are given too.

Run: ``python -m benchmarks.extract_bench`` (or ``python benchmarks/extract_bench.py``).
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from datetime import time as clock
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from geo.articles import Article, read_articles
from geo.extract.extractor import Extractor
from geo.paths import ARTICLES_DIR

TARGET_RATE = 200.0
TARGET_RATIO = 5.0


def _time(
    work: Callable[[Article], object], articles: Sequence[Article], repeat: int
) -> tuple[float, float]:
    """Articles per CPU second and per wall second for ``repeat`` passes."""
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for _ in range(repeat):
        for a in articles:
            work(a)
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    n = repeat * len(articles)
    return (n / cpu if cpu else float("inf")), (n / wall if wall else float("inf"))


def _rates(
    sides: dict[str, tuple[Callable[[Article], object], int]],
    articles: Sequence[Article],
    rounds: int,
) -> dict[str, dict[str, float]]:
    """Best CPU and wall rates of each side over ``rounds`` interleaved rounds (a shared machine's
    load then weighs on both sides alike)."""
    for work, _ in sides.values():  # warm-up: lazy loads, compiled patterns
        for a in articles:
            work(a)
    best = {name: [0.0, 0.0] for name in sides}
    for _ in range(rounds):
        for name, (work, repeat) in sides.items():
            cpu, wall = _time(work, articles, repeat)
            best[name][0] = max(best[name][0], cpu)
            best[name][1] = max(best[name][1], wall)
    return {
        name: {"articles_per_s": round(cpu, 1), "wall_articles_per_s": round(wall, 1)}
        for name, (cpu, wall) in best.items()
    }


def run(
    folder: Path = ARTICLES_DIR, repeat: int = 10, rounds: int = 7, baseline_repeat: int = 2
) -> dict[str, Any]:
    """Both rates, their ratio and whether the targets are met."""
    from dateparser.search import search_dates

    articles = list(read_articles(folder).values())
    extractor = Extractor()

    def extract(a: Article) -> object:
        return extractor.extract([a])

    def baseline(a: Article) -> object:
        base = datetime.combine(a.published, clock())
        return search_dates(a.text, languages=["en"], settings={"RELATIVE_BASE": base})

    rates = _rates(
        {"extractor": (extract, repeat), "baseline": (baseline, baseline_repeat)}, articles, rounds
    )
    ours, theirs = rates["extractor"], rates["baseline"]
    ratio = ours["articles_per_s"] / theirs["articles_per_s"]
    return {
        "articles": len(articles),
        "characters": sum(len(a.text) for a in articles),
        "extractor": ours,
        "baseline_dateparser_search_dates": theirs,
        "ratio": round(ratio, 1),
        "targets": {
            "articles_per_s": TARGET_RATE,
            "ratio": TARGET_RATIO,
            "met": ours["articles_per_s"] >= TARGET_RATE and ratio >= TARGET_RATIO,
        },
        "python": sys.version.split()[0],
        "cpus": os.cpu_count(),
    }


if __name__ == "__main__":
    print(json.dumps(run(), indent=1))
