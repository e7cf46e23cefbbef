"""The inspector's rows: a Line API view over a `FrameStore`, one line per row.

Only visible lines are rendered, each from a cached `Strip` keyed by what the row
shows, so 100,000 frames cost no more to paint than 100.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.events import Click
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar
from textual.strip import Strip

from rt_tui.inspector.columns import LEAD_WIDTH, fit_wire_type, type_column_width
from rt_tui.realtime.frames import Direction
from rt_tui.tui.widgets.scroll_content import resize_content, show_overflow, steady_scrollbar_css
from rt_tui.tui.widgets.thumb_scrollbar import thumb_scrollbar

if TYPE_CHECKING:
    from rt_tui.inspector.records import Row
    from rt_tui.inspector.store import FrameStore

_FOLD_MARKS = {"": " ", "folded": "▸", "open": "▾", "member": "│"}
_PARTS = ("time", "sent", "received", "type", "fold", "summary", "error")
"""The parts of a row drawn in a style of their own (component classes `frame-rows--PART`)."""
CACHED_ROWS = 64
"""Rows whose drawn lines are kept, at least (a 30-line view and a page either way)."""
JUMP_CONTEXT = 2
"""Rows left above a row jumped to (`show_row`): what led up to it stays in view."""


def _flat(text: str) -> str:
    return text.replace("\r", "").replace("\n", "⏎").replace("\t", " ")


class FrameRows(ScrollView, can_focus=True):
    """The rows: one per frame or folded group, rendered line by line.

    A row is picked, not its text selected with the mouse (the detail and the copy keys
    give the text), so lines carry no selection offsets: each offset is a new Style, and
    Textual keeps the ANSI of every style it paints (16,384 of them, ~8 MB), which rows
    scrolling by filled over a session's first minutes.
    """

    ALLOW_SELECT = False

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "frame-rows--time",
        "frame-rows--sent",
        "frame-rows--received",
        "frame-rows--type",
        "frame-rows--fold",
        "frame-rows--summary",
        "frame-rows--error",
        "frame-rows--cursor",
    }
    # The scrollbar's place is kept even while every row fits (see `scroll_content`): the
    # rows keep their width when the list first overflows, and the screen is not laid out.
    DEFAULT_CSS = (
        steady_scrollbar_css("FrameRows")
        + """
    FrameRows { height: 1fr; scrollbar-size-vertical: 1; overflow-x: hidden; }
    FrameRows > .frame-rows--time { color: $text-muted; }
    FrameRows > .frame-rows--sent { color: $text-accent; text-style: bold; }
    FrameRows > .frame-rows--received { color: $text-success; text-style: bold; }
    FrameRows > .frame-rows--type { color: $text-primary; }
    FrameRows > .frame-rows--fold { color: $text-warning; }
    FrameRows > .frame-rows--summary { color: $text; }
    FrameRows > .frame-rows--error { color: $text-error; text-style: bold; }
    FrameRows > .frame-rows--cursor {
        background: $block-cursor-blurred-background;
        color: $block-cursor-blurred-foreground;
    }
    FrameRows:focus > .frame-rows--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
    }
    """
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", "Up", show=False, id="inspector.cursor_up"),
        Binding("down", "cursor_down", "Down", show=False, id="inspector.cursor_down"),
        Binding("pageup", "page_up_rows", "Page up", show=False, id="inspector.page_up"),
        Binding("pagedown", "page_down_rows", "Page down", show=False, id="inspector.page_down"),
        Binding("home", "first_row", "First", show=False, id="inspector.first"),
        Binding(
            "end",
            "last_row",
            "Tail",
            id="inspector.tail",
            tooltip="Jump to the newest event and follow new ones",
        ),
    ]

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        # It grows on every beat while a stream lasts: its bar repaints only the cells
        # its thumb moves across.
        return thumb_scrollbar(self)

    class CursorMoved(Message):
        """The selected row changed (`frame_index` None: nothing selected)."""

        def __init__(self, frame_index: int | None) -> None:
            super().__init__()
            self.frame_index = frame_index

    def __init__(self, store: Callable[[], FrameStore], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._store_of = store
        """Gives the store, which is made once the first frame is out (see `render_line`)."""
        self.cursor_frame: int | None = None
        """The frame index of the selected row's key frame."""
        self.follow = True
        """Keep the last row in view (and selected, if a row is selected)."""
        # Two views of rows (see `on_resize`). A cached row holds two Strips (its own and
        # the filtered copy the paint keeps in its caches), ~4 KB with their caches: full,
        # ~0.25 MB, once 64 rows have scrolled by (some 10 s into a session of a short
        # reply a second). A row drawn again costs ~50 us: a page scrolled back, ~2 ms.
        self._cache: LRUCache[tuple[object, ...], Strip] = LRUCache(CACHED_ROWS)
        self._part_styles: dict[str, Style] | None = None
        self._drawn: dict[int, tuple[object, ...]] = {}
        """The cache key of what each line of the view (0 at the top) showed when painted."""
        self._geometry: tuple[int, int, int] | None = None
        """While a paint runs, `_measure_geometry` as it found it at its start."""

    @cached_property
    def store(self) -> FrameStore:
        """The frames shown (asked for when first needed)."""
        return self._store_of()

    # -- cursor ------------------------------------------------------------------------

    @property
    def cursor_row(self) -> int | None:
        if self.cursor_frame is None or not self.store.row_count:
            return None
        return self.store.row_of_frame(self.cursor_frame)

    def select_row(self, row: int | None) -> None:
        """Move the cursor to `row` (clamped); following resumes on the last row."""
        count = self.store.row_count
        old = self.cursor_frame
        if row is None or not count:
            self.cursor_frame = None
        else:
            row = max(0, min(row, count - 1))
            self.cursor_frame = self.store.frame_at_row(row)
            self.follow = row == count - 1
            self._scroll_to_row(row)
        self.refresh()
        if self.cursor_frame != old:
            self.post_message(self.CursorMoved(self.cursor_frame))

    def resync_cursor(self) -> None:
        """Re-anchor the cursor after the rows were rebuilt (filter or fold change)."""
        row = self.cursor_row
        if row is not None:
            self.select_row(row)

    def scroll_to_cursor(self) -> None:
        """Bring the selected row (or, when following, the tail) into view."""
        row = self.cursor_row
        if row is not None:
            self._scroll_to_row(row)
        elif self.follow:
            self._scroll_to_tail()

    def show_row(self, row: int) -> None:
        """Select `row` and scroll it near the top, with a little of what came before it."""
        self.select_row(row)
        self.scroll_to(y=max(0, row - JUMP_CONTEXT), animate=False, immediate=True, force=True)

    def _scroll_to_row(self, row: int) -> None:
        height = max(1, self.scrollable_content_region.height)
        top = round(self.scroll_offset.y)
        if row < top:
            self.scroll_to(y=row, animate=False, immediate=True, force=True)
        elif row >= top + height:
            self.scroll_to(y=row - height + 1, animate=False, immediate=True, force=True)

    def _start_row(self, upward: bool) -> int:
        """Where the cursor starts when nothing was selected: the visible edge."""
        height = max(1, self.scrollable_content_region.height)
        top = round(self.scroll_offset.y)
        last_visible = min(top + height, self.store.row_count) - 1
        return last_visible if upward or self.follow else top

    def _move(self, delta: int) -> None:
        row = self.cursor_row
        self.select_row(self._start_row(delta < 0) if row is None else row + delta)

    def action_cursor_up(self) -> None:
        self._move(-1)

    def action_cursor_down(self) -> None:
        self._move(1)

    def action_page_up_rows(self) -> None:
        self._move(-max(1, self.scrollable_content_region.height - 1))

    def action_page_down_rows(self) -> None:
        self._move(max(1, self.scrollable_content_region.height - 1))

    def action_first_row(self) -> None:
        self.select_row(0)

    def action_last_row(self) -> None:
        """Jump to the tail and follow it."""
        self.follow = True
        if self.store.row_count:
            self.select_row(self.store.row_count - 1)
        self._scroll_to_tail()

    def on_resize(self) -> None:
        show_overflow(self)
        # Every row in view stays cached, however tall the terminal, and as many more.
        self._cache.maxsize = max(CACHED_ROWS, 2 * self.size.height)
        # Fewer lines (the detail opened, the filter bar showed): keep the cursor in view.
        self.call_after_refresh(self.scroll_to_cursor)

    def on_click(self, event: Click) -> None:
        row = event.y + round(self.scroll_offset.y)
        if row < self.store.row_count:
            self.select_row(row)

    # -- repaint -----------------------------------------------------------------------

    def sync(self) -> None:
        """Catch up with the store: size, tail following, and a repaint of what changed
        (while the view stays put, only the rows that show something new: a growing
        folded group repaints its own line, not the whole list)."""
        count = self.store.row_count
        before = (self.virtual_size, self.scroll_offset, self.cursor_frame)
        resize_content(self, Size(self.scrollable_content_region.width, count))
        if self.follow and count:
            last = self.store.frame_at_row(count - 1)
            if self.cursor_frame is not None and self.cursor_frame != last:
                self.cursor_frame = last
                self.post_message(self.CursorMoved(last))
            self._scroll_to_tail()
        elif self.cursor_frame is not None and not count:
            self.cursor_frame = None
            self.post_message(self.CursorMoved(None))
        if (self.virtual_size, self.scroll_offset, self.cursor_frame) != before:
            self.refresh()
        else:
            self._refresh_changed_lines()

    def _refresh_changed_lines(self) -> None:
        width = self.scrollable_content_region.width
        type_width = type_column_width(width, self.store.longest_wire_type)
        top = round(self.scroll_offset.y)
        for y in range(self.scrollable_content_region.height):
            if self._drawn.get(y) != self._line_key(top + y, width, type_width):
                self.refresh_line(top + y)

    def _scroll_to_tail(self) -> None:
        # `force`: right after `virtual_size` grows the scrollbar is not shown yet (that
        # waits for the next layout), and without it Textual refuses to scroll at all, so
        # a first burst taller than the view would stay on its first rows.
        self.scroll_end(animate=False, immediate=True, x_axis=False, force=True)

    def forget_drawn(self) -> None:
        """Drop the cached lines: the store was cleared and its frame indices start over."""
        self._cache.clear()
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()
        self._part_styles = None  # Looked up again at the next paint.

    def _parts(self) -> dict[str, Style]:
        """Each part's style over the rows' own, by part name ("" for the rows' own).

        Looked up once per style update: a stream repaints a row or two on every beat, and
        looking up seven styles cost more than drawing the row."""
        parts = self._part_styles
        if parts is None:
            base = self.rich_style
            parts = {"": base}
            for part in _PARTS:
                parts[part] = base + self.get_component_rich_style(f"frame-rows--{part}")
            self._part_styles = parts
        return parts

    def _line_key(self, row_index: int, width: int, type_width: int) -> tuple[object, ...]:
        """Everything the line showing view row `row_index` depends on (its cache key)."""
        store = self.store
        if row_index >= store.row_count:
            if row_index == 0 and len(store):
                return ("no match", width, store.filter.describe())
            return ("blank", width)
        row = store.row(row_index)
        selected = row.frame_index == self.cursor_frame
        return (
            row.frame_index,
            row.count,
            row.fold,
            row.summary_is_stream,
            selected,
            width,
            type_width,
        )

    def render_lines(self, crop: Region) -> list[Strip]:
        # Where the rows start and how wide they are, once a paint: Textual works the
        # region out anew on each read, and that cost more than a cached row.
        self._geometry = self._measure_geometry() if self._has_store else None
        try:
            return super().render_lines(crop)
        finally:
            self._geometry = None

    def _measure_geometry(self) -> tuple[int, int, int]:
        """The first row in view, the rows' width and the type column's."""
        width = self.scrollable_content_region.width
        type_width = type_column_width(width, self.store.longest_wire_type)
        return round(self.scroll_offset.y), width, type_width

    @property
    def _has_store(self) -> bool:
        # Nothing asked for the store yet (the first frame): no frame to show, and no
        # reason to make the store (and load its modules) just to find that out.
        return "store" in self.__dict__

    def render_line(self, y: int) -> Strip:
        if not self._has_store:
            return Strip.blank(self.scrollable_content_region.width, self.rich_style)
        top, width, type_width = self._geometry or self._measure_geometry()
        row_index = top + y
        key = self._line_key(row_index, width, type_width)
        self._drawn[y] = key
        strip = self._cache.get(key)
        if strip is None:
            strip = self._cache[key] = self._render_line(key, row_index, width, type_width)
        return strip

    def _render_line(
        self, key: tuple[object, ...], row_index: int, width: int, type_width: int
    ) -> Strip:
        if key[0] == "no match":
            return self._no_match_line(width)
        if key[0] == "blank":
            return Strip.blank(width, self.rich_style)
        row = self.store.row(row_index)
        return self._render_row(row, row.frame_index == self.cursor_frame, width, type_width)

    def _no_match_line(self, width: int) -> Strip:
        """Frames arrived but the filter hides them all: say so instead of a blank list."""
        text = f" No frame matches the filter ({self.store.filter.describe()}); ⌫ clears it."
        parts = self._parts()
        return Strip([Segment(text, parts["time"])]).adjust_cell_length(width, parts[""])

    def _render_row(self, row: Row, selected: bool, width: int, type_width: int) -> Strip:
        parts = self._parts()
        wire_type = fit_wire_type(row.wire_type or "(no type)", type_width)
        count = f"x{row.count} " if row.fold == "folded" else ""
        used = LEAD_WIDTH + type_width + len(count)
        room = max(0, width - used)
        summary = _flat(row.summary)
        if len(summary) > room and row.summary_is_stream and room > 1:
            summary = "…" + summary[-(room - 1) :]
        mark = "sent" if row.direction is Direction.SENT else "received"
        segments = [
            Segment(f"{row.t_ms:>8.0f} ", parts["time"]),
            Segment(f"{row.arrow} ", parts[mark]),
            Segment(f"{_FOLD_MARKS[row.fold]} ", parts["fold"]),
            Segment(f"{wire_type:<{type_width}} ", parts["error" if row.is_error else "type"]),
            Segment(count, parts["fold"]),
            Segment(summary, parts["error" if row.is_error else "summary"]),
        ]
        base = parts[""]
        if selected:
            cursor = self.get_component_rich_style("frame-rows--cursor")
            segments = list(Segment.apply_style(segments, post_style=cursor))
            base = base + cursor
        return Strip(segments).adjust_cell_length(width, base)
