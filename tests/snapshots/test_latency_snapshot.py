"""Snapshots of the latency screen over a recorded session: the table of responses with the
session's figures, and the waterfall of the slowest response once sorted by total."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from rt_tui.config import Config
from rt_tui.inspector.logs import ReplayPlan, check_log
from rt_tui.tui.app import RtTuiApp, make_app
from rt_tui.tui.replay import replay_finished
from rt_tui.tui.screens.latency import LatencyScreen
from rt_tui.tui.screens.main import MainScreen

SESSION = Path(__file__).parent.parent / "fixtures" / "sessions" / "latency_session.jsonl"


@pytest.fixture
def replay_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> RtTuiApp:
    monkeypatch.setenv("RT_TUI_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("RT_TUI_DATA_DIR", str(tmp_path / "data"))
    return make_app(
        config=Config(),
        config_path=tmp_path / "config.toml",
        env={},
        replay=ReplayPlan(check_log(SESSION)),
        clock=lambda: 0.0,
        wall_clock=lambda: 1_767_225_600.0,
    )


def latency_after(*keys: str) -> Callable[[Pilot[int]], Awaitable[None]]:
    """A `run_before` that waits for the replay, opens the latency screen, presses `keys`."""

    async def run_before(pilot: Pilot[int]) -> None:
        main = pilot.app.screen
        assert isinstance(main, MainScreen)
        while not replay_finished(main):
            await pilot.pause()
        pilot.app.clear_notifications()  # The replay's note would cover the waterfall.
        await pilot.press("ctrl+l")
        while not isinstance(pilot.app.screen, LatencyScreen):
            await pilot.pause()
        await pilot.press(*keys)
        await pilot.pause()

    return run_before


def test_latency_table_and_session_figures(
    snap_compare: Callable[..., bool], replay_app: RtTuiApp
) -> None:
    assert snap_compare(replay_app, terminal_size=(110, 34), run_before=latency_after())


def test_latency_waterfall_of_the_slowest_response(
    snap_compare: Callable[..., bool], replay_app: RtTuiApp
) -> None:
    assert snap_compare(replay_app, terminal_size=(110, 34), run_before=latency_after("t"))
