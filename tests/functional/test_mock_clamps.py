"""What the mock changes in a session.update instead of refusing it, as the service does:
values out of range clamped, unknown voices replaced (`rt_tui.mock.session_clamps`)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from mock_client import MockClient, beta, ga

from rt_tui.mock import MockServer

__all__ = ["beta", "ga"]  # the fixtures, clients of this module's server


@pytest.fixture
async def server() -> AsyncIterator[MockServer]:
    async with MockServer(delta_delay=0) as mock:
        yield mock


async def test_ga_update_clamps_out_of_range_values_and_rewrites_unknown_voices(
    ga: MockClient,
) -> None:
    patch = {
        "type": "realtime",
        "max_output_tokens": 10_000,
        "audio": {"output": {"voice": "nova", "speed": 3}},
    }
    events = await ga.request({"type": "session.update", "session": patch}, "session.updated")
    session = events[-1]["session"]
    assert session["max_output_tokens"] == 4096
    assert session["audio"]["output"]["voice"] == "marin"  # the default; no error
    assert session["audio"]["output"]["speed"] == 1.5
    assert all(event["type"] != "error" for event in events)
    within = {"type": "realtime", "audio": {"output": {"voice": "cedar", "speed": 0.5}}}
    events = await ga.request({"type": "session.update", "session": within}, "session.updated")
    output = events[-1]["session"]["audio"]["output"]
    assert (output["voice"], output["speed"]) == ("cedar", 0.5)


async def test_beta_update_clamps_temperature_tokens_and_speed(beta: MockClient) -> None:
    patch = {
        "temperature": 2.0,
        "max_response_output_tokens": 0,
        "speed": 0.1,
        "voice": "marin",  # a GA voice
    }
    events = await beta.request({"type": "session.update", "session": patch}, "session.updated")
    session = events[-1]["session"]
    assert session["temperature"] == 1.2
    assert session["max_response_output_tokens"] == 1
    assert session["speed"] == 0.25
    assert session["voice"] == "alloy"
    events = await beta.request(
        {"type": "session.update", "session": {"temperature": 0.3}}, "session.updated"
    )
    assert events[-1]["session"]["temperature"] == 0.6
