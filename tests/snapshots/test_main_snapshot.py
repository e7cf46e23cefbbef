"""Snapshots of the main screen, fed a recorded session with a fixed clock (no live server)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from rt_tui.config import Config
from rt_tui.dialect import Dialect
from rt_tui.realtime.recorder import read_log
from rt_tui.tui.app import RtTuiApp, make_app
from rt_tui.tui.messages import FrameBatch, LinkChanged, LinkState
from rt_tui.tui.screens.main import MainScreen
from rt_tui.tui.widgets.conversation import ConversationPane

SESSION = Path(__file__).parent.parent / "fixtures" / "sessions" / "text_session.jsonl"
WALL_START = 1_767_225_600.0
"""2026-01-01T00:00:00Z: the recorded session's wall clock starts here."""


class FixedClock:
    """A monotonic clock that only moves when told."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def offline_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[RtTuiApp, FixedClock]:
    monkeypatch.setenv("RT_TUI_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("RT_TUI_DATA_DIR", str(tmp_path / "data"))
    clock = FixedClock()
    app = make_app(
        config=Config(),
        config_path=tmp_path / "config.toml",
        env={},
        connect=False,
        clock=clock,
        wall_clock=lambda: WALL_START,
    )
    return app, clock


def replay(clock: FixedClock) -> Callable[[Pilot[int]], Awaitable[None]]:
    """A `run_before` that plays the recorded session into the main screen and waits for it."""

    async def run_before(pilot: Pilot[int]) -> None:
        screen = pilot.app.screen
        assert isinstance(screen, MainScreen)
        screen.post_message(
            LinkChanged(
                LinkState.CONNECTED,
                host="api.openai.com",
                dialect=Dialect.GA,
                model="gpt-realtime",
                source=screen.session,
            )
        )
        records = list(read_log(SESSION))
        for record in records:
            screen.post_message(FrameBatch([record.to_frame()], screen.session))
        # The frames are taken on the screen's next beat, then the pane draws them.
        while len(screen.inspector.store) < len(records):
            await pilot.pause()
        pane = screen.query_one(ConversationPane)
        while pane.busy:
            await pilot.pause()
        clock.now = 12 * 60 + 3  # The countdown reads 47:57 left.
        screen.query_one("#status").refresh()
        await pilot.pause()

    return run_before


def test_main_screen_80x24(
    snap_compare: Callable[..., bool], offline_app: tuple[RtTuiApp, FixedClock]
) -> None:
    app, clock = offline_app
    assert snap_compare(app, terminal_size=(80, 24), run_before=replay(clock))


def test_main_screen_160x48(
    snap_compare: Callable[..., bool], offline_app: tuple[RtTuiApp, FixedClock]
) -> None:
    app, clock = offline_app
    assert snap_compare(app, terminal_size=(160, 48), run_before=replay(clock))
