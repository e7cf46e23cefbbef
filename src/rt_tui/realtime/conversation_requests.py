"""Which request started a response, and which sent event an error is about.

A response is timed from what caused it: the client's `response.create`, or, for turns
the server detects itself, the end of the user's speech. The server never says which,
so the tracker credits each new response to the oldest unanswered `response.create`,
else to the last turn end; a `response.create` the server rejected is forgotten.
"""

from __future__ import annotations

from collections import OrderedDict, deque

#: How many sent event ids to remember for naming the event an error refers to.
SENT_EVENT_MEMORY = 4096


class RequestTracker:
    """Remembers sent events just long enough to explain responses and errors."""

    def __init__(self) -> None:
        self._sent_types: OrderedDict[str, str] = OrderedDict()
        # Sent response.create frames not yet matched to a response, oldest first.
        self._pending_creates: deque[tuple[str | None, float]] = deque()
        # The end of the user's last VAD turn: (what marked it, t_ms).
        self._turn_end: tuple[str, float] | None = None

    def forget(self) -> None:
        """The socket was lost: nothing sent on it will be answered."""
        self._sent_types.clear()
        self._pending_creates.clear()
        self._turn_end = None

    def sent(self, kind: str, event_id: str | None, t_ms: float) -> None:
        """The client sent an event of type `kind`."""
        if event_id is not None:
            self._sent_types[event_id] = kind
            if len(self._sent_types) > SENT_EVENT_MEMORY:
                self._sent_types.popitem(last=False)
        if kind == "response.create":
            self._pending_creates.append((event_id, t_ms))

    def turn_ended(self, source: str, t_ms: float, *, overwrite: bool = True) -> None:
        """The user's turn ended (speech_stopped, or committed if nothing came before)."""
        if overwrite or self._turn_end is None:
            self._turn_end = (source, t_ms)

    def claim(self) -> tuple[str, float] | None:
        """What caused a response that just appeared: (source, t_ms), or None."""
        claimed: tuple[str, float] | None = None
        if self._pending_creates:
            _, t_ms = self._pending_creates.popleft()
            claimed = ("response.create", t_ms)
        elif self._turn_end is not None:
            claimed = self._turn_end
        self._turn_end = None
        return claimed

    def rejected(self, event_id: str) -> str | None:
        """The server rejected the sent event `event_id`; returns its type if known."""
        for pending in self._pending_creates:
            if pending[0] == event_id:
                # It will never get a response of its own.
                self._pending_creates.remove(pending)
                break
        return self._sent_types.get(event_id)
