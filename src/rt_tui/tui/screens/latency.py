"""The latency screen: where each response's time went, and the session's p50 / p95.

A table of every response, sortable by TTFA, total and tokens (slowest or biggest first;
the same key again turns the order round); the selected response's waterfall, its spans
as bars against a time axis; and the session's figures per span. Enter closes the screen
with the response's id, for the main screen to show its frames in the inspector. The
figures are the inspector's `LatencyTracker`'s, read again while the screen is open, so
a live session or a replay at a speed keeps filling it.
"""

from __future__ import annotations

import contextlib
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static
from textual.widgets.data_table import RowDoesNotExist

from rt_tui.inspector.latency import LatencyTracker, Milestone, ResponseLatency
from rt_tui.inspector.latency_report import Order, duration_text, ordered, session_stats
from rt_tui.tui.widgets.waterfall import Waterfall

REFRESH_S = 0.5
"""How often the screen looks for new responses while it is open."""
COLUMNS = ("#", "response", "turn", "TTFA", "first delta", "total", "tokens", "status")


def _turn(response: ResponseLatency) -> str:
    """What the response answered: speech the server heard end (VAD), audio the client
    committed, or a request (`response.create`)."""
    marks = response.marks
    if Milestone.SPEECH_STOPPED in marks:
        return "speech"
    if Milestone.COMMITTED in marks:
        return "audio"
    return "request" if Milestone.REQUESTED in marks else "—"


def _row(response: ResponseLatency) -> list[Text]:
    tokens = response.tokens
    cells = [
        str(response.number),
        response.response_id,
        _turn(response),
        duration_text(response.ttfa_ms),
        duration_text(response.first_delta_ms),
        duration_text(response.total_ms),
        "—" if tokens is None else f"{tokens:,}",
        response.status.replace("_", " "),
    ]
    right = {0, 3, 4, 5, 6}
    return [Text(cell, justify="right" if n in right else "left") for n, cell in enumerate(cells)]


class LatencyTable(DataTable[Text]):
    """The responses, one a row; Enter shows the selected one's frames."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "select_cursor",
            "Frames",
            id="latency.frames",
            tooltip="Show the selected response's frames in the inspector",
        ),
    ]


class LatencyScreen(Screen[str | None]):
    """Every response's latency; dismissed with the id of the response to show, or None."""

    DEFAULT_CSS = """
    LatencyScreen { layout: vertical; }
    LatencyScreen > #latency-stats, LatencyScreen > #latency-waterfall {
        height: auto;
        border: round $panel;
        border-title-color: $text-muted;
        padding: 0 1;
    }
    LatencyScreen > #latency-table {
        height: 1fr;
        min-height: 4;
        border: round $panel;
        border-title-color: $text-muted;
    }
    LatencyScreen > #latency-table:focus { border: heavy $accent; border-title-color: $text; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="latency.close", tooltip="Back to the session"),
        Binding(
            "a",
            "sort('TTFA')",
            "By TTFA",
            id="latency.sort_ttfa",
            tooltip="Sort by time to first audio, slowest first (again: fastest first)",
        ),
        Binding(
            "t",
            "sort('total')",
            "By total",
            id="latency.sort_total",
            tooltip="Sort by the time to response.done, slowest first (again: fastest first)",
        ),
        Binding(
            "k",
            "sort('tokens')",
            "By tokens",
            id="latency.sort_tokens",
            tooltip="Sort by tokens in and out, most first (again: fewest first)",
        ),
        Binding(
            "o",
            "sort('order')",
            "In order",
            id="latency.sort_order",
            tooltip="List the responses in the order they came",
        ),
    ]

    def __init__(self, tracker: LatencyTracker) -> None:
        super().__init__()
        self.tracker = tracker
        self.order = Order.NUMBER
        self.descending = False
        self._shown_version = -1

    def compose(self) -> ComposeResult:
        stats = Static(id="latency-stats")
        stats.border_title = "Session: p50 / p95 of each span"
        yield stats
        table = LatencyTable(id="latency-table", cursor_type="row")
        table.add_columns(*COLUMNS)
        yield table
        yield Waterfall(id="latency-waterfall")
        yield Footer()

    def on_mount(self) -> None:
        self._refresh()
        self.set_interval(REFRESH_S, self._refresh_if_changed)

    @property
    def table(self) -> LatencyTable:
        return self.query_one(LatencyTable)

    @property
    def selected(self) -> ResponseLatency | None:
        """The response of the table's cursor row, if any."""
        table = self.table
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.tracker.responses.get(key or "")

    def _refresh_if_changed(self) -> None:
        if self.tracker.version != self._shown_version:
            self._refresh()

    def _refresh(self) -> None:
        """Show the tracker's responses again, the cursor staying on its response."""
        self._shown_version = self.tracker.version
        self._fill_table()
        self._show_stats()
        self._show_waterfall()

    def _fill_table(self) -> None:
        table = self.table
        keep = self.selected
        table.clear()
        rows = ordered(self.tracker.responses.values(), self.order, descending=self.descending)
        for response in rows:
            table.add_row(*_row(response), key=response.response_id)
        direction = "" if self.order is Order.NUMBER else (" ↓" if self.descending else " ↑")
        table.border_title = f"Responses by {self.order.value}{direction}: Enter shows frames"
        if keep is not None:
            with contextlib.suppress(RowDoesNotExist):  # Gone: the new session's own.
                table.move_cursor(row=table.get_row_index(keep.response_id), animate=False)

    def _show_stats(self) -> None:
        stats = session_stats(self.tracker.responses.values())
        widget = self.query_one("#latency-stats", Static)
        if not stats:
            widget.update(Text("No response has finished yet.", style="italic"))
            return
        grid = Table.grid(padding=(0, 2))
        grid.add_column("span")
        for header in ("n", "p50", "p95", "max"):
            grid.add_column(header, justify="right")
        grid.add_row(*(Text(h, style="bold") for h in ("span", "n", "p50", "p95", "max")))
        for row in stats:
            grid.add_row(
                row.label,
                str(row.count),
                duration_text(row.p50_ms),
                duration_text(row.p95_ms),
                duration_text(row.max_ms),
            )
        widget.update(grid)

    def _show_waterfall(self) -> None:
        chart = self.query_one(Waterfall)
        response = self.selected
        chart.show(response)
        title = "Waterfall"
        if response is not None:
            title += f" of response {response.number} ({response.response_id})"
        chart.border_title = title

    def action_sort(self, order: str) -> None:
        """List by `order`; the same order again turns it round."""
        chosen = Order(order)
        if chosen is self.order:
            self.descending = not self.descending
        else:
            self.order, self.descending = chosen, chosen is not Order.NUMBER
        self._refresh()
        self.table.move_cursor(row=0, animate=False)

    @on(DataTable.RowHighlighted, "#latency-table")
    def _on_highlighted(self) -> None:
        self._show_waterfall()

    @on(DataTable.RowSelected, "#latency-table")
    def _on_selected(self, message: DataTable.RowSelected) -> None:
        self.dismiss(message.row_key.value)

    def action_close(self) -> None:
        self.dismiss(None)
