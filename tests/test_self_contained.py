"""The repository stands on its own: a clone with nothing beside it runs every test.

No tracked file may reach outside the repository for data (``../shared``, or the same written as
``ROOT.parent / "shared"``); what the tests read lives in ``tests/fixtures`` with its sources.
"""

from __future__ import annotations

import hashlib
import re
import subprocess

from geo.paths import ROOT

FIXTURES = ROOT / "tests" / "fixtures"
#: ways of pointing at a sibling directory ``shared`` of the repository (this file is exempt:
#: it has to spell the patterns out)
OUTSIDE = re.compile(r"\.\./+shared|\.\.\\shared|parent\s*/\s*[\"']shared[\"']")
#: fixture -> sha256, as SOURCES.md records it
PINNED = {
    "ucdp_ged_sample_BGD.csv": "2f1f6a3db17c45ab14afa20955790bb94a1ac7ebdd8e7779c2aad9d085fe6113",
}


def tracked_files() -> list[str]:
    out = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, timeout=60
    )
    return [name for name in out.stdout.decode().split("\0") if name]


def test_the_pattern_catches_what_it_should() -> None:
    caught = ['ROOT.parent / "shared" / "fixtures"', "../shared/fixtures/x.csv", "..//shared"]
    assert all(OUTSIDE.search(text) for text in caught)
    assert not OUTSIDE.search('ROOT / "tests" / "fixtures"  # a shared PostGIS store')


def test_no_tracked_file_refers_outside_the_repository() -> None:
    files = tracked_files()
    assert "tests/fixtures/ucdp_ged_sample_BGD.csv" in files  # the fixtures are committed
    offenders = []
    for name in files:
        if name == "tests/test_self_contained.py":
            continue
        path = ROOT / name
        if not path.is_file():
            continue  # deleted in the work tree, not yet committed
        text = path.read_bytes().decode("utf-8", errors="replace")
        offenders += [
            f"{name}:{text.count(chr(10), 0, m.start()) + 1}: {m.group()}"
            for m in OUTSIDE.finditer(text)
        ]
    assert offenders == []


def test_fixtures_are_the_copies_sources_md_describes() -> None:
    sources = (FIXTURES / "SOURCES.md").read_text(encoding="utf-8")
    for name, digest in PINNED.items():
        assert hashlib.sha256((FIXTURES / name).read_bytes()).hexdigest() == digest
        assert f"## {name}" in sources and digest in sources
    assert "CC BY 4.0" in sources and "UCDP" in sources
