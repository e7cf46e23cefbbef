"""One WebSocket frame in either direction, as observers, the recorder and the UI see it."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

if TYPE_CHECKING:
    from rt_tui.realtime.event_registry import ServerEvent


class Direction(StrEnum):
    SENT = "sent"
    RECEIVED = "received"

    @property
    def mark(self) -> str:
        """A one-character mark for compact displays."""
        return "→" if self is Direction.SENT else "←"


class LogSource(Protocol):
    """A session log that can be read back by byte span (a recorder, a log file)."""

    @property
    def path(self) -> Path:
        """The log's file."""
        ...

    def read_span(self, offset: int, length: int) -> bytes:
        """The `length` bytes at `offset` of the log."""
        ...


class LogSpan(NamedTuple):
    """Where a frame's line lies in a session log: its bytes, the newline left out. Big
    payloads (audio) are read back from there instead of being kept in memory twice."""

    log: LogSource
    offset: int
    length: int


@dataclass(slots=True)
class Frame:
    """A frame exactly as it crossed the socket, with when and which way. Read-only by
    convention (use `dataclasses.replace`): not frozen, because one is built per frame and
    a frozen dataclass takes four times as long to build.

    `data` is the text (or bytes) on the wire, secrets and all: nothing shows or writes it.
    `redacted` is `data` with every secret replaced by ***, worked out once by the connection
    (which knows the endpoint's secrets) for the log, the inspector and exports to share.
    For received frames `event` is the server event parsed from `redacted`, so its fields
    hold no secret either; for sent frames `client_event` is the dict that was serialised.
    """

    direction: Direction
    t_ms: float
    """Milliseconds since the session's first socket opened, from a monotonic clock (for
    most sessions, since its only socket opened). Received frames are stamped as the
    socket read that brought them began: the frames of one read share their times."""
    wall_time: float
    """`time.time()` when the frame crossed the socket (as `t_ms`)."""
    data: str | bytes = field(repr=False)
    """Left out of repr: a traceback that prints its locals must not print a key."""
    event: ServerEvent | None = None
    client_event: dict[str, Any] | None = None
    redacted: str | bytes | None = None
    """`data` without secrets (the same object when it had none); None if nobody has
    redacted this frame (one built by hand): see `rt_tui.realtime.redaction.redacted_data`."""
    log_span: LogSpan | None = None
    """Where the connection's recorder wrote this frame (its redacted form), if it did."""

    @property
    def wire_type(self) -> str:
        """The frame's `type` as on the wire ('' for frames that have none)."""
        if self.event is not None:
            return self.event.wire_type
        if self.client_event is not None:
            value = self.client_event.get("type")
            return value if isinstance(value, str) else ""
        return ""

    @property
    def size(self) -> int:
        return len(self.data)
