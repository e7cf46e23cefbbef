"""The conversation pane's blocks, top to bottom, and where each starts.

Finding the block at a line is a bisection over their first lines. A block's height
changes only when it is measured (rendered at the column's width); the first lines are
brought up to date from the first block that moved, so a change at the end of the
conversation costs nothing for the blocks above it. Rendered lines are kept for the
blocks last drawn only, so a long session holds its heights and sources, not its lines.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from time import perf_counter

from textual.cache import LRUCache
from textual.strip import Strip

from rt_tui.tui.widgets.conversation_blocks import Block, Look

KEPT_BLOCKS = 48
"""How many blocks keep their rendered lines: two or three screens' worth of short replies,
so scrolling back and forth renders little, while an hour of replies does not keep every
line (a kept block holds ~8 KB once painted: each line is a Strip with caches of its own,
and the paint keeps filtered copies in them). The first 48 blocks drawn fill it, ~0.4 MB
(half a minute of a short reply a second): growth the soak probe sees, once."""


class BlockColumn:
    """Blocks in order, with their heights at one width and their first lines."""

    def __init__(self, new_look: Callable[[], Look], kept: int = KEPT_BLOCKS) -> None:
        self._new_look = new_look
        """How blocks render now (the widget's styles), asked when first needed."""
        self._look: Look | None = None
        self.width = 0
        """The width blocks render at (0: not known yet, nothing is measured)."""
        self._blocks: list[Block] = []
        self._tops: list[int] = []
        """Each block's first line; valid before `_stale_from`."""
        self._stale_from = 0
        self._drawn: LRUCache[Block, list[Strip]] = LRUCache(kept)

    def __len__(self) -> int:
        return len(self._blocks)

    def __getitem__(self, index: int) -> Block:
        return self._blocks[index]

    def __iter__(self) -> Iterator[Block]:
        return iter(self._blocks)

    # -- changing it -------------------------------------------------------------------

    def append(self, block: Block, *, measure: bool = True) -> None:
        """Add `block` at the end, measured if the width is known (else, or if not
        `measure`, its height is an estimate until it is)."""
        block.index = len(self._blocks)
        self._blocks.append(block)
        self._stale_from = min(self._stale_from, block.index)
        if measure:
            self.measure(block)
        else:
            block.height = block.estimate(max(1, self.width))

    def remove(self, block: Block) -> None:
        index = block.index
        del self._blocks[index]
        self._drawn.discard(block)
        self._stale_from = min(self._stale_from, index)
        for later in self._blocks[index:]:
            later.index -= 1
        block.index = -1

    def clear(self) -> None:
        for block in self._blocks:
            block.index = -1
        self._blocks.clear()
        self._tops.clear()
        self._stale_from = 0
        self._drawn.clear()

    def measure(self, block: Block) -> None:
        """Render `block` (it changed, or the width did) and note its height."""
        if self.width:
            self._render(block)

    def forget_lines(self, block: Block) -> None:
        """`block` shows something else: its height is an estimate until measured."""
        self._drawn.discard(block)
        block.measured_width = 0

    def set_width(self, width: int) -> bool:
        """Render at `width` from now on; True if that makes every height an estimate."""
        if width == self.width:
            return False
        self.width = width
        self._drawn.clear()
        return True

    @property
    def look(self) -> Look:
        if self._look is None:
            self._look = self._new_look()
        return self._look

    def restyle(self) -> None:
        """New colours (a theme): the same lines, rendered again as they are drawn."""
        if self._look is not None:
            new = self._new_look()
            if (new.base, new.parts) != (self._look.base, self._look.parts):
                self._look = new
                self._drawn.clear()

    def unmeasured(self, view_start: int | None) -> list[Block]:
        """The blocks whose height is an estimate at this width, the next to measure last:
        from block `view_start` (the view's first) down, then up; None (following the
        end): from the end up."""
        blocks = self._blocks
        if view_start is not None:
            blocks = blocks[:view_start] + blocks[view_start:][::-1]
        return [block for block in blocks if not self.measured(block)]

    def measure_to_fill(self, blocks: Sequence[Block], room: int) -> list[Block]:
        """Measure the last of `blocks` (still held) while they fill `room` lines; the rest,
        their heights estimates, in the order `measure_until` takes them (nearest last)."""
        rest: list[Block] = []
        for block in reversed(blocks):
            if block.index < 0:
                continue
            if room > 0:
                self.measure(block)
                room -= block.height
            else:
                rest.append(block)
        return rest[::-1]

    def measure_until(self, queue: list[Block], deadline: float) -> None:
        """Measure blocks popped from the end of `queue` until it is empty or
        `time.perf_counter()` passes `deadline` (blocks since removed are skipped)."""
        while queue and perf_counter() < deadline:
            block = queue.pop()
            if block.index >= 0 and not self.measured(block):
                self.measure(block)

    # -- reading it --------------------------------------------------------------------

    def measured(self, block: Block) -> bool:
        return block.measured_width == self.width

    def lines_of(self, block: Block) -> list[Strip]:
        """`block`'s lines, rendered unless kept (measuring it on the way)."""
        lines = self._drawn.get(block)
        return self._render(block) if lines is None else lines

    def total(self) -> int:
        """How many lines the blocks take."""
        self._fix_tops()
        return self._tops[-1] + self._blocks[-1].height if self._blocks else 0

    def top(self, block: Block) -> int:
        """The first line of `block`."""
        self._fix_tops()
        return self._tops[block.index]

    def index_at(self, line: int) -> int:
        """The index of the block holding `line` (clamped to the first and last)."""
        self._fix_tops()
        return min(len(self._blocks) - 1, max(0, bisect_right(self._tops, line) - 1))

    def lines_between(self, start: int, end: int) -> Iterator[tuple[int, Strip]]:
        """Lines `start` to `end` (exclusive), each with its number."""
        if not self._blocks:
            return
        index = self.index_at(start)
        while index < len(self._blocks) and self._tops[index] < end:
            top, lines = self._tops[index], self.lines_of(self._blocks[index])
            for row in range(max(0, start - top), min(len(lines), end - top)):
                yield top + row, lines[row]
            index += 1

    # -- inside ------------------------------------------------------------------------

    def _render(self, block: Block) -> list[Strip]:
        lines = block.render(self.look, max(1, self.width))
        self._drawn.discard(block)  # `LRUCache.set` keeps an old value.
        self._drawn[block] = lines
        if block.index >= 0 and self.width:
            if block.height != len(lines):
                block.height = len(lines)
                self._stale_from = min(self._stale_from, block.index + 1)
            block.measured_width = self.width
        return lines

    def _fix_tops(self) -> None:
        """Bring the first lines up to date, from the first block that moved."""
        start, blocks, tops = self._stale_from, self._blocks, self._tops
        if start >= len(blocks):
            del tops[len(blocks) :]
            return
        del tops[start:]
        y = tops[-1] + blocks[start - 1].height if start else 0
        for block in blocks[start:]:
            tops.append(y)
            y += block.height
        self._stale_from = len(blocks)
