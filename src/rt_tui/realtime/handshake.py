"""Opening a Realtime socket: the WebSocket handshake under rt-tui's rules, and every way it
can fail turned into one RealtimeError sentence without secrets.

The rules: a redirect is followed only within the same scheme, host and port (so a key
header never travels elsewhere); loopback never goes through a proxy; TLS verification is
off only when the endpoint says so; no compression (frames are mostly base64 audio).
websockets logs every request header (the key among them) and every frame at DEBUG, so its
logger here is pinned at INFO: turning on debug logging elsewhere never prints the key.
"""

from __future__ import annotations

import logging
import socket
import ssl
from typing import Any, Final
from urllib.parse import urljoin, urlsplit

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import (
    InvalidHandshake,
    InvalidMessage,
    InvalidProxy,
    InvalidStatus,
    InvalidURI,
)
from websockets.uri import parse_uri

from rt_tui import __version__
from rt_tui.realtime.endpoints import Endpoint, redact_url
from rt_tui.realtime.errors import (
    CannotConnect,
    ConnectTimeout,
    HandshakeRejected,
    RedirectRefused,
    handshake_message,
    one_line,
    os_reason,
    scrub,
)

#: The logger websockets writes to; never DEBUG, which would log the auth headers.
WIRE_LOGGER: Final = logging.getLogger("rt_tui.realtime.wire")
WIRE_LOGGER.setLevel(logging.INFO)
#: HTTP statuses websockets treats as redirects.
_REDIRECT_STATUSES: Final = frozenset({300, 301, 302, 303, 307, 308})


class _SameOriginConnect(connect):
    """`connect` that follows a redirect only within the same scheme, host and port.

    websockets follows cross-origin redirects too and strips only Authorization and Cookie,
    so an Azure `api-key` header would travel to whatever host the server names.
    """

    def process_redirect(self, exc: Exception) -> Exception | str:
        if (
            isinstance(exc, InvalidStatus)
            and exc.response.status_code in _REDIRECT_STATUSES
            and "Location" in exc.response.headers
        ):
            target = urljoin(self.uri, exc.response.headers["Location"])
            try:
                new = parse_uri(target)
            except InvalidURI:
                return RedirectRefused(redact_url(target))
            old = self.ws_uri
            if (new.secure, new.host, new.port) != (old.secure, old.host, old.port):
                return RedirectRefused(redact_url(target))
        return super().process_redirect(exc)


def where(endpoint: Endpoint) -> str:
    """`host:port` (or just the host) of the endpoint, for messages."""
    parts = urlsplit(endpoint.url)
    host = parts.hostname or "the server"
    return f"{host}:{parts.port}" if parts.port else host


async def open_socket(
    endpoint: Endpoint,
    *,
    connect_timeout: float,
    ping_interval: float | None,
    max_size: int,
    connection_class: type[ClientConnection] = ClientConnection,
) -> ClientConnection:
    """The open WebSocket for `endpoint` (a `connection_class`). Raises a RealtimeError (one
    sentence) on failure."""
    shown = where(endpoint)
    secrets = endpoint.secret_values()
    options: dict[str, Any] = {}
    if endpoint.url.startswith("wss:") and not endpoint.verify_tls:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        options["ssl"] = context
    try:
        return await _SameOriginConnect(
            endpoint.url,
            additional_headers=dict(endpoint.headers),
            user_agent_header=f"rt-tui/{__version__}",
            compression=None,
            max_size=max_size,
            open_timeout=connect_timeout,
            ping_interval=ping_interval,
            logger=WIRE_LOGGER,
            create_connection=connection_class,
            # A proxy has no business seeing loopback traffic.
            proxy=None if endpoint.is_loopback else True,
            **options,
        )
    except RedirectRefused as exc:
        raise exc from None
    except InvalidStatus as exc:
        body = bytes(exc.response.body or b"")
        message = scrub(handshake_message(body), secrets)
        status = exc.response.status_code
        if endpoint.key_withheld and status in (401, 403):
            hint = "rt-tui sent no key: it never sends one over unencrypted ws:// to another host"
            message = f"{message.rstrip('.')} ({hint})" if message else hint
        raise HandshakeRejected(status, message, host=shown) from None
    except TimeoutError:
        raise ConnectTimeout(
            f"{shown} did not complete the WebSocket handshake within {connect_timeout:g} s."
        ) from None
    except ssl.SSLCertVerificationError as exc:
        detail = one_line(exc.verify_message or "unknown reason", 120)
        raise CannotConnect(
            f"Cannot connect to {shown}: the TLS certificate could not be verified ({detail})."
        ) from None
    except socket.gaierror:
        raise CannotConnect(
            f"Cannot connect to {shown}: the host name could not be resolved."
        ) from None
    except ConnectionRefusedError:
        raise CannotConnect(f"Cannot connect to {shown}: connection refused.") from None
    except InvalidURI:
        raise CannotConnect(
            f"Cannot connect: '{endpoint.display_url}' is not a valid URL."
        ) from None
    except InvalidProxy as exc:
        # The proxy URL comes from the environment and may carry a password.
        raise CannotConnect(
            f"Cannot connect to {shown}: the proxy setting {redact_url(exc.proxy)} is not "
            f"usable ({one_line(exc.msg, 120)})."
        ) from None
    except InvalidMessage:
        raise CannotConnect(
            f"Cannot connect to {shown}: the server did not answer with a valid "
            "WebSocket handshake."
        ) from None
    except InvalidHandshake as exc:
        detail = one_line(scrub(str(exc), secrets), 160)
        raise CannotConnect(f"Cannot connect to {shown}: {detail}.") from None
    except OSError as exc:
        raise CannotConnect(f"Cannot connect to {shown}: {os_reason(exc)}.") from None
