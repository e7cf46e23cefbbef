"""Help screen and command palette: both derived from the live bindings."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from conftest_app import offline_app, screen_text, wait_for
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.screen import Screen
from textual.widgets import Footer, Input

from rt_tui.tui.commands import ActionsProvider, bound_actions
from rt_tui.tui.screens.help import HelpScreen, key_groups
from rt_tui.tui.screens.main import MainScreen


class WorkScreen(Screen[None]):
    """A screen with a few bindings, like the main screen has."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f3", "toggle_inspector", "Inspector"),
        Binding("ctrl+r,f5", "reconnect", "Reconnect"),
        Binding("ctrl+x", "secret", ""),  # no description: not listed anywhere
    ]

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[str] = []

    def compose(self) -> ComposeResult:
        yield Input(id="composer")
        yield Footer()

    def action_toggle_inspector(self) -> None:
        self.calls.append("inspector")

    def action_reconnect(self) -> None:
        self.calls.append("reconnect")

    def action_secret(self) -> None:
        self.calls.append("secret")


class HelpHost(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help"),
        Binding("ctrl+t", "ring", "Ring the bell"),
        Binding("ctrl+q", "quit", "Quit"),  # already a system command: not repeated
    ]
    COMMANDS = App.COMMANDS | {ActionsProvider}

    def __init__(self) -> None:
        super().__init__()
        self.work = WorkScreen()
        self.rang = 0

    def on_mount(self) -> None:
        self.push_screen(self.work)

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    def action_ring(self) -> None:
        self.rang += 1


async def test_help_lists_screen_and_app_bindings_and_closes() -> None:
    app = HelpHost()
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_for(pilot, lambda: app.screen is app.work, "the work screen")
        groups = {group.title: group for group in key_groups(app.work)}
        assert next(iter(groups)) == "This screen"
        assert list(groups)[-1] == "App"
        screen_rows = {row.description: row.keys for row in groups["This screen"].rows}
        assert screen_rows["Reconnect"] == ["^r", "f5"]
        assert "Inspector" in screen_rows
        assert "" not in screen_rows
        app_rows = {row.description for row in groups["App"].rows}
        assert {"Help", "Ring the bell"} <= app_rows

        for close_key in ("escape", "q"):
            await pilot.press("f1")
            await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), "help")
            text = screen_text(app)
            for expected in ("This screen", "Reconnect", "^r / f5", "Ring the bell", "Panes"):
                assert expected in text
            assert "Conversation" in text
            await pilot.press(close_key)
            await wait_for(pilot, lambda: app.screen is app.work, "help to close")


async def test_palette_lists_and_runs_bound_actions() -> None:
    app = HelpHost()
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_for(pilot, lambda: app.screen is app.work, "the work screen")
        names = [bound.name for bound in bound_actions(app.work)]
        assert "Reconnect" in names
        assert "Ring the bell" in names
        assert names == sorted(names, key=str.casefold)
        assert len(names) == len(set(names))  # ctrl+r and f5 give one command
        assert "Quit" not in names

        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
        await pilot.press(*"reconnect")
        await wait_for(pilot, lambda: "Reconnect (^r)" in screen_text(app), "the hit")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.work.calls == ["reconnect"], "the action")

        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
        await pilot.press(*"ring the")
        await wait_for(pilot, lambda: "Ring the bell" in screen_text(app), "the app hit")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.rang == 1, "the app action")


async def test_real_app_help_lists_its_keys(tmp_path: Path) -> None:
    app = offline_app(tmp_path)
    async with app.run_test(size=(120, 70)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen), "the main screen")
        main = app.screen
        names = {bound.name for bound in bound_actions(main)}
        assert {"Help", "Settings"} <= names
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), "help")
        text = screen_text(app)
        assert "Settings" in text
        assert "Help" in text
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is main, "help to close")
