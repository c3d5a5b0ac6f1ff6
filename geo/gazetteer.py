"""The site gazetteer: the known bases and places (``data/sites.csv``) and name matching.

A :class:`Site` is one row of the CSV.  :class:`Gazetteer` loads the file, checks it, and answers
"which site does this name mean?" -- or ``None`` when it does not know.  It never guesses a place.

Matching
--------
Every site name and alias is turned into a *key* by :func:`normalize`; a name matches a site when
its key equals one of the site's keys.  Only if there is no exact key does a guarded fuzzy fallback
run (see :meth:`Gazetteer.match`).  :func:`normalize`, in order:

1. strips diacritics (``unicodedata`` NFKD, combining marks dropped; ``ı ø ł đ æ œ ß`` folded by
   hand) and case-folds;
2. *deletes* apostrophes and the Arabic ayn/hamza marks (``' ’ ‘ ʼ ʿ ʾ```) instead of turning them
   into spaces: in transliterations they sit inside a word (``Ma'an``, ``Qa'im``) and a space would
   invent an article token (``an``) or a one-letter token;
3. turns every other non-alphanumeric character (hyphens, dots, brackets, ...) into a space and
   splits letters from digits (``T22`` -> ``t 22``, ``Tower-22`` -> ``tower 22``);
4. maps the Roman numerals ``ii``-``ix`` (not ``i``, ``v``, ``x``, which are usually initials) to
   digits, so ``Union III`` and ``Union 3`` share a key;
5. drops the Arabic article in all its assimilated spellings (:data:`ARTICLES`: ``al el ad an ar
   as ash at az ...``), ``the``, and the ``ain``/``ayn`` (spring) prefix token;
6. drops the generic words in :data:`GENERIC_WORDS` / :data:`GENERIC_PAIRS`;
7. collapses doubled letters (``Assad`` -> ``asad``, ``Tell`` -> ``tel``; digits are never
   collapsed, so ``22`` stays ``22``), then maps ``tal``/``tel``/``tell`` to ``tel``;
8. joins the tokens with single spaces.

Which generic words are dropped, and why
    Dropped -- ``airbase``, ``air base``, ``base``, ``AB``, ``garrison``, ``airfield``, ``air field``,
    ``military``, ``outpost``, ``installation``, ``us``/``u s``: news writes the same base with or
    without them (``Al-Asad``, ``Al-Asad Airbase``, ``Al-Assad air base``).  The cost is that
    ``X base`` and the town ``X`` share a key; for every site here that is the same place (Harir,
    Shaddadi, Tanf) or the town is not a site.  An alias that would collide with a *different*
    place after dropping is left out of the CSV instead (``Qadisiyah Airbase`` -> ``qadisiyah``, an
    Iraqi governorate), and :meth:`Gazetteer.load` rejects any key claimed by two sites.

    Kept -- ``airport`` and ``international`` (``Baghdad airport`` must not become the city
    ``Baghdad``), ``camp`` (``Rukban camp``, ``al-Hol camp`` are refugee camps, not bases),
    ``dam`` (``Mosul Dam`` is not Mosul), ``city``, ``field``/``oil``/``gas`` (``Conoco gas field``
    is written out as an alias), ``fob``, ``lz`` and ``mss`` (spelled out in aliases instead).

    Dropping ``ain``/``ayn`` merges ``Ain X`` with ``X`` for every X; no site here has a key that
    another place's ``Ain X`` could reach, and the load-time collision check keeps it that way.
"""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process

from geo.errors import DataFileError, NotFoundError
from geo.paths import SITES_CSV

#: The CSV header, in order.
COLUMNS: tuple[str, ...] = (
    "id",
    "name",
    "aliases",
    "kind",
    "country",
    "admin1",
    "latitude",
    "longitude",
    "coord_source",
    "note",
)

#: Allowed values of ``kind``.
KINDS: frozenset[str] = frozenset(
    {
        "air_base",
        "garrison",
        "outpost",
        "mission_support_site",
        "airport",
        "landing_zone",
        "city",
        "town",
    }
)

#: The Arabic article (with its sun-letter assimilations) and ``the``; dropped as whole tokens.
ARTICLES: frozenset[str] = frozenset(
    {
        "al",
        "el",
        "ad",
        "adh",
        "an",
        "ar",
        "as",
        "ash",
        "at",
        "ath",
        "az",
        "ed",
        "en",
        "er",
        "es",
        "esh",
        "et",
        "ez",
        "the",
    }
)
#: ``ain``/``ayn``/``ein`` ("spring of"), dropped as whole tokens: ``Ain al-Asad`` = ``Al-Asad``.
PREFIXES: frozenset[str] = frozenset({"ain", "ayn", "ein"})
#: Generic military words dropped as whole tokens (see the module docstring for the choice).
GENERIC_WORDS: frozenset[str] = frozenset(
    {"airbase", "base", "ab", "garrison", "airfield", "military", "outpost", "installation", "us"}
)
#: Two-token generic phrases dropped together.
GENERIC_PAIRS: frozenset[tuple[str, str]] = frozenset(
    {("air", "base"), ("air", "field"), ("u", "s")}
)
#: Roman numerals that become digits (``i``, ``v``, ``x`` are left alone: usually initials).
ROMAN: dict[str, str] = {
    "ii": "2",
    "iii": "3",
    "iv": "4",
    "vi": "6",
    "vii": "7",
    "viii": "8",
    "ix": "9",
}

#: Fuzzy fallback: lowest rapidfuzz ``fuzz.ratio`` accepted (0-100).
FUZZY_CUTOFF = 90.0
#: Fuzzy fallback: shortest key (letters and digits, spaces not counted) allowed to fuzzy-match.
FUZZY_MIN_CHARS = 7
#: Fuzzy fallback: tokens this short or shorter must be equal exactly.
SHORT_TOKEN = 3

_APOSTROPHES = re.compile("['\u2019\u2018\u02bc\u02bf\u02be`\u00b4]")
_FOLD = str.maketrans({"ı": "i", "ø": "o", "ł": "l", "đ": "d", "æ": "ae", "œ": "oe", "ß": "ss"})
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_LETTER_DIGIT = re.compile(r"(?<=[a-z])(?=[0-9])|(?<=[0-9])(?=[a-z])")
_DOUBLED = re.compile(r"([a-z])\1+")
_DIGITS = re.compile(r"[0-9]+")
_SITE_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_COUNTRY = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True)
class Site:
    """One known place.  ``latitude``/``longitude`` are WGS84 degrees, or both ``None``."""

    id: str
    name: str
    aliases: tuple[str, ...]
    kind: str
    country: str
    admin1: str | None
    latitude: float | None
    longitude: float | None
    coord_source: str
    note: str | None

    @property
    def located(self) -> bool:
        """True when the site has a verified coordinate."""
        return self.latitude is not None and self.longitude is not None


def normalize(name: str) -> str:
    """The matching key of a place name (see the module docstring); ``""`` if nothing is left.
    Repeated until it stops changing, so a key is its own key."""
    key = _once(name)
    while (again := _once(key)) != key:
        key = again
    return key


def _once(name: str) -> str:
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _APOSTROPHES.sub("", text).casefold().translate(_FOLD)
    text = _LETTER_DIGIT.sub(" ", _NON_ALNUM.sub(" ", text))
    tokens = [ROMAN.get(t, t) for t in text.split()]
    kept: list[str] = []
    i = 0
    while i < len(tokens):
        if tuple(tokens[i : i + 2]) in GENERIC_PAIRS:
            i += 2
            continue
        # doubled letters collapse first, so "enn"/"all" are the articles they spell and the
        # key is a fixed point (normalize(normalize(x)) == normalize(x))
        tok = _DOUBLED.sub(r"\1", tokens[i])
        i += 1
        if tok in ARTICLES or tok in PREFIXES or tok in GENERIC_WORDS:
            continue
        kept.append("tel" if tok == "tal" else tok)
    return " ".join(kept)


def _fuzzy_allowed(key: str, candidate: str) -> bool:
    """The guards of the fuzzy fallback: lengths, token counts, short tokens and digits."""
    if len(key.replace(" ", "")) < FUZZY_MIN_CHARS:
        return False
    a, b = key.split(), candidate.split()
    if len(a) != len(b):
        return False
    if any(
        (len(x) <= SHORT_TOKEN or len(y) <= SHORT_TOKEN) and x != y
        for x, y in zip(a, b, strict=True)
    ):
        return False
    return _DIGITS.findall(key) == _DIGITS.findall(candidate)


class Gazetteer:
    """The loaded sites, with a key -> site index.  Build it with :meth:`load`."""

    def __init__(self, sites: list[Site], keys: dict[str, str]) -> None:
        self._sites: dict[str, Site] = {s.id: s for s in sites}
        self._keys: dict[str, str] = dict(keys)  # normalized key -> site id

    @classmethod
    def load(cls, path: Path = SITES_CSV) -> Gazetteer:
        """Read and check ``path``; :class:`DataFileError` names the line and field of a bad row."""
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            raise DataFileError(str(path), f"not UTF-8 text ({exc.reason})") from None
        except OSError as exc:
            raise DataFileError(str(path), f"cannot read file: {exc.strerror or exc}") from None

        reader = csv.reader(io.StringIO(text, newline=""))
        sites: list[Site] = []
        keys: dict[str, str] = {}
        id_lines: dict[str, int] = {}
        key_lines: dict[str, int] = {}
        end = 0
        try:
            for row in reader:
                line, end = end + 1, reader.line_num
                if line == 1:
                    if tuple(c.strip() for c in row) != COLUMNS:
                        raise DataFileError(
                            str(path), f"header must be {','.join(COLUMNS)}; got {','.join(row)}", 1
                        )
                    continue
                if not row or all(not c.strip() for c in row):
                    continue
                site = _parse_row(str(path), line, row)
                if site.id in id_lines:
                    raise DataFileError(
                        str(path),
                        f"field 'id': duplicate id {site.id!r} (first on line {id_lines[site.id]})",
                        line,
                    )
                id_lines[site.id] = line
                for field, label in [("name", site.name)] + [("aliases", a) for a in site.aliases]:
                    key = normalize(label)
                    if not key:
                        raise DataFileError(
                            str(path),
                            f"field {field!r}: {label!r} normalizes to an empty key",
                            line,
                        )
                    owner = keys.setdefault(key, site.id)
                    if owner != site.id:
                        raise DataFileError(
                            str(path),
                            f"field {field!r}: {label!r} normalizes to {key!r}, already claimed by "
                            f"site {owner!r} (line {key_lines[key]})",
                            line,
                        )
                    key_lines.setdefault(key, line)
                sites.append(site)
        except csv.Error as exc:
            raise DataFileError(str(path), f"malformed CSV: {exc}", end + 1) from None
        if end == 0:
            raise DataFileError(str(path), "empty file: no header")
        return cls(sites, keys)

    def __iter__(self) -> Iterator[Site]:
        return iter(self._sites.values())

    def __len__(self) -> int:
        return len(self._sites)

    def get(self, site_id: str) -> Site:
        """The site with this id, or :class:`NotFoundError`."""
        try:
            return self._sites[site_id]
        except KeyError:
            raise NotFoundError(f"unknown site id: {site_id}") from None

    def lookup(self, name: str) -> Site | None:
        """The site this name means, or ``None`` when the name is not known (never a guess)."""
        found = self.match(name)
        return found[0] if found else None

    def match(self, name: str) -> tuple[Site, float, str] | None:
        """``(site, score 0-100, matched key)``, or ``None``.

        An exact key scores 100.  Otherwise the fuzzy fallback compares the key with every site key
        that passes the guards (key of at least :data:`FUZZY_MIN_CHARS` letters/digits, same
        number of tokens, tokens of <= :data:`SHORT_TOKEN` characters equal exactly, the same
        digits) using rapidfuzz ``fuzz.ratio`` with ``score_cutoff`` :data:`FUZZY_CUTOFF`.  If the
        best score is shared by keys of two different sites the name is ambiguous: ``None``.
        """
        key = normalize(name)
        if not key:
            return None
        site_id = self._keys.get(key)
        if site_id is not None:
            return self._sites[site_id], 100.0, key
        choices = [k for k in self._keys if _fuzzy_allowed(key, k)]
        hits = process.extract(
            key, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=None
        )
        if not hits:
            return None
        best = hits[0][1]
        tied = {self._keys[k] for k, score, _ in hits if score == best}
        if len(tied) > 1:
            return None
        best_key = hits[0][0]
        return self._sites[self._keys[best_key]], float(best), best_key


def _parse_row(path: str, line: int, row: list[str]) -> Site:
    """One data row -> :class:`Site`, or :class:`DataFileError` naming the line and field."""
    if len(row) != len(COLUMNS):
        raise DataFileError(path, f"expected {len(COLUMNS)} fields, got {len(row)}", line)
    f = dict(zip(COLUMNS, (c.strip() for c in row), strict=True))

    def bad(field: str, rule: str) -> DataFileError:
        return DataFileError(path, f"field {field!r}: {rule}; got {f[field]!r}", line)

    if not _SITE_ID.match(f["id"]):
        raise bad("id", "must be lower-case letters, digits and '_', starting with a letter")
    if not f["name"]:
        raise bad("name", "must not be empty")
    aliases: list[str] = []
    if f["aliases"]:
        for alias in (a.strip() for a in f["aliases"].split(";")):
            if not alias:
                raise bad("aliases", "';'-separated names, none of them empty")
            if alias not in aliases:
                aliases.append(alias)
    if f["kind"] not in KINDS:
        raise bad("kind", f"must be one of {', '.join(sorted(KINDS))}")
    if not _COUNTRY.match(f["country"]):
        raise bad("country", "must be an ISO 3166-1 alpha-3 code such as IRQ, SYR, JOR")
    if not f["coord_source"]:
        raise bad("coord_source", "must cite the source of the coordinate (or say there is none)")
    lat = _coordinate(f["latitude"], 90.0, lambda rule: bad("latitude", rule))
    lon = _coordinate(f["longitude"], 180.0, lambda rule: bad("longitude", rule))
    if (lat is None) != (lon is None):
        raise bad("latitude" if lat is None else "longitude", "latitude and longitude go together")
    return Site(
        id=f["id"],
        name=f["name"],
        aliases=tuple(aliases),
        kind=f["kind"],
        country=f["country"],
        admin1=f["admin1"] or None,
        latitude=lat,
        longitude=lon,
        coord_source=f["coord_source"],
        note=f["note"] or None,
    )


def _coordinate(raw: str, limit: float, bad: Callable[[str], DataFileError]) -> float | None:
    """Parse one coordinate field: empty -> ``None``; else a finite number within +-limit."""
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise bad("must be a decimal number of degrees") from None
    if not math.isfinite(value) or not -limit <= value <= limit:
        raise bad(f"must be between -{limit:g} and {limit:g} degrees")
    return value
