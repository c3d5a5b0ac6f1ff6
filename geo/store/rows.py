"""An incident as a row of the stores' tables, and its content hash.

The row: the scalar fields as they are (dates as ISO text), ``weapons`` and ``sources`` as JSON
text.  The content hash: sha256 of the canonical JSON of the whole model dump
(``json.dumps(..., sort_keys=True, ensure_ascii=False)``).  Stores on disk hold these hashes,
so the text they are taken of never changes; the fast paths here are held to ``json.dumps``
byte for byte by tests/test_content_hash.py.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from geo.frame import COLUMNS, finish
from geo.model import Incident, Source

#: the columns of the incidents table (the model's fields), lists and sources held as JSON text
SCALAR_FIELDS: tuple[str, ...] = tuple(
    f for f in Incident.model_fields if f not in ("weapons", "sources")
)


def json_encoder(*, sort_keys: bool, ensure_ascii: bool) -> Callable[[Any], str]:
    """``lambda obj: json.dumps(obj, sort_keys=..., ensure_ascii=...)``, built once.

    ``json.dumps`` with any non-default argument builds a new :class:`json.JSONEncoder`, and
    every ``encode`` builds a new C encoder: several microseconds per call, and the import calls
    it three times per row.  This builds the C encoder once with the very arguments ``dumps``
    gives it, so the text is the same byte for byte (only the circular-reference check, which
    changes no output, is off).  Without the C accelerator it falls back to the encoder."""
    if json.encoder.c_make_encoder is None:  # pragma: no cover - CPython always has it
        return json.JSONEncoder(sort_keys=sort_keys, ensure_ascii=ensure_ascii).encode
    strings = (
        json.encoder.encode_basestring_ascii if ensure_ascii else json.encoder.encode_basestring
    )
    encode = json.encoder.c_make_encoder(
        None, json.JSONEncoder().default, strings, None, ": ", ", ", sort_keys, False, True
    )
    return lambda obj: "".join(encode(obj, 0))


#: the canonical JSON the content hash is taken of (stores on disk hold these hashes: never
#: change the text it gives, or a re-imported file stops being recognised as duplicates)
canonical_json = json_encoder(sort_keys=True, ensure_ascii=False)
#: the ``weapons`` and ``sources`` columns' JSON text
weapons_json = json_encoder(sort_keys=False, ensure_ascii=True)
sources_json = json_encoder(sort_keys=False, ensure_ascii=False)

#: the columns :func:`row_values` gives, in its order (the store adds ``content_hash`` and
#: ``batch_id`` after them)
ROW_FIELDS: tuple[str, ...] = (*SCALAR_FIELDS, "weapons", "sources")


def digest_json(data: dict[str, Any]) -> str:
    """sha256 of ``json.dumps(data, sort_keys=True, ensure_ascii=False)`` (UTF-8)."""
    return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()


def content_hash(inc: Incident) -> str:
    """sha256 of the canonical JSON of every field: equal hash = same content."""
    return digest_json(inc.model_dump(mode="json"))


#: the canonical JSON's keys in its (sorted) order, each with the text written before its value
CANONICAL_KEYS: tuple[tuple[str, str], ...] = tuple(
    (("{" if n == 0 else ", ") + json.encoder.encode_basestring(key) + ": ", key)
    for n, key in enumerate(sorted(Incident.model_fields))
)
#: a source's fields are declared in sorted order, so the ``sources`` column's JSON (fields in
#: declared order) is also their canonical JSON and need not be written twice.  Should that
#: stop being true, :func:`canonical_text` writes the sources again, with sorted keys.
SOURCES_IN_KEY_ORDER = list(Source.model_fields) == sorted(Source.model_fields)
_encode_str = json.encoder.encode_basestring


def value_json(value: Any) -> str:
    """``json.dumps(value, sort_keys=True, ensure_ascii=False)``; str, None, int and finite
    floats written here (most of a row), anything else by the encoder itself."""
    kind = value.__class__
    if kind is str:
        return _encode_str(value)
    if value is None:
        return "null"
    if kind is int:
        return int.__repr__(value)
    if kind is float and math.isfinite(value):
        return float.__repr__(value)
    return canonical_json(value)


def canonical_text(data: dict[str, Any], weapons: str, sources: str) -> str:
    """``json.dumps(data, sort_keys=True, ensure_ascii=False)`` for a model dump whose
    ``weapons`` and ``sources`` columns are already written (``weapons``, ``sources``): the
    keys' text is written once per process and the columns' text is reused where it is
    identical (``weapons`` when nothing in it needed a ``\\u`` escape, ``sources`` when
    :data:`SOURCES_IN_KEY_ORDER`).  tests/test_content_hash.py holds it to ``json.dumps``."""
    if len(data) != len(CANONICAL_KEYS):  # not a whole dump: the encoder decides
        return canonical_json(data)
    if "\\u" in weapons:
        weapons = canonical_json(data["weapons"])
    if not SOURCES_IN_KEY_ORDER:
        sources = canonical_json(data["sources"])
    parts = []
    for prefix, key in CANONICAL_KEYS:
        if key == "sources":
            parts.append(prefix + sources)
        elif key == "weapons":
            parts.append(prefix + weapons)
        else:
            parts.append(prefix + value_json(data[key]))
    parts.append("}")
    return "".join(parts)


def dump_values(data: dict[str, Any]) -> tuple[list[Any], str]:
    """The values for :data:`ROW_FIELDS` (scalars as they are, dates as ISO text, lists as
    JSON) and the content hash of an incident's ``model_dump(mode="json")``: the import's hot
    path, so no dict per row and no text written twice."""
    values = [data[f] for f in SCALAR_FIELDS]
    weapons, sources = weapons_json(data["weapons"]), sources_json(data["sources"])
    values.append(weapons)
    values.append(sources)
    text = canonical_text(data, weapons, sources)
    return values, hashlib.sha256(text.encode("utf-8")).hexdigest()


def row_values(inc: Incident) -> tuple[list[Any], str]:
    """:func:`dump_values` of the incident: its row's values and its :func:`content_hash`."""
    return dump_values(inc.model_dump(mode="json"))


def row_and_hash(inc: Incident) -> tuple[dict[str, Any], str]:
    """:func:`to_row` and :func:`content_hash` together, from one dump."""
    values, digest = row_values(inc)
    return dict(zip(ROW_FIELDS, values, strict=True)), digest


@dataclass(slots=True)
class DumpedIncident:
    """A validated incident as ``model_dump(mode="json")`` gives it.  ``import_batch`` takes it
    in place of the :class:`~geo.model.Incident`, with the same result (it makes the row with
    :func:`dump_values`): :mod:`geo.ingest_parallel` validates in one process, writes in another."""

    data: dict[str, Any]

    @property
    def id(self) -> str:
        return self.data["id"]


@dataclass(slots=True)
class PreparedRow:
    """A validated incident already made into its row (``values``, ``content_hash``: what
    :func:`dump_values` gives).  ``import_batch`` takes it in place of the incident, with the
    same result."""

    id: str
    values: list[Any]
    content_hash: str


def to_row(inc: Incident) -> dict[str, Any]:
    """An incident as a flat row: scalars as they are, dates as ISO text, lists as JSON."""
    return row_and_hash(inc)[0]


def from_row(row: dict[str, Any]) -> Incident:
    """The inverse of :func:`to_row`.  Extra keys (``content_hash``, ``batch_id``) are ignored;
    ``weapons``/``sources`` may be JSON text or already decoded (PostgreSQL ``jsonb``) and dates
    ISO text or :class:`datetime.date`."""
    data = {f: row[f] for f in Incident.model_fields}
    for key in ("weapons", "sources"):
        if isinstance(data[key], str | bytes):
            data[key] = json.loads(data[key])
    return Incident.model_validate(data)


def rows_to_frame(rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    """Rows a store read into the frame (:mod:`geo.frame`), in their order.  A row is a
    tuple of the model's fields in :data:`geo.frame.COLUMNS` order as the table holds them:
    dates as ISO text or dates, ``weapons`` as JSON text, ``sources`` as the frame's JSON text.
    The rows were validated when they were stored.

    No dict or model object per row and no type guessing: every column starts as objects and
    :func:`geo.frame.finish` gives it its type, decoding each distinct date and weapon list
    once, so a million rows load in seconds."""
    return finish(pd.DataFrame(rows, columns=list(COLUMNS), dtype=object))
