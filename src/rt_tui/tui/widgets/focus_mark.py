"""Say which pane has the focus without relying on colour (over SSH, colours may not show).

The focused pane's border title gets a `▶` in front; the stylesheet also draws its border
heavy. Together they tell the conversation from the composer at a glance.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.widget import Widget

FOCUS_MARK = "▶ "


def mark_focused(panes: Iterable[Widget], focused: Widget | None) -> None:
    """Put `FOCUS_MARK` before the border title of the pane holding `focused`, and
    take it off every other pane's."""
    chain = focused.ancestors_with_self if focused is not None else []
    for pane in panes:
        title = str(pane.border_title or "").removeprefix(FOCUS_MARK)
        if not title:
            continue
        pane.border_title = f"{FOCUS_MARK}{title}" if pane in chain else title
