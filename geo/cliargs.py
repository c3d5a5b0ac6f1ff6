"""Argument helpers every command shares: dates, the as-of point, the store, paths.

One parser type per kind of value, so that ``geo``, ``geo export`` and ``geo extract`` read a
date, a store or a folder of articles the same way and say the same thing when one is wrong.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from pathlib import Path

#: the article files a folder contributes (``extract``, ``ingest``)
ARTICLE_SUFFIXES = (".txt", ".html", ".htm")


def iso_date(text: str) -> date:
    """``YYYY-MM-DD``, or an argparse error naming what was expected and what came."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {text!r}") from None


def as_of(text: str) -> int | datetime:
    """A batch number, or a date/time (a bare date: as at the end of that day)."""
    if text.isdigit():
        return int(text)
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a batch number or a date YYYY-MM-DD[THH:MM], got {text!r}"
        ) from None
    if len(text) == 10:
        when = datetime.combine(when.date(), time.max)
    return when


def add_range(p: argparse.ArgumentParser) -> None:
    """``--start`` / ``--end``: the date range."""
    p.add_argument("--start", type=iso_date, help="first day of the range (YYYY-MM-DD)")
    p.add_argument("--end", type=iso_date, help="last day of the range (YYYY-MM-DD)")


def add_store(p: argparse.ArgumentParser, read_only: bool = True) -> None:
    """``--store`` (and ``--read-only``)."""
    p.add_argument(
        "--store",
        help="postgresql://... for PostGIS, or a file path for the embedded store "
        "(default: $ATLAS_STORE, else var/atlas.sqlite)",
    )
    if read_only:
        p.add_argument(
            "--read-only",
            action="store_true",
            default=None,
            help="open an existing store and refuse every write (default: $ATLAS_READ_ONLY)",
        )


def expand(paths: Sequence[Path], suffixes: Iterable[str]) -> list[Path]:
    """Files as given, and the files of each folder with one of ``suffixes``, sorted."""
    wanted = tuple(s.lower() for s in suffixes)
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() in wanted)
        else:
            out.append(p)
    return out
