"""Alt+letter keys on the main screen while the composer has the focus.

A terminal sends alt+c as ESC c, and Textual hands it on as the key `alt+c` with the
character "c": a focused text area would type that "c" unless the screen's binding comes
first. The key events here carry the character, as a real terminal's do.
"""

from __future__ import annotations

from pathlib import Path

from conftest_app import main_screen, offline_app, pane_texts, screen_text, wait_for
from textual import events

from rt_tui.tui.screens.cost import CostScreen
from rt_tui.tui.widgets.composer import Composer
from rt_tui.tui.widgets.conversation import ConversationPane


async def test_alt_c_opens_the_cost_view_instead_of_typing_c(tmp_path: Path) -> None:
    app = offline_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = main_screen(pilot)
        await wait_for(pilot, lambda: isinstance(app.focused, Composer), "the composer's focus")
        app.post_message(events.Key("alt+c", "c"))
        await wait_for(pilot, lambda: isinstance(app.screen, CostScreen), "the cost view")
        assert screen.composer.text == ""


async def test_alt_e_offers_the_export_instead_of_typing_e(tmp_path: Path) -> None:
    app = offline_app(tmp_path)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        screen = main_screen(pilot)
        await wait_for(pilot, lambda: isinstance(app.focused, Composer), "the composer's focus")
        app.post_message(events.Key("alt+e", "e"))
        # Nothing said yet, so the export says so instead of asking where to write.
        await wait_for(
            pilot, lambda: "nothing to export" in screen_text(app), "the export's answer"
        )
        assert screen.composer.text == ""


async def test_alt_m_mutes_instead_of_typing_m(tmp_path: Path) -> None:
    app = offline_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = main_screen(pilot)
        await wait_for(pilot, lambda: isinstance(app.focused, Composer), "the composer's focus")
        app.post_message(events.Key("alt+m", "m"))
        pane = screen.query_one(ConversationPane)
        await wait_for(
            pilot,
            lambda: any(line.startswith("No microphone") for line in pane_texts(pane, "notice")),
            "the mute key's answer",
        )
        assert screen.composer.text == ""
