"""Where each conversation item and response first shows among a session's frames, and
which item and response a frame is about: the way from a conversation item to its frames
in the inspector, and back.

`FrameLandmarks.add` notes the first frame that names each item id and each response id
(a few dict lookups a frame, so it keeps up with a live session). `subject_of_text` reads
the item and response one frame names, from its text, when the user asks.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from rt_tui.realtime.events import parse_server_frame
from rt_tui.realtime.frames import Direction, Frame
from rt_tui.realtime.response_events import DeltaEvent

__all__ = ["FrameLandmarks", "Subject", "subject_of", "subject_of_text"]


@dataclass(frozen=True, slots=True)
class Subject:
    """The conversation item and the response a frame names (either may be missing)."""

    item_id: str | None = None
    response_id: str | None = None

    def __bool__(self) -> bool:
        return self.item_id is not None or self.response_id is not None


def _id_in(value: object) -> str | None:
    """The `id` of a nested object (`item`, `response`)."""
    if isinstance(value, dict):
        found = value.get("id")
        if isinstance(found, str) and found:
            return found
    return None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def subject_of(event: Mapping[str, Any]) -> Subject:
    """The item and response a decoded frame names, in either direction and dialect:
    `item_id` or `item.id`, `response_id` or `response.id`."""
    item_id = _text(event.get("item_id")) or _id_in(event.get("item"))
    response_id = _text(event.get("response_id")) or _id_in(event.get("response"))
    return Subject(item_id, response_id)


def subject_of_text(text: str | bytes) -> Subject:
    """What a frame's text names; nothing for a frame that is not a JSON object."""
    if isinstance(text, bytes):
        return Subject()
    try:
        decoded = json.loads(text)
    except ValueError:
        return Subject()
    return subject_of(decoded) if isinstance(decoded, dict) else Subject()


class FrameLandmarks:
    """The number of the first frame naming each item and each response."""

    def __init__(self) -> None:
        self._items: dict[str, int] = {}
        self._responses: dict[str, int] = {}

    def add(self, frame: Frame, index: int) -> None:
        """Note what frame number `index` names, if nothing named it before."""
        if frame.direction is Direction.SENT:
            if frame.client_event is not None:
                self._note(subject_of(frame.client_event), index)
            return
        event = frame.event if frame.event is not None else parse_server_frame(frame.data)
        if isinstance(event, DeltaEvent):  # Most frames: their ids are read already.
            if event.item_id in self._items and event.response_id in self._responses:
                return
            self._note(Subject(event.item_id or None, event.response_id or None), index)
        else:
            self._note(subject_of(event.raw), index)

    def _note(self, subject: Subject, index: int) -> None:
        item_id, response_id = subject.item_id, subject.response_id
        if item_id is not None and item_id not in self._items:
            self._items[item_id] = index
        if response_id is not None and response_id not in self._responses:
            self._responses[response_id] = index

    def first_of_item(self, item_id: str) -> int | None:
        """The first frame naming the item, if any did."""
        return self._items.get(item_id)

    def first_of_response(self, response_id: str) -> int | None:
        """The first frame naming the response, if any did."""
        return self._responses.get(response_id)

    def clear(self) -> None:
        self._items.clear()
        self._responses.clear()
