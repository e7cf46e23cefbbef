"""`--mic SOURCE` and `--speaker SINK`: what the user names, and opening it.

A spec is one of:

- `none` (or `off`): no microphone / no speaker;
- a path ending in `.wav` (any case; `~` is expanded): a WAV file as a virtual microphone
  (read) or speaker (written);
- `default`: the system's default device;
- a number: the device with that index in `rt-tui audio devices`;
- anything else: the first device whose name contains it (any case).

Parsing never touches a device or a file; opening does, and each problem is one sentence
(`AudioUnavailable`, or `WavError` for a WAV file that cannot be read).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from rt_tui.realtime.audio_io.devices import AudioUnavailable

if TYPE_CHECKING:
    from rt_tui.realtime.audio_io.sinks import Sink
    from rt_tui.realtime.audio_io.sources import Source

Role = Literal["mic", "speaker"]
_OPTION = {"mic": "--mic", "speaker": "--speaker"}
_NONE_WORDS = frozenset({"none", "off"})


class AudioSpecError(ValueError):
    """A `--mic` / `--speaker` value that names nothing usable; the message is one sentence."""


@dataclass(frozen=True, slots=True)
class NoAudio:
    """No microphone, or no speaker."""

    def __str__(self) -> str:
        return "none"


@dataclass(frozen=True, slots=True)
class WavAudio:
    """A WAV file in place of the device."""

    path: Path

    def __str__(self) -> str:
        return str(self.path)


@dataclass(frozen=True, slots=True)
class DeviceAudio:
    """A sound device: by index, by part of its name, or the default (None)."""

    device: int | str | None = None

    def __str__(self) -> str:
        return "default" if self.device is None else str(self.device)


AudioSpec = NoAudio | WavAudio | DeviceAudio


def parse_audio_spec(text: str, role: Role) -> AudioSpec:
    """What a `--mic` (`role` 'mic') or `--speaker` value names; `str()` of the result gives
    it back. Raises AudioSpecError."""
    value = text.strip()
    if not value:
        raise AudioSpecError(
            f"{_OPTION[role]} needs a device name or number, a .wav file, or 'none'."
        )
    folded = value.casefold()
    if folded in _NONE_WORDS:
        return NoAudio()
    if folded.endswith(".wav"):
        return WavAudio(Path(value).expanduser())
    if folded == "default":
        return DeviceAudio()
    if value.isdigit():
        return DeviceAudio(int(value))
    return DeviceAudio(value)


def file_problem(spec: AudioSpec, role: Role) -> str | None:
    """Why the WAV file a spec names cannot serve as the microphone (it must exist) or the
    speaker (its folder must), one sentence; None when it can, or for a device or none.
    Cheap: for checking before a session starts, so a typo ends there."""
    if not isinstance(spec, WavAudio):
        return None
    path = spec.path
    if role == "mic":
        if not path.is_file():
            missing = "is a folder" if path.is_dir() else "does not exist"
            return f"The microphone file {path} {missing}: name a .wav file to speak."
        return None
    if path.is_dir():
        return f"The speaker file {path} is a folder: name a .wav file to write."
    if not path.parent.is_dir():
        return f"The speaker file {path} cannot be written: its folder does not exist."
    return None


def open_source(spec: AudioSpec, *, tail_ms: float | None = None) -> Source:
    """The source a spec names, ready to stream. `tail_ms`: the silence after a WAV file
    (see `WavSource`). Raises AudioUnavailable or WavError (a ValueError), one sentence."""
    # Here, not at the top: choosing what to open (the app's start) needs no player.
    from rt_tui.realtime.audio_io.sources import NullSource, WavSource, open_mic

    if isinstance(spec, NoAudio):
        return NullSource()
    if isinstance(spec, WavAudio):
        return WavSource(spec.path, tail_ms=tail_ms)
    return open_mic(spec.device)


def open_sink(spec: AudioSpec) -> Sink:
    """The sink a spec names (start it inside the event loop, or use `async with`).
    Raises AudioUnavailable, one sentence."""
    from rt_tui.realtime.audio_io.sinks import NullSink, WavSink, open_speaker

    if isinstance(spec, NoAudio):
        return NullSink()
    if isinstance(spec, WavAudio):
        if spec.path.is_dir():
            raise AudioUnavailable(f"Cannot write {spec.path}: it is a folder.")
        return WavSink(spec.path)
    return open_speaker(spec.device)
