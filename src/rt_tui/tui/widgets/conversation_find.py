"""Finding things in the conversation pane's blocks: the item or response to select next,
where to scroll to show one, and text: every match, the one after or before a place, and
the spans of a line to highlight.

Matches are found in the lines as drawn (Markdown rendered and wrapped), since that is
what the user reads. Only the blocks whose source holds every word of the query are
rendered and searched, so finding a word in an hour of replies renders the few blocks
that hold it, not all of them. A match that a line break splits is not found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rt_tui.tui.widgets.block_column import BlockColumn
from rt_tui.tui.widgets.conversation_blocks import Block, ItemBlock, LineBlock, ResponseBlock


def source_text(block: Block) -> str:
    """What a block shows, before rendering: where a search looks first."""
    if isinstance(block, ItemBlock):
        return f"{block.header}\n{block.body}"
    if isinstance(block, ResponseBlock | LineBlock):
        return block.text
    return ""


@dataclass(frozen=True, slots=True)
class Match:
    """One occurrence of the query: in line `row` of `block`, characters `start` to `end`."""

    block: Block
    row: int
    start: int
    end: int

    @property
    def order(self) -> tuple[int, int, int]:
        return self.block.index, self.row, self.start


class Finder:
    """The query being looked for in a column of blocks, and the current match."""

    def __init__(self, column: BlockColumn) -> None:
        self._column = column
        self.query = ""
        self._pattern: re.Pattern[str] | None = None
        self._words: list[str] = []
        self.current: Match | None = None

    @property
    def active(self) -> bool:
        return self._pattern is not None

    def set_query(self, query: str) -> None:
        """Look for `query` (case-insensitive) from now on; '' looks for nothing."""
        self.query = query
        self.current = None
        text = query.strip()
        self._pattern = re.compile(re.escape(text), re.IGNORECASE) if text else None
        self._words = text.casefold().split()

    def matches(self) -> list[Match]:
        """Every match, top to bottom (rendering the blocks that may hold one)."""
        pattern = self._pattern
        if pattern is None:
            return []
        found = []
        for block in self._column:
            source = source_text(block).casefold()
            if not all(word in source for word in self._words):
                continue
            for row, strip in enumerate(self._column.lines_of(block)):
                found += [Match(block, row, *m.span()) for m in pattern.finditer(strip.text)]
        return found

    def step(self, step: int, from_line: int = 0) -> tuple[int, int]:
        """Make the next (`step` 1) or previous (-1) match current, after or before the
        current one or, with none, from line `from_line`; wraps around the ends. Returns
        the current match's number (from 1; 0 for none) and how many there are."""
        found = self.matches()
        if not found:
            self.current = None
            return 0, 0
        current = self.current
        if current is not None and current.block.index >= 0:
            here = current.order
            if step > 0:
                later = [n for n, m in enumerate(found) if m.order > here]
                index = later[0] if later else 0
            else:
                earlier = [n for n, m in enumerate(found) if m.order < here]
                index = earlier[-1] if earlier else len(found) - 1
        else:
            column = self._column
            below = [n for n, m in enumerate(found) if column.top(m.block) + m.row >= from_line]
            index = below[0] if below else 0
        self.current = found[index]
        return index + 1, len(found)

    def spans(self, block: Block, row: int, text: str) -> list[tuple[int, int, bool]]:
        """Where the query is in `text` (line `row` of `block`): (start, end, current)."""
        pattern = self._pattern
        if pattern is None:
            return []
        current = self.current
        return [
            (
                m.start(),
                m.end(),
                current is not None
                and current.block is block
                and (current.row, current.start) == (row, m.start()),
            )
            for m in pattern.finditer(text)
        ]


View = tuple[int, int]
"""The pane's first line in view and how many lines it shows."""


def step_target(column: BlockColumn, current: Block | None, step: int, view: View) -> Block | None:
    """The item or response block to select after `current` (`step` 1) or before it (-1);
    with none, the last one in view going up or the first going down. None for none."""
    keyed = [block for block in column if block.key is not None]
    if not keyed:
        return None
    if current is not None and current.index >= 0:
        further = [b for b in keyed if (b.index - current.index) * step > 0]
        if not further:
            return current
        return further[0] if step > 0 else further[-1]
    top, height = view
    shown = [b for b in keyed if column.top(b) < top + height] or keyed
    in_view = [b for b in shown if column.top(b) + b.height > top] or shown
    return in_view[-1] if step < 0 else in_view[0]


CONTEXT_LINES = 3
"""Lines kept in view above a line scrolled to (a match): what leads up to it."""


def scroll_to_show(column: BlockColumn, block: Block, row: int | None, view: View) -> int | None:
    """The first line to scroll to so that `block` (or its line `row`) is in view; None
    when it is already. A block shows from its top when it fits (a line of it too, when
    that keeps the line in view); else a line shows with a little of what comes before."""
    top = column.top(block)
    y, height = view
    if row is None:
        first, last = top, top + block.height - 1
        taller = last - first >= height
        if y <= first < y + height and (taller or last < y + height):
            return None  # In view, or as much of it as fits, from its top.
        return first if taller or first < y else last - height + 1
    line = top + row
    if y <= line < y + height:
        return None
    if line - top < height:
        return top  # The head of the block, the line with it.
    return max(top, line - CONTEXT_LINES)
