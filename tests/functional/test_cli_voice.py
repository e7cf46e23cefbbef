"""`--mic` and `--speaker` on `rt-tui` and `rt-tui send`, run as users run them."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from test_cli import assert_one_error_line, cli_env, run_cli
from test_cli_tui import run_tui

from rt_tui.realtime.audio import read_wav, silence, tone, write_wav
from rt_tui.realtime.audio_io import live_audio_problem

__all__ = ["cli_env"]  # the fixture, shared with test_cli


def test_a_missing_mic_file_ends_the_tui_before_the_screen_opens(tmp_path: Path) -> None:
    missing = tmp_path / "question.wav"
    code, err = run_tui("--demo", "--mic", missing, "--speaker", tmp_path / "reply.wav")
    assert code == 2
    assert err == (
        f"rt-tui: The microphone file {missing} does not exist: name a .wav file to speak.\n"
    )
    code, err = run_tui("--demo", "--speaker", tmp_path / "no" / "reply.wav")
    assert code == 2
    assert "its folder does not exist" in err


def test_send_speaks_the_mic_file_and_writes_the_reply_to_the_speaker_file(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    question, reply = tmp_path / "question.wav", tmp_path / "reply.wav"
    write_wav(question, silence(200) + tone(440, 500))
    result = run_cli(
        cli_env, "send", "--demo", "--mic", str(question), "--speaker", str(reply), "--json"
    )
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    sent = [r["event"]["type"] for r in records if r["direction"] == "sent"]
    received = [r["event"]["type"] for r in records if r["direction"] == "received"]
    # Spoken in 40 ms chunks over the file's own time, then answered by the server's VAD.
    appends = [r for r in records if r.get("event", {}).get("type") == "input_audio_buffer.append"]
    assert len(appends) >= 700 // 40
    assert appends[-1]["t_ms"] - appends[0]["t_ms"] >= 500
    assert "input_audio_buffer.speech_started" in received
    assert "response.create" not in sent
    audio = b"".join(
        base64.b64decode(r["event"]["delta"])
        for r in records
        if r["direction"] == "received" and r["event"]["type"] == "response.output_audio.delta"
    )
    assert audio
    assert read_wav(reply) == audio  # played out whole before the send ended


@pytest.mark.skipif(live_audio_problem() is None, reason="this machine has a sound device")
def test_send_without_a_sound_device_says_why_in_one_sentence(cli_env: dict[str, str]) -> None:
    problem = live_audio_problem()
    result = run_cli(cli_env, "send", "--demo", "--mic", "default")
    assert result.returncode == 1
    assert_one_error_line(result.stderr, str(problem))
    # No speaker is no reason to fail: the reply is still printed.
    result = run_cli(cli_env, "send", "--demo", "--speaker", "default", "hello")
    assert result.returncode == 0
    assert result.stdout.strip()
    assert result.stderr == f"rt-tui: note: {problem} The reply is printed only.\n"


def test_send_with_manual_turns_commits_the_spoken_turn_when_the_mic_ends(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    config_dir = Path(cli_env["RT_TUI_CONFIG_DIR"])
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "config.toml").write_text('[session.turn_detection]\ntype = "none"\n')
    question = tmp_path / "question.wav"
    write_wav(question, tone(440, 400))
    result = run_cli(cli_env, "send", "--demo", "--mic", str(question), "--json")
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    sent = [r["event"]["type"] for r in records if r["direction"] == "sent"]
    assert sent[-2:] == ["input_audio_buffer.commit", "response.create"]
    assert sent.count("input_audio_buffer.append") == 400 // 40  # no silence after it
