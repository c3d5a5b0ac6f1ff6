"""Arrows one way: the core (``geo/``) never imports Streamlit, the benchmarks or the tests, and
nothing outside ``geo/store`` uses the store's private names.  Rooms small enough to hold in the
head: no module of the core over :data:`MAX_LINES` lines."""

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
#: the most lines a module of the core may have
MAX_LINES = 600
#: modules still over it (issue 16 split the last ones): never add to it
OVER_MAX_LINES: set[str] = set()
SIZED = [p for p in CORE if p.relative_to(ROOT).as_posix() not in OVER_MAX_LINES]


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


STORE = ROOT / "geo" / "store"


def _store_modules(path: Path) -> set[str]:
    """The names a file binds to modules of ``geo.store`` (``from geo.store import base``,
    ``import geo.store.sql as sql``)."""
    bound: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module == "geo.store":
            bound |= {a.asname or a.name for a in node.names if (STORE / f"{a.name}.py").exists()}
        elif isinstance(node, ast.Import):
            bound |= {a.asname for a in node.names if a.name.startswith("geo.store.") and a.asname}
    return bound


@pytest.mark.parametrize("path", OUTSIDE_STORE, ids=lambda p: str(p.relative_to(ROOT)))
def test_nothing_outside_the_store_reads_a_private_name_of_its_modules(path: Path) -> None:
    """``base._digest`` is as private as ``from geo.store.base import _digest``."""
    modules = _store_modules(path)
    if not modules:
        return
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in modules
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        ):
            raise AssertionError(f"{path}:{node.lineno}: {node.value.id}.{node.attr}")


BELOW_THE_QUERY = [
    *sorted(STORE.rglob("*.py")),
    ROOT / "geo" / "frame.py",
    ROOT / "geo" / "columns.py",
]


@pytest.mark.parametrize("path", BELOW_THE_QUERY, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_store_and_the_frame_do_not_import_the_query(path: Path) -> None:
    """The frame and its typing sit below both the store and the query (geo/frame.py): the
    store builds frames without importing geo.query, and the frame knows no store."""
    for module, names in _imports(path):
        assert not module.startswith("geo.query"), (path, module)
        assert not (module == "geo" and "query" in names), (path, module, names)
        if path.parent != STORE:
            assert not module.startswith("geo.store"), (path, module)


@pytest.mark.parametrize("path", SIZED, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_of_the_core_is_too_big_to_read(path: Path) -> None:
    name = path.relative_to(ROOT).as_posix()
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{name}: expected at most {MAX_LINES} lines, got {lines}"


def test_the_allowance_for_big_modules_names_only_big_modules() -> None:
    # a module on the allow-list that has shrunk (or gone) must leave it
    for name in sorted(OVER_MAX_LINES):
        path = ROOT / name
        assert path.exists(), f"{name}: on the allow-list but gone"
        lines = len(path.read_text(encoding="utf-8").splitlines())
        assert lines > MAX_LINES, f"{name}: {lines} lines, no longer needs the allowance"
