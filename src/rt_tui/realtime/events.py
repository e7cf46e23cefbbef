"""Server frames → typed events.

`parse_server_frame` turns any frame the socket delivers into exactly one event and
never raises: JSON objects with a known `type` become the typed event for it, an
unknown `type` becomes `UnknownEvent`, and non-JSON text, JSON that is not an object,
a missing `type` and binary frames become `MalformedFrame` / `BinaryFrame`.

Every event keeps the raw dict (`raw`) and the wire name (`wire_type`) for display;
`kind` is the internal (GA) name, the same for both dialects. The event classes live in
`event_types` and are re-exported here, so callers import everything from this module.
"""

from __future__ import annotations

import json

from rt_tui.dialect import normalise
from rt_tui.realtime.event_types import (
    BinaryFrame,
    ContentPartEvent,
    ConversationCreated,
    DeltaEvent,
    ErrorEvent,
    ErrorInfo,
    InputAudioBufferEvent,
    InputTranscriptionEvent,
    ItemDeleted,
    ItemEvent,
    ItemTruncated,
    JsonObject,
    MalformedFrame,
    OtherEvent,
    OutputItemEvent,
    PartDoneEvent,
    RateLimit,
    RateLimitsEvent,
    ResponseEvent,
    ServerEvent,
    SessionEvent,
    UnknownEvent,
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
    "event_from_dict",
    "parse_server_frame",
]

MALFORMED = "rt_tui.malformed"
BINARY = "rt_tui.binary"

#: Documented server events without a dedicated class (both dialects, GA names).
OTHER_KINDS = frozenset(
    {
        "transcription_session.updated",
        "transcription_session.created",
        "output_audio_buffer.started",
        "output_audio_buffer.stopped",
        "output_audio_buffer.cleared",
        "input_audio_buffer.dtmf_event_received",
        "mcp_list_tools.in_progress",
        "mcp_list_tools.completed",
        "mcp_list_tools.failed",
        "response.mcp_call_arguments.delta",
        "response.mcp_call_arguments.done",
        "response.mcp_call.in_progress",
        "response.mcp_call.completed",
        "response.mcp_call.failed",
    }
)


def _str(d: JsonObject, key: str, default: str = "") -> str:
    value = d.get(key)
    return value if isinstance(value, str) else default


def _opt_str(d: JsonObject, key: str) -> str | None:
    value = d.get(key)
    return value if isinstance(value, str) else None


def _int(d: JsonObject, key: str, default: int = 0) -> int:
    value = d.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _opt_int(d: JsonObject, key: str) -> int | None:
    value = d.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _opt_float(d: JsonObject, key: str) -> float | None:
    value = d.get(key)
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    try:
        return float(value)
    except OverflowError:  # a JSON integer too big for a float
        return None


def _obj(d: JsonObject, key: str) -> JsonObject:
    value = d.get(key)
    return value if isinstance(value, dict) else {}


def _opt_obj(d: JsonObject, key: str) -> JsonObject | None:
    value = d.get(key)
    return value if isinstance(value, dict) else None


def _rate_limits(raw: JsonObject) -> tuple[RateLimit, ...]:
    entries = raw.get("rate_limits")
    if not isinstance(entries, list):
        return ()
    limits = []
    for entry in entries:
        if isinstance(entry, dict):
            limits.append(
                RateLimit(
                    name=_str(entry, "name", "?"),
                    limit=_opt_int(entry, "limit"),
                    remaining=_opt_int(entry, "remaining"),
                    reset_seconds=_opt_float(entry, "reset_seconds"),
                )
            )
    return tuple(limits)


def _error_info(raw: JsonObject) -> ErrorInfo:
    err = _obj(raw, "error")
    return ErrorInfo(
        type=_opt_str(err, "type"),
        code=_opt_str(err, "code"),
        message=_str(err, "message"),
        param=_opt_str(err, "param"),
        event_id=_opt_str(err, "event_id"),
    )


_DELTA_KINDS = frozenset(
    {
        "response.output_text.delta",
        "response.output_audio.delta",
        "response.output_audio_transcript.delta",
        "response.function_call_arguments.delta",
    }
)
_PART_DONE_VALUE_KEY = {
    "response.output_text.done": "text",
    "response.output_audio.done": None,
    "response.output_audio_transcript.done": "transcript",
    "response.function_call_arguments.done": "arguments",
}
_BUFFER_KINDS = frozenset(
    {
        "input_audio_buffer.committed",
        "input_audio_buffer.cleared",
        "input_audio_buffer.speech_started",
        "input_audio_buffer.speech_stopped",
        "input_audio_buffer.timeout_triggered",
    }
)
_TRANSCRIPTION_TEXT_KEY = {
    "conversation.item.input_audio_transcription.delta": "delta",
    "conversation.item.input_audio_transcription.completed": "transcript",
    "conversation.item.input_audio_transcription.failed": None,
    "conversation.item.input_audio_transcription.segment": "text",
}


def event_from_dict(raw: JsonObject) -> ServerEvent:
    """The typed event for one decoded JSON object. Never raises."""
    wire_type = raw.get("type")
    if not isinstance(wire_type, str):
        return MalformedFrame(MALFORMED, "", raw, reason="The frame has no 'type' field.", text="")
    # GA's dtmf example carries a stray leading space in its type.
    kind = normalise(wire_type.strip())
    if kind in _DELTA_KINDS:
        return DeltaEvent(
            kind,
            wire_type,
            raw,
            response_id=_str(raw, "response_id"),
            item_id=_str(raw, "item_id"),
            output_index=_int(raw, "output_index"),
            content_index=_int(raw, "content_index"),
            delta=_str(raw, "delta"),
            call_id=_opt_str(raw, "call_id"),
        )
    if kind in _PART_DONE_VALUE_KEY:
        key = _PART_DONE_VALUE_KEY[kind]
        return PartDoneEvent(
            kind,
            wire_type,
            raw,
            response_id=_str(raw, "response_id"),
            item_id=_str(raw, "item_id"),
            output_index=_int(raw, "output_index"),
            content_index=_int(raw, "content_index"),
            value=_opt_str(raw, key) if key else None,
            call_id=_opt_str(raw, "call_id"),
            name=_opt_str(raw, "name"),
        )
    if kind in ("session.created", "session.updated"):
        return SessionEvent(kind, wire_type, raw, session=_obj(raw, "session"))
    if kind in ("conversation.item.added", "conversation.item.done", "conversation.item.retrieved"):
        return ItemEvent(
            kind,
            wire_type,
            raw,
            item=_obj(raw, "item"),
            previous_item_id=_opt_str(raw, "previous_item_id"),
        )
    if kind in ("response.created", "response.done"):
        return ResponseEvent(kind, wire_type, raw, response=_obj(raw, "response"))
    if kind in ("response.output_item.added", "response.output_item.done"):
        return OutputItemEvent(
            kind,
            wire_type,
            raw,
            response_id=_str(raw, "response_id"),
            output_index=_int(raw, "output_index"),
            item=_obj(raw, "item"),
        )
    if kind in ("response.content_part.added", "response.content_part.done"):
        return ContentPartEvent(
            kind,
            wire_type,
            raw,
            response_id=_str(raw, "response_id"),
            item_id=_str(raw, "item_id"),
            output_index=_int(raw, "output_index"),
            content_index=_int(raw, "content_index"),
            part=_obj(raw, "part"),
        )
    if kind in _BUFFER_KINDS:
        return InputAudioBufferEvent(
            kind,
            wire_type,
            raw,
            item_id=_opt_str(raw, "item_id"),
            previous_item_id=_opt_str(raw, "previous_item_id"),
            audio_start_ms=_opt_int(raw, "audio_start_ms"),
            audio_end_ms=_opt_int(raw, "audio_end_ms"),
        )
    if kind in _TRANSCRIPTION_TEXT_KEY:
        text_key = _TRANSCRIPTION_TEXT_KEY[kind]
        return InputTranscriptionEvent(
            kind,
            wire_type,
            raw,
            item_id=_str(raw, "item_id"),
            content_index=_int(raw, "content_index"),
            text=_opt_str(raw, text_key) if text_key else None,
            error=_opt_obj(raw, "error"),
        )
    if kind == "rate_limits.updated":
        return RateLimitsEvent(kind, wire_type, raw, rate_limits=_rate_limits(raw))
    if kind == "error":
        return ErrorEvent(kind, wire_type, raw, error=_error_info(raw))
    if kind == "conversation.created":
        conversation = _obj(raw, "conversation")
        return ConversationCreated(
            kind, wire_type, raw, conversation_id=_opt_str(conversation, "id")
        )
    if kind == "conversation.item.deleted":
        return ItemDeleted(kind, wire_type, raw, item_id=_str(raw, "item_id"))
    if kind == "conversation.item.truncated":
        return ItemTruncated(
            kind,
            wire_type,
            raw,
            item_id=_str(raw, "item_id"),
            content_index=_int(raw, "content_index"),
            audio_end_ms=_int(raw, "audio_end_ms"),
        )
    if kind in OTHER_KINDS:
        return OtherEvent(kind, wire_type, raw)
    return UnknownEvent(kind, wire_type, raw)


def parse_server_frame(frame: str | bytes) -> ServerEvent:
    """The typed event for one WebSocket frame as received. Never raises."""
    if isinstance(frame, bytes | bytearray | memoryview):
        return BinaryFrame(BINARY, "", {}, size=len(frame))
    try:
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
    event = event_from_dict(decoded)
    if isinstance(event, MalformedFrame):
        return MalformedFrame(event.kind, "", decoded, reason=event.reason, text=frame)
    return event
