"""A scrolling column of blocks: a Line API view over a `BlockColumn` that follows its end.

The conversation pane is one. What this view does with its blocks, whatever they show:

- It paints only the lines in view, from each block's lines as the column keeps them, and
  repaints only those that would show something new while the view stays put (a reply
  growing in place changes a line or two; see `PaintedLines`), all of them once it moved.
- It follows new lines at the end unless the user scrolled up (`follow`), by jumps: the
  view moves at most once a JUMP_S, taking all new lines at once, as a terminal's jump
  scroll does, since a move repaints every line and the scrollbar.
- It keeps the view on the same text while blocks above it change height (an anchor).
- A block's height may be an estimate (a new width, a burst of new blocks out of view):
  those in view are measured at once, the rest a few at a time between other work.
- A mouse selection copies the text without the margin every line has.

Redraws run on the screen's `RepaintBeat`, shared with the other panes, so a burst of
changes costs one screen update.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from time import perf_counter

from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar
from textual.selection import Selection
from textual.strip import Strip

from rt_tui.tui.widgets.block_column import BlockColumn
from rt_tui.tui.widgets.conversation_blocks import Block, Look
from rt_tui.tui.widgets.one_shot import call_after
from rt_tui.tui.widgets.painted_lines import PaintedLines
from rt_tui.tui.widgets.repaint_beat import RepaintBeat
from rt_tui.tui.widgets.scroll_content import resize_content, show_overflow
from rt_tui.tui.widgets.text_selection import restyle, selected_text, selection_style
from rt_tui.tui.widgets.thumb_scrollbar import thumb_scrollbar

WORK_BUDGET_S = 0.03
"""The longest the view renders in one go; more waits for the next turn of the event loop,
so a replay's thousands of blocks, or all of them again at a new width, never freeze it."""
JUMP_S = 0.3
"""Following new text moves the view at most this often, all new lines at once (a
terminal's jump scroll): a move repaints the whole view and its scrollbar. Between jumps
the last lines in view fill in place."""
BACKLOG_INTERVAL_S = 0.005
"""The pause between two goes when work is left over."""
ADDED_MEASURE_S = 0.25
"""How long new blocks out of view wait to be measured: past a burst of them."""

Anchor = tuple[Block, int]
"""The block at the top of the view and how far into it the view starts."""


class BlockView(ScrollView):
    """The blocks of `column`, scrolled; the end followed unless the user scrolled up."""

    def __init__(
        self, look: Callable[[], Look], *, beat: RepaintBeat | None, id: str | None
    ) -> None:
        super().__init__(id=id)
        self.beat = beat or RepaintBeat(self)
        """When to redraw what changed (the screen's, shared with the other panes)."""
        self.column = BlockColumn(look)
        """The blocks shown, top to bottom (`look` gives the styles they render with)."""
        self.follow = True
        """Whether new text is scrolled into view: off once the user scrolls up, on again
        when they reach the end. Kept as state, as the inspector's rows do: whether the view
        sits at the end right now says nothing after a re-layout (F3, a resize) moved it."""
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
        self._jump_next = False
        """The next `sync` moves the view at once (see `jump_next`)."""

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        # It grows on every beat while a stream lasts: its bar repaints only the cells
        # its thumb moves across.
        return thumb_scrollbar(self)

    @property
    def busy(self) -> bool:
        """True while heights wait to be measured, a jump waits, or work waits for the
        repaint beat that may change what is shown."""
        return self._catch_up_due or self.beat.pending or bool(self._to_measure)

    # -- what a view over blocks may override ------------------------------------------

    def empty_lines(self) -> list[Strip]:
        """What the view shows while it holds no block."""
        return []

    def mark(self, strip: Strip, block: Block, row: int) -> Strip:
        """Line `row` of `block` as painted (highlights, marks): as it is, here."""
        return strip

    def clear_blocks(self) -> None:
        """Show no block any more, and follow the end again."""
        self.column.clear()
        self._to_measure.clear()
        self.follow = True
        self.sync(None)

    # -- reading it (tests, selection) ------------------------------------------------

    @property
    def blocks(self) -> tuple[Block, ...]:
        """What the view shows, top to bottom."""
        return tuple(self.column)

    def lines(self) -> list[str]:
        """Every line of the view at its width, scrolled into view or not, right-trimmed
        (with no block: what it shows empty)."""
        column = self.column
        if not column:
            return [strip.text.rstrip() for strip in self.empty_lines()]
        return [strip.text.rstrip() for block in column for strip in column.lines_of(block)]

    def text(self) -> str:
        """`lines()` as one text."""
        return "\n".join(self.lines())

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """The selected text (Textual's mouse selection and copy)."""
        if not self.column:
            return None
        return selected_text(self.column, selection), "\n"

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

    def view_anchor(self) -> Anchor | None:
        """Where the view starts, to keep in place while blocks above change height; None
        when following the end."""
        column = self.column
        if self.follow or not column:
            return None
        y = round(self.scroll_y)
        block = column[column.index_at(y)]
        return block, y - column.top(block)

    def jump_next(self) -> None:
        """Move the view to the end at the next `sync`, not on the next jump (what the
        user just asked for shows at once)."""
        self.follow = True
        self._jump_next = True

    def sync(self, anchor: Anchor | None, *, jump_now: bool = False) -> None:
        """Catch up after blocks changed: size, the view's place, one repaint (following
        new text below the view waits for the next jump, see JUMP_S, unless `jump_now` or
        `jump_next`)."""
        column, follow = self.column, self.follow
        jump_now, self._jump_next = jump_now or self._jump_next, False
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
        below = self.column.total() > round(self.scroll_y) + self.scrollable_content_region.height
        wait = self._jumped_at + JUMP_S - perf_counter()
        if not below or wait <= 0:
            return False
        if not self._catch_up_due:
            self._catch_up_due = True
            # On a beat, with whatever else it repaints (a stream's next beat jumps first).
            call_after(self, wait, lambda: self.beat.request(self._catch_up))
        return True

    def _catch_up(self) -> None:
        self._catch_up_due = False
        self.sync(self.view_anchor())

    def _repaint_changed(self) -> None:
        """Repaint the lines of the view that would show something new: while the view
        stays put, a streaming block's last lines, not the whole view (see `PaintedLines`);
        once it moved, all of them."""
        height = self.scrollable_content_region.height
        lines = self._painted.changed(round(self.scroll_y), height, self._strip_at)
        if lines is None:
            self._painted.forget(height)
            self.refresh()
            return
        for line in lines:
            self.refresh_line(line)

    # -- painting ----------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        # Checked at the next paint: the component styles are not all updated yet.
        self._restyle_pending = True
        self.refresh()

    def render_lines(self, crop: Region) -> list[Strip]:
        # Once a paint: new colours, and a width the blocks were not rendered at (a
        # resize not yet announced) has them measured again right after it.
        if self._restyle_pending:
            self._restyle_pending = False
            self.column.restyle()
        self._paint_width = width = self.scrollable_content_region.width
        if width != self.column.width and not self._width_check_scheduled:
            self._width_check_scheduled = True
            self.call_later(self._check_width)
        self._painting = True
        try:
            return super().render_lines(crop)
        finally:
            self._painting = False

    def _strip_at(self, line: int) -> Strip:
        """What line `line` of the content shows (before marks, offsets and selection)."""
        width, column = self._paint_width, self.column
        base = column.look.base
        if not column:
            empty = self.empty_lines()
            return empty[line] if line < len(empty) else Strip.blank(width, base)
        if line >= column.total():
            return Strip.blank(width, base)
        block = column[column.index_at(line)]
        lines = column.lines_of(block)
        row = line - column.top(block)
        return lines[row] if row < len(lines) else Strip.blank(width, base)

    def render_line(self, y: int) -> Strip:
        width, column = self._paint_width, self.column
        line = round(self.scroll_y) + y
        strip = self._strip_at(line)
        self._painted.note(y, line, strip)
        if strip.cell_length != width:
            strip = strip.adjust_cell_length(width, column.look.base)
        if column and line < column.total():
            block = column[column.index_at(line)]
            if not column.measured(block):
                self._schedule_measure()  # Its height was an estimate: settle the rest.
            strip = self.mark(strip, block, line - column.top(block))
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

    # -- heights that are estimates ----------------------------------------------------

    def on_resize(self) -> None:
        show_overflow(self)
        self._check_width()

    def _check_width(self) -> None:
        self._width_check_scheduled = False
        anchor = self.view_anchor()
        if self.column.set_width(self.scrollable_content_region.width):
            self.measure_all(anchor)
        else:
            self.sync(anchor)  # A new height moves the end: keep it in view.

    def measure_all(self, anchor: Anchor | None) -> None:
        """Measure again every block not measured at this width: those in view first, now,
        the rest over the next turns of the event loop."""
        self._to_measure = self.column.unmeasured(None if anchor is None else anchor[0].index)
        self._measure_some(anchor)

    def measure_added(self, added: Sequence[Block]) -> None:
        """Measure the blocks just `added` that show (following: the last ones, as many as
        fill the view); the rest keep an estimate and are measured between other work, so
        a burst of them renders what the screen shows first."""
        room = self.scrollable_content_region.height if self.follow else 0
        if later := self.column.measure_to_fill(added, room):
            self._to_measure.extend(later)
            self._schedule_measure(ADDED_MEASURE_S)

    def _schedule_measure(self, delay: float = BACKLOG_INTERVAL_S) -> None:
        if not self._measure_scheduled:
            self._measure_scheduled = True
            call_after(self, delay, self._measure_step)

    def _measure_step(self) -> None:
        self._measure_scheduled = False
        self._measure_some(self.view_anchor())

    def _measure_some(self, anchor: Anchor | None) -> None:
        self.column.measure_until(self._to_measure, perf_counter() + WORK_BUDGET_S)
        self.sync(anchor, jump_now=True)  # Not new text: the end stays in view.
        if self._to_measure:
            self._schedule_measure()
