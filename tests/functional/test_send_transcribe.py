"""`rt-tui send --transcribe --wav FILE`: a WAV in, its transcript out (subprocess, demo mock)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_cli import assert_one_error_line, cli_env, run_cli

from rt_tui.realtime.audio import silence, tone, write_wav
from rt_tui.send.transcribe import TRANSCRIBE_NEEDS_WAV

__all__ = ["cli_env"]  # the fixture, shared with test_cli


@pytest.fixture
def speech(tmp_path: Path) -> Path:
    path = tmp_path / "speech.wav"
    write_wav(path, tone(330, 700) + silence(300) + tone(440, 500))
    return path


def test_transcribe_prints_the_transcript_and_asks_no_response(
    cli_env: dict[str, str], speech: Path
) -> None:
    result = run_cli(cli_env, "send", "--demo", "--transcribe", "--wav", str(speech), "--json")
    assert (result.returncode, result.stderr) == (0, "")
    records = [json.loads(line) for line in result.stdout.splitlines()]
    sent = [r["event"] for r in records if r["direction"] == "sent"]
    assert sent[0]["type"] == "session.update"
    assert sent[0]["session"]["type"] == "transcription"
    # The whole file is one turn, committed by the client; nothing asks for an answer.
    assert sent[-1]["type"] == "input_audio_buffer.commit"
    assert {e["type"] for e in sent[1:-1]} == {"input_audio_buffer.append"}
    received = [r["event"] for r in records if r["direction"] == "received"]
    assert received[-1]["type"] == "conversation.item.input_audio_transcription.completed"
    assert not any(e["type"].startswith("response.") for e in received)

    plain = run_cli(cli_env, "send", "--demo", "--transcribe", "--wav", str(speech))
    assert (plain.returncode, plain.stderr) == (0, "")
    assert plain.stdout == received[-1]["transcript"] + "\n"  # the mock's is deterministic


@pytest.mark.parametrize("extra", [["hello"], ["--mic", "none"]], ids=["text", "mic"])
def test_transcribe_takes_only_a_wav(
    cli_env: dict[str, str], speech: Path, extra: list[str]
) -> None:
    result = run_cli(cli_env, "send", "--demo", "--transcribe", "--wav", str(speech), *extra)
    assert result.returncode == 2
    assert_one_error_line(result.stderr, TRANSCRIBE_NEEDS_WAV)
