"""Client event builders: shapes per dialect, validated against the openai SDK's unions."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openai.types.beta.realtime import RealtimeClientEvent as BetaClientEvent
from openai.types.realtime import RealtimeClientEvent as GaClientEvent
from pydantic import BaseModel, TypeAdapter

from rt_tui.config import FunctionTool, SessionSettings, TurnDetection
from rt_tui.dialect import Dialect
from rt_tui.realtime import client_events as ce

EXAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "realtime-examples"
CLIENT_EXAMPLES = EXAMPLES / "client_event_examples.jsonl"

# Each dialect's union of client events; `validate` checks it got a model back.
ADAPTERS: dict[Dialect, TypeAdapter[Any]] = {
    Dialect.GA: TypeAdapter(GaClientEvent),
    Dialect.BETA: TypeAdapter(BetaClientEvent),
}


def _extras(model: Any, path: str = "") -> list[str]:
    """Every field the SDK model did not declare (its models silently accept extras)."""
    found: list[str] = []
    if isinstance(model, BaseModel):
        found += [f"{path}.{name}" for name in (model.model_extra or {})]
        for name in type(model).model_fields:
            found += _extras(getattr(model, name), f"{path}.{name}")
    elif isinstance(model, list):
        for index, value in enumerate(model):
            found += _extras(value, f"{path}[{index}]")
    return found


def validate(event: dict[str, Any], dialect: Dialect) -> BaseModel:
    """Validate against the dialect's client-event union, with no undeclared fields."""
    model = ADAPTERS[dialect].validate_python(event)
    assert isinstance(model, BaseModel)
    assert model.type == event["type"]  # type: ignore[attr-defined]
    assert _extras(model) == []
    return model


def _tools() -> list[FunctionTool]:
    return [
        FunctionTool(
            name="get_weather",
            description="Weather for a city.",
            parameters={"type": "object", "properties": {"city": {"type": "string"}}},
        )
    ]


SETTINGS = {
    "defaults": SessionSettings(),
    "server_vad_audio": SessionSettings(
        instructions="Be brief.",
        voice="marin",
        output_modality="audio",
        turn_detection=TurnDetection(type="server_vad", idle_timeout_ms=5000),
        input_transcription_model="whisper-1",
        tools=_tools(),
        max_output_tokens=512,
    ),
    "semantic_vad": SessionSettings(
        turn_detection=TurnDetection(type="semantic_vad", eagerness="high"),
    ),
    "manual": SessionSettings(turn_detection=TurnDetection(type="none"), instructions=""),
    "transcription": SessionSettings(type="transcription"),
    "transcription_manual": SessionSettings(
        type="transcription",
        turn_detection=TurnDetection(type="none"),
        input_transcription_model="whisper-1",
    ),
}


def test_ga_transcription_session_takes_only_its_input_side() -> None:
    # Instructions, voice and tools mean nothing to a session that never answers.
    settings = SessionSettings(type="transcription", instructions="x", voice="marin")
    event = ce.session_update(settings, Dialect.GA)
    assert event["type"] == "session.update"
    assert event["session"] == {
        "type": "transcription",
        "audio": {
            "input": {
                "transcription": {"model": "gpt-4o-transcribe"},
                "turn_detection": ce.session_update(SessionSettings(), Dialect.GA)["session"][
                    "audio"
                ]["input"]["turn_detection"],
            }
        },
    }


def test_beta_transcription_session_has_its_own_event() -> None:
    settings = SessionSettings(
        type="transcription", input_transcription_model="whisper-1", turn_detection={"type": "none"}
    )
    event = ce.session_update(settings, Dialect.BETA)
    assert event == {
        "type": "transcription_session.update",
        "session": {"input_audio_transcription": {"model": "whisper-1"}, "turn_detection": None},
    }


@pytest.mark.parametrize("dialect", list(Dialect))
@pytest.mark.parametrize("name", list(SETTINGS))
def test_session_update_validates_in_its_dialect(name: str, dialect: Dialect) -> None:
    validate(ce.session_update(SETTINGS[name], dialect), dialect)


def test_ga_session_update_is_nested() -> None:
    event = ce.session_update(SETTINGS["server_vad_audio"], Dialect.GA)
    assert event == {
        "type": "session.update",
        "session": {
            "type": "realtime",
            "output_modalities": ["audio"],
            "instructions": "Be brief.",
            "audio": {
                "input": {
                    "transcription": {"model": "whisper-1"},
                    "turn_detection": {
                        "type": "server_vad",
                        "threshold": 0.5,
                        "prefix_padding_ms": 300,
                        "silence_duration_ms": 500,
                        "idle_timeout_ms": 5000,
                        "create_response": True,
                        "interrupt_response": True,
                    },
                },
                "output": {"voice": "marin"},
            },
            "tools": [
                {
                    "type": "function",
                    "name": "get_weather",
                    "description": "Weather for a city.",
                    "parameters": {
                        "type": "object",
                        "properties": {"city": {"type": "string"}},
                    },
                }
            ],
            "max_output_tokens": 512,
        },
    }


def test_beta_session_update_is_flat() -> None:
    event = ce.session_update(SETTINGS["server_vad_audio"], Dialect.BETA)
    session = event["session"]
    assert "type" not in session
    assert session["modalities"] == ["text", "audio"]
    assert session["voice"] == "marin"
    assert session["input_audio_transcription"] == {"model": "whisper-1"}
    assert session["max_response_output_tokens"] == 512
    # idle_timeout_ms is GA-only.
    assert "idle_timeout_ms" not in session["turn_detection"]
    assert session["turn_detection"]["silence_duration_ms"] == 500


def test_unset_fields_are_left_to_the_server() -> None:
    for dialect in Dialect:
        session = ce.session_update(SessionSettings(), dialect)["session"]
        assert "instructions" not in session
        assert "voice" not in session
    ga = ce.session_update(SessionSettings(), Dialect.GA)["session"]
    assert "output" not in ga["audio"]
    assert ga["output_modalities"] == ["text"]
    assert ce.session_update(SessionSettings(), Dialect.BETA)["session"]["modalities"] == ["text"]


def test_empty_instructions_are_sent_because_they_clear_the_prompt() -> None:
    session = ce.session_update(SETTINGS["manual"], Dialect.GA)["session"]
    assert session["instructions"] == ""


def test_manual_turns_send_null_turn_detection() -> None:
    ga = ce.session_update(SETTINGS["manual"], Dialect.GA)["session"]
    beta = ce.session_update(SETTINGS["manual"], Dialect.BETA)["session"]
    assert ga["audio"]["input"]["turn_detection"] is None
    assert "turn_detection" in beta
    assert beta["turn_detection"] is None


def test_semantic_vad_carries_only_its_own_parameters() -> None:
    for dialect in Dialect:
        event = ce.session_update(SETTINGS["semantic_vad"], dialect)
        session = event["session"]
        detection = (
            session["audio"]["input"]["turn_detection"]
            if dialect is Dialect.GA
            else session["turn_detection"]
        )
        assert detection == {
            "type": "semantic_vad",
            "eagerness": "high",
            "create_response": True,
            "interrupt_response": True,
        }


def test_transcription_off_is_an_explicit_null() -> None:
    ga = ce.session_update(SessionSettings(), Dialect.GA)["session"]
    beta = ce.session_update(SessionSettings(), Dialect.BETA)["session"]
    assert ga["audio"]["input"]["transcription"] is None
    assert beta["input_audio_transcription"] is None


BOTH_DIALECT_BUILDERS: dict[str, Callable[[], ce.ClientEvent]] = {
    "user_message": lambda: ce.user_message("hi"),
    "system_message": lambda: ce.system_message("Answer in French."),
    "response_cancel": lambda: ce.response_cancel(),
    "response_cancel_id": lambda: ce.response_cancel("resp_1"),
    "audio_append": lambda: ce.audio_append(b"\x00\x01" * 240),
    "audio_commit": ce.audio_commit,
    "audio_clear": ce.audio_clear,
    "function_call_output": lambda: ce.function_call_output("call_1", '{"ok": true}'),
    "item_delete": lambda: ce.item_delete("item_1"),
    "item_retrieve": lambda: ce.item_retrieve("item_1"),
    "item_truncate": lambda: ce.item_truncate("item_1", 1500),
}


@pytest.mark.parametrize("dialect", list(Dialect))
@pytest.mark.parametrize("name", list(BOTH_DIALECT_BUILDERS))
def test_builder_validates_in_both_dialects(name: str, dialect: Dialect) -> None:
    event = BOTH_DIALECT_BUILDERS[name]()
    assert "event_id" not in event
    validate(event, dialect)


@pytest.mark.parametrize("dialect", list(Dialect))
def test_response_create_validates(dialect: Dialect) -> None:
    assert ce.response_create(dialect) == {"type": "response.create"}
    validate(ce.response_create(dialect), dialect)
    overridden = ce.response_create(dialect, instructions="Shorter.", output_modality="audio")
    validate(overridden, dialect)
    key = "output_modalities" if dialect is Dialect.GA else "modalities"
    expected = ["audio"] if dialect is Dialect.GA else ["text", "audio"]
    assert overridden["response"] == {"instructions": "Shorter.", key: expected}


def test_audio_append_round_trips_the_samples() -> None:
    pcm = bytes(range(256)) * 10
    assert base64.b64decode(ce.audio_append(pcm)["audio"]) == pcm


def test_user_message_shape() -> None:
    assert ce.user_message("hi") == {
        "type": "conversation.item.create",
        "item": {
            "type": "message",
            "role": "user",
            "content": [{"type": "input_text", "text": "hi"}],
        },
    }


@pytest.mark.parametrize(
    ("settings", "server_session", "needed"),
    [
        # The app's defaults on a text server: nothing to update.
        (SessionSettings(), {"type": "realtime", "output_modalities": ["text"]}, False),
        (SessionSettings(), {"modalities": ["text"]}, False),
        # The service starts with audio (either dialect's field); the app wants text.
        (SessionSettings(), {"type": "realtime", "output_modalities": ["audio"]}, True),
        (SessionSettings(), {"modalities": ["text", "audio"]}, True),
        # A server that names no modality is taken as text.
        (SessionSettings(), {}, False),
        # Anything the user changed is sent.
        (SessionSettings(instructions="Be brief."), {"output_modalities": ["text"]}, True),
    ],
)
def test_session_update_needed(
    settings: SessionSettings, server_session: dict[str, Any], needed: bool
) -> None:
    assert ce.session_update_needed(settings, server_session) is needed


def _examples() -> list[dict[str, Any]]:
    with CLIENT_EXAMPLES.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def _keys(value: Any) -> Any:
    """The shape of a JSON value: nested key sets, values dropped."""
    if isinstance(value, dict):
        # A tool's `parameters` is a free-form JSON schema, not part of the event's shape.
        return {
            key: None if key == "parameters" else _keys(item)
            for key, item in value.items()
            if not key.startswith("_")
        }
    if isinstance(value, list):
        return [_keys(item) for item in value[:1]]
    return None


def _example(dialect: Dialect, kind: str) -> dict[str, Any]:
    for example in _examples():
        if example["_dialect"] == dialect.value and example["type"] == kind:
            return example
    raise LookupError(kind)


def _is_subshape(ours: Any, theirs: Any) -> bool:
    if isinstance(ours, dict):
        return isinstance(theirs, dict) and all(
            key in theirs and _is_subshape(value, theirs[key]) for key, value in ours.items()
        )
    if isinstance(ours, list):
        return isinstance(theirs, list) and all(_is_subshape(v, theirs[0]) for v in ours)
    return True


@pytest.mark.parametrize(
    ("dialect", "kind", "event"),
    [
        (Dialect.GA, "conversation.item.create", ce.user_message("hi")),
        (Dialect.BETA, "conversation.item.create", ce.user_message("hi")),
        (Dialect.GA, "input_audio_buffer.append", ce.audio_append(b"\0\0")),
        (Dialect.BETA, "input_audio_buffer.append", ce.audio_append(b"\0\0")),
        (Dialect.GA, "input_audio_buffer.commit", ce.audio_commit()),
        (Dialect.GA, "input_audio_buffer.clear", ce.audio_clear()),
        (Dialect.GA, "response.cancel", ce.response_cancel("resp_1")),
        (Dialect.BETA, "response.cancel", ce.response_cancel()),
        (Dialect.GA, "conversation.item.delete", ce.item_delete("item_1")),
        (Dialect.GA, "conversation.item.truncate", ce.item_truncate("item_1", 10)),
        (Dialect.BETA, "conversation.item.truncate", ce.item_truncate("item_1", 10)),
        (
            Dialect.GA,
            "session.update",
            ce.session_update(SessionSettings(tools=_tools()), Dialect.GA),
        ),
        (
            Dialect.BETA,
            "session.update",
            ce.session_update(SETTINGS["server_vad_audio"], Dialect.BETA),
        ),
    ],
)
def test_builder_matches_the_spec_example_shape(
    dialect: Dialect, kind: str, event: dict[str, Any]
) -> None:
    """Every key we send appears, at the same place, in the spec's own example — except
    the fields those examples do not show (GA audio block, beta interrupt_response);
    the SDK union test above covers those."""
    example = _example(dialect, kind)
    ours = _keys(event)
    if dialect is Dialect.GA and kind == "session.update":
        for key in ("audio", "output_modalities", "max_output_tokens"):
            ours["session"].pop(key)
    if dialect is Dialect.BETA and kind == "session.update":
        ours["session"]["turn_detection"].pop("interrupt_response")
    assert _is_subshape(ours, _keys(example))


@pytest.mark.parametrize(
    "example", [e for e in _examples() if e["type"] != "response.create" or e["_dialect"] == "beta"]
)
def test_spec_examples_pass_the_same_validation(example: dict[str, Any]) -> None:
    """The validator itself accepts the spec's examples, so a pass above means something.
    (The GA out-of-band response.create example is a known SDK gap, PROTOCOL.md §7.)"""
    event = {key: value for key, value in example.items() if not key.startswith("_")}
    ADAPTERS[Dialect(example["_dialect"])].validate_python(event)
