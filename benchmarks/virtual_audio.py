"""A stand-in for `sounddevice` with one virtual microphone and one virtual speaker, for
benchmarks on machines without a sound device.

Each stream runs on its own thread and calls the app's callback every block, on a
real-time schedule, as PortAudio's callback thread does: the microphone hands over the
next block of a PCM loop, the speaker asks for a block to play. The app's real
`MicSource` and `SpeakerSink` run on top, unchanged. A callback that comes more than
DEVICE_BUFFER_S late (the process held the interpreter, as a busy event loop can; sounddevice's
callbacks need it too) reports an input overflow / output underflow in the callback's status,
as PortAudio does once its own buffer is spent; `install()` makes `import sounddevice` find
this module.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from rt_tui.realtime.audio import SAMPLE_RATE

DEVICE_BUFFER_S = 0.1
"""What the device itself buffers, as PortAudio's default ('high') latency does."""
MIC_NAME = "virtual microphone"
SPEAKER_NAME = "virtual speaker"

_DEVICES = [
    {"index": 0, "name": MIC_NAME, "hostapi": 0, "max_input_channels": 1},
    {"index": 1, "name": SPEAKER_NAME, "hostapi": 0, "max_output_channels": 1},
]
for _device in _DEVICES:
    _device.setdefault("max_input_channels", 0)
    _device.setdefault("max_output_channels", 0)
    _device["default_samplerate"] = float(SAMPLE_RATE)

default = SimpleNamespace(device=(0, 1))
microphone_audio = bytes(2 * SAMPLE_RATE)
"""What the microphone says, looped (PCM16 24 kHz mono); set before a stream starts."""
streams: list[_Stream] = []
"""Every stream opened, for the benchmark to read their counts."""


class PortAudioError(Exception):
    pass


def query_devices() -> list[dict[str, Any]]:
    return [dict(device) for device in _DEVICES]


def query_hostapis() -> list[dict[str, Any]]:
    return [{"name": "virtual"}]


def check_input_settings(**settings: Any) -> None:
    _check(settings)


def check_output_settings(**settings: Any) -> None:
    _check(settings)


def _check(settings: dict[str, Any]) -> None:
    if settings.get("samplerate") != SAMPLE_RATE:
        raise PortAudioError("the virtual devices run at 24 kHz only")


@dataclass
class _Status:
    input_overflow: bool = False
    output_underflow: bool = False


class _Stream:
    """A device thread calling `callback` every `blocksize` frames, in real time."""

    def __init__(
        self,
        *,
        samplerate: int,
        blocksize: int,
        callback: Callable[..., None],
        finished_callback: Callable[[], None] | None = None,
        **_ignored: Any,
    ) -> None:
        self.block_s = blocksize / samplerate
        self.block_bytes = blocksize * 2
        self._callback = callback
        self._finished = finished_callback
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.blocks = 0
        self.late_blocks = 0
        """Callbacks that came later than the device's buffer allows."""
        streams.append(self)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name=type(self).__name__, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join()

    def close(self) -> None:
        self.stop()

    def _run(self) -> None:
        due = time.perf_counter() + self.block_s
        while not self._stop.is_set():
            wait = due - time.perf_counter()
            if wait > 0:
                self._stop.wait(wait)
            late = time.perf_counter() - due > DEVICE_BUFFER_S
            self.late_blocks += late
            self._tick(late)
            self.blocks += 1
            due += self.block_s
        if self._finished is not None:
            self._finished()

    def _tick(self, late: bool) -> None:
        raise NotImplementedError


class RawInputStream(_Stream):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._at = 0
        self._length = len(microphone_audio)
        # The loop plus one block, so every block is one slice, however it wraps.
        self._audio = microphone_audio + microphone_audio[: self.block_bytes]

    def _tick(self, late: bool) -> None:
        start = self._at % self._length
        self._at += self.block_bytes
        block = self._audio[start : start + self.block_bytes]
        self._callback(block, self.block_bytes // 2, None, _Status(input_overflow=late))


class RawOutputStream(_Stream):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._out = bytearray(0)

    def _tick(self, late: bool) -> None:
        if len(self._out) != self.block_bytes:
            self._out = bytearray(self.block_bytes)
        self._callback(memoryview(self._out), self.block_bytes // 2, None, _Status(False, late))


def install() -> None:
    """Make `import sounddevice` (and so rt-tui's live audio) use these devices."""
    sys.modules["sounddevice"] = sys.modules[__name__]
