"""The event composer's checker: JSON errors by line and column, the event's type for
the dialect, required fields, field types, unknown fields; problems never block."""

from __future__ import annotations

import json

import pytest

from rt_tui.dialect import Dialect
from rt_tui.event_composer.check import check_event
from rt_tui.event_composer.schema import CLIENT_EVENTS


def _problems(event: object, dialect: Dialect = Dialect.GA) -> list[str]:
    text = event if isinstance(event, str) else json.dumps(event)
    return [str(p) for p in check_event(text, dialect).problems]


def test_a_json_error_says_its_line_and_column() -> None:
    result = check_event('{\n  "type": "response.create",\n}', Dialect.GA)
    assert result.errors == 1
    (problem,) = result.problems
    assert (problem.line, problem.column) == (3, 1)
    assert str(problem).startswith("error: line 3, column 1: not valid JSON")


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("[1, 2]", "error: an event is a JSON object, not an array"),
        ("{}", "error: type: the event has no type"),
        ('{"type": 3}', "error: type: expected a string, got an integer (3)"),
        ('"x"', 'error: an event is a JSON object, not a string ("x")'),
    ],
)
def test_what_cannot_be_an_event_is_an_error(text: str, said: str) -> None:
    assert _problems(text) == [said]


def test_the_type_is_checked_against_the_dialect() -> None:
    beta_only = {"type": "transcription_session.update", "session": {}}
    assert _problems(beta_only, Dialect.BETA) == []
    assert _problems(beta_only, Dialect.GA) == [
        "warning: type: transcription_session.update is a beta client event, not a GA one"
    ]
    assert _problems({"type": "response.created"}) == [
        "warning: type: response.created is not a client event of the GA dialect"
    ]


def test_required_fields_types_and_unknown_fields_are_warnings() -> None:
    event = {"type": "conversation.item.truncate", "item_id": 7, "audio_end_ms": 1.5, "x": 1}
    result = check_event(json.dumps(event), Dialect.GA)
    assert result.errors == 0
    assert [str(p) for p in result.problems] == [
        "warning: content_index: required, missing",
        "warning: item_id: expected a string, got an integer (7)",
        "warning: audio_end_ms: expected an integer, got a number (1.5)",
        "warning: x: not a known field",
    ]
    assert result.summary() == "4 warnings"


def test_items_are_checked_by_their_type() -> None:
    item = {"type": "message", "role": "bot", "content": [{"text": "hi"}]}
    assert _problems({"type": "conversation.item.create", "item": item}) == [
        'warning: item.role: expected "user" or "assistant" or "system", got a string ("bot")',
        "warning: item.content[0].type: required, missing",
    ]
    output = {"type": "function_call_output", "output": 1}
    assert _problems({"type": "conversation.item.create", "item": output}) == [
        "warning: item.call_id: required, missing",
        "warning: item.output: expected a string, got an integer (1)",
    ]
    photo = {"type": "conversation.item.create", "item": {"type": "photo"}}
    assert _problems(photo, Dialect.BETA) == [
        "warning: item.type: type must be one of message, function_call, function_call_output"
    ]
    assert _problems(photo) == [
        "warning: item.type: type must be one of message, function_call, function_call_output, "
        "mcp_approval_response"
    ]


def test_an_mcp_approval_response_is_an_item_of_ga_only() -> None:
    approval = {"type": "mcp_approval_response", "approval_request_id": "item_1", "approve": 1}
    assert _problems({"type": "conversation.item.create", "item": approval}) == [
        "warning: item.approve: expected a boolean, got an integer (1)",
    ]
    assert (
        _problems({"type": "conversation.item.create", "item": {**approval, "approve": True}}) == []
    )
    assert _problems(
        {"type": "conversation.item.create", "item": {**approval, "approve": True}}, Dialect.BETA
    ) == ["warning: item.type: type must be one of message, function_call, function_call_output"]


def test_the_session_is_checked_in_the_dialects_shape() -> None:
    ga = {"type": "session.update", "session": {"modalities": ["text"]}}
    assert _problems(ga) == [
        "warning: session.type: required, missing",
        "warning: session.modalities: not a known field",
    ]
    beta = {"type": "session.update", "session": {"modalities": ["text"], "voice": 3}}
    assert _problems(beta, Dialect.BETA) == [
        "warning: session.voice: expected a string, got an integer (3)"
    ]
    deep = {"type": "session.update", "session": {"type": "realtime", "audio": {"output": 1}}}
    assert _problems(deep) == [
        "warning: session.audio.output: expected an object, got an integer (1)"
    ]


def test_response_overrides_follow_the_dialect() -> None:
    ga = {"type": "response.create", "response": {"output_modalities": ["text"]}}
    assert _problems(ga) == []
    assert _problems(ga, Dialect.BETA) == ["warning: response.output_modalities: not a known field"]
    bad = {"type": "response.create", "response": {"conversation": "x", "max_output_tokens": "9"}}
    assert _problems(bad) == [
        'warning: response.conversation: expected "auto" or "none", got a string ("x")',
        'warning: response.max_output_tokens: expected an integer or "inf", got a string ("9")',
    ]


@pytest.mark.parametrize("dialect", list(Dialect))
def test_each_type_with_only_its_type_needs_just_its_required_fields(dialect: Dialect) -> None:
    for event_type, schema in CLIENT_EVENTS[dialect].items():
        result = check_event(json.dumps({"type": event_type, "event_id": "e1"}), dialect)
        assert [p.path for p in result.problems] == list(schema.fields.required)
        assert result.event_type == event_type
