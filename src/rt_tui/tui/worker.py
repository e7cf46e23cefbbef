"""The connection worker: runs the engine's Connection and turns what happens into messages.

The screen starts `run_connection` as the connection job (`jobs.CONNECTION`: one worker,
exclusive). The body never touches a widget: it hands the frames of both directions to the
screen in `FrameBatch`es (one waiting at a time, see `FrameFeed`) and posts `LinkChanged` /
`RecordingStarted` / `RecordingFailed` for its own progress.
A failure leaves as a `RealtimeError` whose one-sentence text the screen shows.

Widgets never touch the socket either: they call `Session.send`, which enqueues.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.message import Message

from rt_tui.realtime.endpoints import Endpoint
from rt_tui.realtime.errors import NotConnected
from rt_tui.realtime.frames import Frame
from rt_tui.realtime.recorder import SessionRecorder
from rt_tui.targets import Target, target_endpoint
from rt_tui.tui.messages import (
    FrameBatch,
    LinkChanged,
    LinkState,
    RecordingFailed,
    RecordingStarted,
)

if TYPE_CHECKING:
    from rt_tui.realtime.connection import Connection

Post = Callable[[Message], object]
"""How the worker hands a message to the screen (`Widget.post_message`)."""


class FrameFeed:
    """The connection's observer: hands frames to the screen in batches, in order.

    A frame that finds no batch waiting for the screen starts one and posts it; the frames
    that follow join it until the screen takes it. So a burst costs one message, however
    many frames it holds, and a lone frame is posted at once (no timer adds latency).
    """

    def __init__(self, post: Post, source: object) -> None:
        self._post = post
        self._source = source
        self._batch: FrameBatch | None = None

    def __call__(self, frame: Frame) -> None:
        batch = self._batch
        if batch is None or batch.taken:
            batch = self._batch = FrameBatch([], self._source)
            self._post(batch)
        batch.frames.append(frame)


@dataclass(frozen=True)
class ConnectPlan:
    """Everything the worker needs to open one session."""

    target: Target
    """Where to connect (for the demo, the in-process mock starts with the worker)."""
    log_path: Path
    """Where the session's frames are recorded."""


class Session:
    """The screen's handle on the live connection: `send` enqueues, nothing else.

    Events sent before the socket is open wait and go out, in order, once it is.
    """

    def __init__(self) -> None:
        self._connection: Connection | None = None
        self._waiting: list[dict[str, Any]] = []

    @property
    def connected(self) -> bool:
        return self._connection is not None

    def send(self, event: dict[str, Any]) -> bool:
        """Queue a client event for the socket (never blocks).

        True if it went to the open socket's queue, False if it waits for the next one.
        """
        if self._connection is not None:
            try:
                self._connection.send(event)
            except NotConnected:
                pass  # Closing under our feet: keep it for the next socket.
            else:
                return True
        self._waiting.append(event)
        return False

    def send_raw(self, text: str) -> bool:
        """Send `text` as one text frame exactly as given (no `event_id` added, JSON or not).

        Unlike `send` it never waits for a later socket: False, and nothing sent, when
        none is open.
        """
        if self._connection is None:
            return False
        try:
            self._connection.send_raw(text)
        except NotConnected:
            return False
        return True

    def attach(self, connection: Connection) -> None:
        """Called by the worker once the socket is open."""
        self._connection = connection
        waiting, self._waiting = self._waiting, []
        for event in waiting:
            connection.send(event)

    def detach(self) -> None:
        """Called by the worker when the socket is gone; later sends wait for the next one."""
        self._connection = None


async def run_connection(
    plan: ConnectPlan,
    session: Session,
    post: Post,
    *,
    clock: Callable[[], float] = time.monotonic,
    wall_clock: Callable[[], float] = time.time,
    id_factory: Callable[[], str] | None = None,
) -> None:
    """Open the session, record it, hand its frames to the screen in batches, until the
    socket closes.

    Returns on a normal close; raises the engine's `RealtimeError` on an abnormal one.
    """
    # Imported when a session starts (websockets and all): the first frame does not need it.
    from rt_tui.realtime.connection import Connection

    def link(state: LinkState, endpoint: Endpoint, detail: str = "") -> None:
        post(
            LinkChanged(
                state,
                host=endpoint.host,
                dialect=endpoint.dialect,
                model=plan.target.model,
                detail=detail,
                source=session,
            )
        )

    async with AsyncExitStack() as stack:
        endpoint = await stack.enter_async_context(target_endpoint(plan.target))
        link(LinkState.CONNECTING, endpoint)
        # The log file appears with the first frame, so a refused connection leaves none.
        recorder = SessionRecorder(
            plan.log_path,
            endpoint=endpoint,
            on_failure=lambda reason: post(RecordingFailed(plan.log_path, reason)),
        )
        stack.callback(recorder.close)
        connection = Connection(
            endpoint,
            observers=(FrameFeed(post, session),),
            recorder=recorder,
            id_factory=id_factory,
            clock=clock,
            wall_clock=wall_clock,
            buffer_received=False,  # Every frame reaches the screen through the observer.
        )
        await connection.open()
        stack.push_async_callback(connection.close)
        stack.callback(session.detach)
        link(LinkState.CONNECTED, endpoint)
        post(RecordingStarted(recorder.path))
        session.attach(connection)
        error = await connection.wait_closed()
        if error is not None:
            raise error
        reason = connection.close_reason or "no reason given"
        link(
            LinkState.CLOSED,
            endpoint,
            f"The server closed the session ({connection.close_code}: {reason}).",
        )
