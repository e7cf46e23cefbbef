"""The server side of RFC 6455, just enough for a loopback benchmark server.

The flood server writes frames it framed in advance, straight to the socket, so sending
costs it a memory copy and it cannot be the bottleneck of what it measures (a websockets
server would frame, and by default compress, every message as it goes). No extension is
negotiated: every client under test reads uncompressed frames, as rt-tui asks for.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
from dataclasses import dataclass
from typing import Final

TEXT: Final = 0x1
BINARY: Final = 0x2
CLOSE: Final = 0x8
PING: Final = 0x9
PONG: Final = 0xA
_CONTINUATION: Final = 0x0
_GUID: Final = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
_MAX_HEADER_BYTES: Final = 64 * 1024


class HandshakeFailed(Exception):
    """The client did not send a WebSocket upgrade request."""


@dataclass(frozen=True)
class Upgrade:
    """What the client asked for in its HTTP upgrade request."""

    path: str
    headers: dict[str, str]
    """Header names in lower case."""


def frame(opcode: int, payload: bytes) -> bytes:
    """One unmasked, unfragmented frame, as a server sends it."""
    size = len(payload)
    if size < 126:
        header = bytes((0x80 | opcode, size))
    elif size < 1 << 16:
        header = bytes((0x80 | opcode, 126)) + size.to_bytes(2, "big")
    else:
        header = bytes((0x80 | opcode, 127)) + size.to_bytes(8, "big")
    return header + payload


def text_frame(text: str) -> bytes:
    return frame(TEXT, text.encode())


def close_frame(code: int = 1000) -> bytes:
    return frame(CLOSE, code.to_bytes(2, "big"))


async def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> Upgrade:
    """Read the HTTP upgrade request and answer 101 Switching Protocols."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError) as exc:
        raise HandshakeFailed("no complete HTTP request") from exc
    if len(head) > _MAX_HEADER_BYTES:
        raise HandshakeFailed("request headers too large")
    request_line, *lines = head.decode("latin-1").split("\r\n")
    parts = request_line.split()
    if len(parts) != 3 or parts[0] != "GET":
        raise HandshakeFailed(f"not a GET request: {request_line!r}")
    headers: dict[str, str] = {}
    for line in lines:
        name, sep, value = line.partition(":")
        if sep:
            headers[name.strip().lower()] = value.strip()
    key = headers.get("sec-websocket-key")
    if key is None or "websocket" not in headers.get("upgrade", "").lower():
        raise HandshakeFailed("not a WebSocket upgrade")
    digest = hashlib.sha1((key + _GUID).encode()).digest()
    writer.write(
        b"HTTP/1.1 101 Switching Protocols\r\n"
        b"Upgrade: websocket\r\nConnection: Upgrade\r\n"
        b"Sec-WebSocket-Accept: " + base64.b64encode(digest) + b"\r\n\r\n"
    )
    await writer.drain()
    return Upgrade(path=parts[1], headers=headers)


def _unmask(payload: bytes, mask: bytes) -> bytes:
    if not payload:
        return payload
    size = len(payload)
    key = (mask * (size // 4 + 1))[:size]
    return (int.from_bytes(payload, "big") ^ int.from_bytes(key, "big")).to_bytes(size, "big")


async def read_message(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    """The next message from the client (fragments joined): (opcode, payload).

    Raises asyncio.IncompleteReadError when the client goes away."""
    opcode = -1
    parts: list[bytes] = []
    while True:
        first, second = await reader.readexactly(2)
        size = second & 0x7F
        if size == 126:
            size = int.from_bytes(await reader.readexactly(2), "big")
        elif size == 127:
            size = int.from_bytes(await reader.readexactly(8), "big")
        mask = await reader.readexactly(4) if second & 0x80 else b""
        payload = await reader.readexactly(size)
        if mask:
            payload = _unmask(payload, mask)
        this = first & 0x0F
        if this >= CLOSE:  # control frames may come between fragments
            return this, payload
        if this != _CONTINUATION:
            opcode = this
        parts.append(payload)
        if first & 0x80:
            return opcode, b"".join(parts)
