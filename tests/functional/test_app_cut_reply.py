"""A reply cut short inside Markdown (bold, a code span) reads as formatted text, not as
raw markers: whether its audio was cut where it was heard or its response cancelled."""

from __future__ import annotations

import base64
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from conftest_app import app_for_url, connected, pane_items, wait_for
from scripted_server import scripted_server, send_json, session_created
from websockets.asyncio.server import ServerConnection

WHERE = {"response_id": "resp_1", "item_id": "item_1", "output_index": 0, "content_index": 0}
WORDS = ("You said hi. ", "I am the ", "**rt-tui ", "mock ", "server**, ", "so `this` ")
AUDIO_MS_PER_WORD = 200


async def _reply_starts(ws: ServerConnection) -> None:
    await send_json(ws, session_created())
    await send_json(ws, {"type": "response.created", "response": {"id": "resp_1"}})
    item = {"id": "item_1", "type": "message", "role": "assistant", "content": []}
    await send_json(
        ws,
        {"type": "response.output_item.added", "response_id": "resp_1", "output_index": 0}
        | {"item": item},
    )


async def _reply_ends(ws: ServerConnection, said: str, part_type: str) -> None:
    part = {"type": part_type, "transcript" if part_type == "output_audio" else "text": said}
    item = {"id": "item_1", "type": "message", "role": "assistant", "status": "incomplete"}
    await send_json(
        ws,
        {"type": "response.output_item.done", "response_id": "resp_1", "output_index": 0}
        | {"item": item | {"content": [part]}},
    )
    response = {"id": "resp_1", "status": "cancelled", "output": []}
    await send_json(ws, {"type": "response.done", "response": response})


async def _spoken_reply_cut_in_bold(ws: ServerConnection) -> None:
    """Words of 200 ms of audio each; the audio is cut at 700 ms, halfway through
    "mock", so what was heard ends inside the bold."""
    await _reply_starts(ws)
    audio = base64.b64encode(b"\x01\x00" * 24 * AUDIO_MS_PER_WORD).decode()
    for word in WORDS:
        await send_json(ws, {"type": "response.output_audio.delta", **WHERE, "delta": audio})
        await send_json(
            ws, {"type": "response.output_audio_transcript.delta", **WHERE, "delta": word}
        )
    cut = {"item_id": "item_1", "content_index": 0, "audio_end_ms": 700}
    await send_json(ws, {"type": "conversation.item.truncated", **cut})
    await _reply_ends(ws, "".join(WORDS[:4]), "output_audio")
    await ws.wait_closed()


async def _text_reply_cancelled_in_bold(ws: ServerConnection) -> None:
    """A text reply whose response is cancelled after "mock", inside the bold."""
    await _reply_starts(ws)
    for word in WORDS[:4]:
        await send_json(ws, {"type": "response.output_text.delta", **WHERE, "delta": word})
    await _reply_ends(ws, "".join(WORDS[:4]), "output_text")
    await ws.wait_closed()


@pytest.mark.parametrize(
    ("script", "shown"),
    [
        (_spoken_reply_cut_in_bold, "I am the rt-tui ✂"),
        (_text_reply_cancelled_in_bold, "I am the rt-tui mock"),
    ],
    ids=["audio cut where heard", "response cancelled"],
)
async def test_a_reply_cut_inside_bold_shows_no_raw_markers(
    tmp_path: Path, script: Callable[[ServerConnection], Awaitable[None]], shown: str
) -> None:
    async with scripted_server(script) as server:
        app = app_for_url(server.url, tmp_path)
        async with app.run_test(size=(100, 40)) as pilot:
            screen = await connected(pilot)
            pane = screen.pane

            def finished() -> Any:
                return [item for item in pane_items(pane, "assistant") if item.final]

            await wait_for(pilot, finished, "the cut reply")
            await wait_for(pilot, lambda: not pane.busy, "the conversation")
            text = pane.text()

    assert shown in text
    assert "**" not in text
