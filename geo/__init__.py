"""Incident Atlas core: model, gazetteer, queries, map building and CLI.  Never imports Streamlit."""
