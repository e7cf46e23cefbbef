"""The price table: the rows rt-tui ships (`prices.toml`, beside this module) under the
rows of the config's `[cost.prices]`, and which row prices a model.

A row prices the model it is named after and that model's dated versions: `gpt-realtime`
prices `gpt-realtime-2025-08-28`, but not `gpt-realtime-mini`, which has a row of its
own, nor a model nobody has priced yet (that shows its tokens with "no price").
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rt_tui.cost_settings import CostSettings, ModelPrices

__all__ = ["PriceMatch", "PriceTable", "price_table", "shipped_table"]

_DATED = re.compile(r"-\d{4}-\d{2}-\d{2}$")
"""The suffix of a model's dated version (`-2025-08-28`)."""


@dataclass(frozen=True, slots=True)
class PriceMatch:
    """The row that prices a model."""

    name: str
    """The row's name: the model itself, or the undated model of a dated version."""
    prices: ModelPrices
    from_config: bool = False
    """The row is the user's (`[cost.prices]`), not one rt-tui ships."""


@dataclass(frozen=True)
class PriceTable:
    """Rows of prices by model name; `overrides` (the config's) win over `rows`."""

    rows: Mapping[str, ModelPrices]
    overrides: Mapping[str, ModelPrices] = field(default_factory=dict)
    as_of: str = ""
    """When the shipped prices were read, as the table's file says."""
    source: str = ""
    """Where the shipped prices were read."""

    def lookup(self, model: str) -> PriceMatch | None:
        """The row that prices `model`, or None when no row does."""
        for name in (model, _DATED.sub("", model)):
            if name in self.overrides:
                return PriceMatch(name, self.overrides[name], from_config=True)
            if name in self.rows:
                return PriceMatch(name, self.rows[name])
        return None

    def describe(self) -> str:
        """Where the prices come from, in a line: 'prices as listed in …, …'."""
        shipped = f"as listed in {self.as_of}" if self.as_of else "shipped with rt-tui"
        where = f" ({self.source})" if self.source else ""
        mine = "; [cost.prices] in the config file replaces rows" if self.overrides else ""
        return f"USD prices {shipped}{where}{mine}"


@cache
def shipped_table() -> PriceTable:
    """The table rt-tui ships; read once. A broken file is a bug in rt-tui, so it raises."""
    from rt_tui.cost_settings import ModelPrices  # pydantic: not for the first frame

    text = resources.files("rt_tui.cost").joinpath("prices.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    rows = {name: ModelPrices.model_validate(row) for name, row in data["models"].items()}
    return PriceTable(
        MappingProxyType(rows), as_of=str(data.get("as_of", "")), source=str(data["source"])
    )


def price_table(settings: CostSettings) -> PriceTable:
    """The shipped table with the config's `[cost.prices]` rows over it."""
    shipped = shipped_table()
    if not settings.prices:
        return shipped
    return PriceTable(
        shipped.rows,
        MappingProxyType(dict(settings.prices)),
        as_of=shipped.as_of,
        source=shipped.source,
    )
