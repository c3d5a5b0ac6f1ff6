"""Bad input, end to end: some 300 broken or hostile files through the real entry points.

Every case is a file written here (nothing hostile is kept in the repository), in one of the
formats ``acled``, ``ucdp``, ``csv`` (ours), ``geojson`` or an article (``.txt`` / ``.html``),
and goes through the real path: :func:`geo.ingest.import_file` (``read_items`` and a real
embedded store) or, for articles, :func:`geo.ingest.ingest_articles`.  A sample goes again
through ``python -m geo import --rejects`` in a subprocess, and another through the PostGIS
store.  Each case must end in exactly one of two ways:

* a :class:`geo.errors.DataFileError` whose message names the file, and nothing written (the
  store's incidents, rejects and batches are counted before and after, with SQL of our own);
* or every data row accounted for: ``stored + revised + duplicates + rejected == rows offered``
  (the rows the case wrote, counted here, not by the reader), each reject naming file, row,
  field, value and reason, the rows each case expects to be rejected rejected for the expected
  reason, the store grown by exactly ``stored`` rows, and every text that was stored coming back
  byte-identical (payloads are kept as they arrived: escaping is the renderer's job).  The
  rejects report of every case is written with :func:`geo.ingest.write_rejects` and read back:
  no cell may start like a formula.

Anything else -- another exception type, a lost row, an altered text -- fails the case.  The
module prints (and writes to ``artifacts/hardening-corpus.json``) how many cases ran, how they
ended, how many rows were offered, stored, rejected and lost, and how many crashed.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import pytest

from geo.io.spreadsheet import FORMULA_START, neutralise
from geo.paths import ROOT
from geo.store import Store, open_store
from tests.corpus.cases import (
    ARTIFACTS,
    CASES,
    TALLY,
    Case,
)
from tests.corpus.run import (
    run_import,
    table_counts,
)

# --- the tests --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, Path]]:
    path = tmp_path_factory.mktemp("corpus_store") / "atlas.sqlite"
    store = open_store(str(path))
    try:
        yield store, path
    finally:
        store.close()


@pytest.fixture(scope="module")
def article_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, Path]]:
    """Articles get a store of their own: the ids ``ingest_articles`` finds already stored are
    then only those other article cases wrote."""
    path = tmp_path_factory.mktemp("article_store") / "atlas.sqlite"
    store = open_store(str(path))
    try:
        yield store, path
    finally:
        store.close()


@pytest.fixture(scope="module", autouse=True)
def report(request: pytest.FixtureRequest) -> Iterator[None]:
    """Print the tally (and keep it in artifacts/) once the module has run."""
    yield
    if not TALLY["tried"]:
        return
    summary = {k: TALLY[k] for k in sorted(TALLY)}
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "hardening-corpus.json").write_text(json.dumps(summary, indent=1) + "\n")
    reporter = request.config.pluginmanager.getplugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(f"\nbad-input corpus: {json.dumps(summary)}")


def test_the_corpus_is_big_enough() -> None:
    assert len(CASES) >= 200, len(CASES)
    assert len({c.filename for c in CASES}) == len(CASES)
    assert {c.fmt for c in CASES} == {"acled", "ucdp", "csv", "geojson", "article"}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(case: Case, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    store, path = request.getfixturevalue(
        "article_store" if case.fmt == "article" else "corpus_store"
    )
    TALLY["tried"] += 1
    try:
        outcome = run_import(case, store, lambda: table_counts(path), tmp_path)
    except BaseException:
        TALLY["failed"] += 1
        raise
    TALLY[outcome.kind] += 1
    TALLY["rows offered"] += outcome.read
    TALLY["rows stored"] += outcome.stored
    TALLY["rows rejected"] += outcome.rejected
    TALLY["rows duplicate or revised"] += outcome.duplicates + outcome.revised
    TALLY["rows lost"] += outcome.read - (
        outcome.stored + outcome.rejected + outcome.duplicates + outcome.revised
    )


# --- the command line: a sample of the cases, in two runs ---------------------------------------

CLI_CASES = [c for c in CASES if c.cli]


def cli(store: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "geo", "import", *args, "--store", str(store)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={k: v for k, v in os.environ.items() if k != "ATLAS_STORE"},
    )


def test_the_cli_sample_is_varied() -> None:
    assert len(CLI_CASES) >= 25
    assert {c.fmt for c in CLI_CASES} == {"acled", "ucdp", "csv", "geojson"}
    assert any(c.error for c in CLI_CASES) and any(not c.error for c in CLI_CASES)


def test_cli_imports_the_sample_with_rows_accounted(tmp_path: Path) -> None:
    store = tmp_path / "cli.sqlite"
    open_store(str(store)).close()  # seeded, so the counts below are the sample's alone
    cases = [c for c in CLI_CASES if c.error is None and not c.either]
    paths = []
    for case in cases:
        case.write(tmp_path / case.filename)
        paths.append(str(tmp_path / case.filename))
    before = table_counts(store)
    rejects_csv = tmp_path / "rejects.csv"
    out = cli(store, *paths, "--rejects", str(rejects_csv))  # absolute: "-2+3.csv" is no option
    assert "Traceback" not in out.stderr, out.stderr
    summary = json.loads(out.stdout)
    assert out.returncode == 0, [f for f in summary["files"] if "error" in f]
    assert len(summary["files"]) == len(cases)
    for case, entry in zip(cases, summary["files"], strict=True):
        assert entry["file"] == case.filename
        assert entry["read"] == case.offered, (case.name, entry)
        accounted = sum(entry[k] for k in ("stored", "revised", "duplicates", "rejected"))
        assert accounted == case.offered, (case.name, entry)
        assert entry["rejected"] == sum(1 for r in case.rows if r.kind == "rejected"), case.name
    after = table_counts(store)
    assert after[0] == before[0] + summary["stored"]
    assert after[1] == before[1] + summary["rejected"]
    with open(rejects_csv, encoding="utf-8", newline="") as fh:
        table = list(csv.DictReader(fh))
    assert len(table) == summary["rejected"]
    names = {neutralise(c.filename) for c in cases}
    for row in table:
        assert row["file"] in names and row["row"].isdigit() and row["field"] and row["reason"]
        assert not any(v.startswith(FORMULA_START) for v in row.values()), row
    TALLY["cli files imported"] += len(cases)


def test_cli_refuses_bad_files_by_name_without_a_traceback(tmp_path: Path) -> None:
    store = tmp_path / "cli.sqlite"
    open_store(str(store)).close()
    cases = [c for c in CLI_CASES if c.error is not None or c.either]
    for case in cases:
        case.write(tmp_path / case.filename)
    before = table_counts(store)
    out = cli(store, *(str(tmp_path / c.filename) for c in cases))
    assert out.returncode != 0
    assert "Traceback" not in out.stderr, out.stderr
    summary = json.loads(out.stdout)
    errors = [line for line in out.stderr.splitlines() if line.startswith("error: ")]
    failed = [e for e in summary["files"] if "error" in e]
    assert len(errors) == len(failed) >= sum(1 for c in cases if c.error)
    for case in cases:
        path = str(tmp_path / case.filename)
        entry = next(e for e in summary["files"] if e["file"] in (path, case.filename))
        if case.error:
            assert "error" in entry, (case.name, entry)
            assert re.search(case.error, entry["error"]), (case.name, entry)
            assert any(line.startswith(f"error: {path}") for line in errors), case.name
    assert table_counts(store)[0] == before[0] + summary["stored"]
    TALLY["cli files refused"] += len(failed)


# --- the shared store: the same files through PostGIS -------------------------------------------

PG_CASES = [c for c in CASES if c.fmt != "article" and ("nul" in c.name or "ctrl" in c.name or "payload" in c.name or c.cli)]  # fmt: skip


def test_postgis_takes_the_hostile_sample_as_sqlite_does(postgis_url: str, tmp_path: Path) -> None:
    """NUL, surrogates and payloads through the PostGIS store: the same outcome per case, and
    nothing but a DataFileError escapes (PostgreSQL refuses NUL in text: the importer must
    reject it first)."""
    import psycopg

    from tests.postgis_server import fresh_schema

    with fresh_schema(postgis_url) as url:
        store = open_store(url)
        con = psycopg.connect(url, autocommit=True)
        try:

            def counts() -> tuple[int, int, int]:
                return tuple(  # type: ignore[return-value]
                    con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                    for t in ("incidents", "rejects", "batches")
                )

            for case in PG_CASES:
                run_import(case, store, counts, tmp_path)
                TALLY["postgis cases"] += 1
        finally:
            con.close()
            store.close()


def with_password(url: str, password: str) -> str:
    """``url`` with a password in its user part (the test cluster trusts, so any will do)."""
    parts = urlsplit(url)
    user, _, host = parts.netloc.rpartition("@")
    netloc = f"{user or 'postgres'}:{quote(password, safe='')}@{host}"
    return urlunsplit(parts._replace(netloc=netloc))


def test_the_cli_never_prints_the_store_password(postgis_url: str, tmp_path: Path) -> None:
    """Whatever happens -- a file refused, rows rejected, a server that cannot be reached --
    nothing the command line prints holds the password of a ``postgresql://`` store URL."""
    from tests.postgis_server import fresh_schema

    secret = "Pa55-w0rd;not'shown"
    good, bad = CASES[0], next(c for c in CASES if c.error == "never closes")
    for case in (good, bad):
        case.write(tmp_path / case.filename)
    files = [str(tmp_path / good.filename), str(tmp_path / bad.filename)]
    with fresh_schema(postgis_url) as url:
        runs = [
            cli(with_password(url, secret), *files, "--rejects", str(tmp_path / "r.csv")),
            cli(with_password("postgresql://atlas@/nodb?host=/nonexistent-dir", secret), *files),
        ]
    for out in runs:
        assert out.returncode != 0  # the broken file in each run
        assert "Traceback" not in out.stderr, out.stderr
        for text in (out.stdout, out.stderr, (tmp_path / "r.csv").read_text(encoding="utf-8")):
            assert secret not in text and quote(secret, safe="") not in text
    assert "***" in runs[1].stderr  # the unreachable server, named with its password hidden
    assert json.loads(runs[0].stdout)["stored"] > 0
