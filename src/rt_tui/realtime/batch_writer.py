"""Appending batches of bytes to a file on a thread of its own, so that a slow disk (a
network home folder, writeback throttling) does not stall the thread that fills them.

The filling thread hands a full buffer over with `put` and carries on with a spare one the
writer gives back: buffers are recycled, never allocated per batch. A batch stays in
`batches`, readable, until all of it is in the file. The writer and its user share one
lock, so a reader sees the batches and whatever the user still fills as one picture.
Writing releases the GIL, so it runs on another core while the filler goes on.

The first failed write (a full disk) stops the thread for good: `error` says why, and the
batch it could not finish, like every one after it, stays in `batches`.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
from collections import deque
from collections.abc import Callable, Iterable
from typing import Final, NamedTuple

#: Bytes handed over and not written yet, at most: past that a disk that has stalled for
#: that long (about 40 s of a busy voice session) makes the filler wait, so memory stays
#: bounded instead of queueing without end. Counted in bytes, not batches: a timer hands
#: over small batches 20 times a second, and a count would be reached in a moment.
MAX_QUEUED_BYTES: Final = 16 * 1024 * 1024
#: Empty buffers kept for the filler between batches (more after a burst are let go).
KEPT_SPARES: Final = 2


class Batch(NamedTuple):
    """`data[:size]` goes to the file at byte `at`."""

    at: int
    data: bytearray
    size: int


class BatchWriter:
    """Writes the batches `put` to it, in order, to the end of an open file."""

    def __init__(
        self,
        fd: int,
        lock: threading.Lock,
        *,
        kept_bytes: int,
        on_error: Callable[[], object] | None = None,
    ) -> None:
        """`fd` stays the caller's to close (after `stop`). `lock` is the one the caller
        holds around `put` and while reading `batches`. A buffer written out keeps at most
        `kept_bytes` of room for its next use. `on_error` is called once a write failed, on
        the event loop running where the writer is made (none: never; the filler then sees
        `error` at its next `put` or `drain`)."""
        self._fd = fd
        self._changed = threading.Condition(lock)
        self._on_error = on_error
        self._loop: asyncio.AbstractEventLoop | None = None
        with contextlib.suppress(RuntimeError):  # no loop runs
            self._loop = asyncio.get_running_loop()
        self._kept_bytes = kept_bytes
        self.batches: deque[Batch] = deque()
        """Handed over and not wholly in the file yet, oldest first (read under the lock)."""
        self.queued_bytes = 0
        """The size of `batches`."""
        self._spares: list[bytearray] = []
        self._thread: threading.Thread | None = None
        self._writing = False
        """The thread runs: while it does not, nobody waits for it."""
        self._stopping = False
        self.error: OSError | None = None
        """The write that failed; None while the file takes every batch."""

    def put(self, at: int, data: bytearray, size: int, *, wait: bool) -> bytearray | None:
        """Queue `data[:size]` for byte `at` of the file (called with the lock held, by the
        one thread that fills). Returns an empty buffer to fill next; None if the batch was
        not taken: writing failed, or `MAX_QUEUED_BYTES` wait and `wait` is false (with
        `wait`, the lock is let go until the writer has room)."""
        if self._thread is None:
            self._writing = True
            self._thread = threading.Thread(target=self._run, name="session-log", daemon=True)
            self._thread.start()
        while self.queued_bytes >= MAX_QUEUED_BYTES and self._writing:
            if not wait:
                return None
            self._changed.wait()
        if not self._writing:
            return None
        self.batches.append(Batch(at, data, size))
        self.queued_bytes += size
        self._changed.notify_all()
        return self._spares.pop() if self._spares else bytearray()

    def drain(self) -> None:
        """Wait until every batch put is in the file, or writing failed (called without
        the lock)."""
        with self._changed:
            while self.batches and self._writing:
                self._changed.wait()

    def stop(self) -> None:
        """Write what was put and end the thread (called without the lock)."""
        with self._changed:
            self._stopping = True
            self._changed.notify_all()
        if self._thread is not None:
            self._thread.join()

    def _run(self) -> None:
        try:
            self._write_batches()
        except Exception as exc:  # OSError, or a bug: either way the log stops, and says why
            with self._changed:
                self.error = exc if isinstance(exc, OSError) else _internal_error(exc)
        finally:
            with self._changed:
                self._writing = False
                self._changed.notify_all()
        if self.error is not None and self._on_error is not None and self._loop is not None:
            with contextlib.suppress(RuntimeError):  # the loop has closed
                self._loop.call_soon_threadsafe(self._on_error)

    def _write_batches(self) -> None:
        changed = self._changed
        while True:
            with changed:
                while not self.batches:
                    if self._stopping:
                        return
                    changed.wait()
                todo = list(self.batches)
            # No lock while writing: the filler puts, and readers read, meanwhile. All that
            # waits goes in one system call: each round costs this thread the GIL twice,
            # which a busy filler gives up only every few milliseconds.
            done = 0
            views = [memoryview(batch.data)[: batch.size] for batch in todo]
            try:
                total = sum(batch.size for batch in todo)
                while done < total:
                    done += os.writev(self._fd, _after(views, done))
            finally:
                for view in views:
                    view.release()  # a buffer written out is resized for its next use
                with changed:
                    self._written_out(done)

    def _written_out(self, count: int) -> None:
        """The first `count` bytes of the batches are in the file: recycle the batches
        they make up (called with the lock held)."""
        while self.batches and count >= self.batches[0].size:
            batch = self.batches.popleft()
            count -= batch.size
            self.queued_bytes -= batch.size
            if len(self._spares) >= KEPT_SPARES:
                continue
            if len(batch.data) > self._kept_bytes:  # after a huge line
                del batch.data[self._kept_bytes :]
            self._spares.append(batch.data)
        self._changed.notify_all()


def _after(views: list[memoryview], skip: int) -> list[memoryview]:
    """`views` without their first `skip` bytes."""
    rest = []
    for view in views:
        if skip >= len(view):
            skip -= len(view)
            continue
        rest.append(view[skip:])
        skip = 0
    return rest


def read_batches(batches: Iterable[Batch], offset: int, end: int) -> bytes:
    """Bytes `offset` to `end` of the file, as far as `batches` hold them."""
    # Slices of the bytearrays, joined: one copy each (no memoryview: a view held while
    # the filling buffer grows on the recording thread would stop it growing).
    return b"".join(
        data[max(offset - at, 0) : min(end - at, size)]
        for at, data, size in batches
        if offset < at + size and at < end
    )


def _internal_error(exc: Exception) -> OSError:
    """A bug in writing, as the reason the log stopped: what it was, not a traceback."""
    detail = f": {exc}" if str(exc) else ""
    return OSError(f"an internal error, {type(exc).__name__}{detail}")
