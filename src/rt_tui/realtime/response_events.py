"""Server events about responses: a response's start and end, its output items and
content parts, and the deltas that stream them (most of a session's frames)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Self

from rt_tui.realtime.event_registry import ServerEvent, fast_builder, server_event
from rt_tui.realtime.json_fields import JsonObject, int_at, obj_at, opt_str_at, str_at

__all__ = [
    "ContentPartEvent",
    "DeltaEvent",
    "OutputItemEvent",
    "PartDoneEvent",
    "ResponseEvent",
]


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
fast_builder(DeltaEvent, _delta_event)


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
