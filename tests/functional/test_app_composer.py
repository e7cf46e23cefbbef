"""The composer on its own: Enter sends, ctrl+j breaks lines, pastes never send, history."""

from __future__ import annotations

from textual import events
from textual.app import App, ComposeResult
from textual.geometry import Region

from rt_tui.tui.widgets.composer import Composer


class ComposerApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.submitted: list[str] = []
        self.cancels = 0

    def compose(self) -> ComposeResult:
        yield Composer(id="composer")

    def on_composer_submitted(self, message: Composer.Submitted) -> None:
        self.submitted.append(message.text)

    def on_composer_cancel_requested(self) -> None:
        self.cancels += 1


async def test_enter_sends_and_clears() -> None:
    app = ComposerApp()
    async with app.run_test() as pilot:
        await pilot.press("h", "i", "enter")
        await pilot.pause()
        assert app.submitted == ["hi"]
        assert app.query_one(Composer).text == ""


async def test_blank_message_is_not_sent() -> None:
    app = ComposerApp()
    async with app.run_test() as pilot:
        await pilot.press("space", "enter")
        await pilot.pause()
        assert app.submitted == []


async def test_newline_keys_insert_a_line_break() -> None:
    app = ComposerApp()
    async with app.run_test() as pilot:
        await pilot.press("a", "ctrl+j", "b", "shift+enter", "c", "alt+enter", "d")
        await pilot.pause()
        assert app.query_one(Composer).text == "a\nb\nc\nd"
        assert app.submitted == []
        await pilot.press("enter")
        await pilot.pause()
        assert app.submitted == ["a\nb\nc\nd"]


async def test_paste_with_newlines_arrives_whole_and_does_not_send() -> None:
    app = ComposerApp()
    async with app.run_test() as pilot:
        composer = app.query_one(Composer)
        pasted = "line one\nline two\n\n" + "x" * 5000
        app.post_message(events.Paste(pasted))  # As the driver delivers it.
        await pilot.pause()
        assert composer.text == pasted
        assert app.submitted == []


async def test_up_and_down_walk_through_history() -> None:
    app = ComposerApp()
    async with app.run_test() as pilot:
        composer = app.query_one(Composer)
        await pilot.press("o", "n", "e", "enter", "t", "w", "o", "enter", "d", "r")
        await pilot.pause()
        await pilot.press("up")
        assert composer.text == "two"
        await pilot.press("up")
        assert composer.text == "one"
        await pilot.press("up")  # Nothing older: stays.
        assert composer.text == "one"
        await pilot.press("down")
        assert composer.text == "two"
        await pilot.press("down")  # Past the newest: the draft comes back.
        assert composer.text == "dr"


async def test_up_inside_a_multiline_message_moves_the_cursor_first() -> None:
    app = ComposerApp()
    async with app.run_test() as pilot:
        composer = app.query_one(Composer)
        await pilot.press("o", "l", "d", "enter", "a", "ctrl+j", "b")
        await pilot.press("up")
        assert composer.text == "a\nb"
        assert composer.cursor_location[0] == 0
        await pilot.press("up")
        assert composer.text == "old"


async def test_escape_asks_to_cancel() -> None:
    app = ComposerApp()
    async with app.run_test() as pilot:
        await pilot.press("escape")
        await pilot.pause()
        assert app.cancels == 1


class MarkedComposerApp(ComposerApp):
    CSS = "Composer.-marked .text-area--cursor-line { background: red; }"


async def test_the_text_takes_its_colours_from_new_styles() -> None:
    # The composer fills in its text area theme from the styles once per style update, not
    # on every paint: a new theme, or any other change of its styles, must still show.
    app = MarkedComposerApp()
    async with app.run_test() as pilot:
        composer = app.query_one(Composer)
        await pilot.press("h", "i")

        def text_background() -> object:
            # Line 1: the first line of text, under the border.
            line = composer.render_lines(Region(0, 1, composer.size.width, 1))[0]
            typed = next(segment for segment in line if "hi" in segment.text)
            assert typed.style is not None
            return typed.style.bgcolor

        def cursor_line_background() -> object:
            return composer.get_component_rich_style("text-area--cursor-line").bgcolor

        shown = [text_background()]
        assert shown[0] == cursor_line_background()
        app.theme = "textual-light"
        await pilot.pause()
        shown.append(text_background())
        assert shown[1] == cursor_line_background()
        composer.add_class("-marked")
        await pilot.pause()
        shown.append(text_background())
        assert shown[2] == cursor_line_background()
        assert len(set(shown)) == 3


class ListeningApp(ComposerApp):
    """Notes the text area messages that reach it."""

    def __init__(self) -> None:
        super().__init__()
        self.heard: list[str] = []

    def on_text_area_changed(self) -> None:
        self.heard.append("changed")

    def on_text_area_selection_changed(self) -> None:
        self.heard.append("selection")


async def test_edits_stay_in_the_composer() -> None:
    # Nothing above the composer reads its edits or cursor moves, and every message that
    # bubbles up is handled once per widget on the way: two per keystroke, for nothing.
    app = ListeningApp()
    async with app.run_test() as pilot:
        await pilot.press("h", "i", "left", "backspace")
        await pilot.pause()
        assert app.query_one(Composer).text == "i"
        assert app.heard == []


class KeyWatchingApp(ComposerApp):
    """Notes the keys that come back up to it from the composer."""

    def __init__(self) -> None:
        super().__init__()
        self.came_up: list[str] = []

    def on_key(self, event: events.Key) -> None:
        self.came_up.append(event.key)


async def test_typing_and_deleting_are_done_in_the_composer() -> None:
    # Backspace is TextArea's by a binding, found once the key has gone up to the app:
    # four hops for the key typed most after letters.
    app = KeyWatchingApp()
    async with app.run_test() as pilot:
        await pilot.press("h", "e", "l", "l", "o", "backspace")
        await pilot.pause()
        assert app.query_one(Composer).text == "hell"
        await pilot.press("shift+left", "shift+left", "backspace")  # a selection goes whole
        await pilot.pause()
        assert app.query_one(Composer).text == "he"
        assert app.came_up == ["shift+left", "shift+left"]  # moves still go by bindings
