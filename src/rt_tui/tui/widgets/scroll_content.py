"""Growing a scroll view's content without a layout of the whole screen.

Two things ask for one as a live view's content grows: its content size, and its vertical
scrollbar appearing once the content first overflows (Textual places scrollbars only in
a layout, and one that appears asks for two: its own, then its size's). A view that
grows with a stream takes both out of the way: `resize_content` sets the size, and the
view's CSS (`steady_scrollbar_css`) keeps the scrollbar placed from the first frame,
drawn in the colours of what is behind it until the content overflows (the class
OVERFLOWS then gives it the theme's), so it looks as if it came and went.
"""

from __future__ import annotations

from contextlib import nullcontext
from typing import Final

from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.widget import Widget

from rt_tui.tui.widgets.thumb_scrollbar import ThumbScrollBar

OVERFLOWS: Final = "-overflows"
"""The class of a view whose content is taller than the view: its scrollbar shows."""


def steady_scrollbar_css(selector: str) -> str:
    """CSS for the views `selector` picks: a vertical scrollbar always placed, unseen
    until the content overflows (with the theme's scrollbar colours, as Textual's)."""
    unseen = "; ".join(
        f"scrollbar-{part}: transparent"
        for part in (
            "background",
            "background-hover",
            "background-active",
            "color",
            "color-hover",
            "color-active",
        )
    )
    return f"""
    {selector} {{ overflow-y: scroll; {unseen}; }}
    {selector}.{OVERFLOWS} {{
        scrollbar-background: $scrollbar-background;
        scrollbar-background-hover: $scrollbar-background-hover;
        scrollbar-background-active: $scrollbar-background-active;
        scrollbar-color: $scrollbar;
        scrollbar-color-hover: $scrollbar-hover;
        scrollbar-color-active: $scrollbar-active;
    }}
    """


def resize_content(view: ScrollView, size: Size) -> None:
    """Take `size` as `view`'s content size without a layout of the whole screen.

    Setting `virtual_size` asks for one, and a layout repaints every widget on the screen;
    a live view's content grows with each new line or row while the view's own size and
    place stay the same, so only its scrollbar needs to follow (see the module doc)."""
    if view.virtual_size != size:
        view.set_reactive(Widget.virtual_size, size)
        bar = view.vertical_scrollbar
        with bar.thumb_only() if isinstance(bar, ThumbScrollBar) else nullcontext():
            view._scroll_update(size)
    show_overflow(view)


def show_overflow(view: ScrollView) -> None:
    """Show `view`'s scrollbar if its content is taller than it (call it on a resize).

    Only the view's own scrollbar colours follow the class, so only the view is styled
    again: a class change restyles everything inside the view too, its scrollbars with
    it, and a restyled scrollbar asks for a layout of the whole screen."""
    height = view.scrollable_content_region.height
    overflows = height > 0 and view.virtual_size.height > height
    if overflows != view.has_class(OVERFLOWS):
        view.set_class(overflows, OVERFLOWS, update=False)
        if view.is_attached:
            view.app.stylesheet.apply(view)  # repaints the scrollbars whose colours change
