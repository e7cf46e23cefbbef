"""What live audio to open, and opening it: the microphone and speaker a user named in the
config's `[audio]` or with `--mic` / `--speaker`, checked before the app starts, opened
(blocking, in a thread) once it runs. `rt_tui.tui.voice` runs them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rt_tui.realtime.audio import WavError
from rt_tui.realtime.audio_io import (
    AudioSpec,
    AudioSpecError,
    AudioUnavailable,
    NoAudio,
    file_problem,
    open_sink,
    open_source,
    parse_audio_spec,
)
from rt_tui.realtime.audio_turn import tail_silence_ms, turn_mode_of_settings

if TYPE_CHECKING:
    from rt_tui.config import Config
    from rt_tui.realtime.audio_io import Sink, Source


@dataclass(frozen=True)
class VoiceChoice:
    """The microphone and speaker to open, and whether the mic waits while the reply plays."""

    mic: AudioSpec = field(default_factory=NoAudio)
    speaker: AudioSpec = field(default_factory=NoAudio)
    half_duplex: bool = False
    mic_tail_ms: float = 0
    """Silence after a WAV microphone's file: what the turn detection needs to end the
    turn (none for push-to-talk)."""

    @property
    def wanted(self) -> bool:
        """Live audio was asked for (a microphone, a speaker or both)."""
        return not (isinstance(self.mic, NoAudio) and isinstance(self.speaker, NoAudio))


def voice_choice(
    config: Config | None, mic: str | None = None, speaker: str | None = None
) -> VoiceChoice:
    """The config's `[audio]`, with `--mic` / `--speaker` over it. Raises AudioSpecError.
    `config` None: no config file was read and no flag asks for audio, so nothing opens
    (the defaults' `[audio]`), and the settings' models need not load for the first frame."""
    if config is None:
        return VoiceChoice()
    audio = config.audio
    turn = turn_mode_of_settings(config.session.turn_detection)
    return VoiceChoice(
        parse_audio_spec(mic if mic is not None else audio.mic, "mic"),
        parse_audio_spec(speaker if speaker is not None else audio.speaker, "speaker"),
        audio.half_duplex,
        mic_tail_ms=tail_silence_ms(b"", turn),
    )


def names_a_speaker(speaker: str) -> bool:
    """Whether a `--speaker` value names somewhere to play (not `none`; a value that names
    nothing is said before the app starts, by `audio_files_problem`)."""
    try:
        return not isinstance(parse_audio_spec(speaker, "speaker"), NoAudio)
    except AudioSpecError:
        return False


def audio_files_problem(config: Config | None, mic: str | None, speaker: str | None) -> str | None:
    """Why the microphone or speaker asked for cannot be used, when that is a bad value or
    a WAV file that cannot be (one sentence); None otherwise. A missing device is not
    checked here: the app says it once, and works without it."""
    try:
        choice = voice_choice(config, mic, speaker)
    except AudioSpecError as problem:
        return str(problem)
    return file_problem(choice.mic, "mic") or file_problem(choice.speaker, "speaker")


def open_choice(choice: VoiceChoice) -> tuple[Source | None, Sink | None, list[str]]:
    """Open what `choice` names (blocking: run in a thread); what could not be opened is
    None, and its sentence is in the list."""
    problems: dict[str, list[str]] = {}
    """Each sentence once, with what it keeps from the user (PortAudio missing: both)."""
    source: Source | None = None
    sink: Sink | None = None
    if not isinstance(choice.mic, NoAudio):
        try:
            source = open_source(choice.mic, tail_ms=choice.mic_tail_ms)
        except (AudioUnavailable, WavError) as problem:
            problems.setdefault(str(problem), []).append("microphone")
    if not isinstance(choice.speaker, NoAudio):
        try:
            sink = open_sink(choice.speaker)
        except AudioUnavailable as problem:
            problems.setdefault(str(problem), []).append("speaker")
    said = [f"No {' or '.join(roles)}: {problem}" for problem, roles in problems.items()]
    return source, sink, said
