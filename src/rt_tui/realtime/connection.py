"""One Realtime WebSocket: a send task fed by a queue, a receive task, observers, and typed,
one-sentence failures (the handshake and its rules live in `handshake`, the queues in
`socket_queues`).

    async with Connection(endpoint, observers=[recorder.write]) as conn:
        conn.send({"type": "response.create"})
        async for frame in conn:          # received frames, in order
            ...

Every frame in both directions is handed to each observer as a `Frame` stamped with the
milliseconds since the socket opened (monotonic clock) and the wall time (received frames:
when the socket read that brought them began), parsed (received frames) and redacted once
with the endpoint's secrets, for every observer to share.
Iteration ends on a normal close (1000, or our own `close()`) and raises a `RealtimeError`
on anything else.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable
from types import TracebackType
from typing import Any, Final

from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed, ConnectionClosedOK

from rt_tui.realtime.direct_messages import DirectConnection
from rt_tui.realtime.endpoints import Endpoint
from rt_tui.realtime.errors import (
    CannotConnect,
    ConnectionDropped,
    ConnectTimeout,
    HandshakeRejected,
    NotConnected,
    ProtocolViolation,
    RealtimeError,
    RedirectRefused,
    ServerClosed,
    scrub,
)
from rt_tui.realtime.event_registry import ServerEvent
from rt_tui.realtime.events import MalformedFrame, parse_server_frame
from rt_tui.realtime.frames import Direction, Frame
from rt_tui.realtime.handshake import open_socket, where
from rt_tui.realtime.recorder import SessionRecorder
from rt_tui.realtime.redaction import Redactor
from rt_tui.realtime.session_events import ErrorEvent
from rt_tui.realtime.socket_endings import NORMAL_CLOSE_CODES, ending_error
from rt_tui.realtime.socket_queues import Inbox, Outbox

__all__ = [
    "NORMAL_CLOSE_CODES",
    "CannotConnect",
    "ConnectTimeout",
    "Connection",
    "ConnectionDropped",
    "FrameObserver",
    "HandshakeRejected",
    "NotConnected",
    "ProtocolViolation",
    "RealtimeError",
    "RedirectRefused",
    "ServerClosed",
]

FrameObserver = Callable[[Frame], object]

#: Realtime frames can be large (a 15 MiB audio append is ~20 MiB of base64).
MAX_FRAME_BYTES: Final = 64 * 1024 * 1024
#: Observer exceptions kept: each holds its traceback and so the frame it failed on, and an
#: observer failing on every frame (a full disk) must not keep a whole session's audio alive.
MAX_OBSERVER_ERRORS: Final = 100

_RECEIVED: Final = Direction.RECEIVED


class Connection:
    """A Realtime API socket. Not reusable: open it once, close it once."""

    def __init__(
        self,
        endpoint: Endpoint,
        *,
        observers: Iterable[FrameObserver] = (),
        recorder: SessionRecorder | None = None,
        connect_timeout: float = 10.0,
        id_factory: Callable[[], str] | None = None,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        buffer_received: bool = True,
        ping_interval: float | None = 20.0,
        max_frame_bytes: int = MAX_FRAME_BYTES,
        t0: float | None = None,
    ) -> None:
        """`recorder` records every frame before the observers see it, and the frame says
        where its line landed (`Frame.log_span`); the recorder is flushed when the socket
        ends. `buffer_received=False` skips the queue behind `async for` (for callers that
        only use observers, so a long session does not pile up frames nobody reads). A
        received frame over `max_frame_bytes` ends the session with ProtocolViolation. `t0`:
        the `clock` reading frame times count from (default: when the socket opens); a
        session whose sockets share one log gives them all its first socket's."""
        self.endpoint = endpoint
        self._observers: tuple[FrameObserver, ...] = tuple(observers)
        self._recorder = recorder
        self._connect_timeout = connect_timeout
        self._clock = clock
        self._wall_clock = wall_clock
        self._buffer_received = buffer_received
        self._ping_interval = ping_interval
        self._max_frame_bytes = max_frame_bytes
        self._redactor = Redactor(endpoint.secret_values())
        self._ws: ClientConnection | None = None
        self._given_t0 = t0
        self._t0 = 0.0
        self._outbox = Outbox(id_factory)
        self._received = Inbox()
        self._send_task: asyncio.Task[None] | None = None
        self._receive_task: asyncio.Task[None] | None = None
        self._closing = False
        self._ended = False
        self._read_t_ms = 0.0
        self._read_wall_time = 0.0
        """When the socket read that brought the messages being taken began."""
        self._last_event: ServerEvent | None = None
        self._last_error: ErrorEvent | None = None
        self.error: RealtimeError | None = None
        """Why the connection ended abnormally (None while open or after a normal close)."""
        self.observer_errors: list[Exception] = []
        """Exceptions raised by observers (the first MAX_OBSERVER_ERRORS); one broken
        observer must not kill the session."""

    def __repr__(self) -> str:
        state = "open" if self.is_open else "closed" if self._ended else "new"
        return f"Connection({self.endpoint.display_url!r}, {state})"

    # --- lifecycle ----------------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self._ws is not None and not self._ended

    @property
    def close_code(self) -> int | None:
        """The close code once closed (1006 after a drop without a close frame); None while
        open."""
        if self._ws is None or not self._ended or self._ws.close_code is None:
            return None
        return int(self._ws.close_code)

    @property
    def close_reason(self) -> str | None:
        """The close frame's reason once closed, secrets scrubbed (a server may echo them)."""
        reason = self._ws.close_reason if self._ws is not None and self._ended else None
        return None if reason is None else scrub(reason, self._secrets())

    # A tuple, replaced on change: a frame's observers are a snapshot without a copy.
    def add_observer(self, observer: FrameObserver) -> None:
        self._observers = (*self._observers, observer)

    def remove_observer(self, observer: FrameObserver) -> None:
        if observer in self._observers:
            kept = list(self._observers)
            kept.remove(observer)
            self._observers = tuple(kept)

    def elapsed_ms(self) -> float:
        """Milliseconds since the socket opened (or since `t0`), as frames count them."""
        return (self._clock() - self._t0) * 1000.0

    @property
    def t0(self) -> float:
        """The `clock` reading frame times count from (set when the socket opens)."""
        return self._t0

    def stop_recording(self) -> None:
        """Record no more of this socket's frames: a newer socket has taken the session,
        and its log, over."""
        self._recorder = None

    async def open(self) -> None:
        """Open the socket and start the send and receive tasks. Raises a RealtimeError."""
        if self._ws is not None:
            raise RealtimeError("This connection was already opened; make a new one.")
        self._ws = await open_socket(
            self.endpoint,
            connect_timeout=self._connect_timeout,
            ping_interval=self._ping_interval,
            max_size=self._max_frame_bytes,
            connection_class=DirectConnection,
        )
        if self.endpoint.tokens is not None or self.endpoint.client_secrets is not None:
            # The Entra ID token or client secret came as the socket opened: scrub it too.
            self._redactor = Redactor(self.endpoint.secret_values())
        self._t0 = self._clock() if self._given_t0 is None else self._given_t0
        self._send_task = asyncio.create_task(self._send_loop(), name="rt-send")
        self._receive_task = asyncio.create_task(self._receive_loop(), name="rt-receive")

    def _where(self) -> str:
        return where(self.endpoint)

    def _secrets(self) -> tuple[str, ...]:
        return self.endpoint.secret_values()

    async def close(self, code: int = 1000, reason: str = "") -> None:
        """Send what is queued (briefly), close the socket and wait for both tasks."""
        if self._ws is None or self._closing:
            await self._wait_tasks()
            return
        self._closing = True
        if not self._ended:
            await self._outbox.drain()
        if self._send_task is not None:
            self._send_task.cancel()
        await self._ws.close(code, reason)
        await self._wait_tasks()

    async def _wait_tasks(self) -> None:
        tasks = [t for t in (self._send_task, self._receive_task) if t is not None]
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)

    async def wait_closed(self) -> RealtimeError | None:
        """Wait until the socket has ended; the abnormal-end error, or None."""
        if self._receive_task is not None:
            await asyncio.gather(self._receive_task, return_exceptions=True)
        return self.error

    async def __aenter__(self) -> Connection:
        await self.open()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    # --- sending ------------------------------------------------------------------------

    def send(self, event: dict[str, Any]) -> None:
        """Queue a client event; an `event_id` is added if missing. Never blocks."""
        if not self.is_open or self._closing:
            raise NotConnected()
        self._outbox.put_event(event)

    def send_raw(self, data: str | bytes) -> None:
        """Queue a frame exactly as given (for poking the server with odd input)."""
        if not self.is_open or self._closing:
            raise NotConnected()
        self._outbox.put_raw(data)

    async def _send_loop(self) -> None:
        assert self._ws is not None
        while True:
            data, event = await self._outbox.get()
            try:
                await self._ws.send(data)
            except ConnectionClosed:
                # The receive task reports how the socket ended.
                self._outbox.sent()
                return
            # `event` is what `data` was serialised from, or parsed as: the text is JSON.
            json_text = event is not None
            redacted = self._redactor.data(data, json_text=json_text)
            self._notify(self._frame(Direction.SENT, data, redacted, json_text, client_event=event))
            self._outbox.sent()

    # --- receiving ----------------------------------------------------------------------

    async def _receive_loop(self) -> None:
        ws = self._ws
        assert ws is not None
        try:
            # Messages reach `_take` as websockets parses them (`DirectConnection`); recv()
            # hands over those it queued before (the frames that came with the
            # handshake) or took back, and raises once the socket has ended.
            if isinstance(ws, DirectConnection):
                ws.direct_max_bytes = self._max_frame_bytes
                ws.on_read = self._stamp_now
                ws.on_message = self._take
            while True:
                message = await ws.recv()
                self._stamp_now()
                self._take(message)
        except ConnectionClosedOK:
            self.error = self._ending_error(None)
        except ConnectionClosed as exc:
            self.error = self._ending_error(exc)
        finally:
            if isinstance(ws, DirectConnection):
                ws.on_message = ws.on_read = None
            self._ended = True
            if self._recorder is not None:
                self._recorder.flush()  # What the session said is on disk before anyone asks.
            if self._send_task is not None:
                self._send_task.cancel()
            self._received.end(self.error)

    def _stamp_now(self) -> None:
        """Stamp the messages taken next, those of one socket read, with the time now: they
        arrived together, and reading the clocks once a read, not once a message, leaves
        more of a flood's time for the messages (the recorder shares their lines' head)."""
        self._read_t_ms = (self._clock() - self._t0) * 1000.0
        self._read_wall_time = self._wall_clock()

    def _take(self, message: str | bytes) -> None:
        """One received message: parsed, redacted, stamped, recorded and handed out. Runs
        for every frame, thousands a second in a flood, so it builds the frame itself
        rather than through `_frame` and `_notify`, which the rarer sent frames use."""
        # Parsed first, which tells the redactor whether the text is JSON (cheaper to
        # clear). A frame that held a secret is parsed again from its redacted text, so
        # whatever shows or keeps a field of the event (the conversation, an error
        # sentence, `send`'s output) never holds a secret the server echoed.
        event = parse_server_frame(message)
        if isinstance(message, str):
            json_text = not isinstance(event, MalformedFrame)
            redacted: str | bytes = self._redactor.text(message, json_text=json_text)
        else:
            json_text = False
            redacted = self._redactor.binary(message)
        if redacted is not message:
            event = parse_server_frame(redacted)
        t_ms = self._read_t_ms
        wall_time = self._read_wall_time
        recorder = self._recorder
        span = None
        if recorder is not None:
            span = recorder.record_data(_RECEIVED, t_ms, wall_time, redacted, json_text=json_text)
        frame = Frame(_RECEIVED, t_ms, wall_time, message, event, None, redacted, span)
        self._last_event = event
        if isinstance(event, ErrorEvent):
            self._last_error = event
        for observer in self._observers:
            try:
                observer(frame)
            except Exception as exc:
                self._observer_failed(exc)
        if self._buffer_received:
            self._received.put_nowait(frame)

    def _frame(
        self,
        direction: Direction,
        data: str | bytes,
        redacted: str | bytes,
        json_text: bool,
        *,
        event: ServerEvent | None = None,
        client_event: dict[str, Any] | None = None,
    ) -> Frame:
        """A frame (`redacted`: its data without secrets; `json_text`: `data` is valid
        JSON, which it stays when redacted) stamped with the clocks and recorded."""
        t_ms = (self._clock() - self._t0) * 1000.0
        wall_time = self._wall_clock()
        recorder = self._recorder
        span = None
        if recorder is not None:
            span = recorder.record_data(direction, t_ms, wall_time, redacted, json_text=json_text)
        return Frame(direction, t_ms, wall_time, data, event, client_event, redacted, span)

    def _ending_error(self, exc: ConnectionClosed | None) -> RealtimeError | None:
        ws = self._ws
        assert ws is not None
        return ending_error(
            exc,
            ws.protocol.close_rcvd,
            closing=self._closing,
            host=self._where(),
            secrets=self._secrets(),
            last_event=self._last_event,
            last_error=self._last_error,
        )

    def _notify(self, frame: Frame) -> None:
        for observer in self._observers:
            try:
                observer(frame)
            except Exception as exc:
                self._observer_failed(exc)

    def _observer_failed(self, exc: Exception) -> None:
        if len(self.observer_errors) < MAX_OBSERVER_ERRORS:
            self.observer_errors.append(exc)

    def __aiter__(self) -> Connection:
        return self

    async def __anext__(self) -> Frame:
        if not self._buffer_received:
            raise RealtimeError("This connection was opened with buffer_received=False.")
        if self._ws is None:
            raise NotConnected()
        return await self._received.next()
