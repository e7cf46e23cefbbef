"""Server frames → typed events: the server events the app knows, and the parser.

`parse_server_frame` turns any frame the socket delivers into exactly one event and
never raises: JSON objects with a known `type` become the typed event for it, an
unknown `type` becomes `UnknownEvent`, and non-JSON text, JSON that is not an object,
a missing `type` and binary frames become `MalformedFrame` / `BinaryFrame`.

Every event keeps the raw dict (`raw`) and the wire name (`wire_type`) for display;
`kind` is the internal (GA) name, the same for both dialects.

Adding a server event type
--------------------------
It is one declaration, here: a frozen, slotted dataclass under `ServerEvent`, decorated
with `@server_event("its.kind", …)` (GA names; `rt_tui.dialect` maps beta names onto them)
and with a `from_raw` classmethod that reads its fields with the `json_fields` readers,
which never raise (a missing or wrongly typed field reads as a default). The decorator
puts it in the table the parser dispatches on, and the inspector summarises it by its
text fields until `inspector.summary` gives it a summary of its own. The conversation
reducer folds it once `Conversation` has a handler for it. A documented event the app
only shows needs no class: add its name to `OTHER_KINDS`.
"""

from __future__ import annotations

import json
import json.scanner
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import Any, Self, TypeVar

from rt_tui.dialect import BETA_TRANSCRIPTION_TO_GA, GA_TO_BETA, normalise
from rt_tui.realtime.json_fields import (
    JsonObject,
    int_at,
    obj_at,
    opt_float_at,
    opt_int_at,
    opt_obj_at,
    opt_str_at,
    str_at,
)

__all__ = [
    "BINARY",
    "MALFORMED",
    "OTHER_KINDS",
    "BinaryFrame",
    "ContentPartEvent",
    "ConversationCreated",
    "DeltaEvent",
    "ErrorEvent",
    "ErrorInfo",
    "InputAudioBufferEvent",
    "InputTranscriptionEvent",
    "ItemDeleted",
    "ItemEvent",
    "ItemTruncated",
    "JsonObject",
    "MalformedFrame",
    "OtherEvent",
    "OutputItemEvent",
    "PartDoneEvent",
    "RateLimit",
    "RateLimitsEvent",
    "ResponseEvent",
    "ServerEvent",
    "SessionEvent",
    "UnknownEvent",
    "declared_kinds",
    "event_from_dict",
    "parse_server_frame",
    "server_event",
]

MALFORMED = "rt_tui.malformed"
BINARY = "rt_tui.binary"

Builder = Callable[[str, str, JsonObject], "ServerEvent"]
"""Builds the event of one kind: (kind, wire type, decoded frame) → event. Never raises."""

_E = TypeVar("_E", bound="ServerEvent")

_BY_WIRE_TYPE: dict[str, tuple[str, Builder]] = {}
"""Wire name (GA, and beta where it differs) → (GA kind, builder): one lookup a frame."""
_CLASSES: dict[str, type[ServerEvent]] = {}


def server_event(*kinds: str) -> Callable[[type[_E]], type[_E]]:
    """Class decorator: the parser builds frames of these kinds (GA names) with
    `cls.from_raw`. Apply it above `@dataclass`, so the final class is the one registered."""

    def register(cls: type[_E]) -> type[_E]:
        for kind in kinds:
            if normalise(kind) != kind:
                raise ValueError(f"{kind!r} is a beta name: declare {normalise(kind)!r}.")
            if kind in _CLASSES:
                raise ValueError(f"{kind!r} is declared by {_CLASSES[kind].__name__} already.")
            _CLASSES[kind] = cls
            entry = (kind, cls.from_raw)
            _BY_WIRE_TYPE[kind] = entry
            if kind in GA_TO_BETA:
                _BY_WIRE_TYPE[GA_TO_BETA[kind]] = entry
            for beta, ga in BETA_TRANSCRIPTION_TO_GA.items():
                if ga == kind:
                    _BY_WIRE_TYPE[beta] = entry
        return cls

    return register


def declared_kinds() -> Mapping[str, type[ServerEvent]]:
    """Every declared kind (GA name) and the class it parses to."""
    return MappingProxyType(_CLASSES)


# ----- the events --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ServerEvent:
    """Base of every parsed server frame."""

    kind: str
    """Internal name (GA vocabulary), e.g. `response.output_text.delta`."""
    wire_type: str
    """The `type` as it came on the wire, e.g. beta `response.text.delta`."""
    raw: JsonObject = field(repr=False)
    """The frame as decoded JSON (empty for frames that were not a JSON object)."""

    @classmethod
    def from_raw(cls, kind: str, wire_type: str, raw: JsonObject) -> Self:
        """The event for a decoded frame of `kind`; classes with fields override it."""
        return cls(kind, wire_type, raw)

    @property
    def event_id(self) -> str | None:
        return opt_str_at(self.raw, "event_id")


@server_event("session.created", "session.updated")
@dataclass(frozen=True, slots=True)
class SessionEvent(ServerEvent):
    """`session.created` / `session.updated`: the server's full copy of the session (beta's
    `transcription_session.*` too: the session of a transcription session)."""

    session: JsonObject

    @classmethod
    def from_raw(cls, kind: str, wire_type: str, raw: JsonObject) -> Self:
        return cls(kind, wire_type, raw, session=obj_at(raw, "session"))


@server_event("conversation.created")
@dataclass(frozen=True, slots=True)
class ConversationCreated(ServerEvent):
    conversation_id: str | None

    @classmethod
    def from_raw(cls, kind: str, wire_type: str, raw: JsonObject) -> Self:
        conversation = obj_at(raw, "conversation")
        return cls(kind, wire_type, raw, conversation_id=opt_str_at(conversation, "id"))


@server_event("conversation.item.added", "conversation.item.done", "conversation.item.retrieved")
@dataclass(frozen=True, slots=True)
class ItemEvent(ServerEvent):
    """`conversation.item.added` / `.done` / `.retrieved` (beta `.created` = `.added`)."""

    item: JsonObject
    previous_item_id: str | None

    @classmethod
    def from_raw(cls, kind: str, wire_type: str, raw: JsonObject) -> Self:
        return cls(
            kind,
            wire_type,
            raw,
            item=obj_at(raw, "item"),
            previous_item_id=opt_str_at(raw, "previous_item_id"),
        )

    @property
    def item_id(self) -> str | None:
        return opt_str_at(self.item, "id")


@server_event("conversation.item.deleted")
@dataclass(frozen=True, slots=True)
class ItemDeleted(ServerEvent):
    item_id: str

    @classmethod
    def from_raw(cls, kind: str, wire_type: str, raw: JsonObject) -> Self:
        return cls(kind, wire_type, raw, item_id=str_at(raw, "item_id"))


@server_event("conversation.item.truncated")
@dataclass(frozen=True, slots=True)
class ItemTruncated(ServerEvent):
    item_id: str
    content_index: int
    audio_end_ms: int

    @classmethod
    def from_raw(cls, kind: str, wire_type: str, raw: JsonObject) -> Self:
        return cls(
            kind,
            wire_type,
            raw,
            item_id=str_at(raw, "item_id"),
            content_index=int_at(raw, "content_index"),
            audio_end_ms=int_at(raw, "audio_end_ms"),
        )


@server_event("response.created", "response.done")
@dataclass(frozen=True, slots=True)
class ResponseEvent(ServerEvent):
    """`response.created` / `response.done`."""

    response: JsonObject

    @classmethod
    def from_raw(cls, kind: str, wire_type: str, raw: JsonObject) -> Self:
        return cls(kind, wire_type, raw, response=obj_at(raw, "response"))

    @property
    def response_id(self) -> str | None:
        return opt_str_at(self.response, "id")

    @property
    def status(self) -> str | None:
        return opt_str_at(self.response, "status")


@server_event("response.output_item.added", "response.output_item.done")
@dataclass(frozen=True, slots=True)
class OutputItemEvent(ServerEvent):
    """`response.output_item.added` / `.done`."""

    response_id: str
    output_index: int
    item: JsonObject

    @classmethod
    def from_raw(cls, kind: str, wire_type: str, raw: JsonObject) -> Self:
        return cls(
            kind,
            wire_type,
            raw,
            response_id=str_at(raw, "response_id"),
            output_index=int_at(raw, "output_index"),
            item=obj_at(raw, "item"),
        )


@server_event("response.content_part.added", "response.content_part.done")
@dataclass(frozen=True, slots=True)
class ContentPartEvent(ServerEvent):
    """`response.content_part.added` / `.done`."""

    response_id: str
    item_id: str
    output_index: int
    content_index: int
    part: JsonObject

    @classmethod
    def from_raw(cls, kind: str, wire_type: str, raw: JsonObject) -> Self:
        return cls(
            kind,
            wire_type,
            raw,
            response_id=str_at(raw, "response_id"),
            item_id=str_at(raw, "item_id"),
            output_index=int_at(raw, "output_index"),
            content_index=int_at(raw, "content_index"),
            part=obj_at(raw, "part"),
        )


@server_event(
    "response.output_text.delta",
    "response.output_audio.delta",
    "response.output_audio_transcript.delta",
    "response.function_call_arguments.delta",
    "response.mcp_call_arguments.delta",
)
@dataclass(frozen=True, slots=True)
class DeltaEvent(ServerEvent):
    """A streamed piece of one content part.

    kinds: `response.output_text.delta`, `response.output_audio.delta` (base64 PCM),
    `response.output_audio_transcript.delta`, `response.function_call_arguments.delta`,
    `response.mcp_call_arguments.delta` (GA only).
    """

    response_id: str
    item_id: str
    output_index: int
    content_index: int
    delta: str
    call_id: str | None = None

    @classmethod
    def from_raw(cls, kind: str, wire_type: str, raw: JsonObject) -> Self:
        if cls is DeltaEvent:
            return _delta_event(kind, wire_type, raw)  # type: ignore[return-value]
        return cls(
            kind,
            wire_type,
            raw,
            str_at(raw, "response_id"),
            str_at(raw, "item_id"),
            int_at(raw, "output_index"),
            int_at(raw, "content_index"),
            str_at(raw, "delta"),
            opt_str_at(raw, "call_id"),
        )


# Deltas are most of a session's frames, thousands a second in a flood. A frozen dataclass's
# __init__ sets each field through object.__setattr__; filling the slots through their
# descriptors, with the `json_fields` reads inlined, builds the same event in less than half
# the time (a test holds it equal to the plain constructor's).
(
    _set_kind,
    _set_wire_type,
    _set_raw,
    _set_response_id,
    _set_item_id,
    _set_output_index,
    _set_content_index,
    _set_delta,
    _set_call_id,
) = (getattr(DeltaEvent, f.name).__set__ for f in fields(DeltaEvent))
_new = object.__new__


def _delta_event(kind: str, wire_type: str, raw: JsonObject) -> DeltaEvent:
    """`DeltaEvent.from_raw` for the class itself."""
    event = _new(DeltaEvent)
    _set_kind(event, kind)
    _set_wire_type(event, wire_type)
    _set_raw(event, raw)
    get = raw.get
    value: Any = get("response_id")
    _set_response_id(event, value if isinstance(value, str) else "")
    value = get("item_id")
    _set_item_id(event, value if isinstance(value, str) else "")
    value = get("output_index")
    _set_output_index(event, value if isinstance(value, int) and value.__class__ is not bool else 0)
    value = get("content_index")
    _set_content_index(
        event, value if isinstance(value, int) and value.__class__ is not bool else 0
    )
    value = get("delta")
    _set_delta(event, value if isinstance(value, str) else "")
    value = get("call_id")
    _set_call_id(event, value if isinstance(value, str) else None)
    return event


# The parser calls it straight away for the delta kinds, without from_raw's class check.
_BY_WIRE_TYPE.update(
    {
        wire_type: (kind, _delta_event)
        for wire_type, (kind, build) in _BY_WIRE_TYPE.items()
        if build == DeltaEvent.from_raw
    }
)


_PART_DONE_VALUE_KEY: dict[str, str | None] = {
    "response.output_text.done": "text",
    "response.output_audio.done": None,
    "response.output_audio_transcript.done": "transcript",
    "response.function_call_arguments.done": "arguments",
    "response.mcp_call_arguments.done": "arguments",
}
"""Each part-done kind and the field holding its final value (None: the wire has none)."""


@server_event(*_PART_DONE_VALUE_KEY)
@dataclass(frozen=True, slots=True)
class PartDoneEvent(ServerEvent):
    """The end of one streamed content part, with its final value where the wire has one.

    kinds: `response.output_text.done` (text), `response.output_audio.done` (no value),
    `response.output_audio_transcript.done` (transcript),
    `response.function_call_arguments.done` (arguments; GA adds `name`),
    `response.mcp_call_arguments.done` (arguments).
    """

    response_id: str
    item_id: str
    output_index: int
    content_index: int
    value: str | None
    call_id: str | None = None
    name: str | None = None

    @classmethod
    def from_raw(cls, kind: str, wire_type: str, raw: JsonObject) -> Self:
        key = _PART_DONE_VALUE_KEY.get(kind)
        return cls(
            kind,
            wire_type,
            raw,
            response_id=str_at(raw, "response_id"),
            item_id=str_at(raw, "item_id"),
            output_index=int_at(raw, "output_index"),
            content_index=int_at(raw, "content_index"),
            value=opt_str_at(raw, key) if key else None,
            call_id=opt_str_at(raw, "call_id"),
            name=opt_str_at(raw, "name"),
        )


@server_event(
    "input_audio_buffer.committed",
    "input_audio_buffer.cleared",
    "input_audio_buffer.speech_started",
    "input_audio_buffer.speech_stopped",
    "input_audio_buffer.timeout_triggered",
)
@dataclass(frozen=True, slots=True)
class InputAudioBufferEvent(ServerEvent):
    """`input_audio_buffer.committed` / `.cleared` / `.speech_started` / `.speech_stopped`
    / `.timeout_triggered`."""

    item_id: str | None
    previous_item_id: str | None
    audio_start_ms: int | None
    audio_end_ms: int | None

    @classmethod
    def from_raw(cls, kind: str, wire_type: str, raw: JsonObject) -> Self:
        return cls(
            kind,
            wire_type,
            raw,
            item_id=opt_str_at(raw, "item_id"),
            previous_item_id=opt_str_at(raw, "previous_item_id"),
            audio_start_ms=opt_int_at(raw, "audio_start_ms"),
            audio_end_ms=opt_int_at(raw, "audio_end_ms"),
        )


_TRANSCRIPTION_TEXT_KEY: dict[str, str | None] = {
    "conversation.item.input_audio_transcription.delta": "delta",
    "conversation.item.input_audio_transcription.completed": "transcript",
    "conversation.item.input_audio_transcription.failed": None,
    "conversation.item.input_audio_transcription.segment": "text",
}
"""Each input transcription kind and the field holding its text (None: it has none)."""


@server_event(*_TRANSCRIPTION_TEXT_KEY)
@dataclass(frozen=True, slots=True)
class InputTranscriptionEvent(ServerEvent):
    """`conversation.item.input_audio_transcription.delta` / `.completed` / `.failed` /
    `.segment`. `text` is the delta, the full transcript, or the segment's text."""

    item_id: str
    content_index: int
    text: str | None
    error: JsonObject | None

    @classmethod
    def from_raw(cls, kind: str, wire_type: str, raw: JsonObject) -> Self:
        key = _TRANSCRIPTION_TEXT_KEY.get(kind)
        return cls(
            kind,
            wire_type,
            raw,
            item_id=str_at(raw, "item_id"),
            content_index=int_at(raw, "content_index"),
            text=opt_str_at(raw, key) if key else None,
            error=opt_obj_at(raw, "error"),
        )


@dataclass(frozen=True, slots=True)
class RateLimit:
    name: str
    limit: int | None
    remaining: int | None
    reset_seconds: float | None


@server_event("rate_limits.updated")
@dataclass(frozen=True, slots=True)
class RateLimitsEvent(ServerEvent):
    rate_limits: tuple[RateLimit, ...]

    @classmethod
    def from_raw(cls, kind: str, wire_type: str, raw: JsonObject) -> Self:
        entries = raw.get("rate_limits")
        limits = tuple(
            RateLimit(
                name=str_at(entry, "name", "?"),
                limit=opt_int_at(entry, "limit"),
                remaining=opt_int_at(entry, "remaining"),
                reset_seconds=opt_float_at(entry, "reset_seconds"),
            )
            for entry in (entries if isinstance(entries, list) else ())
            if isinstance(entry, dict)
        )
        return cls(kind, wire_type, raw, rate_limits=limits)


@dataclass(frozen=True, slots=True)
class ErrorInfo:
    type: str | None
    code: str | None
    message: str
    param: str | None
    event_id: str | None
    """The client event that caused it, when the server says."""

    def one_line(self) -> str:
        """`code (param 'p'): message`; the param is left out when the message quotes it."""
        label = self.code or self.type or "error"
        if self.param and f"'{self.param}'" not in self.message:
            label += f" (param '{self.param}')"
        return f"{label}: {self.message}" if self.message else label


@server_event("error")
@dataclass(frozen=True, slots=True)
class ErrorEvent(ServerEvent):
    error: ErrorInfo

    @classmethod
    def from_raw(cls, kind: str, wire_type: str, raw: JsonObject) -> Self:
        err = obj_at(raw, "error")
        info = ErrorInfo(
            type=opt_str_at(err, "type"),
            code=opt_str_at(err, "code"),
            message=str_at(err, "message"),
            param=opt_str_at(err, "param"),
            event_id=opt_str_at(err, "event_id"),
        )
        return cls(kind, wire_type, raw, error=info)


OTHER_KINDS = frozenset(
    {
        "output_audio_buffer.started",
        "output_audio_buffer.stopped",
        "output_audio_buffer.cleared",
        "input_audio_buffer.dtmf_event_received",
        "mcp_list_tools.in_progress",
        "mcp_list_tools.completed",
        "mcp_list_tools.failed",
        "response.mcp_call.in_progress",
        "response.mcp_call.completed",
        "response.mcp_call.failed",
    }
)
"""Documented server events without a class of their own (both dialects, GA names)."""


@server_event(*sorted(OTHER_KINDS))
@dataclass(frozen=True, slots=True)
class OtherEvent(ServerEvent):
    """A documented event the app shows but does not interpret (MCP, output_audio_buffer…)."""


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
    entry = _BY_WIRE_TYPE.get(wire_type)
    if entry is None:
        # GA's dtmf example carries a stray leading space in its type.
        stripped = wire_type.strip()
        entry = _BY_WIRE_TYPE.get(stripped)
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
        entry = _BY_WIRE_TYPE.get(wire_type)
        if entry is not None:  # the usual frame: event_from_dict's first lookup, inlined
            kind, build = entry
            return build(kind, wire_type, decoded)
    event = event_from_dict(decoded)
    if isinstance(event, MalformedFrame):
        return MalformedFrame(event.kind, "", decoded, reason=event.reason, text=frame)
    return event
