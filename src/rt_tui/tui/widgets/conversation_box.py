"""The conversation pane's frame: its border and title."""

from __future__ import annotations

from textual.containers import Vertical

from rt_tui.tui.widgets.conversation import ConversationPane


class ConversationBox(Vertical):
    """The conversation pane's frame: its border and title.

    The border is drawn here, not by the pane: Textual draws a widget's border into each
    of its lines, and the pane repaints all its lines whenever new text scrolls it, so a
    border of its own doubled what a stream cost it. This frame's lines never change.
    """

    ALLOW_MAXIMIZE = True
    """Maximizing the pane shows it in its frame."""

    def __init__(self, pane: ConversationPane, *, id: str | None = None) -> None:
        super().__init__(pane, id=id)
        self.border_title = "Conversation"
