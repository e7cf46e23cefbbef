"""The typed server events `events.parse_server_frame` produces (frozen, slotted dataclasses).

Import them from `rt_tui.realtime.events`, which re-exports every name here; this module only
keeps the data shapes apart from the parsing code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

JsonObject = dict[str, Any]


@dataclass(frozen=True, slots=True)
class ServerEvent:
    """Base of every parsed server frame."""

    kind: str
    """Internal name (GA vocabulary), e.g. `response.output_text.delta`."""
    wire_type: str
    """The `type` as it came on the wire, e.g. beta `response.text.delta`."""
    raw: JsonObject = field(repr=False)
    """The frame as decoded JSON (empty for frames that were not a JSON object)."""

    @property
    def event_id(self) -> str | None:
        value = self.raw.get("event_id")
        return value if isinstance(value, str) else None


@dataclass(frozen=True, slots=True)
class SessionEvent(ServerEvent):
    """`session.created` / `session.updated`: the server's full copy of the session."""

    session: JsonObject


@dataclass(frozen=True, slots=True)
class ConversationCreated(ServerEvent):
    conversation_id: str | None


@dataclass(frozen=True, slots=True)
class ItemEvent(ServerEvent):
    """`conversation.item.added` / `.done` / `.retrieved` (beta `.created` = `.added`)."""

    item: JsonObject
    previous_item_id: str | None

    @property
    def item_id(self) -> str | None:
        value = self.item.get("id")
        return value if isinstance(value, str) else None


@dataclass(frozen=True, slots=True)
class ItemDeleted(ServerEvent):
    item_id: str


@dataclass(frozen=True, slots=True)
class ItemTruncated(ServerEvent):
    item_id: str
    content_index: int
    audio_end_ms: int


@dataclass(frozen=True, slots=True)
class ResponseEvent(ServerEvent):
    """`response.created` / `response.done`."""

    response: JsonObject

    @property
    def response_id(self) -> str | None:
        value = self.response.get("id")
        return value if isinstance(value, str) else None

    @property
    def status(self) -> str | None:
        value = self.response.get("status")
        return value if isinstance(value, str) else None


@dataclass(frozen=True, slots=True)
class OutputItemEvent(ServerEvent):
    """`response.output_item.added` / `.done`."""

    response_id: str
    output_index: int
    item: JsonObject


@dataclass(frozen=True, slots=True)
class ContentPartEvent(ServerEvent):
    """`response.content_part.added` / `.done`."""

    response_id: str
    item_id: str
    output_index: int
    content_index: int
    part: JsonObject


@dataclass(frozen=True, slots=True)
class DeltaEvent(ServerEvent):
    """A streamed piece of one content part.

    kinds: `response.output_text.delta`, `response.output_audio.delta` (base64 PCM),
    `response.output_audio_transcript.delta`, `response.function_call_arguments.delta`.
    """

    response_id: str
    item_id: str
    output_index: int
    content_index: int
    delta: str
    call_id: str | None = None


@dataclass(frozen=True, slots=True)
class PartDoneEvent(ServerEvent):
    """The end of one streamed content part, with its final value where the wire has one.

    kinds: `response.output_text.done` (text), `response.output_audio.done` (no value),
    `response.output_audio_transcript.done` (transcript),
    `response.function_call_arguments.done` (arguments; GA adds `name`).
    """

    response_id: str
    item_id: str
    output_index: int
    content_index: int
    value: str | None
    call_id: str | None = None
    name: str | None = None


@dataclass(frozen=True, slots=True)
class InputAudioBufferEvent(ServerEvent):
    """`input_audio_buffer.committed` / `.cleared` / `.speech_started` / `.speech_stopped`
    / `.timeout_triggered`."""

    item_id: str | None
    previous_item_id: str | None
    audio_start_ms: int | None
    audio_end_ms: int | None


@dataclass(frozen=True, slots=True)
class InputTranscriptionEvent(ServerEvent):
    """`conversation.item.input_audio_transcription.delta` / `.completed` / `.failed` /
    `.segment`. `text` is the delta, the full transcript, or the segment's text."""

    item_id: str
    content_index: int
    text: str | None
    error: JsonObject | None


@dataclass(frozen=True, slots=True)
class RateLimit:
    name: str
    limit: int | None
    remaining: int | None
    reset_seconds: float | None


@dataclass(frozen=True, slots=True)
class RateLimitsEvent(ServerEvent):
    rate_limits: tuple[RateLimit, ...]


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


@dataclass(frozen=True, slots=True)
class ErrorEvent(ServerEvent):
    error: ErrorInfo


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
