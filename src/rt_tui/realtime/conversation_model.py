"""The pieces of conversation state: items, content parts, responses, usage, timings.

These are plain mutable records owned by `Conversation`; readers (the UI, exports,
tests) treat them as read-only. None of them ever holds base64 audio.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any

from rt_tui.realtime.session_events import ErrorInfo, RateLimit
from rt_tui.realtime.usage import TokenCounts, Totals, Usage

JsonObject = dict[str, Any]


class TextBuffer:
    """Text that grows by small pieces: appends are O(len(piece)), reads join lazily.

    A long answer arrives as thousands of deltas; repeated string concatenation would
    copy the whole text on every one of them. Once read, a buffer holds one string and no
    list (an hour-long session holds thousands of them).
    """

    __slots__ = ("_length", "_pieces", "_text")

    def __init__(self, text: str = "") -> None:
        self._text = text
        self._pieces: list[str] | None = None
        """Pieces appended since the last read (None: none)."""
        self._length = len(text)

    def append(self, piece: str) -> None:
        if piece:
            if self._pieces is None:
                self._pieces = [piece]
            else:
                self._pieces.append(piece)
            self._length += len(piece)

    def set(self, text: str) -> None:
        """Replace the whole text (the server's final value at `.done`)."""
        self._text = text
        self._pieces = None
        self._length = len(text)

    @property
    def text(self) -> str:
        if self._pieces is not None:
            self._text += "".join(self._pieces)
            self._pieces = None
        return self._text

    def __len__(self) -> int:
        return self._length

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"TextBuffer({self._length} chars)"


#: Wire part types → the app's one vocabulary. GA assistant parts are output_text /
#: output_audio, but beta (and GA `response.content_part.*`) still say text / audio.
PART_TYPES = {"text": "output_text", "audio": "output_audio"}


def normalise_part_type(wire_type: str) -> str:
    # Interned: every part of a session says one of a few words (one copy of each).
    return PART_TYPES.get(wire_type) or sys.intern(wire_type)


@dataclass(slots=True)
class ContentPart:
    """One content part of a message item.

    `text` is the text of a text part or the transcript of an audio part (assistant
    speech, or the user's input audio once transcribed).
    """

    type: str
    """input_text, input_audio, input_image, output_text or output_audio."""
    buffer: TextBuffer = field(default_factory=TextBuffer)
    done: bool = False
    """The server sent this part's final value."""
    transcription_error: JsonObject | None = None
    """Input audio transcription failed: the server's error object."""
    truncated_audio_end_ms: int | None = None
    """The audio was cut at this point (barge-in); the server drops its transcript."""
    heard_chars: int | None = None
    """After a cut: how much of the transcript had arrived with the audio that was heard."""

    @property
    def text(self) -> str:
        return self.buffer.text

    @property
    def is_audio(self) -> bool:
        return self.type.endswith("audio")


@dataclass(slots=True)
class Item:
    """A conversation item: a message, a function call or its output, an MCP item."""

    id: str
    type: str = "message"
    """message, function_call, function_call_output, or a type the app doesn't know."""
    role: str | None = None
    """user, assistant or system (messages only)."""
    status: str | None = None
    """in_progress, completed or incomplete, when the server says."""
    parts: dict[int, ContentPart] = field(default_factory=dict)
    """Content parts by content_index (messages)."""
    name: str | None = None
    """function_call, mcp_call, mcp_approval_request: the tool's name."""
    call_id: str | None = None
    """function_call and function_call_output: links a call to its output."""
    _arguments: TextBuffer | None = None
    """function_call: the JSON arguments as they stream (None until some arrive: most
    items are messages)."""
    output: str | None = None
    """function_call_output: what the client answered; mcp_call: what the server returned."""
    server_label: str | None = None
    """MCP items (mcp_list_tools, mcp_call, mcp_approval_request): the server's label."""
    tool_names: tuple[str, ...] = ()
    """mcp_list_tools: the tools the server offers."""
    approved: bool | None = None
    """mcp_approval_response: whether the user let the call run."""
    response_id: str | None = None
    """The response that produced this item (assistant items and calls)."""

    @property
    def content(self) -> list[ContentPart]:
        """Content parts in content_index order."""
        return [self.parts[index] for index in sorted(self.parts)]

    @property
    def text(self) -> str:
        """All text and transcripts of the item, parts joined by newlines."""
        return "\n".join(part.text for part in self.content if part.text)

    @property
    def arguments_buffer(self) -> TextBuffer:
        if self._arguments is None:
            self._arguments = TextBuffer()
        return self._arguments

    @property
    def arguments(self) -> str:
        return "" if self._arguments is None else self._arguments.text

    def part(self, content_index: int, part_type: str) -> ContentPart:
        """The part at `content_index`, created with `part_type` if new."""
        part = self.parts.get(content_index)
        if part is None:
            part = self.parts[content_index] = ContentPart(type=part_type)
        return part


@dataclass(slots=True)
class ResponseTimings:
    """When a response's milestones happened, in ms since the socket opened."""

    requested_ms: float | None = None
    """The sent `response.create`, or the end of the user's turn for VAD responses."""
    request_source: str | None = None
    """What `requested_ms` is: response.create, speech_stopped or committed."""
    created_ms: float | None = None
    first_delta_ms: float | None = None
    """The first text, audio, transcript or arguments delta."""
    done_ms: float | None = None

    @property
    def start_ms(self) -> float | None:
        """Where latencies count from: the request if known, else `response.created`."""
        return self.requested_ms if self.requested_ms is not None else self.created_ms

    @property
    def time_to_created_ms(self) -> float | None:
        if self.requested_ms is None or self.created_ms is None:
            return None
        return self.created_ms - self.requested_ms

    @property
    def time_to_first_delta_ms(self) -> float | None:
        start = self.start_ms
        if start is None or self.first_delta_ms is None:
            return None
        return self.first_delta_ms - start

    @property
    def total_ms(self) -> float | None:
        start = self.start_ms
        if start is None or self.done_ms is None:
            return None
        return self.done_ms - start


@dataclass(slots=True)
class Response:
    """One model response and how it went."""

    id: str
    status: str = "in_progress"
    """in_progress, completed, cancelled, failed or incomplete."""
    status_reason: str | None = None
    """status_details.reason: turn_detected, client_cancelled, max_output_tokens,
    content_filter…"""
    error: JsonObject | None = None
    """status_details.error of a failed response."""
    usage: Usage | None = None
    output_item_ids: list[str] = field(default_factory=list)
    timings: ResponseTimings = field(default_factory=ResponseTimings)

    @property
    def finished(self) -> bool:
        return self.status != "in_progress"


@dataclass(frozen=True, slots=True)
class ErrorRecord:
    """An `error` event from the server."""

    t_ms: float
    error: ErrorInfo
    client_event_type: str | None = None
    """The type of the sent event the error refers to, when its event_id is known."""


@dataclass(frozen=True, slots=True)
class Note:
    """Something odd the reducer noticed and skipped (malformed frame, bad base64…)."""

    t_ms: float
    message: str


@dataclass(frozen=True, slots=True)
class Change:
    """What one frame changed, so a UI redraws only that."""

    items: frozenset[str] = frozenset()
    """Items whose content or fields changed (including new ones)."""
    removed_items: frozenset[str] = frozenset()
    order: bool = False
    """Items were inserted, moved or removed."""
    responses: frozenset[str] = frozenset()
    session: bool = False
    totals: bool = False
    rate_limits: bool = False
    errors: bool = False
    notes: bool = False

    def __bool__(self) -> bool:
        return bool(
            self.items
            or self.removed_items
            or self.order
            or self.responses
            or self.session
            or self.totals
            or self.rate_limits
            or self.errors
            or self.notes
        )


NO_CHANGE = Change()

__all__ = [
    "NO_CHANGE",
    "Change",
    "ContentPart",
    "ErrorRecord",
    "Item",
    "Note",
    "RateLimit",
    "Response",
    "ResponseTimings",
    "TextBuffer",
    "TokenCounts",
    "Totals",
    "Usage",
]
