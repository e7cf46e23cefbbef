"""What the mock answers: deterministic text, tool calls when named, tones per word."""

from __future__ import annotations

import json
from typing import Any

from rt_tui.mock.responder import (
    TextReply,
    ToolCallReply,
    chunks,
    echo_text,
    plan_reply,
    speak,
    words,
)
from rt_tui.realtime.audio import duration_ms

TOOL = {
    "type": "function",
    "name": "get_weather",
    "parameters": {
        "type": "object",
        "properties": {"city": {"type": "string"}},
        "required": ["city"],
    },
}


def user(text: str) -> dict[str, Any]:
    return {
        "id": "u",
        "type": "message",
        "role": "user",
        "content": [{"type": "input_text", "text": text}],
    }


def test_words_join_back_exactly() -> None:
    for text in ["", "one", "  lead and trail  ", "a\n\n- b\n```\ncode\n```", echo_text("x", [])]:
        assert "".join(words(text)) == text
    assert len(words("three small words")) == 3
    assert "".join(chunks('{"a": "long value here"}', 5)) == '{"a": "long value here"}'


def test_echo_is_deterministic_markdown() -> None:
    text = echo_text("hello   there", [TOOL])
    assert text == echo_text("hello   there", [TOOL])
    assert text.startswith("You said: “hello there”")
    assert "`get_weather`" in text
    assert "- it echoes your last message" in text
    assert len(echo_text("x" * 1000, [])) < 600  # long input is shortened


def test_plan_calls_a_named_tool_once() -> None:
    reply = plan_reply([user("What does get_weather say?")], [TOOL], "auto", {})
    assert isinstance(reply, ToolCallReply)
    assert json.loads(reply.arguments) == {"city": "mock city"}
    spaced = plan_reply([user("please get weather")], [TOOL], "auto", {})
    assert isinstance(spaced, ToolCallReply)
    called = [user("get_weather"), {"type": "function_call", "name": "get_weather", "call_id": "c"}]
    assert isinstance(plan_reply(called, [TOOL], "auto", {}), TextReply)


def test_plan_respects_tool_choice() -> None:
    assert isinstance(plan_reply([user("get_weather")], [TOOL], "none", {}), TextReply)
    assert isinstance(plan_reply([user("hi")], [TOOL], "required", {}), ToolCallReply)
    forced = {"type": "function", "name": "get_weather"}
    assert isinstance(plan_reply([user("hi")], [TOOL], forced, {}), ToolCallReply)
    assert isinstance(plan_reply([user("hi")], [TOOL], "auto", {}), TextReply)


def test_plan_uses_the_function_output() -> None:
    items = [
        user("get_weather"),
        {"type": "function_call", "name": "get_weather", "call_id": "c1"},
        {"type": "function_call_output", "call_id": "c1", "output": "sunny"},
    ]
    reply = plan_reply(items, [TOOL], "auto", {})
    assert isinstance(reply, TextReply)
    assert "`get_weather`" in reply.text
    assert "sunny" in reply.text


def test_plan_mentions_untranscribed_audio() -> None:
    audio_item = {
        "id": "a1",
        "type": "message",
        "role": "user",
        "content": [{"type": "input_audio"}],
    }
    reply = plan_reply([audio_item], [], "auto", {"a1": 1500.0})
    assert isinstance(reply, TextReply)
    assert "1.5 seconds of audio" in reply.text


def test_each_word_gets_a_tone() -> None:
    assert duration_ms(speak("hello ")) == 60 + 15 * 5 + 40
    assert speak("hello") != speak("world")
    assert duration_ms(speak("   ")) == 40


def test_the_reply_quotes_instructions_the_client_set() -> None:
    reply = plan_reply([user("hi")], [], "auto", {}, instructions="Answer   like a pirate.")
    assert isinstance(reply, TextReply)
    assert "My instructions say: “Answer like a pirate.”" in reply.text
    plain = plan_reply([user("hi")], [], "auto", {})
    assert isinstance(plain, TextReply)
    assert "instructions" not in plain.text
