"""The conversation reducer over recorded frame sequences (tests/fixtures/sequences)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openai.types.beta.realtime import RealtimeServerEvent as BetaServerEvent
from openai.types.realtime import RealtimeServerEvent as GaServerEvent
from pydantic import TypeAdapter

from rt_tui.dialect import Dialect
from rt_tui.realtime.audio_store import BYTES_PER_MS
from rt_tui.realtime.conversation import Conversation
from rt_tui.realtime.conversation_model import Change, Item
from rt_tui.realtime.events import parse_server_frame
from rt_tui.realtime.frames import Direction, Frame

SEQUENCES = Path(__file__).resolve().parents[1] / "fixtures" / "sequences"
SCENARIOS = ["text", "audio", "function_call", "cancel", "error"]


def load_sequence(name: str) -> Iterator[Frame]:
    """The frames of a recorded sequence, as the connection would hand them over."""
    with (SEQUENCES / f"{name}.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            direction = Direction(record["direction"])
            data = record["data"]
            if direction is Direction.SENT:
                yield Frame(direction, record["t_ms"], 0.0, data, client_event=json.loads(data))
            else:
                yield Frame(direction, record["t_ms"], 0.0, data, event=parse_server_frame(data))


def reduce(name: str) -> tuple[Conversation, list[Change]]:
    conversation = Conversation()
    changes = [conversation.apply(frame) for frame in load_sequence(name)]
    return conversation, changes


def state(conversation: Conversation) -> dict[str, Any]:
    """Everything the reducer holds, as plain data, for comparing two runs."""

    def item(it: Item) -> dict[str, Any]:
        return {
            "id": it.id,
            "type": it.type,
            "role": it.role,
            "status": it.status,
            "parts": [
                (p.type, p.text, p.done, p.transcription_error, p.truncated_audio_end_ms)
                for p in it.content
            ],
            "name": it.name,
            "call_id": it.call_id,
            "arguments": it.arguments,
            "output": it.output,
            "response_id": it.response_id,
            "audio": conversation.audio.get(it.id),
        }

    return {
        "items": [item(it) for it in conversation.items],
        "responses": {
            rid: (r.status, r.status_reason, r.error, r.usage, r.output_item_ids, r.timings)
            for rid, r in conversation.responses.items()
        },
        "totals": conversation.totals,
        "rate_limits": conversation.rate_limits,
        "errors": [(e.t_ms, e.error.code, e.client_event_type) for e in conversation.errors],
        "notes": list(conversation.notes),
    }


@pytest.mark.parametrize("name", SCENARIOS)
def test_beta_and_ga_sequences_reduce_to_the_same_state(name: str) -> None:
    ga, _ = reduce(f"{name}_ga")
    beta, _ = reduce(f"{name}_beta")
    assert state(beta) == state(ga)
    assert ga.items, "the scenario produced no items"


@pytest.mark.parametrize("dialect", list(Dialect))
@pytest.mark.parametrize("name", SCENARIOS)
def test_fixture_server_frames_are_valid_sdk_events(name: str, dialect: Dialect) -> None:
    """The fixtures are only worth something if the real protocol could produce them."""
    adapter: TypeAdapter[Any] = TypeAdapter(
        GaServerEvent if dialect is Dialect.GA else BetaServerEvent
    )
    for frame in load_sequence(f"{name}_{dialect.value}"):
        if frame.direction is Direction.RECEIVED:
            assert isinstance(frame.data, str)
            raw = json.loads(frame.data)
            assert adapter.validate_python(raw).type == raw["type"]


def test_text_turn() -> None:
    conversation, changes = reduce("text_ga")
    user, assistant = conversation.items
    assert (user.role, user.text, user.status) == ("user", "hi", "completed")
    assert (assistant.role, assistant.text, assistant.status) == (
        "assistant",
        "Hello there!",
        "completed",
    )
    assert [p.type for p in assistant.content] == ["output_text"]
    assert assistant.content[0].done
    assert assistant.response_id == "resp_001"
    response = conversation.responses["resp_001"]
    assert response.status == "completed"
    assert response.output_item_ids == ["item_asst1"]
    assert response.usage is not None
    assert (response.usage.input_tokens, response.usage.output_tokens) == (20, 5)
    assert response.usage.cached_tokens == 8
    assert conversation.totals.input_tokens == 20
    assert conversation.totals.output_tokens == 5
    assert conversation.totals.cached_tokens == 8
    assert conversation.totals.responses == 1
    assert [limit.name for limit in conversation.rate_limits] == ["requests", "tokens"]
    assert conversation.session is not None
    assert conversation.session["instructions"] == "Be brief."
    assert conversation.errors == []
    assert any(change.totals for change in changes)
    assert any(change.session for change in changes)


def test_text_turn_timings() -> None:
    conversation, _ = reduce("text_ga")
    frames = list(load_sequence("text_ga"))

    def t_of(kind: str) -> float:
        return next(f.t_ms for f in frames if f.wire_type == kind)

    timings = conversation.responses["resp_001"].timings
    assert timings.request_source == "response.create"
    assert timings.requested_ms == t_of("response.create")
    assert timings.created_ms == t_of("response.created")
    assert timings.first_delta_ms == t_of("response.output_text.delta")
    assert timings.done_ms == t_of("response.done")
    assert timings.time_to_first_delta_ms == t_of("response.output_text.delta") - t_of(
        "response.create"
    )
    assert timings.total_ms == t_of("response.done") - t_of("response.create")


def test_each_delta_changes_only_its_item() -> None:
    conversation = Conversation()
    for frame in load_sequence("text_ga"):
        change = conversation.apply(frame)
        if frame.wire_type == "response.output_text.delta":
            assert change.items == {"item_asst1"}
            assert not change.order
            assert not change.totals


def test_audio_turn() -> None:
    conversation, _ = reduce("audio_ga")
    user, assistant = conversation.items
    assert user.id == "item_user1"
    assert [p.type for p in user.content] == ["input_audio"]
    assert user.text == "Hello there."
    assert user.content[0].done
    assert [p.type for p in assistant.content] == ["output_audio"]
    assert assistant.text == "Hi! How can I help?"
    # Three 100 ms chunks, decoded once; no base64 kept anywhere.
    assert conversation.audio.duration_ms("item_asst1") == 300
    assert conversation.audio.size("item_asst1") == 300 * BYTES_PER_MS
    # The user's item keeps the audio sent for it: up to the VAD's audio_end_ms (180 ms).
    assert conversation.audio.duration_ms("item_user1") == 180
    assert conversation.audio.total_bytes == (300 + 180) * BYTES_PER_MS
    timings = conversation.responses["resp_a1"].timings
    assert timings.request_source == "speech_stopped"
    assert timings.requested_ms is not None
    assert timings.created_ms is not None
    assert timings.requested_ms < timings.created_ms


def test_function_call_round_trip() -> None:
    conversation, _ = reduce("function_call_ga")
    assert [(it.id, it.type) for it in conversation.items] == [
        ("item_user1", "message"),
        ("item_call1", "function_call"),
        ("item_out1", "function_call_output"),
        ("item_asst2", "message"),
    ]
    call = conversation.item("item_call1")
    assert call is not None
    assert (call.name, call.call_id, call.arguments) == (
        "get_weather",
        "call_001",
        '{"city": "Paris"}',
    )
    assert json.loads(call.arguments) == {"city": "Paris"}
    output = conversation.item("item_out1")
    assert output is not None
    assert (output.call_id, output.output) == ("call_001", '{"temp_c": 18}')
    answer = conversation.item("item_asst2")
    assert answer is not None
    assert answer.text == "It is 18 °C."
    assert list(conversation.responses) == ["resp_f1", "resp_f2"]
    # Each response.create is credited to its own response.
    first, second = conversation.responses.values()
    assert first.timings.requested_ms is not None
    assert second.timings.requested_ms is not None
    assert first.timings.requested_ms < second.timings.requested_ms
    assert conversation.totals.input_tokens == 140
    assert conversation.totals.cached_tokens == 64
    assert conversation.totals.responses == 2


def test_function_arguments_stream_before_done() -> None:
    conversation = Conversation()
    seen: list[str] = []
    for frame in load_sequence("function_call_beta"):
        conversation.apply(frame)
        if frame.wire_type == "response.function_call_arguments.delta":
            call = conversation.item("item_call1")
            assert call is not None
            seen.append(call.arguments)
    assert seen == ['{"city": ', '{"city": "Paris"}']


def test_cancelled_response() -> None:
    conversation, changes = reduce("cancel_ga")
    response = conversation.responses["resp_c1"]
    assert response.status == "cancelled"
    assert response.status_reason == "client_cancelled"
    assert response.finished
    # The user's message was deleted afterwards; the partial answer stays.
    assert [it.id for it in conversation.items] == ["item_asst1"]
    assert conversation.item("item_user1") is None
    assistant = conversation.items[0]
    assert (assistant.status, assistant.text) == ("incomplete", "Once upon ")
    assert changes[-1].removed_items == {"item_user1"}
    assert changes[-1].order


def test_errors_point_at_the_sent_event() -> None:
    conversation, changes = reduce("error_ga")
    assert [(e.error.code, e.client_event_type) for e in conversation.errors] == [
        ("conversation_already_has_active_response", "response.create"),
        ("input_audio_buffer_commit_empty", "input_audio_buffer.commit"),
    ]
    assert all(e.error.event_id for e in conversation.errors)
    assert sum(change.errors for change in changes) == 2
    # The rejected response.create must not be credited to the next response.
    frames = list(load_sequence("error_ga"))
    creates = [f.t_ms for f in frames if f.wire_type == "response.create"]
    ok, failed = conversation.responses.values()
    assert ok.timings.requested_ms == creates[0]
    assert failed.timings.requested_ms == creates[2]
    assert failed.status == "failed"
    assert failed.status_reason is None
    assert failed.error == {"type": "server_error", "code": "internal_error"}
