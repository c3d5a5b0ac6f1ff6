"""Synthetic incidents for benchmarks and tests — never for the bundled data.

``python -m geo synth --n N --out FILE`` writes N realistic-looking incidents in our CSV (or
GeoJSON, by the file's extension): at the gazetteer's sites and at towns of the bundled town
list across Iraq, Syria and Jordan, 2014–2026, with a mix of weapons, outcomes, statuses and
location precisions.  Every record has ``dataset = "synthetic"`` and says so in its quote, so it
can never pass for reporting.  :func:`synth_frame` builds the same in memory, vectorised, for
the query and map benchmarks; :func:`fill_stores` writes them straight into stores' incidents
tables, for the store benchmark (benchmarks/store_bench.py) and tests that need a big store.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from geo.frame import COLUMNS as FRAME_COLUMNS
from geo.frame import finish
from geo.gazetteer import Gazetteer
from geo.importers.csv_own import COLUMNS

if TYPE_CHECKING:
    from geo.store.sql import SqlStore

DATASET = "synthetic"
FIRST, LAST = date(2014, 1, 1), date(2026, 6, 30)
WEAPON_MIX = {
    ("drone",): 0.40, ("rocket",): 0.25, ("drone", "rocket"): 0.05, ("ballistic_missile",): 0.03,
    ("ied",): 0.10, ("mortar",): 0.07, ("small_arms",): 0.05, ("unknown",): 0.05,
}  # fmt: skip
OUTCOMES = {"impact": 0.45, "intercepted": 0.3, "mixed": 0.05, "unknown": 0.2}
STATUSES = {"reported": 0.5, "confirmed": 0.3, "claimed": 0.15, "disputed": 0.05}
#: share at a site, at a town (precision 2), and placed to a province only (precision 4)
PLACES = (0.6, 0.3, 0.1)


def _places(gazetteer: Gazetteer) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    from geo.extract.towns import default_towns  # the bundled GeoNames town list

    sites = [
        (s.id, s.name, s.country, s.admin1, s.latitude, s.longitude) for s in gazetteer if s.located
    ]
    towns = [
        (None, t.name, t.country, t.admin1, t.latitude, t.longitude)
        for t in default_towns()._towns
        if t.population >= 20_000
    ]
    return sites, towns


def _choice(rng: np.random.Generator, table: dict[Any, float], n: int) -> np.ndarray:
    keys = list(table)
    p = np.array(list(table.values()))
    idx = rng.choice(len(keys), size=n, p=p / p.sum())
    return np.array(keys, dtype=object)[idx] if not isinstance(keys[0], tuple) else idx


def synth_records(n: int, seed: int = 0, gazetteer: Gazetteer | None = None) -> pd.DataFrame:
    """n synthetic incidents as plain columns (the model's fields; sources as JSON text)."""
    rng = np.random.default_rng(seed)
    sites, towns = _places(gazetteer or Gazetteer.load())
    kind = rng.choice(3, size=n, p=np.array(PLACES))
    site_pick = rng.integers(0, len(sites), size=n)
    town_pick = rng.integers(0, len(towns), size=n)
    span = (LAST - FIRST).days
    start = rng.integers(0, span, size=n)
    prec = rng.choice([1, 2, 3, 4], size=n, p=[0.8, 0.1, 0.07, 0.03])
    width = np.select([prec == 1, prec == 2, prec == 3], [0, rng.integers(1, 6, n), 6], 29)
    weapon_keys = list(WEAPON_MIX)
    weapons = [weapon_keys[i] for i in _choice(rng, WEAPON_MIX, n)]
    outcome = _choice(rng, OUTCOMES, n)
    status = _choice(rng, STATUSES, n)
    injured = rng.poisson(0.3, size=n).astype(float)
    injured[rng.random(n) < 0.4] = np.nan
    epoch = np.datetime64(FIRST.isoformat(), "D")
    starts = (epoch + start).astype("datetime64[D]").astype(str)
    ends = (epoch + start + width).astype("datetime64[D]").astype(str)
    places = np.array(sites + towns, dtype=object)
    pick = np.where(kind == 0, site_pick, len(sites) + town_pick)
    chosen = places[pick]
    strike = np.arange(n) % 10 == 0
    none = np.full(n, None, dtype=object)
    quotes = [
        json.dumps([{"article": f"synthetic-{seed}", "published": e,
                     "quote": f"Synthetic incident {i} for benchmarks; it did not happen."}])
        for i, e in enumerate(ends)
    ]  # fmt: skip
    rows: dict[str, Any] = {
        "id": [f"synthetic:{seed}:{i}" for i in range(n)],
        "dataset": DATASET,
        "event_type": np.where(strike, "us_strike", "attack"),
        "date_start": starts,
        "date_end": ends,
        "date_precision": prec,
        "site_id": [p[0] for p in chosen],
        "location": [p[1] for p in chosen],
        "country": [p[2] for p in chosen],
        "admin1": [p[3] for p in chosen],
        "geo_precision": np.array((1, 2, 4))[kind],
        "longitude": np.array([p[5] for p in chosen], dtype=float),
        "latitude": np.array([p[4] for p in chosen], dtype=float),
        "weapons": [("air_strike",) if strike[i] else weapons[i] for i in range(n)],
        "outcome": outcome,
        "damage": none,
        "killed_min": np.full(n, np.nan),
        "killed_max": np.full(n, np.nan),
        "injured_min": injured,
        "injured_max": injured,
        "claimed_by": np.where(status == "claimed", "Synthetic Group", None),
        "attributed_to": none,
        "status": status,
        "sources": quotes,
        "notes": none,
        "responds_to": none,
        "review": "accepted",
    }
    return pd.DataFrame(rows, columns=list(FRAME_COLUMNS))


def synth_frame(n: int, seed: int = 0, gazetteer: Gazetteer | None = None) -> pd.DataFrame:
    """The same as a :mod:`geo.query` frame, ready for filters, summaries and maps, ordered
    by start date as a store's frame is."""
    records = synth_records(n, seed, gazetteer)
    return finish(records.sort_values("date_start", kind="stable", ignore_index=True))


def _csv_rows(records: pd.DataFrame) -> Iterator[list[str]]:
    for row in records.itertuples(index=False):
        data = row._asdict()
        out = []
        for name in COLUMNS:
            value = data[name]
            if name == "weapons":
                out.append(";".join(value))
            elif value is None or (isinstance(value, float) and np.isnan(value)):
                out.append("")
            elif isinstance(value, float) and name.endswith(("_min", "_max")):
                out.append(str(int(value)))
            else:
                out.append(str(value))
        yield out


def write_synth(path: Path, n: int, seed: int = 0, chunk: int = 100_000) -> int:
    """Write n synthetic incidents to ``path`` (our CSV, or GeoJSON for .geojson/.json)."""
    path = Path(path)
    if path.suffix.lower() in (".geojson", ".json"):
        from geo.io.geojson import write_incidents
        from geo.store.rows import from_row

        records = synth_records(n, seed)
        incidents = [
            from_row({**r, "weapons": list(r["weapons"])}) for r in records.to_dict("records")
        ]
        write_incidents(incidents, path)
        return n
    written = 0
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        for offset in range(0, n, chunk):
            part = synth_records(min(chunk, n - offset), seed * 1_000_003 + offset)
            part["id"] = [f"synthetic:{seed}:{offset + i}" for i in range(len(part))]
            writer.writerows(_csv_rows(part))
            written += len(part)
    return written


_CASUALTIES = ("killed_min", "killed_max", "injured_min", "injured_max")


def _json_form(record: dict[str, Any]) -> dict[str, Any]:
    """One synthetic record as ``Incident.model_dump(mode="json")`` gives it (ints, None for
    missing, lists), without validating a model: a million records in seconds."""
    # pandas gives NaN for a missing value, text columns included
    data = {k: None if isinstance(v, float) and v != v else v for k, v in record.items()}
    for name in _CASUALTIES:
        if data[name] is not None:
            data[name] = int(data[name])
    data["weapons"] = list(data["weapons"])
    data["sources"] = json.loads(data["sources"])
    return data


def store_rows(records: pd.DataFrame, batch_id: int) -> Iterator[list[Any]]:
    """Synthetic records as rows of the ``incidents`` table (``INCIDENT_COLUMNS`` order): what
    :func:`geo.store.rows.row_and_hash` makes of the same incidents, content hash included
    (tests/test_store_query.py checks that on a sample of validated incidents)."""
    from geo.store.rows import digest_json
    from geo.store.schema import INCIDENT_COLUMNS

    names = list(records.columns)
    columns = [records[c].tolist() for c in names]  # (``to_dict`` is several times slower)
    for values in zip(*columns, strict=True):
        data = _json_form(dict(zip(names, values, strict=True)))
        row = {
            **data,
            "weapons": json.dumps(data["weapons"]),
            "sources": json.dumps(data["sources"], ensure_ascii=False),
            "content_hash": digest_json(data),
            "batch_id": batch_id,
        }
        yield [row[c] for c in INCIDENT_COLUMNS]


def fill_store(store: SqlStore, n: int, seed: int = 0) -> int:
    """Write ``n`` synthetic incidents straight into a store's ``incidents`` table as one batch
    (its own insert path: ``executemany`` on SQLite, ``COPY`` on PostGIS), then ``ANALYZE`` it
    as after any bulk load, for benchmarks and tests that need a big store quickly: the
    importer validates every row and takes minutes per million.  Returns the batch id.  Ids are
    ``synthetic:{seed}:{k}``; the store must not hold them yet."""
    return fill_stores([store], n, seed)[0]


def fill_stores(
    stores: Sequence[SqlStore], n: int, seed: int = 0, chunk: int = 100_000
) -> list[int]:
    """:func:`fill_store` for several stores at once, making each row once (the slow part)."""
    from geo.store.base import BatchMeta

    meta = BatchMeta(f"synthetic:{seed}:{n}", f"synthetic-{seed}-{n}", "synthetic")
    with ExitStack() as stack:
        loads = [stack.enter_context(s.bulk_load(meta, n)) for s in stores]
        for offset in range(0, n, chunk):
            part = synth_records(min(chunk, n - offset), seed * 1_000_003 + offset)
            part["id"] = [f"synthetic:{seed}:{offset + i}" for i in range(len(part))]
            rows = [r[:-1] for r in store_rows(part, batch_id=0)]  # each load adds its batch
            for load in loads:
                load.add(rows)
    return [load.id for load in loads]


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("synth", help="write synthetic incidents (benchmarks and tests only)")
    p.add_argument("--n", type=int, required=True, help="how many")
    p.add_argument("--out", type=Path, required=True, help="a .csv (ours) or .geojson file")
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(handler=_cmd)


def _cmd(args: Any) -> int:
    n = write_synth(args.out, args.n, args.seed)
    print(json.dumps({"out": str(args.out), "incidents": n, "dataset": DATASET}))
    return 0
