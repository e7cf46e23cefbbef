"""What a session's latency amounts to: order, waterfall bars and the time axis."""

from __future__ import annotations

from pathlib import Path

import pytest

from rt_tui.inspector.latency import LatencyTracker, ResponseLatency
from rt_tui.inspector.latency_report import (
    Order,
    duration_text,
    ordered,
    time_axis,
    waterfall,
)
from rt_tui.inspector.logs import iter_frames

LATENCY_LOG = Path(__file__).parents[1] / "fixtures" / "sessions" / "latency_session.jsonl"


@pytest.fixture(scope="module")
def responses() -> dict[str, ResponseLatency]:
    tracker = LatencyTracker()
    tracker.add_frames(list(iter_frames(LATENCY_LOG, lambda line: None)), 0)
    return tracker.responses


@pytest.mark.parametrize(
    ("order", "descending", "expected"),
    [
        (Order.NUMBER, False, ["resp_1", "resp_2", "resp_3", "resp_4"]),
        (Order.TOTAL, True, ["resp_3", "resp_2", "resp_1", "resp_4"]),
        (Order.TOTAL, False, ["resp_4", "resp_1", "resp_2", "resp_3"]),
        # Without audio there is no TTFA: those come last, in their own order.
        (Order.TTFA, True, ["resp_3", "resp_2", "resp_1", "resp_4"]),
        (Order.TTFA, False, ["resp_2", "resp_3", "resp_1", "resp_4"]),
        (Order.TOKENS, True, ["resp_3", "resp_2", "resp_4", "resp_1"]),
    ],
)
def test_responses_in_each_order(
    responses: dict[str, ResponseLatency], order: Order, descending: bool, expected: list[str]
) -> None:
    listed = ordered(responses.values(), order, descending=descending)
    assert [r.response_id for r in listed] == expected


def test_bars_follow_one_another_across_the_whole_width(
    responses: dict[str, ResponseLatency],
) -> None:
    bars = waterfall(responses["resp_3"], 48)  # About 4.8 s: a cell is 100 ms.
    assert [(bar.label, bar.start, bar.end) for bar in bars] == [
        ("response.create → response.created", 0, 1),
        ("response.created → first text", 1, 19),
        ("first text → first audio", 19, 21),
        ("first audio → response.done", 21, 48),
    ]


def test_a_span_of_a_few_ms_still_gets_a_cell(responses: dict[str, ResponseLatency]) -> None:
    bars = waterfall(responses["resp_2"], 20)
    first = bars[0]
    assert first.label == "speech stopped → committed"
    assert first.duration_ms == 15.0
    assert first.end - first.start == 1


@pytest.mark.parametrize(
    ("whole_ms", "width", "axis"),
    [
        (4800, 48, "0         1 s       2 s       3 s       4 s     "),
        (140, 40, "0             50 ms          100 ms     "),
        (0, 6, "0     "),
    ],
)
def test_the_time_axis_has_round_ticks_with_room_between(
    whole_ms: float, width: int, axis: str
) -> None:
    assert time_axis(whole_ms, width) == axis


@pytest.mark.parametrize(
    ("ms", "text"),
    [(None, "—"), (7.4, "7 ms"), (999.4, "999 ms"), (1234, "1.23 s"), (65_000, "1:05")],
)
def test_durations_read_in_their_unit(ms: float | None, text: str) -> None:
    assert duration_text(ms) == text
