"""Where the assistant's voice goes: played at real-time pace, item by item.

    async with open_sink(parse_audio_spec("reply.wav", "speaker")) as speaker:
        speaker.play(item_id, pcm)            # as each audio delta arrives; never blocks
        speaker.finish(item_id)               # at response.output_audio.done
        cut = speaker.stop()                  # barge-in: silence now, and what was heard
        if cut: send(truncate(cut.item_id, 0, cut.audio_end_ms))

Every sink keeps the audio in a `PlaybackBuffer` (the jitter buffer) filled from the event
loop and drained at the pace of a clock, and knows per item how much it has played
(`played_ms`), which is what a truncation must say the user heard.

- `SpeakerSink`: a PortAudio output stream whose callback (PortAudio's thread) pulls from the
  buffer and plays silence when it is dry. Audio handed to the device counts as played: a
  stop does not take back the few ms the device already holds.
- `WavSink`: a WAV file as a virtual speaker. A timer on the loop writes what a speaker would
  have played since its last tick, so at any moment the file holds what was "heard" so far,
  no more; the file holds only played audio (no silence between replies), so it is exactly
  the audio the server sent, or the part of it that was played before a stop.
- `NullSink`: no speaker; audio is dropped and nothing counts as played.

`level` is the level of the audio just played (for meters); `underruns` counts the gaps where
the buffer ran dry in the middle of an item.
"""

from __future__ import annotations

import asyncio
import os
import wave
from abc import ABC, abstractmethod
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Self

from rt_tui.realtime.audio import (
    BYTES_PER_MS,
    SAMPLE_RATE,
    SAMPLE_WIDTH,
    SILENT,
    Level,
    StreamResampler,
    level_of,
)
from rt_tui.realtime.audio_io.devices import (
    AudioUnavailable,
    Device,
    device_error,
    find_device,
    sounddevice,
)
from rt_tui.realtime.audio_io.playback import DEFAULT_PREBUFFER_MS, PlaybackBuffer, PlaybackCut
from rt_tui.realtime.errors import os_reason

TICK_MS = 20
"""How often a WAV sink writes, and the block a speaker's callback fills."""
_DRAIN_POLL_S = TICK_MS / 1000


class Sink(ABC):
    """Plays PCM16 24 kHz mono audio per item at real-time pace."""

    def __init__(
        self,
        description: str,
        *,
        prebuffer_ms: float = DEFAULT_PREBUFFER_MS,
        bytes_per_ms: float = BYTES_PER_MS,
    ) -> None:
        self.description = description
        """A few words for the user: 'speaker 0 "default" (ALSA)', 'reply.wav'."""
        self._buffer = PlaybackBuffer(prebuffer_ms=prebuffer_ms, bytes_per_ms=bytes_per_ms)
        self.level: Level = SILENT
        """The level of the audio played last (silence when nothing plays)."""
        self.closed = False
        self.failure: str | None = None
        """Why the sink stopped playing by itself (a full disk, a device gone), one sentence."""

    # --- feeding (the event loop) -------------------------------------------------------

    def play(self, item_id: str, pcm: bytes) -> None:
        """Queue audio of an item to play after what is queued. Never blocks."""
        if not self.closed:
            self._buffer.push(item_id, pcm)

    def finish(self, item_id: str) -> None:
        """No more audio comes for this item (`response.output_audio.done`)."""
        self._buffer.finish(item_id)

    def stop(self) -> PlaybackCut | None:
        """Silence at once: drop everything queued, and ignore audio that still arrives for
        the items dropped. Which item was cut and how much of it was played (None if
        nothing was playing)."""
        cut = self._buffer.cut()
        self.level = SILENT
        return cut

    # --- what it knows ------------------------------------------------------------------

    def played_ms(self, item_id: str) -> float:
        """How much of an item has been played so far, in ms."""
        return self._buffer.played_ms(item_id)

    @property
    def queued_ms(self) -> float:
        """Audio waiting to be played, in ms."""
        return self._buffer.queued_ms

    @property
    def playing(self) -> bool:
        """Audio is queued to play."""
        return not self._buffer.idle

    @property
    def underruns(self) -> int:
        """Gaps heard in the middle of an item because its audio came too late."""
        return self._buffer.underruns

    async def drained(self) -> None:
        """Wait until everything queued has played (or the sink has failed or closed)."""
        # Polled: the speaker's buffer empties on PortAudio's thread, which does not call
        # into the loop for each block just for this.
        while self.playing and not self.closed and self.failure is None:  # noqa: ASYNC110
            await asyncio.sleep(_DRAIN_POLL_S)

    # --- life -----------------------------------------------------------------------------

    @abstractmethod
    def start(self) -> None:
        """Start playing (inside the running event loop)."""

    def close(self) -> None:
        """Stop playing and let go of the device or file; what is queued is dropped."""
        self.closed = True
        self._buffer.cut()

    async def __aenter__(self) -> Self:
        self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class NullSink(Sink):
    """No speaker: audio goes nowhere and nothing is played."""

    def __init__(self) -> None:
        super().__init__("no speaker")

    def play(self, item_id: str, pcm: bytes) -> None:
        pass

    def start(self) -> None:
        pass


class WavSink(Sink):
    """A WAV file (PCM16 24 kHz mono) written at the pace a speaker plays."""

    def __init__(self, path: Path | str, *, prebuffer_ms: float = DEFAULT_PREBUFFER_MS) -> None:
        """Creates the file now, mode 0600 (it holds what was said). Raises AudioUnavailable
        with one sentence if it cannot be created."""
        path = Path(path).expanduser()
        super().__init__(path.name, prebuffer_ms=prebuffer_ms)
        self.path = path
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        except OSError as exc:
            raise AudioUnavailable(f"Cannot write {path}: {os_reason(exc)}.") from None
        os.fchmod(fd, 0o600)  # a file that was there keeps its mode otherwise
        self._file: IO[bytes] = open(fd, "wb")  # noqa: SIM115 - closed in close()
        self._wav = wave.open(self._file, "wb")  # noqa: SIM115 - closed in close()
        self._wav.setnchannels(1)
        self._wav.setsampwidth(SAMPLE_WIDTH)
        self._wav.setframerate(SAMPLE_RATE)
        self._wav.writeframes(b"")  # the header, so the file is a WAV from the start
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self._written = 0

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(
                self._write_at_speaker_pace(), name=f"rt-wav-sink {self.path.name}"
            )

    def play(self, item_id: str, pcm: bytes) -> None:
        super().play(item_id, pcm)
        self._wake.set()

    async def _write_at_speaker_pace(self) -> None:
        loop = asyncio.get_running_loop()
        clock = loop.time()
        while not self.closed:
            if self._buffer.idle:
                # A speaker with nothing to play plays silence, which a tape does not keep.
                self.level = SILENT
                self._wake.clear()
                await self._wake.wait()
                clock = loop.time()
            await asyncio.sleep(TICK_MS / 1000)
            now = loop.time()
            samples = int((now - clock) * SAMPLE_RATE)
            clock += samples / SAMPLE_RATE  # the fraction of a sample carries over
            pcm = self._buffer.pull(samples * SAMPLE_WIDTH)
            self.level = level_of(pcm[-TICK_MS * BYTES_PER_MS :]) if pcm else SILENT
            if pcm:
                self._write(pcm)

    def _write(self, pcm: bytes) -> None:
        try:
            self._wav.writeframes(pcm)  # and the sizes in the header
            self._file.flush()  # readable as it is "heard", like a speaker's
        except OSError as exc:
            self.failure = f"Cannot write {self.path}: {os_reason(exc)}."
            self.closed = True
            return
        self._written += len(pcm)

    @property
    def written_ms(self) -> float:
        """Audio in the file so far."""
        return self._written / BYTES_PER_MS

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
        if self._task is not None:  # let the cancelled writer finish before the loop moves on
            await asyncio.gather(self._task, return_exceptions=True)

    def close(self) -> None:
        if self.closed and self._file.closed:
            return
        super().close()
        self._wake.set()
        if self._task is not None:
            self._task.cancel()
        try:
            self._wav.close()  # writes the final sizes into the header
        except OSError as exc:
            self.failure = self.failure or f"Cannot write {self.path}: {os_reason(exc)}."
        finally:
            self._file.close()


class SpeakerSink(Sink):
    """A speaker through PortAudio (the `audio` extra)."""

    def __init__(self, device: Device, *, prebuffer_ms: float = DEFAULT_PREBUFFER_MS) -> None:
        """Opens the output stream (playing starts with `start`). Raises AudioUnavailable."""
        sd = sounddevice()
        rate = SAMPLE_RATE
        try:
            sd.check_output_settings(
                device=device.index, channels=1, dtype="int16", samplerate=SAMPLE_RATE
            )
        except Exception:
            rate = round(device.default_rate)  # resampled here, per item
        super().__init__(
            f"speaker {device.describe()}",
            prebuffer_ms=prebuffer_ms,
            bytes_per_ms=rate * SAMPLE_WIDTH / 1000,
        )
        self.device = device
        self.rate = rate
        self._resamplers: dict[str, StreamResampler] = {}
        self._device_underflows = 0
        try:
            self._stream = sd.RawOutputStream(
                samplerate=rate,
                blocksize=rate * TICK_MS // 1000,
                device=device.index,
                channels=1,
                dtype="int16",
                callback=self._fill,
                finished_callback=self._finished,
            )
        except (sd.PortAudioError, ValueError) as exc:
            raise device_error("speaker", device, exc) from None

    @property
    def underruns(self) -> int:
        return self._buffer.underruns + self._device_underflows

    def play(self, item_id: str, pcm: bytes) -> None:
        if self.rate != SAMPLE_RATE:
            resampler = self._resamplers.get(item_id)
            if resampler is None:
                resampler = self._resamplers[item_id] = StreamResampler(SAMPLE_RATE, self.rate)
            pcm = resampler.feed(pcm)
        super().play(item_id, pcm)

    def finish(self, item_id: str) -> None:
        resampler = self._resamplers.pop(item_id, None)
        if resampler is not None:
            super().play(item_id, resampler.flush())
        super().finish(item_id)

    def start(self) -> None:
        sd = sounddevice()
        try:
            self._stream.start()
        except sd.PortAudioError as exc:
            raise device_error("speaker", self.device, exc) from None

    # PortAudio's thread: pull what is there, pad with silence, never wait.
    def _fill(self, outdata: Any, frames: int, time_info: Any, status: Any) -> None:
        size = len(outdata)
        pcm = self._buffer.pull(size)
        outdata[: len(pcm)] = pcm
        if len(pcm) < size:
            outdata[len(pcm) :] = bytes(size - len(pcm))
        if pcm and status.output_underflow:
            self._device_underflows += 1
        self.level = level_of(pcm) if pcm else SILENT

    def _finished(self) -> None:
        if not self.closed:
            self.failure = f"The {self.description} stopped playing."

    def close(self) -> None:
        if self.closed:
            return
        super().close()
        self._stream.stop()
        self._stream.close()


def open_speaker(wanted: int | str | None) -> SpeakerSink:
    """The speaker `wanted` (index, part of a name, None for the default). Raises
    AudioUnavailable."""
    return SpeakerSink(find_device(wanted, "output"))
