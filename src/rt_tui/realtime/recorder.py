"""Session logs: append-only JSONL, one line per frame, written in batches, secrets removed.

Line format (one JSON object per line):

    {"rt_tui": "session", "version": 1, "wall_time": …, "url": "<redacted>", "dialect": "ga"}
    {"wall_time": 1732400000.123456, "t_ms": 12.500, "direction": "received", "data": "<frame>"}
    {"wall_time": …, "t_ms": …, "direction": "sent", "data": "<base64>", "binary": true}

The first (meta) line is optional for readers. `data` is the frame exactly as on the wire,
except that secrets are replaced by *** (key-shaped strings, `client_secret.value`, fields
named like api keys or passwords). A session that outlives its socket keeps its one log:
where a new socket takes over, a mark line (`rt_tui.realtime.socket_mark`) says so, and
the times of all its frames run on one clock.

Writing. Lines collect in memory and go to the file in one batch at most `FLUSH_DELAY`
later (a timer on the running event loop), or as soon as `FLUSH_BYTES` are waiting, and
on `flush()`, `close()` and at interpreter exit: a session never costs a system call per
frame. The batch is written on a thread of the log's own (`batch_writer`), so a slow disk
never stalls the thread that records; `flush()`, `close()`, `flush_log` and the exit wait
for it, so a normal exit or a dropped connection loses nothing. A killed process loses at
most the last `FLUSH_DELAY` or so; `read_log` skips a torn last line. Each frame's line is
handed back as a `LogSpan`, and `read_span` reads it back (from memory while it waits or
is being written), so big payloads need not be kept anywhere else. The lines are built by
`log_lines`; reading is in `session_log`.
"""

from __future__ import annotations

import asyncio
import atexit
import os
import threading
import time
import weakref
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Final

from rt_tui.realtime.batch_writer import Batch, BatchWriter, read_batches
from rt_tui.realtime.errors import os_reason
from rt_tui.realtime.frames import Direction, Frame, LogSpan
from rt_tui.realtime.log_lines import line_data, line_head, log_line, meta_line, new_session_path
from rt_tui.realtime.redaction import (
    REDACTED,
    Redactor,
    redact_frame_bytes,
    redact_frame_text,
    redacted_data,
)
from rt_tui.realtime.session_log import (
    META_MARK,
    LogError,
    LogFile,
    LogRecord,
    SkippedLine,
    read_log,
    read_meta,
)
from rt_tui.realtime.socket_mark import SocketMark
from rt_tui.realtime.urls import redact_url

if TYPE_CHECKING:
    from rt_tui.realtime.endpoints import Endpoint

__all__ = [
    "FLUSH_BYTES",
    "FLUSH_DELAY",
    "REDACTED",
    "LogError",
    "LogRecord",
    "SessionRecorder",
    "SkippedLine",
    "flush_log",
    "log_line",
    "meta_line",
    "new_session_path",
    "read_log",
    "read_meta",
    "redact_frame_bytes",
    "redact_frame_text",
]

#: Seconds a written line may wait in memory before it reaches the file.
FLUSH_DELAY: Final = 0.05
#: Bytes waiting in memory that are written at once, whatever the timer says.
FLUSH_BYTES: Final = 256 * 1024
#: The write buffer keeps this much room between writes (more only after a huge frame).
_KEPT_BUFFER_BYTES: Final = 2 * FLUSH_BYTES
#: LogSpan's own __new__ is a Python function around this: a span a frame, called directly.
_new_span: Final = tuple.__new__


class SessionRecorder:
    """Writes frames to a JSONL log. Hand it to the connection, which records every frame
    before its observers see it and stamps the frame with its `LogSpan`:

    with SessionRecorder(new_session_path(), endpoint=endpoint) as recorder:
        Connection(endpoint, recorder=recorder)

    (`record` also works as a plain FrameObserver.) Frames are recorded on one thread, the
    event loop's, and written on the log's own; spans may be read back from any.
    """

    def __init__(
        self,
        path: Path,
        *,
        endpoint: Endpoint | None = None,
        url: str | None = None,
        dialect: str | None = None,
        on_failure: Callable[[str], object] | None = None,
    ) -> None:
        """`endpoint` (or `url`/`dialect`) goes into the meta line, redacted; the endpoint's
        header values are also scrubbed from every frame. `on_failure` is called once, with
        the reason ('file too large'), when the log stops being written."""
        self.path = path
        self._redactor = Redactor(endpoint.secret_values() if endpoint is not None else ())
        self._meta: dict[str, Any] = {}
        if endpoint is not None:
            self._meta["url"] = endpoint.display_url
            self._meta["dialect"] = endpoint.dialect.value
        if url is not None:
            self._meta["url"] = redact_url(url)
        if dialect is not None:
            self._meta["dialect"] = str(dialect)
        self._on_failure = on_failure
        self._fd: int | None = None
        self._writer: BatchWriter | None = None
        """Writes the lines out on its own thread; its batches are readable until written."""
        self._pending = bytearray()
        """The buffer being filled: its first `_pending_size` bytes are lines not handed to
        the writer yet, which start at byte `_pending_at` of the log. It keeps its room (the
        writer gives buffers back), so a line is copied into it once instead of regrowing
        it (a realloc that often copies the whole buffer again)."""
        self._pending_size = 0
        self._pending_at = 0
        self._head = b""
        """The head of the last frame's line, and the stamp it was made for."""
        self._head_wall = self._head_t = float("nan")
        self._head_to = Direction.RECEIVED
        self._timer: asyncio.TimerHandle | None = None
        # Spans are read back from other threads (the inspector's export) while the loop's
        # thread records and the writer's thread writes: buffers and their offsets change
        # hands under this lock.
        self._lock = threading.Lock()
        self.frames_written = 0
        self.failure: str | None = None
        """Why the log stopped being written, None while it is fine."""

    def __repr__(self) -> str:
        return f"SessionRecorder({str(self.path)!r})"

    def open(self) -> SessionRecorder:
        """Create (or append to) the log, mode 0600, and write the meta line. Raises
        OSError."""
        if self._fd is None:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
            self._fd = fd
            self._pending_at = os.fstat(fd).st_size
            # A failed write is reported on the loop at once (without a loop: by flush(),
            # close() or the next batch).
            self._writer = BatchWriter(
                fd, self._lock, kept_bytes=_KEPT_BUFFER_BYTES, on_error=self._notice_write_error
            )
            _open_recorders.add(self)
            meta = meta_line(**self._meta, wall_time=time.time()).encode() + b"\n"
            self._pending[: len(meta)] = meta  # nothing waits before a log is opened
            self._pending_size = len(meta)
            # The meta line goes at once: the file says a session started even if nothing
            # else is ever written.
            self.flush()
        return self

    def close(self) -> None:
        """Write what waits, end the writer's thread and close the file (spans stay
        readable from the file)."""
        self.flush()
        self._close_file()

    def _close_file(self) -> None:
        if self._writer is not None:
            self._writer.stop()
        with self._lock:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None
        _open_recorders.discard(self)

    @property
    def closed(self) -> bool:
        return self._fd is None

    def __enter__(self) -> SessionRecorder:
        return self.open()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def use_endpoint(self, endpoint: Endpoint) -> None:
        """Frames from now on cross a socket to `endpoint` (a session's new socket may go
        elsewhere, after new settings): its secrets are scrubbed from them too, and a log
        not begun yet names it in its meta line."""
        self._redactor = Redactor((*self._redactor.secrets, *endpoint.secret_values()))
        if self._fd is None and not self.frames_written:
            self._meta["url"] = endpoint.display_url
            self._meta["dialect"] = endpoint.dialect.value

    def mark_socket(self, mark: SocketMark) -> None:
        """Write where a new socket takes the session over, before its first frame. Never
        raises (see `record`); a log with no frame yet needs no mark."""
        if self.failure is not None or not self.frames_written:
            return
        line = self._redactor.text(mark.to_json(META_MARK)).encode() + b"\n"
        if self._fd is None:
            return  # closed
        size = self._pending_size
        self._pending[size : size + len(line)] = line
        self._pending_size = size + len(line)
        if not size and self._timer is None:
            self._start_timer()

    # --- writing --------------------------------------------------------------------

    def write(self, frame: Frame) -> LogSpan | None:
        """Append one frame (opening the log on first use); where its line lies. Raises
        OSError if the log cannot be opened. Frames after close are ignored (None)."""
        return self.append(
            frame.direction, frame.t_ms, frame.wall_time, redacted_data(frame, self._redactor)
        )

    def append(
        self,
        direction: Direction,
        t_ms: float,
        wall_time: float,
        data: str | bytes,
        *,
        json_text: bool = False,
    ) -> LogSpan | None:
        """`write` for a frame not built yet: `data` must be redacted already (`json_text`:
        see `encoded_line`). Raises OSError if the log cannot be opened."""
        if self._fd is None:
            if self.frames_written or self.failure is not None:
                return None
            self.open()
        return self.record_data(direction, t_ms, wall_time, data, json_text=json_text)

    def record(self, frame: Frame) -> LogSpan | None:
        """`write` that never raises (for use as an observer): a log that cannot be written
        keeps its reason in `failure`, says it once to `on_failure`, and drops the rest."""
        if self.failure is not None:
            return None
        try:
            return self.write(frame)
        except OSError as exc:
            self._fail(exc)
            return None

    def record_data(
        self,
        direction: Direction,
        t_ms: float,
        wall_time: float,
        data: str | bytes,
        *,
        json_text: bool = False,
    ) -> LogSpan | None:
        """`append` that never raises, for the connection (see `record`): the path of every
        frame, spelled out in one method."""
        if self._fd is None:  # not opened yet, failed, or closed
            if self.frames_written or self.failure is not None:
                return None
            try:
                self.open()
            except OSError as exc:
                self._fail(exc)
                return None
        # Frames stamped alike (all those of one socket read) share their line's head.
        if wall_time == self._head_wall and t_ms == self._head_t and direction is self._head_to:
            head = self._head
        else:
            head = self._head = line_head(wall_time, t_ms, direction)
            self._head_wall, self._head_t, self._head_to = wall_time, t_ms, direction
        body, line_end = line_data(data, json_text)
        size = self._pending_size
        offset = self._pending_at + size
        body_at = size + len(head)
        end_at = body_at + len(body)
        end = end_at + len(line_end)
        # Copies into the room the buffer has (see `_pending`), else growing it. No lock:
        # lines are put and handed off on one thread (the loop's), and a reader elsewhere
        # only copies waiting lines out, which putting more after them does not disturb.
        pending = self._pending
        pending[size:body_at] = head
        pending[body_at:end_at] = body
        pending[end_at:end] = line_end
        self._pending_size = end
        self.frames_written += 1
        if end >= FLUSH_BYTES:
            # The timer, if any, stays: it flushes what comes next, and starting one per
            # write would cost more than the write in a flood.
            self._hand_off(wait=True)
        elif not size and self._timer is None:
            self._start_timer()
        return _new_span(LogSpan, (self, offset, end - size - 1))

    def flush(self) -> None:
        """Write the waiting lines now, and wait until they are in the file. Never raises:
        a failure goes to `failure`."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._hand_off(wait=True)
        if self._writer is not None:
            self._writer.drain()
        self._notice_write_error()

    def _on_timer(self) -> None:
        self._timer = None
        if not self._hand_off(wait=False):
            self._start_timer()  # The writer is behind: the lines wait one more round.

    def _hand_off(self, *, wait: bool) -> bool:
        """Give the waiting lines to the writer's thread and go on with a spare buffer;
        False if they still wait (its queue is full and not `wait`). On the loop's thread."""
        writer = self._writer
        size = self._pending_size
        if writer is None or not size or self.failure is not None:
            return True
        with self._lock:
            spare = writer.put(self._pending_at, self._pending, size, wait=wait)
            if spare is not None:
                self._pending = spare
                self._pending_size = 0
                self._pending_at += size
        self._notice_write_error()
        return spare is not None or self.failure is not None

    def _start_timer(self) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # No loop: lines wait for FLUSH_BYTES, flush(), close() or the exit.
        self._timer = loop.call_later(FLUSH_DELAY, self._on_timer)

    def _notice_write_error(self) -> None:
        """Report a write the writer's thread saw fail (on the thread that records)."""
        writer = self._writer
        if writer is not None and writer.error is not None:
            self._fail(writer.error)

    def _fail(self, exc: OSError) -> None:
        """Stop writing for good. What never reached the file stays readable in memory."""
        if self.failure is not None:
            return
        self.failure = os_reason(exc)
        self._close_file()
        if self._on_failure is not None:
            self._on_failure(self.failure)

    # --- reading back ---------------------------------------------------------------

    def read_span(self, offset: int, length: int) -> bytes:
        """The `length` bytes of the log at `offset`: from memory while they wait to be
        written or are being written, else from the file. Safe from any thread. Raises
        OSError."""
        end = offset + length
        with self._lock:
            filling = Batch(self._pending_at, self._pending, self._pending_size)
            batches = [*self._writer.batches, filling] if self._writer is not None else [filling]
            in_memory = read_batches(batches, offset, end)
            in_file_until = batches[0].at  # all before the first batch is in the file
            if offset >= in_file_until:
                return in_memory
            if self._fd is not None:
                return os.pread(self._fd, min(end, in_file_until) - offset, offset) + in_memory
        on_disk = LogFile(self.path).read_span(offset, min(end, in_file_until) - offset)
        return on_disk + in_memory


_open_recorders: weakref.WeakSet[SessionRecorder] = weakref.WeakSet()
"""Recorders with a file open, flushed when the interpreter exits."""


@atexit.register
def _flush_at_exit() -> None:
    for recorder in list(_open_recorders):
        recorder.flush()


def flush_log(path: Path) -> None:
    """Write out what the recorders writing `path` still hold in memory, so a reader of
    the file (a bundle of the session running) finds every frame recorded so far."""
    for recorder in list(_open_recorders):
        if recorder.path == path:
            recorder.flush()
