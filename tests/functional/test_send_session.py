"""`rt-tui send` waits for `session.created` before sending, run as a subprocess against
scripted loopback servers."""

from __future__ import annotations

import json
from pathlib import Path

from scripted_server import error_event, recv_json, scripted_server, send_json, session_created
from test_cli import assert_one_error_line, cli_env, run_cli_async
from websockets.asyncio.server import ServerConnection

from rt_tui.realtime.session_log import LogFile
from rt_tui.realtime.socket_mark import DROPPED, SocketMark

__all__ = ["cli_env"]  # the fixture, shared with test_cli


def text_reply(text: str) -> list[dict[str, object]]:
    delta = {
        "type": "response.output_text.delta",
        "response_id": "r",
        "item_id": "i",
        "output_index": 0,
        "content_index": 0,
        "delta": text,
    }
    return [delta, {"type": "response.done", "response": {"id": "r", "status": "completed"}}]


async def test_nothing_is_sent_before_session_created(cli_env: dict[str, str]) -> None:
    async def script(ws: ServerConnection) -> None:
        # Other frames first: the client must keep waiting for session.created.
        await send_json(ws, {"type": "rate_limits.updated", "rate_limits": []})
        await send_json(ws, session_created())
        while (await recv_json(ws))["type"] != "response.create":
            pass
        for event in text_reply("after the session"):
            await send_json(ws, event)
        await ws.wait_closed()

    async with scripted_server(script) as server:
        code, out, err = await run_cli_async(cli_env, "send", "hi", "--url", server.url, "--json")
    assert (code, err) == (0, "")
    records = [json.loads(line) for line in out.splitlines()]
    order = [(r["direction"], r["event"]["type"]) for r in records]
    assert order[:4] == [
        ("received", "rate_limits.updated"),
        ("received", "session.created"),
        ("sent", "conversation.item.create"),
        ("sent", "response.create"),
    ]
    assert order[-1] == ("received", "response.done")


async def test_an_error_before_session_created_is_told_and_the_close_explained(
    cli_env: dict[str, str],
) -> None:
    async def script(ws: ServerConnection) -> None:
        await send_json(ws, error_event("beta_api_shape_disabled", "The beta shape is off."))
        await ws.close(4000, "beta_api_shape_disabled")

    async with scripted_server(script) as server:
        code, out, err = await run_cli_async(cli_env, "send", "hi", "--url", server.url)
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "rt-tui: server error: beta_api_shape_disabled: The beta shape is off.",
        "rt-tui: The server closed the session (4000 beta_api_shape_disabled): "
        "The beta shape is off.",
    ]


async def test_a_normal_close_before_session_created_is_one_line(cli_env: dict[str, str]) -> None:
    async def script(ws: ServerConnection) -> None:
        await ws.close()

    async with scripted_server(script) as server:
        code, _out, err = await run_cli_async(cli_env, "send", "hi", "--url", server.url)
    assert code == 1
    assert_one_error_line(err, "the server closed the session before it sent session.created.")


async def test_the_reply_timeout_still_applies_after_session_created(
    cli_env: dict[str, str],
) -> None:
    async def script(ws: ServerConnection) -> None:
        await send_json(ws, session_created())
        await ws.wait_closed()

    async with scripted_server(script) as server:
        code, _out, err = await run_cli_async(
            cli_env, "send", "hi", "--url", server.url, "--timeout", "1"
        )
    assert code == 1
    assert_one_error_line(err, "no complete reply within 1 s.")


async def test_a_drop_before_the_reply_is_retried_once_the_server_is_back(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    async def script(ws: ServerConnection) -> None:
        await send_json(ws, session_created())
        while (await recv_json(ws))["type"] != "response.create":
            pass
        if len(server.requests) == 1:
            ws.transport.abort()  # Dropped before any frame of the reply.
            return
        for event in text_reply("second time lucky"):
            await send_json(ws, event)
        await ws.wait_closed()

    log = tmp_path / "send.jsonl"
    async with scripted_server(script) as server:
        code, out, err = await run_cli_async(
            cli_env, "send", "hi", "--url", server.url, "--log", str(log)
        )
    assert (code, out) == (0, "second time lucky\n")
    assert len(server.requests) == 2
    (note,) = err.splitlines()
    assert note.startswith("rt-tui: The connection to 127.0.0.1")
    assert "before any reply, so trying again in" in note
    # Both sockets in the one log, on one clock, the retry's marked.
    entries = list(LogFile(log).entries())
    (mark,) = [e for e in entries if isinstance(e, SocketMark)]
    assert (mark.number, mark.cause) == (2, DROPPED)
    assert mark.reason == "The connection dropped without a close frame."
    times = [e.t_ms if isinstance(e, SocketMark) else e[0].t_ms for e in entries]
    assert times == sorted(times)


async def test_a_drop_after_the_reply_started_is_not_retried(cli_env: dict[str, str]) -> None:
    async def script(ws: ServerConnection) -> None:
        await send_json(ws, session_created())
        while (await recv_json(ws))["type"] != "response.create":
            pass
        await send_json(ws, text_reply("half an ans")[0])
        ws.transport.abort()

    async with scripted_server(script) as server:
        code, out, err = await run_cli_async(cli_env, "send", "hi", "--url", server.url)
    assert (code, out) == (1, "half an ans")
    assert len(server.requests) == 1
    assert "dropped without a close frame (1006)" in err
