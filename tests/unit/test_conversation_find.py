"""Finding things among the conversation pane's blocks, without an app: the block to
select next, where to scroll to show one, and text matches."""

from __future__ import annotations

from rich.console import Console
from rich.style import Style

from rt_tui.tui.widgets.block_column import BlockColumn
from rt_tui.tui.widgets.conversation_blocks import ItemBlock, Look, NoticeBlock, ResponseBlock
from rt_tui.tui.widgets.conversation_find import Finder, scroll_to_show, step_target
from rt_tui.tui.widgets.conversation_views import ItemView


def column_of(*texts: str) -> BlockColumn:
    """Items with these bodies, a response after the first, a notice at the end."""
    console = Console(width=40)
    look = Look(console, console.options, Style(), {})
    column = BlockColumn(lambda: look)
    column.set_width(40)
    for n, text in enumerate(texts):
        block = ItemBlock(ItemView("user", "You", text, markdown=False))
        block.key = ("item", f"i{n}")
        column.append(block)
        if n == 0:
            response = ResponseBlock("◆ response ✓ completed", "", with_details=False)
            response.key = ("response", "r0")
            column.append(response)
    column.append(NoticeBlock("a notice of the app's own, not an item"))
    return column


def test_steps_go_through_items_and_responses_only() -> None:
    column = column_of("one", "two")
    items = [column[0], column[1], column[2]]
    assert step_target(column, None, -1, (0, 100)) is items[-1]  # The last in view.
    assert step_target(column, None, 1, (0, 100)) is items[0]
    assert step_target(column, items[0], 1, (0, 100)) is items[1]
    assert step_target(column, items[2], 1, (0, 100)) is items[2]  # The end: it stays.
    assert step_target(column_of(), None, 1, (0, 10)) is None


def test_scrolling_shows_a_block_or_a_line_with_its_head() -> None:
    column = column_of("a\n" * 30, "b")
    long_item = column[0]
    assert scroll_to_show(column, long_item, None, (0, 10)) is None  # Its top is in view.
    below = column[2]  # Scrolled just enough for all of it to show, at the bottom.
    assert scroll_to_show(column, below, None, (0, 10)) == column.top(below) + below.height - 10
    assert scroll_to_show(column, long_item, 5, (20, 10)) == 0  # Back to its head.
    assert scroll_to_show(column, long_item, 25, (0, 10)) == 22  # The line, 3 lines before.


def test_matches_are_found_in_the_lines_as_drawn_and_wrap_around() -> None:
    column = column_of("Find the needle here", "no match", "a NEEDLE too")
    finder = Finder(column)
    finder.set_query("needle")
    assert finder.step(1) == (1, 2)
    assert finder.current is not None
    assert finder.current.block is column[0]
    assert finder.step(1) == (2, 2)
    assert finder.step(1) == (1, 2)
    assert finder.step(-1) == (2, 2)
    line = column.lines_of(column[3])[1].text
    assert finder.spans(column[3], 1, line) == [(3, 9, True)]
    finder.set_query("")
    assert not finder.active
    assert finder.step(1) == (0, 0)
