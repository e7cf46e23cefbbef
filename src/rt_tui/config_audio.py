"""The config file's `[audio]` section: which microphone and speaker live audio uses.

    [audio]
    mic = "default"          # a device name or number, a .wav file, or "none"
    speaker = "reply.wav"    # `rt-tui audio devices` lists the devices
    half_duplex = true       # mute the microphone while the assistant speaks

`--mic` and `--speaker` override the first two for one run. The values are kept as the
user wrote them: what they name is worked out (and its problem said) when the app opens
it, since a device that is missing today may be plugged in tomorrow.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, field_validator


class AudioSettings(BaseModel):
    """Live audio: where the user's voice comes from and where the assistant's goes."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    mic: str = "none"
    """The microphone: a device name (or part of one) or number, `default`, a `.wav` file
    streamed as if spoken, or `none`. Off by default: an open microphone sends audio (and
    costs tokens) without asking."""
    speaker: str = "none"
    """The speaker: a device name or number, `default`, a `.wav` file written as played,
    or `none`."""
    half_duplex: bool = False
    """Mute the microphone while the assistant speaks (laptops without headphones, whose
    speaker the microphone hears); interrupting is then by the talk key only."""

    @field_validator("mic", "speaker")
    @classmethod
    def _named(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("name a device, a .wav file, or 'none'")
        return value
