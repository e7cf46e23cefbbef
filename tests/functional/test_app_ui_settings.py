"""The config's [ui] section in the running app: theme, keymap, and the palette's theme."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest_app import main_screen, offline_app, type_text, wait_for
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import TextArea

from rt_tui.config import (
    Config,
    Profile,
    Provider,
    SessionSettings,
    UiSettings,
    load_config,
    save_config,
)
from rt_tui.tui.app import RtTuiApp
from rt_tui.tui.screens.main import MainScreen
from rt_tui.tui.themes import DEFAULT_THEME
from rt_tui.tui.widgets.inspector import EventInspector


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RT_TUI_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("RT_TUI_DATA_DIR", str(tmp_path / "data"))


def app_with(tmp_path: Path, ui: UiSettings) -> RtTuiApp:
    return offline_app(tmp_path, config=Config(ui=ui))


def notes(app: RtTuiApp, title: str) -> list[str]:
    """The notifications titled `title`; each must show its text as written (no markup)."""
    found = [n for n in app._notifications if n.title == title]
    assert not any(n.markup for n in found)
    return [n.message for n in found]


async def started(pilot: Pilot[int]) -> None:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, MainScreen), "the main screen")


async def test_the_configured_theme_is_used(tmp_path: Path) -> None:
    app = app_with(tmp_path, UiSettings(theme="textual-light"))
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        assert app.theme == "textual-light"
        assert not notes(app, "Theme")


async def test_an_unknown_theme_is_named_once_and_the_default_is_used(tmp_path: Path) -> None:
    app = app_with(tmp_path, UiSettings(theme="no-such-theme"))
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        assert app.theme == DEFAULT_THEME
        [message] = notes(app, "Theme")
        assert "'no-such-theme'" in message
        assert "[ui] theme" in message
        assert "is not installed" in message
    assert not (tmp_path / "config.toml").exists()  # Nothing was written at start.


async def test_a_remapped_key_runs_the_action_and_the_old_one_does_not(tmp_path: Path) -> None:
    app = app_with(tmp_path, UiSettings(keymap={"main.toggle_inspector": "f9"}))
    async with app.run_test(size=(160, 40)) as pilot:
        await started(pilot)
        inspector = main_screen(pilot).query_one(EventInspector)
        await pilot.press("f3")
        assert inspector.display
        await pilot.press("f9")
        assert not inspector.display
        assert not notes(app, "Keys")


async def test_an_unknown_binding_id_is_named_in_one_notification(tmp_path: Path) -> None:
    keymap = {"main.no_such_action": "f7", "nope": "f8", "app.help": "f9"}
    app = app_with(tmp_path, UiSettings(keymap=keymap))
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        [message] = notes(app, "Keys")
        assert "'main.no_such_action', 'nope'" in message
        assert "app.help" not in message


async def pick_theme_in_palette(pilot: Pilot[int], theme: str) -> None:
    """ctrl+p, Theme, then `theme`, as a user picks one."""
    app = pilot.app
    await pilot.press("ctrl+p")
    await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
    await type_text(pilot, "theme")
    await pilot.pause()
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette), "the theme list")
    await type_text(pilot, theme)
    await pilot.pause()
    await pilot.press("enter")


async def test_a_theme_picked_in_the_palette_is_saved(tmp_path: Path) -> None:
    app = app_with(tmp_path, UiSettings())
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        assert app.theme == DEFAULT_THEME
        await pick_theme_in_palette(pilot, "textual-light")
        await wait_for(pilot, lambda: app.theme == "textual-light", "the new theme")
    assert load_config(tmp_path / "config.toml").ui.theme == "textual-light"
    assert app.context.config.ui.theme == "textual-light"


async def test_saving_a_theme_writes_the_theme_alone(tmp_path: Path) -> None:
    """Session settings applied (not saved) in the settings screen stay out of the file."""
    path = tmp_path / "config.toml"
    on_disk = Config(
        active_profile="work",
        profiles={"work": Profile(provider=Provider.URL, endpoint="ws://127.0.0.1:9/v1/realtime")},
        session=SessionSettings(instructions="Saved instructions."),
    )
    save_config(on_disk, path)
    app = offline_app(tmp_path, config=load_config(path))
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        await pilot.press("f2")
        await wait_for(pilot, lambda: app.screen.query("#instructions"), "the settings")
        app.screen.query_one("#instructions", TextArea).focus()
        await pilot.press("ctrl+a", *"Applied only.")
        await pilot.press("ctrl+o")
        await wait_for(
            pilot,
            lambda: app.context.config.session.instructions == "Applied only.Saved instructions.",
            "the applied settings",
        )
        await pick_theme_in_palette(pilot, "textual-light")
        await wait_for(pilot, lambda: app.theme == "textual-light", "the new theme")
        await wait_for(pilot, lambda: load_config(path).ui.theme == "textual-light", "the save")
        # The running session keeps what was applied.
        assert app.context.config.session.instructions == "Applied only.Saved instructions."
    saved = load_config(path)
    assert saved.session.instructions == "Saved instructions."
    assert saved.model_copy(update={"ui": UiSettings()}) == on_disk


async def test_a_broken_config_file_is_not_overwritten_by_a_theme(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    broken = "[session]\ninstructions = 'unterminated\n"
    path.write_text(broken)
    app = app_with(tmp_path, UiSettings())
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        await pick_theme_in_palette(pilot, "textual-light")
        await wait_for(pilot, lambda: notes(app, "Theme"), "the problem")
        [message] = notes(app, "Theme")
        assert message.startswith("The theme was not saved and the config file was left as")
        assert f"The config file {path} is not valid TOML at line 2" in message
        assert "\n" not in message
    assert path.read_text() == broken
