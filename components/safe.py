"""Showing untrusted text: escaped HTML only (Markdown would let a file add links or images)."""

from __future__ import annotations

import streamlit as st

from geo.markup import esc


def text(value: object, css_class: str = "") -> None:
    """Show article/file text as inert text."""
    st.html(f'<div class="{esc(css_class)}">{esc(value)}</div>')
