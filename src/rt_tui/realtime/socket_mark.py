"""Where a new socket takes a session over: the mark a session log holds between sockets.

One app run keeps one log across reconnects and resumes, its frame times counted from the
first socket's open, so they only go forward. Where a new socket's frames start, the log
holds a mark line in the form of its meta line, which readers that know no marks skip:

    {"rt_tui": "socket", "socket": 2, "t_ms": 5012.5, "wall_time": …, "cause": "dropped",
     "reason": "The connection dropped without a close frame.", "gap_ms": 3210.0,
     "reseeded": ["item_1", "item_2"], "queued": 2, "url": "<redacted>", "dialect": "ga"}

A log written before marks existed has none, and restarts `t_ms` at 0 on each new socket.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from typing import Any, Final

MARK_KIND: Final = "socket"
"""The value of the log's meta mark (`"rt_tui"`) on a socket mark line."""

DROPPED: Final = "dropped"
"""The session was lost and the app opened it again by itself."""
RECONNECT: Final = "reconnect"
"""The user opened a new session (ctrl+r, or settings that need one)."""
FRESH: Final = "fresh"
"""A fresh session before the time limit (ctrl+n, `[reconnect] auto_renew`)."""


@dataclass(frozen=True, slots=True)
class SocketMark:
    """A new socket took the session over at `t_ms` (on the session's running clock)."""

    t_ms: float
    wall_time: float
    number: int
    """Which socket of the session this is: 2 for the first that took over."""
    cause: str = RECONNECT
    """DROPPED, RECONNECT or FRESH (another, from a later version: not known here)."""
    reason: str = ""
    """For DROPPED: why the session was lost, one sentence."""
    gap_ms: float = 0.0
    """How long the session was without a socket."""
    reseeded: tuple[str, ...] = ()
    """The ids of the earlier items re-sent to the new socket under their own ids."""
    queued: int = 0
    """How many events typed while it was down were sent to it."""
    url: str = ""
    """Where the new socket went (redacted)."""
    dialect: str = ""

    def to_json(self, meta_mark: str) -> str:
        """The log line (no newline); `meta_mark` is the log's meta key ("rt_tui")."""
        fields = asdict(self)
        fields["socket"] = fields.pop("number")
        fields["reseeded"] = list(self.reseeded)
        return json.dumps({meta_mark: MARK_KIND, **fields}, ensure_ascii=False)

    @classmethod
    def from_json(cls, decoded: dict[str, Any]) -> SocketMark | None:
        """The mark a decoded mark line holds; None if its fields are not usable."""
        try:
            t_ms = float(decoded["t_ms"])
            wall_time = float(decoded.get("wall_time", 0.0))
            number = int(decoded.get("socket", 0))
            gap_ms = float(decoded.get("gap_ms", 0.0))
            queued = int(decoded.get("queued", 0))
        except (KeyError, TypeError, ValueError, OverflowError):
            return None
        if not all(math.isfinite(value) for value in (t_ms, wall_time, gap_ms)):
            return None
        reseeded = decoded.get("reseeded")
        ids = tuple(i for i in reseeded if isinstance(i, str)) if isinstance(reseeded, list) else ()

        def text(name: str) -> str:
            value = decoded.get(name)
            return value if isinstance(value, str) else ""

        return cls(
            t_ms,
            wall_time,
            number,
            cause=text("cause"),
            reason=text("reason"),
            gap_ms=gap_ms,
            reseeded=ids,
            queued=queued,
            url=text("url"),
            dialect=text("dialect"),
        )
