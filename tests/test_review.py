"""Review helpers (merge suggestions, merging, evidence highlighting) and `python -m geo ingest`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from geo import query
from geo.io.geojson import read_incidents
from geo.model import parse_incident
from geo.paths import ARTICLES_DIR, INCIDENTS_GEOJSON, ROOT
from geo.review import highlight, merge_into, similar

CURATED = read_incidents(INCIDENTS_GEOJSON)
FRAME = query.to_frame(CURATED)


def cand(**kw: Any) -> Any:
    base = next(i for i in CURATED if i.site_id == "mosul").model_dump()
    base.update(id="", **kw)
    return parse_incident(base)


def test_similar_finds_the_same_attack_and_not_others() -> None:
    mosul = next(i for i in CURATED if i.site_id == "mosul")
    assert similar(cand(), FRAME) == [mosul.id]
    assert similar(cand(date_start=date(2023, 11, 1), date_end=date(2023, 11, 1)), FRAME) == []
    assert similar(cand(weapons=["rocket"]), FRAME) == []  # ied vs rocket: not compatible
    assert similar(cand(weapons=["unknown"]), FRAME) == [mosul.id]
    assert similar(cand(event_type="us_strike"), FRAME) == []


@pytest.mark.parametrize(
    ("a", "b", "merged"),
    [
        ((3, 3), (4, 4), (3, 4)),  # conflicting figures become a range
        ((None, None), (2, 2), (2, 2)),
        ((5, None), (6, 6), (5, None)),  # "at least five" keeps its open top
        ((0, 0), (None, None), (0, 0)),
    ],
)
def test_merge_into_widens_figures_and_unions_sources(
    a: tuple[int | None, int | None], b: tuple[int | None, int | None], merged: Any
) -> None:
    existing = cand(killed_min=a[0], killed_max=a[1])
    other = cand(
        killed_min=b[0],
        killed_max=b[1],
        sources=[{"article": "x", "published": "2023-11-12", "quote": "Another report."}],
    )
    out = merge_into(existing, other)
    assert (out.killed_min, out.killed_max) == merged
    assert out.id == existing.id
    assert [s.article for s in out.sources] == [s.article for s in existing.sources] + ["x"]
    assert merge_into(out, other).sources == out.sources  # the same report is not added twice


def test_highlight_escapes_and_marks() -> None:
    text = 'Hi <script>alert(1)</script>. The "attack" happened. Bye.'
    html = highlight(text, ['The "attack" happened.'])
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<mark>The &quot;attack&quot; happened.</mark>" in html


def test_cli_ingest_pending_then_accept(tmp_path: Path) -> None:
    store = tmp_path / "atlas.sqlite"
    article = tmp_path / "conoco.txt"
    article.write_text(
        "A drone attack targeted US forces at the Conoco gas field in eastern Syria on "
        "Tuesday, a US defense official said. There were no injuries.",
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if k != "ATLAS_STORE"}

    def run(*args: str) -> Any:
        out = subprocess.run(
            [sys.executable, "-m", "geo", *args, "--store", str(store)],
            cwd=ROOT, capture_output=True, text=True, timeout=120, env=env,
        )  # fmt: skip
        assert out.returncode == 0, out.stderr
        return json.loads(out.stdout)

    first = run("ingest", str(article), "--published", "2024-02-07")
    assert (first["stored"], first["review"]) == (1, "pending")
    shown = {f["id"] for f in run("incidents")["features"]}
    # the map shows accepted incidents unless asked: the new one is the only pending record
    [pending] = [f for f in run("incidents", "--pending")["features"] if f["id"] not in shown]
    assert pending["properties"]["site_id"] == "conoco"
    assert pending["properties"]["review"] == "pending"
    again = run("ingest", *map(str, sorted(ARTICLES_DIR.glob("*.txt"))))
    # a new reading of a curated attack is a new, pending record flagged for an analyst to
    # merge: the curated record is neither replaced nor downgraded
    assert again["stored"] >= 13 and again["likely_duplicates"] >= 13
    assert again["already_in_store"] == []
    curated = {i.id for i in CURATED}
    assert curated <= {f["id"] for f in run("incidents")["features"]}  # still accepted
    assert run("ingest", *map(str, sorted(ARTICLES_DIR.glob("*.txt"))))["stored"] == 0
    accepted = run("ingest", str(article), "--published", "2024-02-07", "--accept")
    assert accepted["already_in_store"]  # pending already; acceptance is the review page's job
