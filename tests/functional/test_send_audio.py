"""`rt-tui send --wav FILE [TEXT]` and `--save-audio FILE`, run as a subprocess against the
demo mock server."""

from __future__ import annotations

import base64
import json
import stat
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from test_cli import assert_one_error_line, cli_env, run_cli

from rt_tui.realtime.audio import (
    duration_ms,
    filtered_resampling,
    read_wav,
    silence,
    tone,
    write_wav,
)

__all__ = ["cli_env"]  # the fixture, shared with test_cli

SPOKEN = tone(330, 500) + silence(100) + tone(440, 300)  # ends mid-tone: no silence after


@pytest.fixture
def question(tmp_path: Path) -> Path:
    path = tmp_path / "question.wav"
    write_wav(path, SPOKEN)
    return path


def _manual_config(env: dict[str, str]) -> None:
    config_dir = Path(env["RT_TUI_CONFIG_DIR"])
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "config.toml").write_text('[session.turn_detection]\ntype = "none"\n')


def _float_wav(path: Path, pcm: bytes) -> Path:
    """`pcm` (PCM16 24 kHz mono) as a 32-bit float WAV file, the kind editors export."""
    count = len(pcm) // 2
    frames = struct.pack(f"<{count}f", *(s / 32768 for s in struct.unpack(f"<{count}h", pcm)))
    fmt = struct.pack("<HHIIHH", 3, 1, 24_000, 24_000 * 4, 4, 32)  # format 3: IEEE float
    body = b"WAVEfmt " + struct.pack("<I", len(fmt)) + fmt
    body += b"data" + struct.pack("<I", len(frames)) + frames
    path.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)
    return path


def _events(stdout: str) -> list[tuple[str, dict[str, object]]]:
    records = [json.loads(line) for line in stdout.splitlines()]
    return [(r["direction"], r["event"]) for r in records]


def test_wav_with_server_vad_gets_a_reply_and_saves_its_audio(
    cli_env: dict[str, str], question: Path, tmp_path: Path
) -> None:
    out = tmp_path / "reply.wav"
    result = run_cli(
        cli_env, "send", "--demo", "--wav", str(question), "--save-audio", str(out), "--json"
    )
    assert (result.returncode, result.stderr) == (0, "")
    events = _events(result.stdout)
    sent = [event for direction, event in events if direction == "sent"]
    types = [event["type"] for event in sent]
    # Settings first (so the turn detection is known), then audio only: the VAD ends the turn.
    assert types[0] == "session.update"
    assert set(types[1:]) == {"input_audio_buffer.append"}
    audio = b"".join(base64.b64decode(str(e["audio"])) for e in sent[1:])
    assert audio.startswith(SPOKEN)
    assert len(audio) > len(SPOKEN)  # silence added so the VAD sees the turn end
    received = [event["type"] for direction, event in events if direction == "received"]
    assert "input_audio_buffer.committed" in received
    assert "response.done" in received

    reply_audio = b"".join(
        base64.b64decode(str(event["delta"]))
        for direction, event in events
        if direction == "received" and event["type"] == "response.output_audio.delta"
    )
    assert reply_audio
    assert read_wav(out) == reply_audio


def test_wav_in_manual_mode_commits_asks_and_prints_the_reply(
    cli_env: dict[str, str], question: Path
) -> None:
    _manual_config(cli_env)
    result = run_cli(cli_env, "send", "--demo", "--wav", str(question), "Answer briefly.")
    assert (result.returncode, result.stderr) == (0, "")
    assert "0.9 seconds of audio" in result.stdout  # the mock echoes the turn it heard

    result = run_cli(cli_env, "send", "--demo", "--wav", str(question), "Hi", "--json")
    assert result.returncode == 0
    sent = [event["type"] for direction, event in _events(result.stdout) if direction == "sent"]
    assert sent == [
        "session.update",
        "conversation.item.create",
        *["input_audio_buffer.append"] * 9,
        "input_audio_buffer.commit",
        "response.create",
    ]


def test_a_float_wav_is_heard(cli_env: dict[str, str], tmp_path: Path) -> None:
    _manual_config(cli_env)
    question = _float_wav(tmp_path / "float.wav", SPOKEN)
    result = run_cli(cli_env, "send", "--demo", "--wav", str(question), "Answer briefly.")
    assert (result.returncode, result.stderr) == (0, "")
    assert "0.9 seconds of audio" in result.stdout  # the mock echoes the turn it heard


def test_save_audio_asks_for_a_spoken_reply(cli_env: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "hello.wav"
    result = run_cli(cli_env, "send", "--demo", "hello", "--save-audio", str(out))
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.strip()  # the transcript streamed
    assert duration_ms(read_wav(out)) > 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--wav", "{tmp}/missing.wav"], "missing.wav: no such file."),
        (["--wav", "{tmp}/short.wav"], "short.wav holds only 40 ms of audio; a turn needs at "),
        (["--wav", "{tmp}/empty.wav"], "empty.wav is empty (0 bytes), not a WAV file."),
        (["hi", "--save-audio", "{tmp}/no/such.wav"], "cannot write the audio to {tmp}/no/"),
        (["hi", "--save-audio", "{tmp}"], "cannot write the audio to {tmp}: it is a folder."),
    ],
)
def test_bad_files_end_before_anything_is_sent(
    cli_env: dict[str, str], tmp_path: Path, args: list[str], message: str
) -> None:
    write_wav(tmp_path / "short.wav", tone(440, 40))
    (tmp_path / "empty.wav").touch()
    log = tmp_path / "session.jsonl"
    argv = [arg.replace("{tmp}", str(tmp_path)) for arg in args]
    result = run_cli(cli_env, "send", "--demo", "--log", str(log), *argv)
    assert result.returncode == 2
    assert result.stderr.startswith("rt-tui: " + message.replace("{tmp}", str(tmp_path)))
    assert_one_error_line(result.stderr, result.stderr.removeprefix("rt-tui: ").rstrip("\n"))
    assert not log.exists()  # it never connected


def _wav_48k(path: Path) -> Path:
    """SPOKEN at 48 kHz: every sample twice (what matters is the rate, not the sound)."""
    samples = struct.unpack(f"<{len(SPOKEN) // 2}h", SPOKEN)
    doubled = struct.pack(f"<{2 * len(samples)}h", *(s for s in samples for _ in (0, 1)))
    fmt = struct.pack("<HHIIHH", 1, 1, 48_000, 48_000 * 2, 2, 16)
    body = b"WAVEfmt " + struct.pack("<I", len(fmt)) + fmt
    body += b"data" + struct.pack("<I", len(doubled)) + doubled
    path.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)
    return path


def test_a_48_khz_file_without_soxr_is_sent_with_a_note_on_quality(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    wav = _wav_48k(tmp_path / "48k.wav")
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys\n"
            "sys.modules['soxr'] = None  # as without the 'audio' extra\n"
            "from rt_tui.cli import main\n"
            f"sys.exit(main(['send', '--demo', '--wav', {str(wav)!r}]))\n",
        ],
        env=cli_env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == (
        "rt-tui: note: Audio was resampled without an anti-aliasing filter (soxr is not "
        "installed), so high tones may fold back as noise; pip install 'rt-tui[audio]' for "
        "clean resampling.\n"
    )
    assert result.stdout.strip()  # the reply came


@pytest.mark.skipif(not filtered_resampling(), reason="soxr (the 'audio' extra) is not installed")
def test_a_48_khz_file_with_soxr_is_sent_without_a_note(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    result = run_cli(cli_env, "send", "--demo", "--wav", str(_wav_48k(tmp_path / "48k.wav")))
    assert (result.returncode, result.stderr) == (0, "")
