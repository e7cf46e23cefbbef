"""The mock server's traffic lines: one per connection opened, refused and closed, keys
redacted; `rt-tui mock-server` prints them so a second window shows what arrives."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosedError, InvalidStatus

from rt_tui.mock.server import MockServer

SECRET = "sk-traffic-DoNotPrintThisKey987"
STAMP = r"\d\d:\d\d:\d\d"
TIMEOUT_S = 10.0


class Lines:
    """An `on_traffic` hook that keeps the lines and lets a test wait for them."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._changed = asyncio.Event()

    def __call__(self, line: str) -> None:
        self.lines.append(line)
        self._changed.set()

    async def wait_count(self, count: int) -> list[str]:
        async with asyncio.timeout(TIMEOUT_S):
            while len(self.lines) < count:
                self._changed.clear()
                await self._changed.wait()
        return self.lines


@pytest.fixture
async def traffic() -> AsyncIterator[tuple[MockServer, Lines]]:
    lines = Lines()
    async with MockServer(delta_delay=0, reject_keys={SECRET}, on_traffic=lines) as server:
        yield server, lines


def _without_stamps(lines: list[str]) -> list[str]:
    for line in lines:
        assert re.match(rf"{STAMP} ", line), line
    return [line[9:] for line in lines]


async def test_each_connection_is_one_line_open_and_one_closed(
    traffic: tuple[MockServer, Lines],
) -> None:
    server, lines = traffic
    async with connect(server.ga_url()) as ws:
        await ws.recv()  # session.created
    await lines.wait_count(2)
    preview = server.azure_preview_url("dep") + "&api-key=a-good-key"
    async with connect(preview) as ws:
        await ws.recv()
        await ws.close(4001, "bye")
    await lines.wait_count(4)
    assert _without_stamps(lines.lines) == [
        "#1 open /v1/realtime?model=gpt-realtime (ga)",
        "#1 closed 1000",
        "#2 open /openai/realtime?api-version=2025-04-01-preview&deployment=dep&api-key=%2A%2A%2A "
        "(beta)",
        "#2 closed 4001",
    ]


async def test_refusals_and_server_closes_are_shown_without_the_key(
    traffic: tuple[MockServer, Lines],
) -> None:
    server, lines = traffic
    with pytest.raises(InvalidStatus):
        async with connect(f"{server.base_url}/nowhere?api-key={SECRET}"):
            pass
    await lines.wait_count(1)
    # A rejected key on the OpenAI path: the service's error, then CLOSE 3000.
    headers = {"Authorization": f"Bearer {SECRET}"}
    async with connect(server.ga_url(), additional_headers=headers) as ws:
        await ws.recv()  # the invalid_api_key error
        with pytest.raises(ConnectionClosedError) as closed:
            await ws.recv()
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 3000
    await lines.wait_count(3)
    assert _without_stamps(lines.lines) == [
        "refused /nowhere?api-key=%2A%2A%2A (HTTP 404)",
        "#1 open /v1/realtime?model=gpt-realtime (ga)",
        "#1 closed 3000",
    ]
    assert not any(SECRET in line for line in lines.lines)


async def test_mock_server_command_prints_the_traffic(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "AZURE_OPENAI_"))}
    env["RT_TUI_CONFIG_DIR"] = str(tmp_path / "config")
    env["RT_TUI_DATA_DIR"] = str(tmp_path / "data")
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "rt_tui",
        "mock-server",
        "--port",
        "0",
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert proc.stdout is not None

    async def line() -> str:
        async with asyncio.timeout(TIMEOUT_S):
            return (await proc.stdout.readline()).decode()  # type: ignore[union-attr]

    try:
        first = await line()
        match = re.fullmatch(r"rt-tui mock server listening on (ws://127\.0\.0\.1:\d+)\n", first)
        assert match, first
        header = [await line() for _ in range(4)]
        assert header[-1].startswith("Press Ctrl-C to stop.")
        url = f"{match.group(1)}/openai/v1/realtime?model=dep&api-key={SECRET}"
        async with connect(url) as ws:
            await ws.recv()
        opened, closed = await line(), await line()
        proc.send_signal(signal.SIGINT)
        async with asyncio.timeout(TIMEOUT_S):
            rest, err = await proc.communicate()
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    assert re.fullmatch(
        rf"{STAMP} #1 open /openai/v1/realtime\?model=dep&api-key=%2A%2A%2A \(ga\)\n", opened
    ), opened
    assert re.fullmatch(rf"{STAMP} #1 closed 1000\n", closed), closed
    assert proc.returncode == 130  # Ctrl-C, as for every command
    assert SECRET not in opened + closed + rest.decode() + err.decode()
    assert "Traceback" not in err.decode()
