"""``python -m geo``: argument parsing only; the work is done by the modules it calls.

Results go to stdout as JSON; errors go to stderr with a non-zero exit status.  Every command
that reads or writes incidents takes ``--store`` (or ``ATLAS_STORE``): a ``postgresql://`` URL
or a file path (the embedded store, created if missing; default ``var/atlas.sqlite``), and
``--read-only`` (or ``ATLAS_READ_ONLY=1``): open an existing store and write nothing.  A write
the connected role (or the read-only mode) does not allow exits with status 2 and a message.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from geo import cliargs, query
from geo.errors import AtlasError
from geo.gazetteer import Gazetteer
from geo.model import to_feature_collection
from geo.paths import ROOT
from geo.store import Store, open_store


def _store_arg(p: argparse.ArgumentParser) -> None:
    cliargs.add_store(p)


def _view_args(p: argparse.ArgumentParser) -> None:
    _store_arg(p)
    cliargs.add_range(p)
    p.add_argument("--as-of", type=cliargs.as_of, help="the data as of a batch number or a date")
    p.add_argument(
        "--pending", action="store_true", help="include extracted incidents not yet reviewed"
    )


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m geo", description="Incident Atlas command line")
    sub = p.add_subparsers(dest="command", required=True)

    g = sub.add_parser("geocode", help="resolve a place name through the site gazetteer")
    g.add_argument("name")

    i = sub.add_parser("incidents", help="GeoJSON of incidents whose window overlaps the range")
    _view_args(i)

    s = sub.add_parser("summary", help="per-site attack summaries for the range, as JSON")
    _view_args(s)

    imp = sub.add_parser("import", help="import ACLED, UCDP GED, GeoJSON or CSV files")
    imp.add_argument("files", nargs="+", type=Path, metavar="FILE")
    imp.add_argument(
        "--format", choices=_formats(), help="the files' format (sniffed if not given)"
    )
    imp.add_argument("--rejects", type=Path, help="write every rejected row to this CSV")
    _store_arg(imp)

    ing = sub.add_parser("ingest", help="extract incidents from articles into the store")
    ing.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    ing.add_argument(
        "--published", type=cliargs.iso_date, help="publication date of plain-text articles"
    )
    ing.add_argument(
        "--accept", action="store_true", help="accept them at once (default: pending review)"
    )
    _store_arg(ing)

    b = sub.add_parser(
        "bench", help="run the benchmarks (python -m benchmarks, in a child process)"
    )
    b.add_argument("--json", action="store_true", help="one JSON object with stable keys")
    b.add_argument("--quick", action="store_true", help="smaller sizes: a smoke run")
    rv = sub.add_parser("review", help="accept or reject an incident waiting for review")
    rv.add_argument("id")
    rv.add_argument("verdict", choices=("accept", "reject"))
    _store_arg(rv)

    b = sub.add_parser("batches", help="the store's import batches (and who wrote each), as JSON")
    _store_arg(b)

    h = sub.add_parser("history", help="every version of one incident, as JSON")
    h.add_argument("id")
    _store_arg(h)

    r = sub.add_parser("roles", help="who may do what: show it, or set up the PostGIS roles")
    r.add_argument(
        "action",
        choices=("show", "create", "grant"),
        help="show: the connected user and role; create: the viewer, analyst and admin roles "
        "with their grants on this store (PostGIS; as the tables' owner); grant: USER ROLE",
    )
    r.add_argument("grantee", nargs="*", metavar="USER ROLE", help="for grant: a user and a role")
    r.add_argument("--prefix", default=None, help="role names' prefix (default: atlas_)")
    r.add_argument("--sql", action="store_true", help="create: print the SQL, run nothing")
    _store_arg(r)

    for extra in _extra_commands():
        extra(sub)
    return p


def _formats() -> list[str]:
    from geo.importers import FORMATS

    return list(FORMATS)


#: modules that add subcommands with ``register(subparsers)``; each sets ``handler`` on its parser
EXTRA_COMMANDS: tuple[str, ...] = ("geo.extract.cli", "geo.export.cli", "geo.synth")


def _extra_commands() -> list[Callable[[Any], None]]:
    """Subcommands that live with their modules (``register(subparsers)``)."""
    found = []
    for module in EXTRA_COMMANDS:
        try:
            mod = __import__(module, fromlist=["register"])
        except ModuleNotFoundError as exc:
            if exc.name and module.startswith(exc.name):
                continue  # that part is not installed in this checkout
            raise
        found.append(mod.register)
    return found


def _open(args: argparse.Namespace) -> Store:
    return open_store(getattr(args, "store", None), read_only=getattr(args, "read_only", None))


def _writable(args: argparse.Namespace, action: str) -> Store:
    """The store, when this connection may write to it (else NotAllowedError, before any
    work is done)."""
    store = _open(args)
    store.access().require(f"{action} {store.url}")
    return store


def _frame(store: Store, args: argparse.Namespace) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(all incidents as of --as-of, those in the range)."""
    as_of = args.as_of
    if isinstance(as_of, datetime):
        batch = store.batch_at(as_of)
        if batch is None:
            raise AtlasError(f"no batch had been imported by {as_of:%Y-%m-%d %H:%M}")
        as_of = batch
    whole = store.frame(as_of=as_of)
    return whole, query.apply(whole, _filters(args))


def _filters(args: argparse.Namespace) -> query.Filters:
    reviews = ("accepted", "pending") if args.pending else ("accepted",)
    return query.Filters(start=args.start, end=args.end, reviews=reviews)


def cmd_geocode(args: argparse.Namespace) -> int:
    site = Gazetteer.load().lookup(args.name)
    if site is None:
        print(f"not found: {args.name}", file=sys.stderr)
        return 1
    _print(
        {
            "site_id": site.id,
            "name": site.name,
            "latitude": site.latitude,
            "longitude": site.longitude,
            "country": site.country,
        }
    )
    return 0


def cmd_incidents(args: argparse.Namespace) -> int:
    store = _open(args)
    _, frame = _frame(store, args)
    keep = set(frame["id"])
    incidents = [i for i in store.incidents(as_of=_batch(store, args)) if i.id in keep]
    _print(to_feature_collection(incidents))
    return 0


def _batch(store: Store, args: argparse.Namespace) -> int | None:
    if isinstance(args.as_of, datetime):
        return store.batch_at(args.as_of)
    return args.as_of


def cmd_summary(args: argparse.Namespace) -> int:
    store = _open(args)
    whole, frame = _frame(store, args)
    span = query.span(whole)
    as_of = args.end or (span[1] if span else date.today())
    filters = _filters(args)
    rows = query.site_summaries(query.for_summaries(frame, filters), Gazetteer.load(), as_of)
    _print([r.as_dict() for r in rows])
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from geo.ingest import import_file, write_rejects

    store = _writable(args, "import into the store")
    totals = {
        "read": 0,
        "stored": 0,
        "revised": 0,
        "duplicates": 0,
        "rejected": 0,
        "likely_duplicates": 0,
    }
    files: list[dict[str, Any]] = []
    rejects = []
    failed = 0
    for path in args.files:
        try:
            batch = import_file(store, path, args.format)
        except (AtlasError, OSError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            files.append({"file": str(path), "error": str(exc)})
            failed += 1
            continue
        files.append({**batch.summary(), **_flagged(store, batch.id)})
        for key in totals:
            totals[key] += getattr(batch, key)
        if args.rejects:
            rejects.extend(store.rejects(batch.id))
    if args.rejects:
        write_rejects(rejects, args.rejects)
    if totals["stored"] or totals["revised"]:
        # the app's frame cache brought up to date now, so that the app's next open reads the
        # cache instead of the whole store (geo.store.frame_cache; never fatal)
        from geo.store import frame_cache

        frame_cache.load(store)
    _print({**totals, "files": files})
    return 1 if failed else 0


#: flagged pairs listed per batch in a report (the count is always whole)
MAX_FLAGS_SHOWN = 100


def _flagged(store: Store, batch_id: int) -> dict[str, Any]:
    """The batch's likely duplicates for its report: which new record looks like which stored
    one, for an analyst to merge or keep apart (the review page lists them too)."""
    flags = store.likely_duplicates(batch_id, open_only=False)
    shown = [{"id": f.id, "like": f.other_id} for f in flags[:MAX_FLAGS_SHOWN]]
    out: dict[str, Any] = {"flagged": shown}
    if len(flags) > len(shown):
        out["flagged_not_shown"] = len(flags) - len(shown)
    return out


def cmd_ingest(args: argparse.Namespace) -> int:
    from geo.ingest import ingest_articles

    store = _writable(args, "ingest into the store")
    batch, extraction, known = ingest_articles(
        store, cliargs.expand(args.paths, cliargs.ARTICLE_SUFFIXES), args.published, args.accept
    )
    _print(
        {
            **batch.summary(),
            **_flagged(store, batch.id),
            "review": "accepted" if args.accept else "pending",
            "already_in_store": known,
            "unlocated": [u.incident_id for u in extraction.unlocated],
            "not_incidents": len(extraction.rejected),
        }
    )
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    from geo.review import record_verdict

    store = _writable(args, f"review {args.id} in the store")
    verdict = "accepted" if args.verdict == "accept" else "rejected"
    batch = record_verdict(store, args.id, verdict)
    _print({"id": args.id, "review": verdict, "batch": batch.id, "by": batch.created_by})
    return 0


def cmd_batches(args: argparse.Namespace) -> int:
    store = _open(args)
    _print(
        [
            {
                **b.summary(),
                "by": b.created_by,
                "started_at": b.started_at.isoformat(),
                "sha256": b.content_sha256,
            }
            for b in store.batches()
        ]
    )
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    store = _open(args)
    versions = store.history(args.id)
    if not versions:
        print(f"not found: {args.id}", file=sys.stderr)
        return 1
    batches = {b.id: b for b in store.batches()}
    _print(
        [
            {
                "batch": b,
                "by": batches[b].created_by,
                "at": batches[b].finished_at.isoformat(),
                "incident": inc.model_dump(mode="json"),
            }
            for b, inc in versions
        ]
    )
    return 0


def cmd_roles(args: argparse.Namespace) -> int:
    from geo.store import roles

    prefix = args.prefix if args.prefix is not None else roles.DEFAULT_PREFIX
    if args.action == "show":
        if args.grantee:
            raise AtlasError(f"roles show takes no USER ROLE; got {' '.join(args.grantee)!r}")
        store = _open(args)
        access = store.access()
        _print(
            {
                "store": store.url,
                "user": access.user,
                "role": access.role,
                "read_only": access.read_only,
                "can_write": access.can_write,
                "can_admin": access.can_admin,
            }
        )
        return 0
    from geo.store.postgis import PostgisStore

    if args.action == "create" and args.grantee:
        raise AtlasError(f"roles create takes no USER ROLE; got {' '.join(args.grantee)!r}")
    if args.action == "grant" and len(args.grantee) != 2:
        raise AtlasError(f"roles grant takes USER ROLE; got {' '.join(args.grantee)!r}")
    store = open_store(args.store, bundled=False, read_only=args.read_only)
    if not isinstance(store, PostgisStore):
        raise AtlasError(
            f"roles {args.action} is for a PostGIS store (postgresql://...); {store.url} is an "
            "embedded store, where whoever may write the file may do everything"
        )
    if args.action == "create":
        if args.sql:
            print(";\n".join(roles.role_sql(store.schema, prefix)) + ";")
            return 0
        _print(roles.create_roles(store, prefix))
        return 0
    user, role = args.grantee
    _print({"user": user, "granted": roles.grant_role(store, user, role, prefix)})
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    """The benchmark runner lives with ``benchmarks/`` (never imported by ``geo``): run it."""
    flags = [f for f, on in (("--json", args.json), ("--quick", args.quick)) if on]
    return subprocess.run([sys.executable, "-m", "benchmarks", *flags], cwd=ROOT).returncode


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "geocode": cmd_geocode,
    "incidents": cmd_incidents,
    "summary": cmd_summary,
    "import": cmd_import,
    "ingest": cmd_ingest,
    "review": cmd_review,
    "batches": cmd_batches,
    "history": cmd_history,
    "roles": cmd_roles,
    "bench": cmd_bench,
}


def _print(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if getattr(args, "start", None) and getattr(args, "end", None) and args.start > args.end:
        print(f"error: --start {args.start} is after --end {args.end}", file=sys.stderr)
        return 2
    try:
        handler = COMMANDS.get(args.command) or args.handler
        return int(handler(args))
    except AtlasError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
