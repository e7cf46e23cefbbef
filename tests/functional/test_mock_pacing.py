"""The mock's pacing: the waits before a response's start, its first delta and its first
audio, as the service takes them, each ended early by a cancel.

Each wait is set to a minute, so what comes before it and what does not are told apart by
order alone, never by a clock: the cancel that follows ends the wait at once.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Coroutine
from typing import Any

import pytest
from mock_client import MockClient, open_client

from rt_tui.mock import MockServer
from rt_tui.mock.pacing import REALISTIC, Pacing
from rt_tui.mock.scenarios import choose

MINUTE = 60.0
JsonObject = dict[str, Any]


def kinds(events: list[JsonObject]) -> list[str]:
    return [event["type"] for event in events]


async def ask(client: MockClient, modality: str = "text") -> None:
    await client.send(
        {
            "type": "conversation.item.create",
            "item": {
                "type": "message",
                "role": "user",
                "content": [{"type": "input_text", "text": "hello pacing"}],
            },
        }
    )
    await client.send({"type": "response.create", "response": {"output_modalities": [modality]}})


async def test_response_created_waits_for_the_pacing() -> None:
    async with (
        MockServer(delta_delay=0, pacing=Pacing(created_s=MINUTE)) as server,
        open_client(server.ga_url()) as client,
    ):
        await ask(client)
        # A frame sent after the request is answered before the response starts.
        await client.send({"type": "conversation.item.retrieve", "item_id": "nope"})
        waiting = await client.until("error")
        await client.send({"type": "response.cancel"})
        rest = await client.until("response.done")
    assert "response.created" not in kinds(waiting)
    assert kinds(rest)[0] == "response.created"
    assert rest[-1]["response"]["status"] == "cancelled"


async def test_the_first_delta_waits_and_a_cancel_ends_the_wait() -> None:
    async with (
        MockServer(delta_delay=0, pacing=Pacing(first_delta_s=MINUTE)) as server,
        open_client(server.ga_url()) as client,
    ):
        await ask(client)
        started = await client.until("response.content_part.added")
        await client.send({"type": "response.cancel"})
        rest = await client.until("response.done")
    assert "response.created" in kinds(started)
    assert not [kind for kind in kinds(started + rest) if kind.endswith(".delta")]
    assert rest[-1]["response"]["status"] == "cancelled"


async def test_a_spoken_reply_sends_its_transcript_before_its_audio() -> None:
    async with (
        MockServer(delta_delay=0, pacing=Pacing(first_audio_s=MINUTE)) as server,
        open_client(server.ga_url()) as client,
    ):
        await ask(client, "audio")
        started = await client.until("response.output_audio_transcript.delta")
        await client.send({"type": "response.cancel"})
        rest = await client.until("response.done")
    assert "response.output_audio.delta" not in kinds(started + rest)
    assert rest[-1]["response"]["status"] == "cancelled"


async def test_without_waits_each_word_is_its_transcript_then_its_audio() -> None:
    async with (
        MockServer(delta_delay=0) as server,
        open_client(server.ga_url()) as client,
    ):
        await ask(client, "audio")
        events = await client.until("response.done")
    deltas = [kind for kind in kinds(events) if kind.endswith(".delta")]
    assert len(deltas) >= 4
    assert deltas[:2] == ["response.output_audio_transcript.delta", "response.output_audio.delta"]
    assert deltas.count("response.output_audio.delta") == len(deltas) // 2


async def test_slow_start_holds_back_the_first_delta() -> None:
    hooks = choose("slow-start:60000").hooks
    async with MockServer(delta_delay=0, seed="pacing", hooks=hooks) as server:
        assert server.options.pacing.first_delta_s == MINUTE
        async with open_client(server.ga_url()) as client:
            await ask(client)
            started = await client.until("response.content_part.added")
            await client.send({"type": "response.cancel"})
            rest = await client.until("response.done")
    assert not [kind for kind in kinds(started + rest) if kind.endswith(".delta")]
    assert rest[-1]["response"]["status"] == "cancelled"


SCENARIO_TESTS: dict[str, Callable[[], Coroutine[Any, Any, None]]] = {
    "slow-start": test_slow_start_holds_back_the_first_delta,
}
"""The scenario tests of this module (test_mock_scenarios checks every scenario has one)."""


@pytest.mark.parametrize("base", [REALISTIC.created_s, REALISTIC.first_delta_s, 2.0])
def test_jitter_varies_each_wait_within_its_bounds(base: float) -> None:
    rng = random.Random(7)
    waits = [REALISTIC.wait_s(base, rng) for _ in range(200)]
    low, high = base * (1 - REALISTIC.jitter), base * (1 + REALISTIC.jitter)
    assert all(low <= wait <= high for wait in waits)
    assert len(set(waits)) == len(waits)  # Each response its own.
    assert Pacing(created_s=base).wait_s(base, rng) == base  # No jitter: exactly the wait.
