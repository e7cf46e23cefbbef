"""Snapshots of the debugger's views over a recorded session, opened as a user would:
`rt-tui replay LOG`, then the view's key."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input

from rt_tui.composer_settings import ComposerSettings
from rt_tui.config import Config, Profile, Provider
from rt_tui.cost_settings import CostSettings
from rt_tui.inspector.logs import ReplayPlan, check_log
from rt_tui.tool_answers.desk import PendingApproval, PendingCall
from rt_tui.tui.app import RtTuiApp, make_app
from rt_tui.tui.call_answer import CallAnswerDialog
from rt_tui.tui.mcp_approval import McpApprovalDialog
from rt_tui.tui.replay import replay_finished
from rt_tui.tui.screens.cost import CostScreen
from rt_tui.tui.screens.event_composer import EventComposerScreen
from rt_tui.tui.screens.main import MainScreen
from rt_tui.tui.screens.session_diff import SessionDiffScreen

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


def open_view(
    key: str, view: type[Screen[Any]], *then: str
) -> Callable[[Pilot[int]], Awaitable[None]]:
    """A `run_before` that waits for the replay to be drawn, presses `key` and, once the
    view is open, the keys `then`."""

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
        await pilot.press(*then)
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
def test_cost_view(
    snap_compare: Callable[..., bool], tmp_path: Path, size: tuple[int, int]
) -> None:
    config = Config(cost=CostSettings(budget_usd=0.001))
    app = replay_app(tmp_path, "text_session.jsonl", config)
    assert snap_compare(app, terminal_size=size, run_before=open_view("alt+c", CostScreen))


# session_updates.jsonl: the mock's session.created, the app's first session.update, one
# with values the service clamps or replaces (max_output_tokens 10000, voice nova, speed
# 3), and one it refuses (a threshold over 1).


@pytest.mark.parametrize("size", [(100, 30), (140, 40)])
def test_session_config_diff(
    snap_compare: Callable[..., bool], tmp_path: Path, size: tuple[int, int]
) -> None:
    app = replay_app(tmp_path, "session_updates.jsonl")
    # The view opens on the newest update with a problem (the refused one); up: the clamps.
    view = open_view("ctrl+o", SessionDiffScreen, "up")
    assert snap_compare(app, terminal_size=size, run_before=view)


def test_session_config_diff_of_the_refused_update(
    snap_compare: Callable[..., bool], tmp_path: Path
) -> None:
    app = replay_app(tmp_path, "session_updates.jsonl")
    view = open_view("ctrl+o", SessionDiffScreen)
    assert snap_compare(app, terminal_size=(120, 30), run_before=view)


def test_two_profiles_side_by_side(snap_compare: Callable[..., bool], tmp_path: Path) -> None:
    config = Config(
        active_profile="openai",
        profiles={
            "openai": Profile(),
            "azure-preview": Profile(
                provider=Provider.AZURE_PREVIEW, endpoint="myresource", model="my-deployment"
            ),
        },
    )
    app = replay_app(tmp_path, "session_updates.jsonl", config)
    # The list: 4 exchanges, a separator, the Profiles heading, then the two profiles.
    view = open_view("ctrl+o", SessionDiffScreen, "end")
    assert snap_compare(app, terminal_size=(140, 40), run_before=view)


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
def test_event_composer(
    snap_compare: Callable[..., bool], tmp_path: Path, size: tuple[int, int]
) -> None:
    config = Config(composer=ComposerSettings(snippets={"cancel": '{"type": "response.cancel"}'}))
    app = replay_app(tmp_path, "text_session.jsonl", config)
    # The eighth template, conversation.item.retrieve, filled with the replay's last item;
    # then a stray x after the type, so the check shows the JSON error by line and column.
    keys = (*["down"] * 7, "enter", "down", "end", *"x")
    view = open_view("f5", EventComposerScreen, *keys)
    assert snap_compare(app, terminal_size=size, run_before=view)


def offline_app(tmp_path: Path) -> RtTuiApp:
    return make_app(
        config=Config(),
        config_path=tmp_path / "config.toml",
        env={},
        sessions_dir=tmp_path / "sessions",
        connect=False,
        clock=lambda: 0.0,
        wall_clock=lambda: 1_767_225_600.0,
    )


def over_main_screen(dialog: Screen[Any]) -> Callable[[Pilot[int]], Awaitable[None]]:
    """A `run_before` that opens `dialog` once the main screen is up."""

    async def run_before(pilot: Pilot[int]) -> None:
        for _ in range(100):
            if isinstance(pilot.app.screen, MainScreen):
                break
            await pilot.pause()
        await pilot.app.push_screen(dialog)
        # A focused field's cursor stays drawn, whenever the shot is taken (a blinking
        # one is caught off now and then on a busy machine).
        for field in dialog.query(Input):
            field.cursor_blink = False
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
def test_call_answer_dialog(
    snap_compare: Callable[..., bool], tmp_path: Path, size: tuple[int, int]
) -> None:
    call = PendingCall(
        call_id="call_1",
        name="get_weather",
        arguments='{"city": "Oslo", "unit": "celsius"}',
        response_id="resp_1",
        answer="ask",
    )
    dialog = CallAnswerDialog(call, waiting=2)
    assert snap_compare(
        offline_app(tmp_path), terminal_size=size, run_before=over_main_screen(dialog)
    )


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
def test_mcp_approval_dialog(
    snap_compare: Callable[..., bool], tmp_path: Path, size: tuple[int, int]
) -> None:
    ask = PendingApproval(
        request_id="item_approval_1",
        server_label="docs",
        name="search_docs",
        arguments='{"query": "session limits", "max_results": 3}',
        response_id="resp_1",
    )
    dialog = McpApprovalDialog(ask, waiting=2)
    assert snap_compare(
        offline_app(tmp_path), terminal_size=size, run_before=over_main_screen(dialog)
    )
