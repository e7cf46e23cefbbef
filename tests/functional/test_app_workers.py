"""Every background worker of the app fails visibly: one sentence in a notification, never a
traceback and never silence (the /wav audio turn, the replay feed, the inspector export;
the connection worker's failures are in test_app_launch)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from conftest_app import MessageLog, app_for_url, connected, submit, wait_for
from textual.app import App
from textual.pilot import Pilot

from rt_tui.mock.server import MockServer
from rt_tui.realtime.frames import Direction


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
