"""Start the app's server with the map page's modules already in the process.

    python -m components.launch [streamlit run's options] [-- the app's options]

is ``streamlit run app.py`` (``scripts/app`` runs it), except that the modules the map's
first run needs (pandas and pyarrow, folium, the geo core, the map page) are imported before
the server listens.  With plain ``streamlit run`` the first visitor after a start waits for
them (about 0.8 s of the first map here: ``benchmarks/README.md``, "Imported before the first
visit"); the server takes that much longer to start instead.
"""

from __future__ import annotations

import importlib
import logging
import sys
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "app.py"
#: what the map page's runs import: the router, the map page, the embedded store, and the
#: page's second half (drawn once the map is)
FIRST_RUN = (
    "components.pages",
    "components.map_page",
    "geo.store.embedded",
    "components.charts",
    "components.export_panel",
    "components.site_panel",
    "components.tables",
)


def preload(names: tuple[str, ...] = FIRST_RUN) -> None:
    """Import ``names``.  Outside a script run Streamlit's caches and components log that they
    have no script context: expected here, so quiet while importing."""
    context_log = logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context")
    level = context_log.level
    context_log.setLevel(logging.ERROR)
    try:
        for name in names:
            importlib.import_module(name)
    finally:
        context_log.setLevel(level)


def main(argv: list[str] | None = None) -> None:
    preload()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(APP), *(sys.argv[1:] if argv is None else argv)]
    cli.main()


if __name__ == "__main__":
    main()
