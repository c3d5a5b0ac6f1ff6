"""Safe by default: ``scripts/app`` listens on this machine only unless told otherwise.

The app is started as the README says (``scripts/app``) on a free port, and the kernel's table
of listening sockets (``/proc/net/tcp`` and ``tcp6``) says which addresses it bound.  Told to
serve others (``ATLAS_ADDRESS``) in the read-only mode, it listens on every interface and a
real browser finds no page that writes.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import socket
import subprocess
import time
import tomllib
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import stop_process
from playwright.sync_api import expect

from geo.paths import BUNDLED_GEOJSON, ROOT
from geo.store import open_store

START_TIMEOUT = 90.0  # s: scripts/setup checks the venv first
expect.set_options(timeout=30_000)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _address(hex_addr: str) -> str:
    """An address as /proc/net/tcp{,6} writes it (little-endian 32-bit words) as text."""
    raw = bytes.fromhex(hex_addr)
    words = b"".join(raw[k : k + 4][::-1] for k in range(0, len(raw), 4))
    return str(ipaddress.ip_address(words))


def listening(port: int) -> set[str]:
    """The local addresses on which some socket listens on ``port``."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            addr, _, hexport = local.partition(":")
            if state == "0A" and int(hexport, 16) == port:  # 0A: LISTEN
                found.add(_address(addr))
    return found


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
            return r.status == 200
    except (urllib.error.URLError, OSError):
        return False


@contextlib.contextmanager
def scripts_app(store: Path, *args: str, env: dict[str, str] | None = None) -> Iterator[int]:
    """``scripts/app`` on a free port and ``store``; yields the port once the app answers."""
    port = free_port()
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in ("ATLAS_ADDRESS", "ATLAS_READ_ONLY", "STREAMLIT_SERVER_ADDRESS")
    }
    log = store.parent / f"app-{port}.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(ROOT / "scripts" / "app"), "--server.port", str(port), *args],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**base, "ATLAS_STORE": str(store), **(env or {})},
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not _healthy(port):
            assert time.monotonic() < deadline, log.read_text(errors="replace")
            with contextlib.suppress(subprocess.TimeoutExpired):
                code = proc.wait(timeout=0.25)  # returns at once if the app died
                pytest.fail(f"scripts/app exited with {code}: {log.read_text(errors='replace')}")
        yield port
    finally:
        stop_process(proc)


def test_the_config_keeps_loopback_and_xsrf() -> None:
    settings = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert settings["server"]["address"] == "127.0.0.1"
    assert settings["server"]["enableXsrfProtection"] is True
    from streamlit import config

    # as Streamlit reads them (an option it did not know would be ignored, not applied)
    assert config.get_option("server.address") == "127.0.0.1"
    assert config.get_option("server.enableXsrfProtection") is True


def test_scripts_app_listens_on_loopback_only(tmp_path: Path) -> None:
    with scripts_app(tmp_path / "atlas.sqlite") as port:
        assert listening(port) == {"127.0.0.1"}


@pytest.mark.browser
def test_serving_others_is_deliberate_and_read_only_shows_no_writing_page(
    tmp_path: Path, atlas_browser_chromium: Any
) -> None:
    store = tmp_path / "atlas.sqlite"
    open_store(str(store), read_only=False).close()  # the read-only mode opens, never makes
    with scripts_app(store, "--read-only", env={"ATLAS_ADDRESS": "0.0.0.0"}) as port:
        assert listening(port) == {"0.0.0.0"}
        page = atlas_browser_chromium.new_page()
        try:
            page.goto(f"http://127.0.0.1:{port}/")
            nav = page.get_by_test_id("stSidebarNav")
            expect(nav.get_by_role("link", name="Batches")).to_be_visible()
            links = [t.strip() for t in nav.get_by_role("link").all_inner_texts()]
            assert links == ["Map", "Batches"]
            nav.get_by_role("link", name="Batches").click()
            expect(page.get_by_text("Read-only display")).to_be_visible()
            expect(page.get_by_test_id("stDataFrame")).to_be_visible()
            assert page.locator('input[type="file"]').count() == 0
            page.goto(f"http://127.0.0.1:{port}/review")  # no such page for this app
            expect(nav.get_by_role("link", name="Map")).to_be_visible()
            assert page.get_by_role("button", name="Extract incidents").count() == 0
        finally:
            page.close()
    with open_store(str(store), read_only=False) as after:
        assert len(after.batches()) == len(BUNDLED_GEOJSON)
