"""Starting the app: the demo, a dead endpoint, nothing configured."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest_app import (
    app_for_url,
    connected,
    main_screen,
    screen_text,
    type_text,
    wait_for,
)
from scripted_server import unused_port
from textual.pilot import Pilot
from textual.widgets import Input, Select

from rt_tui.config import Config, Profile, Provider, ReconnectSettings
from rt_tui.mock.server import MockServer
from rt_tui.tui.app import make_app
from rt_tui.tui.messages import LinkState
from rt_tui.tui.screens.settings import SettingsOutcome, SettingsScreen
from rt_tui.tui.widgets.conversation import ConversationPane
from rt_tui.tui.widgets.status import StatusBar


@pytest.fixture(autouse=True)
def _private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RT_TUI_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("RT_TUI_DATA_DIR", str(tmp_path / "data"))


async def test_demo_runs_the_mock_in_process_and_chats(tmp_path: Path) -> None:
    app = make_app(
        config=Config(), config_path=tmp_path / "config.toml", env={}, demo=True, log=None
    )
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(pilot)
        status = screen.query_one(StatusBar)
        await wait_for(pilot, lambda: status.state is LinkState.CONNECTED, "the demo connection")
        assert status.host == "127.0.0.1"
        assert status.model == "gpt-realtime"
        assert status.log_path is not None
        assert status.log_path.parent == tmp_path / "data" / "sessions"
        await type_text(pilot, "hello demo")
        await pilot.press("enter")
        await wait_for(
            pilot,
            lambda: any(r.status == "completed" for r in screen.conversation.responses.values()),
            "the demo reply",
        )


async def test_unreachable_server_shows_a_one_sentence_failure(tmp_path: Path) -> None:
    app = app_for_url("ws://127.0.0.1:9/v1/realtime", tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        status = main_screen(pilot).query_one(StatusBar)
        await wait_for(pilot, lambda: status.state is LinkState.FAILED, "the failure")
        assert status.detail.startswith("Cannot connect to 127.0.0.1:9")
        assert status.detail.endswith(".")
        assert "\n" not in status.detail
        assert "✕ failed Cannot connect" in str(status.render())


def hint_text(pilot: Pilot[int]) -> str:
    """What the empty conversation says (its hint, and any notice of the failure)."""
    pane = main_screen(pilot).query_one(ConversationPane)
    return pane.text().strip()


async def test_a_refused_connection_is_not_still_connecting_in_the_conversation(
    tmp_path: Path,
) -> None:
    app = app_for_url(f"ws://127.0.0.1:{unused_port()}/v1/realtime", tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        status = main_screen(pilot).query_one(StatusBar)
        await wait_for(pilot, lambda: status.state is LinkState.FAILED, "the failure")
        await pilot.pause()
        assert "Connecting" not in hint_text(pilot)
        assert "connection refused" in hint_text(pilot)


async def test_a_dropped_connection_is_not_still_connected_in_the_conversation(
    tmp_path: Path,
) -> None:
    no_retry = Config(reconnect=ReconnectSettings(tries=0))
    async with MockServer(delta_delay=0) as server:
        app = app_for_url(server.ga_url(), tmp_path, config=no_retry)
        async with app.run_test(size=(120, 40)) as pilot:
            await connected(pilot)
            assert hint_text(pilot).startswith("Connected to 127.0.0.1")
            server.drop_sessions()
            status = main_screen(pilot).query_one(StatusBar)
            await wait_for(pilot, lambda: status.state is LinkState.FAILED, "the drop")
            await pilot.pause()
            assert "Connected to" not in hint_text(pilot)
            assert "dropped" in hint_text(pilot)


async def test_nothing_configured_opens_the_settings_with_a_notice(tmp_path: Path) -> None:
    app = make_app(config=Config(), config_path=tmp_path / "config.toml", env={})
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen), "the settings")
        notice = str(app.screen.query_one("#settings-notice").render())
        assert "OPENAI_API_KEY" in notice
        await pilot.press("escape")
        status = main_screen(pilot).query_one(StatusBar)
        assert status.state is LinkState.IDLE
        assert status.detail == "Nothing is configured: press F2 to open the settings."


async def save_a_url_profile(pilot: Pilot[int]) -> None:
    """Fill in the first profile as a `url` one and save it (ctrl+s)."""
    settings = pilot.app.screen
    settings.query_one("#provider", Select).value = "url"
    settings.query_one("#endpoint", Input).value = "ws://127.0.0.1:9/v1/realtime"
    await pilot.pause()
    await pilot.press("ctrl+s")
    status = settings.query_one("#settings-status")
    await wait_for(pilot, lambda: "Saved to" in str(status.render()), "the save")


async def test_the_nothing_configured_notice_goes_once_a_profile_is_saved(
    tmp_path: Path,
) -> None:
    app = make_app(config=Config(), config_path=tmp_path / "config.toml", env={})
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen), "the settings")
        await wait_for(pilot, lambda: "Nothing is configured yet" in screen_text(app), "notice")
        await save_a_url_profile(pilot)
        await pilot.pause()
        assert "Nothing is configured" not in screen_text(app)
        assert not app.screen.query_one("#settings-notice").display


async def test_a_notice_that_still_holds_after_a_save_says_what_holds_now(
    tmp_path: Path,
) -> None:
    app = make_app(config=Config(), config_path=tmp_path / "config.toml", env={}, profile="work")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen), "the settings")
        notice = "no profile named 'work' (known profiles: none)"
        await wait_for(pilot, lambda: notice in screen_text(app), "the notice")
        await save_a_url_profile(pilot)
        await pilot.pause()
        assert "no profile named 'work' (known profiles: default)" in screen_text(app)


async def test_a_key_from_the_environment_never_reaches_the_screen(tmp_path: Path) -> None:
    secret = "sk-test-0123456789abcdefSECRET"
    app = make_app(
        config=Config(),
        config_path=tmp_path / "config.toml",
        env={"OPENAI_API_KEY": secret, "OPENAI_BASE_URL": "http://127.0.0.1:9/v1"},
    )
    async with app.run_test(size=(160, 48)) as pilot:
        status = main_screen(pilot).query_one(StatusBar)
        await wait_for(pilot, lambda: status.state is LinkState.FAILED, "the failure")
        await pilot.pause()
        screen_text = app.export_screenshot()
        assert secret not in screen_text
        assert secret not in status.detail
        assert secret not in repr(main_screen(pilot).context)


async def test_a_refused_connection_leaves_no_session_log(tmp_path: Path) -> None:
    app = app_for_url("ws://127.0.0.1:9/v1/realtime", tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        status = main_screen(pilot).query_one(StatusBar)
        await wait_for(pilot, lambda: status.state is LinkState.FAILED, "the failure")
        assert status.log_path is None
    sessions = tmp_path / "sessions"
    assert not sessions.exists() or not any(sessions.iterdir())


async def test_saving_a_profile_after_nothing_was_configured_connects(tmp_path: Path) -> None:
    async with MockServer(delta_delay=0) as server:
        app = make_app(config=Config(), config_path=tmp_path / "config.toml", env={})
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen), "the settings")
            await pilot.press("escape")
            screen = main_screen(pilot)
            profile = Profile(provider=Provider.URL, endpoint=server.ga_url())
            config = Config(active_profile="local", profiles={"local": profile})
            await screen.apply_settings(SettingsOutcome(config=config, apply="session"))
            status = screen.query_one(StatusBar)
            await wait_for(pilot, lambda: status.state is LinkState.CONNECTED, "the connection")
