"""Every change of the session's configuration: what the client sent in `session.update`
and what the server answered (`session.updated`, or an `error`), in order.

The server answers updates in the order they were sent, so each `session.updated` is
paired with the oldest update still waiting; an `error` naming an update's event id
refuses it. `session.created` opens each session (its defaults, nothing sent). The
`rt_tui.session_diff` core compares what was sent with what came back.

Sent sessions are kept as the log and the inspector show them, secrets redacted.
"""

from __future__ import annotations

import json
from collections import deque
from dataclasses import dataclass
from typing import Any, Literal

from rt_tui.realtime.frames import Frame
from rt_tui.realtime.session_events import ErrorInfo

JsonObject = dict[str, Any]

__all__ = ["MAX_EXCHANGES", "SessionExchange", "SessionHistory", "sent_session"]

MAX_EXCHANGES = 1000
"""How many exchanges to keep: a server that sends updates without end must not grow
memory without bound."""

ExchangeState = Literal["answered", "refused", "waiting", "lost"]


@dataclass(slots=True)
class SessionExchange:
    """One change of the session's configuration."""

    number: int
    """1 for the first exchange the history saw."""
    kind: str
    """session.created (a new session's defaults), session.update (the client's), or
    session.updated (the server changed the session unasked)."""
    sent: JsonObject | None = None
    """The `session` object of the sent `session.update` (None: nothing was sent)."""
    sent_t_ms: float | None = None
    event_id: str | None = None
    before: JsonObject | None = None
    """The server's copy of the session before this change (None: a new session)."""
    after: JsonObject | None = None
    """The server's copy of the session the answer carried."""
    answered_t_ms: float | None = None
    error: ErrorInfo | None = None
    """The server refused the update."""
    lost: bool = False
    """The session ended before the server answered."""

    @property
    def state(self) -> ExchangeState:
        if self.after is not None:
            return "answered"
        if self.error is not None:
            return "refused"
        return "lost" if self.lost else "waiting"


def sent_session(frame: Frame) -> JsonObject | None:
    """The `session` object of a sent `session.update` frame, from its redacted text when
    the connection worked that out (so no secret is kept), else from the sent dict."""
    event: object = frame.client_event
    if isinstance(frame.redacted, str):
        try:
            event = json.loads(frame.redacted)
        except ValueError:
            return None
    session = event.get("session") if isinstance(event, dict) else None
    return session if isinstance(session, dict) else None


class SessionHistory:
    """The session's configuration changes, oldest first (at most `MAX_EXCHANGES`)."""

    def __init__(self) -> None:
        self.exchanges: deque[SessionExchange] = deque(maxlen=MAX_EXCHANGES)
        self._count = 0
        self._waiting: deque[SessionExchange] = deque()

    @property
    def seen(self) -> int:
        """How many exchanges there have been (the oldest may have been dropped)."""
        return self._count

    def _add(self, exchange: SessionExchange) -> SessionExchange:
        self.exchanges.append(exchange)
        return exchange

    def sent(self, session: JsonObject | None, event_id: str | None, t_ms: float) -> None:
        """The client sent a `session.update` carrying `session`."""
        self._count += 1
        exchange = SessionExchange(
            self._count, "session.update", session or {}, t_ms, event_id=event_id
        )
        self._waiting.append(self._add(exchange))

    def received(
        self, kind: str, session: JsonObject, before: JsonObject | None, t_ms: float
    ) -> None:
        """The server sent `session.created` or `session.updated` carrying `session`;
        `before` is its copy of the session until then."""
        if kind == "session.updated" and self._waiting:
            exchange = self._waiting.popleft()
        else:
            self._count += 1
            exchange = self._add(SessionExchange(self._count, kind))
        exchange.before = None if kind == "session.created" else before
        exchange.after = session
        exchange.answered_t_ms = t_ms

    def refused(self, error: ErrorInfo) -> bool:
        """An `error` arrived: if it names a waiting update (or, naming no event, is
        about a session parameter), that update was refused. Whether one was."""
        for exchange in self._waiting:
            if error.event_id is not None and exchange.event_id == error.event_id:
                break
        else:
            about_session = (error.param or "").startswith("session")
            if error.event_id is not None or not about_session or not self._waiting:
                return False
            exchange = self._waiting[0]
        self._waiting.remove(exchange)
        exchange.error = error
        return True

    def interrupted(self) -> None:
        """The session was lost: updates still waiting will never be answered."""
        for exchange in self._waiting:
            exchange.lost = True
        self._waiting.clear()
