"""The blocks that show a conversation: one per item, response and error, kept up to date.

The pane notes what a change touched as keys (`PendingKey`); `ConversationDrafts.draw`
then brings the block of each key up to date in the pane's `BlockColumn`: a new one at the
end, one whose content changed measured again, one whose item went taken out.
"""

from __future__ import annotations

from math import inf
from time import perf_counter

from rt_tui.realtime.conversation import Conversation
from rt_tui.tui.widgets.block_column import BlockColumn
from rt_tui.tui.widgets.conversation_blocks import Block, ErrorBlock, ItemBlock, ResponseBlock
from rt_tui.tui.widgets.conversation_views import (
    describe_error,
    describe_item,
    describe_response,
)

PendingKey = tuple[str, str]
"""("response" | "item", id) or ("error", index in `Conversation.errors`): what to draw,
kept in the order changes arrived, so the pane reads in frame order."""


def error_key(index: int) -> PendingKey:
    """The pending key of the conversation's error at `index`."""
    return "error", str(index)


class ConversationDrafts:
    """The conversation's blocks in `column`, found by their key."""

    def __init__(self, column: BlockColumn) -> None:
        self.column = column
        self.show_details = False
        """Responses show their usage and latency (F4)."""
        self._keyed: dict[PendingKey, Block] = {}
        self._added: list[Block] = []

    def clear(self) -> None:
        self._keyed.clear()
        self._added.clear()

    def take_added(self) -> list[Block]:
        """The blocks added since the last call, in order, their heights estimates: the
        pane measures those the view shows (see `ConversationPane._measure_added`)."""
        added, self._added = self._added, []
        return added

    def _add(self, block: Block) -> None:
        self.column.append(block, measure=False)
        self._added.append(block)

    def toggle_details(self) -> None:
        """Show or hide usage and latency under each response (their lines are then
        estimates until measured again)."""
        self.show_details = not self.show_details
        for block in self.column:
            if isinstance(block, ResponseBlock):
                block.update(block.summary, block.details, with_details=self.show_details)
                self.column.forget_lines(block)

    def draw_until(
        self, conversation: Conversation, keys: list[PendingKey], deadline: float = inf
    ) -> int:
        """Draw `keys` in order until `time.perf_counter()` passes `deadline` (one at least);
        how many were drawn."""
        done = 0
        for key in keys:
            done += 1
            self.draw(conversation, key)
            if perf_counter() > deadline:
                break
        return done

    def draw(self, conversation: Conversation, key: PendingKey) -> None:
        """Bring the block of `key` up to what `conversation` says now."""
        kind, name = key
        if kind == "item":
            self._draw_item(conversation, name)
        elif kind == "response":
            self._draw_response(conversation, name)
        else:
            self._draw_error(conversation, int(name))

    def _draw_item(self, conversation: Conversation, item_id: str) -> None:
        key = ("item", item_id)
        block = self._keyed.get(key)
        item = conversation.item(item_id)
        if item is None:
            if block is not None:
                del self._keyed[key]
                self.column.remove(block)
            return
        audio = conversation.audio
        view = describe_item(item, audio.duration_ms(item_id) if item_id in audio else None)
        if block is None:
            self._keyed[key] = block = ItemBlock(view)
            self._add(block)
        elif isinstance(block, ItemBlock) and block.update(view):
            self.column.measure(block)

    def _draw_response(self, conversation: Conversation, response_id: str) -> None:
        response = conversation.responses.get(response_id)
        if response is None:
            return
        summary, details = describe_response(response)
        key = ("response", response_id)
        block = self._keyed.get(key)
        if block is None:
            block = ResponseBlock(summary, details, with_details=self.show_details)
            self._keyed[key] = block
            self._add(block)
        elif isinstance(block, ResponseBlock) and block.update(
            summary, details, with_details=self.show_details
        ):
            self.column.measure(block)

    def _draw_error(self, conversation: Conversation, index: int) -> None:
        if index < len(conversation.errors):
            self._add(ErrorBlock(describe_error(conversation.errors[index])))
