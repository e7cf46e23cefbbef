"""Small real WebSocket servers on 127.0.0.1 that play one script each, for connection tests.

Each server binds port 0 and stops when its `async with` block ends, so tests never leak
sockets or depend on a fixed port.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from websockets.asyncio.server import ServerConnection, serve
from websockets.datastructures import Headers
from websockets.http11 import Request, Response

Handler = Callable[[ServerConnection], Awaitable[None]]


@dataclass
class ScriptedServer:
    """A running loopback server: where it listens and what it saw."""

    port: int
    scheme: str = "ws"
    requests: list[Request] = field(default_factory=list)
    received: list[str | bytes] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return f"{self.base_url}/v1/realtime?model=test-model"


@contextlib.asynccontextmanager
async def scripted_server(
    script: Handler,
    *,
    reject: tuple[int, str] | Callable[[int], tuple[int, str] | None] | None = None,
    tls: ssl.SSLContext | None = None,
) -> AsyncIterator[ScriptedServer]:
    """Serve `script` for every connection; with `reject=(status, body)` answer the HTTP
    upgrade with that status and body instead (JSON bodies get a JSON content type), or
    with `reject(n)`'s answer for the n-th handshake (1 = the first; None accepts it);
    with `tls`, serve wss://."""
    state = ScriptedServer(port=0, scheme="wss" if tls else "ws")

    def process_request(connection: ServerConnection, request: Request) -> Response | None:
        state.requests.append(request)
        verdict = reject(len(state.requests)) if callable(reject) else reject
        if verdict is None:
            return None
        status, body = verdict
        response = connection.respond(status, body)
        if body.lstrip().startswith("{"):
            response.headers["Content-Type"] = "application/json"
        return response

    async def handler(connection: ServerConnection) -> None:
        await script(connection)

    async with serve(handler, "127.0.0.1", 0, process_request=process_request, ssl=tls) as server:
        state.port = server.sockets[0].getsockname()[1]
        yield state


async def send_json(connection: ServerConnection, event: dict[str, Any]) -> None:
    await connection.send(json.dumps(event))


async def recv_json(connection: ServerConnection) -> dict[str, Any]:
    async with asyncio.timeout(5):
        message = await connection.recv()
    decoded = json.loads(message)
    assert isinstance(decoded, dict)
    return decoded


def session_created(event_id: str = "event_1") -> dict[str, Any]:
    return {
        "type": "session.created",
        "event_id": event_id,
        "session": {"type": "realtime", "object": "realtime.session", "id": "sess_1"},
    }


def error_event(
    code: str,
    message: str,
    error_type: str = "invalid_request_error",
    param: str | None = None,
) -> dict[str, Any]:
    return {
        "type": "error",
        "event_id": "event_err",
        "error": {"type": error_type, "code": code, "message": message, "param": param},
    }


@contextlib.asynccontextmanager
async def silent_tcp_server() -> AsyncIterator[int]:
    """A TCP server that accepts connections and never says a word (a stuck handshake)."""
    writers: list[asyncio.StreamWriter] = []

    async def on_connect(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writers.append(writer)

    server = await asyncio.start_server(on_connect, "127.0.0.1", 0)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        for writer in writers:
            writer.close()
        server.close()
        await server.wait_closed()


TLS_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "tls"


def self_signed_context() -> ssl.SSLContext:
    """A server TLS context with the test-only self-signed certificate for 127.0.0.1."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(TLS_DIR / "selfsigned.crt", TLS_DIR / "selfsigned.key")
    return context


def unused_port() -> int:
    """A port nothing listens on (bound and released at once)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def header(request: Request, name: str) -> str | None:
    headers: Headers = request.headers
    return headers.get(name)
