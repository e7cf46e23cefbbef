"""A pane's frame: its border and title, drawn around the pane instead of by it.

Textual draws a widget's border into each of its lines, working the side characters and
their styles out again for every line it paints, and the title with the top line: a pane
that repaints often (the conversation, whose lines all move when it follows new text; the
composer, on every keystroke) paid for its border each time. A frame's own lines never
change, so the pane inside it repaints only its content.
"""

from __future__ import annotations

from textual.widget import Widget

from rt_tui.tui.widgets.backdrop import BackdropVertical


class PaneFrame(BackdropVertical):
    """A border with `title` around `pane` (style it by the frame's id)."""

    ALLOW_MAXIMIZE = True
    """Maximizing the pane shows it in its frame."""

    def __init__(self, pane: Widget, *, title: str, id: str | None = None) -> None:
        super().__init__(pane, id=id)
        self.border_title = title
