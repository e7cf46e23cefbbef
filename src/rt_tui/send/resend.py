"""`rt-tui replay LOG --send URL`: a recorded session's client events sent again to a live
endpoint, paced as recorded, to reproduce what happened.

The endpoint is resolved as `--url` is, so it gets the target's auth like any other
connection (the key from OPENAI_API_KEY or AZURE_OPENAI_API_KEY). On each socket the
events go out as recorded (event ids and all), each when its recorded time comes, counted
from the server's first frame on either side: at the recorded pace, ten times faster, or
at once (`speed`). An event naming an id the recorded server gave out is sent once the new
server has given out its counterpart, naming that instead (`rt_tui.send.recorded`). A log
whose session moved to new sockets (its socket marks) is re-sent on as many sockets.
After the last event the socket stays open for the rest of the recorded time and until
every response the new server started is done (at most `wait_s`).

What the server says back is printed as the inspector's rows (or, `json_lines`, as
`rt-tui send --json` prints frames) and, with `log`, recorded. Problems end as one
`rt-tui: …` line on stderr: exit 2 for usage, 1 when the re-send could not be done.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import sys
import time
from collections.abc import Mapping
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any, TextIO

from rt_tui.config import Config
from rt_tui.inspector.printed import row_text
from rt_tui.inspector.store import FrameStore
from rt_tui.realtime.connection import Connection, RealtimeError
from rt_tui.realtime.endpoints import Endpoint
from rt_tui.realtime.errors import os_reason
from rt_tui.realtime.frames import Direction, Frame
from rt_tui.realtime.recorder import SessionRecorder
from rt_tui.realtime.response_events import ResponseEvent
from rt_tui.realtime.session_events import ErrorEvent
from rt_tui.realtime.session_log import META_MARK, LogError, SkippedLine
from rt_tui.realtime.socket_mark import SocketMark
from rt_tui.send.json_lines import frame_json_line
from rt_tui.send.output import Output
from rt_tui.send.recorded import RecordedEvent, RecordedSocket, ServerIds, read_sockets, translate
from rt_tui.targets import resolve_target

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


class ResendFailed(Exception):
    """Ends the re-send with one sentence on stderr."""


def _note(message: str) -> None:
    print(f"rt-tui: {message}", file=sys.stderr, flush=True)


class _Printer:
    """Prints every frame of the new session, and each new socket, as they come."""

    def __init__(self, out: Output, endpoint: Endpoint, *, json_lines: bool) -> None:
        self._out = out
        self._json_lines = json_lines
        self._secrets = endpoint.secret_values()
        self._store = FrameStore(fold=False)
        self._store.set_secrets(self._secrets)

    def frame(self, frame: Frame) -> None:
        if self._json_lines:
            self._line(frame_json_line(frame, self._secrets))
        else:
            self._store.append(frame)
            self._line(row_text(self._store.row(self._store.row_count - 1)))

    def mark(self, mark: SocketMark) -> None:
        if self._json_lines:
            self._line(mark.to_json(META_MARK))
        else:
            self._store.add_mark(mark)
            self._line(row_text(self._store.row(self._store.row_count - 1)))

    def _line(self, text: str) -> None:
        self._out.write(text + "\n")
        self._out.flush()

    def close(self) -> None:
        self._store.close()


class _LiveSocket:
    """What the new server has said on one socket: the ids it gave out, whether it has
    spoken yet, and whether it still owes a reply."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.ids = ServerIds()
        self.running: set[str] = set()
        """The responses it started and has not finished."""
        self.asked = 0
        """`response.create`s sent (counted as they are queued)."""
        self.answered = 0
        """`response.created`s and errors received (a refused request gets an error)."""
        self.spoke = False
        self._news = asyncio.Event()
        self._ended: asyncio.Future[RealtimeError | None] | None = None

    def observe(self, frame: Frame) -> None:
        text = frame.redacted if frame.redacted is not None else frame.data
        try:
            decoded = json.loads(text) if isinstance(text, str) else None
        except ValueError:
            decoded = None
        if frame.direction is Direction.SENT:
            self.ids.client_named(decoded)
            return
        self.ids.server_named(decoded)
        event = frame.event
        if isinstance(event, ErrorEvent):
            self.answered += 1
        elif isinstance(event, ResponseEvent) and event.response_id:
            if event.kind == "response.created":
                self.answered += 1
                self.running.add(event.response_id)
            elif event.kind == "response.done":
                self.running.discard(event.response_id)
        self.spoke = True
        self._news.set()

    @property
    def owes_reply(self) -> bool:
        """A response runs, or a request for one has had no answer yet."""
        return bool(self.running) or self.answered < self.asked

    @property
    def ended(self) -> bool:
        return not self.connection.is_open

    async def news(self, deadline: float) -> bool:
        """Wait for the server's next frame or the socket's end, until `deadline` (on the
        monotonic clock); False if the deadline passed first."""
        if self.ended:
            return True
        ended = self._ended
        if ended is None:
            ended = self._ended = asyncio.ensure_future(self.connection.wait_closed())
        self._news.clear()
        news = asyncio.ensure_future(self._news.wait())
        either: set[asyncio.Future[Any]] = {news, ended}
        try:
            done, _ = await asyncio.wait(
                either,
                timeout=max(0.0, deadline - time.monotonic()),
                return_when=asyncio.FIRST_COMPLETED,
            )
        finally:
            news.cancel()
        return bool(done)


class _Resend:
    """The new session: its sockets, one after another, with what they say printed."""

    def __init__(
        self,
        endpoint: Endpoint,
        printer: _Printer,
        recorder: SessionRecorder | None,
        *,
        speed: float | None,
        wait_s: float,
    ) -> None:
        self.endpoint = endpoint
        self.printer = printer
        self.recorder = recorder
        self.speed = speed
        self.wait_s = wait_s
        self.sent = 0
        self._t0: float | None = None

    def _after(self, recorded_ms: float) -> float:
        """Seconds after the start that something recorded `recorded_ms` after it is due."""
        return 0.0 if self.speed is None else recorded_ms / 1000 / self.speed

    async def socket(self, number: int, recorded: RecordedSocket) -> None:
        """Open a socket, send it what was sent on `recorded`, paced, and close it once
        the rest of the recorded time has passed and no response runs."""
        connection = Connection(
            self.endpoint, recorder=self.recorder, buffer_received=False, t0=self._t0
        )
        live = _LiveSocket(connection)
        connection.add_observer(live.observe)
        connection.add_observer(self.printer.frame)
        await connection.open()
        try:
            self._t0 = connection.t0
            if recorded.mark is not None:
                self._mark(connection, number, recorded.mark)
            await self._send_all(recorded, live)
        finally:
            await connection.close()
        if connection.error is not None:
            raise connection.error

    def _mark(self, connection: Connection, number: int, recorded: SocketMark) -> None:
        mark = dataclasses.replace(
            recorded,
            t_ms=connection.elapsed_ms(),
            wall_time=time.time(),
            number=number,
            gap_ms=0.0,
            url=self.endpoint.display_url,
            dialect=self.endpoint.dialect.value,
        )
        if self.recorder is not None:
            self.recorder.mark_socket(mark)
        self.printer.mark(mark)

    async def _send_all(self, recorded: RecordedSocket, live: _LiveSocket) -> None:
        deadline = time.monotonic() + self.wait_s
        while not live.spoke and not live.ended:
            if not await live.news(deadline):
                raise ResendFailed(f"the server sent nothing within {self.wait_s:g} s.")
        start = time.monotonic()
        for event in recorded.events:
            await asyncio.sleep(max(0.0, start + self._after(event.at_ms) - time.monotonic()))
            data = await self._ready(event, recorded.ids, live)
            if live.ended:
                break  # what ended it is the socket's error, or a close before the end
            live.connection.send_raw(data)
            self.sent += 1
            decoded = event.decoded
            if isinstance(decoded, dict) and decoded.get("type") == "response.create":
                live.asked += 1
        else:
            await self._wait_for_replies(start + self._after(recorded.end_ms), live)
            return
        if live.connection.error is None:
            raise ResendFailed("the server closed the session before every event was sent.")

    async def _wait_for_replies(self, recorded_end: float, live: _LiveSocket) -> None:
        """Keep the socket open for the rest of the recorded time, and until the new server
        has answered every request for a response and finished every response (at most
        `wait_s`)."""
        while not live.ended and time.monotonic() < recorded_end:
            await live.news(recorded_end)
        deadline = time.monotonic() + self.wait_s
        while live.owes_reply and not live.ended:
            if not await live.news(deadline):
                _note(
                    f"the server still owed a reply {self.wait_s:g} s after the last event; "
                    "the socket was closed."
                )
                return

    async def _ready(
        self, event: RecordedEvent, recorded: ServerIds, live: _LiveSocket
    ) -> str | bytes:
        """The event to send: as recorded, or naming the new server's ids where it named
        the recorded server's (waiting for them to be given out, up to the timeout)."""
        decoded = event.decoded
        if decoded is None:
            return event.data
        deadline = time.monotonic() + self.wait_s
        while True:
            translated, missing = translate(decoded, recorded, live.ids)
            if not missing:
                return event.data if translated == decoded else json.dumps(translated)
            if live.ended:
                return event.data
            if not await live.news(deadline):
                name = decoded.get("type") if isinstance(decoded, dict) else None
                _note(
                    f"sent {name or 'an event'} with the recorded id {missing[0]}: the new "
                    f"session gave out none in its place within {self.wait_s:g} s."
                )
                return json.dumps(translated)


async def run_resend(
    path: Path,
    url: str,
    *,
    speed: float | None,
    json_lines: bool,
    log: Path | None,
    wait_s: float,
    env: Mapping[str, str],
    out: TextIO | None = None,
) -> int:
    """Send the log's client events again to `url`; the process exit code (messages
    already printed). `wait_s`: how long to wait for the server each time it is waited
    for (its first frame, an id to give out, the last replies)."""
    output = Output(out or sys.stdout)
    target = resolve_target(Config(), env, profile=None, url=url, demo=False)
    if target.problem is not None or target.endpoint is None:
        _note(target.problem or "there is no endpoint to send to.")
        return EXIT_USAGE
    endpoint = target.endpoint

    def skip(line: SkippedLine) -> None:
        _note(line.describe())

    try:
        sockets = read_sockets(path, skip)
    except LogError as error:
        _note(str(error))
        return EXIT_FAILED
    if not any(s.events for s in sockets):
        _note(f"the session log {path} holds no client event to send again.")
        return EXIT_FAILED
    printer = _Printer(output, endpoint, json_lines=json_lines)
    try:
        async with AsyncExitStack() as stack:
            stack.callback(printer.close)
            recorder: SessionRecorder | None = None
            if log is not None:
                try:
                    recorder = stack.enter_context(SessionRecorder(log, endpoint=endpoint))
                except OSError as exc:
                    _note(f"cannot write the log {log}: {os_reason(exc)}.")
                    return EXIT_USAGE
            resend = _Resend(endpoint, printer, recorder, speed=speed, wait_s=wait_s)
            for number, recorded in enumerate(sockets, start=1):
                await resend.socket(number, recorded)
    except (RealtimeError, ResendFailed) as error:
        output.flush()
        _note(str(error))
        return EXIT_FAILED
    output.flush()
    count = f"{resend.sent} client event{'s' if resend.sent != 1 else ''}"
    where = f"{len(sockets)} socket{'s' if len(sockets) != 1 else ''}"
    _note(f"sent {count} of {path.name} again on {where} to {endpoint.host}.")
    return EXIT_OK
