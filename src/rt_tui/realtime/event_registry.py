"""The table of server event types: the base event, and the `server_event` declaration
that puts a class in the table the parser (`events.parse_server_frame`) dispatches on.

The declarations themselves live by family: `session_events`, `item_events`,
`response_events`; `events` imports them all, so the table is complete once it is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Self, TypeVar

from rt_tui.dialect import BETA_TRANSCRIPTION_TO_GA, GA_TO_BETA, normalise
from rt_tui.realtime.json_fields import JsonObject, opt_str_at

__all__ = ["BY_WIRE_TYPE", "CLASSES", "Builder", "ServerEvent", "fast_builder", "server_event"]

Builder = Callable[[str, str, JsonObject], "ServerEvent"]
"""Builds the event of one kind: (kind, wire type, decoded frame) → event. Never raises."""

_E = TypeVar("_E", bound="ServerEvent")

BY_WIRE_TYPE: dict[str, tuple[str, Builder]] = {}
"""Wire name (GA, and beta where it differs) → (GA kind, builder): one lookup a frame.
Written only by `server_event` and `fast_builder`."""
CLASSES: dict[str, type[ServerEvent]] = {}
"""Every declared kind (GA name) → the class it parses to."""


def server_event(*kinds: str) -> Callable[[type[_E]], type[_E]]:
    """Class decorator: the parser builds frames of these kinds (GA names) with
    `cls.from_raw`. Apply it above `@dataclass`, so the final class is the one registered."""

    def register(cls: type[_E]) -> type[_E]:
        for kind in kinds:
            if normalise(kind) != kind:
                raise ValueError(f"{kind!r} is a beta name: declare {normalise(kind)!r}.")
            if kind in CLASSES:
                raise ValueError(f"{kind!r} is declared by {CLASSES[kind].__name__} already.")
            CLASSES[kind] = cls
            entry = (kind, cls.from_raw)
            BY_WIRE_TYPE[kind] = entry
            if kind in GA_TO_BETA:
                BY_WIRE_TYPE[GA_TO_BETA[kind]] = entry
            for beta, ga in BETA_TRANSCRIPTION_TO_GA.items():
                if ga == kind:
                    BY_WIRE_TYPE[beta] = entry
        return cls

    return register


def fast_builder(cls: type[ServerEvent], build: Builder) -> None:
    """The parser calls `build` straight away for `cls`'s kinds, instead of `cls.from_raw`
    (for the most frequent frames, skipping from_raw's own dispatch)."""
    BY_WIRE_TYPE.update(
        {
            wire_type: (kind, build)
            for wire_type, (kind, builder) in BY_WIRE_TYPE.items()
            if builder == cls.from_raw
        }
    )


@dataclass(frozen=True, slots=True)
class ServerEvent:
    """Base of every parsed server frame."""

    kind: str
    """Internal name (GA vocabulary), e.g. `response.output_text.delta`."""
    wire_type: str
    """The `type` as it came on the wire, e.g. beta `response.text.delta`."""
    raw: JsonObject = field(repr=False)
    """The frame as decoded JSON (empty for frames that were not a JSON object)."""

    @classmethod
    def from_raw(cls, kind: str, wire_type: str, raw: JsonObject) -> Self:
        """The event for a decoded frame of `kind`; classes with fields override it."""
        return cls(kind, wire_type, raw)

    @property
    def event_id(self) -> str | None:
        return opt_str_at(self.raw, "event_id")
