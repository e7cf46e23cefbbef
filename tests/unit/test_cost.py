"""The cost meter's core: the shipped price table, which row prices a model, what tokens
cost, the budget, rate-limit gauges and the session summary."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from rt_tui.config import Config, ConfigError, load_config
from rt_tui.cost.meter import Budget, CostMeter, cost_lines, cost_usd, usd
from rt_tui.cost.rate_limits import gauge_bar, limit_line, limits_fact
from rt_tui.cost.summary import summary_lines
from rt_tui.cost.table import price_table, shipped_table
from rt_tui.cost_settings import CostSettings, ModelPrices
from rt_tui.realtime.conversation import Conversation
from rt_tui.realtime.events import parse_server_frame
from rt_tui.realtime.frames import Direction, Frame
from rt_tui.realtime.session_events import RateLimit
from rt_tui.realtime.usage import TokenCounts, Usage

EXAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "realtime-examples"
CHEAP = ModelPrices(
    text_input=1,
    cached_text_input=0.1,
    audio_input=10,
    cached_audio_input=1,
    text_output=2,
    audio_output=20,
)


def ga_example_usage() -> dict[str, Any]:
    for line in (EXAMPLES / "server_event_examples.jsonl").read_text().splitlines():
        event = json.loads(line)
        if event["type"] == "response.done" and event["_dialect"] == "ga":
            usage: dict[str, Any] = event["response"]["usage"]
            return usage
    raise AssertionError("no GA response.done example")


def test_the_shipped_table_prices_the_realtime_models() -> None:
    table = shipped_table()
    for model in (
        "gpt-realtime",
        "gpt-realtime-mini",
        "gpt-4o-realtime-preview",
        "gpt-4o-mini-realtime-preview",
    ):
        assert model in table.rows
    assert table.as_of
    assert table.source.startswith("https://")
    for name, prices in table.rows.items():
        # A cache hit is never dearer than a fresh token, and output never cheaper.
        assert prices.cached_text_input <= prices.text_input, name
        assert prices.cached_audio_input <= prices.audio_input, name
        assert prices.text_output >= prices.text_input, name


@pytest.mark.parametrize(
    ("model", "row"),
    [
        ("gpt-realtime", "gpt-realtime"),
        ("gpt-realtime-2025-08-28", "gpt-realtime"),
        ("gpt-realtime-mini-2025-10-06", "gpt-realtime-mini"),
        ("gpt-4o-realtime-preview-2024-12-17", "gpt-4o-realtime-preview"),
        ("gpt-4o-realtime-preview-2024-10-01", "gpt-4o-realtime-preview-2024-10-01"),
        ("gpt-4o-mini-realtime-preview-2024-12-17", "gpt-4o-mini-realtime-preview"),
        ("gpt-realtime-3", None),
        ("my-deployment", None),
        ("", None),
    ],
)
def test_a_row_prices_its_model_and_its_dated_versions_only(model: str, row: str | None) -> None:
    match = shipped_table().lookup(model)
    assert (match.name if match is not None else None) == row


def test_rows_from_the_config_win_and_add_deployments() -> None:
    table = price_table(CostSettings(prices={"gpt-realtime": CHEAP, "my-deployment": CHEAP}))
    mine = table.lookup("gpt-realtime-2025-08-28")
    assert mine is not None
    assert (mine.prices, mine.from_config) == (CHEAP, True)
    deployment = table.lookup("my-deployment")
    assert deployment is not None
    assert deployment.from_config
    shipped = table.lookup("gpt-realtime-mini")
    assert shipped is not None
    assert not shipped.from_config


def test_cached_tokens_cost_their_own_price_once() -> None:
    counts = Usage.from_json(ga_example_usage()).counts
    prices = shipped_table().rows["gpt-realtime"]
    # 55 text in at $4, 13 audio in at $32, 64 cached text at $0.40, 30 text out at $16,
    # 91 audio out at $64 (per 1M tokens).
    expected = (55 * 4 + 13 * 32 + 64 * 0.4 + 30 * 16 + 91 * 64) / 1_000_000
    assert cost_usd(counts, prices) == pytest.approx(expected)
    lines = cost_lines(counts, prices)
    assert [line.label for line in lines] == [
        "text in",
        "audio in",
        "cached text in",
        "text out",
        "audio out",
    ]
    assert sum(line.usd or 0 for line in lines) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (0, "$0"),
        (0.00004, "<$0.0001"),
        (0.0069656, "$0.0070"),
        (1.5, "$1.50"),
        (1234.5, "$1,234.50"),
    ],
)
def test_amounts_read_at_a_useful_precision(amount: float, text: str) -> None:
    assert usd(amount) == text


def test_the_server_named_model_is_priced_before_the_urls() -> None:
    meter = CostMeter(shipped_table())
    assert meter.pricing(None, "my-deployment").describe() == "my-deployment (no price)"
    pricing = meter.pricing({"model": "gpt-realtime-mini-2025-10-06"}, "my-deployment")
    assert pricing.match is not None
    assert pricing.match.name == "gpt-realtime-mini"
    assert pricing.describe() == "gpt-realtime-mini-2025-10-06 (priced as gpt-realtime-mini)"
    assert pricing.cost(TokenCounts(text_output=1_000_000)) == pytest.approx(2.40)


def test_a_deployment_priced_in_the_config_prices_a_model_the_table_lacks() -> None:
    meter = CostMeter(price_table(CostSettings(prices={"my-deployment": CHEAP})))
    pricing = meter.pricing({"model": "gpt-future-realtime"}, "my-deployment")
    assert pricing.describe() == "my-deployment (priced as my-deployment, your price)"
    assert pricing.cost(TokenCounts(audio_output=1_000_000)) == pytest.approx(20)


def test_no_price_shows_tokens_without_a_cost() -> None:
    pricing = CostMeter(shipped_table()).pricing({"model": "gpt-future-realtime"})
    assert pricing.cost(TokenCounts(text_input=5)) is None
    assert [line.usd for line in cost_lines(TokenCounts(text_input=5), None)] == [None]


def test_the_meter_warns_once_when_a_session_passes_its_budget() -> None:
    meter = CostMeter(shipped_table(), budget_usd=1.0)
    session = {"model": "gpt-realtime"}
    assert meter.cost_text(TokenCounts(text_output=50_000), session) == "$0.8000"
    assert meter.budget_warning(TokenCounts(text_output=50_000), session) is None
    warning = meter.budget_warning(TokenCounts(text_output=100_000), session)
    assert warning == (
        "This session has cost $1.60, more than the budget of $1.00 "
        "([cost] budget_usd in the config file)."
    )
    assert meter.budget_warning(TokenCounts(text_output=200_000), session) is None
    assert meter.cost_text(TokenCounts(text_output=1), {"model": "x"}) == "no price"


def test_the_budget_warns_once_per_session() -> None:
    budget = Budget(1.0)
    assert not budget.passed(0.5)
    assert budget.passed(1.2)
    assert not budget.passed(1.5)
    assert budget.over(1.5)
    budget.restart()
    assert budget.passed(1.1)
    assert not Budget(None).passed(100.0)
    assert not Budget(1.0).passed(None)


def test_the_budget_and_prices_come_from_the_config_file(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        "[cost]\nbudget_usd = 2.5\n\n"
        '[cost.prices."my-deployment"]\n'
        "text_input = 1\ncached_text_input = 0.1\naudio_input = 10\n"
        "cached_audio_input = 1\ntext_output = 2\naudio_output = 20\n"
    )
    config = load_config(path)
    assert config.cost.budget_usd == 2.5
    assert config.cost.prices["my-deployment"] == CHEAP
    assert Config().cost == CostSettings()


def test_a_price_row_missing_a_price_is_refused_in_one_sentence(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[cost.prices."gpt-realtime"]\ntext_input = 1\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert "cost.prices.gpt-realtime" in message
    assert "\n" not in message
    with pytest.raises(ValidationError):
        CostSettings(budget_usd=-1)


def test_rate_limits_read_as_what_is_left() -> None:
    limits = (RateLimit("requests", 1000, 999, 60.0), RateLimit("tokens", 50_000, 12_500, 7.5))
    assert limits_fact(limits) == (
        "rate limits 999/1,000 req, 12,500/50,000 tok left",
        "limits 25%",
    )
    assert limit_line(limits[1]) == "tokens: 12,500 of 50,000 left (25.0%), resets in 7.5 s"
    assert gauge_bar(0.25, 8) == "██░░░░░░"
    assert limits_fact(()) is None
    assert limits_fact((RateLimit("tokens", None, None, None),)) == ("rate limits ?/? tok left", "")


def test_the_summary_prices_each_response_and_the_session() -> None:
    done = {
        "type": "response.done",
        "response": {"id": "resp_1", "status": "completed", "usage": ga_example_usage()},
    }
    conversation = Conversation()
    for data in (
        json.dumps({"type": "session.created", "session": {"model": "gpt-realtime"}}),
        json.dumps(done),
    ):
        event = parse_server_frame(data)
        conversation.apply(Frame(Direction.RECEIVED, 1.0, 0.0, data, event=event))
    meter = CostMeter(shipped_table(), budget_usd=0.005)
    text = "\n".join(summary_lines(conversation, meter))
    assert text.startswith("Cost of gpt-realtime; USD prices as listed in")
    assert "resp_1" in text
    assert "total (1 response)" in text
    assert "$0.0070" in text
    assert "cached text in" in text
    assert "Budget $0.0050 a session: passed." in text
