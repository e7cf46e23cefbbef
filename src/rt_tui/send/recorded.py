"""What `rt-tui replay LOG --send URL` sends again: a log's client events, socket by socket,
with their recorded times, and the ids the server gave out in the recording.

A recorded session names the server's ids (an item's, a response's, a function call's) in
the events it sent later: a `response.cancel`, a `function_call_output`. A new server gives
out new ones, so `ServerIds` pairs them by kind and order (the recording's second response
is the new session's second response) and rewrites an event to name the new one. Ids the
client made up (an item it created with its own id) are sent as they are.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from rt_tui.inspector.logs import OnSkip, iter_entries
from rt_tui.inspector.playback import play_times
from rt_tui.realtime.frames import Direction, Frame
from rt_tui.realtime.socket_mark import SocketMark

_ID_KINDS: Final = {
    "item_id": "item",
    "previous_item_id": "item",
    "response_id": "response",
    "call_id": "call",
}
"""Keys whose string value is an id, and of what."""
_HOLDERS: Final = {"item": "item", "output": "item", "response": "response"}
"""Keys whose object's (or objects') `id` is the id of an item or a response."""


def ids_in(value: Any, holder: str = "") -> Iterator[tuple[str, str]]:
    """The (kind, id) pairs a decoded event names, in order: items, responses, calls."""
    if isinstance(value, dict):
        for key, inner in value.items():
            if isinstance(inner, str) and inner:
                kind = _ID_KINDS.get(key) or (_HOLDERS.get(holder) if key == "id" else None)
                if kind is not None:
                    yield kind, inner
            else:
                yield from ids_in(inner, key)
    elif isinstance(value, list):
        for inner in value:
            yield from ids_in(inner, holder)


def _decoded(data: str | bytes) -> Any:
    if isinstance(data, bytes):
        return None
    try:
        return json.loads(data)
    except ValueError:
        return None


@dataclass
class ServerIds:
    """The ids one side's server gave out, by kind, in the order it first named them;
    ids the client named first are its own and not counted."""

    given: dict[str, list[str]] = field(default_factory=dict)
    _seen: set[str] = field(default_factory=set)

    def client_named(self, event: Any) -> None:
        """The client sent `event`: the ids it names first are its own."""
        self._seen.update(found for _kind, found in ids_in(event))

    def server_named(self, event: Any) -> None:
        """The server sent `event`: the ids it names first are the server's."""
        for kind, found in ids_in(event):
            if found not in self._seen:
                self._seen.add(found)
                self.given.setdefault(kind, []).append(found)

    def place(self, server_id: str) -> tuple[str, int] | None:
        """Which of its kind, in order, `server_id` is; None if the server did not give it."""
        for kind, ids in self.given.items():
            if server_id in ids:
                return kind, ids.index(server_id)
        return None


def translate(event: Any, recorded: ServerIds, live: ServerIds) -> tuple[Any, list[str]]:
    """`event` naming the live server's ids where it names the recorded server's; and the
    recorded ids the live server has given no counterpart for yet."""
    missing: list[str] = []

    def swap(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: swap(inner) for key, inner in value.items()}
        if isinstance(value, list):
            return [swap(inner) for inner in value]
        if isinstance(value, str):
            place = recorded.place(value)
            if place is not None:
                kind, index = place
                ids = live.given.get(kind, [])
                if index < len(ids):
                    return ids[index]
                missing.append(value)
        return value

    return swap(event), missing


@dataclass
class RecordedEvent:
    """A client event to send again, as recorded, `at_ms` after the socket's first frame
    from the server."""

    at_ms: float
    data: str | bytes

    @property
    def decoded(self) -> Any:
        """The event as JSON (None for one that is not)."""
        return _decoded(self.data)


@dataclass
class RecordedSocket:
    """One socket of a recorded session: what the client sent on it and what ids the
    server gave out, with the times counted from the server's first frame."""

    mark: SocketMark | None = None
    """Where it took the session over (None for the first socket)."""
    events: list[RecordedEvent] = field(default_factory=list)
    ids: ServerIds = field(default_factory=ServerIds)
    end_ms: float = 0.0
    """The time of its last frame."""
    frames: int = 0
    _first_received_ms: float | None = None

    def take(self, frame: Frame, t_ms: float) -> None:
        """Add a recorded frame, at `t_ms` on the log's running clock."""
        self.frames += 1
        decoded = _decoded(frame.redacted if frame.redacted is not None else frame.data)
        if frame.direction is Direction.RECEIVED:
            if self._first_received_ms is None:
                self._first_received_ms = t_ms
            self.ids.server_named(decoded)
        else:
            self.ids.client_named(decoded)
            # Sent before the server's first frame: sent once it comes.
            start = self._first_received_ms
            at_ms = 0.0 if start is None else t_ms - start
            data = frame.redacted if frame.redacted is not None else frame.data
            self.events.append(RecordedEvent(at_ms, data))
        self.end_ms = t_ms - (self._first_received_ms or t_ms)


def read_sockets(path: Path, on_skip: OnSkip) -> list[RecordedSocket]:
    """The log's sockets in order, with the events to send again on each. Raises LogError
    for a log that cannot be read."""
    sockets = [RecordedSocket()]
    current: list[Frame | SocketMark] = []

    def recorded_times() -> Iterator[float]:
        for entry in iter_entries(path, on_skip):
            current[:] = [entry]
            yield entry.t_ms

    for t_ms in play_times(recorded_times()):
        entry = current[0]
        if isinstance(entry, SocketMark):
            sockets.append(RecordedSocket(mark=entry))
        else:
            sockets[-1].take(entry, t_ms)
    return [s for s in sockets if s.frames]
