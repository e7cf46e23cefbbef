"""Live audio: sources (a microphone, a WAV file as one, none) and sinks (a speaker, a WAV
file as one, none), paced in real time, with levels, overrun / underrun counts and what was
played per item, for barge-in. Devices need the optional `audio` extra; WAV files always
work. No UI here: the faces build push-to-talk, interrupting and meters on top.
"""

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
