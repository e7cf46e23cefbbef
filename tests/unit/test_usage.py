"""Token usage split by priced kind: both dialects' `response.done` usage, cached tokens
counted once, and usage objects with parts missing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from rt_tui.realtime.conversation import Conversation
from rt_tui.realtime.events import parse_server_frame
from rt_tui.realtime.frames import Direction, Frame
from rt_tui.realtime.usage import TokenCounts, Totals, Usage

EXAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "realtime-examples"


def example_usage(dialect: str) -> dict[str, Any]:
    """The `usage` of the spec's `response.done` example for `dialect`."""
    for line in (EXAMPLES / "server_event_examples.jsonl").read_text().splitlines():
        event = json.loads(line)
        if event["type"] == "response.done" and event["_dialect"] == dialect:
            usage: dict[str, Any] = event["response"]["usage"]
            return usage
    raise AssertionError(f"no {dialect} response.done example")


def test_ga_example_splits_cached_text_out_of_text_input() -> None:
    counts = Usage.from_json(example_usage("ga")).counts
    # 119 text tokens of which 64 cached; 13 audio tokens, none cached.
    assert counts == TokenCounts(
        text_input=55,
        audio_input=13,
        cached_text_input=64,
        text_output=30,
        audio_output=91,
    )
    assert counts.input == 132  # input_tokens: each token counted once
    assert counts.output == 121


def test_beta_example_never_counts_more_cached_than_input() -> None:
    # The beta spec example says 128 cached text tokens of 119, and 256 cached audio of 8.
    counts = Usage.from_json(example_usage("beta")).counts
    assert counts.cached_text_input == 119
    assert counts.cached_audio_input == 8
    assert (counts.text_input, counts.audio_input) == (0, 0)
    assert counts.input == 127
    assert (counts.text_output, counts.audio_output) == (36, 112)


def test_cached_tokens_without_a_split_are_taken_as_text_first() -> None:
    usage = {
        "input_tokens": 100,
        "output_tokens": 10,
        "input_token_details": {"text_tokens": 30, "audio_tokens": 70, "cached_tokens": 50},
        "output_token_details": {"text_tokens": 10, "audio_tokens": 0},
    }
    counts = TokenCounts.from_usage(usage)
    assert (counts.cached_text_input, counts.cached_audio_input) == (30, 20)
    assert (counts.text_input, counts.audio_input) == (0, 50)


def test_usage_without_details_counts_its_totals_as_text() -> None:
    counts = TokenCounts.from_usage({"input_tokens": 40, "output_tokens": 12})
    assert counts == TokenCounts(text_input=40, text_output=12)


@pytest.mark.parametrize(
    "usage",
    [
        {},
        {"input_tokens": -5, "output_tokens": "many"},
        {"input_token_details": [], "output_token_details": None},
        {"input_token_details": {"cached_tokens": True, "cached_tokens_details": "x"}},
    ],
)
def test_odd_usage_counts_nothing_and_never_raises(usage: dict[str, Any]) -> None:
    assert TokenCounts.from_usage(usage) == TokenCounts()


def test_totals_sum_the_split_of_every_response() -> None:
    totals = Totals()
    totals.add(Usage.from_json(example_usage("ga")))
    totals.add(Usage.from_json(example_usage("ga")))
    assert totals.counts.cached_text_input == 128
    assert totals.counts.input == totals.input_tokens == 264


def test_the_reducer_keeps_each_responses_split() -> None:
    done = {
        "type": "response.done",
        "response": {"id": "resp_1", "status": "completed", "usage": example_usage("ga")},
    }
    data = json.dumps(done)
    conversation = Conversation()
    conversation.apply(Frame(Direction.RECEIVED, 1.0, 0.0, data, event=parse_server_frame(data)))
    response = conversation.responses["resp_1"]
    assert response.usage is not None
    assert response.usage.counts.cached_text_input == 64
    assert conversation.totals.counts == response.usage.counts
