"""One response's waterfall: each span between its milestones as a bar against a time
axis, with its duration, and the response's TTFA, total and tokens under it.

Drawn at the widget's own width whenever it renders, so a resize redraws the bars to fit.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.widget import Widget

from rt_tui.inspector.latency import ResponseLatency
from rt_tui.inspector.latency_report import duration_text, time_axis, waterfall

LABEL_WIDTH = 36
"""Cells for a row's span name ('response.create → response.created') and a gap."""
VALUE_WIDTH = 9
"""Cells for a row's duration."""


def elapsed_ms(response: ResponseLatency) -> float:
    """How long the response has taken: to `response.done`, or to its latest milestone
    while it runs."""
    if response.total_ms is not None:
        return response.total_ms
    start = response.start
    if start is None:
        return 0.0
    return max(mark.t_ms for mark in response.marks.values()) - start.t_ms


def facts(response: ResponseLatency) -> str:
    """TTFA, first delta, total, tokens and status in one line."""
    parts = [
        f"TTFA {duration_text(response.ttfa_ms)}",
        f"first delta {duration_text(response.first_delta_ms)}",
        f"total {duration_text(response.total_ms)}",
    ]
    if response.tokens is not None:
        parts.append(f"{response.input_tokens:,} in / {response.output_tokens:,} out tokens")
    parts.append(response.status.replace("_", " "))
    return " · ".join(parts)


class Waterfall(Widget):
    """The waterfall of `response` (None: a line saying there is none yet)."""

    DEFAULT_CSS = """
    Waterfall { height: auto; }
    Waterfall > .waterfall--bar { color: $accent; }
    Waterfall > .waterfall--axis { color: $text-muted; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"waterfall--bar", "waterfall--axis"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.response: ResponseLatency | None = None

    def show(self, response: ResponseLatency | None) -> None:
        """Draw `response` from now on (it may still be growing: drawn as it stands)."""
        self.response = response
        self.refresh(layout=True)

    def render(self) -> Text:
        response = self.response
        if response is None or not response.marks:
            return Text("No response yet: send a message.", style="italic")
        width = max(10, self.content_size.width - LABEL_WIDTH - VALUE_WIDTH)
        bar_style = self.get_component_rich_style("waterfall--bar")
        axis_style = self.get_component_rich_style("waterfall--axis")
        text = Text(no_wrap=True, overflow="ellipsis")
        for bar in waterfall(response, width):
            text.append(bar.label[: LABEL_WIDTH - 2].ljust(LABEL_WIDTH))
            text.append(" " * bar.start)
            text.append("█" * (bar.end - bar.start), bar_style)
            text.append(" " * (width - bar.end))
            text.append(duration_text(bar.duration_ms).rjust(VALUE_WIDTH) + "\n")
        text.append(" " * LABEL_WIDTH + time_axis(elapsed_ms(response), width) + "\n", axis_style)
        text.append(facts(response))
        return text
