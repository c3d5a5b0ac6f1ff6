"""Team roles on a PostGIS store, enforced by PostgreSQL's grants (``python -m geo roles``).

Three group roles (``NOLOGIN``; people log in as their own users and are granted one):

* ``<prefix>viewer``: reads the store (``SELECT`` on every table of its schema);
* ``<prefix>analyst``: a viewer that also imports, ingests and reviews: inserts batches,
  incidents, history, rejects and likely-duplicate flags, updates incidents (a revision), a
  batch's counts and a flag's resolution.  (``incident_aliases`` only the version-3 migration
  writes: an admin's.)  It may
  not set ``batches.created_by`` (the column defaults to ``current_user``), so a batch always
  names the user who wrote it;
* ``<prefix>admin``: an analyst that owns the tables and may create in the schema: schema
  changes and migrations.  The user who runs ``roles create`` becomes a member, so a single
  user who owned the store keeps doing everything.

The prefix (default ``atlas_``) keeps the names apart from other roles in the cluster: role
names are cluster-wide, grants are per schema (per store).  :func:`role_sql` is the whole
script; ``python -m geo roles create --sql`` prints it for a DBA to read or run by hand.
"""

from __future__ import annotations

import re

from geo.errors import ValidationError
from geo.store.base import ROLES
from geo.store.postgis import PostgisStore, _q
from geo.store.schema import BATCH_COUNTS

DEFAULT_PREFIX = "atlas_"
_PREFIX = re.compile(r"[a-z_][a-z0-9_]{0,40}")
#: what an analyst may write, table by table (a viewer reads every table of the store's schema;
#: an admin owns them all).  A table a later version adds that imports or reviews write to
#: belongs here, or analysts are refused (tests/test_team.py would say so).
ANALYST_WRITES: dict[str, str] = {
    "incidents": "INSERT, UPDATE",  # new records; a revision replaces the current row
    "incident_history": "INSERT",  # the old version (never changed or deleted)
    "rejects": "INSERT",
    # an import flags likely duplicates; a review records an analyst's decision on a flag
    "likely_duplicates": "INSERT, UPDATE (resolution)",
}
#: what an analyst may write in ``batches``: everything but ``id`` (generated) and
#: ``created_by`` (the database fills it in); and what it may update (the counts at the end)
BATCH_INSERT: tuple[str, ...] = (
    "started_at",
    "finished_at",
    "file_name",
    "content_sha256",
    "format",
    *BATCH_COUNTS,
)
BATCH_UPDATE: tuple[str, ...] = ("finished_at", *BATCH_COUNTS)


def role_names(prefix: str = DEFAULT_PREFIX) -> dict[str, str]:
    """Each of :data:`~geo.store.base.ROLES` with its PostgreSQL role name."""
    if not _PREFIX.fullmatch(prefix):
        raise ValidationError(
            "prefix", prefix, "expected lower-case letters, digits and _ (not first a digit)"
        )
    return {role: f"{prefix}{role}" for role in ROLES}


def role_sql(schema: str, prefix: str = DEFAULT_PREFIX) -> list[str]:
    """The statements that create the roles (when missing) and grant them the store in
    ``schema``; run as the tables' owner (or a superuser).  Safe to run again."""
    names = role_names(prefix)
    viewer, analyst, admin = (_q(names[r]) for r in ROLES)
    s = _q(schema)
    literal = "'" + schema.replace("'", "''") + "'"
    stmts = [
        f"DO $$BEGIN CREATE ROLE {_q(names[r])} NOLOGIN; "
        "EXCEPTION WHEN duplicate_object THEN NULL; END$$"
        for r in ROLES
    ]
    stmts += [
        # viewer: read
        f"GRANT USAGE ON SCHEMA {s} TO {viewer}",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA {s} TO {viewer}",
        # analyst: a viewer that writes batches
        f"GRANT {viewer} TO {analyst}",
        f"GRANT INSERT ({', '.join(BATCH_INSERT)}) ON {s}.batches TO {analyst}",
        f"GRANT UPDATE ({', '.join(BATCH_UPDATE)}) ON {s}.batches TO {analyst}",
        *(f"GRANT {what} ON {s}.{t} TO {analyst}" for t, what in ANALYST_WRITES.items()),
        f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {s} TO {analyst}",
        # admin: an analyst that owns the tables (schema changes, migrations)
        f"GRANT {analyst} TO {admin}",
        f"GRANT USAGE, CREATE ON SCHEMA {s} TO {admin}",
        # whoever runs this stays able to do everything (and may hand the tables over)
        f"DO $$BEGIN IF NOT pg_has_role(current_user, '{names['admin']}', 'MEMBER') THEN "
        f"GRANT {admin} TO CURRENT_USER; END IF; END$$",
        f"DO $atlas$DECLARE t record; BEGIN FOR t IN SELECT tablename FROM pg_tables "
        f"WHERE schemaname = {literal} LOOP EXECUTE 'ALTER TABLE ' || quote_ident({literal}) "
        f"|| '.' || quote_ident(t.tablename) || ' OWNER TO {admin}'; END LOOP; END$atlas$",
        # tables a later migration adds are readable by viewers from the start
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {admin} IN SCHEMA {s} GRANT SELECT ON TABLES "
        f"TO {viewer}",
    ]
    return stmts


def create_roles(store: PostgisStore, prefix: str = DEFAULT_PREFIX) -> dict[str, str]:
    """Create the roles and grant them ``store`` (one transaction); returns their names."""
    store.access().require(f"create roles for the store {store.url}", admin=True)
    names = role_names(prefix)
    store.run_script(role_sql(store.schema, prefix))
    return names


def grant_role(store: PostgisStore, user: str, role: str, prefix: str = DEFAULT_PREFIX) -> str:
    """Make the database user ``user`` a member of ``role`` (viewer, analyst or admin);
    returns the role's name.  (Creating login users and their passwords is the DBA's.)"""
    names = role_names(prefix)
    if role not in names:
        raise ValidationError("role", role, f"expected one of {', '.join(ROLES)}")
    store.access().require(f"grant {role} to {user}", admin=True)
    store.run_script([f"GRANT {_q(names[role])} TO {_q(user)}"])
    return names[role]
