"""The frame: one :class:`pandas.DataFrame` row per incident, the model's fields as typed columns.

Stores (:meth:`geo.store.base.Store.frame`), the frame cache and :func:`to_frame` build it, and
:mod:`geo.query`, the map and every exporter read it.  This module sits below both the store and
the query: it knows the model, never a store or a filter.

* :func:`finish` gives a frame of the model's columns its types (see there);
* ``sources`` is the JSON text of each row's source list, keys sorted
  (:func:`sources_text`), read back as models by :func:`sources_of` and, typed and in bulk, by
  :func:`article_lists` (Arrow's JSON reader; no text is cut by hand);
* days since :data:`EPOCH` (:func:`to_day`, :func:`from_day`) are the integers date filters
  and timelines work on.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pa_json

from geo.model import WEAPONS, Incident, Source

COLUMNS: tuple[str, ...] = tuple(Incident.model_fields)
#: text that may be missing: object, None where not given
TEXT_COLUMNS = (
    "site_id", "admin1", "damage", "claimed_by", "attributed_to", "notes", "responds_to",
)  # fmt: skip
#: text that is always given: pandas' ``str`` dtype
STR_COLUMNS = (
    "id", "dataset", "event_type", "location", "country", "outcome", "status", "sources",
    "review",
)  # fmt: skip
INT_COLUMNS = ("date_precision", "geo_precision")
CASUALTY_COLUMNS = ("killed_min", "killed_max", "injured_min", "injured_max")
#: float64, NaN where not given
FLOAT_COLUMNS = ("longitude", "latitude", *CASUALTY_COLUMNS)
EPOCH = date(1970, 1, 1)
#: weapon -> its bit in the ``weapon_bits`` column
WEAPON_BIT: dict[str, int] = {w: 1 << k for k, w in enumerate(WEAPONS)}


def to_frame(incidents: Iterable[Incident]) -> pd.DataFrame:
    """A frame of model incidents (the store builds the same frame from its rows)."""
    rows = []
    for inc in incidents:
        row = dict(inc)
        row["sources"] = sources_text([s.model_dump(mode="json") for s in inc.sources])
        rows.append(row)
    return finish(pd.DataFrame(rows, columns=list(COLUMNS)))


def finish(frame: pd.DataFrame) -> pd.DataFrame:
    """Give a frame of the model's columns the types queries rely on, and derived columns:

    * text always given (:data:`STR_COLUMNS`) is pandas' ``str``; other text
      (:data:`TEXT_COLUMNS`) holds None for "not given" (pandas would put NaN, which is truthy);
      numbers are int64 (:data:`INT_COLUMNS`) or float64 with NaN for "not given";
    * ``date_start``/``date_end`` are :class:`datetime.date`; ``day_start``/``day_end`` the same
      as days since 1970-01-01 (int), for fast range filters;
    * ``weapons`` is a tuple; ``weapon_bits`` the same as a bit mask (see :data:`WEAPON_BIT`);
    * ``sources`` is the JSON text of the source list (parse with :func:`sources_of`), so a
      million rows need no million objects.

    It takes model values (dates, tuples) as well as a store's text (ISO dates, weapons as
    JSON; str, or UTF-8 bytes, which SQLite hands over faster), and decodes each *distinct*
    date, weapon list and optional text once: a million stored rows hold a few thousand dates
    and a few dozen weapon lists, so loading them takes seconds.
    """
    for col in STR_COLUMNS:
        frame[col] = _text(frame[col])
    for col in INT_COLUMNS:
        frame[col] = frame[col].astype("int64")
    for col in TEXT_COLUMNS:
        frame[col] = _optional_text(frame[col])
    for col in FLOAT_COLUMNS:
        frame[col] = frame[col].astype("float64")
    for col, day in (("date_start", "day_start"), ("date_end", "day_end")):
        codes, dates = _distinct(frame[col], _as_date)
        frame[col] = _objects(dates)[codes]
        frame[day] = np.array([to_day(d) for d in dates], dtype=np.int64)[codes]
    codes, weapons = _distinct(frame["weapons"], _as_weapons)
    frame["weapons"] = _objects(weapons)[codes]
    bits = [sum(WEAPON_BIT[w] for w in ws) for ws in weapons]
    frame["weapon_bits"] = np.array(bits, dtype=np.int64)[codes]
    return frame


def _distinct(values: pd.Series, decode: Callable[[Any], Any]) -> tuple[np.ndarray, list[Any]]:
    """Each row's code and the distinct values decoded: ``decode`` runs once per distinct
    value, not once per row.  Every row must hold a value."""
    try:
        codes, uniques = pd.factorize(values.array)
    except TypeError:  # lists (unhashable): as tuples
        hashable = [tuple(v) if isinstance(v, list) else v for v in values]
        codes, uniques = pd.factorize(_objects(hashable))
    if len(codes) and codes.min() < 0:
        raise ValueError(f"{values.name}: a row has no value")
    return codes, [decode(u) for u in uniques]


def _objects(values: list[Any]) -> np.ndarray:
    """A 1-d object array of ``values`` (numpy would unpack tuples into a second dimension)."""
    out = np.empty(len(values), dtype=object)
    for k, value in enumerate(values):
        out[k] = value
    return out


def _text(values: pd.Series) -> pd.Series:
    """Text that is always given, as pandas' ``str``; UTF-8 bytes are checked and decoded by
    Arrow, in C++."""
    if values.dtype == object and len(values) and isinstance(values.iloc[0], bytes):
        utf8 = pa.array(values.to_numpy(), type=pa.large_binary()).cast(pa.large_string())
        return pd.Series(pd.array(utf8, dtype="str"), index=values.index)
    return values.astype("str")


def _optional_text(values: pd.Series) -> pd.Series:
    """Text that may be missing, as objects with None for "not given" (pandas would put NaN,
    which is truthy).  Bytes are decoded once per distinct value, and equal texts share one
    object."""
    codes, uniques = pd.factorize(values.array)
    decoded = _objects([u.decode() if isinstance(u, bytes) else u for u in uniques] + [None])
    return pd.Series(decoded[codes], index=values.index, dtype=object)  # code -1: None


def _as_date(value: Any) -> date:
    """A date from ISO text (a store's), or from a date (a model's; a datetime gives its day)."""
    if isinstance(value, bytes):
        value = value.decode()
    if isinstance(value, str):
        return date.fromisoformat(value)
    return value if type(value) is date else pd.Timestamp(value).date()


def _as_weapons(value: Any) -> tuple[str, ...]:
    """A weapon list from JSON text (a store's) or a sequence (a model's)."""
    return tuple(json.loads(value) if isinstance(value, str | bytes) else value)


@lru_cache(maxsize=4096)
def _parse_sources(text: str) -> tuple[Source, ...]:
    return tuple(Source.model_construct(**s) for s in json.loads(text))


#: a row's ``sources`` as the frame holds them: ``json.dumps(sources, ensure_ascii=False,
#: sort_keys=True)`` of the sources' ``model_dump(mode="json")`` (the encoder made once)
sources_text: Callable[[Any], str] = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode


def sources_of(value: str | Iterable[Source]) -> tuple[Source, ...]:
    """The sources of a frame row (stored as JSON text)."""
    if isinstance(value, str):
        return _parse_sources(value)
    return tuple(value)


def to_day(d: date) -> int:
    """Days since :data:`EPOCH`."""
    return (d - EPOCH).days


def from_day(day: int) -> date:
    """The date ``day`` days after :data:`EPOCH`."""
    return EPOCH + timedelta(days=day)


#: the part of a ``sources`` list the bulk reader keeps, as Arrow types (the reader skips the
#: other fields: a long quote is scanned, never copied)
_ARTICLES = pa.schema([("sources", pa.list_(pa.struct([("article", pa.string())])))])
#: the smallest block Arrow's JSON reader is given (a block holds whole rows)
_JSON_BLOCK = 1 << 20


def article_lists(column: pd.Series) -> tuple[np.ndarray, list[tuple[str, ...]]]:
    """Each row's source articles, in order, as a code into the distinct lists (a few outlets
    or articles repeat across many rows).

    The JSON text is read by Arrow's JSON reader into a typed list of structs, in C++: a
    million rows make no million Python objects, and only distinct names reach Python.  A
    column of source objects (not text) is read row by row."""
    texts = _as_text(column)
    if texts is None:
        known: dict[tuple[str, ...], int] = {}
        codes = [
            known.setdefault(tuple(s.article for s in sources_of(v)), len(known)) for v in column
        ]
        return np.array(codes, dtype=np.int64), list(known)
    lists = _read_sources(texts)
    lengths = pc.list_value_length(lists).to_numpy(zero_copy_only=False).astype(np.int64)
    articles = pc.struct_field(lists.flatten(), [0])
    if articles.null_count:
        raise ValueError("sources: a source has no article")
    encoded = pc.dictionary_encode(articles)
    names: list[str] = encoded.dictionary.to_pylist()
    name_codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    starts = np.cumsum(lengths) - lengths
    known = {(name,): k for k, name in enumerate(names)}
    codes = np.empty(len(lengths), dtype=np.int64)
    single = lengths == 1
    codes[single] = name_codes[starts[single]]
    for r in np.flatnonzero(~single):
        found = tuple(names[c] for c in name_codes[starts[r] : starts[r] + lengths[r]])
        codes[r] = known.setdefault(found, len(known))
    return codes, list(known)


def _as_text(column: pd.Series) -> pa.LargeStringArray | None:
    """The column as one Arrow text array (None when it holds objects, not text)."""
    try:
        texts = pa.array(column, type=pa.large_string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    if isinstance(texts, pa.ChunkedArray):  # pragma: no cover - depends on pandas' storage
        texts = texts.combine_chunks()
    if texts.null_count:
        raise ValueError("sources: a row has no value")
    return texts


def _read_sources(texts: pa.LargeStringArray) -> pa.ListArray:
    """The ``sources`` texts read by Arrow's JSON reader, one ``{"sources": ...}`` line per
    row.  A raw line break (``\\n`` or ``\\r``) can only be whitespace between JSON tokens
    (inside a string it is escaped), so a text holding one is read again with it made a space."""
    try:
        return _read_lines(texts)
    except pa.ArrowInvalid:
        pass
    try:
        return _read_lines(pc.replace_substring_regex(texts, "[\r\n]", " "))
    except pa.ArrowInvalid as exc:
        raise ValueError(f"sources: expected a JSON list of sources per row; {exc}") from None


def _read_lines(texts: pa.LargeStringArray) -> pa.ListArray:
    text = pa.large_string()
    lines = pc.binary_join_element_wise(
        pa.scalar('{"sources":', text), texts, pa.scalar("}\n", text), pa.scalar("", text)
    )
    if not len(lines):
        return pa.array([], type=_ARTICLES.field("sources").type)
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int64)
    data = lines.buffers()[2][int(offsets[lines.offset]) : int(offsets[lines.offset + len(lines)])]
    longest = int(pc.max(pc.binary_length(lines)).as_py())
    table = pa_json.read_json(
        pa.BufferReader(data),
        read_options=pa_json.ReadOptions(block_size=max(_JSON_BLOCK, 2 * longest)),
        parse_options=pa_json.ParseOptions(
            explicit_schema=_ARTICLES, unexpected_field_behavior="ignore"
        ),
    )
    if table.num_rows != len(texts):
        raise ValueError(f"sources: expected {len(texts)} JSON lists, read {table.num_rows}")
    return table.column("sources").combine_chunks()
