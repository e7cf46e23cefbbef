"""Where the user's voice comes from: PCM16 24 kHz mono chunks, in real time.

    async with open_source(parse_audio_spec("question.wav", "mic")) as mic:
        async for pcm in mic.chunks():       # one chunk every CHUNK_MS, as it is spoken
            connection.send(client_events.audio_append(pcm))

A source yields each chunk once it has been "spoken": a microphone when PortAudio hands it
over, a WAV file when its time since the start has come. A consumer that takes chunks late
gets them late, never faster than real time, so the server's VAD hears a real stream.

- `MicSource`: a PortAudio input stream. Its callback runs on PortAudio's thread and only
  appends the chunk to a bounded deque and wakes the loop with `call_soon_threadsafe`; when
  the loop falls more than `queue_ms` behind, the oldest chunks are dropped and counted as
  overruns, with PortAudio's own input overflows.
- `WavSource`: a WAV file as a virtual microphone, then `tail_ms` of silence so the server's
  VAD hears the turn end, then the source ends.
- `NullSource`: no microphone; it ends at once.

`level` is the input level of the last chunk (for meters), `muted` replaces what is sent with
silence of the same length (the server's audio clock and VAD keep running, so a turn in
progress ends) while `level` still shows what the microphone hears.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import AsyncIterator
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from rt_tui.realtime.audio import (
    BYTES_PER_MS,
    SAMPLE_RATE,
    SILENT,
    Level,
    StreamResampler,
    level_of,
    read_wav,
    silence,
)
from rt_tui.realtime.audio_io.devices import Device, device_error, find_device, sounddevice
from rt_tui.realtime.audio_turn import tail_silence_ms, turn_mode_of_session

CHUNK_MS = 40
"""Milliseconds of audio per chunk: 25 `input_audio_buffer.append` a second."""


class Source(ABC):
    """PCM16 24 kHz mono audio, a chunk at a time, paced in real time. One consumer."""

    def __init__(self, description: str, *, chunk_ms: int = CHUNK_MS) -> None:
        self.description = description
        """A few words for the user: 'microphone 3 "USB Audio" (ALSA)', 'question.wav'."""
        self.chunk_ms = chunk_ms
        self.level: Level = SILENT
        """The level of the last chunk captured (before muting)."""
        self.muted = False
        """Send silence instead of what is captured."""
        self.delivered_ms = 0.0
        """Audio handed to the consumer so far."""
        self.closed = False

    @property
    def overruns(self) -> int:
        """Chunks lost because they were not taken in time (a device source only)."""
        return 0

    @abstractmethod
    def chunks(self) -> AsyncIterator[bytes]:
        """The chunks as they are captured, until the source ends or is closed."""

    def close(self) -> None:
        """Stop capturing; `chunks` ends."""
        self.closed = True

    def _deliver(self, pcm: bytes) -> bytes:
        """Measure a captured chunk and give what is to be sent."""
        self.level = level_of(pcm)
        self.delivered_ms += len(pcm) / BYTES_PER_MS
        return bytes(len(pcm)) if self.muted else pcm

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class NullSource(Source):
    """No microphone: nothing to send."""

    def __init__(self) -> None:
        super().__init__("no microphone")

    async def chunks(self) -> AsyncIterator[bytes]:
        return
        yield  # an async generator that yields nothing


def default_tail_ms(pcm: bytes) -> int:
    """Silence after `pcm` for the service's default turn detection (server VAD, 500 ms of
    silence) to end the turn."""
    return tail_silence_ms(pcm, turn_mode_of_session(None))


class WavSource(Source):
    """A WAV file played into the session as a microphone would capture it."""

    def __init__(
        self, path: Path | str, *, tail_ms: float | None = None, chunk_ms: int = CHUNK_MS
    ) -> None:
        """Reads the file now (any rate and channels, converted to 24 kHz mono): raises
        WavError with one sentence. `tail_ms`: silence after the file (default: what the
        service's default server VAD needs to end the turn; use `tail_silence_ms` with the
        session's turn mode for another)."""
        path = Path(path).expanduser()
        super().__init__(path.name, chunk_ms=chunk_ms)
        self.path = path
        pcm = read_wav(path)
        tail = default_tail_ms(pcm) if tail_ms is None else max(0.0, tail_ms)
        self._pcm = pcm + silence(tail)

    @property
    def duration_ms(self) -> float:
        """The file and its trailing silence."""
        return len(self._pcm) / BYTES_PER_MS

    async def chunks(self) -> AsyncIterator[bytes]:
        step = self.chunk_ms * BYTES_PER_MS
        start = time.monotonic()
        for offset in range(0, len(self._pcm), step):
            piece = self._pcm[offset : offset + step]
            # A chunk exists once its last sample has been "spoken".
            due = start + (offset + len(piece)) / BYTES_PER_MS / 1000
            delay = due - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            if self.closed:
                return
            yield self._deliver(piece)


class MicSource(Source):
    """A microphone through PortAudio (the `audio` extra)."""

    def __init__(self, device: Device, *, chunk_ms: int = CHUNK_MS, queue_ms: int = 2000) -> None:
        """Opens the input stream (capture starts with `chunks`). Raises AudioUnavailable."""
        super().__init__(f"microphone {device.describe()}", chunk_ms=chunk_ms)
        sd = sounddevice()
        self.device = device
        rate = _stream_rate(sd.check_input_settings, device)
        self.rate = rate
        self._resampler = StreamResampler(rate, SAMPLE_RATE) if rate != SAMPLE_RATE else None
        self._queue: deque[bytes] = deque(maxlen=max(1, queue_ms // chunk_ms))
        self._dropped = 0
        self._overflows = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._ready: asyncio.Event | None = None
        self.error: str | None = None
        """Why capture stopped by itself (the device went away), one sentence."""
        try:
            self._stream = sd.RawInputStream(
                samplerate=rate,
                blocksize=rate * chunk_ms // 1000,
                device=device.index,
                channels=1,
                dtype="int16",
                callback=self._captured,
                finished_callback=self._finished,
            )
        except (sd.PortAudioError, ValueError) as exc:
            raise device_error("microphone", device, exc) from None

    @property
    def overruns(self) -> int:
        return self._dropped + self._overflows

    # PortAudio's thread: no event-loop call but call_soon_threadsafe, nothing that blocks.
    def _captured(self, indata: Any, frames: int, time_info: Any, status: Any) -> None:
        if status.input_overflow:
            self._overflows += 1
        if len(self._queue) == self._queue.maxlen:
            self._dropped += 1  # the deque drops the oldest chunk
        self._queue.append(bytes(indata))
        self._wake()

    def _finished(self) -> None:
        if not self.closed:
            self.error = f"The {self.description} stopped delivering audio."
        self._wake()

    def _wake(self) -> None:
        loop, ready = self._loop, self._ready
        if loop is not None and ready is not None:
            with contextlib.suppress(RuntimeError):  # the loop has closed
                loop.call_soon_threadsafe(ready.set)

    async def chunks(self) -> AsyncIterator[bytes]:
        self._loop = asyncio.get_running_loop()
        self._ready = ready = asyncio.Event()
        sd = sounddevice()
        try:
            self._stream.start()
        except sd.PortAudioError as exc:
            raise device_error("microphone", self.device, exc) from None
        while not self.closed:
            while self._queue and not self.closed:
                pcm = self._queue.popleft()
                if self._resampler is not None:
                    pcm = self._resampler.feed(pcm)
                if pcm:
                    yield self._deliver(pcm)
            if self.error is not None or self.closed:
                return
            ready.clear()
            if not self._queue:
                await ready.wait()

    def close(self) -> None:
        if self.closed:
            return
        super().close()
        # Stopping waits for the callback in progress (a few ms); then nothing calls us.
        self._stream.stop()
        self._stream.close()
        self._wake()


def _stream_rate(check: Any, device: Device) -> int:
    """24 kHz if the device takes it (PortAudio or the sound server converts), else its
    own rate, resampled here."""
    try:
        check(device=device.index, channels=1, dtype="int16", samplerate=SAMPLE_RATE)
    except Exception:
        return round(device.default_rate)
    return SAMPLE_RATE


def open_mic(wanted: int | str | None) -> MicSource:
    """The microphone `wanted` (index, part of a name, None for the default). Raises
    AudioUnavailable."""
    return MicSource(find_device(wanted, "input"))
