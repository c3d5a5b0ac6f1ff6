"""``python -m geo export``: write one briefing export of the filtered incidents.

:func:`register` adds the ``export`` sub-command to ``geo.cli``'s sub-parsers, and
``python -m geo.export`` runs the same command on its own (:func:`main`).  The data comes from
the store (:func:`load_frame`).
On success one JSON line ``{"format", "out", "incidents"}`` goes to stdout.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from geo import cliargs, query
from geo.errors import AtlasError
from geo.export.view import View, data_version


def add_arguments(p: argparse.ArgumentParser) -> None:
    from geo.export import FORMATS

    # the registry's formats as the parser is built: a format registered is a format offered
    p.add_argument("--format", required=True, choices=list(FORMATS), help="what to write")
    p.add_argument("--out", required=True, type=Path, help="the file to write")
    cliargs.add_range(p)
    p.add_argument("--site", action="append", default=[], metavar="ID", help="site id (repeat)")
    p.add_argument("--weapon", action="append", default=[], metavar="W", help="weapon (repeat)")
    p.add_argument("--title", default="Incident Atlas briefing", help="title on the export")
    p.add_argument("--marking", default=None, help='banner marking, e.g. "UNCLASSIFIED"')
    cliargs.add_store(p, read_only=False)


def register(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    """Add ``export`` to ``geo.cli``'s sub-parsers (its ``EXTRA_COMMANDS`` contract: the
    parser's ``handler`` default is the function to run)."""
    p = subparsers.add_parser(
        "export",
        help="write a briefing export: map image, PDF, slides, HTML, CSV, GeoJSON, KML, GeoPackage",
        description=__doc__.split("\n\n")[0] if __doc__ else None,
    )
    add_arguments(p)
    p.set_defaults(handler=cmd_export)
    return p


def load_frame(args: argparse.Namespace) -> pd.DataFrame:
    """Every incident in the store, unfiltered.  The one place that knows where the data lives."""
    from geo.store import open_store

    store = open_store(getattr(args, "store", None))
    try:
        return store.frame()
    finally:
        store.close()


def filters_from(args: argparse.Namespace) -> query.Filters:
    return query.Filters(
        start=args.start,
        end=args.end,
        sites=tuple(dict.fromkeys(args.site)),
        weapons=tuple(dict.fromkeys(args.weapon)),
    )


class ExportArgumentError(AtlasError):
    """An ``export`` argument that cannot be used (the message says why)."""


def view_from(args: argparse.Namespace) -> View:
    """The :class:`View` the command exports: what the app shows for the same filters."""
    from geo.gazetteer import Gazetteer
    from geo.model import WEAPONS

    if args.start and args.end and args.start > args.end:
        raise ExportArgumentError(f"--start {args.start} is after --end {args.end}")
    unknown = [w for w in args.weapon if w not in WEAPONS]
    if unknown:
        raise ExportArgumentError(f"unknown weapon {unknown[0]!r}: one of {', '.join(WEAPONS)}")
    gazetteer = Gazetteer.load()
    for site_id in args.site:
        gazetteer.get(site_id)  # NotFoundError names the unknown id
    everything = load_frame(args)
    filters = filters_from(args)
    whole = query.span(everything)
    return View(
        frame=query.apply(everything, filters),
        filters=filters,
        gazetteer=gazetteer,
        title=args.title,
        marking=args.marking or None,
        as_of=data_version(everything),
        selected_sites=filters.sites,
        # "days since last" counts from the range end, or the data's last day (as the app)
        reference_date=filters.end or (whole[1] if whole else None),
    )


def cmd_export(args: argparse.Namespace) -> int:
    from geo.export import export

    out = Path(args.out)
    if not out.parent.is_dir():
        raise ExportArgumentError(f"directory {out.parent} does not exist")
    view = view_from(args)
    export(args.format, view, out)
    json.dump({"format": args.format, "out": str(out), "incidents": len(view.frame)}, sys.stdout)
    sys.stdout.write("\n")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m geo.export", description=__doc__.split("\n\n")[0])
    add_arguments(p)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m geo.export ...``: the ``export`` command without ``geo.cli``."""
    args = parser().parse_args(argv)
    try:
        return cmd_export(args)
    except AtlasError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
