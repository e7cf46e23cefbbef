"""Failures the first connection tests did not cover, each one plain sentence naming the
real cause: a server that breaks the WebSocket protocol, TLS spoken to a plain server."""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from scripted_server import scripted_server, send_json, session_created
from websockets.asyncio.server import ServerConnection

from rt_tui.realtime.connection import CannotConnect, Connection, ProtocolViolation
from rt_tui.realtime.endpoints import endpoint_for_url
from rt_tui.realtime.errors import os_reason
from rt_tui.realtime.frames import Frame


async def oversized_frame(ws: ServerConnection) -> None:
    await send_json(ws, session_created())
    await ws.send("x" * 5000)
    await ws.wait_closed()


async def text_that_is_not_utf8(ws: ServerConnection) -> None:
    await send_json(ws, session_created())
    await ws.send(b"\xff\xfe", text=True)
    await ws.wait_closed()


@pytest.mark.parametrize(
    ("script", "label"),
    [
        (oversized_frame, "1009 frame with 5000 bytes exceeds limit of 1000 bytes"),
        (text_that_is_not_utf8, "1007 invalid start byte at position 0"),
    ],
    ids=["too-big", "not-utf8"],
)
async def test_a_server_that_breaks_the_protocol_is_named_not_a_drop(
    script: Callable[[ServerConnection], Awaitable[None]], label: str
) -> None:
    async with scripted_server(script) as server:
        conn = Connection(endpoint_for_url(server.url), max_frame_bytes=1000)
        await conn.open()
        async with asyncio.timeout(5):
            first = await anext(aiter(conn))
            with pytest.raises(ProtocolViolation) as caught:
                await anext(aiter(conn))
        await conn.close()
    assert first.wire_type == "session.created"
    assert str(caught.value) == (
        f"rt-tui closed the connection because the server 127.0.0.1:{server.port} broke the "
        f"WebSocket protocol ({label})."
    )
    assert conn.error is caught.value


@contextlib.asynccontextmanager
async def plain_http_server() -> AsyncIterator[int]:
    """A TCP server that answers anything with a plain HTTP 400 (no TLS)."""

    async def answer(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        server.close()
        await server.wait_closed()


async def test_wss_to_a_plain_server_says_the_tls_handshake_failed() -> None:
    async with plain_http_server() as port:
        with pytest.raises(CannotConnect) as caught:
            await Connection(endpoint_for_url(f"wss://127.0.0.1:{port}/v1/realtime")).open()
    assert str(caught.value) == (
        f"Cannot connect to 127.0.0.1:{port}: the TLS handshake failed (wrong version number)."
    )


def test_os_reasons_read_as_words() -> None:
    assert os_reason(ConnectionResetError()) == "connection reset"
    assert os_reason(ConnectionRefusedError(111, "Connection refused")) == "connection refused"
    assert os_reason(ssl.SSLError(1, "[SSL] x")) == "the TLS handshake failed"


async def test_text_that_is_not_utf8_after_a_stream_still_closes_with_1007() -> None:
    async def script(ws: ServerConnection) -> None:
        await send_json(ws, session_created())
        await ws.recv()  # the client is surely reading by now
        for n in range(5):
            await send_json(ws, {"type": "response.output_text.delta", "delta": str(n)})
        await ws.send(b"\xff\xfe", text=True)
        await ws.wait_closed()

    async with scripted_server(script) as server:
        conn = Connection(endpoint_for_url(server.url))
        await conn.open()
        conn.send({"type": "session.update", "session": {}})
        frames: list[Frame] = []

        async def read_all() -> None:
            async for frame in conn:
                frames.append(frame)

        async with asyncio.timeout(5):
            with pytest.raises(ProtocolViolation) as caught:
                await read_all()
        await conn.close()
    assert [f.wire_type for f in frames] == ["session.created"] + ["response.output_text.delta"] * 5
    assert "(1007 invalid start byte at position 0)" in str(caught.value)
