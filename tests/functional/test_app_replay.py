"""`rt-tui replay FILE` in the TUI: a recorded log shown offline, through the real app."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest_app import (
    MessageLog,
    app_for_url,
    connected,
    main_screen,
    submit,
    type_text,
    wait_for,
)
from scripted_server import scripted_server
from textual.pilot import Pilot
from textual.widgets import Static
from websockets.asyncio.server import ServerConnection

from rt_tui.inspector.logs import ReplayPlan, check_log
from rt_tui.mock.server import MockServer
from rt_tui.realtime.frames import Direction
from rt_tui.realtime.recorder import read_log
from rt_tui.tui import replay as replay_module
from rt_tui.tui.messages import FrameBatch, LinkState
from rt_tui.tui.replay import replay_finished
from rt_tui.tui.widgets.conversation import ConversationPane, ItemBlock, ResponseLine

FIXTURE = Path(__file__).parent.parent / "fixtures" / "sessions" / "text_session.jsonl"


async def _close_at_once(connection: ServerConnection) -> None:
    await connection.close()


async def _replayed(pilot: Pilot[int], count: int) -> None:
    screen = main_screen(pilot)
    await wait_for(pilot, lambda: replay_finished(screen), "the replay to load and draw")
    assert len(screen.inspector.store) == count


async def test_replay_shows_every_frame_and_the_conversation_without_connecting(
    tmp_path: Path,
) -> None:
    records = list(read_log(FIXTURE))
    log = MessageLog()
    # A live server the app *would* connect to without the replay: it must see no one.
    async with scripted_server(_close_at_once) as server:
        app = app_for_url(server.url, tmp_path, replay=ReplayPlan(check_log(FIXTURE)))
        async with app.run_test(size=(140, 40), message_hook=log) as pilot:
            await _replayed(pilot, len(records))
            screen = main_screen(pilot)
            store = screen.inspector.store

            # Every frame, in order, with its recorded time and direction.
            assert [store.t_ms(i) for i in range(len(store))] == [r.t_ms for r in records]
            assert [store.direction(i) for i in range(len(store))] == [r.direction for r in records]
            assert store.row(0).wire_type == "session.created"
            folded = [store.row(r) for r in range(store.row_count) if store.row(r).count > 1]
            assert folded[0].wire_type == "response.output_text.delta"
            assert folded[0].summary.endswith("Each delta carries the item and response ids.")

            # The conversation, rebuilt by the reducer and drawn in the pane.
            bodies = [block.shown_body for block in screen.pane.query(ItemBlock)]
            assert "And if I send a bad event?" in bodies
            assert any("Each delta carries the item and response ids." in b for b in bodies)
            assert [r.status for r in screen.conversation.responses.values()] == [
                "completed",
                "cancelled",
            ]
            assert screen.conversation.totals.output_tokens > 0

            # Read-only: the status says so, the composer takes nothing, ctrl+r connects nowhere.
            assert screen.status.state is LinkState.REPLAY
            assert "text_session.jsonl" in screen.status.detail
            assert screen.status.model == "gpt-realtime"
            assert screen.composer.disabled
            await type_text(pilot, "hello")
            await pilot.press("enter", "ctrl+r")
            await pilot.pause()
            assert screen.composer.text == ""
            assert len(screen.inspector.store) == len(records)
            assert len(screen.conversation) > 0
            assert screen.connection_worker is None
            assert not screen.session.connected

    assert server.requests == []
    assert not any(isinstance(m, FrameBatch) for m in log.messages)  # No live frame.
    assert not (tmp_path / "sessions").exists()  # Nothing recorded either.


async def test_replay_starts_with_the_given_filter_and_fold(tmp_path: Path) -> None:
    plan = ReplayPlan(check_log(FIXTURE), query="response.output_text.delta", fold=False)
    app = app_for_url(None, tmp_path, replay=plan)
    async with app.run_test(size=(140, 40)) as pilot:
        await _replayed(pilot, plan.info.frame_count)
        store = main_screen(pilot).inspector.store
        rows = [store.row(r) for r in range(store.row_count)]
        assert len(rows) == 15  # 12 + 3 deltas, one row each.
        assert {row.wire_type for row in rows} == {"response.output_text.delta"}
        assert {row.direction for row in rows} == {Direction.RECEIVED}


async def test_replay_of_an_export_reads_like_a_session_log(tmp_path: Path) -> None:
    # An inspector export has a meta line without url or dialect.
    export = tmp_path / "inspector-export.jsonl"
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    export.write_text(
        '{"rt_tui": "session", "version": 1, "wall_time": 0, "source": "inspector export"}\n'
        + "\n".join(lines[1:4])
        + "\n",
        encoding="utf-8",
    )
    app = app_for_url(None, tmp_path, replay=ReplayPlan(check_log(export)))
    async with app.run_test(size=(140, 40)) as pilot:
        await _replayed(pilot, 3)
        screen = main_screen(pilot)
        assert screen.status.state is LinkState.REPLAY
        assert "inspector export" in screen.status.detail
        # No item came back from the server: the empty pane says it is a replay.
        assert len(screen.conversation) == 0
        assert screen.pane.hint_shown
        hint = screen.pane.query_one(".empty-hint", Static)
        assert "replayed read-only" in str(hint.render())
        assert "Type a message" not in str(hint.render())


async def test_a_long_replay_draws_only_the_newest_items(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The fixture has four items; pretend the pane's limit is two.
    monkeypatch.setattr(replay_module, "MAX_DRAWN_ITEMS", 2)
    app = app_for_url(None, tmp_path, replay=ReplayPlan(check_log(FIXTURE)))
    async with app.run_test(size=(140, 40)) as pilot:
        await _replayed(pilot, 44)
        screen = main_screen(pilot)
        assert len(screen.conversation) == 4
        bodies = [block.shown_body for block in screen.pane.query(ItemBlock)]
        assert len(bodies) == 2
        assert bodies[0] == "And if I send a bad event?"
        assert any("last 2 of 4 items" in str(n.message) for n in app._notifications)


def _pane_lines(pane: ConversationPane) -> list[str]:
    """What the conversation pane shows, top to bottom: items, response lines and errors
    (not the empty hint, nor the app's own notices)."""
    lines = []
    for child in pane.children:
        if isinstance(child, ItemBlock):
            lines.append(f"{child.query_one('.item-header', Static).render()}: {child.shown_body}")
        elif isinstance(child, ResponseLine):
            lines.append(child.summary)
        elif child.has_class("error-line"):
            lines.append(str(child.render()))
    return lines


async def test_a_replay_shows_the_conversation_as_it_was_shown_live_in_frame_order(
    tmp_path: Path,
) -> None:
    log_path = tmp_path / "live.jsonl"
    # Slow enough that Escape lands while the reply still streams.
    async with MockServer(delta_delay=0.05) as server:
        app = app_for_url(server.ga_url(), tmp_path, log=log_path)
        async with app.run_test(size=(140, 40)) as pilot:
            screen = await connected(pilot)
            # Two bad frames, then a message straight away: all may land in one redraw.
            await submit(pilot, '/raw {"type": "nope"}')
            await submit(pilot, "/raw {bad")
            await submit(pilot, "tell me a long story")
            await wait_for(
                pilot,
                lambda: any(i.role == "assistant" and i.text for i in screen.conversation.items),
                "the first delta",
            )
            await pilot.press("escape")
            await wait_for(
                pilot,
                lambda: any(r.finished for r in screen.conversation.responses.values()),
                "the response to end",
            )
            await wait_for(pilot, lambda: not screen.pane.busy, "the pane to draw")
            live = _pane_lines(screen.pane)

    app = app_for_url(None, tmp_path, replay=ReplayPlan(check_log(log_path)))
    async with app.run_test(size=(140, 40)) as pilot:
        screen = main_screen(pilot)
        await wait_for(pilot, lambda: replay_finished(screen), "the replay to load and draw")
        replayed = _pane_lines(screen.pane)

    # The errors answer frames sent before the message, so they come first, live and replayed.
    assert [line[:1] for line in live[:2]] == ["⚠", "⚠"]
    assert live[2] == "You: tell me a long story"
    assert any("cancelled" in line for line in live[3:])
    assert replayed == live
