"""The store protocol: one interface, an embedded implementation and a PostGIS one.

Everything that reads or writes incidents goes through :class:`Store`.  An import is one
*batch*: a single transaction that records the file, its content hash and its counts together
with the rows, so a batch is all-or-nothing even if the process dies half-way.

Rules every implementation keeps (tests/test_store.py runs the same suite against each):

* ``import_batch`` consumes a stream of :class:`~geo.model.Incident` and :class:`Reject` items
  in bounded memory.  For each incident, by id:
  - new id → stored (``stored``);
  - same id, same content → ``duplicates`` (nothing written; re-importing a file adds nothing);
  - same id, different content, stored by an *earlier* batch → the row is replaced and the old
    values kept in history (``revised``);
  - same id, different content, earlier in the *same* batch → rejected (field ``id``).

  :func:`decide` is that rule, the one copy both stores call.  ``read`` counts every item
  offered, so ``read == stored + revised + duplicates + rejected``.  A reject the store makes
  itself (the last case) names the file by ``BatchMeta.file_name`` and, as ``row``, the item's
  1-based position in the stream (the store never sees the file's own row numbers).
* ``frame(as_of=B)`` returns the data as it was after batch ``B`` (revisions undone): the
  current rows that batch ``B`` or an earlier one brought, plus the superseded versions that were
  current then.  A record first stored after ``B`` is absent.  Rows come ordered by
  ``date_start`` then ``id``.
* Rejects are kept with their batch, with file, row, field, value and reason.
* Times (``started_at``, ``finished_at``) are timezone-aware UTC; :meth:`Store.batch_at` reads a
  naive datetime as local time.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Literal, Protocol, runtime_checkable

import pandas as pd

from geo.model import Incident


@dataclass(frozen=True)
class Reject:
    """A row that was not stored, and why.  ``row`` is 1-based as a spreadsheet shows it."""

    file: str
    row: int
    field: str
    value: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class BatchMeta:
    file_name: str
    content_sha256: str
    format: str


@dataclass(frozen=True)
class BatchInfo:
    id: int
    started_at: datetime
    finished_at: datetime
    file_name: str
    content_sha256: str
    format: str
    read: int = 0
    stored: int = 0
    revised: int = 0
    duplicates: int = 0
    rejected: int = 0

    def summary(self) -> dict[str, Any]:
        """What ``python -m geo import`` prints per file."""
        return {
            "file": self.file_name,
            "batch": self.id,
            "read": self.read,
            "stored": self.stored,
            "revised": self.revised,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
        }


@dataclass
class Counts:
    read: int = 0
    stored: int = 0
    revised: int = 0
    duplicates: int = 0
    rejected: int = 0
    rejects: list[Reject] = field(default_factory=list)


Item = Incident | Reject
Progress = Callable[[int], None]


@runtime_checkable
class Store(Protocol):
    """Where incidents live.  Open one with :func:`geo.store.open_store`."""

    url: str

    def import_batch(
        self, meta: BatchMeta, items: Iterable[Item], progress: Progress | None = None
    ) -> BatchInfo:
        """Write one batch atomically and return its record (see the module docstring)."""
        ...

    def frame(self, as_of: int | None = None) -> pd.DataFrame:
        """All incidents (as after batch ``as_of`` when given) as a :mod:`geo.query` frame."""
        ...

    def incidents(self, as_of: int | None = None) -> list[Incident]: ...

    def get(self, incident_id: str) -> Incident:
        """One incident; :class:`geo.errors.NotFoundError` when unknown."""
        ...

    def history(self, incident_id: str) -> list[tuple[int, Incident]]:
        """Every version of an incident, oldest first, each with the batch that brought it."""
        ...

    def batches(self) -> list[BatchInfo]: ...

    def rejects(self, batch_id: int) -> list[Reject]: ...

    def batch_at(self, when: datetime) -> int | None:
        """The last batch finished at or before ``when`` (for "as of a date")."""
        ...

    def revision(self) -> str:
        """Changes whenever the data changes: a cache key for the app."""
        ...

    def close(self) -> None: ...


# --- helpers shared by the implementations ---------------------------------------------------

#: the columns of the incidents table (the model's fields), lists and sources held as JSON text
SCALAR_FIELDS: tuple[str, ...] = tuple(
    f for f in Incident.model_fields if f not in ("weapons", "sources")
)


def _digest(data: dict[str, Any]) -> str:
    payload = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def content_hash(inc: Incident) -> str:
    """sha256 of the canonical JSON of every field: equal hash = same content."""
    return _digest(inc.model_dump(mode="json"))


def row_and_hash(inc: Incident) -> tuple[dict[str, Any], str]:
    """:func:`to_row` and :func:`content_hash` together, from one dump (the import's hot path)."""
    data = inc.model_dump(mode="json")
    row = {f: data[f] for f in SCALAR_FIELDS}
    row["weapons"] = json.dumps(data["weapons"])
    row["sources"] = json.dumps(data["sources"], ensure_ascii=False)
    return row, _digest(data)


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


Decision = Literal["new", "duplicate", "revised", "conflict"]


def decide(content: str, earlier_in_batch: str | None, stored: str | None) -> Decision:
    """What to do with one incident, given content hashes: its own, that of the same id earlier
    in this batch (None if not seen) and that of the stored row (None if the id is new).

    An id met earlier in the batch is judged against that occurrence only: identical → a
    duplicate, different → a conflict (rejected), whatever the store held before the batch.
    """
    if earlier_in_batch is not None:
        return "duplicate" if earlier_in_batch == content else "conflict"
    if stored is None:
        return "new"
    return "duplicate" if stored == content else "revised"


def rows_to_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Rows a store wrote into the frame :mod:`geo.query` works on, column by column (no
    model object per row: a million rows load in seconds).  The rows were validated when
    they were stored."""
    from geo.query import COLUMNS, finish

    frame = (
        pd.DataFrame.from_records(rows, columns=list(COLUMNS))
        if rows
        else pd.DataFrame(columns=list(COLUMNS))
    )
    frame["weapons"] = [
        json.loads(w) if isinstance(w, str | bytes) else w for w in frame["weapons"]
    ]
    frame["sources"] = [
        s if isinstance(s, str) else json.dumps(s, ensure_ascii=False, sort_keys=True)
        for s in frame["sources"]
    ]
    return finish(frame)
