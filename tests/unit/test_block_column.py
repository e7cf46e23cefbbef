"""The conversation pane's column of blocks: heights, first lines, kept lines (no app)."""

from __future__ import annotations

import io

from rich.console import Console
from rich.style import Style
from textual.strip import Strip

from rt_tui.tui.widgets.block_column import BlockColumn
from rt_tui.tui.widgets.conversation_blocks import Look, NoticeBlock

CONSOLE = Console(file=io.StringIO(), width=80, color_system=None)


def _look() -> Look:
    return Look(CONSOLE, CONSOLE.options, Style(), {})


class CountedNotice(NoticeBlock):
    """A notice that counts how often it is rendered."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.renders = 0

    def render(self, look: Look, width: int) -> list[Strip]:
        self.renders += 1
        return super().render(look, width)


def _column(*texts: str, width: int = 22, kept: int = 16) -> BlockColumn:
    column = BlockColumn(_look, kept=kept)
    column.set_width(width)
    for text in texts:
        column.append(NoticeBlock(text))
    return column


def test_blocks_are_found_by_line() -> None:
    # 20 cells of text a line (a margin each side): "b" wraps to two lines; each has a blank.
    column = _column("a", "b " * 15, "c")
    assert [block.height for block in column] == [2, 3, 2]
    assert column.total() == 7
    assert [column.top(block) for block in column] == [0, 2, 5]
    assert [column.index_at(line) for line in range(7)] == [0, 0, 1, 1, 1, 2, 2]
    assert [strip.text.strip() for _, strip in column.lines_between(1, 4)] == [
        "",
        "b b b b b b b b b b",
        "b b b b b",
    ]


def test_a_block_that_grows_moves_only_the_ones_below() -> None:
    column = _column("a", "b", "c")
    middle = column[1]
    assert isinstance(middle, NoticeBlock)
    middle.text = "b " * 15
    column.measure(middle)
    assert [column.top(block) for block in column] == [0, 2, 5]
    assert column.total() == 7


def test_a_removed_block_leaves_no_gap() -> None:
    column = _column("a", "b", "c")
    first, middle, last = list(column)
    column.remove(middle)
    assert list(column) == [first, last]
    assert (middle.index, last.index) == (-1, 1)
    assert column.top(last) == 2
    assert column.total() == 4


def test_a_new_width_makes_heights_estimates_until_measured() -> None:
    column = _column("b " * 15, width=22)
    [block] = list(column)
    assert block.height == 3
    assert column.set_width(60)
    assert not column.set_width(60)  # The same width again changes nothing.
    assert not column.measured(block)
    assert block.height == 3  # The old height stands in until it is measured again.
    column.lines_of(block)
    assert column.measured(block)
    assert block.height == 2


def test_only_the_last_drawn_blocks_keep_their_lines() -> None:
    column = _column(kept=2)
    blocks = [CountedNotice(text) for text in "abc"]
    for block in blocks:
        column.append(block)
    assert [block.renders for block in blocks] == [1, 1, 1]  # Measured once, when added.
    column.lines_of(blocks[2])  # Kept: not rendered again.
    column.lines_of(blocks[0])  # Dropped to keep two: rendered again.
    assert [block.renders for block in blocks] == [2, 1, 1]


def test_a_burst_of_blocks_renders_only_those_that_fill_the_view() -> None:
    # Added with estimates, then the last ones measured until they fill the view: the
    # rest wait, the nearest to the view first in line (taken from the end).
    column = _column()
    blocks = [CountedNotice(f"note {n}") for n in range(10)]
    for block in blocks:
        column.append(block, measure=False)
    assert [block.renders for block in blocks] == [0] * 10
    assert column.total() == 10  # An estimate of a line each (a notice takes two).

    rest = column.measure_to_fill(blocks, room=5)
    assert [block.renders for block in blocks] == [0] * 7 + [1] * 3
    assert rest == blocks[:7]
    assert not column.measured(rest[-1])
    column.measure_until(rest, float("inf"))
    assert [block.renders for block in blocks] == [1] * 10
    assert column.total() == 20
