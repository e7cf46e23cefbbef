"""Response cycles from the mock: order, deltas, audio, usage, tools, cancel and limits."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator
from typing import Any

import jsonschema
import pytest
from mock_client import MockClient, open_mock

from rt_tui.dialect import Dialect
from rt_tui.mock import MockServer
from rt_tui.realtime.audio import duration_ms, rms

JsonObject = dict[str, Any]

WEATHER_TOOL: JsonObject = {
    "type": "function",
    "name": "get_weather",
    "description": "Current weather for a place.",
    "parameters": {
        "type": "object",
        "properties": {
            "location": {"type": "string"},
            "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
            "days": {"type": "integer", "minimum": 1, "maximum": 7},
            "detailed": {"type": "boolean"},
            "stations": {"type": "array", "items": {"type": "string"}, "minItems": 2},
            "where": {
                "type": "object",
                "properties": {"lat": {"type": "number"}, "lon": {"type": "number"}},
                "required": ["lat", "lon"],
                "additionalProperties": False,
            },
        },
        "required": ["location", "unit"],
        "additionalProperties": False,
    },
}


@pytest.fixture
async def server() -> AsyncIterator[MockServer]:
    async with MockServer(delta_delay=0, seed=3) as mock:
        yield mock


@pytest.fixture
async def slow_server() -> AsyncIterator[MockServer]:
    """Deltas 50 ms apart: a cancel sent after the first delta always lands mid-stream."""
    async with MockServer(delta_delay=0.05, seed=4) as mock:
        yield mock


def text_only(dialect: Dialect) -> JsonObject:
    if dialect is Dialect.GA:
        return {"type": "realtime", "output_modalities": ["text"]}
    return {"modalities": ["text"]}


def user_text(text: str) -> JsonObject:
    return {
        "type": "conversation.item.create",
        "item": {
            "type": "message",
            "role": "user",
            "content": [{"type": "input_text", "text": text}],
        },
    }


def types(events: list[JsonObject]) -> list[str]:
    return [e["type"] for e in events]


def collapse(names: list[str]) -> list[str]:
    """Event types with runs of one delta type folded into one entry."""
    out: list[str] = []
    for name in names:
        if name.endswith(".delta") and name in out[-2:]:
            continue
        out.append(name)
    return out


async def say(client: MockClient, text: str) -> list[JsonObject]:
    await client.send(user_text(text))
    await client.send({"type": "response.create"})
    return await client.until("rate_limits.updated")


@pytest.mark.parametrize("dialect", [Dialect.GA, Dialect.BETA])
async def test_text_response_order_and_content(server: MockServer, dialect: Dialect) -> None:
    async with open_mock(server, dialect) as client:
        await client.request(
            {"type": "session.update", "session": text_only(dialect)}, "session.updated"
        )
        events = await say(client, "What is **rt-tui**?")
    ga = dialect is Dialect.GA
    item_added = "conversation.item.added" if ga else "conversation.item.created"
    text_delta = "response.output_text.delta" if ga else "response.text.delta"
    text_done = "response.output_text.done" if ga else "response.text.done"
    expected = (
        [item_added]
        + (["conversation.item.done"] if ga else [])
        + ["response.created", "response.output_item.added", item_added]
        + ["response.content_part.added", text_delta, text_done, "response.content_part.done"]
        + (["conversation.item.done"] if ga else [])
        + ["response.output_item.done", "response.done", "rate_limits.updated"]
    )
    assert collapse(types(events)) == expected

    deltas = [e for e in events if e["type"] == text_delta]
    assert len(deltas) > 10  # streamed word by word
    text = "".join(d["delta"] for d in deltas)
    done = next(e for e in events if e["type"] == text_done)
    assert done["text"] == text
    assert "What is **rt-tui**?" in text
    assert "mock server" in text
    assert "- it echoes" in text
    assert "`response.cancel`" in text

    user_item = events[0]["item"]
    created = next(e for e in events if e["type"] == "response.created")["response"]
    final = next(e for e in events if e["type"] == "response.done")["response"]
    assert created["status"] == "in_progress"
    assert created["output"] == []
    assert final["status"] == "completed"
    assert final["id"] == created["id"]
    assert final["output"][0]["content"][0] == {
        "type": "output_text" if ga else "text",
        "text": text,
    }
    assistant_added = [e for e in events if e["type"] == item_added][1]
    assert assistant_added["previous_item_id"] == user_item["id"]
    for event in events:
        if "item_id" in event and event["type"].startswith("response."):
            assert event["item_id"] == final["output"][0]["id"]
            assert event["response_id"] == final["id"]


@pytest.mark.parametrize("dialect", [Dialect.GA, Dialect.BETA])
async def test_audio_response_streams_pcm_and_transcript(
    server: MockServer, dialect: Dialect
) -> None:
    async with open_mock(server, dialect) as client:
        events = await say(client, "Speak to me")
    ga = dialect is Dialect.GA
    audio_delta = "response.output_audio.delta" if ga else "response.audio.delta"
    transcript_delta = (
        "response.output_audio_transcript.delta" if ga else "response.audio_transcript.delta"
    )
    transcript_done = (
        "response.output_audio_transcript.done" if ga else "response.audio_transcript.done"
    )
    names = types(events)
    assert "response.output_text.delta" not in names
    assert "response.text.delta" not in names
    pcm = b"".join(base64.b64decode(e["delta"]) for e in events if e["type"] == audio_delta)
    assert duration_ms(pcm) > 1000
    assert rms(pcm) > 0.05
    transcript = "".join(e["delta"] for e in events if e["type"] == transcript_delta)
    assert next(e for e in events if e["type"] == transcript_done)["transcript"] == transcript
    assert "Speak to me" in transcript
    part = next(e for e in events if e["type"] == "response.content_part.added")["part"]
    assert part == {"type": "audio", "transcript": ""}
    final = next(e for e in events if e["type"] == "response.done")["response"]
    assert final["output"][0]["content"][0]["type"] == ("output_audio" if ga else "audio")
    usage = final["usage"]
    assert usage["output_token_details"]["audio_tokens"] > 0
    assert usage["total_tokens"] == usage["input_tokens"] + usage["output_tokens"]


async def test_usage_counts_and_rate_limits_go_down(server: MockServer) -> None:
    async with open_mock(server, Dialect.GA) as client:
        first = await say(client, "one")
        second = await say(client, "two")
    usage1 = next(e for e in first if e["type"] == "response.done")["response"]["usage"]
    usage2 = next(e for e in second if e["type"] == "response.done")["response"]["usage"]
    assert usage1["input_token_details"]["cached_tokens"] == 0
    assert usage2["input_tokens"] > usage1["input_tokens"]  # the conversation grew
    assert usage2["input_token_details"]["cached_tokens"] == usage1["input_tokens"]
    limits1 = {r["name"]: r for r in first[-1]["rate_limits"]}
    limits2 = {r["name"]: r for r in second[-1]["rate_limits"]}
    assert limits2["requests"]["remaining"] == limits1["requests"]["remaining"] - 1
    assert limits2["tokens"]["remaining"] == (
        limits1["tokens"]["remaining"] - usage2["total_tokens"]
    )


@pytest.mark.parametrize("dialect", [Dialect.GA, Dialect.BETA])
async def test_function_call_round_trip(server: MockServer, dialect: Dialect) -> None:
    ga = dialect is Dialect.GA
    session: JsonObject = {**text_only(dialect), "tools": [WEATHER_TOOL]}
    async with open_mock(server, dialect) as client:
        await client.request({"type": "session.update", "session": session}, "session.updated")
        events = await say(client, "Please call get_weather for Paris")
        expected = (
            ["response.created", "response.output_item.added"]
            + (["conversation.item.added"] if ga else ["conversation.item.created"])
            + ["response.function_call_arguments.delta", "response.function_call_arguments.done"]
            + (["conversation.item.done"] if ga else [])
            + ["response.output_item.done", "response.done", "rate_limits.updated"]
        )
        start = types(events).index("response.created")
        assert collapse(types(events)[start:]) == expected
        added = next(e for e in events if e["type"] == "response.output_item.added")["item"]
        assert added["type"] == "function_call"
        assert added["name"] == "get_weather"
        deltas = [e for e in events if e["type"] == "response.function_call_arguments.delta"]
        done = next(e for e in events if e["type"] == "response.function_call_arguments.done")
        assert "".join(d["delta"] for d in deltas) == done["arguments"]
        assert done["call_id"] == added["call_id"]
        assert ("name" in done) is ga
        arguments = json.loads(done["arguments"])
        jsonschema.validate(arguments, WEATHER_TOOL["parameters"])
        final = next(e for e in events if e["type"] == "response.done")["response"]
        assert final["output"][0]["arguments"] == done["arguments"]

        output = {
            "type": "conversation.item.create",
            "item": {
                "type": "function_call_output",
                "call_id": done["call_id"],
                "output": '{"temp": 21}',
            },
        }
        await client.send(output)
        await client.send({"type": "response.create"})
        reply = await client.until("rate_limits.updated")
    text = next(e for e in reply if e["type"] == "response.done")["response"]["output"][0]
    said = text["content"][0]["text"]
    assert "`get_weather`" in said
    assert '{"temp": 21}' in said


async def test_no_tool_call_without_the_tool_name_or_with_tool_choice_none(
    server: MockServer,
) -> None:
    async with open_mock(server, Dialect.GA) as client:
        session = {**text_only(Dialect.GA), "tools": [WEATHER_TOOL]}
        await client.request({"type": "session.update", "session": session}, "session.updated")
        plain = await say(client, "hello")
        assert "response.function_call_arguments.done" not in types(plain)
        session = {"type": "realtime", "tool_choice": "none"}
        await client.request({"type": "session.update", "session": session}, "session.updated")
        named = await say(client, "get_weather please")
        assert "response.function_call_arguments.done" not in types(named)


@pytest.mark.parametrize("dialect", [Dialect.GA, Dialect.BETA])
async def test_cancel_ends_a_running_response(slow_server: MockServer, dialect: Dialect) -> None:
    async with open_mock(slow_server, dialect) as client:
        await client.send(user_text("stream slowly"))
        await client.send({"type": "response.create"})
        await client.until("response.output_audio.delta", "response.audio.delta")
        await client.send({"type": "response.cancel", "event_id": "evt_cancel"})
        events = await client.until("rate_limits.updated")
    final = next(e for e in events if e["type"] == "response.done")["response"]
    assert final["status"] == "cancelled"
    assert final["status_details"] == {"type": "cancelled", "reason": "client_cancelled"}
    assert final["output"][0]["status"] == "incomplete"
    assert "response.output_item.done" in types(events)
    assert "error" not in types(events)


async def test_response_create_while_one_runs_is_refused(slow_server: MockServer) -> None:
    async with open_mock(slow_server, Dialect.GA) as client:
        await client.send({"type": "response.create"})
        await client.until("response.created")
        await client.send({"type": "response.create", "event_id": "evt_second"})
        events = await client.until("error")
        error = events[-1]["error"]
        assert error["code"] == "conversation_already_has_active_response"
        assert error["event_id"] == "evt_second"
        await client.send({"type": "response.cancel"})
        await client.until("response.done")


async def test_cancel_with_nothing_running_is_an_error(server: MockServer) -> None:
    async with open_mock(server, Dialect.GA) as client:
        events = await client.request({"type": "response.cancel", "event_id": "c1"}, "error")
        assert events[-1]["error"]["code"] == "response_cancel_not_active"
        assert events[-1]["error"]["event_id"] == "c1"
        # The session lives on.
        assert (await say(client, "still there?"))[-1]["type"] == "rate_limits.updated"


async def test_max_output_tokens_makes_the_response_incomplete(server: MockServer) -> None:
    async with open_mock(server, Dialect.GA) as client:
        session = {**text_only(Dialect.GA), "max_output_tokens": 3}
        await client.request({"type": "session.update", "session": session}, "session.updated")
        events = await say(client, "hi")
    deltas = [e for e in events if e["type"] == "response.output_text.delta"]
    assert len(deltas) == 3
    final = next(e for e in events if e["type"] == "response.done")["response"]
    assert final["status"] == "incomplete"
    assert final["status_details"] == {"type": "incomplete", "reason": "max_output_tokens"}


async def test_out_of_band_response_stays_out_of_the_conversation(server: MockServer) -> None:
    async with open_mock(server, Dialect.GA) as client:
        response = {"conversation": "none", "output_modalities": ["text"], "metadata": {"k": "v"}}
        events = await client.request(
            {"type": "response.create", "response": response}, "rate_limits.updated"
        )
    assert not [e for e in events if e["type"].startswith("conversation.item")]
    final = next(e for e in events if e["type"] == "response.done")["response"]
    assert final["conversation_id"] is None
    assert final["metadata"] == {"k": "v"}
    assert final["output_modalities"] == ["text"]
    assert "nothing to echo" in final["output"][0]["content"][0]["text"]


async def test_unknown_response_parameter_is_refused(server: MockServer) -> None:
    async with open_mock(server, Dialect.GA) as client:
        bad = {"type": "response.create", "response": {"temperature": 0.7}}
        events = await client.request(bad, "error")
        assert events[-1]["error"]["code"] == "unknown_parameter"
        assert events[-1]["error"]["param"] == "response.temperature"
