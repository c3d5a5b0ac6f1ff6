"""Choosing and opening a store.

``--store`` (or ``ATLAS_STORE``) picks it: a ``postgresql://`` URL opens the shared PostGIS
store; anything else is a file path for the embedded store (created if missing).  With neither,
the embedded store lives at ``var/atlas.sqlite`` in the checkout.

Every store is kept in step with the bundled files (``geo.paths.BUNDLED_GEOJSON``: the seed
incidents and the campaign): when a bundled file's content has not been imported yet (first
run, or the file changed), it is imported as a batch like any other file (by a connection that
may write; a viewer or a read-only store shows what is there).

``read_only`` (``--read-only``, or ``ATLAS_READ_ONLY=1``) opens an existing store so that
nothing can be written to it, whatever the role: the briefing-room display.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from geo.errors import ValidationError
from geo.paths import BUNDLED_GEOJSON, INCIDENTS_GEOJSON, ROOT
from geo.store.base import Access, BatchInfo, BatchMeta, Reject, Store

__all__ = [
    "DEFAULT_STORE",
    "READ_ONLY_ENV",
    "Access",
    "BatchInfo",
    "BatchMeta",
    "Reject",
    "Store",
    "file_sha256",
    "open_store",
    "read_only_default",
    "store_url",
]

DEFAULT_STORE = ROOT / "var" / "atlas.sqlite"
ENV = "ATLAS_STORE"
READ_ONLY_ENV = "ATLAS_READ_ONLY"
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("", "0", "false", "no", "off")


def store_url(given: str | None = None) -> str:
    return given or os.environ.get(ENV) or str(DEFAULT_STORE)


def is_postgres(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://"))


def read_only_default() -> bool:
    """``ATLAS_READ_ONLY``: 1/true/yes/on, or 0/false/no/off/empty (unset: False)."""
    value = os.environ.get(READ_ONLY_ENV, "").strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValidationError(READ_ONLY_ENV, value, f"expected one of {', '.join(_TRUE + _FALSE[1:])}")


def open_store(
    url: str | None = None, *, bundled: bool = True, read_only: bool | None = None
) -> Store:
    """Open (creating if needed) the store at ``url``; with ``bundled``, make sure it holds the
    bundled incidents (each file of ``BUNDLED_GEOJSON``, when this connection may write).
    ``read_only`` (default: ``ATLAS_READ_ONLY``) opens an existing store that refuses every
    write."""
    url = store_url(url)
    if read_only is None:
        read_only = read_only_default()
    store: Store
    if is_postgres(url):
        from geo.store.postgis import PostgisStore

        store = PostgisStore(url, read_only=read_only)
    else:
        from geo.store.embedded import EmbeddedStore

        store = EmbeddedStore(Path(url), read_only=read_only)
    if bundled and store.access().can_write:
        for path in BUNDLED_GEOJSON:
            ensure_bundled(store, path)
    return store


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def ensure_bundled(store: Store, path: Path = INCIDENTS_GEOJSON) -> BatchInfo | None:
    """Import the bundled curated file unless this exact content is already in the store."""
    sha = file_sha256(path)
    if any(b.content_sha256 == sha for b in store.batches()):
        return None
    from geo.io.geojson import read_incidents  # only when the file is not in the store yet

    meta = BatchMeta(file_name=f"bundled:{path.name}", content_sha256=sha, format="geojson")
    return store.import_batch(meta, read_incidents(path))
