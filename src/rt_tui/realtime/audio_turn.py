"""A user turn made of recorded audio (a WAV file): which events send it, and how it ends.

How the turn ends depends on the session's turn detection (PROTOCOL.md §5):

- **Manual** (`turn_detection: null`): `append`…, `commit`, `response.create`.
- **Server or semantic VAD**: `append`… and the server commits and answers by itself. A
  file that stops mid-word would leave the VAD waiting for a silence that never comes, so
  silence is appended until the tail is quiet for as long as the VAD needs. The server
  judges audio by its own clock (milliseconds appended), so the silence does not have to
  be sent in real time.
- **VAD with `create_response: false`**: the server would commit but never answer, so the
  turn ends as a manual one (`commit` + `response.create`), which the API allows.
- **Transcription sessions** never answer: the turn ends as above, without `response.create`
  (a VAD turn is committed by the server, a manual one by `commit` alone).

Audio goes out in `CHUNK_MS` pieces: small enough for the inspector to show, few enough
for a long file not to flood it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rt_tui.dialect import Dialect
from rt_tui.realtime import client_events
from rt_tui.realtime.audio import (
    BYTES_PER_MS,
    WavError,
    duration_ms,
    read_wav,
    rms,
    silence,
)
from rt_tui.realtime.client_events import ClientEvent, OutputModality

if TYPE_CHECKING:
    from rt_tui.config import TurnDetection

CHUNK_MS = 100
"""Milliseconds of audio per `input_audio_buffer.append` (4,800 bytes of PCM16)."""
MIN_TURN_MS = 100
"""The service refuses to commit less audio than this (`input_audio_buffer_commit_empty`)."""
QUIET_LEVEL = 0.01
"""RMS level (0..1) below which a window counts as silence (-40 dBFS)."""
_QUIET_WINDOW_MS = 20
_VAD_MARGIN_MS = 200
"""Silence beyond the VAD's own silence duration, so its windows surely see the turn end."""
#: The longest semantic VAD waits for more speech, by eagerness (OpenAI: 8 s / 4 s / 2 s).
SEMANTIC_WAIT_MS = {"low": 8000, "medium": 4000, "auto": 4000, "high": 2000}
_DEFAULT_SILENCE_MS = 500


@dataclass(frozen=True, slots=True)
class TurnMode:
    """How a session ends a user's audio turn."""

    detection: str | None
    """`server_vad`, `semantic_vad` (or another type the server names), None for manual."""
    server_responds: bool
    """The server commits the turn and creates the response by itself."""
    vad_silence_ms: int = 0
    """Quiet the VAD needs at the end of the audio to close the turn."""
    transcribes: bool = False
    """A transcription session: a turn is transcribed, never answered (no `response.create`)."""

    @property
    def manual(self) -> bool:
        return self.detection is None

    @property
    def asks_response(self) -> bool:
        """Whether the client ends a turn with `response.create` after its `commit`."""
        return not self.transcribes

    def describe(self) -> str:
        """A few words for the user: who ends the turn."""
        if self.transcribes:
            if self.manual:
                return "transcription, manual turns: committed and transcribed on request"
            return f"transcription, {self.detection}: the server ends the turn and transcribes it"
        if self.manual:
            return "manual turns: committed and answered on request"
        if self.server_responds:
            return f"{self.detection}: the server ends the turn and answers"
        return f"{self.detection} without create_response: committed and answered on request"


MANUAL = TurnMode(detection=None, server_responds=False)


def _vad_mode(kind: str, detection: Mapping[str, Any], transcribes: bool = False) -> TurnMode:
    if transcribes:  # the server commits each turn, and transcribing it is all it does
        create: object = True
    else:
        create = detection.get("create_response", True)
    if kind == "semantic_vad":
        eagerness = detection.get("eagerness")
        needed = SEMANTIC_WAIT_MS.get(eagerness if isinstance(eagerness, str) else "auto", 4000)
    else:
        raw = detection.get("silence_duration_ms")
        valid = isinstance(raw, int) and not isinstance(raw, bool) and raw >= 0
        needed = raw if isinstance(raw, int) and valid else _DEFAULT_SILENCE_MS
    responds = create is not False
    return TurnMode(kind, responds, vad_silence_ms=needed, transcribes=transcribes)


def is_transcription_session(session: Mapping[str, Any] | None) -> bool:
    """Whether the server's copy of a session (either dialect) is a transcription session's."""
    if session is None:
        return False
    return session.get("type") == "transcription" or (
        session.get("object") == "realtime.transcription_session"
    )


def turn_mode_of_session(session: Mapping[str, Any] | None) -> TurnMode:
    """The turn mode of the server's copy of the session (`session.created` / `.updated`),
    GA (`audio.input.turn_detection`) or beta (flat `turn_detection`). Without a session,
    the services' default: server VAD."""
    if session is None:
        return _vad_mode("server_vad", {})
    transcribes = is_transcription_session(session)
    detection = _turn_detection(session)
    if not isinstance(detection, Mapping):
        return TurnMode(None, server_responds=False, transcribes=transcribes)
    kind = detection.get("type")
    return _vad_mode(kind if isinstance(kind, str) else "server_vad", detection, transcribes)


def server_interrupts(session: Mapping[str, Any] | None) -> bool:
    """Whether the server cancels a running response itself when speech starts (turn
    detection on, with `interrupt_response` not false), from its copy of the session."""
    if session is None:
        return True
    detection = _turn_detection(session)
    return isinstance(detection, Mapping) and detection.get("interrupt_response") is not False


def _turn_detection(session: Mapping[str, Any]) -> object:
    """The turn detection in the server's copy of a session: GA nests it
    (`audio.input.turn_detection`), beta does not."""
    detection: object = session.get("turn_detection")
    audio = session.get("audio")
    if "turn_detection" not in session and isinstance(audio, Mapping):
        audio_input = audio.get("input")
        if isinstance(audio_input, Mapping):
            detection = audio_input.get("turn_detection")
    return detection


def turn_mode_of_settings(settings: TurnDetection, *, transcribes: bool = False) -> TurnMode:
    """The turn mode that `session.update` with these settings asks for (`transcribes`:
    in a transcription session)."""
    if settings.type == "none":
        return TurnMode(None, server_responds=False, transcribes=transcribes)
    return _vad_mode(settings.type, settings.model_dump(), transcribes)


def trailing_quiet_ms(pcm: bytes) -> int:
    """How many milliseconds at the end of `pcm` are silence (in 20 ms windows)."""
    window = _QUIET_WINDOW_MS * BYTES_PER_MS
    end = len(pcm) - len(pcm) % 2
    quiet = 0
    while end >= window and rms(pcm[end - window : end]) < QUIET_LEVEL:
        quiet += _QUIET_WINDOW_MS
        end -= window
    if 0 < end < window and rms(pcm[:end]) < QUIET_LEVEL:
        quiet += end // BYTES_PER_MS
    return quiet


def tail_silence_ms(pcm: bytes, mode: TurnMode) -> int:
    """Silence to append after `pcm` so the server's VAD ends the turn (0 if none needed)."""
    if not mode.server_responds:
        return 0
    needed = mode.vad_silence_ms + _VAD_MARGIN_MS
    return max(0, needed - trailing_quiet_ms(pcm))


def append_events(pcm: bytes, chunk_ms: int = CHUNK_MS) -> list[ClientEvent]:
    """`input_audio_buffer.append` events carrying `pcm` in `chunk_ms` pieces."""
    step = max(1, chunk_ms) * BYTES_PER_MS
    return [client_events.audio_append(pcm[i : i + step]) for i in range(0, len(pcm), step)]


def audio_turn_events(
    pcm: bytes,
    mode: TurnMode,
    dialect: Dialect,
    *,
    output_modality: OutputModality | None = None,
    chunk_ms: int = CHUNK_MS,
) -> list[ClientEvent]:
    """Every client event of one audio turn, in order (see the module docstring).

    `output_modality` overrides the session's for the response this turn asks for
    (only when the client asks: a VAD turn is answered in the session's modality).
    """
    padding = tail_silence_ms(pcm, mode)
    events = append_events(pcm + silence(padding) if padding else pcm, chunk_ms)
    if not mode.server_responds:
        events.append(client_events.audio_commit())
        if mode.asks_response:
            events.append(client_events.response_create(dialect, output_modality=output_modality))
    return events


def load_turn_audio(path: Path | str) -> bytes:
    """A WAV file as PCM16 24 kHz mono, checked to be long enough for one turn.

    `~` is expanded. Raises `WavError` with one sentence for a missing, unreadable,
    non-PCM or too short file.
    """
    path = Path(path).expanduser()
    pcm = read_wav(path)
    ms = duration_ms(pcm)
    if ms < MIN_TURN_MS:
        raise WavError(
            f"{path.name} holds only {ms:.0f} ms of audio; a turn needs at least {MIN_TURN_MS} ms."
        )
    return pcm
