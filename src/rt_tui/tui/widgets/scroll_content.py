"""Growing a scroll view's content without a layout of the whole screen."""

from __future__ import annotations

from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.widget import Widget


def resize_content(view: ScrollView, size: Size) -> None:
    """Take `size` as `view`'s content size without a layout of the whole screen.

    Setting `virtual_size` asks for one, and a layout repaints every widget on the screen;
    a live view's content grows with each new line or row while the view's own size and
    place stay the same, so only its scrollbars need to follow (a scrollbar that appears
    asks for its layout itself)."""
    if view.virtual_size != size:
        view.set_reactive(Widget.virtual_size, size)
        view._scroll_update(size)
