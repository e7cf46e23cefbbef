"""A loopback Realtime API server that behaves like the service, for the demo, tests and benchmarks.

Paths and dialects (PROTOCOL.md §1):

- `/v1/realtime?model=…` (OpenAI) and `/openai/v1/realtime?model=…` (Azure GA): GA.
- `/openai/realtime?api-version=…&deployment=…` (Azure preview): beta.
- Any of those with the `OpenAI-Beta: realtime=v1` header: beta.
- Anything else: HTTP 404 with the service's JSON error body.

Keys come from `Authorization: Bearer`, the `api-key` header, the `api-key` query parameter or
the browser subprotocol `openai-insecure-api-key.<key>`. A key listed in `reject_keys` gets the
service's answer to a bad key: on Azure paths HTTP 401; on the OpenAI path the handshake
succeeds, then an `invalid_api_key` error and CLOSE 3000. Keys are never logged or shown.

`on_traffic` receives one line per connection opened, refused and closed (time, number,
path with any key redacted, dialect, close code), which `rt-tui mock-server` prints.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from websockets.asyncio.server import Server, ServerConnection
from websockets.asyncio.server import serve as ws_serve
from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response
from websockets.typing import Subprotocol

from rt_tui.mock.ids import IdFactory
from rt_tui.mock.session import MockSession, SessionOptions
from rt_tui.realtime.dialect import Dialect

log = logging.getLogger(__name__)

OPENAI_GA_PATH = "/v1/realtime"
AZURE_GA_PATH = "/openai/v1/realtime"
AZURE_PREVIEW_PATH = "/openai/realtime"
DEFAULT_MODEL = "gpt-realtime"
MAX_FRAME_BYTES = 24 * 2**20
"""Room for a 15 MiB audio append once base64 and JSON are added."""
_SUBPROTOCOL_KEY_PREFIX = "openai-insecure-api-key."
_BETA_GONE = (
    "The Realtime API beta shape has been shut down; remove the 'OpenAI-Beta: realtime=v1' "
    "header to use the GA interface."
)
_AZURE_401 = (
    "Access denied due to invalid subscription key or wrong API endpoint. Make sure to "
    "provide a valid key for an active subscription and use a correct regional API "
    "endpoint for your resource."
)


@dataclass(frozen=True, slots=True)
class Handshake:
    """What one client sent in its opening handshake (for tests of URL and header building)."""

    path: str
    """The request path with the query; an `api-key` query value is replaced by `***`."""
    dialect: Dialect | None
    """The dialect served, or None when the handshake was refused."""
    azure: bool
    auth: str | None
    """Where the key came from: 'bearer', 'api-key-header', 'api-key-query', 'subprotocol'."""
    key: str | None = field(default=None, repr=False)
    user_agent: str | None = None
    beta_header: bool = False


@dataclass(frozen=True, slots=True)
class _Route:
    dialect: Dialect
    azure: bool
    model: str | None
    key_rejected: bool
    beta_refused: bool = False
    path: str = ""
    """The request path, any key redacted (for the traffic lines)."""


def _json_response(status: HTTPStatus, body: dict[str, Any]) -> Response:
    payload = json.dumps(body).encode()
    headers = Headers([("Content-Type", "application/json"), ("Content-Length", str(len(payload)))])
    return Response(status.value, status.phrase, headers, payload)


def _find_key(request: Request, query: dict[str, list[str]]) -> tuple[str | None, str | None]:
    authorization = request.headers.get("Authorization", "")
    if authorization.lower().startswith("bearer "):
        return authorization[7:].strip(), "bearer"
    if "api-key" in request.headers:
        return request.headers["api-key"], "api-key-header"
    if query.get("api-key"):
        return query["api-key"][0], "api-key-query"
    for header in request.headers.get_all("Sec-WebSocket-Protocol"):
        for offer in header.split(","):
            offer = offer.strip()
            if offer.startswith(_SUBPROTOCOL_KEY_PREFIX):
                return offer[len(_SUBPROTOCOL_KEY_PREFIX) :], "subprotocol"
    return None, None


def _redacted_path(path: str, query: dict[str, list[str]]) -> str:
    if "api-key" not in query:
        return path
    parts = urlsplit(path)
    safe = {k: (["***"] if k == "api-key" else v) for k, v in query.items()}
    return parts.path + "?" + urlencode(safe, doseq=True)


def _select_subprotocol(
    connection: ServerConnection, offered: Sequence[Subprotocol]
) -> Subprotocol | None:
    """Accept the browser-style `realtime` subprotocol when offered, and no subprotocol too."""
    return Subprotocol("realtime") if "realtime" in offered else None


class MockServer:
    """The mock realtime service on `host:port` (port 0 picks a free one).

    Use as `async with MockServer() as server:` or call `start()` / `stop()`.
    `delta_delay` is the pause between streamed deltas (0 for tests); `seed` makes ids
    repeatable; `reject_keys` lists keys to refuse; `require_key` refuses a missing key too;
    `max_session_s` is the session limit (the service's is 60 minutes);
    `openai_beta_disabled` makes the beta header at the OpenAI path fatal (error
    `beta_api_shape_disabled`, CLOSE 4000), as the service answers since beta was shut down.
    `options` (a `SessionOptions`) may be changed while running, e.g. `options.delta_delay`.
    `on_traffic(line)` hears of every connection opened, refused or closed, one line each.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        reject_keys: Iterable[str] = frozenset(),
        require_key: bool = False,
        delta_delay: float = 0.015,
        seed: int | str | None = None,
        max_session_s: float | None = 3600.0,
        openai_beta_disabled: bool = False,
        wall_clock: Callable[[], float] = time.time,
        on_traffic: Callable[[str], object] | None = None,
    ) -> None:
        self.host = host
        self._requested_port = port
        self.reject_keys = frozenset(reject_keys)
        self.require_key = require_key
        self.options = SessionOptions(delta_delay=delta_delay, max_session_s=max_session_s)
        self.seed = seed
        self.openai_beta_disabled = openai_beta_disabled
        """Answer the beta header at `/v1/realtime` as OpenAI does now that beta is shut down."""
        self.wall_clock = wall_clock
        self.on_traffic = on_traffic
        self.handshakes: list[Handshake] = []
        """Every opening handshake seen, oldest first."""
        self.sessions_served = 0
        self._server: Server | None = None
        self._routes: dict[object, _Route] = {}
        self._connections = 0

    # --- lifecycle ----------------------------------------------------------------------

    async def start(self) -> None:
        """Listen; returns once the port is bound."""
        if self._server is not None:
            return
        self._server = await ws_serve(
            self._handle,
            self.host,
            self._requested_port,
            process_request=self._process_request,
            select_subprotocol=_select_subprotocol,
            max_size=MAX_FRAME_BYTES,
            close_timeout=2,
            logger=log,
        )

    async def stop(self) -> None:
        """Close every connection (CLOSE 1001) and stop listening; waits for all sessions."""
        server, self._server = self._server, None
        if server is None:
            return
        server.close()
        await server.wait_closed()

    async def close_sessions(self, code: int = 1011, reason: str = "") -> None:
        """Close every open session with `code` and `reason` (to test how clients take it)."""
        if self._server is None:
            return
        await asyncio.gather(
            *(conn.close(code, reason) for conn in list(self._server.connections)),
            return_exceptions=True,
        )

    def drop_sessions(self) -> None:
        """Cut every open socket without a close frame, as a network failure would (1006)."""
        if self._server is None:
            return
        for conn in list(self._server.connections):
            conn.transport.abort()

    async def __aenter__(self) -> MockServer:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # --- addresses ----------------------------------------------------------------------

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("The mock server is not running; call start() first.")
        for sock in self._server.sockets:
            return int(sock.getsockname()[1])
        raise RuntimeError("The mock server has no listening socket.")

    @property
    def base_url(self) -> str:
        """`ws://HOST:PORT`, the prefix of every URL below."""
        return f"ws://{self.host}:{self.port}"

    def ga_url(self, model: str = DEFAULT_MODEL) -> str:
        """OpenAI GA: `ws://…/v1/realtime?model=…`."""
        return f"{self.base_url}{OPENAI_GA_PATH}?{urlencode({'model': model})}"

    def azure_ga_url(self, deployment: str) -> str:
        """Azure GA: `ws://…/openai/v1/realtime?model=<deployment>`."""
        return f"{self.base_url}{AZURE_GA_PATH}?{urlencode({'model': deployment})}"

    def azure_preview_url(self, deployment: str, api_version: str = "2025-04-01-preview") -> str:
        """Azure preview (beta dialect): `ws://…/openai/realtime?api-version=…&deployment=…`."""
        query = urlencode({"api-version": api_version, "deployment": deployment})
        return f"{self.base_url}{AZURE_PREVIEW_PATH}?{query}"

    # --- handshake ----------------------------------------------------------------------

    def _process_request(self, connection: ServerConnection, request: Request) -> Response | None:
        parts = urlsplit(request.path)
        query = parse_qs(parts.query)
        path = parts.path.rstrip("/") or "/"
        beta = "realtime=v1" in request.headers.get("OpenAI-Beta", "")
        key, auth = _find_key(request, query)
        rejected = (key is not None and key in self.reject_keys) or (
            key is None and self.require_key
        )
        model = query["model"][0] if query.get("model") else None
        azure = path in (AZURE_GA_PATH, AZURE_PREVIEW_PATH)
        refusal: Response | None = None
        dialect = Dialect.BETA if beta else Dialect.GA
        if path == OPENAI_GA_PATH:
            pass
        elif path == AZURE_GA_PATH:
            if "api-version" in query:
                refusal = _json_response(
                    HTTPStatus.UNAUTHORIZED,
                    {
                        "error": {
                            "code": "401",
                            "message": "api-version is not supported on "
                            "the /openai/v1 path; remove it.",
                        }
                    },
                )
        elif path == AZURE_PREVIEW_PATH:
            dialect = Dialect.BETA
            model = query["deployment"][0] if query.get("deployment") else None
            if not query.get("api-version"):
                refusal = _json_response(
                    HTTPStatus.NOT_FOUND,
                    {"error": {"code": "404", "message": "Resource not found"}},
                )
            elif model is None:
                refusal = _json_response(
                    HTTPStatus.NOT_FOUND,
                    {
                        "error": {
                            "code": "DeploymentNotFound",
                            "message": "The API deployment for this resource does not exist.",
                        }
                    },
                )
        else:
            refusal = _json_response(
                HTTPStatus.NOT_FOUND,
                {
                    "error": {
                        "message": f"Invalid URL (GET {parts.path})",
                        "type": "invalid_request_error",
                        "param": None,
                        "code": None,
                    }
                },
            )
        if refusal is None and azure and rejected:
            refusal = _json_response(
                HTTPStatus.UNAUTHORIZED, {"error": {"code": "401", "message": _AZURE_401}}
            )
        safe_path = _redacted_path(request.path, query)
        self.handshakes.append(
            Handshake(
                path=safe_path,
                dialect=None if refusal is not None else dialect,
                azure=azure,
                auth=auth,
                key=key,
                user_agent=request.headers.get("User-Agent"),
                beta_header=beta,
            )
        )
        if refusal is not None:
            self._report(f"refused {safe_path} (HTTP {refusal.status_code})")
            return refusal
        beta_refused = beta and path == OPENAI_GA_PATH and self.openai_beta_disabled
        self._routes[connection.id] = _Route(
            dialect, azure, model, rejected, beta_refused, path=safe_path
        )
        return None

    def _report(self, what: str) -> None:
        """One traffic line, stamped with the local time, to `on_traffic` if set."""
        if self.on_traffic is not None:
            stamp = time.strftime("%H:%M:%S", time.localtime(self.wall_clock()))
            self.on_traffic(f"{stamp} {what}")

    # --- sessions -----------------------------------------------------------------------

    async def _handle(self, ws: ServerConnection) -> None:
        route = self._routes.pop(ws.id, None)
        if route is None:  # cannot happen: every accepted handshake leaves a route
            await ws.close(1011, "no route")
            return
        self._connections += 1
        number = self._connections
        self._report(f"#{number} open {route.path} ({route.dialect.value})")
        try:
            await self._serve(ws, route, number)
        finally:
            code = ws.close_code
            self._report(f"#{number} closed {code if code is not None else '(no close code)'}")

    async def _serve(self, ws: ServerConnection, route: _Route, number: int) -> None:
        """One accepted connection, from the first frame to the end."""
        seed = None if self.seed is None else f"{self.seed}:{number}"
        ids = IdFactory(seed)
        try:
            if route.key_rejected:
                await self._fatal(ws, ids, "invalid_api_key", 3000, "Incorrect API key provided.")
                return
            if route.beta_refused:
                await self._fatal(ws, ids, "beta_api_shape_disabled", 4000, _BETA_GONE)
                return
            if route.model is None and route.dialect is Dialect.GA:
                await self._fatal(
                    ws, ids, "missing_model", 4000, "You must provide a model parameter."
                )
                return
            session = MockSession(
                ws,
                dialect=route.dialect,
                model=route.model or DEFAULT_MODEL,
                options=self.options,
                ids=ids,
                now=self.wall_clock(),
            )
            self.sessions_served += 1
            await session.run()
        except ConnectionClosed:
            pass

    @staticmethod
    async def _fatal(
        ws: ServerConnection, ids: IdFactory, code: str, close: int, message: str
    ) -> None:
        """The service's fatal error: an `error` event, then CLOSE with `<type>.<code>`."""
        event = {
            "type": "error",
            "event_id": ids("event"),
            "error": {
                "type": "invalid_request_error",
                "code": code,
                "message": message,
                "param": None,
                "event_id": None,
            },
        }
        await ws.send(json.dumps(event, separators=(",", ":")))
        await ws.close(close, f"invalid_request_error.{code}")


async def serve(
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    on_ready: Callable[[MockServer], None] | None = None,
    **options: Any,
) -> None:
    """Run a `MockServer` until cancelled; `on_ready(server)` learns the bound port."""
    async with MockServer(host, port, **options) as server:
        if on_ready is not None:
            on_ready(server)
        await asyncio.Future()
