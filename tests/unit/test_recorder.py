"""Session logs: round trip, redaction, file mode, torn lines and a writer killed mid-stream."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from rt_tui.dialect import Dialect
from rt_tui.realtime.endpoints import Endpoint
from rt_tui.realtime.events import DeltaEvent
from rt_tui.realtime.frames import Direction, Frame
from rt_tui.realtime.recorder import (
    LogError,
    LogRecord,
    SessionRecorder,
    new_session_path,
    read_log,
    read_meta,
    redact_frame_text,
)

KEY = "sk-proj-SuperSecretValue0123456789"


def frame(direction: Direction, t_ms: float, data: str | bytes) -> Frame:
    return Frame(direction, t_ms, 1_700_000_000.0 + t_ms / 1000, data)


def test_round_trip_keeps_order_text_and_binary(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    frames = [
        frame(Direction.RECEIVED, 1.5, '{"type":"session.created","session":{}}'),
        frame(Direction.SENT, 2.25, '{"type":"response.create","event_id":"e1"}'),
        frame(Direction.RECEIVED, 3.0, b"\x00\x01binary\xff"),
        frame(Direction.RECEIVED, 4.0, "not json at all ✓"),
    ]
    with SessionRecorder(path) as recorder:
        for f in frames:
            recorder.write(f)
    records = list(read_log(path))
    assert records == [LogRecord(f.wall_time, f.t_ms, f.direction, f.data) for f in frames]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_meta_line_has_redacted_url_and_dialect_and_no_key(tmp_path: Path) -> None:
    endpoint = Endpoint(
        "wss://res.openai.azure.com/openai/realtime?api-version=v&deployment=d&api-key=" + KEY,
        {"api-key": KEY},
        Dialect.BETA,
    )
    path = tmp_path / "s.jsonl"
    with SessionRecorder(path, endpoint=endpoint) as recorder:
        recorder.write(frame(Direction.RECEIVED, 1, json.dumps({"type": "x", "note": KEY})))
    meta = read_meta(path)
    assert meta is not None
    assert meta["url"].endswith("api-key=***")
    assert meta["dialect"] == "beta"
    assert KEY not in path.read_text()
    assert [r.data for r in read_log(path)] == [json.dumps({"type": "x", "note": "***"})]


def test_the_endpoint_key_is_redacted_from_binary_frames(tmp_path: Path) -> None:
    # An Azure key is not key-shaped: only the endpoint's own list finds it.
    azure_key = "0123456789abcdef0123456789abcdef"
    endpoint = Endpoint("wss://res.openai.azure.com/openai/realtime", {"api-key": azure_key})
    path = tmp_path / "s.jsonl"
    with SessionRecorder(path, endpoint=endpoint) as recorder:
        recorder.write(frame(Direction.RECEIVED, 1, b"\x00" + azure_key.encode() + b"\xff"))
    assert [r.data for r in read_log(path)] == [b"\x00***\xff"]


def test_the_redaction_a_frame_carries_is_written_as_is(tmp_path: Path) -> None:
    # The connection redacts each frame once; the recorder does not scan it again.
    text = json.dumps({"type": "x", "note": "plain"})
    redacted = json.dumps({"type": "x", "note": "***"})
    path = tmp_path / "s.jsonl"
    with SessionRecorder(path) as recorder:
        recorder.write(Frame(Direction.RECEIVED, 1.0, 2.0, text, redacted=redacted))
    assert [r.data for r in read_log(path)] == [redacted]


def test_client_secret_and_key_fields_are_redacted() -> None:
    session = {
        "type": "session.created",
        "session": {
            "model": "gpt-realtime",
            "client_secret": {"value": "ek_abc123secretvalue", "expires_at": 1},
            "api_key": "whatever-the-value",
        },
    }
    redacted = json.loads(redact_frame_text(json.dumps(session)))
    assert redacted["session"]["client_secret"] == {"value": "***", "expires_at": 1}
    assert redacted["session"]["api_key"] == "***"
    assert redacted["session"]["model"] == "gpt-realtime"


def test_frames_without_secrets_are_kept_byte_for_byte() -> None:
    text = '{"type": "response.output_audio.delta",  "delta": "AAAA+/==", "n": 1}'
    assert redact_frame_text(text) is text


def test_key_shaped_text_in_a_user_message_is_redacted() -> None:
    text = json.dumps({"type": "conversation.item.create", "text": f"my key is {KEY}"})
    assert KEY not in redact_frame_text(text)


def test_torn_last_line_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    with SessionRecorder(path) as recorder:
        recorder.write(frame(Direction.RECEIVED, 1, '{"type":"a"}'))
        recorder.write(frame(Direction.RECEIVED, 2, '{"type":"b"}'))
    with path.open("a") as handle:
        handle.write('{"wall_time": 1, "t_ms": 3, "direction": "rece')
    assert [r.data for r in read_log(path)] == ['{"type":"a"}', '{"type":"b"}']


def test_broken_middle_line_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    path.write_text(
        '{"rt_tui": "session"}\nnot json\n{"t_ms": 1, "direction": "sent", "data": ""}\n'
    )
    with pytest.raises(LogError, match=r"^The session log .*s\.jsonl, line 2 is not valid JSON\.$"):
        list(read_log(path))


def test_record_without_fields_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    path.write_text('{"direction": "sideways", "data": "x", "t_ms": 1}\n{}\n')
    with pytest.raises(LogError, match="line 1 lacks a valid direction, data or t_ms field"):
        list(read_log(path))


def test_missing_log_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(LogError, match=r"cannot be read: no such file or directory\.$"):
        list(read_log(tmp_path / "nope.jsonl"))


def test_record_to_frame_parses_the_event_again() -> None:
    data = json.dumps(
        {
            "type": "response.text.delta",
            "response_id": "r",
            "item_id": "i",
            "output_index": 0,
            "content_index": 0,
            "delta": "hi",
        }
    )
    received = LogRecord(1.0, 2.0, Direction.RECEIVED, data).to_frame()
    assert isinstance(received.event, DeltaEvent)
    assert received.event.delta == "hi"
    sent = LogRecord(1.0, 3.0, Direction.SENT, '{"type": "response.create"}').to_frame()
    assert sent.client_event == {"type": "response.create"}
    assert sent.wire_type == "response.create"


def test_new_session_path_is_dated_and_unique(tmp_path: Path) -> None:
    first = new_session_path(tmp_path / "sessions")
    second = new_session_path(tmp_path / "sessions")
    assert first.parent.is_dir()
    assert first != second
    assert first.name.endswith(".jsonl")
    assert first.name[:8] == time.strftime("%Y%m%d")


def test_default_session_dir_follows_the_env_override(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RT_TUI_DATA_DIR", str(tmp_path))
    assert new_session_path().parent == tmp_path / "sessions"


WRITER = textwrap.dedent(
    """
    import os, signal, sys, itertools
    from pathlib import Path
    from rt_tui.realtime.frames import Direction, Frame
    from rt_tui.realtime.recorder import SessionRecorder

    path, mode = Path(sys.argv[1]), sys.argv[2]
    recorder = SessionRecorder(path).open()
    for n in itertools.count():
        text = '{"type": "response.output_text.delta", "n": %d, "delta": "%s"}' % (n, "x" * 500)
        recorder.write(Frame(Direction.RECEIVED, float(n), 0.0, text))
        if mode == "exit" and n == 99:
            os._exit(3)  # no close, no flush at exit: only per-line flushing saves the data
        if mode == "kill" and n == 200:
            print("ready", flush=True)
    """
)


def test_writer_exiting_without_close_loses_nothing(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    result = subprocess.run(
        [sys.executable, "-c", WRITER, str(path), "exit"], timeout=60, check=False
    )
    assert result.returncode == 3
    records = list(read_log(path))
    assert [json.loads(r.data)["n"] for r in records] == list(range(100))


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_writer_killed_mid_stream_leaves_whole_lines(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), "kill"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
        if proc.stdout is not None:
            proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    numbers = [json.loads(r.data)["n"] for r in read_log(path)]
    assert len(numbers) > 200
    assert numbers == list(range(len(numbers)))
    # Every line but possibly a torn last one is a whole JSON object.
    lines = path.read_text().splitlines()
    for line in lines[:-1]:
        json.loads(line)
