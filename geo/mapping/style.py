"""Colours and symbols: one table, used by the map, the legend and (later) every export."""

from __future__ import annotations

from geo.model import WEAPONS

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

#: event type -> CSS border-radius of its dot: attacks round, US strikes square, other events
#: (imported, not involving US forces) a leaf shape.
EVENT_SHAPES: dict[str, str] = {"attack": "50%", "us_strike": "2px", "other": "50% 0"}

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
    radius = EVENT_SHAPES[event_type]
    if outcome == "intercepted":
        return f"background:#fff;border:3px solid {first};border-radius:{radius}"
    if outcome == "mixed":
        return (
            f"background:radial-gradient(circle,{first} 0 32%,#fff 34%);"
            f"border:3px solid {first};border-radius:{radius}"
        )
    return f"background:{dot_background(weapons)};border-radius:{radius}"
