"""How a Realtime socket ended, as the typed, one-sentence error its connection reports, or
None for a normal end: websockets closing the socket itself because of what the server
sent, a drop without a close frame, or a close by the server, explained by the `error`
event that preceded it when one does. Reasons are cut to one line and scrubbed of the
endpoint's secrets (a server may echo them)."""

from __future__ import annotations

from typing import Final

from websockets.exceptions import ConnectionClosed
from websockets.frames import Close

from rt_tui.realtime.errors import (
    ConnectionDropped,
    ProtocolViolation,
    RealtimeError,
    ServerClosed,
    one_line,
    scrub,
)
from rt_tui.realtime.event_registry import ServerEvent
from rt_tui.realtime.session_events import ErrorEvent

#: Close codes that end a session normally.
NORMAL_CLOSE_CODES: Final = frozenset({1000})
#: Close codes websockets sends when the peer breaks the protocol (bad frame, not UTF-8,
#: policy, frame too big, unsupported data).
_PROTOCOL_FAILURES: Final = frozenset({1002, 1003, 1007, 1008, 1009})


def ending_error(
    exc: ConnectionClosed | None,
    close_received: Close | None,
    *,
    closing: bool,
    host: str,
    secrets: tuple[str, ...],
    last_event: ServerEvent | None,
    last_error: ErrorEvent | None,
) -> RealtimeError | None:
    """Why a socket ended. `exc`: what websockets raised (None for a normal close), and
    `close_received` the close frame it got otherwise; `closing`: we were closing it;
    `last_event` and `last_error`: the last frame's event and the last `error` event."""
    received = exc.rcvd if exc is not None else close_received
    sent = exc.sent if exc is not None else None
    we_failed_first = received is None or (exc is not None and exc.rcvd_then_sent is False)
    if not closing and sent is not None and sent.code in _PROTOCOL_FAILURES and we_failed_first:
        # websockets closed the socket itself because of what the server sent.
        reason = scrub(one_line(sent.reason, 120), secrets)
        return ProtocolViolation(sent.code, reason, host=host)
    if received is None:
        if closing:
            return None
        return ConnectionDropped(f"The connection to {host} dropped without a close frame (1006).")
    if received.code in NORMAL_CLOSE_CODES or closing:
        return None
    reason = scrub(one_line(received.reason, 120), secrets)
    message = _closing_error_message(reason, secrets, last_event, last_error)
    return ServerClosed(received.code, reason, message)


def _closing_error_message(
    reason: str,
    secrets: tuple[str, ...],
    last_event: ServerEvent | None,
    last_error: ErrorEvent | None,
) -> str | None:
    """The text of the `error` event that explains a close: the last frame before it, or
    an earlier error whose code the close reason names."""
    if last_error is None:
        return None
    code = last_error.error.code
    if last_event is last_error or (code and code in reason):
        return scrub(one_line(last_error.error.message), secrets) or None
    return None
