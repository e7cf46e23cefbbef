"""The sockets of one `rt-tui send`: a retry before the reply opens a new one, and the log
reads as one session all the same. Every socket's frames are timed on the first one's
clock (`Connection(t0=…)`), and where a retry's socket took over the log holds a
`SocketMark` saying why the last one was lost and how long the send had none.
"""

from __future__ import annotations

import time

from rt_tui.realtime.connection import Connection
from rt_tui.realtime.recorder import SessionRecorder
from rt_tui.realtime.socket_mark import DROPPED, SocketMark


class SendSockets:
    """The sockets of one send: their frames' times run on one clock (the first one's),
    and the log marks where a retry's socket took over."""

    def __init__(self) -> None:
        self.t0: float | None = None
        self._count = 0
        self._lost: tuple[str, float] | None = None
        """Why the last socket was lost, and when (its clock)."""

    def opened(self, conn: Connection, recorder: SessionRecorder | None) -> None:
        """`conn` opened: the first socket sets the clock; one after a loss is marked in
        the log (when there is one)."""
        self._count += 1
        if self.t0 is None:
            self.t0 = conn.t0
        if recorder is None or self._lost is None:
            return
        reason, lost_at = self._lost
        t_ms = conn.elapsed_ms()
        gap_ms = t_ms - (lost_at - conn.t0) * 1000
        endpoint = conn.endpoint
        mark = SocketMark(
            t_ms,
            time.time(),
            self._count,
            cause=DROPPED,
            reason=reason,
            gap_ms=gap_ms,
            url=endpoint.display_url,
            dialect=endpoint.dialect.value,
        )
        recorder.mark_socket(mark)

    def lost(self, reason: str) -> None:
        """The socket was lost (`reason`, a sentence): the next one to open is marked."""
        self._lost = (reason, time.monotonic())
