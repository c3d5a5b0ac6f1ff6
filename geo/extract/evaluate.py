"""How well extraction reproduces the curated incidents.

An extracted incident *matches* a curated one when both have the same ``event_type``, the same
``site_id`` (or both no site and the same country) and overlapping date windows.  Matching is
one-to-one: pairs that agree on more fields are taken first.  Over the matched pairs, each field is
scored exactly:

* ``site``: ``site_id`` (and ``country`` when neither has a site);
* ``date_window``: ``date_start`` and ``date_end``;
* ``weapons``: the set of weapons;
* ``casualties``: ``killed_min``/``killed_max``/``injured_min``/``injured_max``;
* ``claimant``: ``claimed_by``;
* ``responds_to`` (US strikes only): the attack a strike answers is the extracted twin of the
  curated one (or both have none).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from geo.articles import read_articles
from geo.extract.extractor import Extractor, extract_articles
from geo.io.geojson import read_incidents
from geo.model import EVENT_TYPES, Incident
from geo.paths import ARTICLES_DIR, INCIDENTS_GEOJSON

FIELDS: dict[str, Callable[[Incident], Any]] = {
    "site": lambda i: (i.site_id, None if i.site_id else i.country),
    "date_window": lambda i: (i.date_start, i.date_end),
    "weapons": lambda i: frozenset(i.weapons),
    "casualties": lambda i: (i.killed_min, i.killed_max, i.injured_min, i.injured_max),
    "claimant": lambda i: i.claimed_by,
}


def matches(a: Incident, b: Incident) -> bool:
    """Same event type, same place (site, or country when neither has a site), overlapping dates."""
    if a.event_type != b.event_type:
        return False
    if a.site_id or b.site_id:
        if a.site_id != b.site_id:
            return False
    elif a.country != b.country:
        return False
    return a.date_start <= b.date_end and b.date_start <= a.date_end


def _agreement(a: Incident, b: Incident) -> int:
    return sum(get(a) == get(b) for get in FIELDS.values())


def pair_up(
    extracted: Sequence[Incident], curated: Sequence[Incident]
) -> list[tuple[Incident, Incident]]:
    """One-to-one matched pairs ``(extracted, curated)``, best-agreeing first."""
    candidates = [
        (_agreement(e, c), -i, -j, i, j)
        for i, e in enumerate(extracted)
        for j, c in enumerate(curated)
        if matches(e, c)
    ]
    candidates.sort(reverse=True)
    return [(extracted[i], curated[j]) for i, j in one_to_one((i, j) for *_, i, j in candidates)]


def one_to_one(ranked: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Pairs ``(i, j)`` taken best first (``ranked`` order), each ``i`` and ``j`` at most once."""
    used_i: set[int] = set()
    used_j: set[int] = set()
    pairs = []
    for i, j in ranked:
        if i in used_i or j in used_j:
            continue
        used_i.add(i)
        used_j.add(j)
        pairs.append((i, j))
    return pairs


def _summary(inc: Incident) -> dict[str, Any]:
    return {
        "id": inc.id,
        "event_type": inc.event_type,
        "site_id": inc.site_id,
        "country": inc.country,
        "window": f"{inc.date_start}..{inc.date_end}",
        "weapons": list(inc.weapons),
    }


def _rates(n_curated: int, n_extracted: int, n_matched: int) -> dict[str, Any]:
    return {
        "curated": n_curated,
        "extracted": n_extracted,
        "matched": n_matched,
        "recall": round(n_matched / n_curated, 4) if n_curated else None,
        "precision": round(n_matched / n_extracted, 4) if n_extracted else None,
    }


def compare(extracted: Sequence[Incident], curated: Sequence[Incident]) -> dict[str, Any]:
    """The metrics of ``extracted`` against ``curated`` (see the module docstring)."""
    pairs = pair_up(extracted, curated)
    by_type = {}
    for kind in EVENT_TYPES:
        n_c = sum(i.event_type == kind for i in curated)
        n_e = sum(i.event_type == kind for i in extracted)
        if n_c or n_e:
            by_type[kind] = _rates(n_c, n_e, sum(c.event_type == kind for _, c in pairs))
    fields: dict[str, Any] = {}
    errors = []
    for name, get in FIELDS.items():
        right = 0
        for e, c in pairs:
            if get(e) == get(c):
                right += 1
            else:
                errors.append(
                    {
                        "field": name,
                        "curated_id": c.id,
                        "curated": repr(get(c)),
                        "extracted": repr(get(e)),
                    }
                )
        fields[name] = round(right / len(pairs), 4) if pairs else None
    # a US strike's ``responds_to`` is right when it names the extracted twin of the curated target
    twin = {e.id: c.id for e, c in pairs}
    strikes = [(e, c) for e, c in pairs if c.event_type == "us_strike"]
    for e, c in strikes:
        got = twin.get(e.responds_to) if e.responds_to else None
        if got != c.responds_to:
            errors.append(
                {
                    "field": "responds_to",
                    "curated_id": c.id,
                    "curated": repr(c.responds_to),
                    "extracted": repr(e.responds_to),
                }
            )
    fields["responds_to"] = (
        round(
            sum(
                (twin.get(e.responds_to) if e.responds_to else None) == c.responds_to
                for e, c in strikes
            )
            / len(strikes),
            4,
        )
        if strikes
        else None
    )
    matched_e = {id(e) for e, _ in pairs}
    matched_c = {id(c) for _, c in pairs}
    return {
        "overall": _rates(len(curated), len(extracted), len(pairs)),
        "by_event_type": by_type,
        "fields": fields,
        "field_errors": errors,
        "missed": [_summary(c) for c in curated if id(c) not in matched_c],
        "spurious": [_summary(e) for e in extracted if id(e) not in matched_e],
    }


def evaluate(
    articles_dir: Path = ARTICLES_DIR,
    curated_path: Path = INCIDENTS_GEOJSON,
    extractor: Extractor | None = None,
) -> dict[str, Any]:
    """Extract from the articles of ``articles_dir`` and compare with ``curated_path``."""
    extraction = extract_articles(read_articles(articles_dir).values(), extractor)
    metrics = compare(extraction.incidents, read_incidents(curated_path))
    metrics["unlocated"] = len(extraction.unlocated)
    metrics["rejected_sentences"] = len(extraction.rejected)
    metrics["links"] = len(extraction.links)
    return metrics


def format_table(metrics: dict[str, Any]) -> str:
    """The metrics as a plain-text table."""
    lines = [
        f"{'incidents':<12}{'curated':>9}{'extracted':>11}{'matched':>9}{'recall':>8}{'precision':>11}"
    ]
    rows = [*metrics["by_event_type"].items(), ("all", metrics["overall"])]
    for name, r in rows:
        recall = "-" if r["recall"] is None else f"{r['recall']:.2f}"
        precision = "-" if r["precision"] is None else f"{r['precision']:.2f}"
        lines.append(
            f"{name:<12}{r['curated']:>9}{r['extracted']:>11}{r['matched']:>9}{recall:>8}{precision:>11}"
        )
    lines.append("")
    lines.append(
        f"{'field (over ' + str(metrics['overall']['matched']) + ' matched)':<26}{'accuracy':>10}"
    )
    for name, acc in metrics["fields"].items():
        lines.append(f"{name:<26}{'-' if acc is None else f'{acc:.2f}':>10}")
    for e in metrics["field_errors"]:
        lines.append(
            f"  {e['field']} of {e['curated_id']}: curated {e['curated']}, got {e['extracted']}"
        )
    for m in metrics["missed"]:
        lines.append(f"  missed: {m}")
    for s in metrics["spurious"]:
        lines.append(f"  spurious: {s}")
    return "\n".join(lines)
