"""Streamlit UI pieces.  They display what ``geo`` computes; no parsing, no SQL, no rules."""
