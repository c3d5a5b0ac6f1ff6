"""Colours and symbols: one table, used by the map, the legend and (later) every export."""

from __future__ import annotations

from geo import vocabulary
from geo.vocabulary import EVENT_TYPE_TERMS, OUTCOME_TERMS, WEAPON_TERMS

#: text and lines on a printed page (PNG/PDF snapshot, slides)
INK = "#1b1b1b"
#: secondary text on a printed page; the edge of an uncertainty circle
MUTED = "#555555"
#: a selected site
SELECTED = "#b2182b"
#: a legend symbol that stands for any weapon (the event shapes, the outcome fills), on the web
#: map's legend and the snapshot's alike
NEUTRAL = "#777777"

#: weapon -> colour (hex), from :mod:`geo.vocabulary`
WEAPON_COLOURS: dict[str, str] = {w: t.colour for w, t in WEAPON_TERMS.items()}
#: weapon -> what a person reads
WEAPON_LABELS: dict[str, str] = {w: t.label for w, t in WEAPON_TERMS.items()}
#: event type -> what it is called in a title (popup, tooltip, table, slide, placemark)
EVENT_TITLES: dict[str, str] = {e: vocabulary.title("event_type", e) for e in EVENT_TYPE_TERMS}
#: event type -> its words in a legend (web map and PNG/PDF alike)
EVENT_LEGEND: dict[str, str] = {e: vocabulary.long_label("event_type", e) for e in EVENT_TYPE_TERMS}
#: event type -> the symbol it is drawn with, on the web map and in the PNG/PDF snapshot alike
EVENT_SYMBOLS: dict[str, str] = {e: t.shape for e, t in EVENT_TYPE_TERMS.items()}
#: symbol -> the CSS that gives a web-map dot that shape (a diamond: a square turned 45 degrees,
#: scaled so its width matches the others')
SYMBOL_CSS: dict[str, str] = {
    "circle": "border-radius:50%",
    "square": "border-radius:2px",
    "diamond": "border-radius:2px;transform:rotate(45deg) scale(.78)",
}
#: event type -> the CSS of its dot's shape
EVENT_SHAPES: dict[str, str] = {e: SYMBOL_CSS[s] for e, s in EVENT_SYMBOLS.items()}

SEA = "#d4e4f0"
LAND = "#f4f1ea"
FOCUS_LAND = "#ebe4d3"  # Iraq, Syria, Jordan
BORDER = "#7a7a7a"


def dot_background(weapons: tuple[str, ...] | list[str]) -> str:
    """A CSS background for an incident dot: one colour, or equal slices for several weapons."""
    colours = [WEAPON_COLOURS[w] for w in weapons] or [WEAPON_COLOURS["unknown"]]
    if len(colours) == 1:
        return colours[0]
    step = 100 / len(colours)
    stops = ", ".join(f"{c} {i * step:.0f}% {(i + 1) * step:.0f}%" for i, c in enumerate(colours))
    return f"conic-gradient({stops})"


#: outcome -> what a person reads
OUTCOME_LABELS: dict[str, str] = {o: t.label for o, t in OUTCOME_TERMS.items()}
#: outcome -> how its dot is filled: "solid" (hit or not reported), "ring" (intercepted) or
#: "ring_dot" (partly intercepted), on the web map and in the PNG/PDF alike
OUTCOME_FILLS: dict[str, str] = {o: t.fill for o, t in OUTCOME_TERMS.items()}


def dot_style(weapons: tuple[str, ...] | list[str], outcome: str, event_type: str) -> str:
    """Inline CSS of an incident dot: colour by weapon, shape by event type, fill by outcome."""
    first = WEAPON_COLOURS[weapons[0]] if weapons else WEAPON_COLOURS["unknown"]
    shape = EVENT_SHAPES[event_type]
    fill = OUTCOME_FILLS[outcome]
    if fill == "ring":
        return f"background:#fff;border:3px solid {first};{shape}"
    if fill == "ring_dot":
        return (
            f"background:radial-gradient(circle,{first} 0 32%,#fff 34%);"
            f"border:3px solid {first};{shape}"
        )
    return f"background:{dot_background(weapons)};{shape}"
