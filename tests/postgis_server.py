"""A PostgreSQL + PostGIS server for the tests and the benchmarks.

:func:`running_postgis` yields the ``postgresql://`` URL of a database that has the PostGIS
extension:

* when ``ATLAS_TEST_POSTGRES`` is set, that URL, as it is (the role must be allowed to create
  schemas in it; PostGIS is created if missing and the role may);
* otherwise a throwaway cluster from Debian's PostgreSQL 15 binaries
  (``postgresql-15``, ``postgresql-15-postgis-3``; ``scripts/setup --test`` installs them):
  ``initdb`` in a temporary directory, trust authentication, listening only on a Unix socket in
  that directory (so it never clashes with another server or port), durability switched off
  for speed.  It is stopped and removed when the block ends.  Run as root, the server runs as
  the ``postgres`` OS user (PostgreSQL refuses to run as root).

Missing binaries raise :class:`PostgisUnavailable`; the pytest fixture turns that into a
failure, never a skip.

:func:`fresh_schema` gives each test an empty store cheaply: a new schema in that database,
named first in the URL's ``search_path``, dropped afterwards.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

ENV = "ATLAS_TEST_POSTGRES"
PG_BIN = Path("/usr/lib/postgresql/15/bin")
POSTGIS_CONTROL = Path("/usr/share/postgresql/15/extension/postgis.control")
DATABASE = "atlas_test"
INSTALL_HINT = (
    "install Debian's postgresql-15 and postgresql-15-postgis-3 (scripts/setup --test does), "
    f"or set {ENV} to the postgresql:// URL of a database with PostGIS"
)


class PostgisUnavailable(RuntimeError):
    """No PostgreSQL/PostGIS to test against."""


def _connect(url: str, password: str | None = None):  # -> psycopg.Connection
    import psycopg

    extra = {"password": password} if password else {}
    return psycopg.connect(url, autocommit=True, **extra)


def _run(cmd: list[str], cwd: Path) -> None:
    """Run a server binary, as ``postgres`` when we are root; its output goes in the error."""
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise PostgisUnavailable(
            f"{' '.join(cmd)} failed with code {done.returncode}:\n{done.stdout}{done.stderr}"
        )


def check_binaries() -> None:
    missing = [
        str(p)
        for p in (PG_BIN / "initdb", PG_BIN / "pg_ctl", PG_BIN / "postgres", POSTGIS_CONTROL)
        if not p.exists()
    ]
    if missing:
        raise PostgisUnavailable(f"missing {', '.join(missing)}: {INSTALL_HINT}")


@contextmanager
def throwaway_cluster(password: str | None = None) -> Iterator[str]:
    """Start a private cluster; yield the URL of database :data:`DATABASE` with PostGIS.

    With ``password`` the cluster asks every connection for it (``scram-sha-256``, the
    ``postgres`` role's password) instead of trusting, and the URL does not hold it."""
    check_binaries()
    top = Path(tempfile.mkdtemp(prefix="atlas-pg-"))
    try:
        if os.geteuid() == 0:
            shutil.chown(top, "postgres", "postgres")
        data, log = top / "data", top / "server.log"
        auth = ["-A", "trust"]
        if password:
            pwfile = top / "pwfile"
            pwfile.write_text(password + "\n", encoding="utf-8")
            if os.geteuid() == 0:
                shutil.chown(pwfile, "postgres", "postgres")
            auth = ["-A", "scram-sha-256", f"--pwfile={pwfile}"]
        _run(
            [
                *(str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", *auth),
                *("-E", "UTF8", "--locale=C", "--no-sync"),
            ],
            cwd=top,
        )
        options = " ".join(
            [
                "-c listen_addresses=''",
                f"-c unix_socket_directories='{top}'",
                "-c fsync=off",
                "-c synchronous_commit=off",
                "-c full_page_writes=off",
                "-c max_connections=40",
            ]
        )
        start = [str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60"]
        try:
            _run([*start, "-o", options, "start"], cwd=top)
        except PostgisUnavailable as exc:
            text = log.read_text(errors="replace") if log.exists() else "(no log)"
            raise PostgisUnavailable(f"{exc}\nserver log:\n{text}") from None
        try:
            host = quote(str(top), safe="")
            admin = f"postgresql://postgres@/postgres?host={host}"
            with _connect(admin, password) as conn:
                conn.execute(f"CREATE DATABASE {DATABASE}")
            url = f"postgresql://postgres@/{DATABASE}?host={host}"
            with _connect(url, password) as conn:
                conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
            yield url
        finally:
            _run([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"], top)
    finally:
        shutil.rmtree(top, ignore_errors=True)


@contextmanager
def running_postgis() -> Iterator[str]:
    """The URL of a database with PostGIS: ``ATLAS_TEST_POSTGRES`` or a throwaway cluster."""
    given = os.environ.get(ENV)
    if given:
        with _connect(given) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        yield given
        return
    with throwaway_cluster() as url:
        yield url


def with_search_path(url: str, *schemas: str) -> str:
    """``url`` with ``options=-c search_path=...`` (replacing any ``options`` it had)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "options"]
    query.append(("options", f"-c search_path={','.join(schemas)}"))
    return urlunsplit(parts._replace(query=urlencode(query, quote_via=quote)))


@contextmanager
def fresh_schema(url: str, prefix: str = "t") -> Iterator[str]:
    """A new empty schema in the database at ``url``; yields a URL that puts it first in the
    ``search_path`` (then ``public``, where PostGIS lives).  Dropped, with its tables, after."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with _connect(url) as conn:
        conn.execute(f"CREATE SCHEMA {name}")
    try:
        yield with_search_path(url, name, "public")
    finally:
        with _connect(url) as conn:
            conn.execute(f"DROP SCHEMA {name} CASCADE")
