"""The inspector's frame store: summaries, folding, filtering, detail, export, memory."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from rt_tui import paths
from rt_tui.inspector import samples
from rt_tui.inspector.detail import audio_placeholder, pretty_frame, row_detail
from rt_tui.inspector.export import Export, export_path, row_text, write_jsonl
from rt_tui.inspector.filtering import DirectionFilter, FrameFilter, parse_query
from rt_tui.inspector.logs import load_store
from rt_tui.inspector.store import FrameStore
from rt_tui.inspector.summary import base64_decoded_size, server_summary
from rt_tui.realtime.event_registry import ServerEvent
from rt_tui.realtime.events import parse_server_frame
from rt_tui.realtime.frames import Direction, Frame
from rt_tui.realtime.recorder import SessionRecorder, read_log

EXAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "realtime-examples"


def summaries(store: FrameStore) -> list[str]:
    return [store.row(r).summary for r in range(store.row_count)]


def types(store: FrameStore) -> list[str]:
    return [store.row(r).wire_type for r in range(store.row_count)]


def text_run() -> list[Frame]:
    return [
        samples.text_delta("Hel", 1),
        samples.text_delta("lo", 2),
        samples.text_delta("!", 3),
        samples.received({"type": "response.output_text.done", "text": "Hello!"}, 4),
    ]


# -- audio arithmetic -----------------------------------------------------------------


@pytest.mark.parametrize("size", [0, 1, 2, 3, 4, 47, 48, 4800, 4801, 4802])
def test_base64_size_is_worked_out_without_decoding(size: int) -> None:
    assert base64_decoded_size(samples.pcm_base64(size)) == size


def test_audio_placeholder_gives_bytes_and_ms() -> None:
    assert audio_placeholder(samples.pcm_base64(4800)) == "<4800 bytes, 100 ms base64 audio>"


# -- summaries ------------------------------------------------------------------------


def test_summaries_of_common_frames() -> None:
    store = FrameStore(fold=False)
    store.append(samples.audio_delta(4800))
    store.append(samples.audio_append(960))
    store.append(samples.error_frame("invalid_event", "The 'type' field is missing."))
    store.append(
        samples.received(
            {
                "type": "response.done",
                "response": {
                    "id": "resp_9",
                    "status": "cancelled",
                    "status_details": {"reason": "turn_detected"},
                    "usage": {
                        "input_tokens": 10,
                        "output_tokens": 2,
                        "input_token_details": {"cached_tokens": 4},
                    },
                },
            }
        )
    )
    store.append(
        samples.received(
            {
                "type": "conversation.item.added",
                "item": {
                    "id": "i",
                    "type": "message",
                    "role": "user",
                    "status": "completed",
                    "content": [{"type": "input_text", "text": "hi there"}],
                },
            }
        )
    )
    store.append(samples.received(b"\x00\x01"))
    store.append(samples.received("not json"))
    got = summaries(store)
    assert got[0] == "4800 B · 100 ms"
    assert got[1] == "960 B · 20 ms"
    assert got[2] == "invalid_event: The 'type' field is missing."
    assert got[3] == "resp_9 · cancelled · turn_detected · in 10 (cached 4) · out 2"
    assert got[4] == 'user message · completed · "hi there"'
    assert got[5] == "binary frame, 2 bytes"
    assert got[6] == "malformed: The frame is not valid JSON."
    assert types(store)[5:] == ["(binary)", "(malformed)"]
    assert [store.row(r).is_error for r in range(7)] == [
        False,
        False,
        True,
        False,
        False,
        True,
        True,
    ]


@dataclass(frozen=True, slots=True)
class _NewEvent(ServerEvent):
    """A server event type with no summary of its own in `inspector.summary`."""

    response_id: str
    item_id: str | None
    audio_end_ms: int


def test_an_event_type_without_a_summary_shows_its_declared_text_fields() -> None:
    new = _NewEvent("x.new", "x.new", {}, response_id="resp_1", item_id="item_1", audio_end_ms=5)
    assert server_summary(new) == "resp_1 · item_1"
    assert server_summary(replace(new, item_id=None, response_id="")) == ""
    deleted = parse_server_frame('{"type": "conversation.item.deleted", "item_id": "item_3"}')
    assert server_summary(deleted) == "item_3"
    created = parse_server_frame('{"type": "conversation.created", "conversation": {"id": "c1"}}')
    assert server_summary(created) == "c1"
    assert server_summary(parse_server_frame('{"type": "output_audio_buffer.started"}')) == ""


def test_session_summary_names_the_key_settings_in_both_dialects() -> None:
    lines = (EXAMPLES / "server_event_examples.jsonl").read_text().splitlines()
    created = [json.loads(line) for line in lines if '"session.created"' in line]
    store = FrameStore()
    for payload in created:
        store.append(samples.received(payload))
    ga, beta = summaries(store)
    assert "gpt-realtime-2025-08-28" in ga
    assert "voice marin" in ga
    assert "turn server_vad" in ga
    assert "text+audio" in beta


def test_every_spec_example_gets_a_row_and_a_detail() -> None:
    store = FrameStore(fold=False)
    for name, direction in (("server", Direction.RECEIVED), ("client", Direction.SENT)):
        for line in (EXAMPLES / f"{name}_event_examples.jsonl").read_text().splitlines():
            payload = json.loads(line)
            if direction is Direction.RECEIVED:
                store.append(samples.received(payload))
            else:
                store.append(samples.sent(payload))
    assert store.row_count == len(store) == 44
    for r in range(store.row_count):
        detail = row_detail(store, r)
        assert json.loads(detail.body)["type"] == store.row(r).wire_type


# -- folding --------------------------------------------------------------------------


def test_consecutive_text_deltas_fold_into_one_row_with_the_text_so_far() -> None:
    store = FrameStore()
    for frame in text_run():
        store.append(frame)
    assert store.row_count == 2
    row = store.row(0)
    assert (row.fold, row.count, row.summary) == ("folded", 3, "Hello!")
    assert store.row(1).wire_type == "response.output_text.done"


def test_interleaved_audio_and_transcript_deltas_fold_into_one_row_each() -> None:
    store = FrameStore()
    for k in range(6):
        store.append(samples.audio_delta(4800, 2 * k))
        store.append(samples.transcript_delta(f"w{k} ", 2 * k + 1))
    assert types(store) == [
        "response.output_audio.delta",
        "response.output_audio_transcript.delta",
    ]
    assert summaries(store) == ["6 chunks · 28800 B · 600 ms", "w0 w1 w2 w3 w4 w5 "]


def test_another_frame_between_deltas_starts_a_new_group() -> None:
    store = FrameStore()
    store.append(samples.text_delta("a", 1))
    store.append(samples.text_delta("b", 2))
    store.append(samples.error_frame("x", "y", 3))
    store.append(samples.text_delta("c", 4))
    store.append(samples.text_delta("d", 5, item_id="item_2"))
    assert summaries(store) == ["ab", "x: y", "c", "d"]


def test_sent_audio_appends_fold_together() -> None:
    store = FrameStore()
    for k in range(5):
        store.append(samples.audio_append(960, k))
    assert store.row_count == 1
    assert store.row(0).summary == "5 chunks · 4800 B · 100 ms"


def test_unfolding_one_group_and_folding_it_back() -> None:
    store = FrameStore()
    for frame in text_run():
        store.append(frame)
    keep = store.toggle_fold(0)
    assert keep == 0
    assert [store.row(r).fold for r in range(store.row_count)] == ["open", "member", "member", ""]
    assert summaries(store)[:3] == ["Hel", "lo", "!"]
    # A new delta of an unfolded group gets its own row.
    store.toggle_fold(2)
    assert store.row_count == 2
    assert store.row(0).count == 3


def test_global_fold_toggle() -> None:
    store = FrameStore()
    for frame in text_run():
        store.append(frame)
    store.set_fold_all(False)
    assert store.row_count == 4
    store.set_fold_all(True)
    assert store.row_count == 2


def test_folded_group_grows_in_place() -> None:
    store = FrameStore()
    store.append(samples.text_delta("a", 1))
    store.append(samples.text_delta("b", 2))
    assert store.row_count == 1
    store.append(samples.text_delta("c", 3))
    assert store.row_count == 1
    assert store.row(0).summary == "abc"


# -- filtering ------------------------------------------------------------------------


def test_parse_query_splits_patterns_from_text() -> None:
    patterns, text = parse_query('response.* !*.delta, error "two words" hello')
    assert [(p.pattern, p.exclude) for p in patterns] == [
        ("response.*", False),
        ("*.delta", True),
        ("error", False),
    ]
    assert text == "two words hello"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("response.*", ["response.output_text.delta", "response.output_text.done"]),
        ("response.* !*.delta", ["response.output_text.done"]),
        ("!response", ["session.update", "error"]),
        ("session", ["session.update"]),
        ("RESPONSE.OUTPUT_TEXT.DONE", ["response.output_text.done"]),
        ("missing", ["error"]),
        ("*.delta,error", ["response.output_text.delta", "error"]),
    ],
)
def test_type_patterns_and_text(query: str, expected: list[str]) -> None:
    store = FrameStore()
    store.append(samples.sent({"type": "session.update", "session": {}}, 0))
    for frame in text_run():
        store.append(frame)
    store.append(samples.error_frame("invalid_event", "The type is missing", 5))
    store.set_filter(FrameFilter(query))
    assert types(store) == expected


def test_patterns_match_the_ga_name_of_beta_events() -> None:
    store = FrameStore()
    store.append(samples.received({"type": "response.text.delta", "item_id": "i", "delta": "x"}))
    store.set_filter(FrameFilter("response.output_text.*"))
    assert types(store) == ["response.text.delta"]


def test_direction_and_errors_only() -> None:
    store = FrameStore()
    store.append(samples.sent({"type": "response.create"}, 0))
    store.append(samples.error_frame("c", "m", 1))
    store.append(samples.text_delta("x", 2))
    store.set_filter(FrameFilter(direction=DirectionFilter.SENT))
    assert types(store) == ["response.create"]
    store.set_filter(FrameFilter(direction=DirectionFilter.RECEIVED))
    assert types(store) == ["error", "response.output_text.delta"]
    store.set_filter(FrameFilter(errors_only=True))
    assert types(store) == ["error"]
    assert DirectionFilter.ALL.next().next().next() is DirectionFilter.ALL


def test_filter_is_kept_up_to_date_as_frames_arrive() -> None:
    store = FrameStore()
    store.set_filter(FrameFilter("error"))
    store.append(samples.text_delta("x", 1))
    assert store.row_count == 0
    store.append(samples.error_frame("c", "m", 2))
    assert types(store) == ["error"]


def test_text_filter_shows_a_folded_group_once_a_member_matches() -> None:
    store = FrameStore()
    store.set_filter(FrameFilter("needle"))
    store.append(samples.error_frame("c", "m", 0))
    store.append(samples.text_delta("hay", 1))
    assert store.row_count == 0
    store.append(samples.text_delta("needle", 2))
    assert store.row_count == 1
    assert store.row(0).summary == "hayneedle"
    assert list(store.rows_of_view()) == [2]


def test_row_of_frame_finds_the_folded_group_row() -> None:
    store = FrameStore()
    store.append(samples.error_frame("c", "m", 0))
    for frame in text_run():
        store.append(frame)
    assert store.row_of_frame(3) == 1
    assert store.row_of_frame(4) == 2


# -- detail, export -------------------------------------------------------------------


def test_detail_of_audio_frame_is_shortened_but_text_is_full() -> None:
    store = FrameStore()
    frame = samples.audio_delta(4800)
    store.append(frame)
    detail = row_detail(store, 0)
    assert json.loads(detail.body)["delta"] == "<4800 bytes, 100 ms base64 audio>"
    assert store.frame_text(0) == frame.data


def test_detail_of_non_json_and_binary() -> None:
    assert pretty_frame("{oops").language == "text"
    assert pretty_frame(b"\x01\x02").body == "01 02"


def test_export_writes_full_frames_in_the_session_log_format(tmp_path: Path) -> None:
    store = FrameStore()
    frames = [samples.audio_delta(4800, 1), samples.text_delta("hi", 2), samples.received(b"\xff")]
    for frame in frames:
        store.append(frame)
    path = export_path(tmp_path, filtered=False, now=0)
    assert write_jsonl(store, range(len(store)), path) == 3
    records = list(read_log(path))
    assert [r.data for r in records] == [f.data for f in frames]
    assert [r.t_ms for r in records] == [1, 2, 0]
    assert records[0].direction is Direction.RECEIVED
    assert json.loads(path.read_text().splitlines()[-1])["binary"] is True
    assert (path.stat().st_mode & 0o777) == 0o600
    assert export_path(tmp_path, filtered=False, now=0) != path


def test_row_text_is_the_wire_text_of_the_row() -> None:
    store = FrameStore()
    frames = [*text_run(), samples.received(b"\x01\x02")]
    for frame in frames:
        store.append(frame)
    # A folded group gives each of its frames, one a line; a binary frame its base64.
    assert row_text(store, 0) == "\n".join(str(f.data) for f in frames[:3])
    assert row_text(store, 1) == frames[3].data
    assert row_text(store, 2) == "AQI="
    store.toggle_fold(0)
    assert row_text(store, 0) == frames[0].data  # unfolded: the first frame alone


def test_an_export_plan_of_the_view_or_of_every_frame(tmp_path: Path) -> None:
    store = FrameStore()
    assert Export.plan(store, tmp_path, filtered=False) is None  # nothing to export
    frames = [*text_run(), samples.audio_delta(4800, 5)]
    for frame in frames:
        store.append(frame)
    # No filter on: the view is every frame, and the file says so.
    whole = Export.plan(store, tmp_path, filtered=True, now=0)
    assert whole is not None
    assert (list(whole.indices), whole.description) == ([0, 1, 2, 3, 4], "")
    assert whole.path.name.endswith("-all.jsonl")
    assert whole.write() == 5
    assert whole.done_message(5) == f"Exported all 5 frames to {whole.path}"

    store.set_filter(FrameFilter("*audio*"))
    view = Export.plan(store, tmp_path, filtered=True, now=0)
    assert view is not None
    assert (list(view.indices), view.description) == ([4], "*audio*")
    assert view.path.name.endswith("-filtered.jsonl")
    assert view.done_message(1) == f"Exported 1 of 5 frames (filter: *audio*) to {view.path}"
    everything = Export.plan(store, tmp_path, filtered=False, now=0)
    assert everything is not None
    assert len(everything.indices) == 5
    assert everything.path != whole.path  # an export never overwrites another


def test_a_secret_in_a_frame_never_reaches_rows_detail_or_export(tmp_path: Path) -> None:
    secret = "ek_abcdefghijklmnopqrstuvwxyz012345"
    store = FrameStore()
    store.append(
        samples.received(
            {
                "type": "session.created",
                "session": {"model": "m", "client_secret": {"value": secret, "expires_at": 1}},
            }
        )
    )
    path = tmp_path / "out.jsonl"
    write_jsonl(store, [0], path)
    shown = [store.row(0).summary, row_detail(store, 0).body, str(store.frame_text(0))]
    assert all(secret not in text for text in shown)
    assert secret not in path.read_text()
    assert "***" in row_detail(store, 0).body


# -- big payloads on disk once ----------------------------------------------------------


def recorded(path: Path, frames: list[Frame]) -> list[Frame]:
    """`frames` as a connection with a recorder hands them on: redacted, with their spans."""
    recorder = SessionRecorder(path)
    out = []
    for frame in frames:
        redacted = frame.data
        span = recorder.append(frame.direction, frame.t_ms, frame.wall_time, redacted)
        out.append(replace(frame, redacted=redacted, log_span=span))
    recorder.close()
    return out


def corrupt_audio_in_place(path: Path) -> None:
    """Change the log's audio bytes without moving anything: a store that reads them back
    from the log shows the change, one holding its own copy does not."""
    raw = path.read_bytes()
    path.write_bytes(raw.replace(b"AAAA", b"BBBB"))


def test_a_recorded_audio_frame_is_read_back_from_its_log(tmp_path: Path) -> None:
    log = tmp_path / "s.jsonl"
    audio, text = recorded(log, [samples.audio_delta(4800, 1), samples.text_delta("hi", 2)])
    store = FrameStore()
    store.append(audio)
    store.append(text)
    assert store.frame_text(0) == audio.data
    assert store.memory_bytes() < 1000  # no copy of the 6.4 kB payload
    corrupt_audio_in_place(log)
    assert "BBBB" in str(store.frame_text(0))
    assert store.frame_text(1) == text.data  # small frames stay in memory
    assert not paths.cache_dir().exists()  # and nothing was spilled


def test_a_replayed_log_is_referenced_not_copied(tmp_path: Path) -> None:
    log = tmp_path / "s.jsonl"
    frames = [samples.audio_delta(4800, 1), samples.received(b"\x00\x01"), samples.text_delta("x")]
    with SessionRecorder(log) as recorder:
        for frame in frames:
            recorder.write(frame)
    store = load_store(log, fold=False)
    assert [store.frame_text(i) for i in range(3)] == [f.data for f in frames]
    corrupt_audio_in_place(log)
    assert "BBBB" in str(store.frame_text(0))
    assert not paths.cache_dir().exists()
    store.close()


def test_frames_no_log_holds_spill_to_the_cache_folder() -> None:
    store = FrameStore()
    audio = samples.audio_delta(4800)
    store.append(audio)
    assert paths.cache_dir().is_dir()
    assert store.frame_text(0) == audio.data
    store.close()


def test_a_payload_whose_log_is_gone_shows_a_note(tmp_path: Path) -> None:
    log = tmp_path / "s.jsonl"
    [audio] = recorded(log, [samples.audio_delta(4800, 1)])
    store = FrameStore()
    store.append(audio)
    log.unlink()
    assert store.frame_text(0) == f"<The session log {log} no longer holds this frame>"


def test_a_huge_text_frame_is_read_back_from_its_log(tmp_path: Path) -> None:
    log = tmp_path / "s.jsonl"
    huge = samples.received({"type": "session.updated", "session": {"x": "y" * 200_000}})
    [frame] = recorded(log, [huge])
    store = FrameStore()
    store.append(frame)
    assert store.memory_bytes() < 1000
    assert store.frame_text(0) == huge.data


# -- scale ----------------------------------------------------------------------------


def test_100k_audio_frames_stay_small_in_memory() -> None:
    store = FrameStore()
    audio, error = samples.audio_delta(4800), samples.error_frame("c", "m")
    payload_bytes = 0
    for k in range(100_000):
        frame = replace(audio if k % 50 else error, t_ms=float(k))
        payload_bytes += len(frame.data)
        store.append(frame)
    assert len(store) == 100_000
    # The base64 payloads (6.4 kB each) stay on disk; memory per frame is a few dozen bytes.
    assert payload_bytes / len(store) > 6000
    assert store.memory_bytes() / len(store) < 120
    assert store.frame_text(99_999) == audio.data
    assert store.t_ms(99_999) == 99_999
    assert store.row_count == 4000


def test_clear_forgets_everything() -> None:
    store = FrameStore()
    store.append(samples.audio_delta(48))
    store.clear()
    assert len(store) == 0
    assert store.row_count == 0
    store.append(samples.audio_delta(48))
    assert store.frame_text(0) == samples.audio_delta(48).data


def test_the_store_package_does_not_import_textual() -> None:
    code = (
        "import sys, pkgutil, importlib, rt_tui.inspector as p\n"
        "for m in pkgutil.walk_packages(p.__path__, p.__name__ + '.'):\n"
        "    importlib.import_module(m.name)\n"
        "print(','.join(m for m in sys.modules if m.split('.')[0] == 'textual'))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == ""


def test_soft_wrap_keeps_the_indent_and_cuts_at_spaces() -> None:
    from rt_tui.inspector.detail import soft_wrap

    line = '    "text": "' + "word " * 30 + '"'
    pieces = soft_wrap(line, 40)
    shown = [" " * indent + line[start:end] for start, end, indent in pieces]
    assert all(len(piece) <= 40 for piece in shown)
    assert "".join(line[start:end] for start, end, _ in pieces) == line
    assert all(piece.startswith("      word") for piece in shown[1:])
    assert soft_wrap("short", 40) == [(0, 5, 0)]
    assert soft_wrap("x" * 100, 30) == [(0, 30, 0), (30, 58, 2), (58, 86, 2), (86, 100, 2)]


def test_known_secrets_leave_text_audio_binary_and_summaries() -> None:
    key = "0123456789abcdef0123456789abcdef"
    store = FrameStore()
    store.set_secrets([key, ""])
    store.append(samples.error_frame("invalid_api_key", f"Incorrect API key: {key}", 1))
    store.append(samples.audio_delta(48, 2))
    audio = samples.audio_delta(48, 3)
    assert isinstance(audio.data, str)
    store.append(replace(audio, data=audio.data.replace('"delta"', f'"note": "{key}", "delta"')))
    store.append(samples.received(f"raw {key}".encode(), 4))
    store.append(samples.sent({"type": "response.create", "note": key}, 5))
    for i in range(len(store)):
        text = store.frame_text(i)
        assert (key.encode() not in text) if isinstance(text, bytes) else (key not in text)
        assert key not in store.summary(i)
    assert "***" in store.summary(0)
    store.set_secrets(["other-secret"])  # earlier secrets stay known
    store.append(samples.error_frame("x", f"{key} other-secret", 6))
    assert store.summary(len(store) - 1).count("***") == 2
