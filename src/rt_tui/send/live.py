"""`rt-tui send --mic SOURCE --speaker SINK`: the user's turn spoken in real time, the
reply played as it streams.

The microphone (a device, or a WAV file spoken at its pace and followed by the silence the
turn detection needs) streams from the moment the session exists; with server or semantic
VAD the server ends the turn and answers, with none the turn is committed and answered
once the source ends. The speaker plays the reply through the engine's `ReplyPlayer`, and
the send waits for it to play out before it exits.

Only the flags choose these: the config's `[audio]` is the TUI's, so a plain
`rt-tui send TEXT` never opens a microphone.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass

from rt_tui.config import SessionSettings
from rt_tui.realtime import client_events
from rt_tui.realtime.audio import WavError
from rt_tui.realtime.audio_io import (
    AudioSpecError,
    AudioUnavailable,
    Sink,
    Source,
    file_problem,
    open_sink,
    open_source,
    parse_audio_spec,
    send_source,
)
from rt_tui.realtime.audio_turn import TurnMode, tail_silence_ms, turn_mode_of_settings
from rt_tui.realtime.client_events import ClientEvent


class LiveAudioError(Exception):
    """A --mic / --speaker that cannot be used (one sentence); `usage`: the value itself
    is wrong (exit 2), not the machine (exit 1)."""

    def __init__(self, message: str, *, usage: bool) -> None:
        super().__init__(message)
        self.usage = usage


@dataclass
class LiveAudio:
    """The microphone and speaker of one send (either may be None)."""

    source: Source | None = None
    sink: Sink | None = None

    def close(self) -> None:
        if self.source is not None:
            self.source.close()
        if self.sink is not None:
            self.sink.close()


def open_live_audio(mic: str | None, speaker: str | None, settings: SessionSettings) -> LiveAudio:
    """Open what --mic and --speaker name. A speaker that cannot be had is said on stderr
    and done without (the reply is still printed); a microphone that cannot is an error,
    since it was to say the turn. Raises LiveAudioError."""
    live = LiveAudio()
    try:
        mic_spec = parse_audio_spec(mic, "mic") if mic is not None else None
        speaker_spec = parse_audio_spec(speaker, "speaker") if speaker is not None else None
    except AudioSpecError as bad:
        raise LiveAudioError(str(bad), usage=True) from None
    file_trouble = (file_problem(mic_spec, "mic") if mic_spec is not None else None) or (
        file_problem(speaker_spec, "speaker") if speaker_spec is not None else None
    )
    if file_trouble is not None:
        raise LiveAudioError(file_trouble, usage=True)
    if mic_spec is not None:
        tail = tail_silence_ms(b"", turn_mode_of_settings(settings.turn_detection))
        try:
            live.source = open_source(mic_spec, tail_ms=tail)
        except WavError as problem:
            raise LiveAudioError(str(problem), usage=True) from None
        except AudioUnavailable as problem:
            raise LiveAudioError(str(problem), usage=False) from None
    if speaker_spec is not None:
        try:
            live.sink = open_sink(speaker_spec)
        except AudioUnavailable as problem:
            print(f"rt-tui: note: {problem} The reply is printed only.", file=sys.stderr)
    return live


async def speak(
    source: Source,
    send: Callable[[ClientEvent], object],
    mode: TurnMode,
    response_request: ClientEvent,
) -> None:
    """Stream the microphone into the session; with manual turns, commit what was said
    and ask for the response once the source ends."""
    await send_source(source, send)
    if mode.manual:
        send(client_events.audio_commit())
        send(response_request)
