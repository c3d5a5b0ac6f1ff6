"""Colours and symbols: one table, used by the map, the legend and (later) every export."""

from __future__ import annotations

from geo.model import EVENT_TYPES, WEAPONS

#: weapon -> colour (hex).  Distinct hues; "unknown" is grey.
WEAPON_COLOURS: dict[str, str] = {
    "drone": "#e6550d",
    "rocket": "#7b3294",
    "ballistic_missile": "#a50f15",
    "cruise_missile": "#f768a1",
    "ied": "#1a9641",
    "mortar": "#2c7bb6",
    "small_arms": "#525252",
    "artillery": "#8c6d31",
    "air_strike": "#08306b",
    "unknown": "#a6a6a6",
}
assert set(WEAPON_COLOURS) == set(WEAPONS), "every weapon needs a colour"

WEAPON_LABELS: dict[str, str] = {w: w.replace("_", " ") for w in WEAPONS}

#: event type -> what it is called in a title (popup, tooltip, table, slide, placemark)
EVENT_TITLES: dict[str, str] = {
    "attack": "Attack",
    "us_strike": "US strike",
    "other": "Other event",
}
#: event type -> its words in a legend (web map and PNG/PDF alike)
EVENT_LEGEND: dict[str, str] = {
    "attack": "attack on US/coalition",
    "us_strike": "US strike",
    "other": "other event",
}
#: event type -> the symbol it is drawn with, on the web map and in the PNG/PDF snapshot alike:
#: attacks round, US strikes square, other events (imported, not involving US forces) a diamond
EVENT_SYMBOLS: dict[str, str] = {"attack": "circle", "us_strike": "square", "other": "diamond"}
assert set(EVENT_TITLES) == set(EVENT_LEGEND) == set(EVENT_SYMBOLS) == set(EVENT_TYPES)
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


#: outcome -> how a dot is drawn: solid (hit or not known), ring (intercepted), ring with a
#: centre (mixed: some intercepted, some hit)
OUTCOME_LABELS: dict[str, str] = {
    "impact": "hit",
    "unknown": "outcome not reported",
    "intercepted": "intercepted",
    "mixed": "partly intercepted",
}


def dot_style(weapons: tuple[str, ...] | list[str], outcome: str, event_type: str) -> str:
    """Inline CSS of an incident dot: colour by weapon, shape by event type, fill by outcome."""
    first = WEAPON_COLOURS[weapons[0]] if weapons else WEAPON_COLOURS["unknown"]
    shape = EVENT_SHAPES[event_type]
    if outcome == "intercepted":
        return f"background:#fff;border:3px solid {first};{shape}"
    if outcome == "mixed":
        return (
            f"background:radial-gradient(circle,{first} 0 32%,#fff 34%);"
            f"border:3px solid {first};{shape}"
        )
    return f"background:{dot_background(weapons)};{shape}"
