"""A huge reply (a 2 MB text delta) shows its start and its size in the conversation, not
megabytes of Markdown that would freeze the screen; the inspector keeps the whole frame."""

from __future__ import annotations

from pathlib import Path

from conftest_app import app_for_url, connected, main_screen, pane_items, wait_for
from scripted_server import scripted_server, send_json, session_created
from websockets.asyncio.server import ServerConnection

from rt_tui.tui.widgets.conversation_blocks import HUGE_BODY_CHARS

HUGE = "word " * 400_000  # 2 MB


async def _one_huge_reply(ws: ServerConnection) -> None:
    await send_json(ws, session_created())
    where = {"response_id": "resp_1", "item_id": "item_1", "output_index": 0}
    item = {"id": "item_1", "type": "message", "role": "assistant", "content": []}
    await send_json(ws, {"type": "response.created", "response": {"id": "resp_1"}})
    await send_json(
        ws,
        {
            "type": "response.output_item.added",
            "response_id": "resp_1",
            "output_index": 0,
            "item": item,
        },
    )
    await send_json(
        ws, {"type": "response.output_text.delta", **where, "content_index": 0, "delta": HUGE}
    )
    await send_json(
        ws, {"type": "response.output_text.delta", **where, "content_index": 0, "delta": "end"}
    )
    await ws.wait_closed()


async def test_a_huge_delta_shows_its_start_and_its_size(tmp_path: Path) -> None:
    async with scripted_server(_one_huge_reply) as server:
        app = app_for_url(server.url, tmp_path)
        async with app.run_test(size=(120, 40)) as pilot:
            await connected(pilot)
            screen = main_screen(pilot)
            pane = screen.pane
            await wait_for(
                pilot,
                lambda: any(item.body.endswith("end") for item in pane_items(pane, "assistant")),
                "the huge reply",
            )
            await wait_for(pilot, lambda: not pane.busy, "the conversation")
            text = pane.text()
            assert "more not shown (2.0 MB in all" in text
            assert len(text) < 2 * HUGE_BODY_CHARS
            store = screen.inspector.store
            whole = [i for i in range(len(store)) if HUGE in store.frame_text(i)]
            assert whole, "the inspector keeps the whole frame"
