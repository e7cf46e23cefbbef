"""Live audio: sources (a microphone, a WAV file as one, none) and sinks (a speaker, a WAV
file as one, none), paced in real time, with levels, overrun / underrun counts and what was
played per item, for barge-in. Devices need the optional `audio` extra; WAV files always
work. No UI here: the faces build push-to-talk, interrupting and meters on top.

The parts load when a name is first used (`__getattr__` below): the app's first frame needs
none of them, and a start without live audio never loads the players and files.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rt_tui.realtime.audio_io.devices import (
        AudioUnavailable,
        Device,
        list_devices,
        live_audio_problem,
    )
    from rt_tui.realtime.audio_io.live import ReplyPlayer, interrupt_playback, send_source
    from rt_tui.realtime.audio_io.playback import PlaybackCut
    from rt_tui.realtime.audio_io.sinks import NullSink, Sink, SpeakerSink, WavSink
    from rt_tui.realtime.audio_io.sources import MicSource, NullSource, Source, WavSource
    from rt_tui.realtime.audio_io.specs import (
        AudioSpec,
        AudioSpecError,
        DeviceAudio,
        NoAudio,
        WavAudio,
        file_problem,
        open_sink,
        open_source,
        parse_audio_spec,
    )

_HOMES = {
    "AudioSpec": "specs",
    "AudioSpecError": "specs",
    "AudioUnavailable": "devices",
    "Device": "devices",
    "DeviceAudio": "specs",
    "MicSource": "sources",
    "NoAudio": "specs",
    "NullSink": "sinks",
    "NullSource": "sources",
    "PlaybackCut": "playback",
    "ReplyPlayer": "live",
    "Sink": "sinks",
    "Source": "sources",
    "SpeakerSink": "sinks",
    "WavAudio": "specs",
    "WavSink": "sinks",
    "WavSource": "sources",
    "file_problem": "specs",
    "interrupt_playback": "live",
    "list_devices": "devices",
    "live_audio_problem": "devices",
    "open_sink": "specs",
    "open_source": "specs",
    "parse_audio_spec": "specs",
    "send_source": "live",
}
"""Which part holds each name."""


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)


__all__ = [
    "AudioSpec",
    "AudioSpecError",
    "AudioUnavailable",
    "Device",
    "DeviceAudio",
    "MicSource",
    "NoAudio",
    "NullSink",
    "NullSource",
    "PlaybackCut",
    "ReplyPlayer",
    "Sink",
    "Source",
    "SpeakerSink",
    "WavAudio",
    "WavSink",
    "WavSource",
    "file_problem",
    "interrupt_playback",
    "list_devices",
    "live_audio_problem",
    "open_sink",
    "open_source",
    "parse_audio_spec",
    "send_source",
]
