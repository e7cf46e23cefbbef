"""A vertical scrollbar that draws itself again only when it would look different.

Textual repaints a view's scrollbar each time the view's content size or scroll offset
changes. A live view (the conversation, the inspector's rows) grows on every repaint beat
while it streams, so each beat drew both panes' scrollbars whole, ~1.3 ms each: half of
the lines the screen drew during a stream were scrollbar lines. Yet the thumb is drawn in
eighths of a cell, and once the content is a few screens long it moves by one only every
few beats. This scrollbar hands the screen the lines it drew last while they show the same
thumb in the same colours; anything else (a new size, a hover, a grab, new colours) draws
it again, as Textual would.
"""

from __future__ import annotations

from math import ceil

from rich.console import RenderableType
from textual.geometry import Region
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.strip import Strip
from textual.widget import Widget


def thumb_eighths(
    size: int, virtual_size: float, window_size: float, position: float
) -> tuple[int, int] | None:
    """Where the thumb of a bar `size` cells long starts and ends, in eighths of a cell
    (None: no thumb, the content fits). The same sums as Textual's `ScrollBar` and
    `ScrollBarRender.render_bar`, which draw it."""
    virtual = ceil(virtual_size)
    window = ceil(window_size) if window_size < virtual_size else 0
    if not (window and size and virtual and size != virtual):
        return None
    eighths = len(ScrollBarRender.VERTICAL_BARS)
    thumb = max(1, window / (virtual / size))
    start = int((size - thumb) * (position / (virtual - window)) * eighths)
    return start, start + ceil(thumb * eighths)


class QuietScrollBar(ScrollBar):
    """A vertical scrollbar that hands the screen the lines it drew last for as long as
    they show what a repaint would draw."""

    def __init__(self, *, thickness: int) -> None:
        super().__init__(vertical=True, name="vertical", thickness=thickness)
        self._painted_look: tuple[object, ...] | None = None
        """What the bar drawn last depended on."""
        self._kept: tuple[tuple[object, ...] | None, Region, list[Strip]] | None = None
        """The lines handed over last: the look they show, the part of the bar they are."""

    def _look(self) -> tuple[object, ...]:
        """Everything the drawn bar depends on (as `ScrollBar.render` reads it)."""
        parent = self.parent
        assert isinstance(parent, Widget)
        styles = parent.styles
        colours = (
            styles.scrollbar_background,
            styles.scrollbar_background_hover,
            styles.scrollbar_background_active,
            styles.scrollbar_color,
            styles.scrollbar_color_hover,
            styles.scrollbar_color_active,
        )
        # A see-through colour is drawn over what is behind the view.
        behind = parent.background_colors[0] if any(c.a < 1 for c in colours) else None
        size = self.size
        return (
            size,
            self.thickness,
            self.mouse_over,
            self.grabbed,
            colours,
            behind,
            thumb_eighths(size.height, self.window_virtual_size, self.window_size, self.position),
        )

    def render_lines(self, crop: Region) -> list[Strip]:
        # Textual marks the bar dirty on each change to the content's size or the scroll
        # offset, the thumb often passing through a state it leaves again within the same
        # update: whether the lines kept still hold is told here, when they are asked for.
        kept = self._kept
        if kept is not None and kept[0] == self._look() and kept[1] == crop:
            return kept[2]
        lines = super().render_lines(crop)
        self._kept = (self._painted_look, crop, lines)
        return lines

    def render(self) -> RenderableType:
        self._painted_look = self._look()
        return super().render()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._kept = None  # the bar's own styles: not part of its look


def quiet_vertical_scrollbar(view: Widget) -> ScrollBar:
    """`view`'s vertical scrollbar, made a `QuietScrollBar` when first asked for: what a
    view's `vertical_scrollbar` property returns in place of Textual's own. (Textual makes
    its scrollbar there too, with these private names.)"""
    if view._vertical_scrollbar is None:
        bar = QuietScrollBar(thickness=view.scrollbar_size_vertical)
        bar.display = False
        view._vertical_scrollbar = bar
        view.app._start_widget(view, bar)
    return view._vertical_scrollbar
