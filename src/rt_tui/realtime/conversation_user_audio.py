"""The reducer's handlers for the user's audio: the input buffer's events (speech
stopped, cleared, committed) and the transcription of a committed turn.

`Conversation` inherits `UserAudioHandlers`; the handlers read and write the state named
by `_UserAudioState`, which `Conversation` has.
"""

from __future__ import annotations

from typing import Protocol

from rt_tui.realtime.audio_store import AudioStore
from rt_tui.realtime.conversation_items import ItemList
from rt_tui.realtime.conversation_model import NO_CHANGE, Change
from rt_tui.realtime.conversation_requests import RequestTracker
from rt_tui.realtime.events import InputAudioBufferEvent, InputTranscriptionEvent
from rt_tui.realtime.input_audio_track import InputAudioTrack


class _UserAudioState(Protocol):
    """What the handlers need of the conversation."""

    audio: AudioStore
    _items: ItemList
    _requests: RequestTracker
    _input_audio: InputAudioTrack

    def _note(self, t_ms: float, message: str) -> Change: ...


class UserAudioHandlers:
    """Reduces `input_audio_buffer.*` and input transcription events."""

    def _on_input_buffer(
        self: _UserAudioState, event: InputAudioBufferEvent, t_ms: float
    ) -> Change:
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

    def _on_transcription(
        self: _UserAudioState, event: InputTranscriptionEvent, t_ms: float
    ) -> Change:
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
