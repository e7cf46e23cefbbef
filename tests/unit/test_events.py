"""The server frame parser (rt_tui.realtime.events): spec examples, odd input, fuzzing."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from rt_tui.dialect import BETA_TO_GA
from rt_tui.realtime.event_registry import ServerEvent
from rt_tui.realtime.events import (
    BINARY,
    MALFORMED,
    BinaryFrame,
    MalformedFrame,
    UnknownEvent,
    declared_kinds,
    event_from_dict,
    parse_server_frame,
)
from rt_tui.realtime.item_events import (
    InputAudioBufferEvent,
    InputTranscriptionEvent,
    ItemDeleted,
    ItemEvent,
    ItemTruncated,
)
from rt_tui.realtime.response_events import (
    ContentPartEvent,
    DeltaEvent,
    OutputItemEvent,
    PartDoneEvent,
    ResponseEvent,
)
from rt_tui.realtime.session_events import (
    OTHER_KINDS,
    ConversationCreated,
    ErrorEvent,
    ErrorInfo,
    OtherEvent,
    RateLimit,
    RateLimitsEvent,
    SessionEvent,
)

EXAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "realtime-examples"

#: The typed class each documented server event kind (GA names) must parse to.
EXPECTED_CLASS: dict[str, type[ServerEvent]] = {
    "session.created": SessionEvent,
    "session.updated": SessionEvent,
    "conversation.created": ConversationCreated,
    "conversation.item.added": ItemEvent,
    "conversation.item.done": ItemEvent,
    "conversation.item.retrieved": ItemEvent,
    "conversation.item.deleted": ItemDeleted,
    "conversation.item.truncated": ItemTruncated,
    "input_audio_buffer.committed": InputAudioBufferEvent,
    "input_audio_buffer.cleared": InputAudioBufferEvent,
    "input_audio_buffer.speech_started": InputAudioBufferEvent,
    "input_audio_buffer.speech_stopped": InputAudioBufferEvent,
    "input_audio_buffer.timeout_triggered": InputAudioBufferEvent,
    "conversation.item.input_audio_transcription.delta": InputTranscriptionEvent,
    "conversation.item.input_audio_transcription.completed": InputTranscriptionEvent,
    "conversation.item.input_audio_transcription.failed": InputTranscriptionEvent,
    "conversation.item.input_audio_transcription.segment": InputTranscriptionEvent,
    "response.created": ResponseEvent,
    "response.done": ResponseEvent,
    "response.output_item.added": OutputItemEvent,
    "response.output_item.done": OutputItemEvent,
    "response.content_part.added": ContentPartEvent,
    "response.content_part.done": ContentPartEvent,
    "response.output_text.delta": DeltaEvent,
    "response.output_audio.delta": DeltaEvent,
    "response.output_audio_transcript.delta": DeltaEvent,
    "response.function_call_arguments.delta": DeltaEvent,
    "response.mcp_call_arguments.delta": DeltaEvent,
    "response.output_text.done": PartDoneEvent,
    "response.output_audio.done": PartDoneEvent,
    "response.output_audio_transcript.done": PartDoneEvent,
    "response.function_call_arguments.done": PartDoneEvent,
    "response.mcp_call_arguments.done": PartDoneEvent,
    "rate_limits.updated": RateLimitsEvent,
    "error": ErrorEvent,
    **dict.fromkeys(OTHER_KINDS, OtherEvent),
}


def test_the_declared_kinds_are_the_catalogue() -> None:
    assert dict(declared_kinds()) == EXPECTED_CLASS


def _server_examples() -> list[dict[str, Any]]:
    path = EXAMPLES / "server_event_examples.jsonl"
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def _wire(example: dict[str, Any]) -> str:
    return json.dumps({k: v for k, v in example.items() if not k.startswith("_")})


SERVER_EXAMPLES = _server_examples()


def test_examples_are_all_there() -> None:
    assert len(SERVER_EXAMPLES) == 25
    assert {e["_dialect"] for e in SERVER_EXAMPLES} == {"ga", "beta"}


@pytest.mark.parametrize(
    "example", SERVER_EXAMPLES, ids=[f"{e['_dialect']}-{e['type']}" for e in SERVER_EXAMPLES]
)
def test_every_spec_example_parses_to_its_typed_class(example: dict[str, Any]) -> None:
    event = parse_server_frame(_wire(example))
    kind = BETA_TO_GA.get(example["type"], example["type"])
    assert event.kind == kind
    assert event.wire_type == example["type"]
    assert type(event) is EXPECTED_CLASS[kind]
    assert event.raw["type"] == example["type"]
    assert event.event_id == example.get("event_id")


@pytest.mark.parametrize("beta", sorted(BETA_TO_GA))
def test_beta_names_are_normalised(beta: str) -> None:
    event = parse_server_frame(json.dumps({"type": beta, "item": {"id": "x"}}))
    assert event.kind == BETA_TO_GA[beta]
    assert event.wire_type == beta
    assert type(event) is EXPECTED_CLASS[event.kind]


def _example(dialect: str, kind: str) -> ServerEvent:
    for example in SERVER_EXAMPLES:
        if example["_dialect"] == dialect and example["type"] == kind:
            return parse_server_frame(_wire(example))
    raise LookupError(kind)


def test_fields_of_a_text_delta() -> None:
    event = _example("beta", "response.text.delta")
    assert isinstance(event, DeltaEvent)
    assert (event.response_id, event.item_id, event.delta) == (
        "resp_001",
        "msg_007",
        "Sure, I can h",
    )
    assert (event.output_index, event.content_index) == (0, 0)


def test_fields_of_function_arguments() -> None:
    delta = _example("beta", "response.function_call_arguments.delta")
    assert isinstance(delta, DeltaEvent)
    assert delta.call_id == "call_001"
    done = _example("ga", "response.function_call_arguments.done")
    assert isinstance(done, PartDoneEvent)
    assert (done.name, done.call_id) == ("get_weather", "call_001")
    assert json.loads(done.value or "") == {"location": "San Francisco"}


def test_fields_of_response_done_and_error() -> None:
    done = _example("ga", "response.done")
    assert isinstance(done, ResponseEvent)
    assert (done.response_id, done.status) == ("resp_CCXHw0UJld10EzIUXQCNh", "completed")
    error = _example("ga", "error")
    assert isinstance(error, ErrorEvent)
    assert error.error.code == "invalid_event"
    assert error.error.event_id == "event_567"
    assert error.error.one_line() == "invalid_event: The 'type' field is missing."


def test_fields_of_rate_limits_and_transcription() -> None:
    limits = _example("beta", "rate_limits.updated")
    assert isinstance(limits, RateLimitsEvent)
    assert limits.rate_limits[1] == RateLimit("tokens", 50000, 49950, 60.0)
    completed = _example("ga", "conversation.item.input_audio_transcription.completed")
    assert isinstance(completed, InputTranscriptionEvent)
    assert completed.text == "Hey, can you hear me?"


def test_fields_of_buffer_and_item_events() -> None:
    committed = _example("ga", "input_audio_buffer.committed")
    assert isinstance(committed, InputAudioBufferEvent)
    assert (committed.item_id, committed.previous_item_id) == ("msg_002", "msg_001")
    added = _example("ga", "conversation.item.added")
    assert isinstance(added, ItemEvent)
    assert added.item_id == "item_C9G8pGVKYnaZu8PH5YQ9O"
    assert added.previous_item_id is None


def test_dtmf_type_with_a_stray_space_is_recognised() -> None:
    event = parse_server_frame('{"type": " input_audio_buffer.dtmf_event_received"}')
    assert type(event) is OtherEvent
    assert event.kind == "input_audio_buffer.dtmf_event_received"


def test_unknown_type_is_kept_as_unknown() -> None:
    event = parse_server_frame('{"type": "brand.new_event", "x": 1}')
    assert type(event) is UnknownEvent
    assert (event.kind, event.raw["x"]) == ("brand.new_event", 1)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("not json", "The frame is not valid JSON."),
        ("", "The frame is not valid JSON."),
        ('{"type": ', "The frame is not valid JSON."),
        ("[1, 2]", "The frame is JSON but not an object (a list)."),
        ('"type"', "The frame is JSON but not an object (a str)."),
        ("null", "The frame is JSON but not an object (a NoneType)."),
        ("{}", "The frame has no 'type' field."),
        ('{"type": 5}', "The frame has no 'type' field."),
        ("[" * 100_000, "The frame is not valid JSON."),
    ],
)
def test_malformed_frames_say_why(text: str, reason: str) -> None:
    event = parse_server_frame(text)
    assert isinstance(event, MalformedFrame)
    assert event.kind == MALFORMED
    assert event.reason == reason
    assert event.text == text


def test_object_without_type_keeps_its_content() -> None:
    event = parse_server_frame('{"event_id": "e1"}')
    assert isinstance(event, MalformedFrame)
    assert event.raw == {"event_id": "e1"}
    assert event.event_id == "e1"


@pytest.mark.parametrize("data", [b"\x00\x01\x02", bytearray(b"abc"), b""])
def test_binary_frames(data: bytes) -> None:
    event = parse_server_frame(data)
    assert isinstance(event, BinaryFrame)
    assert (event.kind, event.size) == (BINARY, len(data))


def test_wrongly_typed_fields_fall_back_to_defaults() -> None:
    event = parse_server_frame(
        json.dumps(
            {
                "type": "response.output_text.delta",
                "response_id": 7,
                "item_id": None,
                "output_index": "0",
                "content_index": True,
                "delta": ["x"],
            }
        )
    )
    assert isinstance(event, DeltaEvent)
    assert (event.response_id, event.item_id, event.delta) == ("", "", "")
    assert (event.output_index, event.content_index) == (0, 0)


def test_huge_numbers_do_not_break_rate_limits() -> None:
    frame = (
        '{"type": "rate_limits.updated", "rate_limits": [{"name": "tokens", "reset_seconds": 1%s}]}'
    )
    event = parse_server_frame(frame % ("0" * 400))
    assert isinstance(event, RateLimitsEvent)
    assert event.rate_limits[0].reset_seconds is None


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)
KNOWN_KINDS = sorted(EXPECTED_CLASS) + sorted(BETA_TO_GA)
FIELD_NAMES = st.sampled_from(
    [
        "event_id", "item_id", "response_id", "previous_item_id", "output_index",
        "content_index", "delta", "text", "transcript", "arguments", "name", "call_id",
        "item", "response", "part", "session", "error", "rate_limits", "audio_start_ms",
        "audio_end_ms", "conversation", "usage", "status", "output",
    ]
)  # fmt: skip
FRAMES = st.builds(
    lambda kind, fields: {"type": kind, **fields},
    st.sampled_from(KNOWN_KINDS) | st.text(max_size=30),
    st.dictionaries(FIELD_NAMES, JSON, max_size=6),
)


@settings(max_examples=300, deadline=None)
@given(FRAMES)
def test_parser_never_raises_on_known_kinds_with_junk_fields(frame: dict[str, Any]) -> None:
    event = parse_server_frame(json.dumps(frame))
    assert isinstance(event, ServerEvent)


@settings(max_examples=200, deadline=None)
@given(st.one_of(JSON.map(json.dumps), st.text(max_size=50), st.binary(max_size=50)))
def test_parser_never_raises_on_anything(data: str | bytes) -> None:
    assert isinstance(parse_server_frame(data), ServerEvent)


@settings(max_examples=300, deadline=None)
@given(
    FRAMES,
    st.sampled_from(["", " ", "\n", "\t "]),
    st.sampled_from(["", " ", "\r\n", " x", "}"]),
    st.sampled_from([None, 1]),
)
def test_the_parser_reads_a_frame_as_json_loads_does(
    frame: dict[str, Any], before: str, after: str, indent: int | None
) -> None:
    text = before + json.dumps(frame, indent=indent) + after
    assume("NaN" not in text)  # NaN is not equal to itself, so the events would differ
    event = parse_server_frame(text)
    try:
        decoded = json.loads(text)
    except ValueError:
        assert isinstance(event, MalformedFrame)
        assert event.reason == "The frame is not valid JSON."
    else:
        assert event == event_from_dict(decoded)


class PlainDelta(DeltaEvent):
    """Built by the dataclass's own constructor (`from_raw`'s path for subclasses)."""

    __slots__ = ()


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(FIELD_NAMES, JSON | st.integers() | st.booleans(), max_size=8))
def test_a_delta_event_is_built_as_its_dataclass_builds_it(fields: dict[str, Any]) -> None:
    kind = "response.output_audio.delta"
    raw = {"type": kind, **fields}
    built = DeltaEvent.from_raw(kind, kind, raw)
    plain = PlainDelta.from_raw(kind, kind, raw)
    names = [f.name for f in dataclasses.fields(DeltaEvent)]
    assert type(built) is DeltaEvent
    assert [getattr(built, n) for n in names] == [getattr(plain, n) for n in names]
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.delta = "x"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("param", "message", "line"),
    [
        (
            "temperature",
            "Invalid value: 'x'.",
            "invalid_value (param 'temperature'): Invalid value: 'x'.",
        ),
        (
            "session.voice",
            "Unknown parameter: 'session.voice'.",
            "invalid_value: Unknown parameter: 'session.voice'.",
        ),
        (None, "Invalid value: 'x'.", "invalid_value: Invalid value: 'x'."),
    ],
)
def test_an_errors_one_line_names_its_param_unless_the_message_does(
    param: str | None, message: str, line: str
) -> None:
    info = ErrorInfo("invalid_request_error", "invalid_value", message, param, None)
    assert info.one_line() == line


@pytest.mark.parametrize("what", ["created", "updated"])
def test_beta_transcription_session_events_are_session_events(what: str) -> None:
    session = {"object": "realtime.transcription_session", "turn_detection": None}
    raw = {"type": f"transcription_session.{what}", "session": session}
    event = event_from_dict(raw)
    assert isinstance(event, SessionEvent)
    assert event.kind == f"session.{what}"
    assert event.session == session
