"""The clients the app is measured against, and the engine on its own.

Each `*_reply` connects, waits for `session.created`, sends one `response.create` and
returns the seconds until it has taken in the `responses`-th `response.done`:

- `bare_reply`: a websockets client that only receives and `json.loads` each frame, the
  ceiling for any Python client on this machine;
- `sdk_reply`: the official `openai` SDK's realtime connection, `recv()` in a loop (the SDK
  parses every event into its pydantic model), what users would write instead of rt-tui;
- `engine_reply`: rt-tui's engine without a UI, wired as the app's worker wires it:
  `Connection` with the session recorder writing the log (`recorder=`) and the
  conversation reducer as its observer.
"""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Final

from websockets.asyncio.client import connect

from rt_tui.dialect import Dialect
from rt_tui.realtime import client_events
from rt_tui.realtime.connection import Connection
from rt_tui.realtime.conversation import Conversation
from rt_tui.realtime.endpoints import endpoint_for_url
from rt_tui.realtime.frames import Frame
from rt_tui.realtime.recorder import SessionRecorder

KEY: Final = "sk-bench-NotARealKey1234567890"
"""The key every client sends (the server ignores it; the recorder must scrub it)."""
RESPONSE_CREATE: Final = json.dumps({"type": "response.create"})


async def bare_reply(url: str, responses: int = 1) -> float:
    headers = {"Authorization": f"Bearer {KEY}"}
    async with connect(url, additional_headers=headers, compression=None, max_size=None) as ws:
        json.loads(await ws.recv())  # session.created
        start = time.perf_counter()
        await ws.send(RESPONSE_CREATE)
        done = 0
        while done < responses:
            event = json.loads(await ws.recv())
            if event["type"] == "response.done":
                done += 1
        return time.perf_counter() - start


async def sdk_reply(base_url: str, responses: int = 1) -> float:
    from openai import AsyncOpenAI  # the test extra; imported here so the rest runs without

    client = AsyncOpenAI(api_key=KEY, websocket_base_url=base_url)
    async with client.realtime.connect(model="gpt-realtime") as conn:
        await conn.recv()  # session.created
        start = time.perf_counter()
        await conn.response.create()
        done = 0
        while done < responses:
            event = await conn.recv()
            if event.type == "response.done":
                done += 1
        return time.perf_counter() - start


async def engine_reply(url: str, log: Path, responses: int = 1) -> float:
    endpoint = endpoint_for_url(url, KEY)
    conversation = Conversation()
    created = asyncio.Event()
    finished = asyncio.Event()
    done = 0

    def reduce(frame: Frame) -> None:
        nonlocal done
        conversation.apply(frame)
        if conversation.session is not None:
            created.set()
        if frame.wire_type == "response.done":
            done += 1
            if done >= responses:
                finished.set()

    with SessionRecorder(log, endpoint=endpoint) as recorder:
        # As the app's worker does: the connection records each frame before the reducer
        # sees it, so an audio delta's bytes stay in the log line they arrived in.
        connection = Connection(
            endpoint, observers=[reduce], recorder=recorder, buffer_received=False
        )
        await connection.open()
        try:
            await created.wait()
            start = time.perf_counter()
            connection.send(client_events.response_create(Dialect.GA))
            await finished.wait()
            return time.perf_counter() - start
        finally:
            await connection.close()
