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

What the server streams into items is folded by `conversation_streams`, the responses kept
by `conversation_responses`; this module holds the rest, and the dispatch.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import Any

from rt_tui.realtime.audio_store import AudioStore
from rt_tui.realtime.conversation_items import ItemList, json_str, update_item
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
)
from rt_tui.realtime.conversation_requests import RequestTracker
from rt_tui.realtime.conversation_responses import ResponseLedger
from rt_tui.realtime.conversation_streams import AUDIO_DELTA, StreamedContent
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
_FINAL_ITEM_KINDS = frozenset(
    {"conversation.item.done", "conversation.item.retrieved", "response.output_item.done"}
)


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
        self._requests = RequestTracker()
        self._responses = ResponseLedger(self._requests)
        self._input_audio = InputAudioTrack()
        self._streams = StreamedContent(self._items, self._responses, self.audio, self._note)
        # Bound once: audio deltas, half of a spoken session's frames, skip the table.
        self._on_audio_delta = self._streams.on_audio_delta
        self._reseeded: frozenset[str] = frozenset()
        """Items re-sent to a new session under their own ids: its echoes of them change
        nothing (the client's copy is the one that was shown)."""
        self._handlers: dict[type[ServerEvent], Callable[[Any, float], Change]] = {
            DeltaEvent: self._streams.on_delta,
            PartDoneEvent: self._streams.on_part_done,
            ContentPartEvent: self._streams.on_content_part,
            ItemEvent: self._on_item,
            OutputItemEvent: self._on_output_item,
            ResponseEvent: self._on_response,
            SessionEvent: self._on_session,
            InputAudioBufferEvent: self._on_input_buffer,
            InputTranscriptionEvent: self._on_transcription,
            ItemDeleted: self._on_item_deleted,
            ItemTruncated: self._streams.on_item_truncated,
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
        return self._responses.by_id

    def response(self, response_id: str) -> Response | None:
        return self._responses.by_id.get(response_id)

    @property
    def active_response_id(self) -> str | None:
        """The newest response still in progress (what a cancel would stop), if any."""
        return self._responses.active_id

    def __len__(self) -> int:
        return len(self._items)

    # ----- applying frames -----------------------------------------------------------

    def apply(self, frame: Frame) -> Change:
        """Fold one frame into the state; returns what changed. Never raises on odd input."""
        if frame.direction is Direction.SENT:
            return self._apply_sent(frame)
        event = frame.event if frame.event is not None else parse_server_frame(frame.data)
        if event.kind == AUDIO_DELTA and isinstance(event, DeltaEvent):
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
        responses = self._responses.interrupted()
        items = set()
        for item in self._items:
            if item.status == "in_progress":
                item.status = "incomplete"
                items.add(item.id)
        self._requests.forget()
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
            response = self._responses.ensure(event.response_id)
            # Ids are kept as the one copy their item and response hold: each event
            # parses its own, and an hour of items would keep several of each.
            item.response_id = response.id
            if item_id not in response.output_item_ids:
                response.output_item_ids.append(item.id)
                responses = frozenset({event.response_id})
        return Change(items=frozenset({item_id}), order=new, responses=responses)

    def _on_item_deleted(self, event: ItemDeleted, t_ms: float) -> Change:
        if event.item_id not in self._items:
            return NO_CHANGE
        self._items.remove(event.item_id)
        self._streams.forget(event.item_id)
        self.audio.discard(event.item_id)
        return Change(removed_items=frozenset({event.item_id}), order=True)

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

    def _on_response(self, event: ResponseEvent, t_ms: float) -> Change:
        response_id = event.response_id
        if not response_id:
            return self._note(t_ms, f"{event.wire_type} without a response id was skipped.")
        return self._responses.fold(event, response_id, t_ms, self._items, self.totals)

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
