"""Scoring extraction against a hand-read key of real reports (``geo evaluate --key``).

A key is a JSON file: per article its URL, outlet, publication date, split (``dev`` or
``holdout``) and the list of distinct attacks it reports, read by hand (``benchmarks/realworld/
key.json``; the seed key ``benchmarks/seeds/key.json`` has the same form).  The article texts live
in a folder as ``<id>.txt`` in the seed format (`` date YYYY-MM-DD`` header, then the text).

Each article is extracted on its own and its extracted *attacks* are matched one to one with its
keyed ones:

* a located keyed attack needs a located extraction within ``tolerance_km`` of its point and a
  date window that overlaps the key's;
* an unlocated keyed attack (no point) needs an extraction in the same country (or the other
  country the key allows, ``country_alt``, where the report itself disputes it) with an
  overlapping window.

Recall is matched / keyed, precision matched / extracted.  Over the matched pairs, each field
is right when:

* ``date``: both ends of the window within a day of the key's;
* ``weapons``: the same set (``unknown`` ignored);
* ``killed`` / ``injured``: minimum and maximum equal to the key's, where the key gives a figure.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from geo.articles import Article, read_article
from geo.errors import DataFileError
from geo.extract.evaluate import one_to_one
from geo.extract.extractor import Extractor, extract_articles
from geo.extract.merge import haversine_km  # re-exported: the key scores distances with it
from geo.model import Incident

#: the fields scored over matched pairs, in the order they are printed
FIELDS = ("date", "weapons", "killed", "injured")


@dataclass(frozen=True)
class KeyedAttack:
    """One attack of the key: where, when, with what, and US casualties as ``(min, max)``."""

    country: str
    date_start: date
    date_end: date
    weapons: frozenset[str]
    place: str = ""
    latitude: float | None = None
    longitude: float | None = None
    tolerance_km: float | None = None
    killed: tuple[int | None, int | None] | None = None
    injured: tuple[int | None, int | None] | None = None
    #: another country the text itself allows (a report that disputes where the attack was)
    country_alt: str | None = None

    @property
    def countries(self) -> frozenset[str]:
        return frozenset(c for c in (self.country, self.country_alt) if c)

    @property
    def located(self) -> bool:
        return self.latitude is not None and self.longitude is not None


@dataclass(frozen=True)
class KeyedArticle:
    id: str
    url: str
    outlet: str
    published: date
    split: str
    attacks: tuple[KeyedAttack, ...]


def _range(value: Any, where: str) -> tuple[int | None, int | None] | None:
    if value is None:
        return None
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(v is None or isinstance(v, int) for v in value)
    ):
        raise DataFileError(where, f"expected [min, max] (either may be null), got {value!r}")
    return value[0], value[1]


def _attack(raw: dict[str, Any], where: str) -> KeyedAttack:
    try:
        lat, lon = raw.get("lat"), raw.get("lon")
        return KeyedAttack(
            country=raw["country"],
            date_start=date.fromisoformat(raw["date_start"]),
            date_end=date.fromisoformat(raw["date_end"]),
            weapons=frozenset(raw.get("weapons") or ()) - {"unknown"},
            place=raw.get("place") or "",
            latitude=None if lat is None else float(lat),
            longitude=None if lon is None else float(lon),
            tolerance_km=raw.get("tolerance_km") or (15.0 if lat is not None else None),
            killed=_range(raw.get("killed"), f"{where}: killed"),
            injured=_range(raw.get("injured"), f"{where}: injured"),
            country_alt=raw.get("country_alt"),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise DataFileError(where, f"expected a keyed attack, got {raw!r} ({exc})") from None


def load_key(path: Path) -> list[KeyedArticle]:
    """The articles of a key file (see the module docstring)."""
    path = Path(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataFileError(str(path), f"cannot read the key as JSON: {exc}") from None
    out = []
    for n, a in enumerate(doc.get("articles", [])):
        where = f"{path}: article {n} ({a.get('id', '?')})"
        try:
            out.append(
                KeyedArticle(
                    id=a["id"],
                    url=a.get("url", ""),
                    outlet=a.get("outlet", ""),
                    published=date.fromisoformat(a["published"]),
                    split=a.get("split", "dev"),
                    attacks=tuple(
                        _attack(x, f"{where} attack {i}") for i, x in enumerate(a["attacks"])
                    ),
                )
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise DataFileError(where, f"expected id, published and attacks ({exc})") from None
    return out


def matches(e: Incident, k: KeyedAttack) -> bool:
    """Whether extracted ``e`` can be keyed ``k`` (see the module docstring)."""
    if not (e.date_start <= k.date_end and k.date_start <= e.date_end):
        return False
    if not k.located:
        return e.country in k.countries
    if e.latitude is None or e.longitude is None:
        return False
    assert k.latitude is not None and k.longitude is not None
    tolerance = k.tolerance_km or 15.0
    return haversine_km(e.latitude, e.longitude, k.latitude, k.longitude) <= tolerance


def _within_a_day(a: date, b: date) -> bool:
    return abs((a - b).days) <= 1


def field_right(name: str, e: Incident, k: KeyedAttack) -> bool | None:
    """Whether ``e`` has field ``name`` right; ``None`` where the key gives no figure."""
    if name == "date":
        return _within_a_day(e.date_start, k.date_start) and _within_a_day(e.date_end, k.date_end)
    if name == "weapons":
        return frozenset(e.weapons) - {"unknown"} == k.weapons
    figure = k.killed if name == "killed" else k.injured
    if figure is None:
        return None
    got = (e.killed_min, e.killed_max) if name == "killed" else (e.injured_min, e.injured_max)
    return got == figure


def pair_up(
    extracted: Sequence[Incident], keyed: Sequence[KeyedAttack]
) -> list[tuple[Incident, KeyedAttack]]:
    """One-to-one pairs, those agreeing on more fields (then nearer in time) first."""
    candidates = []
    for i, e in enumerate(extracted):
        for j, k in enumerate(keyed):
            if matches(e, k):
                agree = sum(bool(field_right(f, e, k)) for f in FIELDS)
                gap = abs((e.date_start - k.date_start).days)
                candidates.append((-agree, gap, i, j))
    candidates.sort()
    return [(extracted[i], keyed[j]) for i, j in one_to_one((i, j) for *_, i, j in candidates)]


def _describe_keyed(k: KeyedAttack) -> str:
    where = k.place or k.country
    window = f"{k.date_start}..{k.date_end}" if k.date_start != k.date_end else f"{k.date_start}"
    return f"{where} [{k.country}] {window} {sorted(k.weapons)}"


def _describe(e: Incident) -> str:
    window = f"{e.date_start}..{e.date_end}" if e.date_start != e.date_end else f"{e.date_start}"
    return f"{e.location} [{e.country}] {window} {sorted(e.weapons)}"


def _value(name: str, x: Incident | KeyedAttack) -> str:
    if isinstance(x, KeyedAttack):
        return {
            "date": f"{x.date_start}..{x.date_end}",
            "weapons": str(sorted(x.weapons)),
            "killed": str(x.killed),
            "injured": str(x.injured),
        }[name]
    return {
        "date": f"{x.date_start}..{x.date_end}",
        "weapons": str(sorted(set(x.weapons) - {"unknown"})),
        "killed": str((x.killed_min, x.killed_max)),
        "injured": str((x.injured_min, x.injured_max)),
    }[name]


def score(
    articles: Iterable[KeyedArticle],
    texts: dict[str, Article],
    extractor: Extractor | None = None,
) -> dict[str, Any]:
    """Recall, precision and field accuracy of extraction over ``articles`` (see above)."""
    n_keyed = n_extracted = n_matched = 0
    right = dict.fromkeys(FIELDS, 0)
    scored = dict.fromkeys(FIELDS, 0)
    details: list[dict[str, Any]] = []
    for ka in articles:
        if ka.id not in texts:
            raise DataFileError(ka.id, "the key names an article whose text is not in the folder")
        extraction = extract_articles([texts[ka.id]], extractor)
        attacks = [i for i in extraction.incidents if i.event_type == "attack"]
        pairs = pair_up(attacks, ka.attacks)
        n_keyed += len(ka.attacks)
        n_extracted += len(attacks)
        n_matched += len(pairs)
        errors = []
        for e, k in pairs:
            for name in FIELDS:
                ok = field_right(name, e, k)
                if ok is None:
                    continue
                scored[name] += 1
                right[name] += ok
                if not ok:
                    errors.append(f"{name}: key {_value(name, k)}, got {_value(name, e)}")
        matched_e = {id(e) for e, _ in pairs}
        matched_k = {id(k) for _, k in pairs}
        details.append(
            {
                "id": ka.id,
                "outlet": ka.outlet,
                "keyed": len(ka.attacks),
                "extracted": len(attacks),
                "matched": len(pairs),
                "missed": [_describe_keyed(k) for k in ka.attacks if id(k) not in matched_k],
                "spurious": [_describe(e) for e in attacks if id(e) not in matched_e],
                "field_errors": errors,
            }
        )
    return {
        "articles": len(details),
        "keyed": n_keyed,
        "extracted": n_extracted,
        "matched": n_matched,
        "recall": round(n_matched / n_keyed, 4) if n_keyed else None,
        "precision": round(n_matched / n_extracted, 4) if n_extracted else None,
        "fields": {
            name: (round(right[name] / scored[name], 4) if scored[name] else None)
            for name in FIELDS
        },
        "field_counts": {name: [right[name], scored[name]] for name in FIELDS},
        "by_article": details,
    }


def evaluate_key(
    key_path: Path,
    articles_dir: Path,
    split: str | None = None,
    extractor: Extractor | None = None,
) -> dict[str, Any]:
    """Score extraction of the texts in ``articles_dir`` against ``key_path`` (one ``split``, or
    all articles when ``None``)."""
    keyed = [a for a in load_key(key_path) if split is None or a.split == split]
    texts = {}
    for a in keyed:
        path = Path(articles_dir) / f"{a.id}.txt"
        if not path.is_file():
            raise DataFileError(str(path), f"the key names article {a.id}: no such text file")
        texts[a.id] = read_article(path)
    metrics = score(keyed, texts, extractor)
    metrics["split"] = split or "all"
    return metrics


def format_key_table(metrics: dict[str, Any], verbose: bool = True) -> str:
    """The metrics as plain text: totals, field accuracy, and per article what went wrong."""

    def rate(x: float | None) -> str:
        return "-" if x is None else f"{x:.2f}"

    lines = [
        f"split {metrics['split']}: {metrics['articles']} articles, {metrics['keyed']} keyed "
        f"attacks, {metrics['extracted']} extracted, {metrics['matched']} matched",
        f"recall {rate(metrics['recall'])}  precision {rate(metrics['precision'])}",
    ]
    for name in FIELDS:
        ok, n = metrics["field_counts"][name]
        lines.append(f"  {name:<8} {rate(metrics['fields'][name])}  ({ok}/{n})")
    if verbose:
        for a in metrics["by_article"]:
            if not (a["missed"] or a["spurious"] or a["field_errors"]):
                continue
            lines.append(f"{a['id']} ({a['outlet']}): {a['matched']}/{a['keyed']} keyed")
            lines += [f"  missed: {m}" for m in a["missed"]]
            lines += [f"  spurious: {s}" for s in a["spurious"]]
            lines += [f"  {e}" for e in a["field_errors"]]
    return "\n".join(lines)
