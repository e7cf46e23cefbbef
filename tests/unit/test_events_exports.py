"""The declaration of server event types in `rt_tui.realtime.events`: one class a type,
which the parser finds through `server_event`, and everything exported."""

from __future__ import annotations

import dataclasses
import inspect
import json
from typing import Self

import pytest

from rt_tui.realtime import events
from rt_tui.realtime.json_fields import JsonObject, str_at


@pytest.fixture
def own_table(monkeypatch: pytest.MonkeyPatch) -> None:
    """Declarations made by a test stay in that test."""
    monkeypatch.setattr(events, "_CLASSES", dict(events._CLASSES))
    monkeypatch.setattr(events, "_BY_WIRE_TYPE", dict(events._BY_WIRE_TYPE))


@pytest.mark.usefixtures("own_table")
def test_a_new_event_type_is_one_declaration() -> None:
    @events.server_event("output_audio_buffer.meter")
    @dataclasses.dataclass(frozen=True, slots=True)
    class MeterEvent(events.ServerEvent):
        response_id: str

        @classmethod
        def from_raw(cls, kind: str, wire_type: str, raw: JsonObject) -> Self:
            return cls(kind, wire_type, raw, response_id=str_at(raw, "response_id"))

    frame = {"type": "output_audio_buffer.meter", "response_id": "resp_1"}
    event = events.parse_server_frame(json.dumps(frame))
    assert type(event) is MeterEvent
    assert (event.kind, event.response_id) == ("output_audio_buffer.meter", "resp_1")
    assert events.declared_kinds()["output_audio_buffer.meter"] is MeterEvent
    junk = events.parse_server_frame('{"type": "output_audio_buffer.meter", "response_id": 5}')
    assert isinstance(junk, MeterEvent)
    assert junk.response_id == ""


@pytest.mark.usefixtures("own_table")
def test_beta_names_and_second_declarations_are_refused() -> None:
    with pytest.raises(ValueError, match="beta name"):
        events.server_event("response.text.delta")(events.OtherEvent)
    with pytest.raises(ValueError, match="DeltaEvent already"):
        events.server_event("response.output_text.delta")(events.OtherEvent)


def test_a_declared_kind_is_found_under_its_beta_name() -> None:
    event = events.parse_server_frame('{"type": "response.audio_transcript.done"}')
    assert type(event) is events.PartDoneEvent
    assert event.kind == "response.output_audio_transcript.done"


def test_every_event_class_is_exported() -> None:
    classes = {
        name: value
        for name, value in vars(events).items()
        if inspect.isclass(value) and value.__module__ == events.__name__
    }
    assert "DeltaEvent" in classes
    assert "ErrorInfo" in classes
    for name, value in classes.items():
        assert name in events.__all__, name
        assert dataclasses.is_dataclass(value)


def test_everything_events_exports_exists() -> None:
    missing = [name for name in events.__all__ if not hasattr(events, name)]
    assert missing == []
