"""Extraction of incidents from news articles.

``extract_articles(articles)`` / ``extract_text(text, published)`` return an
:class:`~geo.extract.result.Extraction`: validated :class:`geo.model.Incident` records, the links
between US strikes and the attacks they answer, the sentence every field was read from, the
incidents that could not be placed, and the sentences that were not incidents (and why).

Modules: :mod:`~geo.extract.readers` (seed, text, HTML), :mod:`~geo.extract.text` (sentences),
:mod:`~geo.extract.dates`, :mod:`~geo.extract.places` (+ :mod:`~geo.extract.towns`),
:mod:`~geo.extract.weapons`, :mod:`~geo.extract.casualties`, :mod:`~geo.extract.actors`,
:mod:`~geo.extract.events`, :mod:`~geo.extract.sentence`, :mod:`~geo.extract.extractor`,
:mod:`~geo.extract.merge`, :mod:`~geo.extract.evaluate`, :mod:`~geo.extract.cli`.  The rules and
vocabularies are data: ``geo/extract/rules/*.toml``.
"""

from geo.extract.extractor import Extractor, default_extractor, extract_articles, extract_text
from geo.extract.result import Extraction, Link, Rejected, Unlocated

__all__ = [
    "Extraction",
    "Extractor",
    "Link",
    "Rejected",
    "Unlocated",
    "default_extractor",
    "extract_articles",
    "extract_text",
]
