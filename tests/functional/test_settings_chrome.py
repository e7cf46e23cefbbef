"""The settings screen says what this session is, and reads well at 80x24 without colour."""

from __future__ import annotations

from pathlib import Path

from conftest_app import offline_app, wait_for
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from rt_tui.config import Config
from rt_tui.tui.app import RtTuiApp
from rt_tui.tui.context import AppContext
from rt_tui.tui.screens.main import MainScreen
from rt_tui.tui.screens.settings import SettingsOutcome, SettingsScreen
from rt_tui.tui.screens.settings.layout import Tick, UrlLine, middle_ellipsis
from rt_tui.tui.screens.settings.session_note import apply_needed

SECRET = "sk-test-0123456789abcdefSECRET"


async def _open_settings(app: RtTuiApp, pilot: Pilot[int]) -> SettingsScreen:
    await wait_for(pilot, lambda: isinstance(app.screen, MainScreen), "the main screen")
    await pilot.press("f2")
    await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen), "the settings")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, SettingsScreen)
    return screen


def _note(screen: SettingsScreen) -> str:
    return str(screen.query_one("#settings-session").render())


async def test_demo_session_says_it_is_the_mock_and_what_apply_does(tmp_path: Path) -> None:
    app = offline_app(tmp_path, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_settings(app, pilot)
        note = _note(screen)
        assert "built-in mock server (--demo)" in note
        assert "Apply (ctrl+o) sends the Session settings" in note
        assert "this session does not use" in note
        assert (
            screen.query_one("#settings-session").region.y < screen.query_one("#profile").region.y
        )


async def test_url_session_shows_the_url_redacted(tmp_path: Path) -> None:
    url = f"ws://127.0.0.1:9/v1/realtime?model=m&api-key={SECRET}"
    app = offline_app(tmp_path, url=url)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await _open_settings(app, pilot)
        note = _note(screen)
        assert "connected to ws://127.0.0.1:9/v1/realtime?model=m&api-key=***" in note
        assert SECRET not in app.export_screenshot()


async def test_form_at_80x24_preview_alignment_and_ticks(tmp_path: Path) -> None:
    app = offline_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_settings(app, pilot)
        preview = screen.query_one("#endpoint-preview", UrlLine)
        shown = str(preview.render())
        assert preview.region.height == 1
        assert shown.startswith("→ wss://api.openai.com/")
        assert shown.endswith("model=gpt-realtime")
        assert len(shown) <= preview.size.width

        instructions = screen.query_one("#instructions", TextArea).content_region.x
        assert instructions == screen.query_one("#voice", Input).content_region.x

        keep, verify = screen.query_one("#keep-key", Tick), screen.query_one("#verify-tls", Tick)
        assert (keep.value, verify.value) == (False, True)
        assert "▐ ▌" in Text.from_markup(str(keep.render())).plain
        assert "▐X▌" in str(verify.render())
        keep.value = True
        await pilot.pause()
        assert "▐X▌" in str(keep.render())


def test_middle_ellipsis_keeps_both_ends() -> None:
    url = "wss://api.openai.com/v1/realtime?model=gpt-realtime"
    assert middle_ellipsis(url, 100) == url
    short = middle_ellipsis(url, 30)
    assert len(short) == 30
    assert short.startswith("wss://api.open")
    assert short.endswith("el=gpt-realtime")
    assert "…" in short
    assert middle_ellipsis(url, 0) == ""


def test_a_demo_or_url_session_is_not_reconnected_for_a_profile_change() -> None:
    changed = SettingsOutcome(Config(), apply="reconnect")
    assert apply_needed(AppContext(demo=True), changed) == "session"
    assert apply_needed(AppContext(url="ws://127.0.0.1:9/"), changed) == "session"
    assert apply_needed(AppContext(), changed) == "reconnect"
