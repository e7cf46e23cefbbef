"""The connection worker: runs the engine's Connection and turns what happens into messages.

The screen starts `run_connection` as the connection job (`jobs.CONNECTION`: one worker,
exclusive). The body never touches a widget: it hands the frames of both directions to the
screen in `FrameBatch`es (one waiting at a time, see `FrameFeed`) and posts `LinkChanged` /
`RecordingStarted` / `RecordingFailed` for its own progress.

A drop (`retry.is_drop`) does not end the worker: it posts `SessionLost`, waits with
backoff (`LinkChanged(RECONNECTING, retry_at=…)`), opens a new socket in the same
`target_endpoint` block, sends it what `ConnectPlan.resume` gives (the session settings and
the re-seeded conversation) before what waited, marks the new socket in the log and posts
`SessionResumed`. A failure that is not retried, or the last try's, leaves as a
one-sentence error the screen shows. Every worker of an app run records to its one
`SessionLog`, which the screen owns.

Widgets never touch the socket either: they call `Session.send`, which enqueues.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.message import Message

from rt_tui.realtime.errors import NotConnected, RealtimeError
from rt_tui.realtime.retry import Backoff, drop_reason, is_drop, is_retryable
from rt_tui.realtime.socket_mark import DROPPED, RECONNECT, SocketMark
from rt_tui.tui.jobs import JobFailed
from rt_tui.tui.messages import (
    FrameBatch,
    LinkChanged,
    LinkState,
    RecordingStarted,
    SessionLost,
    SessionResumed,
)

if TYPE_CHECKING:
    from rt_tui.config import ReconnectSettings
    from rt_tui.realtime.connection import Connection
    from rt_tui.realtime.endpoints import Endpoint
    from rt_tui.realtime.frames import Frame
    from rt_tui.realtime.recorder import SessionRecorder
    from rt_tui.targets import Target

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
        batch.add(frame)


@dataclass(frozen=True)
class Opening:
    """What a resumed session is sent before anything typed while it was down."""

    events: list[dict[str, Any]]
    """The session settings, then the re-seeded items."""
    reseeded: frozenset[str]
    """The ids of the earlier items among `events`."""


@dataclass(eq=False)
class SessionLog:
    """The one log of an app run, shared by its workers: every socket's frames go to
    `recorder`, their times counted from the first socket's open (`t0`) so they only go
    forward, and a socket that takes over from another is marked in it."""

    recorder: SessionRecorder
    t0: float | None = None
    """The clock reading the first socket opened at; None until one has."""
    sockets: int = 0
    """How many sockets have opened."""


@dataclass(frozen=True)
class ConnectPlan:
    """Everything the worker needs to open one session, and to open it again after a drop."""

    target: Target
    """Where to connect (for the demo, the in-process mock starts with the worker)."""
    log: SessionLog
    """Where the session's frames are recorded (the caller closes it)."""
    retry: ReconnectSettings
    """How often and how long to retry after a drop."""
    resume: Callable[[], Opening] | None = None
    """What to send first on a socket that takes over from a lost one (called once it is
    open); None: a lost session is not retried."""
    resuming: bool = False
    """The first socket itself takes over (ctrl+r): it is sent `resume()` too."""
    cause: str = RECONNECT
    """Why the first socket takes over, when `resuming` (RECONNECT or FRESH)."""
    observers: tuple[Callable[[Frame], None], ...] = ()
    """More of each socket's observers, after the screen's feed: live audio plays and
    barges in as frames come off the socket, not once the screen takes a batch."""


@dataclass(frozen=True)
class _Takeover:
    """Why a new socket takes the session over, and since when it had none."""

    cause: str
    since: float
    reason: str = ""


class Session:
    """The screen's handle on the live connection: `send` enqueues, nothing else.

    Events sent before the socket is open (or while a lost one is being replaced) wait and
    go out, in order, once one is. Each worker gets its own handle: what a replaced
    worker posts names its old handle, so the screen can drop it.
    """

    def __init__(self, waiting: list[dict[str, Any]] | None = None) -> None:
        self._connection: Connection | None = None
        self._waiting: list[dict[str, Any]] = list(waiting or [])

    @property
    def connected(self) -> bool:
        return self._connection is not None

    @property
    def waiting(self) -> list[dict[str, Any]]:
        """Events waiting for a socket (a copy)."""
        return list(self._waiting)

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

    def attach(self, connection: Connection, first: Sequence[dict[str, Any]] = ()) -> int:
        """Called by the worker once the socket is open: `first`, then what waited.
        Returns how many events waited."""
        self._connection = connection
        waiting, self._waiting = self._waiting, []
        for event in [*first, *waiting]:
            connection.send(event)
        return len(waiting)

    def detach(self) -> None:
        """Called by the worker when the socket is gone; later sends wait for the next one."""
        self._connection = None

    def retire(self) -> None:
        """The screen moved on to a new session (ctrl+r): nothing more of this socket goes
        to the log, as nothing more of it is shown."""
        if self._connection is not None:
            self._connection.stop_recording()


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
    socket closes; after a drop, open it again (with backoff) and resume it.

    Returns on a normal close; raises the engine's `RealtimeError` on an abnormal one that
    is not retried, and `JobFailed` once the retries are used up.
    """
    # Imported when a session starts (websockets, the config's models and all): the first
    # frame does not need them.
    from rt_tui.realtime.connection import Connection
    from rt_tui.targets import target_endpoint

    retry = plan.retry
    backoff = Backoff(retry.first_delay_s, retry.max_delay_s)
    log = plan.log

    def link(state: LinkState, endpoint: Endpoint, detail: str = "", **more: Any) -> None:
        post(
            LinkChanged(
                state,
                host=endpoint.host,
                dialect=endpoint.dialect,
                model=plan.target.model,
                detail=detail,
                source=session,
                **more,
            )
        )

    async with AsyncExitStack() as stack:
        # One block for every try: the demo's mock (and its "drop once" faults) lives on.
        endpoint = await stack.enter_async_context(target_endpoint(plan.target))
        log.recorder.use_endpoint(endpoint)
        stack.callback(session.detach)
        takeover = _Takeover(plan.cause, clock()) if plan.resuming else None
        lost_at: float | None = None
        """When the session was lost (None: it was not, or a try succeeded since)."""
        attempt = 0
        while True:
            link(LinkState.CONNECTING, endpoint)
            connection = Connection(
                endpoint,
                # A feed per socket: a new socket's frames never join an old socket's batch.
                observers=(FrameFeed(post, session), *plan.observers),
                recorder=log.recorder,
                id_factory=id_factory,
                clock=clock,
                wall_clock=wall_clock,
                buffer_received=False,  # Every frame reaches the screen through the observer.
                t0=log.t0,
            )
            try:
                await connection.open()
            except RealtimeError as refused:
                if lost_at is None or not is_retryable(refused):
                    raise
                last_error: RealtimeError = refused
            else:
                lost_at, attempt = None, 0
                log.t0 = connection.t0
                log.sockets += 1
                if log.sockets == 1:
                    post(RecordingStarted(log.recorder.path))
                error = await _serve(connection, plan, session, post, takeover, link, wall_clock)
                if error is None:
                    return
                if plan.resume is None or retry.tries == 0 or not is_drop(error):
                    raise error
                reason = f"{drop_reason(error)}."
                post(SessionLost(reason, session))
                lost_at, last_error = clock(), error
                takeover = _Takeover(DROPPED, lost_at, reason)
            if attempt >= retry.tries or clock() - lost_at > retry.give_up_after_s:
                raise JobFailed(
                    f"Gave up reconnecting after {attempt} tr{'y' if attempt == 1 else 'ies'}: "
                    f"{str(last_error).rstrip('.')}. Press ctrl+r to try again."
                )
            delay = backoff.delay(attempt)
            attempt += 1
            link(
                LinkState.RECONNECTING,
                endpoint,
                str(last_error),
                retry_at=clock() + delay,
                attempt=attempt,
                tries=retry.tries,
            )
            await asyncio.sleep(delay)


async def _serve(
    connection: Connection,
    plan: ConnectPlan,
    session: Session,
    post: Post,
    takeover: _Takeover | None,
    link: Callable[..., None],
    wall_clock: Callable[[], float],
) -> RealtimeError | None:
    """Run one open socket until it ends: resume it if it takes over (marking that in the
    log), hand it the waiting events; the error it ended with, or None after a normal
    close (said as CLOSED)."""
    endpoint = connection.endpoint
    try:
        opening = plan.resume() if takeover is not None and plan.resume is not None else None
        link(LinkState.CONNECTED, endpoint)
        queued = session.attach(connection, opening.events if opening else [])
        if takeover is not None and opening is not None:
            # Before the socket's first frame: nothing has been sent or handled yet.
            t_ms = connection.elapsed_ms()
            now = connection.t0 + t_ms / 1000  # the clock's reading, as t_ms counts it
            mark = SocketMark(
                t_ms,
                wall_clock(),
                plan.log.sockets,
                cause=takeover.cause,
                reason=takeover.reason,
                gap_ms=(now - takeover.since) * 1000,
                reseeded=tuple(sorted(opening.reseeded)),
                queued=queued,
                url=endpoint.display_url,
                dialect=endpoint.dialect.value,
            )
            plan.log.recorder.mark_socket(mark)
            post(SessionResumed(mark, session))
        error = await connection.wait_closed()
    except asyncio.CancelledError:
        # Replaced (ctrl+r, new settings) or the app quits: a newer socket may already
        # write to the log, so nothing of this one's closing goes there.
        connection.stop_recording()
        raise
    finally:
        session.detach()
        await connection.close()
    if error is None:
        reason = connection.close_reason or "no reason given"
        link(
            LinkState.CLOSED,
            endpoint,
            f"The server closed the session ({connection.close_code}: {reason}).",
        )
    return error
