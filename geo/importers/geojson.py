"""Our own GeoJSON (a FeatureCollection of :mod:`geo.model` features) -> incidents.

Streaming: with :mod:`ijson` installed the features are parsed one at a time (bounded memory
for any file size); without it the file is read with :func:`json.load` -- fine for the
curated-size files this format is used for, but the whole document is then in memory.

Each feature goes through :func:`geo.model.from_feature` (the one place that reads the
``[longitude, latitude]`` pair) and the shared checks; a bad feature becomes a
:class:`~geo.store.base.Reject` whose ``row`` is the feature's 1-based position in
``features`` (``features[row - 1]``).  A file that is not JSON, or not a FeatureCollection, is a
:class:`~geo.errors.DataFileError`.  Ids repeated in one file are left to the store (it rejects
the second copy when its content differs).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from geo.errors import DataFileError, ValidationError
from geo.importers import _checks as chk
from geo.importers._base import Format, Item, ReadContext
from geo.importers._checks import RowProblem
from geo.model import from_feature

try:  # optional: streaming parser (C backend when available)
    import ijson
except ImportError:  # pragma: no cover - depends on the environment
    ijson = None

STREAMING = ijson is not None


def _convert(ctx: ReadContext, n: int, feature: Any) -> Item:
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


def _type_of(ctx: ReadContext) -> Any:
    """The top-level ``type`` member, read without building the features."""
    assert ijson is not None
    with open(ctx.path, "rb") as fh:
        try:
            return next(ijson.items(fh, "type"), None)
        except ijson.JSONError as exc:
            raise DataFileError(str(ctx.path), f"not JSON: {exc}") from None


def _stream(ctx: ReadContext) -> Iterator[Item]:
    assert ijson is not None
    with open(ctx.path, "rb") as fh:
        n = 0
        try:
            for feature in ijson.items(fh, "features.item", use_float=True):
                n += 1
                yield _convert(ctx, n, feature)
        except ijson.JSONError as exc:
            raise DataFileError(str(ctx.path), f"not JSON after feature {n}: {exc}") from None


def _loaded(ctx: ReadContext, doc: dict[str, Any]) -> Iterator[Item]:
    for n, feature in enumerate(doc.get("features") or [], start=1):
        yield _convert(ctx, n, feature)


def read(ctx: ReadContext) -> Iterator[Item]:
    """Check the top level now (DataFileError at once), stream the features later."""
    try:
        if STREAMING:
            kind = _type_of(ctx)
            doc = None
        else:
            with open(ctx.path, encoding="utf-8") as fh:
                doc = json.load(fh)
            kind = doc.get("type") if isinstance(doc, dict) else None
    except OSError as exc:
        raise DataFileError(str(ctx.path), f"cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise DataFileError(str(ctx.path), f"not UTF-8: {exc}") from None
    except json.JSONDecodeError as exc:
        raise DataFileError(str(ctx.path), f"not JSON: {exc.msg}", exc.lineno) from None
    if kind != "FeatureCollection":
        raise DataFileError(
            str(ctx.path), f"expected a GeoJSON FeatureCollection, the top-level type is {kind!r}"
        )
    ctx.encoding = "utf-8"
    return _stream(ctx) if doc is None else _loaded(ctx, doc)


FORMAT = Format(
    name="geojson",
    description="Incident Atlas GeoJSON (FeatureCollection of incident features)",
    extensions=(".geojson", ".json"),
    signature=None,
    read=read,
)
