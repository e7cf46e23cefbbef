"""When a lost session is worth opening again, and how long to wait before each try.

A drop (no close frame, a service restart, a server error, a keepalive timeout, the
session limit) is worth retrying; a refusal (a wrong key, a bad request, no such model)
will fail the same way every time, so the user is told what to fix instead.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from rt_tui.realtime.errors import (
    CannotConnect,
    ConnectionDropped,
    ConnectTimeout,
    HandshakeRejected,
    RealtimeError,
    RedirectRefused,
    ServerClosed,
    SignInFailed,
)

#: Close codes of a session that ended for reasons of the server's or the network's, not the
#: request's: going away (1001, also the session limit), abnormal (1006), internal error
#: (1011), service restart (1012), try again later (1013).
RETRY_CLOSE_CODES = frozenset({1001, 1006, 1011, 1012, 1013})
#: HTTP statuses at the handshake that may pass: rate limit, server errors, gateways.
RETRY_HTTP_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff with jitter: `first_s`, doubling, never above `max_s`."""

    first_s: float = 0.5
    max_s: float = 30.0

    def delay(self, attempt: int, random_unit: Callable[[], float] = random.random) -> float:
        """Seconds to wait before try number `attempt` (0 = the first retry).

        "Equal jitter": half the step is fixed, half is random, so clients dropped together
        do not come back together, and no wait is ever near zero.
        """
        step = min(self.max_s, self.first_s * 2.0 ** min(attempt, 32))
        return float(step / 2 + step / 2 * random_unit())


def is_drop(error: BaseException) -> bool:
    """Whether `error` ended an open session in a way that a new session may get past."""
    if isinstance(error, ConnectionDropped):
        return True
    return isinstance(error, ServerClosed) and error.code in RETRY_CLOSE_CODES


def is_retryable(error: BaseException) -> bool:
    """Whether a try to open a session again after a drop should go on after `error`.

    Besides drops: a server that is not back yet (refused, timed out, a network error) or
    answers the handshake with a passing status (429, 5xx). Never a refusal of the key or
    the request (HTTP 401/403/404, close 3000/4000), nor a redirect elsewhere, nor an
    Entra ID sign-in that cannot work here (no `azure` extra, no credential).
    """
    if is_drop(error):
        return True
    if isinstance(error, HandshakeRejected):
        return error.status in RETRY_HTTP_STATUSES
    if isinstance(error, RedirectRefused):
        return False
    if isinstance(error, SignInFailed):
        return error.retryable  # the sign-in service failed, not the setup
    return isinstance(error, CannotConnect | ConnectTimeout | OSError)


def drop_reason(error: RealtimeError) -> str:
    """Why the session was lost, as the start of a sentence ('The server restarted')."""
    if isinstance(error, ServerClosed):
        said = f"{error.reason} {error.error_message or ''}".lower()
        if error.code == 1001 and ("expired" in said or "maximum duration" in said):
            return "The session reached its time limit"
        return {
            1001: "The server ended the session (going away)",
            1011: "The server had an internal error",
            1012: "The server is restarting",
            1013: "The server asked to try again later",
        }.get(error.code, f"The server closed the session ({error.code})")
    if isinstance(error, ConnectionDropped):
        return "The connection dropped without a close frame"
    return str(error).rstrip(".")
