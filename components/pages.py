"""The app's pages, which of them a connection sees (``app.py`` builds the navigation from
:func:`navigation`), and the page objects other pages switch to (``st.switch_page``).

Every page reads.  The pages that write (Add reporting, Import) are for a connection that may
write (:attr:`geo.store.Access.can_write`): a viewer, or any role in the read-only mode, gets
the batch list in place of Import and no Add reporting at all.  The store refuses a write
anyway (a stale page): this only keeps people from offering work that would be refused.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from geo.store import Access


@dataclass(frozen=True)
class PageSpec:
    url_path: str
    title: str
    render: Callable[[], None]
    default: bool = False

    def page(self) -> st.Page:
        """The Streamlit page.  Made when asked, in a script run: ``st.Page`` made outside one
        (a module imported by plain Python) is left half-built.  Pages with one ``url_path``
        are one page to ``st.switch_page``."""
        return st.Page(self.render, title=self.title, url_path=self.url_path, default=self.default)


def _render(module: str) -> Callable[[], None]:
    """``components.<module>.render``, imported on the page's first run: opening the map does
    not wait for the other pages' imports (the extractor, the importers)."""

    def render() -> None:
        importlib.import_module(f"components.{module}").render()

    render.__name__ = render.__qualname__ = module
    return render


MAP = PageSpec("map", "Map", _render("map_page"), default=True)
REVIEW = PageSpec("review", "Add reporting", _render("review_page"))
IMPORT = PageSpec("import", "Import", _render("import_page"))
#: the import page for a connection that may not write: its batch list only
BATCHES = PageSpec("import", "Batches", _render("import_page"))
#: every page, for a connection that may write; the first is the default
ALL = (MAP, REVIEW, IMPORT)
#: what a connection that only reads sees
READ_ONLY = (MAP, BATCHES)


def visible_pages(access: Access) -> list[PageSpec]:
    """The pages, in navigation order; the first is the default."""
    return list(ALL if access.can_write else READ_ONLY)


def navigation(access: Access) -> list[st.Page]:
    """The Streamlit pages of :func:`visible_pages`, for ``st.navigation``."""
    return [spec.page() for spec in visible_pages(access)]


def read_only_notice(access: Access) -> str:
    """Why this connection only reads, for the pages to say so."""
    if access.read_only:
        return "Read-only display: this app was started with --read-only (or ATLAS_READ_ONLY)."
    return (
        f"Read-only: connected as {access.user}, role {access.role}. Importing and reviewing "
        "need the analyst role."
    )
