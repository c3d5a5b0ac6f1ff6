"""``components/launch.py``: the server started with the map page's modules already imported.

The browser tests start the app through it (``conftest.atlas_app_server``), as ``scripts/app``
does; these check what it does before Streamlit takes over."""

from __future__ import annotations

import subprocess
import sys

from components import launch
from geo.paths import ROOT


def test_preload_imports_what_the_map_pages_first_run_needs() -> None:
    # in a fresh interpreter: this one has imported most of it already
    code = (
        "import sys; from components.launch import preload; preload(); "
        "print(all(m in sys.modules for m in "
        "('pandas', 'pyarrow', 'folium', 'geo.store.embedded', 'components.map_page')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "True"
    # quiet: Streamlit's "missing ScriptRunContext" warnings are expected outside a run
    assert "ScriptRunContext" not in out.stderr


def test_main_runs_streamlit_on_the_router_with_the_arguments_given(monkeypatch) -> None:
    seen: list[list[str]] = []
    monkeypatch.setattr(launch, "preload", lambda: None)
    monkeypatch.setattr("streamlit.web.cli.main", lambda: seen.append(list(sys.argv)))
    monkeypatch.setattr(sys, "argv", list(sys.argv))
    launch.main(["--server.port", "8600", "--", "--store", "x.sqlite"])
    assert seen == [
        ["streamlit", "run", str(ROOT / "app.py"), "--server.port", "8600", "--", "--store",
         "x.sqlite"]
    ]  # fmt: skip
