"""Ephemeral client secrets (`ephemeral = true` in a profile, `--ephemeral`): before each
socket opens, rt-tui mints a short-lived secret with the standard key, as a browser app's
server does, and the socket carries only that secret (PROTOCOL.md §1):

- OpenAI GA: `POST /v1/realtime/client_secrets` with `{expires_after, session}`; the
  answer's `value` is the secret. Azure GA: the same under `/openai/v1`.
- Beta: `POST /v1/realtime/sessions` (`/transcription_sessions`) with the model; the secret
  is in `client_secret.value`. Azure preview: `POST /openai/realtimeapi/sessions?api-version=V`.

The minting URL is the socket's URL with its path turned into the minting path, over
https:// (http:// only for loopback: the endpoint refuses cleartext to other hosts before
anything is minted). The request is urllib in a thread, with the socket's TLS settings and
proxy, and follows no redirect (the key would travel with it). Every secret minted is kept
in `issued`, so the redaction layer scrubs it like the key; a failure is one `SignInFailed`
sentence that names neither.
"""

from __future__ import annotations

import asyncio
import json
import socket
import ssl
import urllib.error
import urllib.request
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import Message
from typing import IO, Any, Final
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from rt_tui import __version__
from rt_tui.dialect import Dialect
from rt_tui.realtime.errors import SignInFailed, handshake_message, one_line, os_reason, scrub
from rt_tui.realtime.urls import redact_url

#: How long a minted secret lives: it only has to last until the handshake (the service
#: takes 10 to 7200 s; a reconnect mints a new one).
SECRET_TTL_S: Final = 60
#: The answer is a small JSON object; more is not a minting endpoint's.
_MAX_ANSWER_BYTES: Final = 1 << 20
#: Secrets remembered for redaction (one per socket opened).
_ISSUED_KEPT: Final = 32
#: HTTP statuses worth minting again after (the service or a gateway, not the setup).
_PASSING_STATUSES: Final = frozenset({408, 429, 500, 502, 503, 504})


@dataclass(frozen=True, slots=True)
class MintRequest:
    """Where to mint a secret for a socket URL, and what to send."""

    url: str
    body: dict[str, Any]

    @property
    def shown(self) -> str:
        """The URL as messages show it: host and path, no query."""
        parts = urlsplit(self.url)
        return redact_url(urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")))


def mint_request(socket_url: str, dialect: Dialect) -> MintRequest:
    """The minting request for a socket to `socket_url` in `dialect`: the same host, the
    minting path beside the socket's, the session's model (or deployment) and type."""
    parts = urlsplit(socket_url)
    scheme = "https" if parts.scheme in ("wss", "https") else "http"
    query = dict(parse_qsl(parts.query))
    path = parts.path.rstrip("/")
    transcription = query.get("intent") == "transcription"
    model = query.get("model") or query.get("deployment")
    mint_query = ""
    body: dict[str, Any]
    if path.endswith("/openai/realtime"):  # Azure preview
        mint_path = path.removesuffix("/realtime") + "/realtimeapi/sessions"
        mint_query = urlencode({"api-version": query.get("api-version", "")})
        body = {"model": model} if model else {}
    elif dialect is Dialect.BETA:
        mint_path = path + ("/transcription_sessions" if transcription else "/sessions")
        body = {"model": model} if model and not transcription else {}
    else:
        mint_path = path + "/client_secrets"
        session: dict[str, Any] = {"type": "transcription" if transcription else "realtime"}
        if model and not transcription:
            session["model"] = model
        expiry = {"anchor": "created_at", "seconds": SECRET_TTL_S}
        body = {"expires_after": expiry, "session": session}
    return MintRequest(urlunsplit((scheme, parts.netloc, mint_path, mint_query, "")), body)


def secret_in(answer: Any) -> str | None:
    """The secret in a minting answer: GA `value`, beta `client_secret.value`."""
    if not isinstance(answer, dict):
        return None
    value = answer.get("value")
    nested = answer.get("client_secret")
    if not isinstance(value, str) and isinstance(nested, dict):
        value = nested.get("value")
    if isinstance(value, str) and value.strip() and value.isascii() and " " not in value:
        return value.strip()
    return None


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Refuses every redirect: urllib would send the key along to wherever it points."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: Message,
        newurl: str,
    ) -> urllib.request.Request | None:
        return None


def _post(
    request: MintRequest,
    headers: Mapping[str, str],
    *,
    context: ssl.SSLContext | None,
    proxy: str | None,
    timeout: float,
) -> bytes:
    """POST the request (blocking); the answer's body. Raises urllib's errors."""
    proxies = {"http": proxy, "https": proxy} if proxy else {}  # {}: not even the env's
    opener = urllib.request.build_opener(
        urllib.request.ProxyHandler(proxies),
        urllib.request.HTTPSHandler(context=context),
        _NoRedirects(),
    )
    sent = urllib.request.Request(
        request.url,
        data=json.dumps(request.body).encode(),
        headers={
            **headers,
            "Content-Type": "application/json",
            "User-Agent": f"rt-tui/{__version__}",
        },
        method="POST",
    )
    with opener.open(sent, timeout=timeout) as answer:
        body: bytes = answer.read(_MAX_ANSWER_BYTES)
        return body


class ClientSecrets:
    """Mints a client secret for each socket of one endpoint, and remembers what it minted."""

    def __init__(self) -> None:
        self.issued: deque[str] = deque(maxlen=_ISSUED_KEPT)
        """The secrets minted so far, newest last: secrets to scrub from anything shown."""

    def __repr__(self) -> str:
        return f"ClientSecrets(minted={len(self.issued)})"

    async def mint(
        self,
        socket_url: str,
        dialect: Dialect,
        key_headers: Mapping[str, str],
        *,
        context: ssl.SSLContext | None = None,
        proxy: str | None = None,
        wait_s: float = 10.0,
        secrets: tuple[str, ...] = (),
    ) -> str:
        """A fresh secret for a socket to `socket_url`, minted with `key_headers` (the
        standard key's). `secrets` are scrubbed from the server's words in a failure.
        Raises SignInFailed (one sentence; `retryable` when the service failed)."""
        request = mint_request(socket_url, dialect)
        where = f"Minting a client secret at {request.shown} failed"
        if proxy and not proxy.lower().startswith(("http://", "https://")):
            raise SignInFailed(f"{where}: minting goes through an http:// or https:// proxy only.")
        try:
            body = await asyncio.to_thread(
                _post, request, key_headers, context=context, proxy=proxy, timeout=wait_s
            )
        except urllib.error.HTTPError as exc:
            raise _refusal(where, exc, secrets) from None
        except TimeoutError:
            raise SignInFailed(f"{where}: no answer within {wait_s:g} s.", retryable=True) from None
        except urllib.error.URLError as exc:
            raise _unreachable(where, exc.reason) from None
        except OSError as exc:
            raise _unreachable(where, exc) from None
        try:
            secret = secret_in(json.loads(body))
        except ValueError:
            secret = None
        if secret is None:
            raise SignInFailed(f"{where}: the answer holds no client secret.")
        self.issued.append(secret)
        return secret


def _refusal(where: str, exc: urllib.error.HTTPError, secrets: tuple[str, ...]) -> SignInFailed:
    try:
        body = exc.read(_MAX_ANSWER_BYTES)
    except OSError:
        body = b""
    said = one_line(scrub(handshake_message(body), secrets), 160).rstrip(".")
    status = exc.code
    if 300 <= status < 400:
        return SignInFailed(f"{where}: the server answered with a redirect (HTTP {status}).")
    hint = {
        401: ": the standard key was refused",
        403: ": the key may not mint secrets here",
        404: ": there is no minting endpoint at this path",
        429: ": rate limited",
    }.get(status, "")
    tail = f" ({said})" if said else ""
    return SignInFailed(
        f"{where}: HTTP {status}{hint}{tail}.", retryable=status in _PASSING_STATUSES
    )


def _unreachable(where: str, reason: object) -> SignInFailed:
    if isinstance(reason, ssl.SSLCertVerificationError):
        detail = one_line(reason.verify_message or "unknown reason", 120)
        return SignInFailed(f"{where}: the TLS certificate could not be verified ({detail}).")
    if isinstance(reason, socket.gaierror):
        return SignInFailed(f"{where}: the host name could not be resolved.", retryable=True)
    if isinstance(reason, TimeoutError):
        return SignInFailed(f"{where}: no answer in time.", retryable=True)
    if isinstance(reason, OSError):
        return SignInFailed(f"{where}: {os_reason(reason)}.", retryable=True)
    text = one_line(scrub(str(reason)), 120).rstrip(".") or "unknown reason"
    return SignInFailed(f"{where}: {text}.", retryable=True)
