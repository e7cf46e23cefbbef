"""The declaration of server event types (`event_registry`, and the family modules):
one class a type, which the parser in `rt_tui.realtime.events` finds through
`server_event`, and everything exported."""

from __future__ import annotations

import dataclasses
import inspect
import json
from collections.abc import Iterator
from types import ModuleType
from typing import Any, Self

import pytest

from rt_tui.realtime import (
    event_registry,
    events,
    item_events,
    response_events,
    session_events,
)
from rt_tui.realtime.event_registry import ServerEvent, server_event
from rt_tui.realtime.json_fields import JsonObject, str_at
from rt_tui.realtime.response_events import PartDoneEvent
from rt_tui.realtime.session_events import OtherEvent


@pytest.fixture
def own_table() -> Iterator[None]:
    """Declarations made by a test stay in that test (the tables are restored in place:
    the parser holds them)."""
    tables: list[dict[str, Any]] = [event_registry.CLASSES, event_registry.BY_WIRE_TYPE]
    saved = [dict(table) for table in tables]
    yield
    for table, copy in zip(tables, saved, strict=True):
        table.clear()
        table.update(copy)


@pytest.mark.usefixtures("own_table")
def test_a_new_event_type_is_one_declaration() -> None:
    @server_event("output_audio_buffer.meter")
    @dataclasses.dataclass(frozen=True, slots=True)
    class MeterEvent(ServerEvent):
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
        server_event("response.text.delta")(OtherEvent)
    with pytest.raises(ValueError, match="DeltaEvent already"):
        server_event("response.output_text.delta")(OtherEvent)


def test_a_declared_kind_is_found_under_its_beta_name() -> None:
    event = events.parse_server_frame('{"type": "response.audio_transcript.done"}')
    assert type(event) is PartDoneEvent
    assert event.kind == "response.output_audio_transcript.done"


EVENT_MODULES = (event_registry, events, item_events, response_events, session_events)


@pytest.mark.parametrize("module", EVENT_MODULES, ids=lambda module: module.__name__)
def test_every_event_class_is_exported(module: ModuleType) -> None:
    classes = {
        name: value
        for name, value in vars(module).items()
        if inspect.isclass(value) and value.__module__ == module.__name__
    }
    assert classes
    for name, value in classes.items():
        assert name in module.__all__, name
        assert dataclasses.is_dataclass(value)


@pytest.mark.parametrize("module", EVENT_MODULES, ids=lambda module: module.__name__)
def test_everything_an_event_module_exports_exists(module: ModuleType) -> None:
    missing = [name for name in module.__all__ if not hasattr(module, name)]
    assert missing == []


def test_every_declared_class_lives_in_a_family_module() -> None:
    families = {item_events.__name__, response_events.__name__, session_events.__name__}
    assert {cls.__module__ for cls in events.declared_kinds().values()} == families
