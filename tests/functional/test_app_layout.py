"""The main screen offline (no server): layout, keys, details, status bar wording."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest
from conftest_app import main_screen, pane_items, pane_texts, screen_text, wait_for
from rich.text import Text
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.strip import Strip

from rt_tui.config import Config
from rt_tui.dialect import Dialect
from rt_tui.inspector import samples
from rt_tui.realtime.conversation import Conversation
from rt_tui.realtime.events import parse_server_frame
from rt_tui.realtime.frames import Direction, Frame
from rt_tui.realtime.recorder import read_log
from rt_tui.tui.app import RtTuiApp, make_app
from rt_tui.tui.messages import FrameBatch, LinkChanged, LinkState
from rt_tui.tui.widgets import block_view
from rt_tui.tui.widgets.composer import Composer
from rt_tui.tui.widgets.conversation import ConversationPane
from rt_tui.tui.widgets.conversation_blocks import ItemBlock, Look
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
        conversation = screen.conversation_box.region
        inspector = screen.query_one(EventInspector).region
        assert not screen.has_class("-narrow")
        assert inspector.x >= conversation.right
        assert inspector.y == conversation.y


async def test_narrow_terminal_stacks_the_inspector_below(offline_app: RtTuiApp) -> None:
    async with offline_app.run_test(size=(80, 24)) as pilot:
        screen = main_screen(pilot)
        conversation = screen.conversation_box.region
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
        pane = screen.query_one(ConversationPane)
        assert pane_texts(pane, "response") == [
            "◆ response ✓ completed",
            "◆ response ⊘ cancelled (client_cancelled)",
        ]
        [error] = pane_texts(pane, "error")
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
        first = pane_texts(pane, "response")[0]
        assert "first delta 300 ms" in first
        assert "total 509 ms" in first
        assert "128 in / 46 out tokens" in first
        await pilot.press("f4")
        await wait_for(pilot, lambda: not pane.busy, "the pane to draw")
        assert pane_texts(pane, "response")[0] == "◆ response ✓ completed"


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


class StatusApp(App[None]):
    """The status bar alone, on a clock the test moves."""

    def __init__(self) -> None:
        super().__init__()
        self.now = 1000.0

    def compose(self) -> ComposeResult:
        yield StatusBar(clock=lambda: self.now)


async def test_the_countdown_repaints_the_bar_once_a_second_not_on_every_look(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    painted: list[str] = []
    render = StatusBar.render

    def noted(bar: StatusBar) -> Text:
        text = render(bar)
        painted.append(text.plain)
        return text

    monkeypatch.setattr(StatusBar, "render", noted)
    app = StatusApp()
    async with app.run_test(size=(80, 3)) as pilot:
        bar = app.query_one(StatusBar)
        bar.set_link(LinkState.CONNECTED, host="example.com")
        await wait_for(pilot, lambda: painted and "60:00 left" in painted[-1], "the bar")
        before = len(painted)
        await asyncio.sleep(1.2)  # two or three looks, the same second: nothing new to paint
        assert len(painted) == before
        app.now += 1.0
        await wait_for(pilot, lambda: "59:59 left" in painted[-1], "the next second")
        assert len(painted) == before + 1


def test_time_left_counts_down_to_the_limit() -> None:
    assert format_left(0) == "00:00 left"
    assert format_left(-5) == "00:00 left"
    assert format_left(723.1) == "12:04 left"
    assert format_left(3600) == "60:00 left"


class PaneApp(App[None]):
    """The conversation pane alone, fed through its `show_change` as the screen feeds it."""

    def __init__(self) -> None:
        super().__init__()
        self.conversation = Conversation()

    def compose(self) -> ComposeResult:
        yield ConversationPane()

    async def feed(self, pilot: Pilot[None], *frames: Frame) -> None:
        """Apply `frames` to the conversation, hand the pane each change, wait for it."""
        pane = self.query_one(ConversationPane)
        for frame in frames:
            pane.show_change(self.conversation, self.conversation.apply(frame))
        await wait_for(pilot, lambda: not pane.busy, "the pane to draw")


def _item_added(item_id: str = "item_1", role: str = "assistant") -> Frame:
    item = {"id": item_id, "type": "message", "role": role, "status": "in_progress"}
    return samples.received(
        {
            "type": "response.output_item.added",
            "response_id": "resp_1",
            "output_index": 0,
            "item": {**item, "content": []},
        }
    )


def _item_done(text: str, item_id: str = "item_1") -> Frame:
    item = {"id": item_id, "type": "message", "role": "assistant", "status": "completed"}
    return samples.received(
        {
            "type": "response.output_item.done",
            "response_id": "resp_1",
            "output_index": 0,
            "item": {**item, "content": [{"type": "output_text", "text": text}]},
        }
    )


def _text_done(text: str, item_id: str = "item_1") -> Frame:
    """The server's final text of the part, while the item still streams."""
    return samples.received(
        {
            "type": "response.output_text.done",
            "response_id": "resp_1",
            "item_id": item_id,
            "output_index": 0,
            "content_index": 0,
            "text": text,
        }
    )


def _body_lines(pane: ConversationPane, header: str = "Assistant") -> list[str]:
    """The lines the pane shows under its one item's header, right-trimmed."""
    lines = pane.lines()
    start = next(n for n, line in enumerate(lines) if line.strip().startswith(header))
    return lines[start + 1 :]


async def test_streamed_markdown_keeps_every_paragraph() -> None:
    # A delta that ends in a blank line, then the next paragraph: both must stay on screen.
    app = PaneApp()
    async with app.run_test() as pilot:
        pane = app.query_one(ConversationPane)
        await app.feed(pilot, _item_added())
        for delta in ("You said: hi\n\n", "I am", " the mock."):
            await app.feed(pilot, samples.text_delta(delta))
        assert [line for line in _body_lines(pane) if line] == [
            " You said: hi",
            " I am the mock.",
        ]
        # A change that is not an append (the final text differs) replaces the text.
        await app.feed(pilot, _text_done("Something else."))
        assert [line for line in _body_lines(pane) if line] == [" Something else."]


async def test_text_added_while_the_view_stays_put_repaints_its_lines_only() -> None:
    # Textual renders every line of a widget refreshed whole again; a streaming reply that
    # grows in place changes a line or two, so only those may be painted again.
    app = PaneApp()
    async with app.run_test(size=(60, 30)) as pilot:
        pane = app.query_one(ConversationPane)
        await app.feed(pilot, _item_added(), samples.text_delta("The first words"))
        await wait_for(pilot, lambda: "The first words" in screen_text(app), "the text")
        painted: list[int] = []
        paint = pane.render_line

        def noting_paint(y: int) -> Strip:
            painted.append(y)
            return paint(y)

        pane.render_line = noting_paint  # type: ignore[method-assign]
        await app.feed(pilot, samples.text_delta(" and some more"))
        await wait_for(pilot, lambda: "words and some more" in screen_text(app), "the new text")
        assert 0 < len(set(painted)) <= 2 < pane.size.height


async def test_text_streamed_below_the_view_is_followed_by_jumps(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Following moves the view (every line repainted) at most once a JUMP_S, taking all the
    # new lines at once; meanwhile the view stays, and it catches up when the text stops.
    monkeypatch.setattr(block_view, "JUMP_S", 3600.0)
    app = PaneApp()
    async with app.run_test(size=(40, 12)) as pilot:
        pane = app.query_one(ConversationPane)
        await app.feed(pilot, _item_added())
        lines = [f"line {n}\n\n" for n in range(30)]
        await app.feed(pilot, samples.text_delta("".join(lines[:20])))
        assert pane.scroll_y == pane.max_scroll_y > 0  # The first jump follows at once.
        top = pane.scroll_y
        for line in lines[20:]:
            pane.show_change(app.conversation, app.conversation.apply(samples.text_delta(line)))
            await pilot.pause()
        assert pane.scroll_y == top  # Held: the next jump is an hour away.
        assert pane.busy
        assert "line 29" not in screen_text(app)
        pane.add_notice("A notice shows at once, and the text before it.")
        await wait_for(pilot, lambda: "line 29" in screen_text(app), "the jump")
        assert pane.scroll_y == pane.max_scroll_y

    monkeypatch.setattr(block_view, "JUMP_S", 0.05)
    app = PaneApp()
    async with app.run_test(size=(40, 12)) as pilot:
        await app.feed(pilot, _item_added(), samples.text_delta("".join(lines[:20])))
        await app.feed(pilot, samples.text_delta("".join(lines[20:])))
        await wait_for(pilot, lambda: "line 29" in screen_text(app), "the catch-up jump")


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
    app = PaneApp()
    async with app.run_test(size=(60, 40)) as pilot:
        pane = app.query_one(ConversationPane)
        await app.feed(pilot, _item_added())
        words = REPLY.split(" ")
        for count, word in enumerate(words):
            # Each word drawn before the next, as a slow stream would be.
            await app.feed(pilot, samples.text_delta(word if count == 0 else f" {word}"))
        streaming = _body_lines(pane)
        [block] = pane_items(pane)
        assert not block.final
        assert block.settled_length > 0  # Settled pieces are kept, not rendered again.
        await app.feed(pilot, _item_done(REPLY))
        assert block.final
        assert block.settled_length == 0  # Final: rendered whole, once.
        assert _body_lines(pane) == streaming
        assert "  1. read the events" in streaming  # Numbered "1.", as while streaming.


async def test_a_final_item_renders_once_and_costs_nothing_later() -> None:
    app = PaneApp()
    async with app.run_test() as pilot:
        pane = app.query_one(ConversationPane)
        await app.feed(pilot, _item_added("item_1"), samples.text_delta("Streaming **text**"))
        await app.feed(pilot, _item_done("Streaming **text** done.", "item_1"))
        [first] = pane_items(pane)
        assert first.final
        assert first.body == "Streaming **text** done."
        assert " Streaming text done." in pane.lines()

        rendered: list[str] = []
        render = ItemBlock.render

        def counting(block: ItemBlock, look: Look, width: int) -> list[Strip]:
            rendered.append(block.body)
            return render(block, look, width)

        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(ItemBlock, "render", counting)
            await app.feed(pilot, _item_added("item_2"))
            for word in ("More", " text", " streams", " below."):
                await app.feed(pilot, samples.text_delta(word, item_id="item_2"))
        assert rendered  # The streaming item was drawn at each step…
        assert "Streaming **text** done." not in rendered  # …the finished one never again.
        assert not pane.children  # Lines, not a widget per item.


def _user_item(number: int) -> Frame:
    words = " ".join(["word"] * (number % 7 * 9))
    item = {"id": f"item_{number}", "type": "message", "role": "user", "status": "completed"}
    content = [{"type": "input_text", "text": f"Item {number} {words}"}]
    return samples.received(
        {"type": "conversation.item.added", "item": {**item, "content": content}}
    )


def _first_item_on_screen(app: App[None]) -> int:
    numbers = re.findall(r"Item (\d+)", screen_text(app))
    return int(numbers[0])


async def test_a_new_width_rewraps_every_item_and_keeps_the_place() -> None:
    app = PaneApp()
    async with app.run_test(size=(80, 30)) as pilot:
        pane = app.query_one(ConversationPane)
        await app.feed(pilot, *map(_user_item, range(60)))
        assert pane.scroll_y == pane.max_scroll_y > 0
        assert pane.virtual_size.height == len(pane.lines())

        # At the end, it stays at the end.
        await pilot.resize_terminal(50, 30)
        await wait_for(pilot, lambda: not pane.busy, "the pane to measure the blocks again")
        assert pane.virtual_size.height == len(pane.lines())  # Every block at the new width.
        assert max(map(len, pane.lines())) <= pane.scrollable_content_region.width
        assert pane.scroll_y == pane.max_scroll_y

        # Scrolled up, the same item stays at the top.
        pane.focus()
        await pilot.press("pageup", "pageup", "pageup")
        assert not pane.follow
        first = _first_item_on_screen(app)
        await pilot.resize_terminal(90, 30)
        await wait_for(pilot, lambda: not pane.busy, "the pane to measure the blocks again")
        assert pane.virtual_size.height == len(pane.lines())
        assert _first_item_on_screen(app) == first
        assert not pane.follow


async def test_new_lines_do_not_lay_out_the_whole_screen_again() -> None:
    app = PaneApp()
    async with app.run_test(size=(60, 20)) as pilot:
        pane = app.query_one(ConversationPane)
        await app.feed(pilot, *map(_user_item, range(30)))  # Overflowing: a scrollbar shows.
        await pilot.pause()  # The layout that shows it.
        layouts: list[object] = []
        screen = app.screen
        screen.screen_layout_refresh_signal.subscribe(screen, layouts.append, immediate=True)
        for number in range(30, 50):
            await app.feed(pilot, _user_item(number))
        await pilot.pause()
        assert layouts == []  # Each new line repaints the pane, and only the pane.
        assert "Item 49" in screen_text(app)  # Still following the end.
        assert pane.scroll_y == pane.max_scroll_y


async def test_the_conversation_can_be_selected_with_the_mouse_and_copied() -> None:
    app = PaneApp()
    async with app.run_test(size=(60, 20)) as pilot:
        pane = app.query_one(ConversationPane)
        await app.feed(pilot, *map(_user_item, range(3)))
        # From "em 0" (line 1, after the margin and "It") down into the next item's body.
        await pilot.mouse_down(pane, offset=(3, 1))
        await pilot.hover(pane, offset=(10, 4))
        await pilot.mouse_up(pane, offset=(10, 4))
        assert app.screen.get_selected_text() == "em 0\n\nYou\nItem 1 wor"
        selected = app.screen.get_component_rich_style("screen--selection")
        line = pane.render_line(1)
        assert [s.text for s in line if s.style and s.style.bgcolor == selected.bgcolor] == ["em 0"]
        await pilot.double_click(pane, offset=(3, 1))  # Everything.
        text = app.screen.get_selected_text()
        assert text is not None
        assert text.startswith("You\nItem 0\n\nYou\nItem 1 word")
        assert text.endswith("word word")


async def test_the_users_words_are_shown_as_typed() -> None:
    app = PaneApp()
    async with app.run_test() as pilot:
        pane = app.query_one(ConversationPane)
        typed = "line one\nline **two**"
        user_item = {"id": "item_u", "type": "message", "role": "user", "status": "completed"}
        content = [{"type": "input_text", "text": typed}]
        await app.feed(
            pilot,
            samples.received(
                {"type": "conversation.item.added", "item": {**user_item, "content": content}}
            ),
        )
        assert _body_lines(pane, "You")[:2] == [" line one", " line **two**"]


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


async def test_the_conversation_takes_its_colours_from_the_theme(offline_app: RtTuiApp) -> None:
    async with offline_app.run_test(size=(160, 48)) as pilot:
        await _replay(pilot)
        pane = main_screen(pilot).query_one(ConversationPane)

        def error_colour() -> object:
            row = next(n for n, line in enumerate(pane.lines()) if line.startswith(" ⚠"))
            segment = next(
                s for s in pane.render_line(row - round(pane.scroll_y)) if s.text.strip()
            )
            assert segment.style is not None
            return segment.style.color

        before = error_colour()
        assert before == pane.get_component_rich_style("conversation-pane--error").color
        offline_app.theme = "textual-light"
        await wait_for(
            pilot,
            lambda: (
                error_colour() == pane.get_component_rich_style("conversation-pane--error").color
            ),
            "the error line in the new theme's colour",
        )
        assert error_colour() != before


async def test_the_empty_conversation_says_where_it_is_and_how_to_start(
    offline_app: RtTuiApp,
) -> None:
    async with offline_app.run_test(size=(120, 36)) as pilot:
        screen = main_screen(pilot)
        pane = screen.query_one(ConversationPane)
        assert pane.hint_shown
        assert "press Enter" in pane.text()
        assert "F1" in pane.text()
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
            lambda: "Connected to api.openai.com · gpt-realtime." in pane.text(),
            "the hint to name the endpoint",
        )
        # The first item takes its place; a fresh session brings it back.
        await _replay(pilot)
        assert not pane.hint_shown
        await screen.reset()
        assert pane.hint_shown
