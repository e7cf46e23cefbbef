"""The latency core: each response's milestones and spans, folded from recorded frames."""

from __future__ import annotations

import json

import pytest
from test_conversation_sequences import load_sequence

from rt_tui.inspector.latency import LatencyTracker, Milestone
from rt_tui.inspector.latency_report import percentile, session_stats
from rt_tui.realtime.events import parse_server_frame
from rt_tui.realtime.frames import Direction, Frame


def track(*names: str, first_index: int = 0) -> LatencyTracker:
    tracker = LatencyTracker()
    frames = [frame for name in names for frame in load_sequence(name)]
    tracker.add_frames(frames, first_index)
    return tracker


def received(t_ms: float, event: dict[str, object]) -> Frame:
    data = json.dumps(event)
    return Frame(Direction.RECEIVED, t_ms, 0.0, data, event=parse_server_frame(data))


def sent(t_ms: float, event: dict[str, object]) -> Frame:
    return Frame(Direction.SENT, t_ms, 0.0, json.dumps(event), client_event=event)


def test_a_voice_turn_counts_from_the_end_of_speech() -> None:
    (response,) = track("audio_ga").responses.values()
    times = {milestone: mark.t_ms for milestone, mark in response.marks.items()}
    assert times == {
        Milestone.SPEECH_STOPPED: 27.0,
        Milestone.COMMITTED: 34.0,
        Milestone.CREATED: 55.0,
        Milestone.FIRST_AUDIO: 90.0,
        Milestone.FIRST_TEXT: 97.0,
        Milestone.DONE: 167.0,
    }
    assert response.ttfa_ms == 63.0
    assert response.first_delta_ms == 63.0
    assert response.total_ms == 140.0
    # In the order they happened: this server sent the audio before its transcript.
    assert [(span.label, span.offset_ms, span.duration_ms) for span in response.spans()] == [
        ("speech stopped → committed", 0.0, 7.0),
        ("committed → response.created", 7.0, 21.0),
        ("response.created → first audio", 28.0, 35.0),
        ("first audio → first text", 63.0, 7.0),
        ("first text → response.done", 70.0, 70.0),
    ]
    assert response.status == "completed"
    assert (response.input_tokens, response.output_tokens, response.tokens) == (40, 90, 130)


@pytest.mark.parametrize("dialect", ["ga", "beta"])
def test_a_typed_turn_counts_from_the_response_create(dialect: str) -> None:
    (response,) = track(f"text_{dialect}").responses.values()
    assert response.since_start(Milestone.CREATED) == 7.0  # response.create at 37
    assert response.ttfa_ms is None  # A text reply has no audio.
    assert response.first_delta_ms == 35.0
    assert response.total_ms == 84.0
    assert (response.input_tokens, response.output_tokens, response.tokens) == (20, 5, 25)
    assert [span.label for span in response.spans()] == [
        "response.create → response.created",
        "response.created → first text",
        "first text → response.done",
    ]


def test_marks_carry_the_numbers_of_their_frames() -> None:
    tracker = track("text_ga", first_index=100)
    (response,) = tracker.responses.values()
    frames = list(load_sequence("text_ga"))
    # The 7th frame (index 6) is the sent response.create, where the turn starts.
    assert response.first_frame == 106
    assert frames[6].wire_type == "response.create"
    done = response.marks[Milestone.DONE].frame
    assert frames[done - 100].wire_type == "response.done"


def test_a_rejected_response_create_is_not_credited_to_the_next_response() -> None:
    tracker = track("error_ga")
    first, second = tracker.responses.values()
    assert first.marks[Milestone.REQUESTED].t_ms == 27.0
    # evt_007 was refused (error at 44): resp_e2 answers the response.create sent at 120.
    assert second.marks[Milestone.REQUESTED].t_ms == 120.0
    assert second.since_start(Milestone.CREATED) == 7.0


def test_a_function_call_streams_its_arguments_as_the_first_text() -> None:
    call, answer = track("function_call_ga").responses.values()
    assert call.since_start(Milestone.FIRST_TEXT) == 28.0
    assert answer.number == 2
    assert answer.marks[Milestone.REQUESTED].t_ms == 117.0


def test_what_waited_on_a_lost_socket_is_not_credited_in_the_next_one() -> None:
    tracker = LatencyTracker()
    tracker.add(sent(500.0, {"type": "response.create", "event_id": "lost"}), 0)
    # The socket dropped; a new one starts its clock at 0.
    tracker.add(sent(10.0, {"type": "response.create", "event_id": "new"}), 1)
    tracker.add(received(30.0, {"type": "response.created", "response": {"id": "r1"}}), 2)
    (response,) = tracker.responses.values()
    assert response.marks[Milestone.REQUESTED].frame == 1


def test_a_typed_message_drops_a_spoken_turn_that_got_no_answer() -> None:
    tracker = LatencyTracker()
    tracker.add(received(10.0, {"type": "input_audio_buffer.committed", "item_id": "i1"}), 0)
    tracker.add(sent(900.0, {"type": "conversation.item.create", "item": {}}), 1)
    tracker.add(sent(901.0, {"type": "response.create"}), 2)
    tracker.add(received(950.0, {"type": "response.created", "response": {"id": "r1"}}), 3)
    (response,) = tracker.responses.values()
    assert Milestone.COMMITTED not in response.marks
    assert response.since_start(Milestone.CREATED) == 49.0


def test_deltas_after_the_first_change_nothing() -> None:
    tracker = LatencyTracker()
    tracker.add(received(0.0, {"type": "response.created", "response": {"id": "r1"}}), 0)
    delta = {"type": "response.output_text.delta", "response_id": "r1", "item_id": "i"}
    tracker.add(received(5.0, {**delta, "delta": "a"}), 1)
    version = tracker.version
    for n in range(2, 50):
        tracker.add(received(5.0 + n, {**delta, "delta": "b"}), n)
    assert tracker.version == version
    assert tracker.responses["r1"].marks[Milestone.FIRST_TEXT].frame == 1


def test_percentiles_are_values_that_occurred() -> None:
    assert percentile([], 50) is None
    assert percentile([400.0, 100.0, 300.0, 200.0], 50) == 200.0
    assert percentile([400.0, 100.0, 300.0, 200.0], 95) == 400.0
    assert percentile(list(map(float, range(1, 101))), 95) == 95.0


def test_session_stats_cover_each_span_ttfa_and_total_of_finished_responses() -> None:
    tracker = track("text_ga", "audio_ga")
    tracker.add(received(500.0, {"type": "response.created", "response": {"id": "open"}}), 99)
    stats = {row.label: row for row in session_stats(tracker.responses.values())}
    assert stats["response.created → first text"].count == 1  # The text reply's.
    assert stats["speech stopped → committed"].p50_ms == 7.0
    assert stats["TTFA (to first audio)"].count == 1
    total = stats["total (to response.done)"]
    assert (total.count, total.p50_ms, total.p95_ms, total.max_ms) == (2, 84.0, 140.0, 140.0)
