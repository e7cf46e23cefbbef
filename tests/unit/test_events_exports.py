"""The event classes moved to `event_types` stay importable, unchanged, from `events`."""

from __future__ import annotations

import dataclasses
import inspect

from rt_tui.realtime import event_types, events


def test_every_event_type_is_reexported_from_events() -> None:
    classes = {
        name: value
        for name, value in vars(event_types).items()
        if inspect.isclass(value) and value.__module__ == event_types.__name__
    }
    assert "DeltaEvent" in classes
    assert "ErrorInfo" in classes
    for name, value in classes.items():
        assert getattr(events, name) is value, name
        assert name in events.__all__
        assert dataclasses.is_dataclass(value)
    assert events.JsonObject is event_types.JsonObject


def test_everything_events_exports_exists() -> None:
    missing = [name for name in events.__all__ if not hasattr(events, name)]
    assert missing == []
