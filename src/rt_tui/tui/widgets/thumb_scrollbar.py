"""A vertical scrollbar that repaints only the cells its thumb moved across.

Textual repaints a view's whole scrollbar each time the view's content size or scroll
offset changes. A live view (the conversation, the inspector's rows) grows on every
repaint beat while it streams, so every beat marked both scrollbars dirty from top to
bottom, and a screen update redraws every line a dirty region touches, across the whole
screen: a beat's update took ~7.5 ms with them against ~2.5 ms without. Yet the thumb is
drawn in eighths of a cell, and once the content is a few screens long it moves by one
only every few beats, or not at all while the view follows the end.

`ThumbScrollBar` works out where the thumb lies, as Textual draws it, on each of those
changes, and repaints only the cells between where it is drawn and where it now lies.
Anything else (a new size, a hover, a grab, new colours) repaints it whole, as Textual
does.

Textual draws a bar whole, through Rich, even to repaint one of its cells (~0.3 ms, twice a
beat). A bar's cells are few kinds, though (the track above and below the thumb, the thumb,
its two ends in eighths), so `ThumbScrollBar` draws each kind once, as Textual would, and
hands out the row's kind.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from math import ceil
from typing import Final, Self

from rich.color import Color
from rich.segment import Segment, Segments
from rich.style import Style as RichStyle
from textual.geometry import Region
from textual.reactive import Reactive
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.strip import Strip
from textual.visual import Visual, visualize
from textual.widget import Widget

Thumb = tuple[int, int] | None
"""Where a thumb starts and ends, in eighths of a cell (None: no thumb)."""
_EIGHTHS: Final = len(ScrollBarRender.VERTICAL_BARS)
_KINDS_KEPT: Final = 64
"""Drawn cells kept: a bar's colours (plain, hover, grab) give ~17 kinds each."""


def thumb_eighths(size: int, virtual_size: float, window_size: float, position: float) -> Thumb:
    """Where the thumb of a bar `size` cells long starts and ends, in eighths of a cell
    (None: no thumb, the content fits). The same sums as Textual's `ScrollBar._render_bar`
    and `ScrollBarRender.render_bar`, which draw it."""
    virtual = ceil(virtual_size)
    window = ceil(window_size) if window_size < virtual_size else 0
    if not (window and size and virtual and size != virtual):
        return None
    thumb = max(1, window / (virtual / size))
    start = int((size - thumb) * (position / (virtual - window)) * _EIGHTHS)
    return start, start + ceil(thumb * _EIGHTHS)


def moved_rows(drawn: Thumb, now: Thumb, height: int) -> tuple[int, int] | None:
    """The first and last row of a bar `height` cells long that look different with the
    thumb at `now` than at `drawn` (None: none do). A thumb's end cells show part glyphs:
    an end moving within a cell changes that cell."""
    if drawn == now:
        return None
    if drawn is None or now is None:
        return (0, height - 1) if height else None
    rows = [
        row // _EIGHTHS
        for old, new in zip(drawn, now, strict=True)
        if old != new
        for row in (old, new)
    ]
    first, last = max(0, min(rows)), min(height - 1, max(rows))
    return (first, last) if first <= last else None


class ThumbScrollBar(ScrollBar):
    """A vertical scrollbar whose content size, window and position repaint only the cells
    the thumb moved across (see the module doc)."""

    # Textual's, without their repaint of the whole bar: the watchers below repaint.
    window_virtual_size: Reactive[int] = Reactive(100, repaint=False)
    window_size: Reactive[int] = Reactive(0, repaint=False)
    position: Reactive[float] = Reactive(0, repaint=False)

    def __init__(self, *, thickness: int) -> None:
        super().__init__(vertical=True, name="vertical", thickness=thickness)
        self._drawn: Thumb = None
        """The thumb its cells show, or will once the repaints asked for are done."""
        self._drawn_once = False
        """Whether `_drawn` holds a thumb (until then, a move repaints the whole bar)."""
        self._follow_due = False
        """A repaint of the cells the thumb moved across is set to run."""
        self._thumb_only = False
        """Inside `thumb_only`: a repaint of the whole bar is left to the watchers."""
        self._cells: list[Segment] | None = None
        self._drawn_cells: dict[Segment, Strip] = {}
        """Each kind of cell drawn, by what it shows (meta included: a click on the track
        above the thumb scrolls up, below it down), in `_cells_style`."""
        self._cells_style: object = None
        """The bar's own style the kept cells were drawn in (it may change without a
        style update: one of the view's, which the bar takes on)."""

    @contextmanager
    def thumb_only(self) -> Iterator[None]:
        """Within it, a repaint of the whole bar is not done: Textual's `_scroll_update`
        asks for one after it sets the window sizes, whose watchers have repainted the
        cells that changed already."""
        self._thumb_only = True
        try:
            yield
        finally:
            self._thumb_only = False

    def refresh(
        self, *regions: Region, repaint: bool = True, layout: bool = False, recompose: bool = False
    ) -> Self:
        if self._thumb_only and not (regions or layout or recompose):
            return self
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def _thumb(self) -> Thumb:
        return thumb_eighths(
            self.size.height, self.window_virtual_size, self.window_size, self.position
        )

    def watch_window_virtual_size(self) -> None:
        self._follow_thumb()

    def watch_window_size(self) -> None:
        self._follow_thumb()

    def watch_position(self) -> None:
        self._follow_thumb()

    def _follow_thumb(self) -> None:
        """Repaint the cells the thumb moved across, once the changes of this turn are in:
        a view sets its content's size before its new scroll offset, and the thumb between
        the two (shorter, not yet moved down) would repaint cells it then leaves as drawn."""
        if not self._follow_due:
            self._follow_due = True
            asyncio.get_running_loop().call_soon(self._repaint_moved)

    def _repaint_moved(self) -> None:
        """Repaint the cells that look different with the thumb where it now lies; from
        then on they are taken as showing it. (Noted here, not when a row is drawn: a row
        drawn for another reason meanwhile, say under the mouse, shows where the thumb is
        now, while the rows it moved across still wait for this repaint.)"""
        self._follow_due = False
        if not self.is_attached:
            return
        now = self._thumb()
        if not self._drawn_once:
            self.refresh()
        else:
            rows = moved_rows(self._drawn, now, self.size.height)
            if rows is not None:
                first, last = rows
                self.refresh(Region(0, first, self.size.width, last - first + 1))
        self._drawn, self._drawn_once = now, True

    def render_lines(self, crop: Region) -> list[Strip]:
        self._cells = None  # The bar of this paint: worked out at its first row drawn.
        try:
            return super().render_lines(crop)
        finally:
            self._cells = None  # A row asked for outside a paint works the bar out anew.

    def render_line(self, y: int) -> Strip:
        cells = self._cells
        if cells is None:
            cells = self._cells = self._bar_cells()
        if not 0 <= y < len(cells):
            return Strip.blank(self.size.width, self.visual_style.rich_style)
        cell = cells[y]
        line = self._drawn_cells.get(cell)
        if line is None:
            if len(self._drawn_cells) >= _KINDS_KEPT:
                self._drawn_cells.clear()
            line = self._drawn_cells[cell] = self._draw_cell(cell)
        return line

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._drawn_cells.clear()

    def _bar_cells(self) -> list[Segment]:
        """The bar's cells, top to bottom, as Textual's renderer makes them (its
        `__rich_console__`, with the console's size the bar's)."""
        own_style = self.visual_style
        if own_style != self._cells_style:
            self._drawn_cells.clear()
            self._cells_style = own_style
        bar = self.render()
        assert isinstance(bar, ScrollBarRender)
        style = bar.style
        assert isinstance(style, RichStyle)
        width, height = self.size
        drawn = bar.render_bar(
            size=height,
            virtual_size=bar.virtual_size,
            window_size=bar.window_size,
            position=bar.position,
            thickness=width,
            vertical=True,
            back_color=style.bgcolor or Color.parse("#555555"),
            bar_color=style.color or Color.parse("bright_magenta"),
        )
        return [segment for segment in drawn.segments if segment.text != "\n"]

    def _draw_cell(self, cell: Segment) -> Strip:
        """One row showing `cell`, through the steps Textual takes for a whole bar."""
        visual = visualize(self, Segments([cell], new_lines=True))
        return Visual.to_strips(self, visual, self.size.width, 1, self.visual_style)[0]


def thumb_scrollbar(view: Widget) -> ScrollBar:
    """`view`'s vertical scrollbar, made a `ThumbScrollBar` when first asked for: what a
    view's `vertical_scrollbar` property returns in place of Textual's own. (Textual makes
    its scrollbar there, with these private names.)"""
    if view._vertical_scrollbar is None:
        bar = ThumbScrollBar(thickness=view.scrollbar_size_vertical)
        bar.display = False
        view._vertical_scrollbar = bar
        view.app._start_widget(view, bar)
    return view._vertical_scrollbar
