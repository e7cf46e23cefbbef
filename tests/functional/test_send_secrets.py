"""`rt-tui send` never prints the key, even one that does not look like a key (Azure's 32 hex
digits) and even when the server echoes it, in text and `--json` mode."""

from __future__ import annotations

import base64
import json

import pytest
from scripted_server import header, scripted_server, send_json, session_created
from test_cli import cli_env, run_cli_async
from websockets.asyncio.server import ServerConnection

from rt_tui.realtime.frames import Direction, Frame
from rt_tui.send.json_lines import frame_json_line

__all__ = ["cli_env"]  # the fixture, shared with test_cli

AZURE_KEY = "0123456789abcdef0123456789abcdef"


async def echo_the_key(ws: ServerConnection) -> None:
    """A rude server that repeats the key in an error, a frame and a failed response."""
    key = ws.request.headers["api-key"] if ws.request is not None else ""
    await send_json(ws, session_created())
    async for message in ws:
        if json.loads(message)["type"] == "response.create":
            await send_json(
                ws,
                {
                    "type": "error",
                    "error": {"type": "invalid_request_error", "message": f"key {key} is odd"},
                },
            )
            await send_json(ws, {"type": "rate_limits.updated", "note": f"for {key}"})
            details = {"type": "failed", "error": {"message": f"Key {key} has no quota."}}
            response = {"id": "r", "status": "failed", "status_details": details}
            await send_json(ws, {"type": "response.done", "response": response})


@pytest.mark.parametrize("json_lines", [False, True], ids=["text", "json"])
async def test_an_echoed_azure_key_never_reaches_stdout_or_stderr(
    cli_env: dict[str, str], json_lines: bool
) -> None:
    env = {**cli_env, "AZURE_OPENAI_API_KEY": AZURE_KEY}
    async with scripted_server(echo_the_key) as server:
        url = f"{server.base_url}/openai/v1/realtime?model=dep"
        args = ["send", "hi", "--url", url, *(["--json"] if json_lines else [])]
        code, out, err = await run_cli_async(env, *args)
    assert header(server.requests[0], "api-key") == AZURE_KEY  # it was sent, to loopback
    assert code == 1
    assert AZURE_KEY not in out + err
    assert err.splitlines() == [
        "rt-tui: server error: invalid_request_error: key *** is odd",
        "rt-tui: the response ended as failed: Key *** has no quota.",
    ]
    if json_lines:
        notes = [json.loads(line)["event"].get("note") for line in out.splitlines()]
        assert "for ***" in notes


def test_a_binary_frame_printed_by_json_mode_has_the_key_out() -> None:
    frame = Frame(Direction.RECEIVED, 1.0, 2.0, f"key {AZURE_KEY}!".encode())
    line = json.loads(frame_json_line(frame, (AZURE_KEY,)))
    assert base64.b64decode(line["binary"]) == b"key ***!"
