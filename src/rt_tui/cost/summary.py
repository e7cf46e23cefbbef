"""A session's cost, response by response and by kind of token, as rows and as text.

Built on demand (the cost view when it opens, `rt-tui replay --cost` once): it walks
the session's responses, which the live path never does.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rt_tui.cost.meter import NO_PRICE, CostMeter, Pricing, cost_lines, usd
from rt_tui.cost.rate_limits import limit_line
from rt_tui.realtime.conversation import Conversation
from rt_tui.realtime.usage import TokenCounts

__all__ = [
    "COLUMNS",
    "ResponseCost",
    "listed_counts",
    "response_costs",
    "summary_lines",
    "token_cells",
]


@dataclass(frozen=True, slots=True)
class ResponseCost:
    """One finished response's tokens and cost."""

    number: int
    """1 for the session's first response that reported usage."""
    response_id: str
    status: str
    counts: TokenCounts
    usd: float | None
    """None: the model has no price."""

    def cells(self) -> list[str]:
        """The row under `COLUMNS`."""
        tokens = token_cells(self.counts)
        return [str(self.number), self.response_id, self.status, _money(self.usd), *tokens]


COLUMNS = ["#", "response", "status", "cost", "text in", "audio in", "cached in", "text out"]
COLUMNS += ["audio out"]
"""The columns of a table of responses (`ResponseCost.cells`); 'audio in' counts image
input too when there is any, and 'cached in' all cached input."""


def token_cells(counts: TokenCounts) -> list[str]:
    """The token columns of `COLUMNS` for `counts`."""
    return [
        f"{counts.text_input:,}",
        f"{counts.audio_input + counts.image_input:,}",
        f"{counts.cached_input:,}",
        f"{counts.text_output:,}",
        f"{counts.audio_output:,}",
    ]


def _money(amount: float | None) -> str:
    return usd(amount) if amount is not None else NO_PRICE


def response_costs(conversation: Conversation, pricing: Pricing) -> list[ResponseCost]:
    """Every response that reported usage, in the order they started."""
    rows: list[ResponseCost] = []
    for response in conversation.responses.values():
        if response.usage is None:
            continue
        counts = response.usage.counts
        rows.append(
            ResponseCost(len(rows) + 1, response.id, response.status, counts, pricing.cost(counts))
        )
    return rows


def listed_counts(rows: Iterable[ResponseCost]) -> TokenCounts:
    """The tokens of `rows` together: every response the conversation holds, which after
    a reconnect is more than the current session's totals."""
    return sum((row.counts for row in rows), TokenCounts())


def _table(rows: Iterable[list[str]]) -> list[str]:
    """Rows as lines of aligned columns: text columns left, numbers right."""
    rows = list(rows)
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [
            cell.ljust(width) if index in (1, 2) else cell.rjust(width)
            for index, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    return lines


def summary_lines(conversation: Conversation, meter: CostMeter, hint: str = "") -> list[str]:
    """The session's cost as text: the model and prices, a line per response, the total
    by kind of token, the last rate limits and the budget. `hint` is the model or
    deployment the URL names (`CostMeter.pricing`)."""
    pricing = meter.pricing(conversation.session, hint)
    lines = [f"Cost of {pricing.describe()}; {meter.table.describe()}."]
    rows = response_costs(conversation, pricing)
    if not rows:
        return [*lines, "No response reported its usage."]
    counts = listed_counts(rows)
    total = pricing.cost(counts)
    responses = f"{len(rows)} response{'s' if len(rows) > 1 else ''}"
    session_row = ["", f"total ({responses})", "", _money(total), *token_cells(counts)]
    table = _table([COLUMNS, *(row.cells() for row in rows), session_row])
    lines += ["", *table, "", "By kind of token:"]
    prices = pricing.match.prices if pricing.match is not None else None
    for line in cost_lines(counts, prices):
        price = ""
        if line.per_million is not None:
            rate = f"${line.per_million:,.2f}"
            price = f" at {rate:>7}/1M = {_money(line.usd)}"
        lines.append(f"  {line.label:<16} {line.tokens:>10,}{price}")
    if conversation.rate_limits:
        lines += ["", "Rate limits (the last update):"]
        lines += [f"  {limit_line(limit)}" for limit in conversation.rate_limits]
    budget = meter.budget.limit_usd
    if budget is not None and total is not None:
        state = "passed" if meter.budget.over(total) else "not reached"
        lines += ["", f"Budget {usd(budget)} a session: {state}."]
    return lines
