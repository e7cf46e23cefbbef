"""Which block of the conversation pane shows which entry of the conversation: an item, a
response or a server error, each drawn again from the reducer's state when it changes.

The pane is a scroll view that knows where lines go; this knows the conversation and how
each entry reads (`conversation_views`), and keeps one block per entry in the pane's
`BlockColumn`: a new one at the end, one whose content changed measured again, one whose
item went taken out. It also holds the app's notices added while changes waited to be
drawn, so they show in their turn.

New blocks join the column with an estimate of their height: the pane measures those the
view shows (`take_added`), so a burst of replies renders what the screen shows first.
"""

from __future__ import annotations

from collections.abc import Callable
from math import inf
from time import perf_counter
from typing import TYPE_CHECKING

from rt_tui.tui.widgets.audio_levels import ItemLevels
from rt_tui.tui.widgets.conversation_blocks import (
    Block,
    ErrorBlock,
    ItemBlock,
    LineBlock,
    ResponseBlock,
)
from rt_tui.tui.widgets.conversation_views import describe_error, describe_item, describe_response

if TYPE_CHECKING:
    from rt_tui.realtime.conversation import Conversation
    from rt_tui.realtime.conversation_model import Response
    from rt_tui.tui.widgets.block_column import BlockColumn

PendingKey = tuple[str, str]
"""("response" | "item", id), ("error", index in `Conversation.errors`) or ("notice",
number): what to draw, kept in the order changes arrived, so the pane reads in frame
order."""


def _no_cost(conversation: Conversation, response: Response) -> str | None:
    return None


def error_key(index: int) -> PendingKey:
    """The pending key of the conversation's error at `index`."""
    return "error", str(index)


class EntryBlocks:
    """The blocks of the conversation's items and responses, by key, in a column."""

    def __init__(self, column: BlockColumn) -> None:
        self._column = column
        self._keyed: dict[PendingKey, Block] = {}
        self.show_details = False
        """Whether response blocks show their latency and usage (F4)."""
        self.response_cost: Callable[[Conversation, Response], str | None] = _no_cost
        """What a finished response cost, for its details (F4); the screen, which knows
        the prices, sets it."""
        self._levels = ItemLevels()
        self._held_notices: dict[PendingKey, LineBlock] = {}
        """Notices added while changes waited to be drawn: they take their turn."""
        self._notices_held = 0
        self._added: list[Block] = []

    def block(self, key: PendingKey) -> Block | None:
        """The block of this item or response, if the pane shows it."""
        block = self._keyed.get(key)
        return block if block is not None and block.index >= 0 else None

    def take_added(self) -> list[Block]:
        """The blocks added since the last call, in order, their heights estimates: the
        pane measures those the view shows."""
        added, self._added = self._added, []
        return added

    def _add(self, block: Block) -> None:
        self._column.append(block, measure=False)
        self._added.append(block)

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
        """Bring the entry `key` up to date: add its block, change it, or take it away."""
        kind, name = key
        if kind == "item":
            self._draw_item(conversation, name)
        elif kind == "response":
            self._draw_response(conversation, name)
        elif kind == "notice":
            self._add(self._held_notices.pop(key))
        else:
            self._draw_error(conversation, int(name))

    def hold_notice(self, block: LineBlock) -> PendingKey:
        """Keep a notice to add in its turn, when its key is drawn; the key."""
        self._notices_held += 1
        key = ("notice", str(self._notices_held))
        self._held_notices[key] = block
        return key

    def toggle_details(self) -> None:
        """Show or hide latency and usage in every response block (each then measured
        again)."""
        self.show_details = not self.show_details
        for block in self._column:
            if isinstance(block, ResponseBlock):
                block.update(block.summary, block.details, with_details=self.show_details)
                self._column.forget_lines(block)

    def clear(self) -> None:
        self._keyed.clear()
        self._held_notices.clear()
        self._added.clear()

    def _draw_item(self, conversation: Conversation, item_id: str) -> None:
        key = ("item", item_id)
        block = self._keyed.get(key)
        item = conversation.item(item_id)
        if item is None:
            if block is not None:
                del self._keyed[key]
                self._column.remove(block)
            return
        audio = conversation.audio
        has_audio = item_id in audio
        # A finished item's sparkline is read once; a streaming one has none yet.
        levels = (
            self._levels.of(audio, item_id) if has_audio and item.status != "in_progress" else ""
        )
        view = describe_item(item, audio.duration_ms(item_id) if has_audio else None, levels)
        if block is None:
            # Keyed by the item's own copy of its id (the change's is the event's).
            own_key: PendingKey = ("item", item.id)
            self._keyed[own_key] = block = ItemBlock(view)
            block.key = own_key
            self._add(block)
        elif isinstance(block, ItemBlock) and block.update(view):
            self._column.measure(block)

    def _draw_response(self, conversation: Conversation, response_id: str) -> None:
        response = conversation.responses.get(response_id)
        if response is None:
            return
        summary, details = describe_response(response, self.response_cost(conversation, response))
        key = ("response", response_id)
        block = self._keyed.get(key)
        if block is None:
            block = ResponseBlock(summary, details, with_details=self.show_details)
            block.key = own = ("response", response.id)
            self._keyed[own] = block
            self._add(block)
        elif isinstance(block, ResponseBlock) and block.update(
            summary, details, with_details=self.show_details
        ):
            self._column.measure(block)

    def _draw_error(self, conversation: Conversation, index: int) -> None:
        if index < len(conversation.errors):
            self._add(ErrorBlock(describe_error(conversation.errors[index])))
