"""The settings form's pure helpers (no Textual): conversion, validation, outcomes."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest
from pydantic import SecretStr

from rt_tui.config import (
    Config,
    FunctionTool,
    McpTool,
    Profile,
    Provider,
    SessionSettings,
    SessionTool,
    TurnDetection,
)
from rt_tui.tui.screens.settings.form import (
    SessionForm,
    apply_kind,
    build_session,
    parse_tools,
    session_to_form,
    tools_to_json,
)
from rt_tui.tui.screens.settings.profile_form import (
    ProfileForm,
    build_profile,
    endpoint_preview,
    key_status,
    profile_to_form,
)

KEY = "sk-form-SECRET-42"


def test_profile_round_trip_keeps_the_stored_key_out_of_the_form() -> None:
    stored = Profile(provider=Provider.URL, endpoint="wss://h:1/x", api_key=SecretStr(KEY))
    form = profile_to_form("lab", stored)
    assert form.keep_key
    assert form.new_key == ""
    assert KEY not in repr(form)
    profile, errors = build_profile(form, stored, set(), {})
    assert errors == {}
    assert profile == stored


def test_session_round_trip() -> None:
    settings = SessionSettings(
        instructions="Hi",
        voice="ash",
        output_modality="audio",
        turn_detection=TurnDetection(type="semantic_vad", eagerness="high", idle_timeout_ms=9),
        input_transcription_model="whisper-1",
        tools=[FunctionTool(name="f", description="d")],
        max_output_tokens=100,
    )
    rebuilt, errors = build_session(session_to_form(settings), settings)
    assert errors == {}
    assert rebuilt == settings


def test_hidden_turn_parameters_keep_their_previous_values() -> None:
    previous = SessionSettings(turn_detection=TurnDetection(threshold=0.9))
    form = replace(session_to_form(previous), turn_type="none", threshold="garbage")
    settings, errors = build_session(form, previous)
    assert errors == {}
    assert settings is not None
    assert settings.turn_detection.type == "none"
    assert settings.turn_detection.threshold == 0.9


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{", "Line 1, column 2"),
        ('{"name": "f"}', "must be a JSON list"),
        ("[1]", "Tool 1: must be an object"),
        ('[{"name": "f"}, {"description": "x"}]', "Tool 2, name: This is required."),
        ('[{"name": "f", "colour": "red"}]', "Tool 1, colour: This field is not allowed."),
        ('[{"name": "f"}, {"name": "f"}]', "repeated: f"),
        ('[{"name": "f", "answer": "command"}]', 'Tool 1: answer = "command" needs a command'),
        ('[{"type": "mcp", "server_label": "d"}]', "Tool 1, server_url: This is required."),
    ],
)
def test_tool_errors(text: str, expected: str) -> None:
    tools, error = parse_tools(text)
    assert tools == []
    assert error is not None
    assert expected in error


def test_tools_json_round_trip_and_empty() -> None:
    assert parse_tools("  ") == ([], None)
    tools = [FunctionTool(name="lookup", description="Find", parameters={"type": "object"})]
    assert tools_to_json([]) == ""
    assert parse_tools(tools_to_json(tools)) == (tools, None)


def test_tools_json_keeps_who_answers_and_mcp_servers() -> None:
    tools: list[SessionTool] = [
        FunctionTool(name="ask_me"),
        FunctionTool(name="get_time", answer="demo"),
        FunctionTool(name="lookup", answer="command", command="./lookup", timeout_s=3),
        McpTool(server_label="docs", server_url="https://mcp.example"),
    ]
    text = tools_to_json(tools)
    assert parse_tools(text) == (tools, None)
    written = json.loads(text)
    assert "answer" not in written[0]  # Asking is the default: not spelled out.
    assert "command" not in written[1]
    assert written[2]["command"] == "./lookup"
    assert written[3]["type"] == "mcp"


@pytest.mark.parametrize(
    ("changes", "field_id"),
    [
        ({"name": " "}, "profile-name"),
        ({"name": "taken"}, "profile-name"),
        ({"api_key_env": "1BAD"}, "api-key-env"),
        ({"provider": "azure", "model": ""}, "model"),
        ({"provider": "azure"}, "endpoint"),  # azure needs a resource
        ({"provider": "azure-preview", "endpoint": "r", "api_version": ""}, "api-version"),
        ({"provider": "url", "endpoint": "ftp://not-a-socket"}, "endpoint"),
        ({"keep_key": True}, "api-key"),
    ],
)
def test_profile_errors_point_at_their_field(changes: dict[str, Any], field_id: str) -> None:
    form = replace(ProfileForm(name="p", model="m"), **changes)
    profile, errors = build_profile(form, None, {"taken"}, {})
    assert profile is None
    assert field_id in errors
    assert errors[field_id].endswith(".")


@pytest.mark.parametrize(
    ("changes", "field_id"),
    [
        ({"max_output_tokens": "0"}, "max-tokens"),
        ({"max_output_tokens": "5000"}, "max-tokens"),
        ({"threshold": "x"}, "vad-threshold"),
        ({"prefix_padding_ms": "-1"}, "vad-prefix"),
        ({"idle_timeout_ms": "soon"}, "vad-idle"),
        ({"tools_json": "[}"}, "tools"),
    ],
)
def test_session_errors_point_at_their_field(changes: dict[str, Any], field_id: str) -> None:
    form = replace(SessionForm(), **changes)
    settings, errors = build_session(form, SessionSettings())
    assert settings is None
    assert field_id in errors


def test_endpoint_preview_is_redacted_and_needs_no_key() -> None:
    profile = Profile(provider=Provider.URL, endpoint="wss://h/v1/realtime?api-key=topsecret")
    preview = endpoint_preview(profile, {})
    assert preview is not None
    assert "topsecret" not in preview
    assert endpoint_preview(Profile(provider=Provider.URL), {}) is None


def test_key_status_never_contains_the_key() -> None:
    env = {"OPENAI_API_KEY": KEY}
    stored = Profile(api_key=SecretStr(KEY))
    cases = [
        (profile_to_form("p", stored), stored, env, "stored in file (used instead of $OPENAI"),
        (profile_to_form("p", Profile()), None, env, "set in $OPENAI_API_KEY"),
        (profile_to_form("p", Profile()), None, {}, "not set: export $OPENAI_API_KEY"),
        (
            replace(profile_to_form("p", Profile()), keep_key=True, new_key=KEY),
            None,
            {},
            "typed, kept in the file on save",
        ),
        (
            replace(profile_to_form("p", Profile()), api_key_env="MINE"),
            None,
            {"MINE": KEY},
            "set in $MINE",
        ),
    ]
    for form, previous, environment, expected in cases:
        status = key_status(form, previous, environment)
        assert expected in status
        assert KEY not in status


def test_apply_kind() -> None:
    base = Config(active_profile="a", profiles={"a": Profile(), "b": Profile()})
    assert apply_kind(base, base.model_copy(deep=True)) == "none"
    new_session = base.model_copy(update={"session": SessionSettings(voice="ash")})
    assert apply_kind(base, new_session) == "session"
    switched = base.model_copy(
        update={"active_profile": "b", "profiles": {"a": Profile(), "b": Profile(model="x")}}
    )
    assert apply_kind(base, switched) == "reconnect"
    other_edited = base.model_copy(update={"profiles": {"a": Profile(), "b": Profile(model="x")}})
    assert apply_kind(base, other_edited) == "none"
    both = switched.model_copy(update={"session": SessionSettings(voice="ash")})
    assert apply_kind(base, both) == "reconnect"


def test_secret_in_an_endpoint_url_is_shown_redacted_and_kept() -> None:
    url = f"wss://host/v1/realtime?model=m&api-key={KEY}"
    stored = Profile(provider=Provider.URL, endpoint=url)
    form = profile_to_form("lab", stored)
    assert KEY not in form.endpoint
    assert "api-key=***" in form.endpoint
    unchanged, _ = build_profile(form, stored, set(), {})
    assert unchanged is not None
    assert unchanged.endpoint == url
    edited, _ = build_profile(replace(form, endpoint="wss://other/x"), stored, set(), {})
    assert edited is not None
    assert edited.endpoint == "wss://other/x"
