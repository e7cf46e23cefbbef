"""The config's `[cost]` section, and the shape of one model's prices.

    [cost]
    budget_usd = 2.0                      # warn once a session has cost more than this

    [cost.prices."gpt-realtime"]          # USD per 1M tokens; replaces the shipped row
    text_input = 4.0
    cached_text_input = 0.4
    audio_input = 32.0
    cached_audio_input = 0.4
    text_output = 16.0
    audio_output = 64.0

A row is named after a model (`gpt-realtime` also prices its dated versions, such as
`gpt-realtime-2025-08-28`) or after an Azure deployment. The rows rt-tui ships are in
`rt_tui/cost/prices.toml`, which uses the same shape.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["CostSettings", "ModelPrices"]


class ModelPrices(BaseModel):
    """One model's prices in US dollars per 1 million tokens of each kind."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    text_input: float = Field(ge=0)
    cached_text_input: float = Field(ge=0)
    audio_input: float = Field(ge=0)
    cached_audio_input: float = Field(ge=0)
    image_input: float = Field(0.0, ge=0)
    """0 for models that take no images."""
    cached_image_input: float = Field(0.0, ge=0)
    text_output: float = Field(ge=0)
    audio_output: float = Field(ge=0)


class CostSettings(BaseModel):
    """What a session costs: an optional budget, and prices that replace the shipped ones."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    budget_usd: float | None = Field(None, gt=0)
    """Warn once when a session's cost passes this many US dollars; None: no budget."""
    prices: dict[str, ModelPrices] = Field(default_factory=dict)
    """Model or deployment name -> its prices, over the table rt-tui ships."""
