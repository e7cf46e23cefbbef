"""How a session's voice events read in the conversation: one line each, with its time.

The server's side of a spoken turn (speech started and stopped where its VAD heard them,
the turn committed, the transcript streaming in, an item truncated by a barge-in) is
otherwise only in the inspector. Each line starts with the session time of the frame and
says where on the input audio clock it happened, so the conversation reads as a timeline.

Pure: frames in, lines out, with a little memory (where speech started, when a
transcript's first delta came).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from rt_tui.realtime.frames import Direction, Frame

if TYPE_CHECKING:
    from rt_tui.realtime.item_events import InputAudioBufferEvent, InputTranscriptionEvent

MIC = "🎤"
CUT = "✂"


def seconds(ms: float) -> str:
    """`1234.5` -> `1.23 s`."""
    return f"{ms / 1000:.2f} s"


class VoiceEvents:
    """Turns the voice events among a session's frames into lines for the conversation."""

    def __init__(self) -> None:
        self._speech_start_ms: int | None = None
        self._first_delta: dict[str, tuple[float, int]] = {}
        """Item id -> (session time of its first transcript delta, deltas so far)."""

    def lines(self, frames: Iterable[Frame]) -> list[str]:
        """The lines for the voice events among `frames` (most frames have none)."""
        # Loaded by then (the frames were parsed into them): not for the first frame.
        from rt_tui.realtime.item_events import (
            InputAudioBufferEvent,
            InputTranscriptionEvent,
            ItemTruncated,
        )

        out: list[str] = []
        for frame in frames:
            event = frame.event
            if frame.direction is not Direction.RECEIVED or event is None:
                continue
            line: str | None = None
            if isinstance(event, InputAudioBufferEvent):
                line = self._buffer_line(event)
            elif isinstance(event, InputTranscriptionEvent):
                line = self._transcript_line(event, frame.t_ms)
            elif isinstance(event, ItemTruncated):
                line = (
                    f"{CUT} {event.item_id} truncated at {seconds(event.audio_end_ms)} of its "
                    "audio: the service keeps no transcript past it"
                )
            if line is not None:
                out.append(f"{seconds(frame.t_ms)}  {line}")
        return out

    def _buffer_line(self, event: InputAudioBufferEvent) -> str | None:
        kind = event.kind.rpartition(".")[2]
        if kind == "speech_started":
            start = self._speech_start_ms = event.audio_start_ms
            where = f" at {seconds(start)} of input audio" if start is not None else ""
            return f"{MIC} speech started{where}"
        if kind == "speech_stopped":
            end, start = event.audio_end_ms, self._speech_start_ms
            self._speech_start_ms = None
            if end is None:
                return f"{MIC} speech stopped"
            # The service's start includes the prefix padding and its end the silence
            # that closed the turn: the span is the turn's audio, not the speech alone.
            turn = f" (a {seconds(end - start)} turn)" if start is not None else ""
            return f"{MIC} speech stopped at {seconds(end)} of input audio{turn}"
        if kind == "committed":
            return f"{MIC} turn committed as {event.item_id or 'an item'}"
        if kind == "cleared":
            return f"{MIC} input audio cleared"
        if kind == "timeout_triggered":
            return f"{MIC} idle timeout: the turn so far is committed"
        return None

    def _transcript_line(self, event: InputTranscriptionEvent, t_ms: float) -> str | None:
        item_id = event.item_id
        if event.kind.endswith(".delta"):
            first = self._first_delta.get(item_id)
            self._first_delta[item_id] = (t_ms, 1) if first is None else (first[0], first[1] + 1)
            return f"{MIC} transcribing {item_id}…" if first is None else None
        if event.kind.endswith(".completed"):
            first = self._first_delta.pop(item_id, None)
            streamed = ""
            if first is not None:
                started, count = first
                streamed = f": {count} delta{'s' if count != 1 else ''} from {seconds(started)}"
            return f"{MIC} transcript of {item_id} complete{streamed}"
        if event.kind.endswith(".failed"):
            self._first_delta.pop(item_id, None)
            return f"{MIC} transcription of {item_id} failed"
        return None
