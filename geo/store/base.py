"""The store protocol: one interface, an embedded implementation and a PostGIS one.

Everything that reads or writes incidents goes through :class:`Store`.  An import is one
*batch*: a single transaction that records the file, its content hash and its counts together
with the rows, so a batch is all-or-nothing even if the process dies half-way.

Rules every implementation keeps (tests/test_store.py runs the same suite against each):

* Identity is the id, and only the id (:mod:`geo.identity`): an upstream one, one the record
  carries, or for a record that came without one the hash of what it is and its sources
  (:func:`geo.model.incident_id`).  A record stored under schema version 2 keeps its id; an
  incoming record whose derived id is that record's under today's rule (an *alias* the
  migration to version 3 recorded) is taken as that record.
* ``import_batch`` consumes a stream of :class:`~geo.model.Incident` and :class:`Reject` items
  in bounded memory.  For each incident, by id:
  - new id → stored (``stored``);
  - same id, same content → ``duplicates`` (nothing written; re-importing a file adds nothing);
  - same id, different content, stored by an *earlier* batch → the row is replaced and the old
    values kept in history (``revised``);
  - same id, different content, earlier in the *same* batch → rejected (field ``id``).

  A new record that looks like one stored by an earlier batch
  (:func:`geo.identity.likely_duplicate`: same place and type, overlapping dates, compatible
  weapons and figures) is stored all the same and *flagged* (``likely_duplicates``,
  :meth:`Store.likely_duplicates`) for an analyst to merge or keep apart; the store never
  merges by itself.  Records of one batch are not compared with each other.

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

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any, Literal, Protocol, runtime_checkable

import pandas as pd

from geo.errors import NotAllowedError
from geo.model import Incident

#: what a connection may do, least first: ``viewer`` reads; ``analyst`` also imports, ingests and
#: reviews (writes batches); ``admin`` also changes the schema (creates tables, migrates).  On
#: PostGIS the database's grants decide (:mod:`geo.store.roles`); on the embedded store the OS
#: user's permission on the file (a single user owns it: ``admin``).
ROLES: tuple[str, ...] = ("viewer", "analyst", "admin")
Role = Literal["viewer", "analyst", "admin"]


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
class SiteCount:
    """One site's attacks in a date range (:meth:`Store.site_counts`)."""

    site_id: str
    attacks: int
    #: the earliest ``date_start`` and the latest ``date_end`` of those attacks
    first_date: date
    last_date: date


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
    #: new records flagged as likely duplicates of stored ones (also counted in ``stored``)
    likely_duplicates: int = 0
    #: who wrote the batch: the database user on PostGIS (``current_user``, filled in by the
    #: database), the OS user on the embedded store; None for batches written before the
    #: store recorded it (schema version 4)
    created_by: str | None = None

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
            "likely_duplicates": self.likely_duplicates,
        }


@dataclass(frozen=True)
class Access:
    """What a store's connection may do (:meth:`Store.access`)."""

    #: the database user (``current_user``) or, on the embedded store, the OS user
    user: str
    #: what the database (or the file's permissions) allows this user
    role: Role
    #: opened read-only (``--read-only`` / ``ATLAS_READ_ONLY``): no write whatever the role
    read_only: bool = False
    #: why the role is what it is, for messages (e.g. "the file is not writable")
    why: str = ""

    @property
    def can_write(self) -> bool:
        """May import, ingest and review (write batches)."""
        return not self.read_only and self.role != "viewer"

    @property
    def can_admin(self) -> bool:
        """May create or migrate the store's tables."""
        return not self.read_only and self.role == "admin"

    def require(self, action: str, *, admin: bool = False) -> None:
        """Raise :class:`geo.errors.NotAllowedError` unless this connection may ``action``
        (a write; with ``admin``, a schema change)."""
        if self.read_only:
            raise NotAllowedError(
                action, self.user, "the store was opened read-only (--read-only or ATLAS_READ_ONLY)"
            )
        if admin and self.role != "admin":
            raise NotAllowedError(
                action,
                self.user,
                f"the connected role is {self.role}{self._why()}; changing the store's schema "
                "needs the admin role (the tables' owner)",
            )
        if self.role == "viewer":
            raise NotAllowedError(
                action,
                self.user,
                f"the connected role is viewer{self._why()}, which reads only; importing, "
                "ingesting and reviewing need the analyst role",
            )

    def _why(self) -> str:
        return f" ({self.why})" if self.why else ""


@dataclass
class Counts:
    read: int = 0
    stored: int = 0
    revised: int = 0
    duplicates: int = 0
    rejected: int = 0
    likely_duplicates: int = 0
    rejects: list[Reject] = field(default_factory=list)


#: what an analyst decided about a likely duplicate (``None`` while nobody has)
Resolution = Literal["separate", "merged"]
RESOLUTIONS: tuple[str, ...] = ("separate", "merged")


@dataclass(frozen=True)
class LikelyDuplicate:
    """A new record (``id``) that looks like one stored before it (``other_id``): flagged by
    batch ``batch_id`` for an analyst, with the reason."""

    id: str
    other_id: str
    batch_id: int
    reason: str
    resolution: Resolution | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


Item = Incident | Reject
Progress = Callable[[int], None]


@runtime_checkable
class Store(Protocol):
    """Where incidents live.  Open one with :func:`geo.store.open_store`."""

    url: str

    def import_batch(
        self, meta: BatchMeta, items: Iterable[Item], progress: Progress | None = None
    ) -> BatchInfo:
        """Write one batch atomically and return its record (see the module docstring).
        A connection that may not write (:meth:`access`) gets
        :class:`geo.errors.NotAllowedError` and nothing is written."""
        ...

    def access(self) -> Access:
        """Who is connected and what they may do (writes are refused unless
        :attr:`Access.can_write`, and the database refuses them too)."""
        ...

    def frame(self, as_of: int | None = None, since: int | None = None) -> pd.DataFrame:
        """All incidents (as after batch ``as_of`` when given) as a :mod:`geo.frame` frame,
        ordered by start date, then id (code point order).  ``since``: only those that batches
        after batch ``since`` brought (what changed since then)."""
        ...

    def count(self) -> int:
        """How many incidents the store holds now."""
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

    def revision(self, as_of: int | None = None) -> str:
        """Changes whenever the data changes: a cache key for the app (``as_of``: what it was
        just after that batch; ``"empty"`` when there was none).  Batches are written one at a
        time, so their ids grow in the order they commit."""
        ...

    def known_ids(self, ids: Iterable[str]) -> set[str]:
        """Which of ``ids`` the store holds now (looked up by its index, no frame loaded); an
        id the version-3 migration recorded as another name of a stored record counts."""
        ...

    def likely_duplicates(
        self, batch_id: int | None = None, *, open_only: bool = True
    ) -> list[LikelyDuplicate]:
        """The flagged pairs (of batch ``batch_id``, or all), oldest first; ``open_only``: those
        nobody has resolved yet, both records still present and not rejected."""
        ...

    def resolve_duplicate(self, incident_id: str, other_id: str, resolution: Resolution) -> None:
        """Record an analyst's decision on a flagged pair (:class:`NotFoundError` if there is
        no such flag).  Merging itself is an import of the merged record."""
        ...

    def site_counts(self, start: date, end: date) -> list[SiteCount]:
        """Per site, the accepted attacks whose date window overlaps ``[start, end]``, counted
        by the database through its indexes (ordered by site id): what
        :func:`geo.query.site_summaries` gives as ``incidents``, ``first_date`` and
        ``last_date`` for ``Filters(start=start, end=end)``, without loading a frame."""
        ...

    def explain_site_counts(self, start: date, end: date) -> str:
        """The database's plan for :meth:`site_counts` (SQLite's ``EXPLAIN QUERY PLAN``,
        PostgreSQL's ``EXPLAIN``), to see that it uses the indexes."""
        ...

    def close(self) -> None: ...


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
