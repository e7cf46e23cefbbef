"""A lost session comes back by itself, re-seeded; a refusal does not retry; ctrl+r resumes
without letting the old session in; the countdown warns before the time limit."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
from typing import Any

from conftest_app import app_for_url, connected, main_screen, pane_texts, submit, wait_for
from scripted_server import recv_json, scripted_server, send_json, session_created
from textual.pilot import Pilot
from websockets.asyncio.server import ServerConnection
from websockets.exceptions import ConnectionClosed

from rt_tui.config import Config, ReconnectSettings
from rt_tui.mock.scenarios import choose
from rt_tui.mock.server import MockServer
from rt_tui.tui.link_notes import KEY_HINT
from rt_tui.tui.messages import LinkState
from rt_tui.tui.screens.main import MainScreen

FAST_RETRY = ReconnectSettings(tries=50, first_delay_s=0.01, max_delay_s=0.05)


def user_item(item_id: str, text: str) -> dict[str, Any]:
    return {
        "id": item_id,
        "type": "message",
        "role": "user",
        "status": "completed",
        "content": [{"type": "input_text", "text": text}],
    }


def started_reply(response_id: str, item_id: str, delta: str) -> list[dict[str, Any]]:
    """A response that starts streaming (and is never finished here)."""
    item = {"id": item_id, "type": "message", "role": "assistant", "status": "in_progress"}
    return [
        {"type": "response.created", "response": {"id": response_id, "status": "in_progress"}},
        {
            "type": "response.output_item.added",
            "response_id": response_id,
            "output_index": 0,
            "item": {**item, "content": []},
        },
        {
            "type": "response.output_text.delta",
            "response_id": response_id,
            "item_id": item_id,
            "output_index": 0,
            "content_index": 0,
            "delta": delta,
        },
    ]


async def answer_until_response_create(ws: ServerConnection, item_id: str) -> list[dict[str, Any]]:
    """Echo the user's message as the service does; what the client sent, up to
    `response.create`."""
    received = []
    while True:
        event = await recv_json(ws)
        received.append(event)
        if event["type"] == "conversation.item.create" and event["item"].get("role") == "user":
            text = event["item"]["content"][0]["text"]
            await send_json(
                ws, {"type": "conversation.item.added", "item": user_item(item_id, text)}
            )
        if event["type"] == "response.create":
            return received


def notices(screen: MainScreen) -> str:
    return "\n".join(pane_texts(screen.pane, "notice"))


async def test_a_drop_mid_answer_reconnects_reseeds_and_sends_what_was_typed_meanwhile(
    tmp_path: Path,
) -> None:
    second_session: list[dict[str, Any]] = []
    back = asyncio.Event()

    def refuse_until_back(number: int) -> tuple[int, str] | None:
        # The service is "down" (503, worth retrying) until the test has typed its message.
        return None if number == 1 or back.is_set() else (503, "down for a moment")

    async def script(ws: ServerConnection) -> None:
        await send_json(ws, session_created())
        if not second_session and not back.is_set():
            await answer_until_response_create(ws, "item_u1")
            for event in started_reply("resp_1", "item_a1", "Hel"):
                await send_json(ws, event)
            ws.transport.abort()  # No close frame: the client sees 1006.
            return
        second_session.extend(await answer_until_response_create(ws, "item_u2"))
        await ws.wait_closed()

    # Enough tries to outlast a slow machine typing the message while the service is down.
    retry = FAST_RETRY.model_copy(update={"tries": 1000})
    async with scripted_server(script, reject=refuse_until_back) as server:
        app = app_for_url(server.url, tmp_path, config=Config(reconnect=retry))
        async with app.run_test(size=(140, 40)) as pilot:
            screen = await connected(pilot)
            await submit(pilot, "hello")
            await wait_for(pilot, lambda: screen.conversation.responses, "the reply starting")
            await wait_for(
                pilot, lambda: screen.status.state is LinkState.RECONNECTING, "the retries"
            )
            assert "The connection dropped without a close frame." in notices(screen)
            # The cut reply is marked, not "responding" forever; Esc has nothing to cancel.
            response = screen.conversation.responses["resp_1"]
            assert (response.status, response.status_reason) == ("incomplete", "interrupted")
            assert screen.conversation.active_response_id is None

            await submit(pilot, "are you back?")
            assert "Queued" in notices(screen)
            back.set()
            await wait_for(pilot, lambda: second_session, "the new session's requests")
            await wait_for(pilot, lambda: "Reconnected" in notices(screen), "the resume notice")
            # The loss's line ended, in place, as the record of what happened.
            record, queued = pane_texts(screen.pane, "notice")
            assert record.startswith(
                "The connection dropped without a close frame. Reconnected after "
            )
            assert record.endswith(
                " s; re-sent 1 earlier turn and 2 queued events typed while it was down."
            )
            assert queued.startswith("Queued")
            assert screen.status.state is LinkState.CONNECTED

    sent = [(e["type"], e.get("item", {}).get("id")) for e in second_session]
    assert sent == [
        ("session.update", None),
        ("conversation.item.create", "item_u1"),  # the reply that was cut off is not re-sent
        ("conversation.item.create", None),
        ("response.create", None),
    ]
    assert second_session[1]["item"]["content"] == [{"type": "input_text", "text": "hello"}]
    assert second_session[2]["item"]["content"][0]["text"] == "are you back?"


async def test_a_refusal_after_a_drop_stops_the_retries_and_says_what_to_fix(
    tmp_path: Path,
) -> None:
    body = '{"error": {"message": "Incorrect API key provided.", "code": "invalid_api_key"}}'

    async def script(ws: ServerConnection) -> None:
        await send_json(ws, session_created())
        ws.transport.abort()

    async with scripted_server(script, reject=lambda n: None if n == 1 else (401, body)) as server:
        app = app_for_url(server.url, tmp_path, config=Config(reconnect=FAST_RETRY))
        async with app.run_test(size=(140, 40)) as pilot:
            screen = main_screen(pilot)
            await wait_for(pilot, lambda: screen.status.state is LinkState.FAILED, "the refusal")
            assert len(server.requests) == 2  # one retry, refused: no more
            assert "HTTP 401" in screen.status.detail
            assert "Incorrect API key provided." in screen.status.detail
            assert screen.status.detail.endswith(KEY_HINT)
            assert KEY_HINT in notices(screen)


async def test_a_refused_key_is_not_retried(tmp_path: Path) -> None:
    async with MockServer(hooks=choose("refused-key").hooks) as server:
        app = app_for_url(server.ga_url(), tmp_path, config=Config(reconnect=FAST_RETRY))
        async with app.run_test(size=(140, 40)) as pilot:
            screen = main_screen(pilot)
            await wait_for(pilot, lambda: screen.status.state is LinkState.FAILED, "the refusal")
            await pilot.pause()
            assert len(server.handshakes) == 1
            assert "3000" in screen.status.detail
            assert screen.status.detail.endswith(KEY_HINT)


async def test_ctrl_r_mid_stream_lets_no_old_frame_in_and_esc_cancels_only_the_new_response(
    tmp_path: Path,
) -> None:
    new_session: list[dict[str, Any]] = []
    sessions = 0

    async def script(ws: ServerConnection) -> None:
        with contextlib.suppress(ConnectionClosed):
            await serve(ws)

    async def serve(ws: ServerConnection) -> None:
        nonlocal sessions
        sessions += 1
        await send_json(ws, session_created())
        if sessions == 1:
            await answer_until_response_create(ws, "item_u1")
            for event in started_reply("resp_old", "item_old", "one "):
                await send_json(ws, event)
            # The old session keeps streaming until its socket is closed.
            while True:
                await send_json(
                    ws,
                    {
                        "type": "response.output_text.delta",
                        "response_id": "resp_old",
                        "item_id": "item_old",
                        "output_index": 0,
                        "content_index": 0,
                        "delta": "more ",
                    },
                )
                await asyncio.sleep(0.005)
        new_session.extend(await answer_until_response_create(ws, "item_u2"))
        for event in started_reply("resp_new", "item_new", "fresh"):
            await send_json(ws, event)
        while True:
            event = await recv_json(ws)
            new_session.append(event)

    async with scripted_server(script) as server:
        app = app_for_url(server.url, tmp_path)
        async with app.run_test(size=(140, 40)) as pilot:
            screen = await connected(pilot)
            await submit(pilot, "hello")
            await wait_for(
                pilot, lambda: screen.conversation.active_response_id == "resp_old", "the stream"
            )
            old_session = screen.session
            await pilot.press("ctrl+r")
            old_item = screen.conversation.item("item_old")
            assert old_item is not None
            text_at_ctrl_r = old_item.text
            await wait_for(
                pilot,
                lambda: screen.session is not old_session and screen.session.connected,
                "the new session",
            )
            await submit(pilot, "again")
            await wait_for(
                pilot, lambda: screen.conversation.active_response_id == "resp_new", "new reply"
            )
            await pilot.press("escape")
            await wait_for(
                pilot,
                lambda: any(e["type"] == "response.cancel" for e in new_session),
                "the cancel",
            )
            # Nothing of the old socket's reached the conversation after ctrl+r.
            assert old_item.text == text_at_ctrl_r
            assert screen.conversation.responses["resp_old"].status == "incomplete"

    cancels = [e for e in new_session if e["type"] == "response.cancel"]
    assert [e.get("response_id") for e in cancels] == ["resp_new"]
    reseeded = [e["item"].get("id") for e in new_session if e["type"] == "conversation.item.create"]
    assert reseeded[0] == "item_u1"


async def wait_for_notification(pilot: Pilot[Any], words: str) -> None:
    await wait_for(
        pilot,
        lambda: any(words in n.message for n in pilot.app._notifications),
        f"a notification saying {words!r}",
    )


async def test_the_countdown_warns_five_minutes_before_the_limit(tmp_path: Path) -> None:
    config = Config(reconnect=ReconnectSettings(session_limit_s=300.3))
    async with MockServer(delta_delay=0) as server:
        app = app_for_url(server.ga_url(), tmp_path, config=config)
        async with app.run_test(size=(140, 40), notifications=True) as pilot:
            screen = await connected(pilot)
            assert "left" in screen.status.render().plain
            await wait_for_notification(pilot, "ends in about 5 minutes")
            await wait_for(pilot, lambda: "04:5" in screen.status.render().plain, "the countdown")
            warned = [
                span
                for span in screen.status.render().spans
                if span.style == screen.status.get_component_rich_style("status-limit-near")
            ]
            assert warned


async def test_auto_renew_opens_a_fresh_session_reseeded_before_the_limit(
    tmp_path: Path,
) -> None:
    # The renewal comes a minute before the limit, so 3 s after connecting: time for the
    # turn to finish first even on a busy machine (sooner, it would be queued instead).
    config = Config(reconnect=ReconnectSettings(session_limit_s=63.0, auto_renew=True))
    async with MockServer(delta_delay=0) as server:
        app = app_for_url(server.ga_url(), tmp_path, config=config)
        async with app.run_test(size=(140, 40), notifications=True) as pilot:
            screen = await connected(pilot)
            await submit(pilot, "remember me")
            await wait_for(
                pilot,
                lambda: any(
                    r.status == "completed" for r in screen.conversation.responses.values()
                ),
                "the reply",
            )
            await wait_for_notification(pilot, "ends in about 1 minute")
            await wait_for(pilot, lambda: "Fresh session" in notices(screen), "the renewal")
            assert "re-sent 2 earlier turns" in notices(screen)
            assert server.sessions_served >= 2


async def test_the_session_limit_is_a_drop_and_the_session_comes_back(tmp_path: Path) -> None:
    async with MockServer(delta_delay=0, max_session_s=0.3) as short:
        app = app_for_url(short.ga_url(), tmp_path, config=Config(reconnect=FAST_RETRY))
        async with app.run_test(size=(140, 40)) as pilot:
            screen = main_screen(pilot)
            await wait_for(
                pilot,
                lambda: "The session reached its time limit." in notices(screen),
                "the session limit",
            )
            await wait_for(pilot, lambda: "Reconnected" in notices(screen), "a new session")
            assert screen.conversation.errors[0].error.code == "session_expired"
