"""What a session's tokens cost: the model's prices applied to each kind of token.

The model is the one the server says the session runs (`session.created`'s `model`),
else the one the URL names (a model, or an Azure deployment). A model the table has no
row for still shows its tokens, with "no price". Every call here is O(1): the live
screen prices the session's running totals, never its history.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rt_tui.cost.table import PriceMatch, PriceTable
from rt_tui.realtime.usage import TokenCounts

if TYPE_CHECKING:
    from rt_tui.cost_settings import ModelPrices

__all__ = [
    "KIND_LABELS",
    "NO_PRICE",
    "Budget",
    "CostLine",
    "CostMeter",
    "Pricing",
    "cost_lines",
    "cost_usd",
    "usd",
]

NO_PRICE = "no price"

KIND_LABELS = {
    "text_input": "text in",
    "audio_input": "audio in",
    "image_input": "image in",
    "cached_text_input": "cached text in",
    "cached_audio_input": "cached audio in",
    "cached_image_input": "cached image in",
    "text_output": "text out",
    "audio_output": "audio out",
}
"""Each priced kind of token (`TokenCounts`' fields) as the screen names it."""


def cost_usd(counts: TokenCounts, prices: ModelPrices) -> float:
    """What `counts` cost at `prices` (per 1M tokens), in US dollars."""
    total: float = sum(tokens * getattr(prices, kind) for kind, tokens in counts.items())
    return total / 1_000_000


def usd(amount: float) -> str:
    """An amount as the screen shows it: `$0.0123` under a dollar, `$12.34` above."""
    if amount == 0:
        return "$0"
    if amount < 0.0001:
        return "<$0.0001"
    if amount < 1:
        return f"${amount:.4f}"
    return f"${amount:,.2f}"


@dataclass(frozen=True, slots=True)
class CostLine:
    """One kind of token: how many, at what price, for how much."""

    kind: str
    tokens: int
    per_million: float | None
    """None: the model has no price."""

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def usd(self) -> float | None:
        if self.per_million is None:
            return None
        return self.tokens * self.per_million / 1_000_000


def cost_lines(counts: TokenCounts, prices: ModelPrices | None) -> list[CostLine]:
    """A line for every kind of token `counts` holds (kinds with none left out)."""
    return [
        CostLine(kind, tokens, getattr(prices, kind) if prices is not None else None)
        for kind, tokens in counts.items()
        if tokens
    ]


@dataclass(frozen=True, slots=True)
class Pricing:
    """The model a session runs and the row that prices it (None: no price)."""

    model: str
    match: PriceMatch | None

    def cost(self, counts: TokenCounts) -> float | None:
        return cost_usd(counts, self.match.prices) if self.match is not None else None

    def describe(self) -> str:
        """'gpt-realtime', 'gpt-realtime-2025-08-28 (priced as gpt-realtime)', '… (no price)'."""
        model = self.model or "the model"
        if self.match is None:
            return f"{model} ({NO_PRICE})"
        mine = ", your price" if self.match.from_config else ""
        if self.match.name != self.model or mine:
            return f"{model} (priced as {self.match.name}{mine})"
        return model


class Budget:
    """A session's budget in US dollars, which warns once when it is passed."""

    def __init__(self, limit_usd: float | None) -> None:
        self.limit_usd = limit_usd
        self._warned = False

    def passed(self, spent_usd: float | None) -> bool:
        """True the first time `spent_usd` is over the budget, False ever after."""
        if self._warned or self.limit_usd is None or spent_usd is None:
            return False
        if spent_usd > self.limit_usd:
            self._warned = True
            return True
        return False

    def over(self, spent_usd: float | None) -> bool:
        """Whether `spent_usd` is over the budget (however often asked)."""
        return self.limit_usd is not None and spent_usd is not None and spent_usd > self.limit_usd

    def restart(self) -> None:
        """A new session: its cost starts at nothing, so it may warn again."""
        self._warned = False


class CostMeter:
    """Prices a session's usage with a price table, and keeps its budget."""

    def __init__(self, table: PriceTable, *, budget_usd: float | None = None) -> None:
        self.table = table
        self.budget = Budget(budget_usd)
        self._pricing: dict[tuple[str, ...], Pricing] = {}

    def pricing(self, session: dict[str, Any] | None, hint: str = "") -> Pricing:
        """How a session is priced: `session` is the server's copy (None: none yet),
        `hint` the model or deployment the URL names, priced when the server's is not."""
        server_model = session.get("model") if session is not None else None
        names: tuple[str, ...] = ()
        if isinstance(server_model, str) and server_model:
            names = (server_model,)
        if hint and hint not in names:
            names += (hint,)
        pricing = self._pricing.get(names)
        if pricing is None:
            pricing = Pricing(names[0] if names else "", None)
            for name in names:
                match = self.table.lookup(name)
                if match is not None:
                    pricing = Pricing(name, match)
                    break
            self._pricing[names] = pricing
        return pricing

    def cost_text(self, counts: TokenCounts, session: dict[str, Any] | None, hint: str = "") -> str:
        """What `counts` cost, as the screen says it: `$0.0123`, or "no price"."""
        cost = self.pricing(session, hint).cost(counts)
        return usd(cost) if cost is not None else NO_PRICE

    def budget_warning(
        self, counts: TokenCounts, session: dict[str, Any] | None, hint: str = ""
    ) -> str | None:
        """The warning to show the first time a session's `counts` cost more than the
        budget; None otherwise (and ever after, until `budget.restart()`)."""
        spent = self.pricing(session, hint).cost(counts)
        limit = self.budget.limit_usd
        if limit is None or spent is None or not self.budget.passed(spent):
            return None
        return (
            f"This session has cost {usd(spent)}, more than the budget of {usd(limit)} "
            "([cost] budget_usd in the config file)."
        )
