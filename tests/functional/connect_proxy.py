"""A tiny HTTP CONNECT proxy on 127.0.0.1 for the proxy tests.

Every host it is asked for is this machine: `CONNECT realtime.test:PORT` opens a tunnel to
127.0.0.1:PORT, so a test can name a host that is not loopback (which rt-tui would never
send through a proxy) and still reach its own loopback server. With `refuse=STATUS` it
answers every CONNECT with that status instead.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field


@dataclass
class ConnectProxy:
    """A running proxy: where it listens and the CONNECT request lines it was sent."""

    port: int = 0
    requests: list[str] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    """Every header line of every CONNECT request."""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(ConnectionError):
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    with contextlib.suppress(ConnectionError, OSError):
        writer.close()


@contextlib.asynccontextmanager
async def connect_proxy(*, refuse: int | None = None) -> AsyncIterator[ConnectProxy]:
    """Serve CONNECT tunnels (or refuse them with `refuse`) until the block ends."""
    state = ConnectProxy()
    tasks: set[asyncio.Task[None]] = set()
    writers: list[asyncio.StreamWriter] = []

    async def on_client(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writers.append(writer)
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
        request_line, *header_lines = head.split("\r\n")
        state.requests.append(request_line)
        state.headers += [line for line in header_lines if line]
        if refuse is not None:
            writer.write(f"HTTP/1.1 {refuse} Refused\r\nContent-Length: 0\r\n\r\n".encode())
            await writer.drain()
            writer.close()
            return
        port = int(request_line.split(" ")[1].rsplit(":", 1)[1])
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", port)
        writers.append(up_writer)
        writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        await writer.drain()
        for source, sink in ((reader, up_writer), (up_reader, writer)):
            task = asyncio.create_task(_pipe(source, sink))
            tasks.add(task)
            task.add_done_callback(tasks.discard)

    server = await asyncio.start_server(on_client, "127.0.0.1", 0)
    state.port = server.sockets[0].getsockname()[1]
    try:
        yield state
    finally:
        server.close()
        for writer in writers:
            writer.close()
        for task in list(tasks):
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await server.wait_closed()
