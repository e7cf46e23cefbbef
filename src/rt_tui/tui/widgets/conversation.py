"""The conversation pane: user and assistant turns, streamed as Markdown, driven by the
engine's `Conversation` reducer.

The screen applies frames to the reducer and hands the pane each `Change`; the pane only
notes what changed and redraws those blocks on the next repaint beat (`RepaintBeat`, shared
with the inspector), so a burst of deltas costs one repaint, of the lines that show
something new. It is a `BlockView` (a Line API view, like the inspector's rows), not a
widget per item: each entry is a block (`conversation_blocks`, kept up to date by
`conversation_entries`) rendered into lines when it changes, held in a `BlockColumn` that
knows where each starts, and only the lines in view are painted. So a finished item costs
nothing on later updates, and an hour of replies costs their heights and sources, not
widgets or every line ever drawn.

One item or response can be selected (alt+up / alt+down, a click, a search's match, or
from the inspector): it is marked in the margin, and the screen takes it to its frames.
A search (`find`) highlights its matches in the lines painted, the current one apart.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from time import perf_counter
from typing import TYPE_CHECKING, ClassVar

from rich.segment import Segment
from textual.binding import Binding, BindingType
from textual.events import Click
from textual.strip import Strip

from rt_tui.tui.widgets.block_view import BACKLOG_INTERVAL_S, WORK_BUDGET_S, BlockView
from rt_tui.tui.widgets.conversation_blocks import (
    PARTS,
    Block,
    HintBlock,
    LineBlock,
    Look,
    NoticeBlock,
    VoiceBlock,
)
from rt_tui.tui.widgets.conversation_entries import EntryBlocks, PendingKey, error_key
from rt_tui.tui.widgets.conversation_find import Finder, scroll_to_show, step_target
from rt_tui.tui.widgets.conversation_views import empty_hint
from rt_tui.tui.widgets.one_shot import call_after
from rt_tui.tui.widgets.scroll_content import steady_scrollbar_css
from rt_tui.tui.widgets.text_selection import restyle

if TYPE_CHECKING:
    from rt_tui.inspector.landmarks import Subject
    from rt_tui.realtime.conversation import Conversation
    from rt_tui.realtime.conversation_model import Change, Response
    from rt_tui.tui.widgets.repaint_beat import RepaintBeat


class ConversationPane(BlockView, can_focus=True):
    """Scrolling list of conversation items; follows new text unless the user scrolled up."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {f"conversation-pane--{part}" for part in PARTS}
    DEFAULT_CSS = """
    ConversationPane { height: 1fr; overflow-x: hidden; }
    """ + steady_scrollbar_css("ConversationPane")
    # The scrollbar's place is kept even while nothing overflows: the text keeps its width
    # when the conversation first overflows (no block is measured again), and the screen
    # is not laid out again (see `scroll_content`).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "alt+up,ctrl+up",
            "select_step(-1)",
            "Previous item",
            id="conversation.previous_item",
            tooltip="Select the item or response above (ctrl+g shows its frames)",
            show=False,
        ),
        Binding(
            "alt+down,ctrl+down",
            "select_step(1)",
            "Next item",
            id="conversation.next_item",
            tooltip="Select the item or response below (ctrl+g shows its frames)",
            show=False,
        ),
    ]

    def __init__(self, *, id: str | None = None, beat: RepaintBeat | None = None) -> None:
        super().__init__(self._new_look, beat=beat, id=id)
        self._conversation: Conversation | None = None
        self._pending: dict[PendingKey, None] = {}
        self._flush_scheduled = False
        self._errors_noted = 0
        """Errors before this index in `Conversation.errors` are drawn or waiting to be."""
        self._entries = EntryBlocks(self.column)
        self._hint = HintBlock(empty_hint())
        """Where the session is and how to start; shown until the first thing arrives."""
        self.selected: Block | None = None
        """The item or response marked in the margin (what ctrl+g takes to its frames)."""
        self.finder = Finder(self.column)

    # -- what the screen calls -----------------------------------------------------------

    def set_link(self, state: str, host: str | None = None, model: str | None = None) -> None:
        """Say in the empty pane where the session stands (`state`: a `LinkState` value)."""
        self._hint.text = empty_hint(state, host, model)
        if not self.column:
            self.refresh()

    @property
    def hint_shown(self) -> bool:
        """Whether the empty pane's hint is on screen (nothing else is yet)."""
        return not self.column

    def show_change(self, conversation: Conversation, change: Change) -> None:
        """Note what `change` touched; the blocks are redrawn shortly, together."""
        self._conversation = conversation
        for response_id in change.responses:
            self._pending["response", response_id] = None
        for item_id in change.items | change.removed_items:
            self._pending["item", item_id] = None
        if change.errors:
            new_errors = range(self._errors_noted, len(conversation.errors))
            self.show_keys(conversation, map(error_key, new_errors))
        if self._pending:
            self._schedule_flush()

    def show_keys(self, conversation: Conversation, keys: Iterable[PendingKey]) -> None:
        """Draw these items, responses and errors shortly, in this order (after what
        waits already); errors drawn or noted before are skipped."""
        self._conversation = conversation
        for key in keys:
            kind, index = key
            if kind == "error":
                if int(index) < self._errors_noted:
                    continue
                self._errors_noted = int(index) + 1
            self._pending[key] = None
        if self._pending:
            self._schedule_flush()

    @property
    def busy(self) -> bool:
        """True while changes wait to be drawn, or work waits for the repaint beat that may
        bring some (the screen's frames): tests wait on this instead of sleeping."""
        return super().busy or self._flush_scheduled or bool(self._pending)

    @property
    def response_cost(self) -> Callable[[Conversation, Response], str | None]:
        """What a finished response cost, for its details (F4); the screen, which knows
        the prices, sets it."""
        return self._entries.response_cost

    @response_cost.setter
    def response_cost(self, price: Callable[[Conversation, Response], str | None]) -> None:
        self._entries.response_cost = price

    @property
    def show_details(self) -> bool:
        """Whether responses show their usage and latency (F4)."""
        return self._entries.show_details

    def toggle_details(self) -> None:
        """Show or hide usage and latency under each response."""
        self._entries.toggle_details()
        self.measure_all(self.view_anchor())

    def add_notice(self, text: str, *, voice: bool = False) -> LineBlock:
        """A line of the app's own (a command's outcome) at the end of the conversation,
        after what waits to be drawn; `voice`: a voice event of the session, in the voice
        timeline's look. The block, to `update_notice` it later."""
        block = VoiceBlock(text) if voice else NoticeBlock(text)
        # The user just asked for it (a command's outcome): show it even if scrolled up,
        # and at once, not on the next jump.
        self.jump_next()
        if self._pending:  # Notices added meanwhile take their turn.
            self._pending[self._entries.hold_notice(block)] = None
            return block
        self.column.append(block)
        self.sync(None)
        return block

    def update_notice(self, block: LineBlock, text: str) -> None:
        """Say `text` in a notice added before, where it is."""
        block.text = text
        if block.index >= 0:
            self.column.forget_lines(block)
            self.column.measure(block)
            self.sync(self.view_anchor())

    async def clear(self) -> None:
        """Forget everything shown (e.g. before a new session)."""
        self._conversation = None
        self.selected = None
        self.finder.current = None
        self._pending.clear()
        self._entries.clear()
        self._errors_noted = 0
        self.clear_blocks()

    # -- the selected block and the search ---------------------------------------------

    @property
    def selected_key(self) -> tuple[str, str] | None:
        """("item" | "response", id) of the selected block, if one is selected."""
        block = self.selected
        return block.key if block is not None and block.index >= 0 else None

    def select_key(self, key: tuple[str, str]) -> bool:
        """Select the block of this item or response and bring it into view; False when
        the pane does not show it."""
        block = self._entries.block(key)
        if block is None:
            return False
        self._select_block(block)
        return True

    def select_subject(self, subject: Subject) -> bool:
        """Select the block of the item a frame names, else of its response; False when
        the pane shows neither."""
        return bool(
            (subject.item_id and self.select_key(("item", subject.item_id)))
            or (subject.response_id and self.select_key(("response", subject.response_id)))
        )

    def action_select_step(self, step: int) -> None:
        """Select the item or response above (-1) or below (1) the selected one; with
        none selected, the last one in view (or the first, going down)."""
        view = (round(self.scroll_y), self.scrollable_content_region.height)
        target = step_target(self.column, self.selected, step, view)
        if target is not None:
            self._select_block(target)

    def _select_block(self, block: Block, row: int | None = None) -> None:
        """Mark `block` and scroll it (or its line `row`) into view."""
        self.selected = block
        view = (round(self.scroll_y), max(1, self.scrollable_content_region.height))
        y = scroll_to_show(self.column, block, row, view)
        if y is not None:
            self.follow = False
            self.scroll_to(y=y, animate=False, force=True)
        self.refresh()

    def on_click(self, event: Click) -> None:
        line = event.y + round(self.scroll_y)
        if self.column and line < self.column.total():
            block = self.column[self.column.index_at(line)]
            if block.key is not None:
                self.selected = block
                self.refresh()

    def find(self, query: str, step: int = 0) -> tuple[int, int]:
        """Highlight `query` and make a match current: the first from the top of the view
        (`step` 0) or the next (1) or previous (-1) one. Returns the current match's
        number (from 1; 0 for none) and how many there are; its block is selected."""
        finder = self.finder
        if query != finder.query:
            finder.set_query(query)
        number, total = finder.step(step or 1, round(self.scroll_y))
        if finder.current is not None:
            self._select_block(finder.current.block, finder.current.row)
        self.refresh()
        return number, total

    def end_find(self) -> None:
        """Stop highlighting (the block of the last match stays selected)."""
        self.finder.set_query("")
        self.refresh()

    # -- drawing changes ---------------------------------------------------------------

    def _schedule_flush(self) -> None:
        if not self._flush_scheduled:
            self._flush_scheduled = True
            self.beat.request(self._flush)

    def _flush(self) -> None:
        self._flush_scheduled = False
        conversation = self._conversation
        keys, self._pending = list(self._pending), {}
        if conversation is None or not keys:
            return
        anchor = self.view_anchor()
        done = self._entries.draw_until(conversation, keys, perf_counter() + WORK_BUDGET_S)
        self.measure_added(self._entries.take_added())
        self.sync(anchor)
        if done < len(keys):
            # What is left goes first next time, before what arrived meanwhile.
            self._pending = dict.fromkeys(keys[done:]) | self._pending
            # After a short pause, not a whole beat: a replay's blocks draw at the pace
            # the budget allows.
            self._flush_scheduled = True
            call_after(self, BACKLOG_INTERVAL_S, self._flush)

    # -- painting ----------------------------------------------------------------------

    def _new_look(self) -> Look:
        parts = {
            part: self.get_component_rich_style(f"conversation-pane--{part}") for part in PARTS
        }
        options = self.app.console_options.update(highlight=False)
        return Look(self.app.console, options, self.rich_style, parts)

    def empty_lines(self) -> list[Strip]:
        """The hint: where the session is and how to start."""
        width = self.column.width or self.scrollable_content_region.width
        return self._hint.render(self.column.look, max(1, width))

    def mark(self, strip: Strip, block: Block, row: int) -> Strip:
        """Line `row` of `block` with the search's matches highlighted and, if the block
        is selected, the mark in the margin."""
        look = self.column.look
        if self.finder.active:
            for start, end, current in self.finder.spans(block, row, strip.text):
                part = "match-current" if current else "match"
                strip = restyle(strip, start, end, look.parts[part])
        if block is self.selected:
            # The mark in the margin: readable without colour, like the focused pane's border.
            mark = Segment("▌", look.style("selected"))
            strip = Strip.join([Strip([mark], 1), strip.crop(1)])
        return strip
