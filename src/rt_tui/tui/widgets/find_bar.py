"""The find bar: a line to search the conversation in, and how many matches there are.

ctrl+f opens it (the main screen's key); typing highlights the matches in the
conversation pane and goes to the first one from the top of the view; Enter or Down goes
to the next, shift+Enter or Up to the previous (both wrap around); Esc closes it, ends
the highlighting and leaves the last match's item selected in the pane, which then has
the focus (ctrl+g shows the item's frames).
"""

from __future__ import annotations

import asyncio
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Input, Static

from rt_tui.tui.widgets.conversation import ConversationPane
from rt_tui.tui.widgets.one_shot import call_after

TYPING_DEBOUNCE_S = 0.15
"""A search starts once typing pauses this long."""


class FindBar(Horizontal):
    """Search the conversation pane it is given."""

    DEFAULT_CSS = """
    FindBar { display: none; height: 1; padding: 0 1; }
    FindBar.-shown { display: block; }
    FindBar > #find-label { width: auto; color: $text-muted; }
    FindBar > #find-input { width: 1fr; }
    FindBar > #find-count { width: auto; min-width: 12; color: $text-muted; padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="find.close", tooltip="Stop finding"),
        Binding("down", "step(1)", "Next", id="find.next", tooltip="Go to the next match"),
        Binding(
            "up", "step(-1)", "Previous", id="find.previous", tooltip="Go to the previous match"
        ),
        Binding(
            "shift+enter",
            "step(-1)",
            "Previous",
            id="find.previous_enter",
            tooltip="Go to the previous match",
            show=False,
        ),
    ]

    def __init__(self, pane: ConversationPane, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.pane = pane
        self._timer: asyncio.TimerHandle | None = None
        self.found = (0, 0)
        """The current match's number (from 1; 0 for none) and how many there are."""

    def compose(self) -> ComposeResult:
        yield Static("Find: ", id="find-label")
        yield Input(id="find-input", placeholder="text in the conversation", compact=True)
        yield Static("", id="find-count")

    @property
    def input(self) -> Input:
        return self.query_one("#find-input", Input)

    @property
    def shown(self) -> bool:
        return self.has_class("-shown")

    def open(self) -> None:
        """Show the bar with its last query selected, ready to type over."""
        self.add_class("-shown")
        self.input.focus()
        self.input.select_all()

    def action_close(self) -> None:
        """Hide the bar, end the highlighting; the pane takes the focus."""
        if self._timer is not None:
            self._timer.cancel()
        self.remove_class("-shown")
        self.pane.end_find()
        self.pane.focus()

    def action_step(self, step: int) -> None:
        """Go to the next (1) or previous (-1) match."""
        self._search(step)

    @on(Input.Changed, "#find-input")
    def _on_typed(self, message: Input.Changed) -> None:
        message.stop()
        if self._timer is not None:
            self._timer.cancel()
        self._timer = call_after(self, TYPING_DEBOUNCE_S, lambda: self._search(0))

    @on(Input.Submitted, "#find-input")
    def _on_submitted(self, message: Input.Submitted) -> None:
        message.stop()
        self._search(1)

    def _search(self, step: int) -> None:
        if self._timer is not None:
            self._timer.cancel()
        query = self.input.value
        if step and query != self.pane.finder.query:
            step = 0  # Typed, then Enter before the pause: the first match, not the second.
        self.found = number, total = self.pane.find(query, step)
        count = self.query_one("#find-count", Static)
        if not query.strip():
            count.update("")
        elif not total:
            count.update("no match")
        else:
            count.update(f"{number} of {total}")
