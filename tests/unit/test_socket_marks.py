"""Socket marks: written in the log between sockets, read back in place, shown as a row
of the inspector that every filter keeps, exported and replayed again; logs from before
marks still read as they did."""

from __future__ import annotations

import io
import json
from pathlib import Path

from rt_tui.dialect import Dialect
from rt_tui.inspector import samples
from rt_tui.inspector.filtering import DirectionFilter, FrameFilter
from rt_tui.inspector.logs import check_log, load_store
from rt_tui.realtime.conversation import Conversation
from rt_tui.realtime.endpoints import Endpoint
from rt_tui.realtime.frames import Direction, Frame
from rt_tui.realtime.recorder import SessionRecorder
from rt_tui.realtime.reseed import take_over
from rt_tui.realtime.session_log import META_MARK, LogFile, SkippedLine
from rt_tui.realtime.socket_mark import DROPPED, FRESH, SocketMark
from rt_tui.replay import write_json, write_rows

KEY = "sk-proj-SuperSecretValue0123456789"
MARK = SocketMark(
    5012.5,
    1_700_000_005.0,
    2,
    cause=DROPPED,
    reason="The connection dropped without a close frame.",
    gap_ms=3210.0,
    reseeded=("item_u1",),
    queued=2,
    url="wss://api.openai.com/v1/realtime?model=m",
    dialect="ga",
)


def text(t_ms: float, data: str, direction: Direction = Direction.RECEIVED) -> Frame:
    return Frame(direction, t_ms, 1_700_000_000.0 + t_ms / 1000, data)


def log_with_a_mark(path: Path) -> None:
    with SessionRecorder(path) as recorder:
        recorder.write(text(1.0, '{"type": "session.created", "session": {}}'))
        recorder.write(samples.text_delta("Hel", 2))
        recorder.mark_socket(MARK)
        recorder.write(text(5013.0, '{"type": "session.created", "session": {}}'))
        recorder.write(samples.text_delta("lo", 5014))


def test_a_mark_goes_to_the_log_as_written_and_reads_back_in_place(tmp_path: Path) -> None:
    log = tmp_path / "s.jsonl"
    log_with_a_mark(log)
    kinds = [e if isinstance(e, SocketMark) else e[0].direction for e in LogFile(log).entries()]
    received = Direction.RECEIVED
    assert kinds == [received, received, MARK, received, received]
    line = log.read_text().splitlines()[3]
    assert json.loads(line)[META_MARK] == "socket"
    # Readers of frames alone see no difference.
    assert len(list(LogFile(log).records())) == 4
    assert check_log(log).frame_count == 4


def test_a_log_with_no_frame_yet_gets_no_mark(tmp_path: Path) -> None:
    log = tmp_path / "s.jsonl"
    recorder = SessionRecorder(log)
    recorder.mark_socket(MARK)  # the first socket of a log needs none
    recorder.close()
    assert not log.exists()


def test_a_mark_holds_no_secret_the_recorder_knows(tmp_path: Path) -> None:
    log = tmp_path / "s.jsonl"
    recorder = SessionRecorder(log)
    recorder.use_endpoint(
        Endpoint("wss://example.test/openai/realtime", {"api-key": "plainsecret"})
    )
    recorder.write(text(1.0, '{"type": "x"}'))
    leaky = SocketMark(2.0, 0.0, 2, reason=f"Closed: plainsecret and {KEY}.")
    recorder.mark_socket(leaky)
    recorder.close()
    written = log.read_text()
    assert "plainsecret" not in written
    assert KEY not in written
    assert "Closed: *** and ***." in written


def test_a_broken_mark_is_skipped_like_a_broken_frame(tmp_path: Path) -> None:
    log = tmp_path / "s.jsonl"
    log.write_text(
        '{"rt_tui": "session", "version": 1}\n'
        '{"rt_tui": "socket", "socket": 2}\n'
        '{"wall_time": 1.0, "t_ms": 1.0, "direction": "received", "data": "{}"}\n'
    )
    skipped: list[SkippedLine] = []
    entries = list(LogFile(log).entries(skipped.append))
    assert len(entries) == 1
    assert skipped[0].describe() == (
        "Skipped line 2 of s.jsonl: it is a socket mark without a valid t_ms."
    )


def test_the_inspector_shows_a_mark_whatever_the_filter_and_exports_it(tmp_path: Path) -> None:
    log = tmp_path / "s.jsonl"
    log_with_a_mark(log)
    store = load_store(log, fold=True)
    assert (len(store), store.frame_count) == (5, 4)
    rows = [store.row(r) for r in range(store.row_count)]
    # The mark ends the run of deltas: two folded groups are not joined across sockets.
    assert [(r.arrow, r.wire_type) for r in rows] == [
        ("←", "session.created"),
        ("←", "response.output_text.delta"),
        ("↻", "(new socket)"),
        ("←", "session.created"),
        ("←", "response.output_text.delta"),
    ]
    assert rows[2].summary == (
        "socket 2 · after a drop · down 3.2 s · 1 item re-sent · 2 queued events sent"
    )
    store.set_filter(FrameFilter("nothing-matches", DirectionFilter.SENT))
    assert [store.row(r).wire_type for r in range(store.row_count)] == ["(new socket)"]
    store.set_filter(FrameFilter())

    out = io.StringIO()
    write_json(store, out)
    again = tmp_path / "again.jsonl"
    again.write_text(out.getvalue())
    assert [e for e in LogFile(again).entries() if isinstance(e, SocketMark)] == [MARK]
    printed = io.StringIO()
    write_rows(store, printed)
    assert "↻   (new socket)" in printed.getvalue()
    store.close()


def test_a_mark_cuts_off_what_streamed_and_keeps_the_reseeded_echo_out() -> None:
    conversation = Conversation()
    for frame in [
        samples.received(
            {"type": "response.created", "response": {"id": "r1", "status": "in_progress"}}
        ),
        samples.received(
            {
                "type": "conversation.item.added",
                "item": {
                    "id": "item_u1",
                    "type": "message",
                    "role": "user",
                    "status": "completed",
                    "content": [{"type": "input_text", "text": "hello"}],
                },
            }
        ),
    ]:
        conversation.apply(frame)
    take_over(conversation, SocketMark(1.0, 0.0, 2, cause=FRESH, reseeded=("item_u1",)))
    assert conversation.responses["r1"].status_reason == "interrupted"
    echo = {
        "type": "conversation.item.added",
        "item": {
            "id": "item_u1",
            "type": "message",
            "role": "user",
            "status": "completed",
            "content": [{"type": "input_text", "text": "re-sent as text"}],
        },
    }
    assert not conversation.apply(samples.received(echo))
    assert conversation.items[0].text == "hello"


def test_a_mark_line_round_trips() -> None:
    decoded = json.loads(MARK.to_json(META_MARK))
    assert decoded["socket"] == 2
    assert SocketMark.from_json(decoded) == MARK
    assert Dialect(decoded["dialect"]) is Dialect.GA
