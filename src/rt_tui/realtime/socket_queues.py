"""The two queues between a connection's socket tasks and its users: `Outbox`, the client
events yet to be sent, in order (events get an `event_id` if they have none; raw frames go
exactly as given), and `Inbox`, the received frames for `async for` readers, ended by how
the socket ended."""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import Callable
from typing import Any, Final

from rt_tui.realtime.errors import RealtimeError
from rt_tui.realtime.frames import Frame

__all__ = ["DRAIN_TIMEOUT", "Inbox", "Outbox", "Outgoing"]

#: How long `Outbox.drain` lets already queued client events reach the socket.
DRAIN_TIMEOUT: Final = 2.0
_END: Final = object()

Outgoing = tuple[str | bytes, dict[str, Any] | None]
"""A frame to send and the client event it is (None for raw frames that are not a JSON
object): its text is JSON exactly when there is an event."""


def _default_event_id() -> str:
    return f"evt_rt_{uuid.uuid4().hex[:20]}"


class Outbox:
    """A queue of frames for the socket's send task."""

    def __init__(self, id_factory: Callable[[], str] | None = None) -> None:
        self._id_factory = id_factory or _default_event_id
        self._queue: asyncio.Queue[Outgoing] = asyncio.Queue()

    def put_event(self, event: dict[str, Any]) -> None:
        """Queue a client event; an `event_id` is added if missing. Never blocks."""
        if not event.get("event_id"):
            event = {**event, "event_id": self._id_factory()}
        self._queue.put_nowait((json.dumps(event, ensure_ascii=False), event))

    def put_raw(self, data: str | bytes) -> None:
        """Queue a frame exactly as given (for poking the server with odd input)."""
        event: dict[str, Any] | None = None
        if isinstance(data, str):
            with contextlib.suppress(ValueError):
                decoded = json.loads(data)
                event = decoded if isinstance(decoded, dict) else None
        self._queue.put_nowait((data, event))

    async def get(self) -> Outgoing:
        """The next frame to send; call `sent` once it is handled."""
        return await self._queue.get()

    def sent(self) -> None:
        self._queue.task_done()

    async def drain(self) -> None:
        """Wait, at most DRAIN_TIMEOUT seconds, until every queued frame is handled."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._queue.join(), DRAIN_TIMEOUT)


class Inbox(asyncio.Queue[Frame | object]):
    """Received frames, in order (`put_nowait`), then the end (`end`)."""

    def end(self, error: RealtimeError | None) -> None:
        """The socket ended: readers get the frames before, then `error` or the end."""
        self.put_nowait(error if error is not None else _END)

    async def next(self) -> Frame:
        """The next frame; raises `error` or StopAsyncIteration at the end."""
        item = await self.get()
        if isinstance(item, Frame):
            return item
        # Leave the end marker for any later reader, then finish this one.
        self.put_nowait(_END)
        if isinstance(item, RealtimeError):
            raise item
        raise StopAsyncIteration
