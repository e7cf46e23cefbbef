"""A loopback Realtime API server that behaves like the service, for the demo, tests and benchmarks.

Paths and dialects (PROTOCOL.md §1):

- `/v1/realtime?model=…` (OpenAI) and `/openai/v1/realtime?model=…` (Azure GA): GA.
- `/openai/realtime?api-version=…&deployment=…` (Azure preview): beta.
- Any of those with the `OpenAI-Beta: realtime=v1` header: beta.
- Any of those with `intent=transcription` (then OpenAI's needs no model): a transcription
  session (`rt_tui.mock.transcription`); another intent is refused (`invalid_intent`).
- Anything else: HTTP 404 with the service's JSON error body.

Keys come from `Authorization: Bearer`, the `api-key` header, the `api-key` query parameter or
the browser subprotocol `openai-insecure-api-key.<key>`. A key listed in `reject_keys` gets the
service's answer to a bad key: on Azure paths HTTP 401; on the OpenAI path the handshake
succeeds, then an `invalid_api_key` error and CLOSE 3000. Keys are never logged or shown.

`on_traffic` receives one line per connection opened, refused and closed (time, number,
path with any key redacted, dialect, close code), which `rt-tui mock-server` prints.
The HTTP-level checks of the handshake live in `rt_tui.mock.handshake`. The same port
mints ephemeral client secrets (`rt_tui.mock.minting`); with `require_minted` only an
unexpired secret minted here opens a socket, as with a browser app's ephemeral key. `hooks` make the
server misbehave as a named scenario says (`rt_tui.mock.scenarios`).
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any
from urllib.parse import urlencode, urlsplit

from websockets.asyncio.server import Server, ServerConnection
from websockets.asyncio.server import serve as ws_serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response
from websockets.typing import Subprotocol

from rt_tui.dialect import Dialect
from rt_tui.mock.errors import MockError, error_event
from rt_tui.mock.handshake import (
    AZURE_GA_PATH,
    AZURE_PREVIEW_PATH,
    OPENAI_GA_PATH,
    Route,
    check_request,
    handshake_echo,
)
from rt_tui.mock.handshake import (
    Handshake as Handshake,  # re-exported: rt_tui.mock and the tests import it from here
)
from rt_tui.mock.ids import IdFactory
from rt_tui.mock.minting import Post, SecretMint, answering_posts
from rt_tui.mock.pacing import NO_PACING, Pacing
from rt_tui.mock.responses import RequestBudget
from rt_tui.mock.scenarios import Hooks
from rt_tui.mock.session import MockSession, SessionOptions
from rt_tui.mock.transcription import INTENT as TRANSCRIPTION_INTENT

log = logging.getLogger(__name__)

DEFAULT_MODEL = "gpt-realtime"
MAX_FRAME_BYTES = 24 * 2**20
"""Room for a 15 MiB audio append once base64 and JSON are added."""
_BETA_GONE = (
    "The Realtime API beta shape has been shut down; remove the 'OpenAI-Beta: realtime=v1' "
    "header to use the GA interface."
)


def _select_subprotocol(
    connection: ServerConnection, offered: Sequence[Subprotocol]
) -> Subprotocol | None:
    """Accept the browser-style `realtime` subprotocol when offered, and no subprotocol too."""
    return Subprotocol("realtime") if "realtime" in offered else None


class MockServer:
    """The mock realtime service on `host:port` (port 0 picks a free one).

    Use as `async with MockServer() as server:` or call `start()` / `stop()`.
    `delta_delay` is the pause between streamed deltas (0 for tests) and `pacing` the waits
    before a response's start, first delta and first audio (none by default; the demo's are
    `pacing.REALISTIC`); `seed` makes ids and the pacing's jitter repeatable;
    `reject_keys` lists keys to refuse; `require_key` refuses a missing key too;
    `require_minted` refuses every key but a client secret minted here and not expired
    (`mint.make_secret` makes them);
    `max_session_s` is the session limit (the service's is 60 minutes);
    `openai_beta_disabled` makes the beta header at the OpenAI path fatal (error
    `beta_api_shape_disabled`, CLOSE 4000), as the service answers since beta was shut down.
    `options` (a `SessionOptions`) may be changed while running, e.g. `options.delta_delay`.
    `on_traffic(line)` hears of every connection opened, refused or closed, one line each.
    `hooks` (a scenario's, see `rt_tui.mock.scenarios`) override the arguments they set.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        reject_keys: Iterable[str] = frozenset(),
        require_key: bool = False,
        require_minted: bool = False,
        delta_delay: float = 0.015,
        seed: int | str | None = None,
        max_session_s: float | None = 3600.0,
        openai_beta_disabled: bool = False,
        wall_clock: Callable[[], float] = time.time,
        on_traffic: Callable[[str], object] | None = None,
        hooks: Hooks | None = None,
        pacing: Pacing = NO_PACING,
    ) -> None:
        hooks = hooks or Hooks()
        self.hooks = hooks
        if hooks.delta_delay is not None:
            delta_delay = hooks.delta_delay
        if hooks.first_delta_s is not None:
            pacing = pacing.with_first_delta(hooks.first_delta_s)
        if hooks.max_session_s is not None:
            max_session_s = hooks.max_session_s
        self.host = host
        self._requested_port = port
        self.reject_keys = frozenset(reject_keys)
        self.require_key = require_key
        self.require_minted = require_minted
        self.mint = SecretMint(self.reject_keys)
        """The minting endpoint's secrets: `mint.minted` holds each and its expiry."""
        self.options = SessionOptions(
            delta_delay=delta_delay,
            pacing=pacing,
            random=random.Random(seed),
            max_session_s=max_session_s,
            cut=hooks.cut,
            request_budget=(
                None if hooks.request_limit is None else RequestBudget(hooks.request_limit)
            ),
        )
        self.seed = seed
        self.openai_beta_disabled = openai_beta_disabled
        """Answer the beta header at `/v1/realtime` as OpenAI does now that beta is shut down."""
        self.wall_clock = wall_clock
        self.on_traffic = on_traffic
        self.handshakes: list[Handshake] = []
        """Every opening handshake seen, oldest first."""
        self.sessions_served = 0
        self._server: Server | None = None
        self._routes: dict[object, Route] = {}
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
            create_connection=answering_posts(self._answer_post),
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

    def transcription_url(self) -> str:
        """OpenAI GA transcription session: `ws://…/v1/realtime?intent=transcription`."""
        return f"{self.base_url}{OPENAI_GA_PATH}?intent={TRANSCRIPTION_INTENT}"

    def azure_ga_url(self, deployment: str) -> str:
        """Azure GA: `ws://…/openai/v1/realtime?model=<deployment>`."""
        return f"{self.base_url}{AZURE_GA_PATH}?{urlencode({'model': deployment})}"

    def azure_preview_url(self, deployment: str, api_version: str = "2025-04-01-preview") -> str:
        """Azure preview (beta dialect): `ws://…/openai/realtime?api-version=…&deployment=…`."""
        query = urlencode({"api-version": api_version, "deployment": deployment})
        return f"{self.base_url}{AZURE_PREVIEW_PATH}?{query}"

    # --- handshake ----------------------------------------------------------------------

    def _process_request(self, connection: ServerConnection, request: Request) -> Response | None:
        verdict = check_request(
            request,
            reject_keys=self.reject_keys,
            require_key=self.require_key,
            openai_beta_disabled=self.openai_beta_disabled,
            refuse_every_key=self.hooks.refuse_every_key,
            refuse_status=self.hooks.handshake_status,
            accept_key=self._minted_secret if self.require_minted else None,
        )
        self.handshakes.append(verdict.handshake)
        if verdict.refusal is not None:
            path = verdict.handshake.path
            self._report(f"refused {path} (HTTP {verdict.refusal.status_code})")
            return verdict.refusal
        assert verdict.route is not None  # an accepted handshake always has a route
        self._routes[connection.id] = verdict.route
        return None

    def _minted_secret(self, key: str | None) -> bool:
        return self.mint.accepts(key, self.wall_clock())

    def _answer_post(self, post: Post) -> tuple[int, dict[str, Any]]:
        status, body = self.mint.answer(post, self.wall_clock())
        path = urlsplit(post.path).path
        self._report(
            f"minted a client secret ({path})"
            if status == 200
            else f"refused POST {path} (HTTP {status})"
        )
        return status, body

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

    async def _serve(self, ws: ServerConnection, route: Route, number: int) -> None:
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
            if route.intent not in (None, TRANSCRIPTION_INTENT):
                message = f"Invalid intent '{route.intent}'; the only intent is 'transcription'."
                await self._fatal(ws, ids, "invalid_intent", 4000, message)
                return
            transcribes = route.intent == TRANSCRIPTION_INTENT
            if route.model is None and route.dialect is Dialect.GA and not transcribes:
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
                after_greeting=self._greeting_extras(ws),
                transcribes=transcribes,
            )
            self.sessions_served += 1
            await session.run()
        except ConnectionClosed:
            pass

    def _greeting_extras(self, ws: ServerConnection) -> list[dict[str, Any]]:
        """Events a scenario sends right after `session.created`."""
        if not self.hooks.echo_handshake or ws.request is None:
            return []
        echo = MockError("handshake_echo", handshake_echo(ws.request))
        return [error_event(echo)]

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
