"""Where `rt-tui send` prints: stdout, until its reader closes it.

`rt-tui send hi | head -1` closes the pipe after one line. That is the reader's choice, not
a failure: later writes are dropped, `closed_by_reader` tells the send it may stop, and the
descriptor is pointed at /dev/null so the interpreter's last flush at exit stays quiet.
"""

from __future__ import annotations

import contextlib
import os
from typing import TextIO


class Output:
    """A text stream whose writes stop, silently, once the reader has closed it."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.closed_by_reader = False

    def write(self, text: str) -> None:
        if self.closed_by_reader:
            return
        try:
            self._stream.write(text)
        except BrokenPipeError:
            self._reader_closed()

    def flush(self) -> None:
        if self.closed_by_reader:
            return
        try:
            self._stream.flush()
        except BrokenPipeError:
            self._reader_closed()

    def _reader_closed(self) -> None:
        self.closed_by_reader = True
        # What is still buffered for the closed pipe goes to /dev/null instead. A stream
        # without a descriptor of its own (a StringIO) has nothing to redirect.
        with contextlib.suppress(OSError, ValueError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(devnull, self._stream.fileno())
            finally:
                os.close(devnull)
