"""Dates in text as windows ``(start, end, precision)`` read against the publication date.

Absolute forms ("October 17-18", "August 5, 2024", "October 20th", "5 August 2024", "Oct. 7",
"mid-October", "a January attack") and relative ones ("on Thursday", "yesterday", "last week",
"earlier this month", ...; the table is ``rules/dates.toml``) are found with regular expressions
built from the rule file.  Conventions:

* a date without a year is the most recent such date on or before publication ("December 30" in
  an article of 5 January is last year's);
* a weekday is the most recent such day on or before publication; the publication day itself
  counts ("on Monday" in a Monday article is that day).  ``dateparser`` 1.5.0 picks the week before
  in that case, which is why weekdays are resolved here.  The small hours of the weekday after
  publication ("in the early hours of Tuesday" in a report dated Monday) are the publication day:
  a dateline behind local time, not the week before;
* nothing happens after it is reported: windows are clipped to the publication date;
* the precision is the narrowest UCDP code whose width allows the window
  (:data:`geo.model.DATE_PRECISION`).

Each :class:`DateMention` has a ``kind``: ``event`` (usable as an incident date), ``since`` (the
start of an open span: "since October 17"), ``other`` (a possessive dating another noun:
"last week's killing"), ``statement`` (the day something was said: "said Monday"), ``quoted`` ("today" inside a quotation), ``vague`` ("recent") or
``future``.  Only ``event`` and, failing that, ``vague`` dates ever date an incident.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache
from typing import Any

from geo.extract.rules import NUMBER, load_rules, word_set
from geo.extract.text import inside
from geo.model import DATE_PRECISION

#: a date without a year this many days after publication is this year's (a dateline filed ahead
#: in another time zone), not last year's; it is still never an event date (nothing is reported
#: before it happens)
FILED_AHEAD_DAYS = 3
_NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}


@dataclass(frozen=True)
class DateWindow:
    """A closed window of days with its UCDP precision code."""

    start: date
    end: date
    precision: int

    @classmethod
    def span(cls, start: date, end: date) -> DateWindow:
        """The window with the narrowest precision its width allows."""
        width = (end - start).days
        for code, (_, widest) in sorted(DATE_PRECISION.items()):
            if width <= widest:
                return cls(start, end, code)
        raise ValueError(f"window {start}..{end} is wider than a year")

    def overlaps(self, other: DateWindow) -> bool:
        return self.start <= other.end and other.start <= self.end

    def contains(self, other: DateWindow) -> bool:
        return self.start <= other.start and other.end <= self.end

    @property
    def width(self) -> int:
        return (self.end - self.start).days

    def __str__(self) -> str:
        if self.start == self.end:
            return self.start.isoformat()
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


@dataclass(frozen=True)
class DateMention:
    """A date expression found in a text, with its window and how it may be used."""

    text: str
    start: int
    end: int
    window: DateWindow
    kind: str
    rule: str
    #: for an ``anchored`` mention ("the previous day", "a few hours earlier"): the days from the
    #: start and the end of the event it is said against (``window`` is read against publication)
    shift: tuple[int, int] | None = None

    def against(self, anchor: DateWindow) -> DateMention:
        """An anchored mention resolved against the window of the event it is said against."""
        assert self.shift is not None
        lo = anchor.start + timedelta(days=self.shift[0])
        hi = max(lo, anchor.end + timedelta(days=self.shift[1]))
        return replace(self, window=DateWindow.span(lo, hi), kind="event", rule="anchored")

    def explain(self, published: date) -> str:
        """A note saying how the expression was read."""
        return (
            f"'{self.text}' read against publication on {published:%A} {published.isoformat()}: "
            f"{self.window} (precision {self.window.precision})"
        )


#: days before publication an undated report's event may be: news names no day for what happened
#: yesterday or the day before ("has claimed an attack on ..."); anything older is dated
UNDATED_DAYS = 2


def undated_window(published: date) -> DateWindow:
    """The window of an event a report gives no date for: the two days before publication."""
    return DateWindow.span(published - timedelta(days=UNDATED_DAYS), published)


# --- relative rules: name -> resolver(published, rule row, match) -> (start, end) -------------


def _offset(pub: date, row: dict[str, Any], _m: re.Match[str]) -> tuple[date, date]:
    return pub + timedelta(days=row["start"]), pub + timedelta(days=row["end"])


def _days_ago(pub: date, _row: dict[str, Any], m: re.Match[str]) -> tuple[date, date]:
    raw = m.group("n").lower()
    n = _NUMBER_WORDS.get(raw) or int(raw)
    day = pub - timedelta(days=n)
    return day, day


def _previous_week(pub: date, _row: dict[str, Any], _m: re.Match[str]) -> tuple[date, date]:
    monday = pub - timedelta(days=pub.weekday() + 7)
    return monday, monday + timedelta(days=6)


def _this_week(pub: date, _row: dict[str, Any], _m: re.Match[str]) -> tuple[date, date]:
    return pub - timedelta(days=pub.weekday()), pub


def _previous_month(pub: date, _row: dict[str, Any], _m: re.Match[str]) -> tuple[date, date]:
    last = pub.replace(day=1) - timedelta(days=1)
    return last.replace(day=1), last


def _this_month(pub: date, _row: dict[str, Any], _m: re.Match[str]) -> tuple[date, date]:
    return pub.replace(day=1), pub


def _fixed_day(pub: date, row: dict[str, Any], _m: re.Match[str]) -> tuple[date, date]:
    """A named day of the year ("Christmas Day"): its most recent date on or before publication."""
    month, day = row["month"], row["day"]
    year = pub.year if date(pub.year, month, day) <= pub else pub.year - 1
    return date(year, month, day), date(year, month, day)


RULES: dict[str, Callable[[date, dict[str, Any], re.Match[str]], tuple[date, date]]] = {
    "offset": _offset,
    "days_ago": _days_ago,
    "previous_week": _previous_week,
    "this_week": _this_week,
    "previous_month": _previous_month,
    "this_month": _this_month,
    "fixed_day": _fixed_day,
}


# --- compiled grammar ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Grammar:
    months: dict[str, int]
    weekdays: dict[str, int]
    parts: dict[str, tuple[int, int]]
    absolute: tuple[tuple[str, re.Pattern[str]], ...]
    weekday: re.Pattern[str]
    relative: tuple[tuple[dict[str, Any], re.Pattern[str]], ...]
    event_nouns: re.Pattern[str]
    since_before: re.Pattern[str]
    since_clause: re.Pattern[str]
    statement_before: re.Pattern[str]
    other_before: re.Pattern[str]
    other_after: re.Pattern[str]
    statement_after: re.Pattern[str]
    last_before: re.Pattern[str]
    month_words: frozenset[str]
    weekday_words: frozenset[str]
    gate: frozenset[str]


def _alt(names: Sequence[str], abbreviated: bool) -> str:
    parts = []
    for name in sorted(names, key=len, reverse=True):
        parts.append(
            rf"{re.escape(name)}\.?" if abbreviated and len(name) <= 4 else re.escape(name)
        )
    return "(?:" + "|".join(parts) + ")"


@cache
def _grammar() -> _Grammar:
    r = load_rules().dates
    months = {name: i + 1 for i, names in enumerate(r["months"]) for name in names}
    weekdays = {name: i for i, names in enumerate(r["weekdays"]) for name in names}
    all_m = _alt(list(months), abbreviated=True)
    full_m = _alt([names[0] for names in r["months"]], abbreviated=False)

    def m(g: str) -> str:
        return rf"\b(?P<{g}>{all_m})"

    def d(g: str) -> str:
        return rf"(?P<{g}>[0-3]?\d)(?:st|nd|rd|th)?(?!\d|:\d)"

    y = r"(?P<y>(?:19|20)\d{2})\b"
    to = r"\s*(?:-|–|to|and|until|through)\s*"
    absolute = (
        ("iso", re.compile(r"\b(?P<y>(?:19|20)\d{2})-(?P<mo>[01]\d)-(?P<d1>[0-3]\d)\b")),
        (
            "range",
            re.compile(
                rf"(?:\bbetween\s+)?{m('m1')}\s+{d('d1')}{to}{m('m2')}\s+{d('d2')}(?:,?\s+{y})?"
            ),
        ),
        ("range", re.compile(rf"(?:\bbetween\s+)?{m('m1')}\s+{d('d1')}{to}{d('d2')}(?:,?\s+{y})?")),
        (
            "range",
            re.compile(rf"(?:\bbetween\s+)?\b{d('d1')}{to}{d('d2')}\s+{m('m1')}(?:,?\s+{y})?"),
        ),
        ("day", re.compile(rf"{m('m1')}\s+{d('d1')}(?:,?\s+{y})?")),
        ("day", re.compile(rf"\b{d('d1')}(?:\s+of)?\s+{m('m1')}(?:,?\s+{y})?")),
        # "28January 2024": a link's text run into the day before it (encyclopedia copies)
        ("day", re.compile(rf"\b(?P<d1>[0-3]?\d)(?P<m1>{full_m})\b(?:,?\s+{y})?")),
        (
            "part",
            re.compile(rf"\b(?P<part>early|mid|late)[-\s]+(?P<m1>{full_m})(?:\s+{y})?", re.I),
        ),
        ("month", re.compile(rf"\b(?P<m1>{full_m})\s+{y}")),
        (
            "month",
            re.compile(
                rf"\b(?P<pre>in|during|a|an|last|this|of|through|until|by|since)\s+(?P<m1>{full_m})\b(?!\s+\d)"
            ),
        ),
    )
    weekday = re.compile(rf"\b(?P<w>{_alt([n[0] for n in r['weekdays']], abbreviated=False)})\b")
    relative = tuple((row, re.compile(row["pattern"], re.I)) for row in r["relative"])
    month_words = frozenset(w.lower() for w in months)
    weekday_words = frozenset(w.lower() for w in weekdays)
    relative_words = frozenset(w for row in r["relative"] for w in row["gate"])
    return _Grammar(
        months=months,
        weekdays=weekdays,
        parts={k: (v[0], v[1]) for k, v in r["month_parts"].items()},
        absolute=absolute,
        weekday=weekday,
        relative=relative,
        event_nouns=re.compile(r["event_nouns"], re.I),
        since_before=re.compile(r["since_before"], re.I),
        since_clause=re.compile(r["since_clause"], re.I),
        statement_before=re.compile(r["statement_before"], re.I),
        other_before=re.compile(r["other_before"], re.I),
        other_after=re.compile(r["other_after"], re.I),
        statement_after=re.compile(r["statement_after"], re.I),
        last_before=re.compile(r["last_before"], re.I),
        month_words=month_words,
        weekday_words=weekday_words,
        gate=month_words | weekday_words | relative_words,
    )


def _month(g: _Grammar, name: str) -> int:
    return g.months[name.rstrip(".")] if name.rstrip(".") in g.months else g.months[name.title()]


def _year_for(month: int, day: int, published: date) -> int:
    """The year of the most recent (month, day) on or before publication."""
    year = published.year
    last = calendar.monthrange(year, month)[1]
    if date(year, month, min(day, last)) > published + timedelta(days=FILED_AHEAD_DAYS):
        year -= 1
    return year


def _absolute(g: _Grammar, form: str, m: re.Match[str], pub: date) -> tuple[date, date] | None:
    gd = m.groupdict()
    year = int(gd["y"]) if gd.get("y") else None
    if form == "iso":
        return (d := date(int(gd["y"]), int(gd["mo"]), int(gd["d1"]))), d
    m1 = _month(g, gd["m1"])
    if form in ("month", "part"):
        if year is None:
            year = pub.year if m1 <= pub.month else pub.year - 1
            if gd.get("pre") == "last" and m1 == pub.month:
                year -= 1
        last = calendar.monthrange(year, m1)[1]
        lo, hi = g.parts[gd["part"].lower()] if form == "part" else (1, last)
        return date(year, m1, lo), date(year, m1, min(hi, last))
    d1 = int(gd["d1"])
    if year is None:
        year = _year_for(m1, d1, pub)
    start = date(year, m1, d1)
    if form == "day":
        return start, start
    m2 = _month(g, gd["m2"]) if gd.get("m2") else m1
    end_year = year + 1 if m2 < m1 else year
    return start, date(end_year, m2, int(gd["d2"]))


def _kind(g: _Grammar, text: str, a: int, b: int, quoted: bool, deictic: bool) -> str:
    """How a date found at ``text[a:b]`` may be used (see the module docstring)."""
    # ("an attack from the previous week": that week, not a span from it)
    past = text[a:b].lower().startswith(("the previous", "last ", "the past"))
    if re.search(r"\bfrom\s+$", text[max(0, a - 6) : a]) and past:
        pass
    elif g.since_before.search(text[max(0, a - 20) : a]) or g.since_clause.search(
        text[max(0, a - 110) : a]
    ):
        return "since"
    if deictic and quoted:
        return "quoted"
    if g.other_before.search(text[max(0, a - 70) : a]) or g.other_after.match(text[b : b + 40]):
        return "other"
    if g.statement_before.search(text[max(0, a - 50) : a]) or g.statement_after.match(
        text[b : b + 30]
    ):
        return "statement"
    tail = text[b : b + 60]
    if tail[:2] in ("'s", "’s"):
        return "event" if g.event_nouns.match(tail[2:].lstrip()) else "other"
    return "event"


#: the small hours of a day ("in the early hours of Tuesday", "before dawn on Tuesday")
_SMALL_HOURS = re.compile(r"\b(?:early|dawn|pre-?dawn|overnight|small\s+hours|wee\s+hours)\b", re.I)

#: between two weekdays of one span ("Monday and Tuesday", "Wednesday night into Thursday")
_DAY_TO_DAY = re.compile(
    r"\s+(?:(?:night|evening)\s+)?(?:and|to|or|through|until|into|-|–)\s+(?:early\s+)?(?:on\s+)?"
)


def find_dates(
    text: str,
    published: date,
    quoted: Sequence[tuple[int, int]] = (),
    words: frozenset[str] | None = None,
) -> list[DateMention]:
    """Every date expression in ``text``, in order; ``quoted`` spans are direct quotations."""
    g = _grammar()
    words = word_set(text) if words is None else words
    digits = NUMBER in words
    if g.gate.isdisjoint(words) and not digits:
        return []
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    deictic: list[tuple[DateMention, int, int]] = []  # "today", "yesterday" and their offsets

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    def add(
        a: int,
        b: int,
        lo: date,
        hi: date,
        rule: str,
        vague: bool,
        deictic: bool,
        shift: tuple[int, int] | None = None,
    ) -> None:
        taken.append((a, b))
        kind = _kind(g, text, a, b, inside(a, list(quoted)), deictic)
        if shift is not None and kind == "event":
            kind = "anchored"
        if lo > published:  # the future day itself (clipping it would invert the window)
            kind = "future"
            hi = lo
        else:
            if vague and kind == "event":
                kind = "vague"
            if kind == "statement":  # what was said on a day happened on it or the day before
                lo = lo - timedelta(days=1)
            hi = min(hi, published)
        try:
            window = DateWindow.span(lo, hi)
        except ValueError:
            return
        found.append(DateMention(text[a:b], a, b, window, kind, rule, shift))

    absolute = g.absolute if digits or not g.month_words.isdisjoint(words) else ()
    for form, pattern in absolute:
        for m in pattern.finditer(text):
            if not free(m.start(), m.end()):
                continue
            try:
                got = _absolute(g, form, m, published)
            except (ValueError, KeyError):
                continue
            if got and got[0] <= got[1]:
                add(m.start(), m.end(), got[0], got[1], form, False, False)
    weekdays = g.weekday.finditer(text) if not g.weekday_words.isdisjoint(words) else ()
    days: list[tuple[int, int, date]] = []
    for m in weekdays:
        if not free(m.start(), m.end()):
            continue
        wd = g.weekdays[m.group("w")]
        back = (published.weekday() - wd) % 7
        if back == 0 and g.last_before.search(text[max(0, m.start() - 6) : m.start()]):
            back = 7
        elif back == 6 and _SMALL_HOURS.search(text[max(0, m.start() - 30) : m.end() + 20]):
            back = 0  # the small hours of the day after publication: a dateline behind local time
        days.append((m.start(), m.end(), published - timedelta(days=back)))
    i = 0
    while i < len(days):
        a, b, day = days[i]
        if i + 1 < len(days):  # "Monday and Tuesday", "the night of Wednesday into Thursday"
            a2, b2, day2 = days[i + 1]
            if _DAY_TO_DAY.fullmatch(text, b, a2) and day <= day2 <= day + timedelta(days=6):
                add(a, b2, day, day2, "weekday_range", False, False)
                i += 2
                continue
        add(a, b, day, day, "weekday", False, False)
        i += 1
    for row, pattern in g.relative:
        if words.isdisjoint(row["gate"]):
            continue
        for m in pattern.finditer(text):
            if not free(m.start(), m.end()):
                continue
            lo, hi = RULES[row["rule"]](published, row, m)
            rule = row["rule"]
            shift = (row["start"], row["end"]) if row.get("anchored") else None
            if shift is not None and row.get("counted"):
                raw = m.group("n").lower()
                n = _NUMBER_WORDS.get(raw) or int(raw)
                shift = (shift[0] - n, shift[1] - n)
                lo, hi = lo - timedelta(days=n), hi - timedelta(days=n)
            add(
                m.start(),
                m.end(),
                lo,
                hi,
                rule,
                row.get("vague", False),
                row.get("deictic", False),
                shift,
            )
            if row.get("deictic") and row["rule"] == "offset":
                deictic.append((found[-1], row["start"], row["end"]))
    found.sort(key=lambda d: d.start)
    said = next((d for d in found if d.kind == "statement" and d.window.width <= 1), None)
    if said is None or not deictic:
        return found
    # "In a statement on Tuesday, CENTCOM said that earlier today ...": the speaker's day
    day = said.window.end
    for mention, start, end in deictic:
        lo, hi = day + timedelta(days=start), day + timedelta(days=end)
        if g.statement_before.search(text[max(0, mention.start - 50) : mention.start]):
            continue  # "said today": the day of saying, not of the event
        if mention.kind in ("event", "quoted") and lo <= published:
            resolved = replace(
                mention, window=DateWindow.span(lo, hi), kind="event", rule="offset_statement"
            )
            found[found.index(mention)] = resolved
    return found


def stated_day(text: str) -> tuple[date, int, int] | None:
    """The first full date with its year in ``text`` ("January 29, 2024", "29 Jan 2024",
    "2024-01-29") and its span; ``None`` if there is none."""
    g = _grammar()
    found: list[tuple[int, int, date]] = []
    for form, pattern in g.absolute:
        if form not in ("iso", "day"):
            continue
        for m in pattern.finditer(text):
            if not m.groupdict().get("y"):
                continue
            try:
                got = _absolute(g, form, m, date.max)
            except (ValueError, KeyError):
                continue
            if got is not None:
                found.append((m.start(), m.end(), got[0]))
                break
    if not found:
        return None
    start, end, day = min(found)
    return day, start, end
