"""An append-only scratch file for big payloads that must not stay in memory.

The inspector spills the frames no session log holds, the conversation the audio no log
holds (the user's committed turns), `rt-tui send --save-audio` the reply it is gathering.
Memory keeps only offsets and lengths; the bytes are read back when shown or saved. The
file is anonymous (deleted as soon as it is closed, or when the process ends), private to
this process, and lives in the cache folder unless told otherwise.
"""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path

from rt_tui import paths

_FLUSH_AT = 1 << 20


class SpillFile:
    """Append bytes, get an (offset, length) back, read them later from any thread."""

    def __init__(self, directory: Path | None = None) -> None:
        """The file goes in `directory` (default: the cache folder), created if needed."""
        directory = directory if directory is not None else paths.cache_dir()
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        self._file = tempfile.TemporaryFile(dir=directory)  # noqa: SIM115 - closed in close()
        self._pending = bytearray()
        self._written = 0
        self._lock = threading.Lock()

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
            if offset >= self._written:
                start = offset - self._written
                return bytes(self._pending[start : start + length])
            self._file.seek(offset)
            return self._file.read(length)

    def _flush(self) -> None:
        if self._pending:
            self._file.seek(0, 2)
            self._file.write(self._pending)
            self._written += len(self._pending)
            self._pending.clear()

    def close(self) -> None:
        """Delete the scratch file."""
        with self._lock:
            self._pending.clear()
            self._file.close()
