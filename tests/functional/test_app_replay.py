"""`rt-tui replay FILE` in the TUI: a recorded log shown offline, through the real app."""

from __future__ import annotations

from pathlib import Path

from conftest_app import (
    MessageLog,
    app_for_url,
    connected,
    main_screen,
    pane_items,
    submit,
    type_text,
    wait_for,
)
from scripted_server import scripted_server
from textual.pilot import Pilot
from websockets.asyncio.server import ServerConnection

from rt_tui.inspector import samples
from rt_tui.inspector.logs import ReplayPlan, check_log
from rt_tui.mock.server import MockServer
from rt_tui.realtime.frames import Direction
from rt_tui.realtime.recorder import SessionRecorder, read_log
from rt_tui.tui.messages import FrameBatch, LinkState
from rt_tui.tui.replay import replay_finished
from rt_tui.tui.widgets.conversation import ConversationPane
from rt_tui.tui.widgets.conversation_blocks import ErrorBlock, ItemBlock, ResponseBlock

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
            bodies = [block.body for block in pane_items(screen.pane)]
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
        hint = screen.pane.text()
        assert "replayed read-only" in hint
        assert "Type a message" not in hint


async def test_a_long_replay_draws_every_item(tmp_path: Path) -> None:
    # More items than the pane could once hold as widgets (it drew the newest 400).
    turns = 450
    log_path = tmp_path / "long.jsonl"
    with SessionRecorder(log_path, url="ws://127.0.0.1:1/v1/realtime?model=m", dialect="ga") as rec:
        for turn in range(turns):
            for frame in samples.conversation_turn(turn * 10.0, 5, audio=False):
                rec.write(frame)
    app = app_for_url(None, tmp_path, replay=ReplayPlan(check_log(log_path)))
    async with app.run_test(size=(140, 40)) as pilot:
        await _replayed(pilot, turns * 5)
        screen = main_screen(pilot)
        pane = screen.pane
        assert len(screen.conversation) == turns
        assert len(pane_items(pane)) == turns
        assert pane.virtual_size.height == len(pane.lines())  # Every line has its place.
        assert pane.scroll_y == pane.max_scroll_y > 0  # Following the end.
        pane.focus()
        await pilot.press("home")
        await wait_for(pilot, lambda: pane.scroll_y == 0, "the top of the conversation")
        assert not any("items" in str(n.message) for n in app._notifications)


def _pane_lines(pane: ConversationPane) -> list[str]:
    """What the conversation pane shows, top to bottom: items, response lines and errors
    (not the empty hint, nor the app's own notices)."""
    lines = []
    for block in pane.blocks:
        if isinstance(block, ItemBlock):
            lines.append(f"{block.header}: {block.body}")
        elif isinstance(block, ResponseBlock):
            lines.append(block.summary)
        elif isinstance(block, ErrorBlock):
            lines.append(block.text)
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
