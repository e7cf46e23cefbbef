"""Alt+letter keys on the main screen while the composer has the focus.

A terminal sends alt+c as ESC c, and Textual hands it on as the key `alt+c` with the
character "c": a focused text area would type that "c" unless the screen's binding comes
first. The key events here carry the character, as a real terminal's do.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest_app import main_screen, offline_app, pane_texts, screen_text, wait_for
from textual import events
from textual.app import App

from rt_tui.tui.screens.cost import CostScreen
from rt_tui.tui.screens.main import MainScreen
from rt_tui.tui.widgets.composer import Composer
from rt_tui.tui.widgets.conversation import ConversationPane

Answered = Callable[[App[Any], MainScreen], bool]


def _cost_view(app: App[Any], screen: MainScreen) -> bool:
    return isinstance(app.screen, CostScreen)


def _nothing_to_export(app: App[Any], screen: MainScreen) -> bool:
    # Nothing said yet, so the export says so instead of asking where to write.
    return "nothing to export" in screen_text(app)


def _no_microphone(app: App[Any], screen: MainScreen) -> bool:
    notices = pane_texts(screen.query_one(ConversationPane), "notice")
    return any(line.startswith("No microphone") for line in notices)


@pytest.mark.parametrize(
    ("key", "answered"),
    [("alt+c", _cost_view), ("alt+e", _nothing_to_export), ("alt+m", _no_microphone)],
)
async def test_the_alt_letter_key_acts_instead_of_typing_its_letter(
    tmp_path: Path, key: str, answered: Answered
) -> None:
    app = offline_app(tmp_path)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        screen = main_screen(pilot)
        await wait_for(pilot, lambda: isinstance(app.focused, Composer), "the composer's focus")
        app.post_message(events.Key(key, key[-1]))
        await wait_for(pilot, lambda: answered(app, screen), f"what {key} does")
        assert screen.composer.text == ""
