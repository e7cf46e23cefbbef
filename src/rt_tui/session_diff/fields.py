"""What the client sent in a `session.update` against what the server's session became.

Both sides are flattened to leaf fields by dotted path (`audio.output.voice`); a list is
one field. Each field the client sent is:

- accepted: the session has it as sent;
- clamped: a number the service moved (into its allowed range);
- ignored: the session kept its earlier value, or has no such field at all;
- rewritten: the session has another value (an unknown voice became the default);
- refused or unanswered: the whole update was refused (an `error`), or never answered.

A field the client did not send is shown when the service set it: a default filled in
(a turn detection's threshold), or a value it changed unasked; a new session's fields are
all the service's defaults. Fields nobody touched are left out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

from rt_tui.realtime.session_history import SessionExchange

JsonObject = dict[str, Any]

__all__ = [
    "MISSING",
    "FieldDiff",
    "FieldStatus",
    "counts_text",
    "diff_exchange",
    "flatten",
    "shown",
]


class _Missing:
    """No such field on that side."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Final = _Missing()


class FieldStatus(StrEnum):
    ACCEPTED = "accepted"
    CLAMPED = "clamped"
    REWRITTEN = "rewritten"
    IGNORED = "ignored"
    DEFAULTED = "defaulted"
    REFUSED = "refused"
    UNANSWERED = "unanswered"

    @property
    def notable(self) -> bool:
        """The service did not take the field as sent: what the view highlights."""
        return self in (FieldStatus.CLAMPED, FieldStatus.REWRITTEN, FieldStatus.IGNORED)


@dataclass(frozen=True, slots=True)
class FieldDiff:
    """One field of an exchange: what was sent, what the session had before and after."""

    path: str
    status: FieldStatus
    sent: object = MISSING
    before: object = MISSING
    after: object = MISSING

    @property
    def why(self) -> str:
        """What the status alone does not say, in a few words ('' when it says it all)."""
        if self.status is FieldStatus.IGNORED:
            return "not in the session" if self.after is MISSING else "kept its earlier value"
        if self.status is FieldStatus.DEFAULTED and self.before is not MISSING:
            return "changed by the service, not sent"
        return ""


def flatten(value: object, prefix: str = "") -> dict[str, object]:
    """Leaf fields of a JSON object by dotted path; lists, scalars and empty objects are
    leaves."""
    if not isinstance(value, dict) or (not value and prefix):
        return {prefix: value}
    leaves: dict[str, object] = {}
    for key, item in value.items():
        leaves.update(flatten(item, f"{prefix}.{key}" if prefix else str(key)))
    return leaves


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _same(a: object, b: object) -> bool:
    """JSON equality: 1 and 1.0 are the same, True and 1 are not."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def _sent_status(sent: object, before: object, after: object) -> FieldStatus:
    if after is MISSING:
        return FieldStatus.IGNORED
    if _same(after, sent):
        return FieldStatus.ACCEPTED
    if _number(sent) and _number(after):
        return FieldStatus.CLAMPED  # Even back to where it was: out of range, not ignored.
    if before is not MISSING and _same(after, before):
        return FieldStatus.IGNORED
    return FieldStatus.REWRITTEN


def diff_exchange(exchange: SessionExchange) -> list[FieldDiff]:
    """The fields of one exchange, those the client sent first (in the order it sent
    them), then those the service set on its own."""
    sent = flatten(exchange.sent) if exchange.sent else {}
    before = flatten(exchange.before) if exchange.before is not None else {}
    after = flatten(exchange.after) if exchange.after is not None else {}
    unanswered = {
        "refused": FieldStatus.REFUSED,
        "waiting": FieldStatus.UNANSWERED,
        "lost": FieldStatus.UNANSWERED,
    }.get(exchange.state)
    fields = []
    for path, value in sent.items():
        was, now = before.get(path, MISSING), after.get(path, MISSING)
        status = unanswered or _sent_status(value, was, now)
        fields.append(FieldDiff(path, status, value, was, now))
    for path, value in after.items():
        if path in sent:
            continue
        was = before.get(path, MISSING)
        if was is MISSING or not _same(was, value):
            fields.append(FieldDiff(path, FieldStatus.DEFAULTED, MISSING, was, value))
    return fields


def counts_text(fields: list[FieldDiff]) -> str:
    """'1 clamped · 1 rewritten · 3 accepted': how many fields of each status, the
    notable ones first."""
    order = sorted(FieldStatus, key=lambda status: not status.notable)
    counts = {status: sum(1 for f in fields if f.status is status) for status in order}
    parts = [f"{count} {status.value}" for status, count in counts.items() if count]
    return " · ".join(parts) if parts else "no change"


def shown(value: object, width: int = 60) -> str:
    """A field's value as the view shows it: compact JSON, cut to `width` characters;
    '—' for a field that is not there."""
    if value is MISSING:
        return "—"
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text if len(text) <= width else text[: width - 1] + "…"
