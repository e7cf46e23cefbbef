"""Session logs: round trip, redaction, file mode, torn lines and a writer killed mid-stream."""

from __future__ import annotations

import asyncio
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
from hypothesis import given, settings
from hypothesis import strategies as st
from websockets.asyncio.server import ServerConnection, serve

from rt_tui.dialect import Dialect
from rt_tui.realtime.connection import Connection, ConnectionDropped
from rt_tui.realtime.endpoints import Endpoint, endpoint_for_url
from rt_tui.realtime.frames import Direction, Frame, LogSpan
from rt_tui.realtime.recorder import (
    LogError,
    LogRecord,
    SessionRecorder,
    flush_log,
    log_line,
    new_session_path,
    read_log,
    read_meta,
    redact_frame_text,
)
from rt_tui.realtime.response_events import DeltaEvent
from rt_tui.realtime.session_events import ErrorEvent
from rt_tui.realtime.session_log import LogFile, SkippedLine, read_record

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


def test_a_key_in_a_log_from_elsewhere_is_redacted_when_read_back(tmp_path: Path) -> None:
    """A log rt-tui did not write (an older version, a hand-made file) may hold a key: the
    frame read back has none, and no longer points at its line, which still has it."""
    path = tmp_path / "old.jsonl"
    data = json.dumps({"type": "error", "error": {"message": f"bad key\n{KEY}"}})
    path.write_text(log_line(1.0, 2.0, Direction.RECEIVED, data) + "\n")
    [frame] = LogFile(path).frames()
    assert isinstance(frame.event, ErrorEvent)
    assert frame.event.error.message == "bad key\n***"
    assert frame.redacted is not None
    assert KEY not in frame.redacted
    assert frame.log_span is None
    clean = LogRecord(1.0, 3.0, Direction.RECEIVED, '{"type": "x"}')
    assert clean.to_frame().redacted is clean.data


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
            sys.exit(3)  # a normal exit without close: the lines still waiting are written
        if mode == "kill" and n == 200:
            recorder.flush()
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


# --- buffered writing -----------------------------------------------------------------


def delta(n: int) -> Frame:
    return frame(Direction.RECEIVED, float(n), json.dumps({"type": "x.delta", "n": n}))


async def test_lines_wait_in_memory_and_reach_the_file_on_the_timer(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    recorder = SessionRecorder(path).open()
    meta_only = path.stat().st_size
    spans = [recorder.write(delta(n)) for n in range(100)]
    # No write per frame: until the loop runs the timer, the file holds the meta line only.
    assert path.stat().st_size == meta_only
    async with asyncio.timeout(5):
        while path.stat().st_size == meta_only:  # noqa: ASYNC110 - waiting on the file
            await asyncio.sleep(0.01)
    assert [json.loads(r.data)["n"] for r in read_log(path)] == list(range(100))
    assert all(span is not None for span in spans)
    recorder.close()


def test_flush_log_writes_out_what_the_recorder_of_that_file_holds(tmp_path: Path) -> None:
    path, other = tmp_path / "s.jsonl", tmp_path / "other.jsonl"
    recorder, bystander = SessionRecorder(path).open(), SessionRecorder(other).open()
    recorder.write(delta(1))
    bystander.write(delta(2))
    assert list(read_log(path)) == []  # no loop runs the timer: the line waits in memory

    flush_log(path)

    assert [json.loads(r.data)["n"] for r in read_log(path)] == [1]
    assert list(read_log(other)) == []  # another session's log is not touched
    flush_log(tmp_path / "nobody-writes-this.jsonl")  # no recorder: nothing to do
    recorder.close()
    bystander.close()


def test_a_span_reads_its_line_back_before_and_after_the_write(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    recorder = SessionRecorder(path).open()
    first, second = recorder.write(delta(1)), recorder.write(delta(2))
    assert first is not None
    assert second is not None
    assert read_record(second).data == delta(2).data  # still in memory
    recorder.flush()
    assert read_record(first).data == delta(1).data  # from the file
    recorder.close()
    assert read_record(second).data == delta(2).data  # from the closed file, by path
    raw = path.read_bytes()
    assert raw[second.offset : second.offset + second.length] == recorder.read_span(
        second.offset, second.length
    )


def test_a_log_that_cannot_be_opened_is_reported_once(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file-not-a-folder"
    blocker.write_text("")
    told: list[str] = []
    recorder = SessionRecorder(blocker / "s.jsonl", on_failure=told.append)
    assert recorder.record(delta(1)) is None
    assert recorder.record(delta(2)) is None
    assert told == ["file exists"]
    assert recorder.failure == "file exists"


async def test_a_dropped_session_has_every_frame_in_its_log(tmp_path: Path) -> None:
    async def script(ws: ServerConnection) -> None:
        await ws.send(json.dumps({"type": "session.created", "session": {}}))
        for n in range(50):
            await ws.send(json.dumps({"type": "response.output_text.delta", "n": n}))
        ws.transport.abort()

    path = tmp_path / "s.jsonl"
    recorder = SessionRecorder(path)
    async with serve(script, "127.0.0.1", 0) as server:
        port = server.sockets[0].getsockname()[1]
        endpoint = endpoint_for_url(f"ws://127.0.0.1:{port}/v1/realtime?model=m")
        connection = Connection(endpoint, recorder=recorder, buffer_received=False)
        await connection.open()
        assert isinstance(await connection.wait_closed(), ConnectionDropped)
    # Not closed yet: the end of the socket already put every frame on disk.
    assert not recorder.closed
    numbers = [json.loads(r.data).get("n") for r in read_log(path)]
    assert numbers == [None, *range(50)]
    recorder.close()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(value=json_values, ascii_only=st.booleans(), indent=st.sampled_from([None, 1, "\t"]))
def test_a_json_frame_is_logged_as_json_dumps_would(
    value: object, ascii_only: bool, indent: int | str | None
) -> None:
    text = json.dumps(value, ensure_ascii=ascii_only, indent=indent)
    # Times in fixed decimals; from the direction on, the very text json.dumps makes.
    head = '{"wall_time": 1.500000, "t_ms": 2.250, '
    rest = json.dumps({"direction": "received", "data": text}, ensure_ascii=False)[1:]
    assert log_line(1.5, 2.25, Direction.RECEIVED, text, json_text=True) == head + rest
    assert log_line(1.5, 2.25, Direction.RECEIVED, text) == head + rest


async def test_a_frame_with_raw_control_characters_is_logged_readably(tmp_path: Path) -> None:
    # Not JSON (a raw control character in a string): the log must still read back exactly.
    odd = '{"type": "x", "note": "a\x01b\x1bc"}'

    async def script(ws: ServerConnection) -> None:
        await ws.send(odd)
        await ws.close()

    path = tmp_path / "s.jsonl"
    with SessionRecorder(path) as recorder:
        async with serve(script, "127.0.0.1", 0) as server:
            port = server.sockets[0].getsockname()[1]
            endpoint = endpoint_for_url(f"ws://127.0.0.1:{port}/v1/realtime?model=m")
            connection = Connection(endpoint, recorder=recorder, buffer_received=False)
            await connection.open()
            await connection.wait_closed()
    assert [r.data for r in read_log(path)] == [odd]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("not json", "is not valid JSON"),
        ("[1, 2]", "is not a JSON object"),
        # Too big for a float: raised OverflowError (a traceback) before.
        ('{"t_ms": 1' + "0" * 400 + ', "direction": "sent", "data": "x"}', "lacks a valid"),
        ('{"t_ms": 1e999, "direction": "sent", "data": "x"}', "not a finite number"),
        # Not ASCII, so not base64: raised ValueError (a traceback) before.
        ('{"t_ms": 1, "direction": "sent", "data": "\\u00e9t\\u00e9", "binary": true}', "base64"),
    ],
)
def test_a_broken_middle_line_is_skipped_and_reported_when_asked(
    tmp_path: Path, line: str, reason: str
) -> None:
    path = tmp_path / "s.jsonl"
    good = '{"t_ms": %d, "direction": "received", "data": "{\\"n\\": %d}"}'
    path.write_text(f"{good % (1, 1)}\n{line}\n{good % (2, 2)}\n", encoding="utf-8")

    with pytest.raises(LogError, match=rf"s\.jsonl, line 2 .*{reason}"):
        list(read_log(path))  # strict by default: one sentence, no traceback

    skipped: list[SkippedLine] = []
    records = [record for record, _span in LogFile(path).records(skipped.append)]
    assert [json.loads(r.data)["n"] for r in records] == [1, 2]
    [note] = skipped
    assert note.number == 2
    assert note.describe().startswith("Skipped line 2 of s.jsonl: it ")
    assert reason in note.describe()


def test_times_are_logged_to_the_microsecond_and_millisecond() -> None:
    line = json.loads(log_line(1732400000.1234567, 1234.5678912, Direction.SENT, "x"))
    assert (line["wall_time"], line["t_ms"]) == (1732400000.123457, 1234.568)
    # A clock that returns nonsense still gives a line, not an exception.
    assert '"t_ms": nan' in log_line(1.0, float("nan"), Direction.SENT, "x")


@settings(max_examples=100, deadline=None)
@given(value=json_values, binary=st.binary(max_size=64), as_binary=st.booleans())
def test_the_recorder_writes_the_line_log_line_makes(
    tmp_path_factory: pytest.TempPathFactory, value: object, binary: bytes, as_binary: bool
) -> None:
    data: str | bytes = binary if as_binary else json.dumps(value, ensure_ascii=False)
    path = tmp_path_factory.mktemp("log") / "s.jsonl"
    with SessionRecorder(path) as recorder:
        span = recorder.append(Direction.RECEIVED, 2.5, 3.5, data, json_text=not as_binary)
        assert span is not None
        written = recorder.read_span(span.offset, span.length)
    expected = log_line(3.5, 2.5, Direction.RECEIVED, data, json_text=not as_binary)
    assert written.decode() == expected
    [record] = read_log(path)
    assert record.data == data


@settings(max_examples=50, deadline=None)
@given(
    stamps=st.lists(
        st.tuples(
            st.sampled_from(list(Direction)), st.sampled_from([0.0, 1.5, 2.0]), st.booleans()
        ),
        min_size=1,
        max_size=12,
    )
)
def test_frames_stamped_alike_or_not_each_keep_their_own_times_and_direction(
    tmp_path_factory: pytest.TempPathFactory, stamps: list[tuple[Direction, float, bool]]
) -> None:
    # The recorder reuses a line's head while the stamp repeats (the frames of one socket
    # read): any change of time, wall time or direction must show in the next line.
    path = tmp_path_factory.mktemp("log") / "s.jsonl"
    expected = []
    with SessionRecorder(path) as recorder:
        for n, (direction, t_ms, later_wall) in enumerate(stamps):
            wall_time = 1_700_000_000.25 + later_wall
            data = json.dumps({"type": "x", "n": n})
            recorder.append(direction, t_ms, wall_time, data, json_text=True)
            expected.append(LogRecord(wall_time, t_ms, direction, data))
    assert list(read_log(path)) == expected


@settings(max_examples=30, deadline=None)
@given(
    sizes=st.lists(st.sampled_from([10, 3000, 70_000, 600_000]), min_size=1, max_size=12),
    flushes=st.sets(st.integers(0, 11)),
)
def test_spans_read_back_while_the_buffer_is_reused(
    tmp_path_factory: pytest.TempPathFactory, sizes: list[int], flushes: set[int]
) -> None:
    path = tmp_path_factory.mktemp("log") / "s.jsonl"
    written: list[tuple[str, LogSpan]] = []
    with SessionRecorder(path) as recorder:
        for n, size in enumerate(sizes):
            data = json.dumps({"type": "x", "n": n, "pad": "p" * size})
            span = recorder.append(Direction.RECEIVED, float(n), 1.0, data, json_text=True)
            assert span is not None
            written.append((data, span))
            if n in flushes:
                recorder.flush()
            # Every line so far, whether it waits in the buffer, straddles it or is on disk.
            for earlier, at in written:
                line = json.loads(recorder.read_span(at.offset, at.length))
                assert line["data"] == earlier
    assert [r.data for r in read_log(path)] == [data for data, _ in written]
