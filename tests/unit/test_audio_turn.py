"""Audio turns from WAV files: turn modes, the events of a turn, the user's audio per item."""

from __future__ import annotations

import base64
import wave
from pathlib import Path

import pytest

from rt_tui.config import TurnDetection
from rt_tui.dialect import Dialect
from rt_tui.realtime.audio import BYTES_PER_MS, WavError, duration_ms, silence, tone, write_wav
from rt_tui.realtime.audio_turn import (
    CHUNK_MS,
    MANUAL,
    audio_turn_events,
    load_turn_audio,
    tail_silence_ms,
    trailing_quiet_ms,
    turn_mode_of_session,
    turn_mode_of_settings,
)
from rt_tui.realtime.conversation_markdown import audio_length
from rt_tui.realtime.input_audio_track import InputAudioTrack
from rt_tui.tui.slash_commands import commands_help, split_command
from rt_tui.tui.widgets.composer import SLASH_COMMANDS

SPEECH = tone(440, 500)


def _b64(pcm: bytes) -> str:
    return base64.b64encode(pcm).decode()


# --- turn modes ------------------------------------------------------------------------


def test_ga_session_with_null_turn_detection_is_manual() -> None:
    session = {"type": "realtime", "audio": {"input": {"turn_detection": None}}}
    assert turn_mode_of_session(session) == MANUAL


def test_beta_session_turn_detection_is_flat() -> None:
    vad = {"type": "server_vad", "silence_duration_ms": 350, "create_response": True}
    mode = turn_mode_of_session({"turn_detection": vad})
    assert (mode.detection, mode.server_responds, mode.vad_silence_ms) == ("server_vad", True, 350)
    assert turn_mode_of_session({"turn_detection": None}).manual


def test_semantic_vad_waits_by_eagerness() -> None:
    session = {
        "audio": {"input": {"turn_detection": {"type": "semantic_vad", "eagerness": "high"}}}
    }
    mode = turn_mode_of_session(session)
    assert (mode.detection, mode.vad_silence_ms) == ("semantic_vad", 2000)


def test_vad_without_create_response_is_ended_by_the_client() -> None:
    mode = turn_mode_of_settings(TurnDetection(type="server_vad", create_response=False))
    assert not mode.manual
    assert not mode.server_responds
    assert turn_mode_of_settings(TurnDetection(type="none")) == MANUAL


# --- the events of a turn --------------------------------------------------------------


def test_manual_turn_appends_in_chunks_then_commits_and_asks() -> None:
    pcm = tone(440, 250)
    events = audio_turn_events(pcm, MANUAL, Dialect.GA, output_modality="audio")
    types = [event["type"] for event in events]
    assert types == ["input_audio_buffer.append"] * 3 + [
        "input_audio_buffer.commit",
        "response.create",
    ]
    sent = b"".join(base64.b64decode(e["audio"]) for e in events[:3])
    assert sent == pcm
    assert len(base64.b64decode(events[0]["audio"])) == CHUNK_MS * BYTES_PER_MS
    assert events[-1]["response"] == {"output_modalities": ["audio"]}


def test_vad_turn_ends_with_enough_silence_and_no_commit() -> None:
    mode = turn_mode_of_settings(TurnDetection(silence_duration_ms=500))
    events = audio_turn_events(SPEECH, mode, Dialect.GA)
    assert {event["type"] for event in events} == {"input_audio_buffer.append"}
    sent = b"".join(base64.b64decode(e["audio"]) for e in events)
    assert sent.startswith(SPEECH)
    assert trailing_quiet_ms(sent) >= 500


def test_a_file_that_ends_quiet_needs_less_padding() -> None:
    mode = turn_mode_of_settings(TurnDetection(silence_duration_ms=500))
    assert tail_silence_ms(SPEECH, mode) > tail_silence_ms(SPEECH + silence(400), mode)
    assert tail_silence_ms(SPEECH + silence(1000), mode) == 0
    assert tail_silence_ms(SPEECH, MANUAL) == 0


# --- reading the file ------------------------------------------------------------------


def test_any_wav_becomes_24k_mono(tmp_path: Path) -> None:
    path = tmp_path / "stereo.wav"
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(2)
        wav.setsampwidth(2)
        wav.setframerate(16_000)
        wav.writeframes(bytes(16_000 * 2 * 2 // 2))  # 500 ms of stereo silence
    assert duration_ms(load_turn_audio(path)) == pytest.approx(500, abs=1)


def test_home_is_expanded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    write_wav(tmp_path / "q.wav", SPEECH)
    assert load_turn_audio("~/q.wav") == SPEECH


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "q.wav: no such file."),
        (b"not a wav at all", "q.wav is not a WAV file: it does not start with a RIFF"),
        ("short", "q.wav holds only 50 ms of audio; a turn needs at least 100 ms."),
    ],
)
def test_bad_files_are_one_sentence(tmp_path: Path, content: object, message: str) -> None:
    path = tmp_path / "q.wav"
    if content == "short":
        write_wav(path, tone(440, 50))
    elif isinstance(content, bytes):
        path.write_bytes(content)
    with pytest.raises(WavError) as caught:
        load_turn_audio(path)
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


# --- the user's audio per item ---------------------------------------------------------


def test_a_manual_commit_takes_everything_appended() -> None:
    track = InputAudioTrack()
    assert track.appended(_b64(tone(440, 100)))
    assert track.appended(_b64(tone(440, 150)))
    assert duration_ms(track.committed()) == 250
    assert track.pending_bytes == 0


def test_a_vad_commit_ends_where_the_speech_stopped() -> None:
    track = InputAudioTrack()
    track.appended(_b64(silence(1000)))
    track.speech_stopped(400)
    assert duration_ms(track.committed()) == 400
    track.speech_stopped(900)  # on the session's clock: 500 ms into what is left
    assert duration_ms(track.committed()) == 500
    assert duration_ms(bytes(track.pending_bytes)) == 100


def test_cleared_or_bad_audio_is_not_counted() -> None:
    track = InputAudioTrack()
    assert not track.appended("not base64!")
    assert not track.appended(None)
    track.appended(_b64(silence(300)))
    track.cleared()
    assert track.committed() == b""


# --- words on screen -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ms", "text"), [(850, "850 ms"), (2400, "2.4 s"), (185_000, "3:05"), (60_000, "1:00")]
)
def test_audio_length(ms: float, text: str) -> None:
    assert audio_length(ms) == text


def test_split_command_keeps_spaces_and_drops_quotes() -> None:
    assert split_command("/wav  ~/my file.wav ") == ("/wav", "~/my file.wav")
    assert split_command("/wav '~/a b.wav'") == ("/wav", "~/a b.wav")
    assert split_command("/save-audio") == ("/save-audio", "")


def test_help_lists_every_command() -> None:
    text = commands_help()
    for command in SLASH_COMMANDS:
        assert command.usage in text
        assert command.description in text
