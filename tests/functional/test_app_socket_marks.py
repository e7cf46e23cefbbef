"""One app run keeps one log across a drop and a ctrl+r: each new socket is marked in the
log, the inspector and the conversation, times only go forward, the bundle holds every
socket, and a replay of the log rebuilds the conversation the live app showed."""

from __future__ import annotations

import zipfile
from pathlib import Path

from conftest_app import app_for_url, connected, main_screen, submit, wait_for
from textual.pilot import Pilot

from rt_tui.config import Config, ReconnectSettings
from rt_tui.inspector.logs import ReplayPlan, check_log
from rt_tui.mock.scenarios import choose
from rt_tui.mock.server import MockServer
from rt_tui.realtime.session_log import LogFile
from rt_tui.realtime.socket_mark import DROPPED, RECONNECT, SocketMark
from rt_tui.tui.replay import replay_finished
from rt_tui.tui.screens.main import MainScreen
from rt_tui.tui.widgets.conversation import ConversationPane
from rt_tui.tui.widgets.conversation_blocks import ItemBlock, LineBlock, ResponseBlock

FAST_RETRY = ReconnectSettings(tries=50, first_delay_s=0.01, max_delay_s=0.05)


def pane_lines(pane: ConversationPane) -> list[str]:
    """Everything the conversation pane shows, top to bottom: items, response lines,
    errors and the app's own notices."""
    lines = []
    for block in pane.blocks:
        if isinstance(block, ItemBlock):
            lines.append(f"{block.header}: {block.body}")
        elif isinstance(block, ResponseBlock):
            lines.append(block.summary)
        elif isinstance(block, LineBlock):
            lines.append(f"{block.kind}: {block.text}")
    return lines


def replies_done(screen: MainScreen, count: int) -> bool:
    responses = screen.conversation.responses.values()
    return sum(r.status == "completed" for r in responses) == count and not screen.pane.busy


async def bundle(pilot: Pilot[int], log: Path) -> Path:
    await pilot.press("f8")
    await wait_for(pilot, lambda: list(log.parent.glob("*-bundle.zip")), "the bundle")
    return next(log.parent.glob("*-bundle.zip"))


async def test_a_drop_and_a_ctrl_r_keep_one_log_marked_and_replayed_as_it_was_live(
    tmp_path: Path,
) -> None:
    sessions = tmp_path / "sessions"
    # The first answer is cut off without a close frame; the server serves the rest.
    async with MockServer(delta_delay=0, hooks=choose("reset-mid-answer").hooks) as server:
        app = app_for_url(server.ga_url(), tmp_path, config=Config(reconnect=FAST_RETRY))
        async with app.run_test(size=(140, 40)) as pilot:
            screen = await connected(pilot)
            await submit(pilot, "hello")
            await wait_for(pilot, lambda: "Reconnected after" in screen.pane.text(), "the resume")
            await submit(pilot, "still there?")
            await wait_for(pilot, lambda: replies_done(screen, 1), "the reply")
            await pilot.press("ctrl+r")
            await wait_for(
                pilot, lambda: screen.pane.text().count("Reconnected") == 2, "the second resume"
            )
            await wait_for(pilot, lambda: not screen.pane.busy, "the pane to draw")
            live = pane_lines(screen.pane)
            marks_shown = [
                screen.inspector.store.row(r).summary
                for r in range(screen.inspector.store.row_count)
                if screen.inspector.store.row(r).direction is None
            ]
            logs = list(sessions.glob("*.jsonl"))
            assert len(logs) == 1  # three sockets, one log
            zipped = await bundle(pilot, logs[0])

    log = logs[0]
    entries = list(LogFile(log).entries())
    marks = [e for e in entries if isinstance(e, SocketMark)]
    assert [(m.number, m.cause) for m in marks] == [(2, DROPPED), (3, RECONNECT)]
    assert marks[0].reason == "The connection dropped without a close frame."
    assert len(marks[0].reseeded) == 1  # "hello"; the cut-off reply is not re-sent
    assert len(marks[1].reseeded) == 3
    times = [e.t_ms if isinstance(e, SocketMark) else e[0].t_ms for e in entries]
    assert times == sorted(times)  # one clock for the whole run
    assert marks_shown[0].startswith("socket 2 · after a drop · down ")
    assert marks_shown[0].endswith(" s · 1 item re-sent")
    assert marks_shown[1] == "socket 3 · reconnected · 3 items re-sent"
    with zipfile.ZipFile(zipped) as archive:
        assert archive.read("session.jsonl").decode().count('{"rt_tui": "socket"') == 2

    # The conversation as it was live: the record of each new socket where it was, the
    # reply that was cut off marked so, each turn once.
    notices = [line for line in live if line.startswith("notice: ")]
    assert len(notices) == 2
    assert notices[0].startswith("notice: The connection dropped without a close frame. ")
    assert notices[0].endswith("; re-sent 1 earlier turn.")
    assert notices[1] == "notice: Reconnected; re-sent 3 earlier turns."
    assert sum("incomplete" in line for line in live) == 1
    assert sum(line.startswith("You: hello") for line in live) == 1

    app = app_for_url(None, tmp_path, replay=ReplayPlan(check_log(log)))
    async with app.run_test(size=(140, 40)) as pilot:
        screen = main_screen(pilot)
        await wait_for(pilot, lambda: replay_finished(screen), "the replay to load and draw")
        assert pane_lines(screen.pane) == live
