"""Session updates, conversation items and the service's error events, against the mock."""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator
from typing import Any

import pytest
from mock_client import MockClient, beta, ga

from rt_tui.dialect import Dialect
from rt_tui.mock import MockServer

__all__ = ["beta", "ga"]  # the fixtures, clients of this module's server

JsonObject = dict[str, Any]


@pytest.fixture
async def server() -> AsyncIterator[MockServer]:
    async with MockServer(delta_delay=0, seed=5) as mock:
        yield mock


async def current_session(client: MockClient, dialect: Dialect) -> JsonObject:
    """The server's session now (an update that changes nothing reports it)."""
    patch: JsonObject = {"type": "realtime"} if dialect is Dialect.GA else {}
    events = await client.request({"type": "session.update", "session": patch}, "session.updated")
    return dict(events[-1]["session"])


async def expect_error(client: MockClient, event: JsonObject | str | bytes) -> JsonObject:
    await client.send(event)
    events = await client.until("error")
    error: JsonObject = events[-1]["error"]
    assert error["type"] == "invalid_request_error"
    assert error["message"]
    return error


# --- session.update -------------------------------------------------------------------------


async def test_ga_update_changes_only_the_fields_sent(ga: MockClient) -> None:
    before = await current_session(ga, Dialect.GA)
    patch = {
        "type": "realtime",
        "instructions": "Be brief.",
        "audio": {"output": {"voice": "cedar"}, "input": {"turn_detection": None}},
    }
    updated = (await ga.request({"type": "session.update", "session": patch}, "session.updated"))[
        -1
    ]["session"]
    expected = copy.deepcopy(before)
    expected["instructions"] = "Be brief."
    expected["audio"]["output"]["voice"] = "cedar"
    expected["audio"]["input"]["turn_detection"] = None
    assert updated == expected


async def test_ga_turn_detection_gets_the_service_defaults(ga: MockClient) -> None:
    patch = {"type": "realtime", "audio": {"input": {"turn_detection": {"type": "semantic_vad"}}}}
    events = await ga.request({"type": "session.update", "session": patch}, "session.updated")
    detection = events[-1]["session"]["audio"]["input"]["turn_detection"]
    assert detection == {
        "type": "semantic_vad",
        "eagerness": "auto",
        "create_response": True,
        "interrupt_response": True,
    }


async def test_ga_update_needs_session_type(ga: MockClient) -> None:
    error = await expect_error(
        ga, {"type": "session.update", "event_id": "u1", "session": {"instructions": "x"}}
    )
    assert (error["code"], error["param"], error["event_id"]) == (
        "missing_required_parameter",
        "session.type",
        "u1",
    )


@pytest.mark.parametrize(
    ("patch", "param"),
    [
        ({"type": "realtime", "temperature": 0.7}, "session.temperature"),
        ({"type": "realtime", "instructions": "x", "bogus": 1}, "session.bogus"),
        ({"type": "realtime", "audio": {"output": {"pitch": 2}}}, "session.audio.output.pitch"),
    ],
)
async def test_ga_unknown_field_discards_the_whole_update(
    ga: MockClient, patch: JsonObject, param: str
) -> None:
    before = await current_session(ga, Dialect.GA)
    error = await expect_error(ga, {"type": "session.update", "session": patch})
    assert (error["code"], error["param"]) == ("unknown_parameter", param)
    assert await current_session(ga, Dialect.GA) == before


async def test_ga_bad_values_are_refused(ga: MockClient) -> None:
    both = {"type": "realtime", "output_modalities": ["text", "audio"]}
    error = await expect_error(ga, {"type": "session.update", "session": both})
    assert (error["code"], error["param"]) == ("invalid_value", "session.output_modalities")
    low_rate = {
        "type": "realtime",
        "audio": {"input": {"format": {"type": "audio/pcm", "rate": 16000}}},
    }
    error = await expect_error(ga, {"type": "session.update", "session": low_rate})
    assert error["param"] == "session.audio.input.format.rate"
    long_tool = {"type": "function", "name": "t", "description": "x" * 1025, "parameters": {}}
    error = await expect_error(
        ga, {"type": "session.update", "session": {"type": "realtime", "tools": [long_tool]}}
    )
    assert error["code"] == "string_above_max_length"


async def test_beta_update_is_flat(beta: MockClient) -> None:
    patch = {
        "modalities": ["text"],
        "voice": "verse",
        "input_audio_transcription": {"model": "whisper-1"},
    }
    session = (await beta.request({"type": "session.update", "session": patch}, "session.updated"))[
        -1
    ]["session"]
    assert session["modalities"] == ["text"]
    assert session["voice"] == "verse"
    assert session["input_audio_transcription"] == {"model": "whisper-1"}
    assert session["temperature"] == 0.8  # untouched
    error = await expect_error(
        beta, {"type": "session.update", "session": {"output_modalities": ["text"]}}
    )
    assert error["param"] == "session.output_modalities"


# --- conversation items -----------------------------------------------------------------


def message(text: str, item_id: str | None = None, role: str = "user") -> JsonObject:
    item: JsonObject = {
        "type": "message",
        "role": role,
        "content": [{"type": "input_text", "text": text}],
    }
    if item_id:
        item["id"] = item_id
    return item


async def test_ga_item_create_is_added_then_done(ga: MockClient) -> None:
    await ga.send({"type": "conversation.item.create", "item": message("first", "item_a")})
    added, done = await ga.until("conversation.item.done")
    assert added["type"] == "conversation.item.added"
    assert added["previous_item_id"] is None
    assert added["item"] == {
        **message("first", "item_a"),
        "object": "realtime.item",
        "status": "completed",
    }
    assert done["item"] == added["item"]
    await ga.send({"type": "conversation.item.create", "item": message("second", "item_b")})
    added, _ = await ga.until("conversation.item.done")
    assert added["previous_item_id"] == "item_a"
    root = {
        "type": "conversation.item.create",
        "previous_item_id": "root",
        "item": message("zero", "item_0"),
    }
    added, _ = await ga.request(root, "conversation.item.done")
    assert added["previous_item_id"] is None


async def test_beta_item_create_is_created(beta: MockClient) -> None:
    events = await beta.request(
        {"type": "conversation.item.create", "item": message("hi")}, "conversation.item.created"
    )
    assert len(events) == 1
    assert events[0]["item"]["id"].startswith("item_")


async def test_retrieve_delete_and_missing_items(ga: MockClient) -> None:
    await ga.request(
        {"type": "conversation.item.create", "item": message("keep", "item_k")},
        "conversation.item.done",
    )
    got = await ga.request(
        {"type": "conversation.item.retrieve", "item_id": "item_k"}, "conversation.item.retrieved"
    )
    assert got[-1]["item"]["content"][0]["text"] == "keep"
    deleted = await ga.request(
        {"type": "conversation.item.delete", "item_id": "item_k"}, "conversation.item.deleted"
    )
    assert deleted[-1]["item_id"] == "item_k"
    error = await expect_error(ga, {"type": "conversation.item.retrieve", "item_id": "item_k"})
    assert (error["code"], error["param"]) == ("item_not_found", "item_id")


@pytest.mark.parametrize(
    ("item", "code", "param"),
    [
        (None, "missing_required_parameter", "item"),
        ({"type": "note"}, "invalid_value", "item.type"),
        ({"type": "message", "content": []}, "missing_required_parameter", "item.role"),
        (
            {"type": "function_call_output", "call_id": "c"},
            "missing_required_parameter",
            "item.output",
        ),
        (
            {
                "type": "message",
                "role": "assistant",
                "content": [{"type": "output_audio", "transcript": "x"}],
            },
            "invalid_value",
            "item.content[0].type",
        ),
        (
            {"type": "message", "role": "user", "content": [], "colour": "red"},
            "unknown_parameter",
            "item.colour",
        ),
        (
            {
                "type": "message",
                "role": "user",
                "content": [{"type": "input_audio", "audio": "%%%"}],
            },
            "invalid_value",
            "item.content[0].audio",
        ),
    ],
)
async def test_bad_items_are_refused(ga: MockClient, item: Any, code: str, param: str) -> None:
    event: JsonObject = {"type": "conversation.item.create"}
    if item is not None:
        event["item"] = item
    error = await expect_error(ga, event)
    assert (error["code"], error["param"]) == (code, param)


async def test_previous_item_must_exist(ga: MockClient) -> None:
    error = await expect_error(
        ga, {"type": "conversation.item.create", "previous_item_id": "nope", "item": message("x")}
    )
    assert error["param"] == "previous_item_id"


async def test_truncate_assistant_audio(ga: MockClient) -> None:
    await ga.send({"type": "response.create"})
    events = await ga.until("rate_limits.updated")
    item = next(e for e in events if e["type"] == "response.done")["response"]["output"][0]
    truncated = await ga.request(
        {
            "type": "conversation.item.truncate",
            "item_id": item["id"],
            "content_index": 0,
            "audio_end_ms": 300,
        },
        "conversation.item.truncated",
    )
    assert truncated[-1]["audio_end_ms"] == 300
    error = await expect_error(
        ga,
        {
            "type": "conversation.item.truncate",
            "item_id": item["id"],
            "content_index": 0,
            "audio_end_ms": 10_000,
        },
    )
    assert error["param"] == "audio_end_ms"


async def test_truncate_while_the_audio_still_streams(ga: MockClient) -> None:
    """A barge-in truncates the reply as it streams: the audio sent so far counts."""
    await ga.send({"type": "response.create"})
    events = await ga.until("response.output_audio.delta")
    item_id = events[-1]["item_id"]
    truncated = await ga.request(
        {
            "type": "conversation.item.truncate",
            "item_id": item_id,
            "content_index": 0,
            "audio_end_ms": 10,
        },
        "conversation.item.truncated",
    )
    assert truncated[-1]["item_id"] == item_id
    assert not [e for e in truncated if e["type"] == "error"]


# --- malformed frames -------------------------------------------------------------------


async def test_bad_frames_get_the_service_errors_and_the_session_lives_on(ga: MockClient) -> None:
    error = await expect_error(ga, "{not json")
    assert error["code"] == "invalid_json"
    error = await expect_error(ga, b"\x00\x01binary")
    assert error["code"] == "invalid_event"
    error = await expect_error(ga, {"event_id": "e9", "item_id": "x"})
    assert (error["code"], error["message"], error["event_id"]) == (
        "invalid_event",
        "The 'type' field is missing.",
        "e9",
    )
    error = await expect_error(ga, {"type": "response.explode", "event_id": "e10"})
    assert (error["code"], error["param"], error["event_id"]) == ("invalid_value", "type", "e10")
    assert "'response.create'" in error["message"]  # lists the accepted types
    error = await expect_error(ga, "[1, 2]")
    assert error["code"] == "invalid_event"
    error = await expect_error(ga, {"type": "input_audio_buffer.clear", "extra": True})
    assert (error["code"], error["param"]) == ("unknown_parameter", "extra")
    error = await expect_error(ga, "[" * 100_000)
    assert error["code"] == "invalid_json"
    # Four errors in a row and the session still answers normally.
    cleared = await ga.request({"type": "input_audio_buffer.clear"}, "input_audio_buffer.cleared")
    assert cleared[-1]["type"] == "input_audio_buffer.cleared"


@pytest.mark.parametrize(
    ("patch", "code", "param"),
    [
        ({"type": "realtime", "instructions": 5}, "invalid_type", "session.instructions"),
        ({"type": "realtime", "tracing": "sometimes"}, "invalid_value", "session.tracing"),
        (
            {"type": "realtime", "audio": {"input": {"turn_detection": {"threshold": "high"}}}},
            "invalid_type",
            "session.audio.input.turn_detection.threshold",
        ),
        (
            {"type": "realtime", "audio": {"input": {"transcription": {"model": 1}}}},
            "invalid_type",
            "session.audio.input.transcription.model",
        ),
        (
            {"type": "realtime", "tools": [{"type": "function"}]},
            "missing_required_parameter",
            "session.tools[0].name",
        ),
    ],
)
async def test_ga_wrong_types_are_refused(
    ga: MockClient, patch: JsonObject, code: str, param: str
) -> None:
    error = await expect_error(ga, {"type": "session.update", "session": patch})
    assert (error["code"], error["param"]) == (code, param)


@pytest.mark.parametrize(
    ("patch", "param"),
    [
        ({"voice": 5}, "session.voice"),
        ({"temperature": "warm"}, "session.temperature"),
        (
            {"input_audio_transcription": {"model": "whisper-1", "speed": 2}},
            "session.input_audio_transcription.speed",
        ),
        ({"input_audio_format": "mp3"}, "session.input_audio_format"),
    ],
)
async def test_beta_wrong_types_are_refused(
    beta: MockClient, patch: JsonObject, param: str
) -> None:
    error = await expect_error(beta, {"type": "session.update", "session": patch})
    assert error["param"] == param


@pytest.mark.parametrize(
    ("response", "param"),
    [
        ({"output_modalities": ["text", "audio"]}, "response.output_modalities"),
        ({"conversation": "sometimes"}, "response.conversation"),
        ({"max_output_tokens": 0}, "response.max_output_tokens"),
        ({"instructions": ["a"]}, "response.instructions"),
        ({"tools": [{"type": "function", "name": ""}]}, "response.tools[0].name"),
    ],
)
async def test_bad_response_overrides_are_refused(
    ga: MockClient, response: JsonObject, param: str
) -> None:
    error = await expect_error(ga, {"type": "response.create", "response": response})
    assert error["param"] == param
