"""Sound devices through PortAudio, and why there may be none.

Live audio is optional: it needs the `audio` extra (the sounddevice package), the PortAudio
library it loads, and a device. Each missing piece is one `AudioUnavailable` sentence that
says which and how to get it. Over SSH there is no sound device on the remote machine until
the local one is forwarded (README: Audio). Nothing here is imported until a device is
wanted, so the package, WAV sources and sinks work without any of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from types import ModuleType
from typing import Any, Literal

from rt_tui.realtime.errors import one_line

Direction = Literal["input", "output"]

INSTALL_EXTRA = "pip install 'rt-tui[audio]'"
INSTALL_PORTAUDIO = "apt install libportaudio2 (brew install portaudio on macOS)"
OVER_SSH = "over SSH, forward your local sound server first (see the README's Audio section)"

_ROLE = {"input": "microphone", "output": "speaker"}


class AudioUnavailable(Exception):
    """Live audio cannot be had here; the message is one sentence naming what is missing
    and how to get it."""


@dataclass(frozen=True, slots=True)
class Device:
    """One PortAudio device."""

    index: int
    name: str
    host_api: str
    inputs: int
    """Input channels (0: not a microphone)."""
    outputs: int
    """Output channels (0: not a speaker)."""
    default_rate: float
    default_input: bool = False
    default_output: bool = False

    def channels(self, direction: Direction) -> int:
        return self.inputs if direction == "input" else self.outputs

    def describe(self) -> str:
        """'3 "USB Audio" (ALSA)', for messages and lists."""
        return f'{self.index} "{self.name}" ({self.host_api})'


@lru_cache(maxsize=1)
def _load() -> ModuleType | str:
    """The sounddevice module, or the sentence saying why it cannot be had (remembered:
    looking for PortAudio again would only fail again)."""
    try:
        import sounddevice
    except ImportError:
        return f"Live audio needs the 'audio' extra, which is not installed: {INSTALL_EXTRA}."
    except OSError:  # sounddevice's own word for a missing PortAudio library
        return (
            f"Live audio needs the PortAudio library, which is not installed: {INSTALL_PORTAUDIO}."
        )
    except Exception as exc:  # PortAudio that fails to initialise raises its own error
        return f"PortAudio could not start ({one_line(str(exc), 120).rstrip('.')})."
    module: ModuleType = sounddevice
    return module


def sounddevice() -> Any:
    """The sounddevice module. Raises AudioUnavailable."""
    loaded = _load()
    if isinstance(loaded, str):
        raise AudioUnavailable(loaded)
    return loaded


def list_devices() -> list[Device]:
    """Every device PortAudio knows (maybe none). Raises AudioUnavailable."""
    sd = sounddevice()
    try:
        raw_devices = list(sd.query_devices())
        host_apis = [str(api.get("name", "?")) for api in sd.query_hostapis()]
        default_in, default_out = (int(i) for i in sd.default.device)
    except sd.PortAudioError as exc:
        raise AudioUnavailable(f"PortAudio cannot list the devices ({_reason(exc)}).") from None
    devices = []
    for raw in raw_devices:
        index = int(raw["index"])
        api = int(raw.get("hostapi", -1))
        devices.append(
            Device(
                index=index,
                name=str(raw["name"]),
                host_api=host_apis[api] if 0 <= api < len(host_apis) else "?",
                inputs=int(raw["max_input_channels"]),
                outputs=int(raw["max_output_channels"]),
                default_rate=float(raw["default_samplerate"]),
                default_input=index == default_in,
                default_output=index == default_out,
            )
        )
    return devices


def find_device(wanted: int | str | None, direction: Direction) -> Device:
    """The device to capture from (`input`) or play to (`output`): the default for None,
    else by index, else the first whose name contains `wanted` (any case). Raises
    AudioUnavailable."""
    devices = [d for d in list_devices() if d.channels(direction)]
    role = _ROLE[direction]
    if not devices:
        raise AudioUnavailable(
            f"No {role} is available: PortAudio finds no {direction} device; {OVER_SSH}."
        )
    if wanted is None:
        default = [d for d in devices if getattr(d, f"default_{direction}")]
        return default[0] if default else devices[0]
    if isinstance(wanted, int):
        for device in devices:
            if device.index == wanted:
                return device
        raise AudioUnavailable(
            f"Device {wanted} is not an {direction} device; "
            "'rt-tui audio devices' lists the devices and their numbers."
        )
    folded = wanted.casefold()
    for device in devices:
        if folded in device.name.casefold():
            return device
    raise AudioUnavailable(
        f"No {direction} device is named like '{wanted}'; 'rt-tui audio devices' lists them."
    )


def live_audio_problem() -> str | None:
    """Why neither a microphone nor a speaker can be opened here (one sentence), or None
    when at least one device is there: for a face to say once at start."""
    try:
        devices = list_devices()
    except AudioUnavailable as problem:
        return str(problem)
    if not devices:
        return f"Live audio is unavailable: PortAudio finds no sound device; {OVER_SSH}."
    return None


def device_lines(devices: list[Device]) -> list[str]:
    """A table of devices for `rt-tui audio devices`: number, channels, rate, name."""
    lines = ["  #  in out  rate   name"]
    for device in devices:
        marks = [m for m, on in (("default in", device.default_input),) if on]
        marks += [m for m, on in (("default out", device.default_output),) if on]
        suffix = f"  [{', '.join(marks)}]" if marks else ""
        lines.append(
            f"{device.index:>3} {device.inputs:>3} {device.outputs:>3} "
            f"{device.default_rate / 1000:>5.1f}k  {device.name} ({device.host_api}){suffix}"
        )
    return lines


def _reason(exc: BaseException) -> str:
    return one_line(str(exc), 120).rstrip(".") or type(exc).__name__


def device_error(what: str, device: Device, exc: BaseException) -> AudioUnavailable:
    """The sentence for a device PortAudio would not open."""
    return AudioUnavailable(f"The {what} {device.describe()} cannot be opened ({_reason(exc)}).")
