"""Shared pytest fixtures.

Browser tests (``tests/test_browser.py``, marker ``browser``) use the two ``atlas_browser_*``
fixtures below: the Streamlit app running as a subprocess, and Debian's Chromium driven by
Playwright.  Both are self-contained and only start when a test asks for them, so the rest of
the suite neither needs Playwright nor starts a server.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

ATLAS_BROWSER_ROOT = Path(__file__).resolve().parents[1]
ATLAS_BROWSER_CHROMIUM = Path("/usr/bin/chromium")
ATLAS_BROWSER_CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
)
ATLAS_BROWSER_START_TIMEOUT = 60.0  # s, for the app to answer its health check
#: a common laptop window: the default page does not fit, so the map is partly out of view (the
#: first click on a marker used to be lost then: tests/test_browser_screen.py)
ATLAS_BROWSER_VIEWPORT = {"width": 1600, "height": 1000}


def stop_process(proc: subprocess.Popen[bytes]) -> None:
    """Stop a server the tests started: politely, then for good after 15 s."""
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=15)


@pytest.fixture(autouse=True, scope="session")
def _frame_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Frames the app caches (geo.store.frame_cache) go to a temporary directory, not var/."""
    before = os.environ.get("ATLAS_FRAME_CACHE")
    os.environ["ATLAS_FRAME_CACHE"] = str(tmp_path_factory.mktemp("frames"))
    yield
    if before is None:
        os.environ.pop("ATLAS_FRAME_CACHE", None)
    else:
        os.environ["ATLAS_FRAME_CACHE"] = before


@dataclass(frozen=True)
class AtlasAppServer:
    """The running app: its base URL and the file its output goes to."""

    url: str
    log: Path
    process: subprocess.Popen[bytes]

    def log_text(self) -> str:
        try:
            return self.log.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:  # pragma: no cover - diagnostics only
            return f"(could not read {self.log}: {exc})"


def _atlas_browser_free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _atlas_browser_healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
            return resp.status == 200 and resp.read().strip() == b"ok"
    except (urllib.error.URLError, OSError):
        return False


def _atlas_browser_print(config: pytest.Config, text: str) -> None:
    """Print past pytest's output capture (a module fixture has no capsys)."""
    capman = config.pluginmanager.getplugin("capturemanager")
    if capman is None:
        print(text)
        return
    with capman.global_and_fixture_disabled():
        print(text)


@contextlib.contextmanager
def atlas_app_server(
    request: pytest.FixtureRequest, store: Path, folder: Path
) -> Iterator[AtlasAppServer]:
    """The app started as ``scripts/app`` starts it (``streamlit run app.py`` through
    :mod:`components.launch`) on a free port and the given store, waited for through its
    health endpoint; stopped on exit, its output printed when a test of the module failed."""
    port = _atlas_browser_free_port()
    url = f"http://localhost:{port}"
    log = folder / "streamlit.log"
    cmd = [sys.executable, "-m", "components.launch", "--server.port", str(port),
           "--server.headless", "true"]  # fmt: skip
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "ATLAS_STORE": str(store)}
    failed_before = request.session.testsfailed
    with log.open("wb") as out:
        proc = subprocess.Popen(
            cmd, cwd=ATLAS_BROWSER_ROOT, stdout=out, stderr=subprocess.STDOUT, env=env
        )
    server = AtlasAppServer(url=url, log=log, process=proc)
    try:
        deadline = time.monotonic() + ATLAS_BROWSER_START_TIMEOUT
        while not _atlas_browser_healthy(url):
            if time.monotonic() > deadline:
                pytest.fail(
                    f"the app did not answer {url}/_stcore/health within "
                    f"{ATLAS_BROWSER_START_TIMEOUT:.0f} s; its log:\n{server.log_text()}"
                )
            # The pause between two polls is a wait for the other thing we watch: the server
            # exiting early (returns at once if it did).
            try:
                code = proc.wait(timeout=0.25)
            except subprocess.TimeoutExpired:
                continue
            pytest.fail(f"the app exited with code {code} on start; its log:\n{server.log_text()}")
        yield server
    finally:
        if proc.poll() is None:
            stop_process(proc)
        if request.session.testsfailed > failed_before:
            _atlas_browser_print(
                request.config,
                f"\n----- streamlit log ({' '.join(cmd)}) -----\n{server.log_text()}"
                "----- end of streamlit log -----",
            )


@pytest.fixture(scope="module")
def atlas_browser_app(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[AtlasAppServer]:
    """The app on a fresh store of its own, seeded from the bundled data on first open (never
    the user's)."""
    folder = tmp_path_factory.mktemp("atlas_app")
    with atlas_app_server(request, folder / "atlas.sqlite", folder) as server:
        yield server


@pytest.fixture
def atlas_viewport() -> dict[str, int]:
    """The browser window's size for ``atlas_page`` (tests/test_browser.py); a module overrides
    this fixture to run its tests at other sizes."""
    return dict(ATLAS_BROWSER_VIEWPORT)


@pytest.fixture(scope="module")
def atlas_browser_chromium() -> Iterator[Any]:
    """Debian's Chromium through Playwright (never a downloaded browser).

    A missing Chromium fails the test: a CI run must not pass by skipping the browser tests.
    """
    if not ATLAS_BROWSER_CHROMIUM.exists():
        pytest.fail(
            f"{ATLAS_BROWSER_CHROMIUM} is missing: install Debian's chromium package "
            "(apt-get install chromium); the browser tests never download a browser"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(ATLAS_BROWSER_CHROMIUM), args=list(ATLAS_BROWSER_CHROMIUM_ARGS)
        )
        try:
            yield browser
        finally:
            browser.close()


#: URL schemes a page opened by :func:`offline_page` loads (what the page carries itself)
ATLAS_OFFLINE_SCHEMES: tuple[str, ...] = ("data", "about", "blob")


@pytest.fixture
def offline_page(atlas_browser_chromium: Any) -> Iterator[Callable[..., Any]]:
    """Open Chromium pages that reach no network: ``offline_page()`` gives a page in a context
    of its own where every request to another scheme than ``schemes`` (default
    :data:`ATLAS_OFFLINE_SCHEMES`; add ``"file"`` for an export opened from disk) is recorded
    in ``page.outside`` and aborted, and page errors are recorded in ``page.errors``.  The
    contexts close when the test ends."""
    contexts: list[Any] = []

    def open_page(
        *,
        width: int = 1200,
        height: int = 800,
        timeout_ms: int = 20_000,
        schemes: tuple[str, ...] = ATLAS_OFFLINE_SCHEMES,
    ) -> Any:
        context = atlas_browser_chromium.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        context.set_default_timeout(timeout_ms)
        outside: list[str] = []
        errors: list[str] = []

        def route(r: Any) -> None:
            if urlsplit(r.request.url).scheme in schemes:
                r.continue_()
            else:
                outside.append(r.request.url)
                r.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.outside, page.errors = outside, errors
        return page

    try:
        yield open_page
    finally:
        for context in contexts:
            context.close()


# --- PostGIS server (store tests; tests/postgis_server.py) ------------------------------------


@pytest.fixture(scope="session")
def postgis_url() -> Iterator[str]:
    """The ``postgresql://`` URL of a database with PostGIS, for the whole session:
    ``ATLAS_TEST_POSTGRES`` when set, else a throwaway cluster of Debian's PostgreSQL 15 that is
    stopped and removed at the end.  Missing binaries fail the test (never a skip)."""
    from contextlib import ExitStack

    from tests.postgis_server import PostgisUnavailable, running_postgis

    with ExitStack() as stack:
        try:
            url = stack.enter_context(running_postgis())
        except PostgisUnavailable as exc:
            pytest.fail(f"no PostgreSQL/PostGIS to test the PostGIS store against: {exc}")
        yield url


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Markers from what a test uses: ``postgis`` (the throwaway PostGIS server), ``browser``
    (Chromium), and ``slow`` for both, so ``scripts/test -m "not slow"`` is a quick loop."""
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        callspec = getattr(item, "callspec", None)
        params = set(map(str, callspec.params.values())) if callspec else set()
        if (
            "postgis_url" in names
            or any("postgis" in n or n.startswith("pg_") for n in names)
            or "postgis" in params
        ):
            item.add_marker(pytest.mark.postgis)
        if item.get_closest_marker("browser") or item.get_closest_marker("postgis"):
            item.add_marker(pytest.mark.slow)


# --- an empty store of each kind (embedded and PostGIS) ---------------------------------------


@pytest.fixture(params=["embedded", "postgis"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Where an empty store may be opened: a file path, or a URL naming a new schema."""
    if request.param == "embedded":
        yield str(tmp_path / "var" / "atlas.sqlite")
    else:
        from tests.postgis_server import fresh_schema

        with fresh_schema(request.getfixturevalue("postgis_url")) as url:
            yield url


@pytest.fixture
def store(store_url: str) -> Iterator[Any]:
    """An empty store (no bundled data) at ``store_url``: every test on it runs on both kinds."""
    from geo.store import open_store

    s = open_store(store_url, bundled=False)
    try:
        yield s
    finally:
        s.close()
