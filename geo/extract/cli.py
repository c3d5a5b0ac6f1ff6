"""Command line for extraction: ``register(subparsers)`` adds ``extract`` and ``evaluate``.

``extract PATH... [--published D] [--details]`` prints a GeoJSON FeatureCollection of what the
articles report (no store is touched); ``--details`` adds an ``extraction`` member with the links
between US strikes and attacks, the unlocated incidents, the rejected sentences and the evidence
of every field.  ``evaluate [--table]`` compares extraction of ``data/articles`` with the curated
``data/incidents.geojson`` and prints the metrics as JSON (or as a table); with ``--key FILE
--articles DIR [--split dev|holdout]`` it scores extraction against a hand-read key
(:mod:`geo.extract.keyed`).

Run standalone as ``python -m geo.extract extract data/articles/*.txt``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from geo import cliargs
from geo.errors import AtlasError


def register(subparsers: Any) -> None:
    """Add the ``extract`` and ``evaluate`` commands to an ``add_subparsers()`` object."""
    e = subparsers.add_parser(
        "extract", help="extract incidents from articles (GeoJSON on stdout; nothing is stored)"
    )
    e.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="article files or folders")
    e.add_argument(
        "--published",
        type=cliargs.iso_date,
        help="publication date for files that do not state one",
    )
    e.add_argument(
        "--details",
        action="store_true",
        help="add links, unlocated incidents, rejected sentences and evidence",
    )
    e.set_defaults(handler=cmd_extract)
    v = subparsers.add_parser(
        "evaluate",
        help="compare extraction with the curated incidents, or with a hand-read key (--key)",
    )
    v.add_argument("--table", action="store_true", help="print a text table instead of JSON")
    v.add_argument(
        "--key",
        type=Path,
        help="a key file of real reports (benchmarks/realworld/key.json); needs --articles",
    )
    v.add_argument("--articles", type=Path, help="the folder holding the key's texts as <id>.txt")
    v.add_argument(
        "--split", choices=("dev", "holdout"), help="score one split of the key (default: all)"
    )
    v.set_defaults(handler=cmd_evaluate)


def cmd_extract(args: argparse.Namespace) -> int:
    from geo.extract.extractor import extract_articles
    from geo.extract.readers import read_any

    articles = [
        read_any(p, args.published) for p in cliargs.expand(args.paths, cliargs.ARTICLE_SUFFIXES)
    ]
    extraction = extract_articles(articles)
    _print(extraction.feature_collection(details=args.details))
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from geo.extract.evaluate import evaluate, format_table

    if args.key is not None or args.articles is not None:
        return _evaluate_key(args)
    metrics = evaluate()
    if args.table:
        print(format_table(metrics))
    else:
        _print(metrics)
    return 0


def _evaluate_key(args: argparse.Namespace) -> int:
    from geo.extract.keyed import evaluate_key, format_key_table

    if args.key is None or args.articles is None:
        print("error: --key and --articles go together", file=sys.stderr)
        return 2
    metrics = evaluate_key(args.key, args.articles, args.split)
    if args.table:
        print(format_key_table(metrics))
    else:
        _print(metrics)
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "extract": cmd_extract,
    "evaluate": cmd_evaluate,
}


def _print(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=1, default=str)
    sys.stdout.write("\n")


def main(argv: Sequence[str] | None = None) -> int:
    """Standalone entry point (``python -m geo.extract``)."""
    parser = argparse.ArgumentParser(prog="python -m geo.extract")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except AtlasError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
