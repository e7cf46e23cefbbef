"""An append-only scratch file for big payloads that must not stay in memory.

The inspector spills the frames no session log holds, the conversation the audio no log
holds (the user's committed turns), `rt-tui send --save-audio` the reply it is gathering.
Memory keeps only offsets and lengths; the bytes are read back when shown or saved. The
file is anonymous (deleted as soon as it is closed, or when the process ends), private to
this process, and lives in the cache folder unless told otherwise.

A file that cannot be created or written (a full disk) never fails the caller: what it
could not take stays in memory, readable as before, and `failure` says why. The session
that needed it goes on; only its memory grows.
"""

from __future__ import annotations

import errno
import os
import tempfile
import threading
from pathlib import Path
from typing import IO

from rt_tui import paths
from rt_tui.realtime.errors import os_reason

_FLUSH_AT = 1 << 20


class SpillFile:
    """Append bytes, get an (offset, length) back, read them later from any thread."""

    def __init__(self, directory: Path | None = None) -> None:
        """The file goes in `directory` (default: the cache folder), created if needed."""
        self._pending = bytearray()
        """Bytes not in the file; they start at byte `_written`."""
        self._written = 0
        self._lock = threading.Lock()
        self.failure: str | None = None
        """Why the file stopped taking bytes (they stay in memory); None while it is fine."""
        self._file: IO[bytes] | None = None
        directory = directory if directory is not None else paths.cache_dir()
        try:
            directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            # Unbuffered: writes are batched here already, and a failed one leaves no
            # half-written buffer behind to fail again on the next read.
            self._file = tempfile.TemporaryFile(dir=directory, buffering=0)  # noqa: SIM115
        except OSError as exc:
            self.failure = os_reason(exc)

    @property
    def size(self) -> int:
        """Bytes stored so far."""
        return self._written + len(self._pending)

    def append(self, data: bytes) -> int:
        """Store `data`; returns its offset."""
        with self._lock:
            offset = self._written + len(self._pending)
            self._pending += data
            if len(self._pending) >= _FLUSH_AT:
                self._flush()
            return offset

    def read(self, offset: int, length: int) -> bytes:
        """The `length` bytes stored at `offset`."""
        with self._lock:
            if offset >= self._written or self._file is None:
                start = offset - self._written
                return bytes(self._pending[start : start + length])
            self._file.seek(offset)
            on_disk = self._file.read(min(length, self._written - offset))
            return on_disk + bytes(self._pending[: length - len(on_disk)])

    def _flush(self) -> None:
        """Write what waits, as far as the file takes it (called with the lock held)."""
        if self._file is None or self.failure is not None or not self._pending:
            return
        done = 0
        try:
            self._file.seek(self._written)
            with memoryview(self._pending) as view:
                while done < len(view):
                    count = self._file.write(view[done:])
                    if not count:  # never for a regular file, but never loop forever
                        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                    done += count
        except OSError as exc:
            self.failure = os_reason(exc)
        finally:
            self._written += done
            del self._pending[:done]

    def close(self) -> None:
        """Delete the scratch file."""
        with self._lock:
            self._pending.clear()
            if self._file is not None:
                self._file.close()
