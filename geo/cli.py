"""``python -m geo``: argument parsing only; the work is done by the modules it calls.

Results go to stdout as JSON; errors go to stderr with a non-zero exit status.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from typing import Any

from geo import query
from geo.errors import AtlasError
from geo.gazetteer import Gazetteer
from geo.io.geojson import read_incidents
from geo.model import to_feature_collection
from geo.paths import INCIDENTS_GEOJSON


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {text!r}") from None


def _range_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--start", type=_date, help="first day of the range (YYYY-MM-DD)")
    p.add_argument("--end", type=_date, help="last day of the range (YYYY-MM-DD)")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m geo", description="Incident Atlas command line")
    sub = p.add_subparsers(dest="command", required=True)

    g = sub.add_parser("geocode", help="resolve a place name through the site gazetteer")
    g.add_argument("name")

    i = sub.add_parser("incidents", help="GeoJSON of incidents whose window overlaps the range")
    _range_args(i)

    s = sub.add_parser("summary", help="per-site attack summaries for the range, as JSON")
    _range_args(s)
    return p


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


def _filtered(args: argparse.Namespace) -> tuple[Any, query.Filters]:
    frame = query.to_frame(read_incidents(INCIDENTS_GEOJSON))
    filters = query.Filters(start=args.start, end=args.end)
    return query.apply(frame, filters), filters


def cmd_incidents(args: argparse.Namespace) -> int:
    incidents = read_incidents(INCIDENTS_GEOJSON)
    frame, _ = _filtered(args)
    keep = set(frame["id"])
    _print(to_feature_collection([i for i in incidents if i.id in keep]))
    return 0


def cmd_summary(args: argparse.Namespace) -> int:
    frame, filters = _filtered(args)
    whole = query.span(query.to_frame(read_incidents(INCIDENTS_GEOJSON)))
    as_of = filters.end or (whole[1] if whole else date.today())
    rows = query.site_summaries(frame, Gazetteer.load(), as_of)
    _print([r.as_dict() for r in rows])
    return 0


COMMANDS = {"geocode": cmd_geocode, "incidents": cmd_incidents, "summary": cmd_summary}


def _print(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if getattr(args, "start", None) and getattr(args, "end", None) and args.start > args.end:
        print(f"error: --start {args.start} is after --end {args.end}", file=sys.stderr)
        return 2
    try:
        return COMMANDS[args.command](args)
    except AtlasError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
