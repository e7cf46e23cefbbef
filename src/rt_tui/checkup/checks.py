"""One line of the checklist."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    OK = "ok"
    FAIL = "fail"
    """The profile cannot work until this is fixed."""
    WARN = "warn"
    """Works, or may, but is likely not what was meant."""
    INFO = "info"
    """A fact worth seeing (which proxy, which certificates)."""
    SKIPPED = "skip"
    """Not tried, because an earlier step failed."""


@dataclass(frozen=True, slots=True)
class Check:
    """One step: its name (`key`, `handshake`…), how it went, and one line saying so."""

    name: str
    status: Status
    line: str

    @property
    def failed(self) -> bool:
        return self.status is Status.FAIL
