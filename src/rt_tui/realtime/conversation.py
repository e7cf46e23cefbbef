"""The conversation as the client sees it, folded from frames: a pure reducer, no I/O.

`Conversation.apply(frame)` takes every frame of both directions in order and updates
items (in the server's order), streamed text and transcripts, decoded audio, responses
with their status, usage and timings, rate limits, errors and the last session config.
It returns a `Change` naming what moved, so a UI can redraw only that.

Received frames arrive already parsed into GA-named events, so beta and GA sessions
reduce to the same state. Nothing here raises on odd input: frames the reducer cannot
use are skipped, and the odd ones leave a `Note`.
"""

from __future__ import annotations

import base64
import binascii
from collections import OrderedDict, deque
from collections.abc import Callable
from typing import Any

from rt_tui.realtime.audio_store import AudioStore
from rt_tui.realtime.conversation_model import (
    NO_CHANGE,
    Change,
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
from rt_tui.realtime.events import (
    BinaryFrame,
    ContentPartEvent,
    DeltaEvent,
    ErrorEvent,
    InputAudioBufferEvent,
    InputTranscriptionEvent,
    ItemDeleted,
    ItemEvent,
    ItemTruncated,
    MalformedFrame,
    OutputItemEvent,
    PartDoneEvent,
    RateLimit,
    RateLimitsEvent,
    ResponseEvent,
    ServerEvent,
    SessionEvent,
    parse_server_frame,
)
from rt_tui.realtime.frames import Direction, Frame

#: How many sent event ids to remember for naming the event an error refers to.
SENT_EVENT_MEMORY = 4096
#: How many notes to keep; a misbehaving server must not grow memory without bound.
MAX_NOTES = 1000

_FINAL_ITEM_KINDS = frozenset(
    {"conversation.item.done", "conversation.item.retrieved", "response.output_item.done"}
)


def _str(d: JsonObject, key: str) -> str | None:
    value = d.get(key)
    return value if isinstance(value, str) else None


def _int(d: JsonObject, key: str) -> int:
    value = d.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _usage(raw: JsonObject) -> Usage:
    input_details = raw.get("input_token_details")
    output_details = raw.get("output_token_details")
    input_details = input_details if isinstance(input_details, dict) else {}
    output_details = output_details if isinstance(output_details, dict) else {}
    return Usage(
        total_tokens=_int(raw, "total_tokens"),
        input_tokens=_int(raw, "input_tokens"),
        output_tokens=_int(raw, "output_tokens"),
        cached_tokens=_int(input_details, "cached_tokens"),
        input_details=input_details,
        output_details=output_details,
    )


class Conversation:
    """Conversation state reduced from the frames of one session."""

    def __init__(self, audio: AudioStore | None = None) -> None:
        self.audio = audio if audio is not None else AudioStore()
        """Decoded assistant audio per item id."""
        self.totals = Totals()
        self.rate_limits: tuple[RateLimit, ...] = ()
        """The last `rate_limits.updated`."""
        self.errors: list[ErrorRecord] = []
        self.notes: deque[Note] = deque(maxlen=MAX_NOTES)
        self.session: JsonObject | None = None
        """The server's last copy of the session (`session.created` / `.updated`)."""
        self._order: list[str] = []
        self._items: dict[str, Item] = {}
        self._responses: dict[str, Response] = {}
        self._sent_types: OrderedDict[str, str] = OrderedDict()
        # Sent response.create frames not yet matched to a response.created, oldest first.
        self._pending_creates: deque[tuple[str | None, float]] = deque()
        # The end of the user's last VAD turn, for responses the server starts itself.
        self._turn_end: tuple[str, float] | None = None
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
        return [self._items[item_id] for item_id in self._order]

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(self._order)

    def item(self, item_id: str) -> Item | None:
        """The item with this id, or None if there is none (or it was deleted)."""
        return self._items.get(item_id)

    @property
    def responses(self) -> dict[str, Response]:
        """Responses by id, in the order they started."""
        return self._responses

    def response(self, response_id: str) -> Response | None:
        return self._responses.get(response_id)

    def __len__(self) -> int:
        return len(self._order)

    # ----- applying frames -----------------------------------------------------------

    def apply(self, frame: Frame) -> Change:
        """Fold one frame into the state; returns what changed. Never raises on odd input."""
        if frame.direction is Direction.SENT:
            return self._apply_sent(frame)
        event = frame.event if frame.event is not None else parse_server_frame(frame.data)
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
        if isinstance(kind, str) and event_id is not None:
            self._sent_types[event_id] = kind
            if len(self._sent_types) > SENT_EVENT_MEMORY:
                self._sent_types.popitem(last=False)
        if kind == "response.create":
            self._pending_creates.append((event_id, frame.t_ms))
        return NO_CHANGE

    def _note(self, t_ms: float, message: str) -> Change:
        self.notes.append(Note(t_ms, message))
        return Change(notes=True)

    # ----- items ---------------------------------------------------------------------

    def _ensure_item(self, item_id: str, **defaults: Any) -> tuple[Item, bool]:
        """The item, created (appended) with `defaults` if new; and whether it is new."""
        item = self._items.get(item_id)
        if item is not None:
            return item, False
        item = self._items[item_id] = Item(id=item_id, **defaults)
        self._order.append(item_id)
        return item, True

    def _place(self, item_id: str, previous_item_id: str | None, new: bool) -> bool:
        """Put an item after `previous_item_id` ("root" = first), as the server says.

        Without a usable previous id a new item stays where it was appended and an
        existing one does not move. Returns whether the order changed.
        """
        if previous_item_id is None or previous_item_id == item_id:
            return new
        current = self._order.index(item_id)
        if previous_item_id == "root":
            target = 0
        elif previous_item_id in self._items:
            target = self._order.index(previous_item_id) + 1
            if target > current:
                target -= 1
        else:
            return new
        if target != current:
            del self._order[current]
            self._order.insert(target, item_id)
            return True
        return new

    def _update_item(self, item: Item, raw: JsonObject, final: bool) -> None:
        """Copy an item object's fields onto the item, keeping streamed text unless the
        object carries a value (or is the final copy)."""
        for attr in ("type", "role", "status", "name", "call_id"):
            value = _str(raw, attr)
            if value is not None:
                setattr(item, attr, value)
        output = _str(raw, "output")
        if output is not None:
            item.output = output
        arguments = _str(raw, "arguments")
        if arguments is not None and (arguments or final):
            item.arguments_buffer.set(arguments)
        content = raw.get("content")
        if not isinstance(content, list):
            return
        for index, entry in enumerate(content):
            if not isinstance(entry, dict):
                continue
            wire_type = _str(entry, "type")
            part = item.part(index, normalise_part_type(wire_type or "output_text"))
            if wire_type is not None:
                part.type = normalise_part_type(wire_type)
            value = _str(entry, "text")
            if value is None:
                value = _str(entry, "transcript")
            if value is not None and (value or final):
                part.buffer.set(value)
                part.done = part.done or final or item.status == "completed"

    def _on_item(self, event: ItemEvent, t_ms: float) -> Change:
        item_id = event.item_id
        if not item_id:
            return self._note(t_ms, f"{event.wire_type} without an item id was skipped.")
        item, new = self._ensure_item(item_id)
        moved = event.kind != "conversation.item.retrieved" and self._place(
            item_id, event.previous_item_id, new
        )
        self._update_item(item, event.item, event.kind in _FINAL_ITEM_KINDS)
        return Change(items=frozenset({item_id}), order=moved or new)

    def _on_output_item(self, event: OutputItemEvent, t_ms: float) -> Change:
        item_id = _str(event.item, "id")
        if not item_id:
            return self._note(t_ms, f"{event.wire_type} without an item id was skipped.")
        item, new = self._ensure_item(item_id)
        self._update_item(item, event.item, event.kind in _FINAL_ITEM_KINDS)
        responses: frozenset[str] = frozenset()
        if event.response_id:
            item.response_id = event.response_id
            response = self._ensure_response(event.response_id, t_ms)
            if item_id not in response.output_item_ids:
                response.output_item_ids.append(item_id)
                responses = frozenset({event.response_id})
        return Change(items=frozenset({item_id}), order=new, responses=responses)

    def _streamed_item(self, item_id: str, response_id: str, **defaults: Any) -> Item:
        """The item a streamed event belongs to, created if the server skipped its
        `output_item.added`."""
        item, _ = self._ensure_item(item_id, **defaults)
        if response_id and item.response_id is None:
            item.response_id = response_id
        return item

    def _on_content_part(self, event: ContentPartEvent, t_ms: float) -> Change:
        if not event.item_id:
            return self._note(t_ms, f"{event.wire_type} without an item id was skipped.")
        new = event.item_id not in self._items
        item = self._streamed_item(event.item_id, event.response_id, role="assistant")
        wire_type = _str(event.part, "type")
        part = item.part(event.content_index, normalise_part_type(wire_type or "output_text"))
        if wire_type is not None:
            part.type = normalise_part_type(wire_type)
        if event.kind == "response.content_part.done":
            value = _str(event.part, "text")
            if value is None:
                value = _str(event.part, "transcript")
            if value is not None:
                part.buffer.set(value)
                part.done = True
        return Change(items=frozenset({event.item_id}), order=new)

    def _on_delta(self, event: DeltaEvent, t_ms: float) -> Change:
        item_id = event.item_id
        if not item_id:
            return self._note(t_ms, f"{event.wire_type} without an item id was skipped.")
        new = item_id not in self._items
        if event.kind == "response.function_call_arguments.delta":
            item = self._streamed_item(item_id, event.response_id, type="function_call")
            item.arguments_buffer.append(event.delta)
            if event.call_id and item.call_id is None:
                item.call_id = event.call_id
        else:
            item = self._streamed_item(item_id, event.response_id, role="assistant")
            if event.kind == "response.output_text.delta":
                item.part(event.content_index, "output_text").buffer.append(event.delta)
            elif event.kind == "response.output_audio_transcript.delta":
                item.part(event.content_index, "output_audio").buffer.append(event.delta)
            else:
                item.part(event.content_index, "output_audio")
                try:
                    pcm = base64.b64decode(event.delta, validate=True)
                except (binascii.Error, ValueError):
                    return self._note(t_ms, f"Audio for item {item_id} was not valid base64.")
                self.audio.append(item_id, pcm)
        responses: frozenset[str] = frozenset()
        if event.response_id:
            response = self._ensure_response(event.response_id, t_ms)
            if response.timings.first_delta_ms is None:
                response.timings.first_delta_ms = t_ms
                responses = frozenset({event.response_id})
        return Change(items=frozenset({item_id}), order=new, responses=responses)

    def _on_part_done(self, event: PartDoneEvent, t_ms: float) -> Change:
        if not event.item_id:
            return self._note(t_ms, f"{event.wire_type} without an item id was skipped.")
        new = event.item_id not in self._items
        if event.kind == "response.function_call_arguments.done":
            item = self._streamed_item(event.item_id, event.response_id, type="function_call")
            if event.value is not None:
                item.arguments_buffer.set(event.value)
            item.name = event.name or item.name
            item.call_id = event.call_id or item.call_id
        else:
            item = self._streamed_item(event.item_id, event.response_id, role="assistant")
            is_text = event.kind == "response.output_text.done"
            part = item.part(event.content_index, "output_text" if is_text else "output_audio")
            if event.value is not None:
                part.buffer.set(event.value)
                part.done = True
        return Change(items=frozenset({event.item_id}), order=new)

    def _on_item_deleted(self, event: ItemDeleted, t_ms: float) -> Change:
        if event.item_id not in self._items:
            return NO_CHANGE
        del self._items[event.item_id]
        self._order.remove(event.item_id)
        self.audio.discard(event.item_id)
        return Change(removed_items=frozenset({event.item_id}), order=True)

    def _on_item_truncated(self, event: ItemTruncated, t_ms: float) -> Change:
        item = self._items.get(event.item_id)
        if item is None:
            return NO_CHANGE
        part = item.part(event.content_index, "output_audio")
        part.truncated_audio_end_ms = event.audio_end_ms
        self.audio.truncate(event.item_id, event.audio_end_ms)
        return Change(items=frozenset({event.item_id}))

    # ----- user audio and its transcription --------------------------------------------

    def _on_input_buffer(self, event: InputAudioBufferEvent, t_ms: float) -> Change:
        if event.kind == "input_audio_buffer.speech_stopped":
            self._turn_end = ("speech_stopped", t_ms)
        elif event.kind == "input_audio_buffer.committed":
            if self._turn_end is None:
                self._turn_end = ("committed", t_ms)
            if event.item_id:
                # The user's audio item: show it now, the item event fills it in.
                item, new = self._ensure_item(event.item_id, role="user", status="in_progress")
                item.part(0, "input_audio")
                moved = self._place(event.item_id, event.previous_item_id, new)
                return Change(items=frozenset({event.item_id}), order=moved or new)
        return NO_CHANGE

    def _on_transcription(self, event: InputTranscriptionEvent, t_ms: float) -> Change:
        if not event.item_id:
            return self._note(t_ms, f"{event.wire_type} without an item id was skipped.")
        if event.kind == "conversation.item.input_audio_transcription.segment":
            return NO_CHANGE  # diarized segments repeat what .completed carries
        item, new = self._ensure_item(event.item_id, role="user")
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

    def _ensure_response(self, response_id: str, t_ms: float) -> Response:
        response = self._responses.get(response_id)
        if response is None:
            response = self._responses[response_id] = Response(id=response_id)
            self._attach_request(response.timings)
        return response

    def _attach_request(self, timings: ResponseTimings) -> None:
        """Credit a new response to the request that caused it: the oldest unanswered
        `response.create`, else the end of the user's last VAD turn."""
        if self._pending_creates:
            _, timings.requested_ms = self._pending_creates.popleft()
            timings.request_source = "response.create"
        elif self._turn_end is not None:
            timings.request_source, timings.requested_ms = self._turn_end
        self._turn_end = None

    def _on_response(self, event: ResponseEvent, t_ms: float) -> Change:
        response_id = event.response_id
        if not response_id:
            return self._note(t_ms, f"{event.wire_type} without a response id was skipped.")
        response = self._ensure_response(response_id, t_ms)
        if event.status is not None:
            response.status = event.status
        if event.kind == "response.created":
            response.timings.created_ms = t_ms
            return Change(responses=frozenset({response_id}))
        response.timings.done_ms = t_ms
        details = event.response.get("status_details")
        if isinstance(details, dict):
            response.status_reason = _str(details, "reason")
            error = details.get("error")
            response.error = error if isinstance(error, dict) else None
        changed_items: set[str] = set()
        output = event.response.get("output")
        for entry in output if isinstance(output, list) else []:
            item_id = _str(entry, "id") if isinstance(entry, dict) else None
            if item_id is None:
                continue
            if item_id not in response.output_item_ids:
                response.output_item_ids.append(item_id)
            item = self._items.get(item_id)
            if item is not None and isinstance(entry, dict):
                self._update_item(item, entry, final=True)
                changed_items.add(item_id)
        usage = event.response.get("usage")
        counted = False
        if isinstance(usage, dict) and response.usage is None:
            response.usage = _usage(usage)
            self._add_to_totals(response.usage)
            counted = True
        return Change(
            items=frozenset(changed_items), responses=frozenset({response_id}), totals=counted
        )

    def _add_to_totals(self, usage: Usage) -> None:
        self.totals.input_tokens += usage.input_tokens
        self.totals.output_tokens += usage.output_tokens
        self.totals.cached_tokens += usage.cached_tokens
        self.totals.total_tokens += usage.total_tokens
        self.totals.responses += 1

    # ----- session-wide ----------------------------------------------------------------

    def _on_session(self, event: SessionEvent, t_ms: float) -> Change:
        self.session = event.session
        return Change(session=True)

    def _on_rate_limits(self, event: RateLimitsEvent, t_ms: float) -> Change:
        self.rate_limits = event.rate_limits
        return Change(rate_limits=True)

    def _on_error(self, event: ErrorEvent, t_ms: float) -> Change:
        client_id = event.error.event_id
        client_type = self._sent_types.get(client_id) if client_id else None
        if client_id is not None:
            # A rejected response.create will never get its response.created.
            for pending in self._pending_creates:
                if pending[0] == client_id:
                    self._pending_creates.remove(pending)
                    break
        self.errors.append(ErrorRecord(t_ms, event.error, client_type))
        return Change(errors=True)

    def _on_malformed(self, event: MalformedFrame, t_ms: float) -> Change:
        return self._note(t_ms, event.reason)

    def _on_binary(self, event: BinaryFrame, t_ms: float) -> Change:
        return self._note(t_ms, f"A binary frame of {event.size} bytes was skipped.")
