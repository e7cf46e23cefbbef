"""The input audio buffer of a mock session: append, commit, clear, and server VAD turns.

Audio positions are on the session's audio clock: milliseconds of audio appended since the
session began. With turn detection on, each append is judged by `EnergyVad`; a finished turn
is committed like a manual commit, then answered if `create_response` is on.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from rt_tui.mock.errors import MockError, missing_parameter
from rt_tui.mock.items import decode_audio
from rt_tui.mock.responder import transcript_for, words
from rt_tui.mock.session_config import SEMANTIC_SILENCE_MS
from rt_tui.mock.vad import EnergyVad, SpeechStarted
from rt_tui.realtime.audio import BYTES_PER_MS, duration_ms
from rt_tui.realtime.audio_formats import from_wire

if TYPE_CHECKING:
    from rt_tui.mock.session import MockSession

JsonObject = dict[str, Any]

MIN_COMMIT_MS = 100
"""The service refuses to commit less audio than this."""
SEMANTIC_THRESHOLD = 0.5


class InputAudio:
    """Buffered user audio and the turn detector watching it."""

    def __init__(self, session: MockSession) -> None:
        self._session = session
        self._buffer = bytearray()
        self._appended = 0
        """Bytes appended since the session began."""
        self._vad = EnergyVad()
        self._turn_item_id: str | None = None
        self._idle_timer: asyncio.Task[None] | None = None
        self._idle_firing = False

    def _buffer_start_ms(self) -> int:
        """Where the buffered audio begins on the session's audio clock."""
        return self._buffer_start() // BYTES_PER_MS

    # --- client events ------------------------------------------------------------------

    async def append(self, data: JsonObject) -> None:
        if "audio" not in data:
            raise missing_parameter("audio")
        pcm = from_wire(decode_audio(data["audio"], "audio"), self._session.config.input_format)
        self._buffer += pcm
        self._appended += len(pcm)
        detection = self._session.config.turn_detection
        if detection is None:
            self._vad.skip(len(pcm))
            return
        if detection.get("type") == "semantic_vad":
            threshold = SEMANTIC_THRESHOLD
            prefix = 300
            silence_ms = SEMANTIC_SILENCE_MS.get(str(detection.get("eagerness")), 600)
        else:
            threshold = float(detection.get("threshold", 0.5))
            prefix = int(detection.get("prefix_padding_ms", 300))
            silence_ms = int(detection.get("silence_duration_ms", 200))
        for event in self._vad.feed(
            pcm,
            threshold=threshold,
            prefix_padding_ms=prefix,
            silence_duration_ms=silence_ms,
            floor_ms=self._buffer_start_ms(),
        ):
            if isinstance(event, SpeechStarted):
                await self._speech_started(event.audio_start_ms)
            else:
                await self._speech_stopped(event.audio_end_ms, detection)

    async def commit(self, data: JsonObject) -> None:
        ms = duration_ms(bytes(self._buffer))
        if ms < MIN_COMMIT_MS:
            raise MockError(
                "input_audio_buffer_commit_empty",
                "Error committing input audio buffer: buffer too small. Expected at least "
                f"{MIN_COMMIT_MS}ms of audio, but buffer only has {ms:.2f}ms of audio.",
            )
        pcm = bytes(self._buffer)
        self._buffer.clear()
        self._vad.reset_turn()
        item_id, self._turn_item_id = self._turn_item_id, None
        await self._commit(pcm, item_id)

    async def clear(self, data: JsonObject) -> None:
        self._buffer.clear()
        self._vad.reset_turn()
        self._turn_item_id = None
        await self._session.emit({"type": "input_audio_buffer.cleared"})

    # --- turns --------------------------------------------------------------------------

    async def _speech_started(self, audio_start_ms: int) -> None:
        self.disarm_idle_timer()
        self._turn_item_id = self._session.new_id("item")
        await self._session.emit(
            {
                "type": "input_audio_buffer.speech_started",
                "audio_start_ms": audio_start_ms,
                "item_id": self._turn_item_id,
            }
        )
        self._session.responses.interrupt()  # after speech_started, as the service orders them

    async def _speech_stopped(self, audio_end_ms: int, detection: JsonObject) -> None:
        item_id = self._turn_item_id or self._session.new_id("item")
        self._turn_item_id = None
        await self._session.emit(
            {
                "type": "input_audio_buffer.speech_stopped",
                "audio_end_ms": audio_end_ms,
                "item_id": item_id,
            }
        )
        cut = max(0, min(len(self._buffer), audio_end_ms * BYTES_PER_MS - self._buffer_start()))
        pcm = bytes(self._buffer[:cut])
        del self._buffer[:cut]
        await self._commit(pcm, item_id)
        if detection.get("create_response", True) and not self._session.config.transcribes_only:
            self._session.responses.start()

    # --- idle timeout (GA server_vad `idle_timeout_ms`) -----------------------------------

    def arm_idle_timer(self, playback_ms: float) -> None:
        """After a response: if the user stays quiet for `idle_timeout_ms` once its audio has
        played, the service prompts them with a response of its own."""
        self.disarm_idle_timer()
        detection = self._session.config.turn_detection
        if detection is None or detection.get("type") != "server_vad":
            return
        idle = detection.get("idle_timeout_ms")
        if not isinstance(idle, int) or isinstance(idle, bool) or idle <= 0:
            return
        self._idle_timer = self._session.spawn(self._idle_after((idle + playback_ms) / 1000))

    def disarm_idle_timer(self) -> None:
        """Speech or a new response came first: no timeout (unless it is already firing)."""
        if self._idle_timer is not None and not self._idle_firing:
            self._idle_timer.cancel()
        self._idle_timer = None

    async def _idle_after(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
        session = self._session
        if self._vad.speaking or session.responses.active is not None:
            return
        self._idle_firing = True
        try:
            item_id = session.new_id("item")
            await session.emit(
                {
                    "type": "input_audio_buffer.timeout_triggered",
                    "audio_start_ms": self._buffer_start_ms(),
                    "audio_end_ms": self._appended // BYTES_PER_MS,
                    "item_id": item_id,
                }
            )
            pcm = bytes(self._buffer)
            self._buffer.clear()
            self._vad.reset_turn()
            await self._commit(pcm, item_id)
            detection = session.config.turn_detection or {}
            if detection.get("create_response", True):
                session.responses.start()
        finally:
            self._idle_firing = False
            self._idle_timer = None

    def _buffer_start(self) -> int:
        """Byte offset of the buffered audio in everything appended this session."""
        return self._appended - len(self._buffer)

    async def _commit(self, pcm: bytes, item_id: str | None) -> None:
        """`committed`, the user item, then its transcription if the session asks for one."""
        session = self._session
        item_id = item_id or session.new_id("item")
        ms = duration_ms(pcm)
        await session.emit(
            {
                "type": "input_audio_buffer.committed",
                "previous_item_id": session.items.last_id,
                "item_id": item_id,
            }
        )
        part: JsonObject = {"type": "input_audio", "transcript": None}
        item: JsonObject = {
            "id": item_id,
            "object": "realtime.item",
            "type": "message",
            "status": "completed",
            "role": "user",
            "content": [part],
        }
        await session.add_item(item, None, ms)
        if session.config.transcription is None:
            return
        transcript = transcript_for(ms)
        for piece in words(transcript):
            await session.emit(
                {
                    "type": "conversation.item.input_audio_transcription.delta",
                    "item_id": item_id,
                    "content_index": 0,
                    "delta": piece,
                }
            )
        tokens = max(1, round(ms / 100))
        await session.emit(
            {
                "type": "conversation.item.input_audio_transcription.completed",
                "item_id": item_id,
                "content_index": 0,
                "transcript": transcript,
                "usage": {
                    "type": "tokens",
                    "total_tokens": tokens + len(words(transcript)),
                    "input_tokens": tokens,
                    "input_token_details": {"text_tokens": 0, "audio_tokens": tokens},
                    "output_tokens": len(words(transcript)),
                },
            }
        )
        # The server's copy now knows what was said; the event already went out without it.
        stored = session.items.get(item_id)
        if stored is not None:
            stored["content"] = [{"type": "input_audio", "transcript": transcript}]
