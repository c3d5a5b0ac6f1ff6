"""Arrows one way: the core (``geo/``) never imports Streamlit, the benchmarks or the tests, and
nothing outside ``geo/store`` uses the store's private names."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from geo.paths import ROOT

CORE = sorted((ROOT / "geo").rglob("*.py"))
OUTSIDE_STORE = [
    p
    for folder in ("geo", "components", "tests", "benchmarks", "scripts")
    for p in sorted((ROOT / folder).rglob("*.py"))
    if "store" not in p.relative_to(ROOT).parts[:2]
]


def _imports(path: Path) -> list[tuple[str, list[str]]]:
    """(module, imported names) for every import statement of a file."""
    out: list[tuple[str, list[str]]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(a.name, []) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.append((node.module, [a.name for a in node.names]))
    return out


@pytest.mark.parametrize("path", CORE, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_core_imports_no_ui_benchmark_or_test(path: Path) -> None:
    for module, _ in _imports(path):
        top = module.split(".")[0]
        assert top not in ("streamlit", "benchmarks", "tests", "components"), (path, module)


@pytest.mark.parametrize("path", OUTSIDE_STORE, ids=lambda p: str(p.relative_to(ROOT)))
def test_nothing_outside_the_store_uses_its_private_parts(path: Path) -> None:
    for module, names in _imports(path):
        if module.startswith("geo.store"):
            private = [n for n in names if n.startswith("_")]
            assert not private and "._" not in module, (path, module, private)
