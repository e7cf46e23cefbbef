"""Snapshots of the debugger's views over a recorded session, opened as a user would:
`rt-tui replay LOG`, then the view's key."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.screen import Screen

from rt_tui.config import Config
from rt_tui.cost_settings import CostSettings
from rt_tui.inspector.logs import ReplayPlan, check_log
from rt_tui.tui.app import RtTuiApp, make_app
from rt_tui.tui.replay import replay_finished
from rt_tui.tui.screens.cost import CostScreen
from rt_tui.tui.screens.main import MainScreen

SESSIONS = Path(__file__).parent.parent / "fixtures" / "sessions"


def replay_app(tmp_path: Path, log: str, config: Config | None = None) -> RtTuiApp:
    return make_app(
        config=config or Config(),
        config_path=tmp_path / "config.toml",
        env={},
        sessions_dir=tmp_path / "sessions",
        replay=ReplayPlan(check_log(SESSIONS / log)),
        clock=lambda: 0.0,
        wall_clock=lambda: 1_767_225_600.0,
    )


def open_view(key: str, view: type[Screen[None]]) -> Callable[[Pilot[int]], Awaitable[None]]:
    """A `run_before` that waits for the replay to be drawn, then presses `key`."""

    async def run_before(pilot: Pilot[int]) -> None:
        for _ in range(500):
            screen = pilot.app.screen
            if isinstance(screen, MainScreen) and replay_finished(screen):
                break
            await pilot.pause(0.01)
        pilot.app.clear_notifications()
        await pilot.press(key)
        for _ in range(100):
            if isinstance(pilot.app.screen, view):
                break
            await pilot.pause()
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
def test_cost_view(
    snap_compare: Callable[..., bool], tmp_path: Path, size: tuple[int, int]
) -> None:
    config = Config(cost=CostSettings(budget_usd=0.001))
    app = replay_app(tmp_path, "text_session.jsonl", config)
    assert snap_compare(app, terminal_size=size, run_before=open_view("ctrl+t", CostScreen))
