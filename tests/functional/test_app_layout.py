"""The main screen offline (no server): layout, keys, details, status bar wording."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest_app import main_screen, wait_for
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widgets import Static

from rt_tui.config import Config
from rt_tui.dialect import Dialect
from rt_tui.realtime.events import parse_server_frame
from rt_tui.realtime.frames import Direction, Frame
from rt_tui.realtime.recorder import read_log
from rt_tui.tui.app import RtTuiApp, make_app
from rt_tui.tui.messages import FrameBatch, LinkChanged, LinkState
from rt_tui.tui.widgets.composer import Composer
from rt_tui.tui.widgets.conversation import ConversationPane, ItemBlock, ResponseLine
from rt_tui.tui.widgets.conversation_views import ItemView
from rt_tui.tui.widgets.inspector import EventInspector
from rt_tui.tui.widgets.status import StatusBar, format_left

SESSION = Path(__file__).parent.parent / "fixtures" / "sessions" / "text_session.jsonl"


@pytest.fixture
def offline_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> RtTuiApp:
    monkeypatch.setenv("RT_TUI_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("RT_TUI_DATA_DIR", str(tmp_path / "data"))
    return make_app(config=Config(), config_path=tmp_path / "config.toml", env={}, connect=False)


async def _replay(pilot: Pilot[int]) -> None:
    screen = main_screen(pilot)
    for record in read_log(SESSION):
        screen.post_message(FrameBatch([record.to_frame()], screen.session))
    pane = screen.query_one(ConversationPane)
    await wait_for(pilot, lambda: len(screen.conversation.errors) == 1, "the replay")
    await wait_for(pilot, lambda: not pane.busy, "the pane to draw")


async def test_wide_terminal_puts_the_panes_side_by_side(offline_app: RtTuiApp) -> None:
    async with offline_app.run_test(size=(160, 48)) as pilot:
        screen = main_screen(pilot)
        conversation = screen.query_one(ConversationPane).region
        inspector = screen.query_one(EventInspector).region
        assert not screen.has_class("-narrow")
        assert inspector.x >= conversation.right
        assert inspector.y == conversation.y


async def test_narrow_terminal_stacks_the_inspector_below(offline_app: RtTuiApp) -> None:
    async with offline_app.run_test(size=(80, 24)) as pilot:
        screen = main_screen(pilot)
        conversation = screen.query_one(ConversationPane).region
        inspector = screen.query_one(EventInspector).region
        assert screen.has_class("-narrow")
        assert inspector.y >= conversation.bottom
        assert conversation.height > 0
        assert inspector.height > 0


async def test_f3_hides_and_shows_the_inspector(offline_app: RtTuiApp) -> None:
    async with offline_app.run_test(size=(160, 48)) as pilot:
        screen = main_screen(pilot)
        inspector = screen.query_one(EventInspector)
        await pilot.press("f3")
        assert not inspector.display
        assert screen.query_one(ConversationPane).region.width > 150
        await pilot.press("f3")
        assert inspector.display


async def test_hiding_the_focused_inspector_returns_focus_to_the_composer(
    offline_app: RtTuiApp,
) -> None:
    async with offline_app.run_test(size=(160, 48)) as pilot:
        screen = main_screen(pilot)
        inspector = screen.query_one(EventInspector)
        inspector.rows.focus()
        await pilot.pause()
        await pilot.press("f3")
        assert isinstance(screen.focused, Composer)


async def test_tab_moves_between_composer_conversation_and_inspector(
    offline_app: RtTuiApp,
) -> None:
    async with offline_app.run_test(size=(160, 48)) as pilot:
        screen = main_screen(pilot)
        inspector = screen.query_one(EventInspector)
        assert isinstance(screen.focused, Composer)
        seen = []
        for _ in range(3):
            await pilot.press("tab")
            focused = screen.focused
            assert focused is not None
            if isinstance(focused, ConversationPane):
                seen.append("conversation")
            elif inspector in focused.ancestors_with_self:
                seen.append("inspector")
            elif isinstance(focused, Composer):
                seen.append("composer")
        assert seen == ["conversation", "inspector", "composer"]


async def test_replayed_session_shows_turns_states_and_error(offline_app: RtTuiApp) -> None:
    async with offline_app.run_test(size=(160, 48)) as pilot:
        await _replay(pilot)
        screen = main_screen(pilot)
        lines = [str(line.render()) for line in screen.query(ResponseLine)]
        assert lines == [
            "◆ response ✓ completed",
            "◆ response ⊘ cancelled (client_cancelled)",
        ]
        error = str(screen.query_one(".error-line").render())
        assert error.startswith("⚠ integer_below_min_value: Invalid")
        assert error.endswith("(after response.create)")
        status = screen.query_one(StatusBar)
        assert (status.input_tokens, status.output_tokens) == (318, 60)
        assert status.latency_ms == pytest.approx(299.6)


async def test_f4_shows_usage_and_latency_under_each_response(offline_app: RtTuiApp) -> None:
    async with offline_app.run_test(size=(160, 48)) as pilot:
        await _replay(pilot)
        screen = main_screen(pilot)
        pane = screen.query_one(ConversationPane)
        await pilot.press("f4")
        await wait_for(pilot, lambda: not pane.busy, "the pane to draw")
        first = str(screen.query(ResponseLine).first().render())
        assert "first delta 300 ms" in first
        assert "total 509 ms" in first
        assert "128 in / 46 out tokens" in first
        await pilot.press("f4")
        await wait_for(pilot, lambda: not pane.busy, "the pane to draw")
        assert str(screen.query(ResponseLine).first().render()) == "◆ response ✓ completed"


async def test_status_bar_says_where_it_is_connected(offline_app: RtTuiApp) -> None:
    async with offline_app.run_test(size=(160, 48)) as pilot:
        screen = main_screen(pilot)
        screen.post_message(
            LinkChanged(
                LinkState.CONNECTED,
                host="example.openai.azure.com",
                dialect=Dialect.BETA,
                model="my-deployment",
                source=screen.session,
            )
        )
        status = screen.query_one(StatusBar)
        await wait_for(pilot, lambda: status.state is LinkState.CONNECTED, "the state")
        text = str(status.render())
        assert text.startswith("● example.openai.azure.com · beta · my-deployment · 60:00 left")


async def test_frames_from_a_replaced_session_are_dropped(offline_app: RtTuiApp) -> None:
    async with offline_app.run_test(size=(160, 48)) as pilot:
        screen = main_screen(pilot)
        stale = object()
        for record in read_log(SESSION):
            screen.post_message(FrameBatch([record.to_frame()], stale))
        await pilot.pause()
        assert len(screen.conversation) == 0
        assert len(screen.query_one(EventInspector).store) == 0


def test_time_left_counts_down_to_the_limit() -> None:
    assert format_left(0) == "00:00 left"
    assert format_left(-5) == "00:00 left"
    assert format_left(723.1) == "12:04 left"
    assert format_left(3600) == "60:00 left"


class BlockApp(App[None]):
    def compose(self) -> ComposeResult:
        yield ItemBlock(ItemView("assistant", "Assistant", "", final=False))


def _shown_lines(block: ItemBlock) -> list[str]:
    """The body lines the block shows on screen, top to bottom, right-trimmed."""
    lines: list[str] = []
    for body in block.query_children(".item-body").results(Static):
        strips = body.render_lines(Region(0, 0, *body.outer_size))
        lines.extend(strip.text.rstrip() for strip in strips)
    return lines


async def test_streamed_markdown_keeps_every_paragraph() -> None:
    # A delta that ends in a blank line, then the next paragraph: both must stay on screen.
    app = BlockApp()
    async with app.run_test() as pilot:
        block = app.query_one(ItemBlock)
        for body in ("You said: hi\n\n", "You said: hi\n\nI am", "You said: hi\n\nI am the mock."):
            await block.show(ItemView("assistant", "Assistant", body, final=False))
        await pilot.pause()
        assert [line for line in _shown_lines(block) if line] == [
            " You said: hi",
            " I am the mock.",
        ]
        # A change that is not an append (the final text differs) replaces the text.
        await block.show(ItemView("assistant", "Assistant", "Something else.", final=False))
        await pilot.pause()
        assert [line for line in _shown_lines(block) if line] == [" Something else."]


REPLY = """Here is the plan:

1. read the **events**
2. fold the `deltas`

- one
- two

```json
{"type": "response.done"}
```

---

Done."""


async def test_a_reply_reads_the_same_while_streaming_and_when_done() -> None:
    app = BlockApp()
    async with app.run_test(size=(60, 40)) as pilot:
        block = app.query_one(ItemBlock)
        words = REPLY.split(" ")
        for count in range(1, len(words) + 1):
            body = " ".join(words[:count])
            await block.show(ItemView("assistant", "Assistant …", body, final=False))
        await pilot.pause()
        streaming = _shown_lines(block)
        assert not block.settled
        assert len(block.query_children(".item-body")) > 1  # Settled pieces are kept.
        await block.show(ItemView("assistant", "Assistant", REPLY, final=True))
        await pilot.pause()
        assert block.settled
        assert _shown_lines(block) == streaming
        assert "  1. read the events" in streaming  # Numbered "1.", as while streaming.


async def test_conversation_follows_new_text_unless_scrolled_up(offline_app: RtTuiApp) -> None:
    async with offline_app.run_test(size=(80, 24)) as pilot:
        await _replay(pilot)
        screen = main_screen(pilot)
        pane = screen.query_one(ConversationPane)
        await wait_for(pilot, lambda: pane.max_scroll_y > 0, "an overflowing conversation")
        await wait_for(pilot, lambda: pane.scroll_y == pane.max_scroll_y, "following the end")

        # Scrolled up: a new error appears below, the view stays where the user put it.
        pane.scroll_home(animate=False, immediate=True)
        await pilot.pause()
        error = '{"type":"error","error":{"type":"server_error","code":null,"message":"boom"}}'
        frame = Frame(Direction.RECEIVED, 9000.0, 0.0, error, event=parse_server_frame(error))
        screen.post_message(FrameBatch([frame], screen.session))
        await wait_for(pilot, lambda: len(screen.conversation.errors) == 2, "the new error")
        await wait_for(pilot, lambda: not pane.busy, "the pane to draw")
        await pilot.pause()
        assert pane.scroll_y == 0

        # Back at the end: the next one is followed.
        pane.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        frame = Frame(Direction.RECEIVED, 9100.0, 0.0, error, event=parse_server_frame(error))
        screen.post_message(FrameBatch([frame], screen.session))
        await wait_for(pilot, lambda: len(screen.conversation.errors) == 3, "the next error")
        await wait_for(pilot, lambda: not pane.busy, "the pane to draw")
        await wait_for(pilot, lambda: pane.scroll_y == pane.max_scroll_y, "following again")


async def test_a_final_item_settles_into_one_widget() -> None:
    app = BlockApp()
    async with app.run_test() as pilot:
        block = app.query_one(ItemBlock)
        await block.show(ItemView("assistant", "Assistant", "Streaming **text**", final=False))
        assert not block.settled
        await block.show(ItemView("assistant", "Assistant", "Streaming **text** done.", final=True))
        await pilot.pause()
        assert block.settled
        assert block.shown_body == "Streaming **text** done."
        assert len(block.children) == 2  # Header and body.


async def test_the_users_words_are_shown_as_typed() -> None:
    app = BlockApp()
    async with app.run_test() as pilot:
        block = app.query_one(ItemBlock)
        typed = "line one\nline **two**"
        await block.show(ItemView("user", "You", typed, final=True, markdown=False))
        await pilot.pause()
        assert str(block.query_one(".item-body").render()) == typed


async def test_the_empty_conversation_says_where_it_is_and_how_to_start(
    offline_app: RtTuiApp,
) -> None:
    async with offline_app.run_test(size=(120, 36)) as pilot:
        screen = main_screen(pilot)
        pane = screen.query_one(ConversationPane)
        hint = pane.query_one(".empty-hint", Static)
        assert pane.hint_shown
        assert "press Enter" in str(hint.render())
        assert "F1" in str(hint.render())
        screen.post_message(
            LinkChanged(
                LinkState.CONNECTED,
                host="api.openai.com",
                dialect=Dialect.GA,
                model="gpt-realtime",
                source=screen.session,
            )
        )
        await wait_for(
            pilot,
            lambda: "Connected to api.openai.com · gpt-realtime." in str(hint.render()),
            "the hint to name the endpoint",
        )
        # The first item takes its place; a fresh session brings it back.
        await _replay(pilot)
        assert not pane.hint_shown
        await screen.reset()
        assert pane.hint_shown
