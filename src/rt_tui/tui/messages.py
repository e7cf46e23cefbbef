"""Messages that cross the boundary between the background jobs and the screen.

The jobs only ever post these (and their own, in their modules); the main screen routes
them to its widgets with `@on`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from collections.abc import Callable

    from rt_tui.dialect import Dialect
    from rt_tui.realtime.frames import Frame
    from rt_tui.realtime.socket_mark import SocketMark


class LinkState(StrEnum):
    """Where the connection stands, as the status bar shows it."""

    IDLE = "idle"
    CONNECTING = "connecting"
    CONNECTED = "connected"
    RECONNECTING = "reconnecting"
    """The session was lost; the next try waits (`LinkChanged.retry_at`)."""
    CLOSED = "closed"
    FAILED = "failed"
    REPLAY = "replay"
    """Showing a recorded log (`rt-tui replay`); nothing connects."""


class FrameBatch(Message, bubble=False):
    """Frames that crossed the socket, in either direction (`frame.direction` says which),
    in the order they did.

    The connection worker posts one when a frame arrives and none is waiting, and adds the
    frames that follow to it until the screen `take`s them: however fast frames come, one
    message at a time waits in the screen's queue, and the screen handles each frame once.

    `source` is the session handle of the worker that posted it, so frames still queued from
    a session that was just replaced can be told apart and dropped.
    """

    def __init__(self, frames: list[Frame], source: object = None) -> None:
        super().__init__()
        self.frames = frames
        self.source = source
        self.taken = False
        """Set by `take`: frames that arrive later go into the next batch."""
        self._watcher: Callable[[Frame], object] | None = None

    def add(self, frame: Frame) -> None:
        """One more frame (the worker's), told to the watcher if there is one."""
        self.frames.append(frame)
        if self._watcher is not None:
            self._watcher(frame)

    def watch(self, watcher: Callable[[Frame], object]) -> None:
        """Call `watcher` with each frame added from now on, until the batch is taken."""
        self._watcher = watcher

    def take(self) -> list[Frame]:
        """The batch's frames; from now on it takes no more."""
        self.taken = True
        self._watcher = None
        return self.frames


@dataclass
class LinkChanged(Message, bubble=False):
    """The connection changed state.

    `host` is the redacted host, `detail` a one-sentence reason for closed/failed states.
    """

    state: LinkState
    host: str = ""
    dialect: Dialect | None = None
    model: str = ""
    detail: str = ""
    source: object = None
    """The session handle of the worker that posted it (see `FrameBatch.source`)."""
    retry_at: float | None = None
    """RECONNECTING: when (on the app's monotonic clock) the next try starts."""
    attempt: int = 0
    """RECONNECTING: the number of the next try (1 = the first retry)."""
    tries: int = 0
    """RECONNECTING: how many tries there will be at most."""


@dataclass
class SessionLost(Message, bubble=False):
    """The socket ended in a way worth retrying; `reason` is one sentence saying why.
    Posted after every frame of the lost socket, so the screen can mark what was cut off."""

    reason: str
    source: object = None


@dataclass
class SessionResumed(Message, bubble=False):
    """A new socket took over from a lost or replaced one: `mark` says why, after how
    long, which earlier items and how many events typed while it was down were sent to it
    (after the session settings). Posted before any frame of the new socket."""

    mark: SocketMark
    source: object = None


@dataclass
class RecordingStarted(Message, bubble=False):
    """The session is being recorded to `path` (JSONL, one frame a line)."""

    path: Path


@dataclass
class RecordingFailed(Message, bubble=False):
    """The log at `path` could not be written (`reason`: 'permission denied'); the rest of
    the session is not recorded."""

    path: Path
    reason: str


@dataclass
class Notice(Message, bubble=False):
    """A line of the app's own for the conversation pane: what a job did, or why it did
    nothing (`/wav` of a missing file)."""

    text: str
