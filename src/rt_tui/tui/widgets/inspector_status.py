"""The inspector's one-line status, repainted in place.

It changes with nearly every tick of a stream (the frame count), so it must cost a repaint
of one line, never a layout of the screen as a `Static.update` would: its height is fixed,
and `show` only stores the state and asks for a repaint when it differs. The line is fitted
to the width when it is drawn, so a resize needs nothing from the inspector.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widget import Widget

from rt_tui.inspector.status_line import InspectorState, status_line


class InspectorStatus(Widget):
    """Counts, filter, fold and follow state of the inspector, on one line."""

    DEFAULT_CSS = """
    InspectorStatus { height: 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._state: InspectorState | None = None

    @property
    def state(self) -> InspectorState | None:
        """What the line reports (None before the first `show`)."""
        return self._state

    def show(self, state: InspectorState) -> None:
        """Report `state`; a repaint follows only if it changed."""
        if state != self._state:
            self._state = state
            self.refresh()

    def render_line(self, y: int) -> Strip:
        # A strip of its own, not a `render()` of Content: a stream repaints this line on
        # every beat, and Content's layout of even one line cost more than the rows' own.
        width, style = self.content_region.width, self.rich_style
        text = status_line(self._state, width) if self._state is not None and y == 0 else ""
        blank = Style.from_color(bgcolor=style.bgcolor)  # The padding has no text colour.
        return Strip([Segment(text, style)]).adjust_cell_length(width, blank)
