"""The conversation pane: user and assistant turns, streamed as Markdown, driven by the
engine's `Conversation` reducer.

The screen applies frames to the reducer and hands the pane each `Change`; the pane only
notes what changed and redraws those blocks on the next repaint beat (`RepaintBeat`, shared
with the inspector), so a burst of deltas costs one repaint, of the lines that show
something new. It is a Line API view (like the inspector's rows), not a widget per item:
each entry is a block (`conversation_blocks`) rendered into lines when it changes, held
in a `BlockColumn` that knows where each starts, and only the lines in view are painted.
So a finished item costs nothing on later updates, and an hour of replies costs their
heights and sources, not widgets or every line ever drawn.

A new width makes every height an estimate, as a burst of new replies has (only those in
view are rendered at once): the rest are measured a few at a time between other work,
keeping the view on the same text meanwhile.

One item or response can be selected (alt+up / alt+down, a click, a search's match, or
from the inspector): it is marked in the margin, and the screen takes it to its frames.
A search (`find`) highlights its matches in the lines painted, the current one apart.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from time import perf_counter
from typing import ClassVar

from rich.segment import Segment
from textual.binding import Binding, BindingType
from textual.events import Click
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.selection import Selection
from textual.strip import Strip

from rt_tui.inspector.landmarks import Subject
from rt_tui.realtime.conversation import Conversation
from rt_tui.realtime.conversation_model import Change, Response
from rt_tui.tui.widgets.block_column import BlockColumn
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
from rt_tui.tui.widgets.conversation_find import Finder, restyle, scroll_to_show, step_target
from rt_tui.tui.widgets.conversation_views import empty_hint
from rt_tui.tui.widgets.painted_lines import PaintedLines
from rt_tui.tui.widgets.repaint_beat import RepaintBeat
from rt_tui.tui.widgets.scroll_content import resize_content
from rt_tui.tui.widgets.text_selection import selected_text, selection_style

WORK_BUDGET_S = 0.03
"""The longest the pane renders in one go; more waits for the next turn of the event loop,
so a replay's thousands of blocks, or all of them again at a new width, never freeze it."""
JUMP_S = 0.3
"""Following new text moves the view at most this often, all new lines at once (a
terminal's jump scroll): a move repaints the whole pane and its scrollbar. Between jumps
the last lines in view fill in place."""
BACKLOG_INTERVAL_S = 0.005
"""The pause between two goes when work is left over."""
ADDED_MEASURE_S = 0.25
"""How long new blocks out of view wait to be measured: past a burst of replies."""


class ConversationPane(ScrollView, can_focus=True):
    """Scrolling list of conversation items; follows new text unless the user scrolled up."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {f"conversation-pane--{part}" for part in PARTS}
    DEFAULT_CSS = """
    ConversationPane { height: 1fr; overflow-x: hidden; scrollbar-gutter: stable; }
    """
    # The gutter stays even without a scrollbar: the text keeps its width when the
    # conversation first overflows, instead of every block being measured again.
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
        super().__init__(id=id)
        self._beat = beat or RepaintBeat(self)
        """When to redraw what changed (the screen's, shared with the inspector)."""
        self.follow = True
        """Whether new text is scrolled into view: off once the user scrolls up, on again
        when they reach the end. Kept as state, as the inspector's rows do: whether the view
        sits at the end right now says nothing after a re-layout (F3, a resize) moved it."""
        self._conversation: Conversation | None = None
        self._pending: dict[PendingKey, None] = {}
        self._flush_scheduled = False
        self._errors_noted = 0
        """Errors before this index in `Conversation.errors` are drawn or waiting to be."""
        self._column = BlockColumn(self._new_look)
        self._entries = EntryBlocks(self._column)
        self._to_measure: list[Block] = []  # Heights still estimates; the next one last.
        self._measure_scheduled = False
        self._width_check_scheduled = False
        self._restyle_pending = False
        self._paint_width = 0
        """The width of the lines being painted (the blocks' own, unless it just changed)."""
        self._painting = False
        """`render_line` is called to paint (not to find where the mouse is)."""
        self._painted = PaintedLines()
        self._jumped_at = -JUMP_S
        """When following new text last moved the view (`perf_counter`)."""
        self._catch_up_due = False
        """A jump is set to follow text that went below the view."""
        self._jump_now = False
        """A notice was added: the next sync shows it at once, not on the next jump."""
        self._hint = HintBlock(empty_hint())
        """Where the session is and how to start; shown until the first thing arrives."""
        self.selected: Block | None = None
        """The item or response marked in the margin (what ctrl+g takes to its frames)."""
        self.finder = Finder(self._column)

    # -- what the screen calls -----------------------------------------------------------

    def set_link(self, state: str, host: str | None = None, model: str | None = None) -> None:
        """Say in the empty pane where the session stands (`state`: a `LinkState` value)."""
        self._hint.text = empty_hint(state, host, model)
        if not self._column:
            self.refresh()

    @property
    def hint_shown(self) -> bool:
        """Whether the empty pane's hint is on screen (nothing else is yet)."""
        return not self._column

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
        waiting = self._flush_scheduled or self._catch_up_due or self._beat.pending
        return waiting or bool(self._pending or self._to_measure)

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
        self._measure_all(self._anchor())

    def add_notice(self, text: str, *, voice: bool = False) -> LineBlock:
        """A line of the app's own (a command's outcome) at the end of the conversation,
        after what waits to be drawn; `voice`: a voice event of the session, in the voice
        timeline's look. The block, to `update_notice` it later."""
        block = VoiceBlock(text) if voice else NoticeBlock(text)
        # The user just asked for it (a command's outcome): show it even if scrolled up,
        # and at once, not on the next jump.
        self.follow = True
        self._jump_now = True
        if self._pending:  # Notices added meanwhile take their turn.
            self._pending[self._entries.hold_notice(block)] = None
            return block
        self._column.append(block)
        self._sync(None)
        return block

    def update_notice(self, block: LineBlock, text: str) -> None:
        """Say `text` in a notice added before, where it is."""
        block.text = text
        if block.index >= 0:
            self._column.forget_lines(block)
            self._column.measure(block)
            self._sync(self._anchor())

    async def clear(self) -> None:
        """Forget everything shown (e.g. before a new session)."""
        self._conversation = None
        self.selected = None
        self.finder.current = None
        self._pending.clear()
        self._column.clear()
        self._entries.clear()
        self._to_measure.clear()
        self._errors_noted = 0
        self.follow = True
        self._sync(None)

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
        target = step_target(self._column, self.selected, step, view)
        if target is not None:
            self._select_block(target)

    def _select_block(self, block: Block, row: int | None = None) -> None:
        """Mark `block` and scroll it (or its line `row`) into view."""
        self.selected = block
        view = (round(self.scroll_y), max(1, self.scrollable_content_region.height))
        y = scroll_to_show(self._column, block, row, view)
        if y is not None:
            self.follow = False
            self.scroll_to(y=y, animate=False, force=True)
        self.refresh()

    def on_click(self, event: Click) -> None:
        line = event.y + round(self.scroll_y)
        if self._column and line < self._column.total():
            block = self._column[self._column.index_at(line)]
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

    # -- reading it (tests, selection) ------------------------------------------------

    @property
    def blocks(self) -> tuple[Block, ...]:
        """What the pane shows, top to bottom: items, responses, errors and notices."""
        return tuple(self._column)

    def lines(self) -> list[str]:
        """Every line of the pane at its width, scrolled into view or not, right-trimmed:
        the conversation, or the empty pane's hint."""
        column = self._column
        if not column:
            return [strip.text.rstrip() for strip in self._hint_lines()]
        return [strip.text.rstrip() for block in column for strip in column.lines_of(block)]

    def text(self) -> str:
        """`lines()` as one text."""
        return "\n".join(self.lines())

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """The selected text (Textual's mouse selection and copy)."""
        if not self._column:
            return None
        return selected_text(self._column, selection), "\n"

    def selection_updated(self, selection: Selection | None) -> None:
        self.refresh()

    # -- following the end -------------------------------------------------------------

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if new_value >= self.max_scroll_y:
            self.follow = True
        elif new_value < old_value:
            self.follow = False  # Only the user scrolls up: new text only ever adds below.

    def watch_show_vertical_scrollbar(self, shown: bool) -> None:
        # The view may have scrolled before the scrollbar showed (following new text right
        # after the size grew): start the scrollbar where the view is.
        if shown:
            self.vertical_scrollbar.position = self.scroll_y

    def _anchor(self) -> tuple[Block, int] | None:
        """The block at the top of the view and how far into it the view starts, to keep
        in place while blocks above change height; None when following the end."""
        column = self._column
        if self.follow or not column:
            return None
        y = round(self.scroll_y)
        block = column[column.index_at(y)]
        return block, y - column.top(block)

    def _sync(self, anchor: tuple[Block, int] | None, *, jump_now: bool = False) -> None:
        """Catch up after blocks changed: size, the view's place, one repaint (following
        new text below the view waits for the next jump, see JUMP_S, unless `jump_now` or
        a notice was added)."""
        column, follow = self._column, self.follow
        jump_now, self._jump_now = jump_now or self._jump_now, False
        if follow and not jump_now and self._jump_later():
            self._repaint_changed()
            return
        resize_content(self, Size(column.width, column.total()))
        self.follow = follow  # Shorter content moved the view to the end, not the user.
        top = round(self.scroll_y)
        if self.follow:
            # `force`: right after the size grows the scrollbar is not shown yet (that
            # waits for the next layout), and without it Textual refuses to scroll.
            self.scroll_end(animate=False, immediate=True, x_axis=False, force=True)
        elif anchor is not None and anchor[0].index >= 0:
            block, offset = anchor
            y = column.top(block) + min(offset, max(0, block.height - 1))
            if y != round(self.scroll_y):
                self.scroll_to(y=y, animate=False, force=True)
        if follow and round(self.scroll_y) != top:
            self._jumped_at = perf_counter()
        self._repaint_changed()

    def _jump_later(self) -> bool:
        """Whether new text went below the view too soon after the last jump: if so, the
        next jump is set (the view and its scrollbar stay as they are until then)."""
        below = self._column.total() > round(self.scroll_y) + self.scrollable_content_region.height
        wait = self._jumped_at + JUMP_S - perf_counter()
        if not below or wait <= 0:
            return False
        if not self._catch_up_due:
            self._catch_up_due = True
            # On a beat, with whatever else it repaints (a stream's next beat jumps first).
            self.set_timer(wait, lambda: self._beat.request(self._catch_up))
        return True

    def _catch_up(self) -> None:
        self._catch_up_due = False
        self._sync(self._anchor())

    def _repaint_changed(self) -> None:
        """Repaint the lines of the view that would show something new: while the view
        stays put, a streaming reply's last lines, not the whole pane (see `PaintedLines`);
        once it moved, all of them."""
        height = self.scrollable_content_region.height
        lines = self._painted.changed(round(self.scroll_y), height, self._strip_at)
        if lines is None:
            self._painted.forget(height)
            self.refresh()
            return
        for line in lines:
            self.refresh_line(line)

    # -- drawing changes ---------------------------------------------------------------

    def _schedule_flush(self) -> None:
        if not self._flush_scheduled:
            self._flush_scheduled = True
            self._beat.request(self._flush)

    def _flush(self) -> None:
        self._flush_scheduled = False
        conversation = self._conversation
        keys, self._pending = list(self._pending), {}
        if conversation is None or not keys:
            return
        anchor = self._anchor()
        done = self._entries.draw_until(conversation, keys, perf_counter() + WORK_BUDGET_S)
        self._measure_added()
        self._sync(anchor)
        if done < len(keys):
            # What is left goes first next time, before what arrived meanwhile.
            self._pending = dict.fromkeys(keys[done:]) | self._pending
            # After a short pause, not a whole beat: a replay's blocks draw at the pace
            # the budget allows.
            self._flush_scheduled = True
            self.set_timer(BACKLOG_INTERVAL_S, self._flush)

    def _measure_added(self) -> None:
        """Measure the blocks just added that show (following: the last ones, as many as
        fill the view); the rest keep an estimate and are measured between other work, so
        a burst of replies renders what the screen shows first."""
        room = self.scrollable_content_region.height if self.follow else 0
        if later := self._column.measure_to_fill(self._entries.take_added(), room):
            self._to_measure.extend(later)
            self._schedule_measure(ADDED_MEASURE_S)

    # -- painting ----------------------------------------------------------------------

    def _new_look(self) -> Look:
        parts = {
            part: self.get_component_rich_style(f"conversation-pane--{part}") for part in PARTS
        }
        options = self.app.console_options.update(highlight=False)
        return Look(self.app.console, options, self.rich_style, parts)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        # Checked at the next paint: the component styles are not all updated yet.
        self._restyle_pending = True
        self.refresh()

    def _hint_lines(self) -> list[Strip]:
        width = self._column.width or self.scrollable_content_region.width
        return self._hint.render(self._column.look, max(1, width))

    def render_lines(self, crop: Region) -> list[Strip]:
        # Once a paint: new colours, and a width the blocks were not rendered at (a
        # resize not yet announced) has them measured again right after it.
        if self._restyle_pending:
            self._restyle_pending = False
            self._column.restyle()
        self._paint_width = width = self.scrollable_content_region.width
        if width != self._column.width and not self._width_check_scheduled:
            self._width_check_scheduled = True
            self.call_later(self._check_width)
        self._painting = True
        try:
            return super().render_lines(crop)
        finally:
            self._painting = False

    def _strip_at(self, line: int) -> Strip:
        """What line `line` of the conversation shows (before marks, offsets and
        highlights)."""
        width, column = self._paint_width, self._column
        base = column.look.base
        if not column:
            hint = self._hint_lines()
            return hint[line] if line < len(hint) else Strip.blank(width, base)
        if line >= column.total():
            return Strip.blank(width, base)
        block = column[column.index_at(line)]
        lines = column.lines_of(block)
        row = line - column.top(block)
        return lines[row] if row < len(lines) else Strip.blank(width, base)

    def render_line(self, y: int) -> Strip:
        width, column = self._paint_width, self._column
        line = round(self.scroll_y) + y
        strip = self._strip_at(line)
        self._painted.note(y, line, strip)
        if strip.cell_length != width:
            strip = strip.adjust_cell_length(width, column.look.base)
        if column and line < column.total():
            block = column[column.index_at(line)]
            if not column.measured(block):
                self._schedule_measure()  # Its height was an estimate: settle the rest.
            strip = self._marked(strip, block, line - column.top(block))
        if not self._painting:
            # Where a mouse press or drag lands in the text (selection) Textual finds by
            # asking for the line itself (`Compositor.get_widget_and_offset_at`) and reading
            # the offsets in its styles. Painted lines go without: each offset is a new
            # Style, and Textual keeps the ANSI of every style it paints (16,384 of them,
            # ~8 MB), which painted offsets filled over a session's first ten minutes.
            strip = strip.apply_offsets(0, line)
        selection = self.text_selection
        if selection is not None and (span := selection.get_span(line)) is not None:
            strip = restyle(strip, *span, selection_style(self.screen))
        return strip

    def _marked(self, strip: Strip, block: Block, row: int) -> Strip:
        """Line `row` of `block` with the search's matches highlighted and, if the block
        is selected, the mark in the margin."""
        look = self._column.look
        if self.finder.active:
            for start, end, current in self.finder.spans(block, row, strip.text):
                strip = restyle(
                    strip, start, end, look.parts["match-current" if current else "match"]
                )
        if block is self.selected:
            # The mark in the margin: readable without colour, like the focused pane's border.
            mark = Segment("▌", look.style("selected"))
            strip = Strip.join([Strip([mark], 1), strip.crop(1)])
        return strip

    # -- a new width: every height is an estimate --------------------------------------

    def on_resize(self) -> None:
        self._check_width()

    def _check_width(self) -> None:
        self._width_check_scheduled = False
        anchor = self._anchor()
        if self._column.set_width(self.scrollable_content_region.width):
            self._measure_all(anchor)
        else:
            self._sync(anchor)  # A new height moves the end: keep it in view.

    def _measure_all(self, anchor: tuple[Block, int] | None) -> None:
        """Measure again every block not measured at this width: those in view first, now,
        the rest over the next turns of the event loop."""
        self._to_measure = self._column.unmeasured(None if anchor is None else anchor[0].index)
        self._measure_some(anchor)

    def _schedule_measure(self, delay: float = BACKLOG_INTERVAL_S) -> None:
        if not self._measure_scheduled:
            self._measure_scheduled = True
            self.set_timer(delay, self._measure_step)

    def _measure_step(self) -> None:
        self._measure_scheduled = False
        self._measure_some(self._anchor())

    def _measure_some(self, anchor: tuple[Block, int] | None) -> None:
        self._column.measure_until(self._to_measure, perf_counter() + WORK_BUDGET_S)
        self._sync(anchor, jump_now=True)  # Not new text: the end stays in view.
        if self._to_measure:
            self._schedule_measure()
