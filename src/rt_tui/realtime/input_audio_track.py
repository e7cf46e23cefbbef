"""The user's side of the input audio buffer, followed from the frames the client sent.

The server never sends the user's audio back, so the conversation learns an audio item's
samples (and so its duration) here: appended audio waits in `pending` until the server
commits it as an item. Positions follow the server's audio clock, milliseconds appended
since the session began, which `speech_stopped.audio_end_ms` is measured on: a VAD turn
takes the audio up to that point and leaves the rest buffered, as the service does.

Only PCM16 input (the app's one input format) is measured correctly.
"""

from __future__ import annotations

import base64
import binascii

from rt_tui.realtime.audio import BYTES_PER_MS


class InputAudioTrack:
    """Audio appended but not yet committed, on the session's audio clock."""

    def __init__(self) -> None:
        self._pending = bytearray()
        self._appended = 0
        """Bytes appended since the session began."""
        self._cut: int | None = None
        """Where the VAD ended the turn about to be committed (bytes on the clock)."""

    @property
    def pending_bytes(self) -> int:
        return len(self._pending)

    def appended(self, audio_b64: object) -> bool:
        """A sent `input_audio_buffer.append`; False if its audio was not valid base64."""
        if not isinstance(audio_b64, str):
            return False
        try:
            pcm = base64.b64decode(audio_b64, validate=True)
        except (binascii.Error, ValueError):
            return False
        self._pending += pcm
        self._appended += len(pcm)
        return True

    def speech_stopped(self, audio_end_ms: int | None) -> None:
        """The VAD ended a turn at `audio_end_ms`; the commit that follows takes that much."""
        if audio_end_ms is not None:
            self._cut = audio_end_ms * BYTES_PER_MS

    def committed(self) -> bytes:
        """The audio of the item just committed: up to the VAD's cut, or everything."""
        start = self._appended - len(self._pending)
        end = len(self._pending) if self._cut is None else self._cut - start
        end = max(0, min(len(self._pending), end))
        end -= end % 2
        pcm = bytes(self._pending[:end])
        del self._pending[:end]
        self._cut = None
        return pcm

    def cleared(self) -> None:
        """The server dropped the buffer (`input_audio_buffer.cleared`)."""
        self._pending.clear()
        self._cut = None
