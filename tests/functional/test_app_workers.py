"""Every background worker of the app fails visibly: one sentence in a notification, never a
traceback and never silence (the /wav audio turn, the replay feed, the inspector export;
the connection worker's failures are in test_app_launch)."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from conftest_app import MessageLog, app_for_url, connected, main_screen, submit, wait_for
from textual.app import App
from textual.pilot import Pilot

from rt_tui.config import Config
from rt_tui.inspector.logs import ReplayInfo, ReplayPlan, check_log
from rt_tui.mock.server import MockServer
from rt_tui.realtime.frames import Direction
from rt_tui.tui.app import make_app
from rt_tui.tui.replay import replay_finished

FIXTURE = Path(__file__).parent.parent / "fixtures" / "sessions" / "text_session.jsonl"


@pytest.fixture
async def server() -> AsyncIterator[MockServer]:
    async with MockServer(delta_delay=0) as mock:
        yield mock


def _errors(app: App[int]) -> list[str]:
    return [str(n.message) for n in app._notifications if n.severity == "error"]


async def _one_error(pilot: Pilot[int], what: str) -> str:
    """The one error notification the failure gave: a single line, no traceback."""
    await wait_for(pilot, lambda: _errors(pilot.app), what)
    (error,) = _errors(pilot.app)
    assert "\n" not in error
    assert "Traceback" not in error
    assert error.endswith(".")
    return error


async def test_a_wav_that_cannot_be_read_says_so(server: MockServer, tmp_path: Path) -> None:
    # `~user` of a user who does not exist cannot be expanded: the read fails with an
    # error no one expected, which used to end the worker without a word.
    log = MessageLog()
    app = app_for_url(server.ga_url(), tmp_path)
    async with app.run_test(size=(120, 40), notifications=True, message_hook=log) as pilot:
        await connected(pilot)
        await submit(pilot, "/wav ~rt-tui-no-such-user/question.wav")
        error = await _one_error(pilot, "the /wav failure")
        assert "home directory" in error
        assert "input_audio_buffer.append" not in log.wire_types(Direction.SENT)


async def test_a_log_that_goes_away_during_the_replay_says_so(tmp_path: Path) -> None:
    # The log was checked, then removed before the replay read it. (A line that went bad
    # is skipped with a note instead: test_damaged_logs.)
    log = tmp_path / "session.jsonl"
    shutil.copy(FIXTURE, log)
    info = check_log(log)
    log.unlink()
    app = app_for_url(None, tmp_path, replay=ReplayPlan(ReplayInfo(log, info.frame_count)))
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        screen = main_screen(pilot)
        error = await _one_error(pilot, "the replay failure")
        assert error == f"The session log {log} cannot be read: no such file or directory."
        await wait_for(pilot, lambda: replay_finished(screen), "the replay to end")
        assert len(screen.inspector.store) == 0


async def test_an_export_to_a_folder_the_system_refuses_says_so(tmp_path: Path) -> None:
    # A folder name longer than the system allows; for a user who is not root, a folder
    # without search permission fails the same way.
    refused = tmp_path / ("x" * 300)
    plan = ReplayPlan(check_log(FIXTURE))
    app = make_app(
        config=Config(),
        config_path=tmp_path / "config.toml",
        env={},
        sessions_dir=refused,
        replay=plan,
    )
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        screen = main_screen(pilot)
        await wait_for(pilot, lambda: replay_finished(screen), "the replay to load")
        screen.inspector.rows.focus()
        await pilot.press("X")
        error = await _one_error(pilot, "the export failure")
        assert error.startswith("Could not export to ")
        assert error.endswith("file name too long.")
