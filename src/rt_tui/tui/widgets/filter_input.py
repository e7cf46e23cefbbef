"""The inspector's filter box (f): what it types filters the rows as it goes."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import Input


class FilterInput(Input):
    """The filter box; Escape applies and closes it like Enter, ctrl+u empties it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "done",
            "Close filter",
            show=False,
            id="inspector.filter_done",
            tooltip="Close the filter box, keeping the filter",
        ),
        Binding(
            "ctrl+u",
            "clear_text",
            "Clear",
            show=False,
            id="inspector.filter_clear",
            tooltip="Empty the filter box",
        ),
    ]

    def action_done(self) -> None:
        self.post_message(self.Submitted(self, self.value))

    def action_clear_text(self) -> None:
        self.value = ""
