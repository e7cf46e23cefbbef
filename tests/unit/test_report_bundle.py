"""The bundle writer on a log recorded here: what each member holds, truncated audio, secrets
the log itself still carried, and the files it refuses to write."""

from __future__ import annotations

import base64
import io
import json
import stat
import wave
import zipfile
from pathlib import Path
from typing import Any

import pytest

from rt_tui.realtime.audio import tone
from rt_tui.realtime.frames import Direction
from rt_tui.realtime.recorder import SessionRecorder
from rt_tui.report.bundle import BundleError, LogError, write_bundle

AZURE_KEY = "0123456789abcdef0123456789abcdef"
ECHOED_KEY = "sk-proj-CANARYechoed0123456789"
SPOKEN = tone(440, 2000)  # 2 s
SHORT = tone(330, 500)


def _record(path: Path, frames: list[tuple[Direction, dict[str, Any]]]) -> Path:
    """A session log of `frames`, written as given (no redaction: a log from an app that
    did not know every secret)."""
    recorder = SessionRecorder(path, url="ws://127.0.0.1:9/v1/realtime?model=m", dialect="ga")
    with recorder:
        for n, (direction, event) in enumerate(frames):
            recorder.append(direction, n * 10.0, 1_700_000_000 + n / 100, json.dumps(event))
    return path


def _audio_frames(response_id: str, item_id: str, pcm: bytes) -> list[dict[str, Any]]:
    item = {"id": item_id, "type": "message", "role": "assistant", "content": []}
    frames: list[dict[str, Any]] = [
        {"type": "response.output_item.added", "response_id": response_id, "item": item}
    ]
    ids = {"response_id": response_id, "item_id": item_id, "output_index": 0, "content_index": 0}
    for start in range(0, len(pcm), 9600):  # 200 ms a delta
        chunk = base64.b64encode(pcm[start : start + 9600]).decode()
        frames.append({"type": "response.output_audio.delta", **ids, "delta": chunk})
    return frames


def _session() -> list[tuple[Direction, dict[str, Any]]]:
    received = Direction.RECEIVED
    user = {
        "id": "u1",
        "type": "message",
        "role": "user",
        "content": [{"type": "input_text", "text": "Tell me a story"}],
    }
    events: list[dict[str, Any]] = [
        {"type": "session.created", "session": {"type": "realtime", "model": "m"}},
        {"type": "conversation.item.added", "item": user},
        *_audio_frames("r1", "a1", SPOKEN),
        {
            "type": "conversation.item.truncated",
            "item_id": "a1",
            "content_index": 0,
            "audio_end_ms": 1200,
        },
        *_audio_frames("r2", "a/2", SHORT),
        {"type": "error", "error": {"message": f"bad key {AZURE_KEY} or {ECHOED_KEY}"}},
    ]
    sent = {"type": "conversation.item.create", "item": user}
    return [(Direction.SENT, sent)] + [(received, event) for event in events]


@pytest.fixture
def log(tmp_path: Path) -> Path:
    return _record(tmp_path / "session.jsonl", _session())


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(f'[profiles.work]\nprovider = "azure"\napi_key = "{AZURE_KEY}"\n')
    return path


def _wav_ms(data: bytes) -> float:
    with wave.open(io.BytesIO(data)) as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 24_000)
        frames: int = wav.getnframes()
        return frames / 24


def test_the_bundle_holds_every_member_and_no_secret(log: Path, config: Path) -> None:
    summary = write_bundle(log, config_path=config, env={})

    assert summary.path == log.with_name("session-bundle.zip")
    assert stat.S_IMODE(summary.path.stat().st_mode) == 0o600
    with zipfile.ZipFile(summary.path) as bundle:
        names = bundle.namelist()
        assert names == [
            "README.txt",
            "session.jsonl",
            "conversation.md",
            "audio/a1.wav",
            "audio/a_2.wav",
            "config.toml",
            "versions.json",
        ]
        assert all(info.external_attr >> 16 == stat.S_IFREG | 0o600 for info in bundle.infolist())
        members = {name: bundle.read(name) for name in names}
    for data in members.values():
        assert AZURE_KEY.encode() not in data
        assert ECHOED_KEY.encode() not in data

    # The log line for line, the one that carried the keys scrubbed.
    copied = members["session.jsonl"].decode().splitlines()
    original = log.read_text().splitlines()
    assert len(copied) == len(original)
    changed = [n for n, (a, b) in enumerate(zip(copied, original, strict=True)) if a != b]
    assert changed == [len(original) - 1]
    assert json.loads(json.loads(copied[-1])["data"])["error"]["message"] == "bad key *** or ***"

    # The truncated reply keeps what was heard; each WAV is linked from the conversation.
    assert _wav_ms(members["audio/a1.wav"]) == 1200
    assert _wav_ms(members["audio/a_2.wav"]) == 500
    assert members["audio/a_2.wav"][44:] == SHORT
    markdown = members["conversation.md"].decode()
    assert "## You\n\nTell me a story" in markdown
    assert "## Assistant · 🔊 1.2 s · [audio](audio/a1.wav)" in markdown
    assert "*(audio cut at 1,200 ms)*" in markdown
    assert "- 0.2 s: error: bad key *** or ***" in markdown

    assert 'api_key = "<redacted>"' in members["config.toml"].decode()
    versions = json.loads(members["versions.json"])
    assert set(versions) == {"rt-tui", "python", "textual", "websockets", "pydantic", "platform"}
    readme = members["README.txt"].decode()
    assert "from the session log session.jsonl" in readme
    assert all(name.split("/")[0] in readme for name in names)

    assert (summary.frames, summary.items, summary.audio_files) == (len(original) - 1, 3, 2)
    assert summary.describe() == (
        "session log (20 frames), conversation (3 items), 2 audio files (1.7 s), config, versions"
    )


def test_a_second_bundle_takes_the_next_free_name_and_never_overwrites(
    log: Path, config: Path, tmp_path: Path
) -> None:
    first = write_bundle(log, config_path=config, env={}).path
    second = write_bundle(log, config_path=config, env={}).path
    assert second == log.with_name("session-bundle-2.zip")
    folder = tmp_path / "reports"
    folder.mkdir()
    assert write_bundle(log, folder, config_path=config, env={}).path == (
        folder / "session-bundle.zip"
    )

    before = first.read_bytes()
    with pytest.raises(BundleError, match="already exists; a bundle never overwrites a file"):
        write_bundle(log, first, config_path=config, env={})
    assert first.read_bytes() == before


def test_a_broken_log_is_one_sentence_and_leaves_no_file(tmp_path: Path, config: Path) -> None:
    log = tmp_path / "broken.jsonl"
    log.write_text('{"rt_tui": "session"}\nnot json\n{"t_ms": 1}\n')
    # No readable frame at all (a broken line alone would be skipped with a note).
    with pytest.raises(LogError, match=r"broken.jsonl holds no readable frame: line 2 is not"):
        write_bundle(log, config_path=config, env={})
    empty = tmp_path / "notes.txt"
    empty.write_text("")
    with pytest.raises(LogError, match=r"notes.txt is not a session log"):
        write_bundle(empty, config_path=config, env={})
    with pytest.raises(LogError, match=r"missing.jsonl cannot be read: no such file"):
        write_bundle(tmp_path / "missing.jsonl", config_path=config, env={})
    assert not list(tmp_path.glob("*.zip"))


def test_a_log_with_only_its_meta_line_still_bundles(tmp_path: Path, config: Path) -> None:
    log = _record(tmp_path / "refused.jsonl", [])
    summary = write_bundle(log, config_path=config, env={})
    with zipfile.ZipFile(summary.path) as bundle:
        assert "*(no conversation items)*" in bundle.read("conversation.md").decode()
        assert bundle.read("session.jsonl") == log.read_bytes()
