"""The mock's minting endpoints for ephemeral client secrets (PROTOCOL.md §1), answered on
the socket's own port:

- GA: `POST /v1/realtime/client_secrets` and Azure's `/openai/v1/realtime/client_secrets`,
  with `{expires_after: {anchor, seconds: 10 to 7200}, session}` → `{value, expires_at, session}`.
- Beta: `POST /v1/realtime/sessions`, `/v1/realtime/transcription_sessions` and Azure
  preview's `/openai/realtimeapi/sessions?api-version=V` → a session with
  `client_secret: {value, expires_at}` (a minute, as the service gives).

Minting takes a standard key (`Authorization: Bearer` or `api-key`), not a minted secret
and not one the server rejects. websockets reads only GET requests without a body, so
`answering_posts` makes the server's connections answer a POST themselves before
websockets sees a byte; everything else goes on to the WebSocket handshake.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any, Final
from urllib.parse import parse_qs, urlsplit

from websockets.asyncio.server import ServerConnection

GA_PATHS: Final = ("/v1/realtime/client_secrets", "/openai/v1/realtime/client_secrets")
BETA_PATHS: Final = ("/v1/realtime/sessions", "/v1/realtime/transcription_sessions")
AZURE_PREVIEW_PATH: Final = "/openai/realtimeapi/sessions"
DEFAULT_TTL_S: Final = 600
TTL_RANGE_S: Final = (10, 7200)
BETA_TTL_S: Final = 60
#: A POST's head and body together; a minting request is a small JSON object.
_MAX_REQUEST_BYTES: Final = 64 * 1024


def _ek_secret() -> str:
    return f"ek_{secrets.token_hex(16)}"


@dataclass(frozen=True, slots=True)
class Post:
    """One HTTP POST as received: path with query, headers (names in lower case), body."""

    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class SecretMint:
    """Mints secrets and remembers until when each is good."""

    reject_keys: frozenset[str] = frozenset()
    make_secret: Callable[[], str] = _ek_secret
    minted: dict[str, float] = field(default_factory=dict)
    """Every secret minted → when it expires (seconds since the epoch)."""

    def accepts(self, key: str | None, now: float) -> bool:
        """Whether `key` is a secret minted here that has not expired."""
        return key is not None and self.minted.get(key, 0.0) > now

    def answer(self, post: Post, now: float) -> tuple[int, dict[str, Any]]:
        """The status and JSON body the service answers `post` with."""
        parts = urlsplit(post.path)
        path = parts.path.rstrip("/")
        azure = path.startswith("/openai/")
        if path not in (*GA_PATHS, *BETA_PATHS, AZURE_PREVIEW_PATH):
            return _error(HTTPStatus.NOT_FOUND, f"Invalid URL (POST {path})", azure=azure)
        if path == AZURE_PREVIEW_PATH and not parse_qs(parts.query).get("api-version"):
            return _error(HTTPStatus.NOT_FOUND, "Resource not found", azure=True)
        key = _key(post.headers)
        if key is None or key in self.reject_keys or key in self.minted:
            message = "Incorrect API key provided." if key else "You didn't provide an API key."
            return _error(HTTPStatus.UNAUTHORIZED, message, azure=azure, code="invalid_api_key")
        try:
            request = json.loads(post.body or b"{}")
        except ValueError:
            request = None
        if not isinstance(request, dict):
            return _error(HTTPStatus.BAD_REQUEST, "The body is not a JSON object.", azure=azure)
        if path in GA_PATHS:
            return self._ga(request, now, azure)
        return self._beta(request, now, path)

    def _ga(self, request: dict[str, Any], now: float, azure: bool) -> tuple[int, dict[str, Any]]:
        expiry = request.get("expires_after") or {}
        seconds = expiry.get("seconds", DEFAULT_TTL_S) if isinstance(expiry, dict) else None
        low, high = TTL_RANGE_S
        if not isinstance(seconds, int) or not low <= seconds <= high:
            message = f"expires_after.seconds must be between {low} and {high}."
            return _error(HTTPStatus.BAD_REQUEST, message, azure=azure, code="invalid_value")
        session = request.get("session") or {"type": "realtime"}
        if not isinstance(session, dict) or session.get("type") not in (
            "realtime",
            "transcription",
        ):
            message = "session.type must be 'realtime' or 'transcription'."
            return _error(HTTPStatus.BAD_REQUEST, message, azure=azure, code="invalid_value")
        secret, expires_at = self._mint(now, seconds)
        described = {"object": "realtime.session", "id": f"sess_{secrets.token_hex(8)}", **session}
        return HTTPStatus.OK, {"value": secret, "expires_at": expires_at, "session": described}

    def _beta(self, request: dict[str, Any], now: float, path: str) -> tuple[int, dict[str, Any]]:
        secret, expires_at = self._mint(now, BETA_TTL_S)
        kind = "transcription_session" if "transcription" in path else "session"
        return HTTPStatus.OK, {
            "id": f"sess_{secrets.token_hex(8)}",
            "object": f"realtime.{kind}",
            **request,
            "client_secret": {"value": secret, "expires_at": expires_at},
        }

    def _mint(self, now: float, seconds: int) -> tuple[str, int]:
        secret = self.make_secret()
        expires_at = int(now + seconds)
        self.minted[secret] = float(expires_at)
        return secret, expires_at


def _key(headers: dict[str, str]) -> str | None:
    authorization = headers.get("authorization", "")
    if authorization.lower().startswith("bearer "):
        return authorization[7:].strip() or None
    return headers.get("api-key") or None


def _error(
    status: HTTPStatus, message: str, *, azure: bool, code: str | None = None
) -> tuple[int, dict[str, Any]]:
    if azure:
        return status, {"error": {"code": code or str(status.value), "message": message}}
    kind = "invalid_request_error"
    return status, {"error": {"message": message, "type": kind, "param": None, "code": code}}


def parse_post(data: bytes) -> Post | None:
    """The POST in `data` once its head and whole body have arrived; None before."""
    head, sep, rest = data.partition(b"\r\n\r\n")
    if not sep:
        return None
    lines = head.decode("latin-1").split("\r\n")
    path = lines[0].split(" ")[1] if len(lines[0].split(" ")) == 3 else "/"
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    try:
        length = int(headers.get("content-length", "0"))
    except ValueError:
        length = 0
    if len(rest) < length:
        return None
    return Post(path, headers, bytes(rest[:length]))


def http_response(status: int, body: dict[str, Any]) -> bytes:
    payload = json.dumps(body).encode()
    phrase = HTTPStatus(status).phrase
    head = (
        f"HTTP/1.1 {status} {phrase}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(payload)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode("ascii") + payload


PostAnswer = Callable[[Post], tuple[int, dict[str, Any]]]


def answering_posts(answer: PostAnswer) -> type[ServerConnection]:
    """A ServerConnection class whose connections answer an HTTP POST with `answer` and
    close, and hand any other request to the WebSocket handshake."""

    class PostAnsweringConnection(ServerConnection):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._head = bytearray()
            self._state = "sniffing"  # then "websocket", or "answered"

        def data_received(self, data: bytes) -> None:
            if self._state == "websocket":
                super().data_received(data)
                return
            if self._state == "answered":
                return
            self._head += data
            if len(self._head) < 5 and b"POST ".startswith(bytes(self._head)):
                return  # too little to tell a POST from a GET yet
            if not self._head.startswith(b"POST "):
                self._state = "websocket"
                super().data_received(bytes(self._head))
                return
            if len(self._head) > _MAX_REQUEST_BYTES:
                reply = http_response(413, {"error": {"message": "Request too large."}})
            else:
                post = parse_post(bytes(self._head))
                if post is None:
                    return  # the rest of the body is on its way
                reply = http_response(*answer(post))
            self._state = "answered"
            self.transport.write(reply)
            self.transport.close()

    return PostAnsweringConnection
