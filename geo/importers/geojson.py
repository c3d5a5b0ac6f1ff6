"""Our own GeoJSON (a FeatureCollection of :mod:`geo.model` features) -> incidents.

Streaming: :mod:`ijson` parses the features one at a time (bounded memory for any file
size).  Nesting
deeper than :data:`MAX_DEPTH` is a DataFileError before anything is built (ijson keeps the
whole path of every open level, so memory grows with the square of the depth: 100 KB of
brackets would take gigabytes).  A UTF-8 byte-order mark is skipped (RFC 8259 allows that).

Each feature goes through :func:`geo.model.from_feature` (the one place that reads the
``[longitude, latitude]`` pair) and the shared checks; a bad feature becomes a
:class:`~geo.store.base.Reject` whose ``row`` is the feature's 1-based position in
``features`` (``features[row - 1]``).  A file that is not JSON, or not a FeatureCollection, is a
:class:`~geo.errors.DataFileError`.  Ids repeated in one file are left to the store (it rejects
the second copy when its content differs).  Text no store can hold -- a NUL character (PostgreSQL
refuses it) or an unpaired surrogate (``"\\ud800"`` is valid JSON but not Unicode text) -- makes
the feature a reject, as a NUL does a CSV row.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import ijson
from ijson.common import ObjectBuilder

from geo.errors import DataFileError, ValidationError
from geo.importers import _checks as chk
from geo.importers._base import Format, Item, ReadContext
from geo.importers._checks import RowProblem
from geo.model import from_feature

#: the deepest nesting a file may have: a feature needs 6 levels (collection, features, feature,
#: properties, sources, source); see the module docstring for why there is a limit at all
MAX_DEPTH = 32
_OPEN = frozenset({"start_map", "start_array"})
_CLOSE = frozenset({"end_map", "end_array"})
#: bytes ijson reads at a time.  yajl re-reads a token that spans reads, so a long string costs
#: time quadratic in (its length / this): with ijson's 64 KiB a 50 MB string takes 13 s, with
#: 4 MiB 0.4 s
BUFFER = 4 << 20
#: how messages name what an ijson event starts
_KINDS = {
    "start_map": "an object",
    "start_array": "an array",
    "string": "a string",
    "number": "a number",
    "boolean": "true/false",
    "null": "null",
}


def _unstorable(value: Any, path: str = "") -> tuple[str, str, str] | None:
    """``(field, value, reason)`` for the first string (or member name) in ``value`` that holds
    a NUL or an unpaired surrogate; ``None`` when every string can be stored."""
    if isinstance(value, str):
        found = chk.UNSTORABLE.search(value)
        if found is None:
            return None
        what = "a NUL character" if found.group() == "\x00" else "an unpaired surrogate"
        return path or "(feature)", value, f"contains {what}: not text any store can hold"
    if isinstance(value, dict):
        for key, member in value.items():
            where = f"{path}.{key}" if path else str(key)
            if chk.UNSTORABLE.search(key):
                return where, key, "a member name holds a NUL or an unpaired surrogate"
            found = _unstorable(member, where)
            if found:
                return found
    elif isinstance(value, list):
        for n, member in enumerate(value):
            found = _unstorable(member, f"{path}.{n}" if path else str(n))
            if found:
                return found
    return None


def _convert(ctx: ReadContext, n: int, feature: Any, *, check_text: bool = True) -> Item:
    bad = _unstorable(feature) if check_text else None
    if bad:
        field, value, reason = bad
        return RowProblem(field.removeprefix("properties."), value, reason).reject(ctx.file, n)
    if isinstance(feature, dict):
        for member in ("properties", "geometry"):
            value = feature.get(member)
            if value is not None and not isinstance(value, dict):
                return RowProblem(member, value, "a JSON object or null").reject(ctx.file, n)
    try:
        inc = from_feature(feature, record=ctx.record(n))
        # from_feature validated the model; the shared checks need the whole incident
        return chk.build(inc.model_dump(), record=ctx.record(n), today=ctx.today)
    except ValidationError as err:
        return RowProblem(err.field, err.value, err.rule).reject(ctx.file, n)
    except RowProblem as problem:
        return problem.reject(ctx.file, n)


@contextmanager
def _open(path: Path) -> Iterator[IO[bytes]]:
    """The file, positioned after a UTF-8 byte-order mark if it has one."""
    with open(path, "rb") as fh:
        if fh.read(len(codecs.BOM_UTF8)) != codecs.BOM_UTF8:
            fh.seek(0)
        yield fh


def _not_json(ctx: ReadContext, exc: Exception, where: str = "") -> DataFileError:
    """ijson's message without the bytes it quotes from the file (they would be echoed raw
    into a terminal or a page): its first line only."""
    if isinstance(exc, UnicodeDecodeError):  # ijson decodes strings itself, e.g. "\udc00"
        return DataFileError(
            str(ctx.path), f"not JSON text{where}: a string is not valid UTF-8 ({exc.reason})"
        )
    raw = exc.args[0] if exc.args else ""
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", errors="replace")
    lines = str(raw).strip().splitlines()
    return DataFileError(str(ctx.path), f"not JSON{where}: {lines[0] if lines else repr(exc)}")


def _too_deep(ctx: ReadContext, where: str) -> DataFileError:
    return DataFileError(
        str(ctx.path), f"nested more than {MAX_DEPTH} levels deep{where}: not incident features"
    )


def _type_of(ctx: ReadContext) -> Any:
    """The top-level ``type`` member, read without building the features."""
    assert ijson is not None
    depth, key = 0, None
    with _open(ctx.path) as fh:
        try:
            for event, value in ijson.basic_parse(fh, buf_size=BUFFER, use_float=True):
                if depth == 0 and event != "start_map":
                    return None  # not an object
                if depth == 1 and key == "type" and event != "map_key":
                    return value if event not in _OPEN else f"({_KINDS[event]})"
                if event in _OPEN:
                    depth += 1
                    if depth > MAX_DEPTH:
                        raise _too_deep(ctx, "")
                elif event in _CLOSE:
                    depth -= 1
                elif depth == 1 and event == "map_key":
                    key = value
        except (ijson.JSONError, UnicodeDecodeError) as exc:
            raise _not_json(ctx, exc) from None
    return None


def _feature(
    ctx: ReadContext, events: Iterator[tuple[str, Any]], first: str, n: int
) -> tuple[Any, bool]:
    """One feature built from ``events`` (its opening event ``first`` already read): ``(value,
    whether a string in it holds a NUL)``.  Kept apart from :func:`_stream` so the loop over a
    feature's events stays tight."""
    builder = ObjectBuilder()
    add = builder.event
    add(first, None)
    depth, nul = 1, False
    try:
        for event, value in events:
            if event == "start_map" or event == "start_array":
                depth += 1
                if depth > MAX_DEPTH - 2:  # the feature sits 2 levels down
                    raise _too_deep(ctx, f" in feature {n}")
            elif event == "end_map" or event == "end_array":
                depth -= 1
                if depth == 0:
                    add(event, value)
                    return builder.value, nul
            elif (event == "string" or event == "map_key") and "\x00" in value:
                nul = True
            add(event, value)
    except (ijson.JSONError, UnicodeDecodeError) as exc:
        raise _not_json(ctx, exc, f" in feature {n}") from None
    raise DataFileError(str(ctx.path), f"not JSON: the file ends inside feature {n}")


def _stream(ctx: ReadContext) -> Iterator[Item]:
    """The members of the top-level ``features`` array, built one at a time from ijson's events
    (so the nesting depth is checked before anything is built)."""
    assert ijson is not None
    with _open(ctx.path) as fh:
        n = 0
        depth = 0  # open objects/arrays around the current event
        key = None  # the member of the top-level object being read
        in_features = False  # directly inside the top-level "features" array
        events = iter(ijson.basic_parse(fh, buf_size=BUFFER, use_float=True))
        try:
            for event, value in events:
                if in_features:
                    n += 1
                    if event in _OPEN:
                        # ijson yields no unpaired surrogate ("\ud800" comes as "?", a lone
                        # low one raises): only a NUL needs the full check
                        feature, nul = _feature(ctx, events, event, n)
                        yield _convert(ctx, n, feature, check_text=nul)
                    elif event in _CLOSE:  # the array closed
                        n -= 1
                        in_features = False
                        depth -= 1
                    else:  # a scalar where a feature should be: a reject
                        yield _convert(ctx, n, value)
                elif event in _OPEN:
                    depth += 1
                    if depth > MAX_DEPTH:
                        raise _too_deep(ctx, "")
                    if depth == 2 and key == "features":
                        if event != "start_array":
                            raise _not_features(ctx, event)
                        in_features = True
                elif event in _CLOSE:
                    depth -= 1
                elif depth == 1 and event == "map_key":
                    key = value
                elif depth == 1 and key == "features" and event != "null":
                    raise _not_features(ctx, event)
        except (ijson.JSONError, UnicodeDecodeError) as exc:
            raise _not_json(ctx, exc, f" after feature {n}") from None


def _not_features(ctx: ReadContext, event: str) -> DataFileError:
    return DataFileError(
        str(ctx.path), f"'features' must be an array of features, not {_KINDS[event]}"
    )


def read(ctx: ReadContext) -> Iterator[Item]:
    """Check the top level now (DataFileError at once), stream the features later."""
    try:
        kind = _type_of(ctx)
    except OSError as exc:
        raise DataFileError(str(ctx.path), f"cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise DataFileError(str(ctx.path), f"not UTF-8: {exc}") from None
    if kind != "FeatureCollection":
        raise DataFileError(
            str(ctx.path), f"expected a GeoJSON FeatureCollection, the top-level type is {kind!r}"
        )
    ctx.encoding = "utf-8"
    return _stream(ctx)


FORMAT = Format(
    name="geojson",
    description="Incident Atlas GeoJSON (FeatureCollection of incident features)",
    extensions=(".geojson", ".json"),
    signature=None,
    read=read,
)
