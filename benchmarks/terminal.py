"""A program in a pseudo-terminal, as a user starts it: sized, its output read (and
drained, so it never blocks on a full terminal), stopped when done."""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import select
import signal
import struct
import termios
import time
from collections.abc import Sequence
from typing import Final

COLUMNS, ROWS = 120, 40
QUIT: Final = b"\x11"
"""ctrl+q, which quits rt-tui and the minimal app alike."""


class Terminal:
    """`argv` running in a new pty of COLUMNS x ROWS with environment `env`."""

    def __init__(self, argv: Sequence[str], env: dict[str, str]) -> None:
        self.started = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:  # the child: size its terminal, become the program
            try:
                winsize = struct.pack("HHHH", ROWS, COLUMNS, 0, 0)
                fcntl.ioctl(0, termios.TIOCSWINSZ, winsize)
                os.execvpe(argv[0], list(argv), {**env, "TERM": "xterm-256color"})
            finally:
                os._exit(127)
        self.pid = pid
        self.fd = fd
        self.output_bytes = 0
        self._tail = b""
        self.ended = False

    def read(self, timeout: float) -> bytes:
        """What the program wrote within `timeout` seconds (b"" if nothing)."""
        if self.ended:
            return b""
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return b""
        try:
            data = os.read(self.fd, 1 << 16)
        except OSError:  # the program ended and its side of the pty is gone
            data = b""
        if not data:
            self.ended = True
        self.output_bytes += len(data)
        return data

    def wait_for(self, mark: bytes, timeout: float) -> float:
        """Seconds from the start until `mark` appeared in the output. TimeoutError if not."""
        deadline = self.started + timeout
        while time.perf_counter() < deadline and not self.ended:
            data = self.read(0.05)
            seen = self._tail + data
            if mark in seen:
                return time.perf_counter() - self.started
            self._tail = seen[-len(mark) :]
        raise TimeoutError(f"'{mark.decode()}' did not appear within {timeout:g} s")

    def drain(self, seconds: float) -> None:
        """Read and drop output for `seconds` (or until the program ends)."""
        end = time.perf_counter() + seconds
        while not self.ended and (left := end - time.perf_counter()) > 0:
            self.read(min(left, 0.5))

    def close(self, grace: float = 5.0) -> None:
        """Ask the program to quit (ctrl+q), then kill it if it has not within `grace`."""
        with contextlib.suppress(OSError):
            os.write(self.fd, QUIT)
        deadline = time.perf_counter() + grace
        while time.perf_counter() < deadline:
            self.read(0.05)
            if os.waitpid(self.pid, os.WNOHANG)[0]:
                break
        else:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        os.close(self.fd)

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
