"""Server frames → typed events: the parser, and the events for frames it cannot type.

`parse_server_frame` turns any frame the socket delivers into exactly one event and
never raises: JSON objects with a known `type` become the typed event for it, an
unknown `type` becomes `UnknownEvent`, and non-JSON text, JSON that is not an object,
a missing `type` and binary frames become `MalformedFrame` / `BinaryFrame`.

Every event keeps the raw dict (`raw`) and the wire name (`wire_type`) for display;
`kind` is the internal (GA) name, the same for both dialects.

Adding a server event type
--------------------------
It is one declaration, in the module of its family (`session_events`, `item_events`,
`response_events`): a frozen, slotted dataclass under `ServerEvent`, decorated with
`@server_event("its.kind", …)` (GA names; `rt_tui.dialect` maps beta names onto them)
and with a `from_raw` classmethod that reads its fields with the `json_fields` readers,
which never raise (a missing or wrongly typed field reads as a default). The decorator
puts it in the table the parser dispatches on, and the inspector summarises it by its
text fields until `inspector.summary` gives it a summary of its own. The conversation
reducer folds it once `Conversation` has a handler for it. A documented event the app
only shows needs no class: add its name to `session_events.OTHER_KINDS`.
"""

from __future__ import annotations

import json
import json.scanner
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

# The family modules are imported for their declarations: the table is complete here.
from rt_tui.dialect import normalise
from rt_tui.realtime import item_events, response_events, session_events  # noqa: F401
from rt_tui.realtime.event_registry import BY_WIRE_TYPE, CLASSES, ServerEvent
from rt_tui.realtime.json_fields import JsonObject

__all__ = [
    "BINARY",
    "MALFORMED",
    "BinaryFrame",
    "MalformedFrame",
    "UnknownEvent",
    "declared_kinds",
    "event_from_dict",
    "parse_server_frame",
]

MALFORMED = "rt_tui.malformed"
BINARY = "rt_tui.binary"


def declared_kinds() -> Mapping[str, type[ServerEvent]]:
    """Every declared kind (GA name) and the class it parses to."""
    return MappingProxyType(CLASSES)


@dataclass(frozen=True, slots=True)
class UnknownEvent(ServerEvent):
    """A JSON object whose `type` is not in either dialect's catalogue."""


@dataclass(frozen=True, slots=True)
class MalformedFrame(ServerEvent):
    """Text that is not JSON, JSON that is not an object, or an object without a string
    `type`. `kind` is `rt_tui.malformed`; `reason` says which in one sentence."""

    reason: str
    text: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class BinaryFrame(ServerEvent):
    """A binary frame (the protocol uses none). `kind` is `rt_tui.binary`."""

    size: int


# ----- parsing -----------------------------------------------------------------------


def event_from_dict(raw: JsonObject) -> ServerEvent:
    """The typed event for one decoded JSON object. Never raises."""
    wire_type = raw.get("type")
    if not isinstance(wire_type, str):
        return MalformedFrame(MALFORMED, "", raw, reason="The frame has no 'type' field.", text="")
    entry = BY_WIRE_TYPE.get(wire_type)
    if entry is None:
        # GA's dtmf example carries a stray leading space in its type.
        stripped = wire_type.strip()
        entry = BY_WIRE_TYPE.get(stripped)
        if entry is None:
            return UnknownEvent(normalise(stripped), wire_type, raw)
    kind, build = entry
    return build(kind, wire_type, raw)


# What json.loads runs underneath (typeshed types its argument as a scanner; json itself
# passes the decoder, as here).
_scan_once = json.scanner.make_scanner(json.JSONDecoder())  # type: ignore[arg-type]


def parse_server_frame(frame: str | bytes) -> ServerEvent:
    """The typed event for one WebSocket frame as received. Never raises."""
    if not isinstance(frame, str) and isinstance(frame, bytes | bytearray | memoryview):
        return BinaryFrame(BINARY, "", {}, size=len(frame))
    try:
        # json.loads without its Python wrappers (two regex matches for surrounding
        # whitespace, three calls) when the value fills the text, as in every frame a
        # server sends; json.loads itself otherwise, which says what is wrong.
        try:
            decoded, end = _scan_once(frame, 0)
        except StopIteration:  # leading whitespace, or not JSON
            decoded = json.loads(frame)
        else:
            if end != len(frame):  # trailing whitespace, or extra data
                decoded = json.loads(frame)
    except (ValueError, RecursionError):
        return MalformedFrame(MALFORMED, "", {}, reason="The frame is not valid JSON.", text=frame)
    if not isinstance(decoded, dict):
        return MalformedFrame(
            MALFORMED,
            "",
            {},
            reason=f"The frame is JSON but not an object (a {type(decoded).__name__}).",
            text=frame,
        )
    wire_type = decoded.get("type")
    if isinstance(wire_type, str):
        entry = BY_WIRE_TYPE.get(wire_type)
        if entry is not None:  # the usual frame: event_from_dict's first lookup, inlined
            kind, build = entry
            return build(kind, wire_type, decoded)
    event = event_from_dict(decoded)
    if isinstance(event, MalformedFrame):
        return MalformedFrame(event.kind, "", decoded, reason=event.reason, text=frame)
    return event
