"""`/raw FRAME` in the app, against the real mock server on loopback.

A raw frame goes out exactly as written (no `event_id` added, malformed or not), shows in
the inspector as a sent frame and lands in the session log; the mock answers it as the
service would.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from conftest_app import (
    MessageLog,
    app_for_url,
    connected,
    main_screen,
    pane_texts,
    submit,
    wait_for,
)
from textual import events
from textual.command import CommandPalette
from textual.pilot import Pilot

from rt_tui.mock.server import MockServer
from rt_tui.realtime.frames import Direction
from rt_tui.realtime.recorder import read_log
from rt_tui.tui.commands import bound_actions
from rt_tui.tui.screens.event_composer import EventComposerScreen
from rt_tui.tui.screens.main import MainScreen
from rt_tui.tui.slash_commands import raw_frame_text
from rt_tui.tui.widgets.conversation import ConversationPane


@pytest.fixture
async def server() -> AsyncIterator[MockServer]:
    async with MockServer(delta_delay=0) as mock:
        yield mock


def _sent_texts(log: MessageLog) -> list[str]:
    """The frames sent, bar the app's own session.update at connect."""
    return [
        f.data
        for f in log.frames(Direction.SENT)
        if isinstance(f.data, str) and f.wire_type != "session.update"
    ]


async def _error_code(pilot: Pilot[int], screen: MainScreen) -> str | None:
    """Wait for the server's error event; its code, once shown inline too."""
    await wait_for(pilot, lambda: screen.conversation.errors, "the error event")
    pane = screen.query_one(ConversationPane)
    await wait_for(pilot, lambda: pane_texts(pane, "error"), "the inline error")
    code = screen.conversation.errors[-1].error.code
    assert code is not None
    assert code in pane_texts(pane, "error")[-1]
    return code


@pytest.mark.parametrize(
    ("typed", "frame"),
    [
        ('/raw {"type":"nope"}', '{"type":"nope"}'),
        ("/raw   {bad", "{bad"),
        ('/raw\n{\n  "type": "x"\n}\n', '{\n  "type": "x"\n}\n'),
        ("  /raw 'quoted'", "'quoted'"),
    ],
)
def test_raw_frame_is_the_text_after_the_command(typed: str, frame: str) -> None:
    assert raw_frame_text(typed) == frame


@pytest.mark.parametrize("typed", ["/rawness", "hello /raw {}", "/wav x.wav"])
def test_other_text_is_not_a_raw_frame(typed: str) -> None:
    assert raw_frame_text(typed) is None


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ('{"type":"nope"}', "invalid_value"),
        ("{bad", "invalid_json"),
        ("[1, 2]", "invalid_event"),
    ],
)
async def test_a_bad_raw_frame_gets_the_servers_error_in_both_panes(
    server: MockServer, tmp_path: Path, frame: str, code: str
) -> None:
    log = MessageLog()
    app = app_for_url(server.ga_url(), tmp_path)
    async with app.run_test(size=(140, 40), message_hook=log) as pilot:
        screen = await connected(pilot)
        await submit(pilot, f"/raw {frame}")
        assert await _error_code(pilot, screen) == code
        assert _sent_texts(log) == [frame]  # exactly as typed, no event_id added
        assert "error" in log.wire_types(Direction.RECEIVED)
        store = screen.inspector.store
        await wait_for(pilot, lambda: len(store) == len(log.frames()), "the inspector")
        sent = [i for i in range(len(store)) if store.direction(i) is Direction.SENT]
        assert store.frame_text(sent[-1]) == frame
        errors = [i for i in range(len(store)) if store.wire_type(i) == "error"]
        assert errors
        assert code in str(store.frame_text(errors[-1]))


async def test_the_errors_param_shows_inline_and_in_the_inspector_summary(
    server: MockServer, tmp_path: Path
) -> None:
    shown = "invalid_value (param 'type'): Invalid value: 'nope'."
    app = app_for_url(server.ga_url(), tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await connected(pilot)
        await submit(pilot, '/raw {"type": "nope"}')
        await _error_code(pilot, screen)
        assert pane_texts(screen.pane, "error")[-1].startswith(f"⚠ {shown}")
        store = screen.inspector.store
        await wait_for(pilot, lambda: store.row(store.row_count - 1).wire_type == "error", "row")
        assert store.row(store.row_count - 1).summary.startswith(shown)


async def test_a_valid_raw_frame_starts_a_response_and_is_recorded(
    server: MockServer, tmp_path: Path
) -> None:
    log = MessageLog()
    log_path = tmp_path / "raw.jsonl"
    frame = '{"type":"response.create"}'
    app = app_for_url(server.ga_url(), tmp_path, log=log_path)
    async with app.run_test(size=(140, 40), message_hook=log) as pilot:
        screen = await connected(pilot)
        await submit(pilot, f"/raw {frame}")
        await wait_for(
            pilot,
            lambda: any(r.status == "completed" for r in screen.conversation.responses.values()),
            "the response",
        )
        assert _sent_texts(log) == [frame]
        assert "event_id" not in json.loads(_sent_texts(log)[0])
        assert not screen.conversation.errors
        await wait_for(pilot, lambda: len(screen.inspector.store) == len(log.frames()), "rows")
        store = screen.inspector.store
        assert "response.create" in [store.wire_type(i) for i in range(len(store))]
    recorded = [f.data for f in read_log(log_path) if f.direction is Direction.SENT]
    assert recorded[-1] == frame


async def test_a_multi_line_raw_frame_goes_as_one_frame(server: MockServer, tmp_path: Path) -> None:
    log = MessageLog()
    app = app_for_url(server.ga_url(), tmp_path)
    async with app.run_test(size=(140, 40), message_hook=log) as pilot:
        screen = await connected(pilot)
        screen.composer.focus()
        await pilot.press(*"/raw", "ctrl+j", "{", "ctrl+j", *'"type":', "space")
        await pilot.press(*'"response.create"', "ctrl+j", "}", "enter")
        await wait_for(pilot, lambda: screen.conversation.responses, "the response")
        assert _sent_texts(log) == ['{\n"type": "response.create"\n}']


async def test_raw_without_a_connection_sends_nothing(tmp_path: Path) -> None:
    log = MessageLog()
    app = app_for_url(None, tmp_path, connect=False)
    async with app.run_test(size=(140, 40), message_hook=log) as pilot:
        screen = main_screen(pilot)
        await submit(pilot, '/raw {"type":"response.create"}')
        pane = screen.pane
        await wait_for(pilot, lambda: pane_texts(pane, "notice"), "the notice")
        assert pane_texts(pane, "notice")[0].startswith("Not connected, so nothing was sent")
        assert log.frames() == []
        assert screen.composed.history.texts == []  # Only what went out is kept to re-send.


async def test_raw_alone_opens_the_event_composer(tmp_path: Path) -> None:
    app = app_for_url(None, tmp_path, connect=False)
    async with app.run_test(size=(140, 40)) as pilot:
        await submit(pilot, "/raw")
        await wait_for(pilot, lambda: isinstance(app.screen, EventComposerScreen), "composer")


async def test_compose_event_is_in_the_palette(tmp_path: Path) -> None:
    app = app_for_url(None, tmp_path, connect=False)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = main_screen(pilot)
        assert "Compose event" in [bound.name for bound in bound_actions(screen)]
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
        await pilot.press(*"compose event")
        await pilot.pause()
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EventComposerScreen), "composer")


async def test_a_huge_paste_shows_as_a_stand_in_and_goes_out_whole(
    server: MockServer, tmp_path: Path
) -> None:
    log = MessageLog()
    frame = json.dumps({"type": "conversation.item.create", "note": "ab cd " * 200_000})
    app = app_for_url(server.ga_url(), tmp_path)
    async with app.run_test(size=(120, 36), message_hook=log) as pilot:
        screen = await connected(pilot)
        screen.composer.focus()
        app.post_message(events.Paste(f"/raw {frame}"))
        await wait_for(pilot, lambda: screen.composer.text, "the paste")
        assert screen.composer.text == "⟦paste 1: 1.1 MB⟧"
        await pilot.press("enter")
        await wait_for(pilot, lambda: frame in _sent_texts(log), "the frame sent whole")
        assert screen.composer.text == ""
        await pilot.press("up")  # The history brings the stand-in back, still whole.
        assert screen.composer.text == "⟦paste 1: 1.1 MB⟧"
        await pilot.press("enter")
        await wait_for(pilot, lambda: _sent_texts(log).count(frame) == 2, "sent again")
