"""Snapshots of the settings screen: fixed config, empty env, no clock on screen."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pydantic import SecretStr
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.pilot import Pilot
from textual.widgets import Footer, Input, Static

from rt_tui.config import Config, Profile, Provider, SessionSettings
from rt_tui.tui.screens.help import HelpScreen
from rt_tui.tui.screens.settings import SettingsScreen

NOTICE = "No profile or API key found: pick a provider and fill in the endpoint and key."


class SettingsHost(App[None]):
    """Opens the settings screen on a fixed config."""

    def __init__(self, config: Config, notice: str | None = None) -> None:
        super().__init__()
        self._config = config
        self._notice = notice

    def on_mount(self) -> None:
        self.push_screen(
            SettingsScreen(
                self._config,
                config_path=Path("config.toml"),
                env={},
                notice=self._notice,
            )
        )


def azure_config() -> Config:
    return Config(
        active_profile="work",
        profiles={
            "work": Profile(
                provider=Provider.AZURE_PREVIEW,
                endpoint="myresource",
                model="gpt-realtime",
                api_key=SecretStr("sk-never-on-screen"),
            ),
            "home": Profile(),
        },
        session=SessionSettings(instructions="Answer in one sentence.", voice="marin"),
    )


async def settled(pilot: Pilot[None]) -> None:
    for _ in range(100):
        if isinstance(pilot.app.screen, SettingsScreen):
            break
        await pilot.pause()
    await pilot.pause()


def test_settings_first_run_80x24(snap_compare: Callable[..., bool]) -> None:
    assert snap_compare(SettingsHost(Config(), NOTICE), terminal_size=(80, 24), run_before=settled)


def test_settings_field_errors_100x40(snap_compare: Callable[..., bool]) -> None:
    async def break_fields(pilot: Pilot[None]) -> None:
        await settled(pilot)
        screen = pilot.app.screen
        screen.query_one("#max-tokens", Input).value = "lots"
        model = screen.query_one("#model", Input)
        model.value = ""
        # The first error focuses this field: its cursor stays drawn, whenever the shot is
        # taken (a blinking one is caught off now and then on a busy machine).
        model.cursor_blink = False
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        # Show the top of the form (the first error scrolled it down).
        screen.query_one("#settings-form").scroll_home(animate=False)
        await pilot.pause()

    assert snap_compare(
        SettingsHost(azure_config()), terminal_size=(100, 40), run_before=break_fields
    )


class HelpHost(App[None]):
    """A stand-in main screen with a few keys, then the help screen over it."""

    BINDINGS = [
        Binding("f1", "help", "Help"),
        Binding("f2", "settings", "Settings"),
        Binding("ctrl+r", "reconnect", "Reconnect"),
    ]

    def compose(self) -> ComposeResult:
        yield Static("main screen")
        yield Footer()

    def on_mount(self) -> None:
        self.action_help()

    def action_help(self) -> None:
        self.push_screen(HelpScreen())


def test_help_80x24(snap_compare: Callable[..., bool]) -> None:
    async def help_open(pilot: Pilot[None]) -> None:
        for _ in range(100):
            if isinstance(pilot.app.screen, HelpScreen):
                break
            await pilot.pause()
        await pilot.pause()

    assert snap_compare(HelpHost(), terminal_size=(80, 24), run_before=help_open)
