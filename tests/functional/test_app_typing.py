"""Typing lands in the composer from any pane, and a mistyped command is not sent."""

from __future__ import annotations

from pathlib import Path

from conftest_app import (
    MessageLog,
    app_for_url,
    connected,
    main_screen,
    offline_app,
    pane_texts,
    submit,
    type_text,
    wait_for,
)
from textual import events
from textual.pilot import Pilot

from rt_tui.inspector.filtering import FrameFilter
from rt_tui.mock.server import MockServer
from rt_tui.realtime.frames import Direction
from rt_tui.realtime.recorder import read_log
from rt_tui.tui.messages import FrameBatch
from rt_tui.tui.screens.main import MainScreen
from rt_tui.tui.widgets.composer import SLASH_COMMANDS, Composer
from rt_tui.tui.widgets.conversation import ConversationPane
from rt_tui.tui.widgets.filter_input import FilterInput
from rt_tui.tui.widgets.frame_rows import FrameRows

SESSION = Path(__file__).parent.parent / "fixtures" / "sessions" / "text_session.jsonl"


async def with_frames(pilot: Pilot[int]) -> MainScreen:
    """The main screen once a recorded session's frames are in both panes."""
    screen = main_screen(pilot)
    records = list(read_log(SESSION))
    for record in records:
        screen.post_message(FrameBatch([record.to_frame()], screen.session))
    await wait_for(pilot, lambda: len(screen.inspector.store) == len(records), "the frames")
    await wait_for(pilot, lambda: not screen.pane.busy, "the conversation")
    return screen


async def test_typing_in_the_inspector_goes_to_the_composer_and_fires_nothing(
    tmp_path: Path,
) -> None:
    """The reported case: `/wav x.wav` typed with a row of the inspector selected."""
    app = offline_app(tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await with_frames(pilot)
        await pilot.click(FrameRows)
        await wait_for(pilot, lambda: screen.inspector.selected_frame is not None, "a row")
        assert isinstance(app.focused, FrameRows)

        await type_text(pilot, "/wav x.wav")
        await pilot.pause()
        assert screen.composer.text == "/wav x.wav"
        assert isinstance(app.focused, Composer)
        assert screen.inspector.frame_filter == FrameFilter()  # no filter, no errors only
        assert not screen.query_one(FilterInput).has_class("-shown")
        assert app.clipboard == ""  # nothing copied
        assert not (tmp_path / "sessions").exists()  # nothing exported


async def test_typing_in_the_conversation_goes_to_the_composer(tmp_path: Path) -> None:
    app = offline_app(tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await with_frames(pilot)
        await pilot.click(ConversationPane)
        assert isinstance(app.focused, ConversationPane)
        screen.composer.load_text("Draft: ")
        screen.composer.move_cursor(screen.composer.document.end)
        await type_text(pilot, "Hello there")
        await pilot.pause()
        assert screen.composer.text == "Draft: Hello there"
        assert isinstance(app.focused, Composer)


def type_at_once(pilot: Pilot[int], keys: list[str]) -> None:
    """Keys that reach the app together, as a fast typist's or a terminal's burst does:
    all are queued before the first is handled."""
    for key in keys:
        character = " " if key == "space" else (key if len(key) == 1 else None)
        pilot.app.post_message(events.Key(key, character))


async def test_a_burst_typed_in_a_pane_reaches_the_composer_whole_and_in_order(
    tmp_path: Path,
) -> None:
    app = offline_app(tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await with_frames(pilot)
        await pilot.click(FrameRows)
        await wait_for(pilot, lambda: screen.inspector.selected_frame is not None, "a row")
        # "x" and "e" are the inspector's keys; Enter sends once all is typed.
        type_at_once(pilot, [*"/explain", "space", *"x", "enter"])
        await wait_for(pilot, lambda: screen.composer.sent_history, "the message sent")
        assert screen.composer.sent_history == ["/explain x"]
        assert screen.composer.text == ""
        assert screen.inspector.frame_filter == FrameFilter()
        assert not (tmp_path / "sessions").exists()


async def test_the_inspector_keeps_its_own_keys(tmp_path: Path) -> None:
    app = offline_app(tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await with_frames(pilot)
        await pilot.click(FrameRows)
        await pilot.press("e")
        await wait_for(pilot, lambda: screen.inspector.frame_filter.errors_only, "errors only")
        assert screen.composer.text == ""
        await pilot.press("ctrl+f")
        await wait_for(pilot, lambda: isinstance(app.focused, FilterInput), "the filter box")
        await type_text(pilot, "session.*")
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.inspector.frame_filter.query == "session.*", "filter")
        assert screen.composer.text == ""


async def test_an_unknown_command_is_refused_with_the_list_and_not_sent(
    tmp_path: Path,
) -> None:
    log = MessageLog()
    async with MockServer(delta_delay=0) as server:
        app = app_for_url(server.ga_url(), tmp_path)
        async with app.run_test(size=(160, 48), message_hook=log) as pilot:
            screen = await connected(pilot)
            sent_before = len(log.frames(Direction.SENT))
            await submit(pilot, "/foo bar")

            def notices() -> list[str]:
                return pane_texts(screen.pane, "notice")

            await wait_for(pilot, notices, "the refusal")
            [notice] = notices()
            assert notice.startswith("/foo is not a command, so nothing was sent")
            for command in SLASH_COMMANDS:
                assert command.usage in notice
            await pilot.pause()
            assert len(log.frames(Direction.SENT)) == sent_before

            # `//` sends a message that starts with a slash; a path is no command either.
            await submit(pilot, "//foo bar")
            await submit(pilot, "/etc/hosts is where?")

            def texts() -> list[str]:
                return [
                    str(frame.client_event["item"]["content"][0]["text"])
                    for frame in log.frames(Direction.SENT)
                    if frame.client_event
                    and frame.client_event.get("type") == "conversation.item.create"
                ]

            await wait_for(pilot, lambda: len(texts()) == 2, "the two messages")
            assert texts() == ["/foo bar", "/etc/hosts is where?"]
