"""Popup and tooltip HTML.  Every value from an article or a file passes through :func:`esc`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from geo import vocabulary
from geo.frame import sources_of
from geo.markup import casualty_text, date_window, esc
from geo.model import GEO_PRECISION


def incident_popup(row: dict[str, Any], site_name: str | None) -> str:
    """Popup body for one incident row of the frame."""
    title = vocabulary.title("event_type", row["event_type"])
    place = site_name or row["location"]
    lines: list[tuple[str, str]] = [
        ("When", date_window(row["date_start"], row["date_end"], row["date_precision"])),
        ("Where", f"{row['location']} · {GEO_PRECISION[int(row['geo_precision'])]}"),
        ("Weapons", vocabulary.labels("weapon", row["weapons"])),
        ("Outcome", vocabulary.label("outcome", row["outcome"])),
        ("Damage", row["damage"] or "not reported"),
        ("US killed", casualty_text(row["killed_min"], row["killed_max"])),
        ("US injured", casualty_text(row["injured_min"], row["injured_max"])),
        ("Status", vocabulary.label("status", row["status"])),
    ]
    if row["claimed_by"]:
        lines.append(("Claimed by", row["claimed_by"]))
    if row["attributed_to"]:
        lines.append(("Attributed to", row["attributed_to"]))
    table = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in lines)
    return (
        f'<div class="atlas-popup" data-incident-id="{esc(row["id"])}">'
        f"<b>{esc(title)}: {esc(place)}</b><table>{table}</table>"
        f"{quotes_html(sources_of(row['sources']))}"
        + (f'<p class="atlas-notes">{esc(row["notes"])}</p>' if row["notes"] else "")
        + "</div>"
    )


def quotes_html(sources: Iterable[Any]) -> str:
    items = "".join(
        f"<blockquote>“{esc(s.quote)}”<br><small>{esc(s.article)}, {esc(s.published)}</small>"
        "</blockquote>"
        for s in sources
    )
    return f'<div class="atlas-sources">{items}</div>'


def site_tooltip(name: str, count: int) -> str:
    return f"{esc(name)}: {count} attack{'s' if count != 1 else ''} in range"
