"""`rt-tui replay LOG --send URL`: a log's client events sent again to a live server on
loopback, with the target's auth, the server's new ids in place of the recorded ones, a
socket for each recorded socket; run as a subprocess."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from scripted_server import header, recv_json, scripted_server, send_json, session_created
from test_cli import SECRET, assert_one_error_line, cli_env, run_cli, run_cli_async
from websockets.asyncio.server import ServerConnection
from websockets.exceptions import ConnectionClosed

from rt_tui.mock.server import MockServer
from rt_tui.realtime.frames import Direction, Frame
from rt_tui.realtime.recorder import SessionRecorder
from rt_tui.realtime.session_log import LogFile
from rt_tui.realtime.socket_mark import DROPPED, SocketMark

__all__ = ["cli_env"]  # the fixture, shared with test_cli


def user_message(text: str, item_id: str | None = None) -> dict[str, Any]:
    item: dict[str, Any] = {
        "type": "message",
        "role": "user",
        "content": [{"type": "input_text", "text": text}],
    }
    if item_id is not None:
        item["id"] = item_id
    return {"type": "conversation.item.create", "item": item}


def created(response_id: str) -> dict[str, Any]:
    return {"type": "response.created", "response": {"id": response_id, "status": "in_progress"}}


def done(response_id: str, status: str = "completed") -> dict[str, Any]:
    return {"type": "response.done", "response": {"id": response_id, "status": status}}


def function_call(response_id: str, item_id: str, call_id: str) -> dict[str, Any]:
    return {
        "type": "response.output_item.done",
        "response_id": response_id,
        "item": {
            "id": item_id,
            "type": "function_call",
            "name": "lookup",
            "call_id": call_id,
            "arguments": "{}",
            "status": "completed",
        },
    }


def recorded_log(path: Path) -> None:
    """A session of two sockets as the app records it: a function call answered, a
    response cancelled, then a drop and a socket re-seeded with the first message."""
    t = 0.0

    def frame(direction: Direction, event: dict[str, Any]) -> Frame:
        nonlocal t
        t += 10.0
        return Frame(direction, t, 1_700_000_000.0 + t / 1000, json.dumps(event))

    sent, received = Direction.SENT, Direction.RECEIVED
    with SessionRecorder(path, url="wss://api.openai.com/v1/realtime?model=m") as recorder:
        for direction, event in [
            (received, session_created()),
            (sent, user_message("look it up", "item_user1")),
            (sent, {"type": "response.create"}),
            (received, created("resp_rec1")),
            (received, function_call("resp_rec1", "item_rec_fc", "call_rec1")),
            (received, done("resp_rec1")),
            (
                sent,
                {
                    "type": "conversation.item.create",
                    "item": {
                        "type": "function_call_output",
                        "call_id": "call_rec1",
                        "output": "42",
                    },
                },
            ),
            (sent, {"type": "response.create"}),
            (received, created("resp_rec2")),
            (sent, {"type": "response.cancel", "response_id": "resp_rec2"}),
            (received, done("resp_rec2", "cancelled")),
        ]:
            recorder.write(frame(direction, event))
        reason = "The connection dropped without a close frame."
        recorder.mark_socket(SocketMark(t + 5, 0.0, 2, DROPPED, reason, reseeded=("item_user1",)))
        for direction, event in [
            (received, session_created()),
            (sent, user_message("look it up", "item_user1")),
            (sent, {"type": "response.create"}),
            (received, created("resp_rec3")),
            (received, done("resp_rec3")),
        ]:
            recorder.write(frame(direction, event))


class LiveServer:
    """Answers as the service would, with ids of its own; keeps what each socket got."""

    def __init__(self) -> None:
        self.sockets: list[list[dict[str, Any]]] = []

    async def __call__(self, ws: ServerConnection) -> None:
        got: list[dict[str, Any]] = []
        self.sockets.append(got)
        number = len(self.sockets)
        await send_json(ws, session_created())
        responses = 0
        try:
            while True:
                event = await recv_json(ws)
                got.append(event)
                if event["type"] != "response.create":
                    if event["type"] == "response.cancel":
                        await send_json(ws, done(event["response_id"], "cancelled"))
                    continue
                responses += 1
                response_id = f"resp_live{number}_{responses}"
                await send_json(ws, created(response_id))
                if number == 1 and responses == 1:
                    await send_json(ws, function_call(response_id, "item_fc", "call_live"))
                if number == 1 and responses == 2:
                    continue  # runs until cancelled
                await send_json(ws, done(response_id))
        except (ConnectionClosed, TimeoutError):
            return


async def test_the_client_events_go_again_to_a_live_server_with_its_own_ids(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    log, again = tmp_path / "recorded.jsonl", tmp_path / "again.jsonl"
    recorded_log(log)
    live = LiveServer()
    env = {**cli_env, "OPENAI_API_KEY": SECRET}
    async with scripted_server(live) as server:
        code, out, err = await run_cli_async(
            env, "replay", str(log), "--send", server.url, "--speed", "max", "--log", str(again)
        )
    assert (code, err.splitlines()) == (
        0,
        ["rt-tui: sent 7 client events of recorded.jsonl again on 2 sockets to 127.0.0.1."],
    )
    # The target's auth, as for --url: the key from the environment.
    assert [header(r, "authorization") for r in server.requests] == [f"Bearer {SECRET}"] * 2
    first, second = live.sockets
    assert [e["type"] for e in first] == [
        "conversation.item.create",
        "response.create",
        "conversation.item.create",
        "response.create",
        "response.cancel",
    ]
    # The recorded server's ids became the new server's; the client's own stayed.
    assert first[0]["item"]["id"] == "item_user1"
    assert first[2]["item"]["call_id"] == "call_live"
    assert first[4]["response_id"] == "resp_live1_2"
    assert [(e["type"], e.get("item", {}).get("id")) for e in second] == [
        ("conversation.item.create", "item_user1"),
        ("response.create", None),
    ]
    # What came back is printed as the inspector's rows, the new socket among them.
    assert "↻   (new socket)" in out
    assert out.count("response.done") == 3, out
    assert SECRET not in out + err + again.read_text()
    marks = [e for e in LogFile(again).entries() if isinstance(e, SocketMark)]
    assert [(m.number, m.cause) for m in marks] == [(2, DROPPED)]


async def test_a_session_recorded_against_the_mock_plays_again_on_it(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    log = tmp_path / "recorded.jsonl"
    async with MockServer(delta_delay=0) as server:
        code, _out, err = await run_cli_async(
            cli_env, "send", "hello there", "--url", server.ga_url(), "--log", str(log)
        )
        assert code == 0, err
        code, out, err = await run_cli_async(
            cli_env, "replay", str(log), "--send", server.ga_url(), "--json", "--speed", "10"
        )
    assert code == 0, err
    lines = [json.loads(line) for line in out.splitlines()]
    sent = [line["event"]["type"] for line in lines if line["direction"] == "sent"]
    assert sent == ["conversation.item.create", "response.create"]
    (reply,) = [line["event"] for line in lines if line["event"]["type"] == "response.done"]
    assert reply["response"]["status"] == "completed"
    assert "hello there" in json.dumps(reply)


def test_usage_problems_are_one_sentence(cli_env: dict[str, str], tmp_path: Path) -> None:
    log = tmp_path / "recorded.jsonl"
    recorded_log(log)
    result = run_cli(cli_env, "replay", str(log), "--send", "ftp://example.test/")
    assert_one_error_line(
        result.stderr,
        "The URL 'ftp://example.test/' is not a ws://, wss://, http:// or https:// URL with "
        "a host.",
    )
    assert result.returncode == 2

    result = run_cli(cli_env, "--demo", "replay", str(log), "--send", "ws://127.0.0.1:9/")
    assert result.returncode == 2
    assert_one_error_line(
        result.stderr,
        "A replay sends to --send ws://127.0.0.1:9/, so --url, --profile, --demo, "
        "--scenario and --ephemeral do not apply.",
    )

    result = run_cli(cli_env, "replay", str(log), "--send", "ws://127.0.0.1:9/", "--unfold")
    assert result.returncode == 2
    assert "--filter and --unfold" in result.stderr

    result = run_cli(cli_env, "replay", str(log), "--send", "ws://127.0.0.1:9/", "--cost")
    assert result.returncode == 2
    assert_one_error_line(
        result.stderr, "--cost prices the recorded log; it does not apply with --send."
    )

    empty = tmp_path / "empty.jsonl"
    empty.write_text('{"rt_tui": "session", "version": 1}\n')
    result = run_cli(cli_env, "replay", str(empty), "--send", "ws://127.0.0.1:9/")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
