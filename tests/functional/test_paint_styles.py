"""Painting a long session's new lines makes no new styles.

Textual keeps the ANSI codes of every style it paints (an LRU of 16,384 styles, ~8 MB
full). Lines that each carry styles of their own (selection offsets) fill it a few dozen
styles a reply, so a session grew by megabytes over its first minutes: the lines the
conversation pane and the inspector's rows paint share their styles.
"""

from __future__ import annotations

from pathlib import Path

from conftest_app import wait_for
from test_app_layout import PaneApp
from test_inspector import InspectorHost, add_and_settle, rows_of
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

from rt_tui.inspector import samples
from rt_tui.realtime.frames import Frame
from rt_tui.tui.widgets.conversation import ConversationPane


def painted_styles(widget: Widget) -> set[int]:
    """The distinct style objects of the lines `widget` paints now."""
    region = Region(0, 0, widget.size.width, widget.size.height)
    lines: list[Strip] = widget.render_lines(region)
    return {id(segment.style) for line in lines for segment in line if segment.style}


def message(number: int) -> Frame:
    item = {"id": f"item_{number}", "type": "message", "role": "user", "status": "completed"}
    content = [{"type": "input_text", "text": f"Message {number}"}]
    return samples.received(
        {"type": "conversation.item.added", "item": {**item, "content": content}}
    )


async def test_the_conversation_paints_its_lines_with_shared_styles() -> None:
    app = PaneApp()
    async with app.run_test(size=(60, 30)) as pilot:
        pane = app.query_one(ConversationPane)
        await app.feed(pilot, *map(message, range(40)))
        # Dozens of lines in view, each a margin, a header or text: a handful of styles.
        assert len(painted_styles(pane)) < 10
        # Selecting with the mouse still finds where it lands in the text.
        await pilot.mouse_down(pane, offset=(3, 1))
        await pilot.hover(pane, offset=(9, 1))
        await pilot.mouse_up(pane, offset=(9, 1))
        assert app.screen.get_selected_text() is not None


async def test_the_inspector_paints_its_rows_with_shared_styles(tmp_path: Path) -> None:
    app = InspectorHost(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        frames = [samples.error_frame("c", f"error {k}", k) for k in range(60)]
        await add_and_settle(pilot, app, frames)
        rows = rows_of(app)
        await wait_for(pilot, lambda: rows.scroll_y == rows.max_scroll_y > 0, "the tail")
        # 38 rows in view, each the same six columns' styles.
        assert len(painted_styles(rows)) < 12
