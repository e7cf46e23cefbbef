"""The UI-free parts of resuming a lost session: backoff, which failures are retried, what a
new session is re-seeded with, and marking what was cut off."""

from __future__ import annotations

import pytest
from test_conversation import Feed, feed

from rt_tui.dialect import Dialect
from rt_tui.realtime.errors import (
    CannotConnect,
    ConnectionDropped,
    HandshakeRejected,
    ProtocolViolation,
    RedirectRefused,
    ServerClosed,
    SignInFailed,
)
from rt_tui.realtime.reseed import reseed
from rt_tui.realtime.retry import Backoff, drop_reason, is_drop, is_retryable

__all__ = ["feed"]  # the fixture, shared with test_conversation


def test_backoff_doubles_from_the_first_delay_up_to_the_cap() -> None:
    backoff = Backoff(first_s=0.5, max_s=30.0)
    most = [backoff.delay(n, random_unit=lambda: 1.0) for n in range(10)]
    assert most == [0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0, 30.0, 30.0]
    least = [backoff.delay(n, random_unit=lambda: 0.0) for n in range(3)]
    assert least == [0.25, 0.5, 1.0]  # the jitter never takes more than half of a step
    assert backoff.delay(10_000, random_unit=lambda: 1.0) == 30.0  # no overflow


def test_backoff_jitter_spreads_the_tries() -> None:
    delays = {Backoff().delay(3) for _ in range(50)}
    assert len(delays) > 1
    assert all(2.0 <= delay <= 4.0 for delay in delays)


@pytest.mark.parametrize("code", [1001, 1006, 1011, 1012, 1013])
def test_drops_are_retried(code: int) -> None:
    assert is_drop(ServerClosed(code, "x"))
    assert is_retryable(ServerClosed(code, "x"))


def test_a_drop_without_a_close_frame_is_retried() -> None:
    assert is_drop(ConnectionDropped("gone"))


@pytest.mark.parametrize(
    "error",
    [
        ServerClosed(3000, "invalid_api_key"),
        ServerClosed(4000, "bad request"),
        ServerClosed(1008, "policy"),
        HandshakeRejected(401),
        HandshakeRejected(403),
        HandshakeRejected(404),
        RedirectRefused("https://elsewhere"),
        ProtocolViolation(1009),
    ],
)
def test_refusals_are_never_retried(error: Exception) -> None:
    assert not is_drop(error)
    assert not is_retryable(error)


def test_a_server_not_back_yet_is_retried_after_a_drop() -> None:
    assert is_retryable(CannotConnect("refused"))
    assert is_retryable(HandshakeRejected(503))
    assert is_retryable(HandshakeRejected(429))
    assert not is_drop(CannotConnect("refused"))  # not at the first connect


def test_an_entra_sign_in_is_retried_only_when_the_service_failed() -> None:
    assert is_retryable(SignInFailed("the sign-in service timed out", retryable=True))
    assert not is_retryable(SignInFailed("no credential here"))


def test_drop_reasons_read_as_sentences() -> None:
    expired = ServerClosed(1001, "x", "Your session hit the maximum duration of 60 minutes.")
    assert drop_reason(expired) == "The session reached its time limit"
    assert drop_reason(ServerClosed(1012, "service restart")) == "The server is restarting"
    assert drop_reason(ConnectionDropped("x")).startswith("The connection dropped")


def conversation_with_turns(feed: Feed) -> None:
    user = {"type": "input_text", "text": "hello"}
    feed.added("u1", None, content=[user], status="completed")
    feed.received(
        "conversation.item.added",
        item={
            "id": "a1",
            "type": "message",
            "role": "assistant",
            "status": "completed",
            "content": [{"type": "output_audio", "transcript": "hi there"}],
        },
    )
    feed.received(
        "conversation.item.added",
        item={
            "id": "c1",
            "type": "function_call",
            "status": "completed",
            "name": "get_weather",
            "call_id": "call_1",
            "arguments": '{"city": "Oslo"}',
        },
    )
    feed.received(
        "conversation.item.added",
        item={"id": "o1", "type": "function_call_output", "call_id": "call_1", "output": "sun"},
    )
    feed.added("u2", None, content=[{"type": "input_audio", "transcript": None}])  # no text


def test_reseed_sends_text_transcripts_calls_and_outputs_in_order(feed: Feed) -> None:
    conversation_with_turns(feed)
    seed = reseed(feed.conversation.items, 20, Dialect.GA)
    items = [event["item"] for event in seed.events]
    assert [event["type"] for event in seed.events] == ["conversation.item.create"] * 4
    assert [item["id"] for item in items] == ["u1", "a1", "c1", "o1"]
    assert items[0]["content"] == [{"type": "input_text", "text": "hello"}]
    assert items[1]["content"] == [{"type": "output_text", "text": "hi there"}]
    assert items[2] == {
        "id": "c1",
        "type": "function_call",
        "name": "get_weather",
        "call_id": "call_1",
        "arguments": '{"city": "Oslo"}',
    }
    assert items[3]["output"] == "sun"
    assert seed.item_ids == {"u1", "a1", "c1", "o1"}
    beta = reseed(feed.conversation.items, 20, Dialect.BETA)
    assert beta.events[1]["item"]["content"][0]["type"] == "text"


def test_reseed_keeps_the_newest_items_and_no_output_without_its_call(feed: Feed) -> None:
    conversation_with_turns(feed)
    assert [e["item"]["id"] for e in reseed(feed.conversation.items, 2, Dialect.GA).events] == [
        "c1",
        "o1",
    ]
    # The call fell outside the limit: its output alone would be refused.
    assert reseed(feed.conversation.items, 1, Dialect.GA).count == 0
    assert reseed(feed.conversation.items, 0, Dialect.GA).count == 0


def test_mark_interrupted_ends_what_streamed_and_the_echo_of_reseeded_items_changes_nothing(
    feed: Feed,
) -> None:
    feed.received("response.created", response={"id": "r1", "status": "in_progress"})
    feed.received(
        "response.output_item.added",
        response_id="r1",
        item={"id": "a1", "type": "message", "role": "assistant", "status": "in_progress"},
    )
    conversation = feed.conversation
    assert conversation.active_response_id == "r1"
    change = conversation.mark_interrupted()
    assert change.responses == {"r1"}
    assert change.items == {"a1"}
    response = conversation.responses["r1"]
    assert (response.status, response.status_reason) == ("incomplete", "interrupted")
    assert conversation.item("a1").status == "incomplete"  # type: ignore[union-attr]
    assert conversation.active_response_id is None
    assert not conversation.mark_interrupted()  # nothing left to cut off

    feed.added("u1", None, content=[{"type": "input_text", "text": "mine"}])
    conversation.expect_reseeded(frozenset({"u1"}))
    echo = [{"type": "input_text", "text": "server's copy"}]
    assert not feed.added("u1", None, content=echo)
    assert conversation.item("u1").text == "mine"
