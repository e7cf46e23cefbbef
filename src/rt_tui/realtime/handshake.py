"""Opening a Realtime socket: the WebSocket handshake under rt-tui's rules, and every way it
can fail turned into one RealtimeError sentence without secrets.

The rules: a redirect is followed only within the same scheme, host and port (so a key
header never travels elsewhere); loopback never goes through a proxy, other hosts go
through the endpoint's (or the environment's: HTTPS_PROXY, ALL_PROXY, NO_PROXY) with
websockets' own proxy support; TLS verification is off only when the endpoint says so, and
trusts the endpoint's CA bundle instead of the system's when it has one; no compression
(frames are mostly base64 audio). An Entra ID endpoint's token is fetched as the socket
opens, so each socket, a reconnect too, gets one that is still valid. An ephemeral
endpoint mints a client secret with its key first, and the socket carries only the secret.
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
    InvalidProxyMessage,
    InvalidProxyStatus,
    InvalidStatus,
    InvalidURI,
    ProxyError,
)
from websockets.proxy import get_proxy
from websockets.uri import parse_uri

from rt_tui import __version__
from rt_tui.realtime.endpoint import AUTH_HEADERS
from rt_tui.realtime.endpoints import Endpoint, redact_url
from rt_tui.realtime.errors import (
    CannotConnect,
    ConnectTimeout,
    HandshakeRejected,
    HostNotFound,
    ProxyFailed,
    RedirectRefused,
    TlsFailed,
    handshake_code,
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


def proxy_in_use(endpoint: Endpoint) -> str | None:
    """The URL of the proxy a socket to `endpoint` goes through (the endpoint's, or the
    environment's unless NO_PROXY exempts the host), or None for a direct connection."""
    chosen = endpoint.websockets_proxy
    if chosen is not True:
        return chosen
    try:
        return get_proxy(parse_uri(endpoint.url))
    except InvalidURI:
        return None


def tls_context(endpoint: Endpoint) -> ssl.SSLContext | None:
    """The TLS settings for a wss:// socket when they differ from the system's defaults:
    verification off, or the endpoint's CA bundle trusted instead of the system's."""
    if not endpoint.verify_tls:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return context
    if endpoint.ca_bundle is None:
        return None
    try:
        return ssl.create_default_context(cafile=str(endpoint.ca_bundle))
    except ssl.SSLError:
        reason = "it holds no PEM certificate"
    except OSError as exc:
        reason = os_reason(exc)
    raise CannotConnect(f"The CA bundle {endpoint.ca_bundle} cannot be used: {reason}.")


async def signed_headers(endpoint: Endpoint, wait_s: float) -> dict[str, str]:
    """The headers a new socket to `endpoint` sends: its own, with a fresh Entra ID token,
    and, for an ephemeral endpoint, the key (or token) swapped for a client secret minted
    with it. Raises SignInFailed."""
    headers = dict(endpoint.headers)
    if endpoint.tokens is not None:
        headers["Authorization"] = f"Bearer {await endpoint.tokens.token()}"
    if endpoint.client_secrets is None:
        return headers
    signing = {name: value for name, value in headers.items() if name.lower() in AUTH_HEADERS}
    secret = await endpoint.client_secrets.mint(
        endpoint.url,
        endpoint.dialect,
        signing,
        context=tls_context(endpoint) if urlsplit(endpoint.url).scheme == "wss" else None,
        proxy=proxy_in_use(endpoint),
        wait_s=wait_s,
        secrets=endpoint.secret_values(),
    )
    kept = {name: value for name, value in headers.items() if name.lower() not in AUTH_HEADERS}
    return {**kept, "Authorization": f"Bearer {secret}"}


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
    headers = await signed_headers(endpoint, connect_timeout)
    secrets = endpoint.secret_values()  # with the token or secret just fetched
    options: dict[str, Any] = {}
    if endpoint.url.startswith("wss:"):
        context = tls_context(endpoint)
        if context is not None:
            options["ssl"] = context
    proxy = proxy_in_use(endpoint)
    shown_proxy = redact_url(proxy) if proxy else ""
    try:
        return await _SameOriginConnect(
            endpoint.url,
            additional_headers=headers,
            user_agent_header=f"rt-tui/{__version__}",
            compression=None,
            max_size=max_size,
            open_timeout=connect_timeout,
            ping_interval=ping_interval,
            logger=WIRE_LOGGER,
            create_connection=connection_class,
            # Resolved here rather than by websockets (True): what is used is what is named
            # in messages. A proxy has no business seeing loopback traffic (None).
            proxy=proxy,
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
        raise HandshakeRejected(status, message, host=shown, code=handshake_code(body)) from None
    except TimeoutError:
        raise ConnectTimeout(
            f"{shown} did not complete the WebSocket handshake within {connect_timeout:g} s."
        ) from None
    except InvalidProxyStatus as exc:
        status = exc.response.status_code
        hint = " (it wants a user name and password in the proxy URL)" if status == 407 else ""
        raise ProxyFailed(
            f"The proxy {shown_proxy} refused to open a tunnel to {shown}: HTTP {status} "
            f"{one_line(exc.response.reason_phrase, 60)}{hint}.",
            status=status,
        ) from None
    except (InvalidProxyMessage, ProxyError):
        raise ProxyFailed(
            f"The proxy {shown_proxy} did not open a tunnel to {shown}: its answer is not "
            "an HTTP proxy's."
        ) from None
    except ssl.SSLCertVerificationError as exc:
        detail = one_line(exc.verify_message or "unknown reason", 120)
        raise TlsFailed(
            f"Cannot connect to {shown}: the TLS certificate could not be verified ({detail}).",
            unverified=True,
        ) from None
    except ssl.SSLError as exc:
        raise TlsFailed(f"Cannot connect to {shown}: {os_reason(exc)}.") from None
    except socket.gaierror:
        if proxy:
            raise HostNotFound(
                f"Cannot connect to the proxy {shown_proxy}: its host name could not be resolved."
            ) from None
        raise HostNotFound(
            f"Cannot connect to {shown}: the host name could not be resolved."
        ) from None
    except ConnectionRefusedError:
        if proxy:
            raise ProxyFailed(
                f"Cannot connect to the proxy {shown_proxy}: connection refused."
            ) from None
        raise CannotConnect(f"Cannot connect to {shown}: connection refused.") from None
    except ImportError:
        # websockets needs python-socks for a SOCKS proxy and imports it on first use.
        raise ProxyFailed(
            f"The proxy {shown_proxy} is a SOCKS proxy, which needs the python-socks "
            "package: pip install python-socks."
        ) from None
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
