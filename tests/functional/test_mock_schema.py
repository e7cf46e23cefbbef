"""Every frame of a full scripted session, in both dialects, validates against the official
SDK event schemas (`openai.types.realtime` for GA, `openai.types.beta.realtime` for beta)."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from mock_client import MockClient, beta_headers, check_server_event, open_client

from rt_tui.dialect import Dialect, wire_name
from rt_tui.mock import MockServer
from rt_tui.realtime.audio import silence, tone

JsonObject = dict[str, Any]

TOOL: JsonObject = {
    "type": "function",
    "name": "lookup_order",
    "description": "Find an order.",
    "parameters": {
        "type": "object",
        "properties": {"order_id": {"type": "string"}, "verbose": {"type": "boolean"}},
        "required": ["order_id"],
    },
}

#: Every server event kind the mock produces on a WebSocket (GA names).
PRODUCED = {
    "session.created",
    "session.updated",
    "conversation.item.added",
    "conversation.item.retrieved",
    "conversation.item.deleted",
    "conversation.item.truncated",
    "conversation.item.input_audio_transcription.delta",
    "conversation.item.input_audio_transcription.completed",
    "input_audio_buffer.committed",
    "input_audio_buffer.cleared",
    "input_audio_buffer.speech_started",
    "input_audio_buffer.speech_stopped",
    "response.created",
    "response.done",
    "response.output_item.added",
    "response.output_item.done",
    "response.content_part.added",
    "response.content_part.done",
    "response.output_text.delta",
    "response.output_text.done",
    "response.output_audio.delta",
    "response.output_audio.done",
    "response.output_audio_transcript.delta",
    "response.output_audio_transcript.done",
    "response.function_call_arguments.delta",
    "response.function_call_arguments.done",
    "rate_limits.updated",
    "error",
}


def session_patch(dialect: Dialect, **ga_and_beta: Any) -> JsonObject:
    return {"type": "realtime", **ga_and_beta} if dialect is Dialect.GA else ga_and_beta


def user(text: str) -> JsonObject:
    return {
        "type": "conversation.item.create",
        "item": {
            "type": "message",
            "role": "user",
            "content": [{"type": "input_text", "text": text}],
        },
    }


async def script(server: MockServer, client: MockClient, dialect: Dialect) -> None:
    """Text, audio, VAD, tools, cancel, truncate, items and each error, in one session."""
    ga = dialect is Dialect.GA
    done = "response.done"
    text_mode = {"output_modalities": ["text"]} if ga else {"modalities": ["text"]}
    audio_mode = {"output_modalities": ["audio"]} if ga else {"modalities": ["text", "audio"]}
    transcription = (
        {"audio": {"input": {"transcription": {"model": "whisper-1"}}}}
        if ga
        else {"input_audio_transcription": {"model": "whisper-1"}}
    )

    # Audio reply (the default), then truncate it.
    await client.send(user("hello"))
    await client.send({"type": "response.create"})
    events = await client.until("rate_limits.updated")
    item_id = next(e for e in events if e["type"] == done)["response"]["output"][0]["id"]
    await client.request(
        {
            "type": "conversation.item.truncate",
            "item_id": item_id,
            "content_index": 0,
            "audio_end_ms": 100,
        },
        "conversation.item.truncated",
    )
    # Text reply with a tool call and its answer.
    patch = session_patch(dialect, tools=[TOOL], **text_mode, **transcription)
    await client.request({"type": "session.update", "session": patch}, "session.updated")
    await client.send(user("please lookup_order 42"))
    await client.send({"type": "response.create"})
    events = await client.until("rate_limits.updated")
    call = next(e for e in events if e["type"] == "response.function_call_arguments.done")
    output = {"type": "function_call_output", "call_id": call["call_id"], "output": "shipped"}
    await client.send({"type": "conversation.item.create", "item": output})
    await client.send({"type": "response.create"})
    await client.until("rate_limits.updated")
    # Server VAD turn with transcription, answered in audio.
    patch = session_patch(dialect, **audio_mode)
    await client.request({"type": "session.update", "session": patch}, "session.updated")
    audio = silence(100) + tone(250, 400) + silence(300)
    for start in range(0, len(audio), 4800):
        chunk = base64.b64encode(audio[start : start + 4800]).decode()
        await client.send({"type": "input_audio_buffer.append", "audio": chunk})
    await client.until("rate_limits.updated")
    # Manual turn, clear, retrieve, delete.
    patch = (
        session_patch(dialect, turn_detection=None)
        if not ga
        else session_patch(dialect, audio={"input": {"turn_detection": None}})
    )
    await client.request({"type": "session.update", "session": patch}, "session.updated")
    await client.send(
        {"type": "input_audio_buffer.append", "audio": base64.b64encode(tone(300, 200)).decode()}
    )
    await client.request(
        {"type": "input_audio_buffer.commit"},
        "conversation.item.input_audio_transcription.completed",
    )
    await client.request({"type": "input_audio_buffer.clear"}, "input_audio_buffer.cleared")
    await client.request(
        {"type": "conversation.item.retrieve", "item_id": item_id}, "conversation.item.retrieved"
    )
    await client.request(
        {"type": "conversation.item.delete", "item_id": item_id}, "conversation.item.deleted"
    )
    # Every error.
    bad: list[JsonObject | str | bytes] = [
        "{oops",
        b"\x00",
        {"event_id": "e1"},
        {"type": "nope"},
        {"type": "session.update", "session": {"type": "realtime", "x": 1} if ga else {"x": 1}},
        {"type": "response.cancel"},
        {"type": "input_audio_buffer.commit"},
        {"type": "conversation.item.delete", "item_id": "missing"},
    ]
    for frame in bad:
        await client.send(frame)
        await client.until("error")
    # Cancel a response mid-stream, and ask for a second one while it runs (deltas 50 ms
    # apart from here on, so both requests land while it streams).
    server.options.delta_delay = 0.05
    await client.send({"type": "response.create"})
    await client.until("response.output_audio.delta" if ga else "response.audio.delta")
    await client.send({"type": "response.create"})
    await client.send({"type": "response.cancel"})
    events = await client.until(done)
    assert events[-1]["response"]["status"] == "cancelled"
    assert any(e["type"] == "error" for e in events)


@pytest.mark.parametrize("dialect", [Dialect.GA, Dialect.BETA])
async def test_every_frame_of_a_full_session_validates(dialect: Dialect) -> None:
    headers = beta_headers() if dialect is Dialect.BETA else None
    async with (
        MockServer(delta_delay=0, seed=11) as mock,
        open_client(mock.ga_url(), headers=headers, skip_greeting=False, dialect=dialect) as client,
    ):
        await client.until("session.created")
        if dialect is Dialect.BETA:
            await client.until("conversation.created")
        await script(mock, client, dialect)
    for event in client.received:  # each was checked on arrival; check again, explicitly
        check_server_event(event, dialect)
    seen = {e["type"] for e in client.received}
    expected = {wire_name(kind, dialect) for kind in PRODUCED}
    if dialect is Dialect.BETA:
        expected.add("conversation.created")
    else:
        expected.add("conversation.item.done")
    assert expected <= seen, f"not exercised: {sorted(expected - seen)}"
    codes = {e["error"]["code"] for e in client.received if e["type"] == "error"}
    assert codes >= {
        "invalid_json",
        "invalid_event",
        "invalid_value",
        "unknown_parameter",
        "response_cancel_not_active",
        "input_audio_buffer_commit_empty",
        "item_not_found",
        "conversation_already_has_active_response",
    }


def test_the_check_catches_wrong_shapes() -> None:
    good = {
        "type": "response.output_text.delta",
        "event_id": "event_1",
        "response_id": "resp_1",
        "item_id": "item_1",
        "output_index": 0,
        "content_index": 0,
        "delta": "hi",
    }
    check_server_event(good, Dialect.GA)
    with pytest.raises(AssertionError, match="not a beta server event"):
        check_server_event(good, Dialect.BETA)  # beta calls it response.text.delta
    with pytest.raises(AssertionError, match="lacks"):
        check_server_event({**good, "surprise": 1}, Dialect.GA)
    with pytest.raises(ValueError, match="delta"):
        check_server_event({k: v for k, v in good.items() if k != "delta"}, Dialect.GA)
    done = {
        "type": "response.function_call_arguments.done",
        "event_id": "e",
        "response_id": "r",
        "item_id": "i",
        "output_index": 0,
        "call_id": "c",
        "arguments": "{}",
        "name": "f",
    }
    check_server_event(done, Dialect.GA)
    with pytest.raises(AssertionError, match="name"):
        check_server_event(done, Dialect.BETA)  # beta's .done has no name
