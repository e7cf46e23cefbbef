"""What the server streams into a conversation's items, folded: content parts, the deltas
of text, transcripts, audio and call arguments, where each part ends, and where spoken
audio was cut off (a barge-in's truncation).

Deltas are most of a session's frames: `Conversation` hands them straight to these
handlers, and each reads the shared state (items, responses) it holds itself.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Mapping
from types import MappingProxyType

from rt_tui.realtime.audio_store import BYTES_PER_MS, AudioStore
from rt_tui.realtime.conversation_items import ItemList, json_str, part_value
from rt_tui.realtime.conversation_model import NO_CHANGE, Change, Item, normalise_part_type
from rt_tui.realtime.conversation_responses import ResponseLedger
from rt_tui.realtime.frames import Frame
from rt_tui.realtime.item_events import ItemTruncated
from rt_tui.realtime.response_events import ContentPartEvent, DeltaEvent, PartDoneEvent
from rt_tui.realtime.transcript_marks import TranscriptMarks

__all__ = ["AUDIO_DELTA", "STREAMING_ITEMS_KEPT", "StreamedContent"]

#: How many streaming items keep the `Change` their deltas share (not one per item of an
#: hour-long session).
STREAMING_ITEMS_KEPT = 16

AUDIO_DELTA = "response.output_audio.delta"
_TRANSCRIPT_DELTA = "response.output_audio_transcript.delta"
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


class StreamedContent:
    """The streamed parts of a conversation's items (`items`), credited to their
    responses (`responses`); `note` records what was skipped."""

    def __init__(
        self,
        items: ItemList,
        responses: ResponseLedger,
        audio: AudioStore,
        note: Callable[[float, str], Change],
    ) -> None:
        self._items = items
        self._responses = responses.by_id
        self._ensure_response = responses.ensure
        self._audio = audio
        self._note = note
        self._item_changes: dict[str, Change] = {}
        self._transcript_marks = TranscriptMarks()
        """Where each spoken item's transcript stood against its audio (for a barge-in)."""

    def forget(self, item_id: str) -> None:
        """The item was deleted."""
        self._item_changes.pop(item_id, None)
        self._transcript_marks.forget(item_id)

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

    def on_content_part(self, event: ContentPartEvent, t_ms: float) -> Change:
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

    def on_delta(self, event: DeltaEvent, t_ms: float) -> Change:
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
        self._transcript_marks.mark(item_id, self._audio.size(item_id), chars)

    def on_audio_delta(self, event: DeltaEvent, frame: Frame) -> Change:
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
        if span is None or not self._audio.append_logged(item.id, span, event.delta):
            try:
                pcm = base64.b64decode(event.delta, validate=True)
            except (binascii.Error, ValueError):
                return self._note(t_ms, f"Audio for item {item_id} was not valid base64.")
            self._audio.append(item.id, pcm)
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

    def on_part_done(self, event: PartDoneEvent, t_ms: float) -> Change:
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

    def on_item_truncated(self, event: ItemTruncated, t_ms: float) -> Change:
        item = self._items.get(event.item_id)
        if item is None:
            return NO_CHANGE
        part = item.part(event.content_index, "output_audio")
        part.truncated_audio_end_ms = event.audio_end_ms
        part.heard_chars = self._transcript_marks.heard_chars(
            event.item_id, event.audio_end_ms * BYTES_PER_MS
        )
        self._audio.truncate(event.item_id, event.audio_end_ms)
        return Change(items=frozenset({event.item_id}))
