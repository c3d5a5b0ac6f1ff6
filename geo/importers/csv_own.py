"""Our own CSV flavour: one column per :class:`geo.model.Incident` field, and its writer.

Columns are the model's field names in model order (``longitude``/``latitude`` among them).
``weapons`` is ``;``-joined (``drone;rocket``), ``sources`` is JSON text (a list of
``{"article", "published", "quote"}``), dates are ISO, an empty cell is ``null``.  An empty cell in
a column whose field has a model default (``id``, ``dataset``, ``outcome``, ``status``) takes
that default; a missing optional column is the same as an empty one.

Round trip: :func:`write_csv` then :func:`geo.importers.read_items` gives the same incidents, as
long as no optional text field holds the empty string (it reads back as ``null``).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from geo.importers import _checks as chk
from geo.importers._base import Format, Item, ReadContext, csv_items, open_csv_for
from geo.importers._checks import RowProblem
from geo.model import Incident

COLUMNS: tuple[str, ...] = tuple(Incident.model_fields)
#: model fields without a default: a file must have these columns
REQUIRED_COLUMNS: tuple[str, ...] = tuple(
    name for name, f in Incident.model_fields.items() if f.is_required()
)
#: fields whose model default is not null: an empty cell means "the default"
DEFAULTED: frozenset[str] = frozenset(
    name
    for name, f in Incident.model_fields.items()
    if not f.is_required() and f.default is not None
)
WEAPON_SEPARATOR = ";"


def to_csv_row(inc: Incident) -> list[str]:
    data = inc.model_dump(mode="json")
    out: list[str] = []
    for name in COLUMNS:
        value = data[name]
        if name == "weapons":
            out.append(WEAPON_SEPARATOR.join(value))
        elif name == "sources":
            out.append(json.dumps(value, ensure_ascii=False))
        elif value is None:
            out.append("")
        elif isinstance(value, float):
            out.append(repr(value))
        else:
            out.append(str(value))
    return out


def write_csv(incidents: Iterable[Incident], path: Path, *, bom: bool = False) -> int:
    """Write incidents as our CSV (UTF-8; ``bom`` for spreadsheet programs), one row at a time.
    Returns the number of rows written."""
    n = 0
    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        for inc in incidents:
            writer.writerow(to_csv_row(inc))
            n += 1
    return n


def _sources(raw: str) -> Any:
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise RowProblem("sources", raw, f"not JSON: {exc.msg}") from None
    except RecursionError:
        raise RowProblem("sources", raw, "not JSON: nested too deeply") from None
    if not isinstance(value, list):
        raise RowProblem("sources", raw, "must be a JSON list of sources")
    return value


def convert(ctx: ReadContext, n: int, row: dict[str, str]) -> Incident:
    data: dict[str, Any] = {}
    for name in COLUMNS:
        raw = row.get(name)
        if raw is None or raw == "":
            if name not in DEFAULTED:
                data[name] = None
            continue
        data[name] = raw
    lat, lon = chk.coordinates(row.get("latitude"), row.get("longitude"), required=False)
    data["latitude"], data["longitude"] = lat, lon
    weapons = row.get("weapons", "")
    data["weapons"] = [w.strip() for w in weapons.split(WEAPON_SEPARATOR)] if weapons else []
    data["sources"] = _sources(row["sources"]) if row.get("sources") else []
    for name in ("date_start", "date_end"):
        if data.get(name) is not None:
            data[name] = chk.parse_date(name, data[name])
    return chk.build(data, record=ctx.record(n), today=ctx.today, lat_raw=row.get("latitude"))


def read(ctx: ReadContext) -> Iterator[Item]:
    csvfile = open_csv_for(ctx, REQUIRED_COLUMNS, "Incident Atlas CSV")
    return csv_items(ctx, csvfile, lambda n, row: convert(ctx, n, row))


FORMAT = Format(
    name="csv",
    description="Incident Atlas CSV (one column per model field)",
    extensions=(".csv", ".tsv", ".txt"),
    signature=frozenset({"event_type", "date_start", "date_end", "date_precision", "weapons"}),
    read=read,
)
