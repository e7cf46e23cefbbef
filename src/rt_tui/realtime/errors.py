"""Typed connection failures, each rendering as one plain sentence a user can act on.

Messages are built only from the URL host, HTTP status, close code and reason and the
server's own error text; `scrub` removes anything key-shaped from the server's text, so a
key never reaches an exception (and through it the screen or a log).
"""

from __future__ import annotations

import json
import os
import re
import ssl
from collections.abc import Iterable

#: Text that looks like an API key or token (OpenAI `sk-…`, ephemeral `ek_…`, Bearer values).
#: Long enough that ordinary words ("sk-learn", "the bearer of news") are left alone. A key
#: starts a word, or follows a JSON escape (`\nsk-…`, `\u00e9sk-…`), where no word starts
#: because the escape ends in a letter or digit.
_KEY_SHAPED = re.compile(
    r"(?:\b|(?<=\\[bfnrt])|(?<=\\u[0-9A-Fa-f]{4}))(?:sk|ek|rk)[-_][A-Za-z0-9_\-*]{16,}"
    r"|(?i:bearer)\s+[A-Za-z0-9._~+/=\-]{16,}"
)
_MAX_SERVER_TEXT = 300


def scrub(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` with the given secret values and anything key-shaped replaced by ***."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return _KEY_SHAPED.sub("***", text)


def one_line(text: str, limit: int = _MAX_SERVER_TEXT) -> str:
    """Whitespace folded to single spaces and cut to `limit` characters."""
    folded = " ".join(text.split())
    return folded if len(folded) <= limit else folded[: limit - 1] + "…"


def os_reason(exc: OSError) -> str:
    """The plain reason of an OS error, lower case without a final period ('connection
    refused'), without the wrapping text asyncio adds around it."""
    if isinstance(exc, ssl.SSLError):
        # Its errno is OpenSSL's, not the OS's: os.strerror would say "operation not permitted".
        detail = str(getattr(exc, "reason", None) or "").replace("_", " ").lower()
        return f"the TLS handshake failed ({detail})" if detail else "the TLS handshake failed"
    if exc.errno is not None:
        reason = os.strerror(exc.errno)
    else:
        reason = exc.strerror or str(exc) or _words(type(exc).__name__.removesuffix("Error"))
    reason = reason.rstrip(".")
    return reason[:1].lower() + reason[1:]


def error_reason(exc: BaseException) -> str:
    """`os_reason` of an OS error; any other error's own message."""
    return os_reason(exc) if isinstance(exc, OSError) else str(exc)


def _words(camel: str) -> str:
    """'ConnectionReset' -> 'connection reset'."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", camel).lower()


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?", "…")) else text + "."


class RealtimeError(Exception):
    """Base of every connection failure; `str(e)` is one sentence without secrets."""


class NotConnected(RealtimeError):
    """`send` was called on a connection that is not open."""

    def __init__(self, message: str = "The connection is not open.") -> None:
        super().__init__(message)


class HandshakeRejected(RealtimeError):
    """The HTTP upgrade was answered with a non-101 status (401 bad key, 404 unknown
    deployment, 429 rate limit…). `message` is the server's explanation, if it gave one."""

    def __init__(self, status: int, message: str = "", *, host: str = "", code: str = "") -> None:
        self.status = status
        self.message = message
        self.code = code
        """The error code of the server's JSON body (`DeploymentNotFound`,
        `invalid_api_key`, `model_not_found`…), or ''."""
        where = f" {host}" if host else ""
        text = f"The server{where} refused the connection (HTTP {status})"
        super().__init__(_sentence(f"{text}: {message}" if message else text))


class CannotConnect(RealtimeError):
    """No WebSocket could be opened: refused, unknown host, TLS failure, broken handshake."""


class RedirectRefused(CannotConnect):
    """The server answered the upgrade with a redirect to another scheme, host or port.
    Following it would carry the key's header elsewhere, so it is never followed."""

    def __init__(self, shown_url: str) -> None:
        self.shown_url = shown_url
        """Where the redirect pointed, with secrets redacted."""
        super().__init__(
            f"The server redirected to another host ({shown_url}); rt-tui does not follow it "
            "so the key is not sent elsewhere."
        )


class HostNotFound(CannotConnect):
    """The server's host name (or the proxy's) could not be resolved."""


class TlsFailed(CannotConnect):
    """The TLS handshake failed: most often a certificate that could not be verified."""

    def __init__(self, message: str, *, unverified: bool = False) -> None:
        self.unverified = unverified
        """The certificate was not trusted (rather than the handshake breaking)."""
        super().__init__(message)


class ProxyFailed(CannotConnect):
    """The proxy could not be reached, or it refused to open the tunnel (`status`, the
    HTTP status of its answer to CONNECT; None when it never answered)."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        self.status = status
        super().__init__(message)


class SignInFailed(RealtimeError):
    """No token to sign in with: Microsoft Entra ID sign-in needs the `azure` extra, a
    credential available here (az login, environment, managed identity), and the sign-in
    service. `retryable` when the service failed rather than the setup."""

    def __init__(self, message: str, *, retryable: bool = False) -> None:
        self.retryable = retryable
        super().__init__(message)


class ConnectTimeout(RealtimeError):
    """The server did not complete the opening handshake in time."""


class ServerClosed(RealtimeError):
    """The server closed the session with a non-normal close code (e.g. 3000 auth,
    4000 bad request shape, 1001 session time limit). `error_message` is the text of the
    `error` event that came just before, if any."""

    def __init__(self, code: int, reason: str = "", error_message: str | None = None) -> None:
        self.code = code
        self.reason = reason
        self.error_message = error_message
        label = f"{code} {reason}" if reason else f"{code}"
        text = f"The server closed the session ({label})"
        super().__init__(_sentence(f"{text}: {error_message}" if error_message else text))


class ConnectionDropped(RealtimeError):
    """The connection ended without a close frame (code 1006): network loss or a crash."""


class ProtocolViolation(RealtimeError):
    """rt-tui closed the socket because the server broke the WebSocket protocol: a frame over
    the size limit (1009), text that is not UTF-8 (1007), a malformed frame (1002)."""

    def __init__(self, code: int, reason: str = "", *, host: str = "") -> None:
        self.code = code
        self.reason = reason
        label = f"{code} {reason}" if reason else f"{code}"
        where = f" {host}" if host else ""
        super().__init__(
            f"rt-tui closed the connection because the server{where} broke the WebSocket "
            f"protocol ({label})."
        )


def handshake_message(body: bytes) -> str:
    """The server's explanation from an HTTP error body: JSON `error.message`, a top-level
    `message`, or short plain text; '' when there is nothing readable."""
    text = body.decode("utf-8", errors="replace").strip()
    if not text:
        return ""
    try:
        decoded = json.loads(text)
    except ValueError:
        # HTML error pages say nothing useful in one line.
        return "" if text.lstrip().startswith("<") else one_line(text)
    if isinstance(decoded, dict):
        error = decoded.get("error")
        if isinstance(error, dict) and isinstance(error.get("message"), str):
            return one_line(error["message"])
        if isinstance(error, str):
            return one_line(error)
        if isinstance(decoded.get("message"), str):
            return one_line(decoded["message"])
    return one_line(text)


def handshake_code(body: bytes) -> str:
    """The error code of an HTTP error body (`error.code` in OpenAI's and Azure's JSON
    shapes), or '' when it has none; only a short word, since it is shown."""
    try:
        decoded = json.loads(body.decode("utf-8", errors="replace"))
    except ValueError:
        return ""
    error = decoded.get("error") if isinstance(decoded, dict) else None
    code = error.get("code") if isinstance(error, dict) else None
    if isinstance(code, str | int) and re.fullmatch(r"[A-Za-z0-9_.\-]{1,64}", str(code)):
        return str(code)
    return ""
