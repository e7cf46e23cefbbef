"""Server events about conversation items, and about the user's audio on its way to
becoming one (the input audio buffer, and its transcription)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Self

from rt_tui.realtime.event_registry import ServerEvent, server_event
from rt_tui.realtime.json_fields import (
    JsonObject,
    int_at,
    obj_at,
    opt_int_at,
    opt_obj_at,
    opt_str_at,
    str_at,
)

__all__ = [
    "InputAudioBufferEvent",
    "InputTranscriptionEvent",
    "ItemDeleted",
    "ItemEvent",
    "ItemTruncated",
]


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
