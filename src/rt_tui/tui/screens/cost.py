"""The cost view: the session's tokens and cost response by response, by kind of token,
against the budget, and the account's rate limits as gauges.

Everything shown comes from the `rt_tui.cost` core; the view only lays it out. It is
built when opened and again only when a response finishes or the rate limits change
while it is open (a check twice a second), never per frame.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Static

from rt_tui.cost.meter import NO_PRICE, CostLine, CostMeter, cost_lines, usd
from rt_tui.cost.rate_limits import gauge_bar, limit_line, remaining_share
from rt_tui.cost.summary import COLUMNS, listed_counts, response_costs, token_cells
from rt_tui.realtime.conversation import Conversation

GAUGE_WIDTH = 20
"""Cells of a rate-limit gauge."""


class CostScreen(ModalScreen[None]):
    """What this session cost so far; Escape or q closes it."""

    DEFAULT_CSS = """
    CostScreen {
        align: center middle;
    }
    CostScreen > #cost-dialog {
        width: 95%;
        max-width: 120;
        height: 90%;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    CostScreen .cost-heading {
        text-style: bold;
        color: $accent;
        margin-top: 1;
    }
    CostScreen #cost-responses {
        height: auto;
        max-height: 40%;
    }
    CostScreen #cost-more {
        height: 1fr;
    }
    """

    BINDINGS = [
        Binding("escape", "close", "Close", tooltip="Close the cost view", id="cost.close"),
        Binding("q", "close", "Close", show=False, id="cost.close_q"),
    ]

    def __init__(self, conversation: Conversation, meter: CostMeter, hint: str = "") -> None:
        """`hint` is the model or deployment the URL names (`CostMeter.pricing`)."""
        super().__init__()
        self.conversation = conversation
        self.meter = meter
        self.hint = hint
        self._shown: tuple[int, object] | None = None
        """What the view shows: (responses with usage, the rate limits object)."""

    def compose(self) -> ComposeResult:
        with Vertical(id="cost-dialog"):
            yield Static(id="cost-model")
            yield Static("Responses", classes="cost-heading")
            yield DataTable(id="cost-responses", zebra_stripes=True, cursor_type="row")
            with VerticalScroll(id="cost-more"):
                yield Static("This session, by kind of token", classes="cost-heading")
                yield Static(id="cost-kinds")
                yield Static(id="cost-budget")
                yield Static("Rate limits", classes="cost-heading")
                yield Static(id="cost-limits")
            yield Footer()

    def on_mount(self) -> None:
        self.query_one("#cost-dialog").border_title = "Session cost"
        table = self.query_one(DataTable)
        for column in COLUMNS:
            table.add_column(column, key=column)
        self._show()
        table.focus()
        self.set_interval(0.5, self._show)

    def _show(self) -> None:
        """Lay out the cost again if a response finished or the limits changed."""
        conversation = self.conversation
        state = (conversation.totals.responses, conversation.rate_limits)
        if state == self._shown:
            return
        self._shown = state
        pricing = self.meter.pricing(conversation.session, self.hint)
        self.query_one("#cost-model", Static).update(
            Text(f"{pricing.describe()} · {self.meter.table.describe()}")
        )
        table = self.query_one(DataTable)
        table.clear()
        rows = response_costs(conversation, pricing)
        for row in rows:
            table.add_row(*_right_numbers(row.cells()), key=row.response_id)
        if rows:
            listed = listed_counts(rows)
            listed_cost = pricing.cost(listed)
            money = usd(listed_cost) if listed_cost is not None else NO_PRICE
            cells = ["", f"total ({len(rows)})", "", money, *token_cells(listed)]
            table.add_row(*_right_numbers(cells))
        # The rest is this session's, as on the status bar: after a reconnect the list
        # above holds the earlier sessions' responses too.
        counts = conversation.totals.counts
        total = pricing.cost(counts)
        prices = pricing.match.prices if pricing.match is not None else None
        self.query_one("#cost-kinds", Static).update(_kinds_table(cost_lines(counts, prices)))
        self.query_one("#cost-budget", Static).update(self._budget_text(total))
        self.query_one("#cost-limits", Static).update(_limits_table(conversation))

    def _budget_text(self, total: float | None) -> Text:
        budget = self.meter.budget.limit_usd
        if budget is None:
            return Text("No budget: [cost] budget_usd in the config file sets one.", style="dim")
        if total is None:
            return Text(f"Budget {usd(budget)} a session; the model has no price.")
        share = total / budget
        text = Text(f"Budget {usd(budget)} a session: {usd(total)} spent ({share:.0%}).")
        if self.meter.budget.over(total):
            text.append("  Over budget.", style="bold reverse")
        return text

    def action_close(self) -> None:
        """Close the cost view."""
        self.dismiss(None)


def _right_numbers(cells: list[str]) -> list[Text]:
    """Cells with the numbers right-aligned (all but the response id and status)."""
    return [
        Text(cell, justify="left" if index in (1, 2) else "right")
        for index, cell in enumerate(cells)
    ]


def _kinds_table(rows: list[CostLine]) -> Table | Text:
    if not rows:
        return Text("No response has reported its usage yet.", style="dim")
    table = Table(box=None, padding=(0, 2, 0, 0))
    table.add_column("kind")
    table.add_column("tokens", justify="right")
    table.add_column("per 1M", justify="right")
    table.add_column("cost", justify="right")
    for line in rows:
        per_million = f"${line.per_million:,.2f}" if line.per_million is not None else NO_PRICE
        cost = usd(line.usd) if line.usd is not None else ""
        table.add_row(line.label, f"{line.tokens:,}", per_million, cost)
    return table


def _limits_table(conversation: Conversation) -> Table | Text:
    if not conversation.rate_limits:
        return Text("The server has sent no rate_limits.updated yet.", style="dim")
    table = Table(box=None, show_header=False, padding=(0, 2, 0, 0))
    table.add_column("gauge", no_wrap=True)
    table.add_column("what")
    for limit in conversation.rate_limits:
        table.add_row(gauge_bar(remaining_share(limit), GAUGE_WIDTH), limit_line(limit))
    return table
