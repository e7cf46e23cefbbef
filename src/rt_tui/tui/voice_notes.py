"""What the live audio tells the user about itself: how turns go, which key talks, why a
key has no microphone to work on, why the speaker stays silent. Pure: settings and state
in, sentences out (`rt_tui.tui.voice` says them)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from rt_tui.realtime import audio_io  # its parts load when first used
from rt_tui.realtime.audio_turn import turn_mode_of_settings
from rt_tui.tui.voice_events import MIC
from rt_tui.tui.voice_keys import TALK_ID, TALK_KEY

if TYPE_CHECKING:
    from rt_tui.config import SessionSettings
    from rt_tui.realtime.audio_io import Source


NO_MIC = (
    "No microphone: start with --mic DEVICE (or a .wav file to speak it), or set one in "
    "the settings (F2); 'rt-tui audio devices' lists them."
)


def talk_key(keymap: Mapping[str, str]) -> str:
    """The talk key as the config's keymap has it (the first, if it names several)."""
    keys = keymap.get(TALK_ID)
    return keys.split(",")[0].strip() if keys else TALK_KEY


def how_to_talk(settings: SessionSettings, key: str) -> str:
    """How turns go with these session settings' turn detection, and the talk key."""
    mode = turn_mode_of_settings(settings.turn_detection, transcribes=settings.transcribes_only)
    if mode.manual:
        return f"Turn detection is off: press {key} to talk, and {key} again to send."
    if mode.transcribes:
        return f"Open microphone ({mode.detection}): just speak, each turn is transcribed."
    return (
        f"Open microphone ({mode.detection}): just speak, the server ends each turn; "
        f"{key} interrupts the assistant."
    )


def mic_ended(source: Source) -> str:
    """What the talk and mute keys say once the microphone has ended."""
    if isinstance(source, audio_io.WavSource):
        return (
            f"{MIC} The microphone is done: {source.description} has been spoken "
            "(/wav --realtime FILE speaks another file)."
        )
    return f"{MIC} The microphone has stopped."


def nothing_to_play(settings: SessionSettings) -> str:
    """Why these session settings leave a speaker silent, as a sentence to append ('' when
    they do not)."""
    if settings.transcribes_only:
        return " A transcription session never answers, so it has nothing to play."
    if settings.output_modality == "text":
        return (
            " The replies are text, so it has nothing to play: set Output modality to "
            "audio in the settings (F2)."
        )
    return ""
