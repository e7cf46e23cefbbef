"""DirectConnection cuts whole text and binary frames out of each socket read itself: every
split of the stream gives the same messages, in order, and whatever it does not take
(a fragment, a close, a partial frame at the end) goes to websockets, in its place.

The client is a real websockets connection to a loopback server; the stream under test is
handed to it as the socket's transport hands reads over (`data_received`), so each test
chooses exactly where reads end."""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from scripted_server import scripted_server, send_json, session_created
from websockets.asyncio.client import connect
from websockets.asyncio.server import ServerConnection
from websockets.exceptions import ConnectionClosedError
from websockets.frames import Frame as WireFrame
from websockets.frames import Opcode

from rt_tui.realtime.connection import Connection, ConnectionDropped
from rt_tui.realtime.direct_messages import DirectConnection
from rt_tui.realtime.endpoints import endpoint_for_url
from rt_tui.realtime.frames import Direction, Frame
from rt_tui.realtime.recorder import SessionRecorder, read_log
from rt_tui.realtime.response_events import DeltaEvent


def wire(opcode: Opcode, data: bytes, *, fin: bool = True) -> bytes:
    """One frame as a server writes it (unmasked)."""
    return WireFrame(opcode, data, fin=fin).serialize(mask=False, extensions=[])


async def idle(ws: ServerConnection) -> None:
    await ws.wait_closed()


@pytest.fixture
async def direct() -> AsyncIterator[tuple[DirectConnection, list[str | bytes]]]:
    """A DirectConnection to an idle server, its messages going to a list."""
    async with (
        scripted_server(idle) as server,
        connect(
            server.url, create_connection=DirectConnection, compression=None, ping_interval=None
        ) as ws,
    ):
        assert isinstance(ws, DirectConnection)
        taken: list[str | bytes] = []
        ws.direct_max_bytes = 1 << 20
        ws.on_message = taken.append
        yield ws, taken


FIRST = '{"type": "response.output_text.delta", "delta": "a"}'
BINARY = b"\x00\x01binary"
LONGER = "é✓ " * 60  # a 16-bit length, not ASCII
AFTER_PING = '{"type": "response.output_text.delta", "delta": "after the ping"}'
MESSAGES: list[str | bytes] = [FIRST, BINARY, LONGER, AFTER_PING]
SMALL_STREAM = (
    wire(Opcode.TEXT, FIRST.encode())
    + wire(Opcode.BINARY, BINARY)
    + wire(Opcode.PING, b"are you there")
    + wire(Opcode.TEXT, LONGER.encode())
    + wire(Opcode.TEXT, AFTER_PING.encode())
)


async def test_every_split_of_a_stream_gives_the_same_messages_in_order(
    direct: tuple[DirectConnection, list[str | bytes]],
) -> None:
    ws, taken = direct
    for split in range(len(SMALL_STREAM) + 1):
        ws.data_received(SMALL_STREAM[:split])
        ws.data_received(SMALL_STREAM[split:])
        assert taken == MESSAGES, f"split at byte {split}"
        taken.clear()
    for byte in range(len(SMALL_STREAM)):  # a read a byte
        ws.data_received(SMALL_STREAM[byte : byte + 1])
    assert taken == MESSAGES
    # The ping went to websockets, and cutting began again after it, with the installed
    # websockets (whose parser it must find between frames to begin).
    assert ws.cutting


async def test_a_frame_with_a_64_bit_length_is_cut_wherever_its_reads_end(
    direct: tuple[DirectConnection, list[str | bytes]],
) -> None:
    ws, taken = direct
    big = "x" * 70_000
    stream = wire(Opcode.TEXT, big.encode()) + wire(Opcode.TEXT, b'"next"')
    for split in (1, 2, 5, 9, 10, 11, 35_000, len(stream) - 9, len(stream) - 1):
        for start in range(0, len(stream), split):
            ws.data_received(stream[start : start + split])
        assert taken == [big, '"next"'], f"reads of {split} bytes"
        taken.clear()
    assert ws.cutting


async def test_a_fragmented_message_goes_to_websockets_and_keeps_its_place(
    direct: tuple[DirectConnection, list[str | bytes]],
) -> None:
    ws, taken = direct
    ws.data_received(
        wire(Opcode.TEXT, b'"one"')
        + wire(Opcode.TEXT, b'"two, ', fin=False)
        + wire(Opcode.CONT, b'in parts"')
        + wire(Opcode.TEXT, b'"three"')
    )
    # Taking messages directly stops at the fragment: recv() hands over the rest in order.
    assert taken == ['"one"']
    async with asyncio.timeout(5):
        assert await ws.recv() == '"two, in parts"'
        assert await ws.recv() == '"three"'
    assert not ws.cutting


async def test_a_frame_over_the_limit_goes_to_websockets_which_enforces_its_own() -> None:
    async with (
        scripted_server(idle) as server,
        connect(server.url, create_connection=DirectConnection, max_size=10) as ws,
    ):
        assert isinstance(ws, DirectConnection)
        taken: list[str | bytes] = []
        ws.direct_max_bytes = 10
        ws.on_message = taken.append
        ws.data_received(wire(Opcode.TEXT, b'"short"') + wire(Opcode.TEXT, b'"longer than ten"'))
        async with asyncio.timeout(5):
            with pytest.raises(ConnectionClosedError) as caught:
                await ws.recv()
    assert taken == ['"short"']
    assert caught.value.sent is not None
    assert caught.value.sent.code == 1009


async def test_a_stream_that_ends_inside_a_frame_is_a_drop_after_every_whole_frame() -> None:
    delta = '{"type": "response.output_text.delta", "delta": "%d"}'
    partial = wire(Opcode.TEXT, (delta % 99).encode())[:-5]

    async def script(ws: ServerConnection) -> None:
        await send_json(ws, session_created())
        await ws.recv()  # the client is reading
        ws.transport.write(b"".join(wire(Opcode.TEXT, (delta % n).encode()) for n in range(3)))
        ws.transport.write(partial)
        ws.transport.write_eof()

    async with scripted_server(script) as server:
        frames: list[Frame] = []
        conn = Connection(endpoint_for_url(server.url), observers=[frames.append])
        await conn.open()
        conn.send({"type": "session.update", "session": {}})
        error = await conn.wait_closed()
    received = [f.data for f in frames if f.event is not None]
    assert received[1:] == [delta % n for n in range(3)]
    assert isinstance(error, ConnectionDropped)


async def test_a_key_echoed_inside_a_flood_reaches_neither_the_log_nor_the_events(
    tmp_path: Path,
) -> None:
    key = "sk-test-EchoedBackByTheServer0123"
    audio = base64.b64encode(bytes(range(256)) * 24).decode()
    deltas = [
        {"type": "response.output_text.delta", "item_id": "i", "delta": f"{n} "} for n in range(50)
    ]
    deltas[20]["delta"] = f"your key is {key} "
    deltas[30] = {"type": "response.output_audio.delta", "item_id": "i", "delta": audio, "k": key}
    sent = [json.dumps(delta) for delta in deltas]

    async def script(ws: ServerConnection) -> None:
        await send_json(ws, session_created())
        await ws.recv()  # the client is reading: the flood goes in one write
        ws.transport.write(b"".join(wire(Opcode.TEXT, text.encode()) for text in sent))
        await ws.close()

    async with scripted_server(script) as server:
        endpoint = endpoint_for_url(server.url, api_key=key)
        frames: list[Frame] = []
        with SessionRecorder(tmp_path / "s.jsonl", endpoint=endpoint) as recorder:
            conn = Connection(endpoint, observers=[frames.append], recorder=recorder)
            await conn.open()
            conn.send({"type": "session.update", "session": {}})
            assert await conn.wait_closed() is None
    log = (tmp_path / "s.jsonl").read_text()
    assert key not in log
    received = [r.data for r in read_log(tmp_path / "s.jsonl") if r.direction is Direction.RECEIVED]
    assert len(received) == 1 + len(sent)  # every frame, in order, redacted where it had to be
    assert received[1:21] + received[22:31] + received[32:] == sent[:20] + sent[21:30] + sent[31:]
    assert "your key is *** " in received[21]
    assert json.loads(str(received[31]))["delta"] == audio
    events = [f.event for f in frames if isinstance(f.event, DeltaEvent)]
    assert [e.delta for e in events][20] == "your key is *** "
    assert all(key not in e.delta for e in events)
