"""Which pages a connection sees (``app.py`` builds the navigation from this; no Streamlit here).

Every page reads.  The pages that write (Add reporting, Import) are for a connection that may
write (:attr:`geo.store.Access.can_write`): a viewer, or any role in the read-only mode, gets
the batch list in place of Import and no Add reporting at all.  The store refuses a write
anyway (a stale page): this only keeps people from offering work that would be refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from geo.store import Access


@dataclass(frozen=True)
class PageSpec:
    url_path: str
    title: str


MAP = PageSpec("map", "Map")
REVIEW = PageSpec("review", "Add reporting")
IMPORT = PageSpec("import", "Import")
#: the import page for a connection that may not write: its batch list only
BATCHES = PageSpec("import", "Batches")


def visible_pages(access: Access) -> list[PageSpec]:
    """The pages, in navigation order; the first is the default."""
    if access.can_write:
        return [MAP, REVIEW, IMPORT]
    return [MAP, BATCHES]


def read_only_notice(access: Access) -> str:
    """Why this connection only reads, for the pages to say so."""
    if access.read_only:
        return "Read-only display: this app was started with --read-only (or ATLAS_READ_ONLY)."
    return (
        f"Read-only: connected as {access.user}, role {access.role}. Importing and reviewing "
        "need the analyst role."
    )
