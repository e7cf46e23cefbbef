"""Help lists every pane's keys, whichever pane has the focus."""

from __future__ import annotations

from pathlib import Path

from conftest_app import main_screen, wait_for

from rt_tui.config import Config
from rt_tui.tui.app import make_app
from rt_tui.tui.screens.help import HelpScreen, key_groups
from rt_tui.tui.widgets.composer import Composer


async def test_help_from_the_composer_lists_the_inspector_keys(tmp_path: Path) -> None:
    app = make_app(config=Config(), config_path=tmp_path / "config.toml", env={}, connect=False)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = main_screen(pilot)
        await wait_for(pilot, lambda: isinstance(app.focused, Composer), "the composer")
        groups = {group.title: group for group in key_groups(screen)}
        assert next(iter(groups)) == "This screen"
        assert list(groups)[-1] == "App"
        inspector = {row.description: row.keys for row in groups["Inspector"].rows}
        assert inspector["Filter"] == ["^f"]
        assert "Zoom" in inspector
        assert "Tail" in inspector  # the rows' own keys list under their pane
        assert "Clear filter" not in inspector  # no filter on: not offered
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), "help")
        await pilot.pause()
        shown = app.export_screenshot().replace("&#160;", " ")
        assert "Inspector" in shown
        assert "Export view" in shown
