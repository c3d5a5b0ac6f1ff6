"""Every error Incident Atlas raises on purpose, in one tree.

    AtlasError                  base: catch this to catch everything below
    ├── ValidationError         a value broke a rule (names the field, the value and the rule)
    ├── DataFileError           a bundled or offered file cannot be read as the format it claims
    ├── NotFoundError           a name or id that the gazetteer or the store does not know
    └── NotAllowedError         a write the connected role or the read-only mode does not allow

Messages say what was expected and what arrived, so the CLI can print them as they are.
"""

from __future__ import annotations

from typing import Any


class AtlasError(Exception):
    """Base of every deliberate Incident Atlas error."""


class ValidationError(AtlasError):
    """A value broke a rule of the model.

    ``field`` is the field's public name, ``value`` what arrived, ``rule`` what was expected.
    ``record`` optionally names the record (an incident id or a file row).
    """

    def __init__(self, field: str, value: Any, rule: str, record: str | None = None) -> None:
        self.field = field
        self.value = value
        self.rule = rule
        self.record = record
        where = f"{record}: " if record else ""
        super().__init__(f"{where}field {field!r}: {rule}; got {value!r}")


class DataFileError(AtlasError):
    """A file could not be read as the format it claims to be."""

    def __init__(self, path: str, reason: str, line: int | None = None) -> None:
        self.path = path
        self.reason = reason
        self.line = line
        at = f":{line}" if line is not None else ""
        super().__init__(f"{path}{at}: {reason}")


class NotFoundError(AtlasError):
    """A name or id that is not known."""


class NotAllowedError(AtlasError):
    """A write (import, ingest, review, a schema change) that this connection may not make:
    the database role reads only, or the store was opened read-only.  Nothing was written.

    ``action`` names what was attempted, ``who`` the database (or OS) user, ``reason`` why not
    and what would allow it."""

    def __init__(self, action: str, who: str, reason: str) -> None:
        self.action = action
        self.who = who
        self.reason = reason
        super().__init__(f"{who} may not {action}: {reason}; nothing was written")
