"""Voice activity detection by signal energy, as the mock's stand-in for server VAD.

Audio is judged in 20 ms windows on the session's audio clock (milliseconds of input audio
appended since the session started). A window is speech when its RMS level reaches
`threshold * 0.1` of full scale (0.05 for the default threshold 0.5: far above room noise,
far below a voice or the mock's test tones). A turn ends after `silence_duration_ms` of quiet.
"""

from __future__ import annotations

from dataclasses import dataclass

from rt_tui.realtime.audio import BYTES_PER_MS, rms

WINDOW_MS = 20
_WINDOW_BYTES = WINDOW_MS * BYTES_PER_MS
LEVEL_PER_THRESHOLD = 0.1
"""RMS level (0..1) of speech per unit of the session's VAD `threshold`."""


@dataclass(frozen=True, slots=True)
class SpeechStarted:
    audio_start_ms: int
    """Where speech began, minus the prefix padding (never before the buffer's start)."""


@dataclass(frozen=True, slots=True)
class SpeechStopped:
    audio_end_ms: int
    """Where the turn ends: the start of the silence plus the silence duration."""


VadEvent = SpeechStarted | SpeechStopped


class EnergyVad:
    """Finds turns in a stream of PCM16 audio."""

    def __init__(self) -> None:
        self._pending = b""
        self.clock_ms = 0
        """Milliseconds of audio judged so far (the session's audio clock)."""
        self.speaking = False
        self._silence_since: int | None = None

    def skip(self, pcm_bytes: int) -> None:
        """Move the clock over audio appended while turn detection was off."""
        self.reset_turn()
        total = len(self._pending) + pcm_bytes
        self.clock_ms += total // _WINDOW_BYTES * WINDOW_MS
        self._pending = bytes(total % _WINDOW_BYTES)

    def reset_turn(self) -> None:
        """Forget a turn in progress (after a commit or a clear); the clock runs on."""
        self.speaking = False
        self._silence_since = None

    def feed(
        self,
        pcm: bytes,
        *,
        threshold: float,
        prefix_padding_ms: int,
        silence_duration_ms: int,
        floor_ms: int = 0,
    ) -> list[VadEvent]:
        """Judge newly appended audio; `floor_ms` is where the current buffer starts."""
        events: list[VadEvent] = []
        data = self._pending + pcm
        level = max(threshold, 0.0) * LEVEL_PER_THRESHOLD
        usable = len(data) - len(data) % _WINDOW_BYTES
        for start in range(0, usable, _WINDOW_BYTES):
            loud = rms(data[start : start + _WINDOW_BYTES]) >= level
            window_start = self.clock_ms
            self.clock_ms += WINDOW_MS
            if not self.speaking:
                if loud:
                    self.speaking = True
                    self._silence_since = None
                    begin = max(floor_ms, window_start - prefix_padding_ms, 0)
                    events.append(SpeechStarted(begin))
                continue
            if loud:
                self._silence_since = None
                continue
            if self._silence_since is None:
                self._silence_since = window_start
            if self.clock_ms - self._silence_since >= silence_duration_ms:
                self.speaking = False
                events.append(SpeechStopped(self._silence_since + silence_duration_ms))
                self._silence_since = None
        self._pending = data[usable:]
        return events
