"""The bad-input corpus: what a case is, the cases, and how one is run (tests/test_corpus.py)."""
