"""The conversation as the client sees it, folded from frames: a reducer whose only I/O
is its `AudioStore`'s (audio stays on disk).

`Conversation.apply(frame)` takes every frame of both directions in order and updates
items (in the server's order), streamed text and transcripts, audio, responses with their
status, usage and timings, rate limits, errors and the last session config. It returns a
`Change` naming what moved, so a UI can redraw only that.

Received frames arrive already parsed into GA-named events, so beta and GA sessions
reduce to the same state. Nothing here raises on odd input: frames the reducer cannot
use are skipped, and the odd ones leave a `Note`. The server never sends the user's audio
back: an `InputAudioTrack` follows what the client appended until a commit makes it an item.
"""

from __future__ import annotations

import base64
import binascii
import sys
from collections import deque
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from rt_tui.realtime.audio_store import BYTES_PER_MS, AudioStore
from rt_tui.realtime.conversation_items import ItemList, json_str, part_value, update_item
from rt_tui.realtime.conversation_model import (
    NO_CHANGE,
    Change,
    ContentPart,
    ErrorRecord,
    Item,
    JsonObject,
    Note,
    Response,
    ResponseTimings,
    Totals,
    Usage,
    normalise_part_type,
)
from rt_tui.realtime.conversation_requests import RequestTracker
from rt_tui.realtime.event_registry import ServerEvent
from rt_tui.realtime.events import BinaryFrame, MalformedFrame, parse_server_frame
from rt_tui.realtime.frames import Direction, Frame
from rt_tui.realtime.input_audio_track import InputAudioTrack
from rt_tui.realtime.item_events import (
    InputAudioBufferEvent,
    InputTranscriptionEvent,
    ItemDeleted,
    ItemEvent,
    ItemTruncated,
)
from rt_tui.realtime.response_events import (
    ContentPartEvent,
    DeltaEvent,
    OutputItemEvent,
    PartDoneEvent,
    ResponseEvent,
)
from rt_tui.realtime.session_events import ErrorEvent, RateLimit, RateLimitsEvent, SessionEvent
from rt_tui.realtime.session_history import SessionHistory, sent_session
from rt_tui.realtime.transcript_marks import TranscriptMarks

__all__ = [
    "AudioStore",
    "Change",
    "ContentPart",
    "Conversation",
    "ErrorRecord",
    "Item",
    "Note",
    "Response",
    "ResponseTimings",
    "Totals",
    "Usage",
]

#: How many notes to keep; a misbehaving server must not grow memory without bound.
MAX_NOTES = 1000
#: How many streaming items keep the `Change` their deltas share (not one per item of an
#: hour-long session).
STREAMING_ITEMS_KEPT = 16

_AUDIO_DELTA = "response.output_audio.delta"
_TRANSCRIPT_DELTA = "response.output_audio_transcript.delta"
_FINAL_ITEM_KINDS = frozenset(
    {"conversation.item.done", "conversation.item.retrieved", "response.output_item.done"}
)
#: What a streamed event's item is created with when the server skipped announcing it.
_ASSISTANT: Mapping[str, str] = MappingProxyType({"role": "assistant"})
_FUNCTION_CALL: Mapping[str, str] = MappingProxyType({"type": "function_call"})
_MCP_CALL: Mapping[str, str] = MappingProxyType({"type": "mcp_call"})
#: The events that stream a call's arguments, and the item they make if it is not known.
_CALL_ARGUMENTS: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "response.function_call_arguments.delta": _FUNCTION_CALL,
        "response.function_call_arguments.done": _FUNCTION_CALL,
        "response.mcp_call_arguments.delta": _MCP_CALL,
        "response.mcp_call_arguments.done": _MCP_CALL,
    }
)
_NONE: frozenset[str] = frozenset()
#: Deltas that stream a content part's text, and the type the part gets if it is new.
_STREAMED_PART_TYPES: dict[str, str] = {
    "response.output_text.delta": "output_text",
    "response.output_audio_transcript.delta": "output_audio",
}


class Conversation:
    """Conversation state reduced from the frames of one session."""

    def __init__(self, audio: AudioStore | None = None) -> None:
        self.audio = audio if audio is not None else AudioStore()
        """Audio per item id, on disk: the assistant's deltas (read back from the session
        log when the frames were recorded), the user's committed turns."""
        self.totals = Totals()
        self.rate_limits: tuple[RateLimit, ...] = ()
        """The last `rate_limits.updated`."""
        self.errors: list[ErrorRecord] = []
        self.notes: deque[Note] = deque(maxlen=MAX_NOTES)
        self.session: JsonObject | None = None
        """The server's last copy of the session (`session.created` / `.updated`)."""
        self.session_history = SessionHistory()
        """Every session.update sent and what the server answered, in order."""
        self._items = ItemList()
        self._item_changes: dict[str, Change] = {}
        self._responses: dict[str, Response] = {}
        self._in_progress: dict[str, None] = {}
        """Ids of the responses still in progress, oldest first: what `active_response_id`
        and `mark_interrupted` look at, so neither walks an hour of finished responses."""
        self._requests = RequestTracker()
        self._input_audio = InputAudioTrack()
        self._transcript_marks = TranscriptMarks()
        """Where each spoken item's transcript stood against its audio (for a barge-in)."""
        self._reseeded: frozenset[str] = frozenset()
        """Items re-sent to a new session under their own ids: its echoes of them change
        nothing (the client's copy is the one that was shown)."""
        self._handlers: dict[type[ServerEvent], Callable[[Any, float], Change]] = {
            DeltaEvent: self._on_delta,
            PartDoneEvent: self._on_part_done,
            ContentPartEvent: self._on_content_part,
            ItemEvent: self._on_item,
            OutputItemEvent: self._on_output_item,
            ResponseEvent: self._on_response,
            SessionEvent: self._on_session,
            InputAudioBufferEvent: self._on_input_buffer,
            InputTranscriptionEvent: self._on_transcription,
            ItemDeleted: self._on_item_deleted,
            ItemTruncated: self._on_item_truncated,
            RateLimitsEvent: self._on_rate_limits,
            ErrorEvent: self._on_error,
            MalformedFrame: self._on_malformed,
            BinaryFrame: self._on_binary,
        }

    # ----- reading -------------------------------------------------------------------

    @property
    def items(self) -> list[Item]:
        """Items in conversation order."""
        return list(self._items)

    @property
    def item_ids(self) -> tuple[str, ...]:
        return self._items.ids

    def item(self, item_id: str) -> Item | None:
        """The item with this id, or None if there is none (or it was deleted)."""
        return self._items.get(item_id)

    @property
    def responses(self) -> dict[str, Response]:
        """Responses by id, in the order they started."""
        return self._responses

    def response(self, response_id: str) -> Response | None:
        return self._responses.get(response_id)

    @property
    def active_response_id(self) -> str | None:
        """The newest response still in progress (what a cancel would stop), if any."""
        return next(reversed(self._in_progress), None)

    def __len__(self) -> int:
        return len(self._items)

    # ----- applying frames -----------------------------------------------------------

    def apply(self, frame: Frame) -> Change:
        """Fold one frame into the state; returns what changed. Never raises on odd input."""
        if frame.direction is Direction.SENT:
            return self._apply_sent(frame)
        event = frame.event if frame.event is not None else parse_server_frame(frame.data)
        if event.kind == _AUDIO_DELTA and isinstance(event, DeltaEvent):
            return self._on_audio_delta(event, frame)
        handler = self._handlers.get(type(event))
        if handler is None:
            return NO_CHANGE
        return handler(event, frame.t_ms)

    def _apply_sent(self, frame: Frame) -> Change:
        sent = frame.client_event
        if sent is None:
            return NO_CHANGE
        kind = sent.get("type")
        event_id = sent.get("event_id")
        event_id = event_id if isinstance(event_id, str) else None
        if isinstance(kind, str):
            self._requests.sent(kind, event_id, frame.t_ms)
        if kind == "input_audio_buffer.append":
            self._input_audio.appended(sent.get("audio"))
        elif kind == "session.update":
            self.session_history.sent(sent_session(frame), event_id, frame.t_ms)
        return NO_CHANGE

    def _note(self, t_ms: float, message: str) -> Change:
        self.notes.append(Note(t_ms, message))
        return Change(notes=True)

    # ----- a new session -----------------------------------------------------------

    def mark_interrupted(self) -> Change:
        """The session was lost: what was still streaming will never finish.

        Responses in progress end as `incomplete` (reason `interrupted`) and items in
        progress as `incomplete`, so nothing shows "responding" forever and a cancel has
        no old response to aim at. What the old socket's requests were waiting for is
        forgotten too: the next session's clock starts at zero.
        """
        responses = set(self._in_progress)
        for response_id in responses:
            response = self._responses[response_id]
            response.status = "incomplete"
            response.status_reason = "interrupted"
        self._in_progress.clear()
        items = set()
        for item in self._items:
            if item.status == "in_progress":
                item.status = "incomplete"
                items.add(item.id)
        self._requests = RequestTracker()
        self._input_audio = InputAudioTrack()
        self.session_history.interrupted()
        if not responses and not items:
            return NO_CHANGE
        return Change(items=frozenset(items), responses=frozenset(responses))

    def expect_reseeded(self, item_ids: frozenset[str]) -> None:
        """These items are being re-sent to a new session under their own ids: the
        server's copies of them are not applied over the ones shown."""
        self._reseeded = item_ids

    # ----- items ---------------------------------------------------------------------

    def _on_item(self, event: ItemEvent, t_ms: float) -> Change:
        item_id = event.item_id
        if not item_id:
            return self._note(t_ms, f"{event.wire_type} without an item id was skipped.")
        if item_id in self._reseeded and event.kind != "conversation.item.retrieved":
            return NO_CHANGE
        item, new = self._items.ensure(item_id)
        moved = event.kind != "conversation.item.retrieved" and self._items.place(
            item_id, event.previous_item_id, new
        )
        update_item(item, event.item, event.kind in _FINAL_ITEM_KINDS)
        return Change(items=frozenset({item_id}), order=moved or new)

    def _on_output_item(self, event: OutputItemEvent, t_ms: float) -> Change:
        item_id = json_str(event.item, "id")
        if not item_id:
            return self._note(t_ms, f"{event.wire_type} without an item id was skipped.")
        item, new = self._items.ensure(item_id)
        update_item(item, event.item, event.kind in _FINAL_ITEM_KINDS)
        responses: frozenset[str] = frozenset()
        if event.response_id:
            response = self._ensure_response(event.response_id)
            # Ids are kept as the one copy their item and response hold: each event
            # parses its own, and an hour of items would keep several of each.
            item.response_id = response.id
            if item_id not in response.output_item_ids:
                response.output_item_ids.append(item.id)
                responses = frozenset({event.response_id})
        return Change(items=frozenset({item_id}), order=new, responses=responses)

    def _streamed_item(
        self, item_id: str, response_id: str, defaults: Mapping[str, str]
    ) -> tuple[Item, bool]:
        """The item a streamed event belongs to, created with `defaults` if the server
        skipped its `output_item.added`; and whether it is new. Runs for every delta: an
        item already credited to its response is found with one lookup."""
        item = self._items.get(item_id)
        if item is not None and (item.response_id is not None or not response_id):
            return item, False
        item, new = self._items.ensure(item_id, **defaults)
        if response_id and item.response_id is None:
            item.response_id = response_id
        return item, new

    def _on_content_part(self, event: ContentPartEvent, t_ms: float) -> Change:
        if not event.item_id:
            return self._note(t_ms, f"{event.wire_type} without an item id was skipped.")
        item, new = self._streamed_item(event.item_id, event.response_id, _ASSISTANT)
        wire_type = json_str(event.part, "type")
        part = item.part(event.content_index, normalise_part_type(wire_type or "output_text"))
        if wire_type is not None:
            part.type = normalise_part_type(wire_type)
        if event.kind == "response.content_part.done":
            value = part_value(event.part)
            if value is not None:
                part.buffer.set(value)
                part.done = True
        return Change(items=frozenset({event.item_id}), order=new)

    def _on_delta(self, event: DeltaEvent, t_ms: float) -> Change:
        item_id = event.item_id
        kind = event.kind
        part_type = _STREAMED_PART_TYPES.get(kind)
        item = self._items.get(item_id)
        if part_type is not None and item is not None and item.response_id is not None:
            # Most frames of a session: more text for a part of an item already seen.
            part = item.parts.get(event.content_index)
            if part is not None:
                part.buffer.append(event.delta)
                if kind == _TRANSCRIPT_DELTA:
                    self._mark_transcript(item_id, len(part.buffer))
                response = self._responses.get(event.response_id)
                change = self._item_changes.get(item_id)
                if (
                    change is not None
                    and response is not None
                    and response.timings.first_delta_ms is not None
                ):
                    return change
                return self._delta_change(event, t_ms, False)
        if not item_id:
            return self._note(t_ms, f"{event.wire_type} without an item id was skipped.")
        calls = _CALL_ARGUMENTS.get(kind)
        if calls is not None:
            item, new = self._streamed_item(item_id, event.response_id, calls)
            item.arguments_buffer.append(event.delta)
            if event.call_id and item.call_id is None:
                item.call_id = event.call_id
        else:
            item, new = self._streamed_item(item_id, event.response_id, _ASSISTANT)
            if part_type is not None:
                buffer = item.part(event.content_index, part_type).buffer
                buffer.append(event.delta)
                if kind == _TRANSCRIPT_DELTA:
                    self._mark_transcript(item_id, len(buffer))
        return self._delta_change(event, t_ms, new)

    def _mark_transcript(self, item_id: str, chars: int) -> None:
        self._transcript_marks.mark(item_id, self.audio.size(item_id), chars)

    def _on_audio_delta(self, event: DeltaEvent, frame: Frame) -> Change:
        """Assistant audio: kept on disk, where the session log already has it when the
        frame was recorded (not copied; decoded only if the store measures levels), else
        decoded into the store's scratch file."""
        item_id = event.item_id
        t_ms = frame.t_ms
        if not item_id:
            return self._note(t_ms, f"{event.wire_type} without an item id was skipped.")
        item, new = self._streamed_item(item_id, event.response_id, _ASSISTANT)
        item.part(event.content_index, "output_audio")
        span = frame.log_span
        if span is None or not self.audio.append_logged(item.id, span, event.delta):
            try:
                pcm = base64.b64decode(event.delta, validate=True)
            except (binascii.Error, ValueError):
                return self._note(t_ms, f"Audio for item {item_id} was not valid base64.")
            self.audio.append(item.id, pcm)
        return self._delta_change(event, t_ms, new)

    def _delta_change(self, event: DeltaEvent, t_ms: float, new: bool) -> Change:
        """What a delta changed: its item, and its response if it was the first delta."""
        responses: frozenset[str] = _NONE
        response_id = event.response_id
        if response_id:
            response = self._responses.get(response_id)
            if response is None:
                response = self._ensure_response(response_id)
            if response.timings.first_delta_ms is None:
                response.timings.first_delta_ms = t_ms
                responses = frozenset({response_id})
        if new or responses:
            return Change(items=frozenset({event.item_id}), order=new, responses=responses)
        # Most frames are deltas of an item already seen: they share one Change per item
        # (it is immutable) instead of building one each.
        changes = self._item_changes
        change = changes.get(event.item_id)
        if change is None:
            if len(changes) >= STREAMING_ITEMS_KEPT:
                changes.clear()  # Items stream a few at a time: the older ones are done.
            change = changes[event.item_id] = Change(items=frozenset({event.item_id}))
        return change

    def _on_part_done(self, event: PartDoneEvent, t_ms: float) -> Change:
        if not event.item_id:
            return self._note(t_ms, f"{event.wire_type} without an item id was skipped.")
        calls = _CALL_ARGUMENTS.get(event.kind)
        if calls is not None:
            item, new = self._streamed_item(event.item_id, event.response_id, calls)
            if event.value is not None:
                item.arguments_buffer.set(event.value)
            item.name = event.name or item.name
            item.call_id = event.call_id or item.call_id
        else:
            item, new = self._streamed_item(event.item_id, event.response_id, _ASSISTANT)
            is_text = event.kind == "response.output_text.done"
            part = item.part(event.content_index, "output_text" if is_text else "output_audio")
            if event.value is not None:
                part.buffer.set(event.value)
                part.done = True
        return Change(items=frozenset({event.item_id}), order=new)

    def _on_item_deleted(self, event: ItemDeleted, t_ms: float) -> Change:
        if event.item_id not in self._items:
            return NO_CHANGE
        self._items.remove(event.item_id)
        self._item_changes.pop(event.item_id, None)
        self.audio.discard(event.item_id)
        self._transcript_marks.forget(event.item_id)
        return Change(removed_items=frozenset({event.item_id}), order=True)

    def _on_item_truncated(self, event: ItemTruncated, t_ms: float) -> Change:
        item = self._items.get(event.item_id)
        if item is None:
            return NO_CHANGE
        part = item.part(event.content_index, "output_audio")
        part.truncated_audio_end_ms = event.audio_end_ms
        part.heard_chars = self._transcript_marks.heard_chars(
            event.item_id, event.audio_end_ms * BYTES_PER_MS
        )
        self.audio.truncate(event.item_id, event.audio_end_ms)
        return Change(items=frozenset({event.item_id}))

    # ----- the user's audio ------------------------------------------------------------

    def _on_input_buffer(self, event: InputAudioBufferEvent, t_ms: float) -> Change:
        if event.kind == "input_audio_buffer.speech_stopped":
            self._requests.turn_ended("speech_stopped", t_ms)
            self._input_audio.speech_stopped(event.audio_end_ms)
        elif event.kind == "input_audio_buffer.cleared":
            self._input_audio.cleared()
        elif event.kind == "input_audio_buffer.committed":
            self._requests.turn_ended("committed", t_ms, overwrite=False)
            pcm = self._input_audio.committed()
            if event.item_id:
                if pcm:
                    self.audio.append(event.item_id, pcm)
                # The user's audio item: show it now, the item event fills it in.
                item, new = self._items.ensure(event.item_id, role="user", status="in_progress")
                item.part(0, "input_audio")
                moved = self._items.place(event.item_id, event.previous_item_id, new)
                return Change(items=frozenset({event.item_id}), order=moved or new)
        return NO_CHANGE

    def _on_transcription(self, event: InputTranscriptionEvent, t_ms: float) -> Change:
        if not event.item_id:
            return self._note(t_ms, f"{event.wire_type} without an item id was skipped.")
        if event.kind == "conversation.item.input_audio_transcription.segment":
            return NO_CHANGE  # diarized segments repeat what .completed carries
        item, new = self._items.ensure(event.item_id, role="user")
        part = item.part(event.content_index, "input_audio")
        if event.kind.endswith(".delta"):
            part.buffer.append(event.text or "")
        elif event.kind.endswith(".completed"):
            part.buffer.set(event.text or "")
            part.done = True
            part.transcription_error = None
        else:
            part.transcription_error = event.error if event.error is not None else {}
        return Change(items=frozenset({event.item_id}), order=new)

    # ----- responses -------------------------------------------------------------------

    def _ensure_response(self, response_id: str) -> Response:
        """The response, created if new and credited to the request that caused it."""
        response = self._responses.get(response_id)
        if response is None:
            response = self._responses[response_id] = Response(id=response_id)
            self._in_progress[response_id] = None
            claimed = self._requests.claim()
            if claimed is not None:
                response.timings.request_source, response.timings.requested_ms = claimed
        return response

    def _on_response(self, event: ResponseEvent, t_ms: float) -> Change:
        response_id = event.response_id
        if not response_id:
            return self._note(t_ms, f"{event.wire_type} without a response id was skipped.")
        response = self._ensure_response(response_id)
        if event.status is not None:
            response.status = sys.intern(event.status)  # One copy for every response.
            if response.finished:
                self._in_progress.pop(response_id, None)
            else:
                self._in_progress[response_id] = None
        if event.kind == "response.created":
            response.timings.created_ms = t_ms
            return Change(responses=frozenset({response_id}))
        response.timings.done_ms = t_ms
        details = event.response.get("status_details")
        if isinstance(details, dict):
            response.status_reason = json_str(details, "reason")
            error = details.get("error")
            response.error = error if isinstance(error, dict) else None
        changed_items: set[str] = set()
        output = event.response.get("output")
        for entry in output if isinstance(output, list) else []:
            item_id = json_str(entry, "id") if isinstance(entry, dict) else None
            if item_id is None:
                continue
            item = self._items.get(item_id)
            if item_id not in response.output_item_ids:
                response.output_item_ids.append(item_id if item is None else item.id)
            if item is not None and isinstance(entry, dict):
                update_item(item, entry, final=True)
                changed_items.add(item_id)
        usage = event.response.get("usage")
        counted = False
        if isinstance(usage, dict) and response.usage is None:
            response.usage = Usage.from_json(usage)
            self.totals.add(response.usage)
            counted = True
        return Change(
            items=frozenset(changed_items), responses=frozenset({response_id}), totals=counted
        )

    # ----- session-wide ----------------------------------------------------------------

    def _on_session(self, event: SessionEvent, t_ms: float) -> Change:
        self.session_history.received(event.kind, event.session, self.session, t_ms)
        self.session = event.session
        return Change(session=True)

    def _on_rate_limits(self, event: RateLimitsEvent, t_ms: float) -> Change:
        self.rate_limits = event.rate_limits
        return Change(rate_limits=True)

    def _on_error(self, event: ErrorEvent, t_ms: float) -> Change:
        client_id = event.error.event_id
        client_type = self._requests.rejected(client_id) if client_id else None
        self.errors.append(ErrorRecord(t_ms, event.error, client_type))
        refused = self.session_history.refused(event.error)
        return Change(errors=True, session=refused)

    def _on_malformed(self, event: MalformedFrame, t_ms: float) -> Change:
        return self._note(t_ms, event.reason)

    def _on_binary(self, event: BinaryFrame, t_ms: float) -> Change:
        return self._note(t_ms, f"A binary frame of {event.size} bytes was skipped.")
