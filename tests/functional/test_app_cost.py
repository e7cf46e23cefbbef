"""The cost meter in the app, against the mock server on loopback: the session's cost on
the status bar, each response's in its details (F4), the cost view (alt+c), the budget's
one warning, models without a price, and the rate limits."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from conftest_app import MessageLog, app_for_url, connected, screen_text, submit, wait_for
from textual.widgets import DataTable

from rt_tui.config import Config, SessionSettings
from rt_tui.cost_settings import CostSettings
from rt_tui.mock.server import MockServer
from rt_tui.realtime.frames import Direction
from rt_tui.tui.screens.cost import CostScreen
from rt_tui.tui.screens.main import MainScreen
from rt_tui.tui.widgets.conversation_blocks import ResponseBlock
from rt_tui.tui.widgets.status import StatusBar

# gpt-realtime's prices per 1M tokens, as the shipped table lists them (December 2026).
TEXT_IN, CACHED_IN, AUDIO_IN, TEXT_OUT, AUDIO_OUT = 4.0, 0.4, 32.0, 16.0, 64.0
CACHED_AUDIO_IN = 0.4


@pytest.fixture
async def server() -> AsyncIterator[MockServer]:
    async with MockServer(delta_delay=0) as mock:
        yield mock


def usages(log: MessageLog) -> list[dict[str, Any]]:
    """The `usage` of every response.done the app received, in order."""
    found = []
    for frame in log.frames(Direction.RECEIVED):
        if frame.wire_type == "response.done":
            event = json.loads(frame.data)
            found.append(event["response"]["usage"])
    return found


def by_hand(usage: dict[str, Any]) -> float:
    """What a usage costs at gpt-realtime's prices, worked out from the raw object:
    cached tokens are part of the input tokens, so they are taken out of it once."""
    details = usage["input_token_details"]
    cached = details["cached_tokens_details"]
    output = usage["output_token_details"]
    dollars: float = (
        (details["text_tokens"] - cached["text_tokens"]) * TEXT_IN
        + cached["text_tokens"] * CACHED_IN
        + (details["audio_tokens"] - cached["audio_tokens"]) * AUDIO_IN
        + cached["audio_tokens"] * CACHED_AUDIO_IN
        + output["text_tokens"] * TEXT_OUT
        + output["audio_tokens"] * AUDIO_OUT
    )
    return dollars / 1_000_000


def details(screen: MainScreen) -> list[str]:
    """The details line (F4) of every response in the conversation pane, top to bottom."""
    return [block.details for block in screen.pane.blocks if isinstance(block, ResponseBlock)]


def money(amount: float) -> str:
    return f"${amount:.4f}" if amount < 1 else f"${amount:,.2f}"


async def two_turns(pilot: Any, screen: MainScreen, log: MessageLog) -> list[dict[str, Any]]:
    status = screen.query_one(StatusBar)
    await submit(pilot, "hello")
    await wait_for(pilot, lambda: len(usages(log)) == 1, "the first response.done")
    await submit(pilot, "and again")
    await wait_for(pilot, lambda: len(usages(log)) == 2, "the second response.done")
    await wait_for(pilot, lambda: screen.conversation.totals.responses == 2, "both counted")
    await wait_for(pilot, lambda: status.cost, "the session's cost")
    return usages(log)


async def test_spoken_turns_are_priced_per_response_and_for_the_session(
    server: MockServer, tmp_path: Path
) -> None:
    config = Config(session=SessionSettings(output_modality="audio"))
    app = app_for_url(server.ga_url(), tmp_path, config=config)
    log = MessageLog()
    async with app.run_test(size=(200, 40), message_hook=log) as pilot:
        screen = await connected(pilot)
        first, second = await two_turns(pilot, screen, log)
        # The mock speaks (audio out) and caches the first turn's input for the second.
        assert first["output_token_details"]["audio_tokens"] > 0
        assert second["input_token_details"]["cached_tokens"] > 0
        status = screen.query_one(StatusBar)
        total = money(by_hand(first) + by_hand(second))
        await wait_for(pilot, lambda: total in status.render().plain, f"{total} on the bar")

        await pilot.press("f4")
        await wait_for(pilot, lambda: not screen.pane.busy, "the details drawn")
        shown = details(screen)
        assert shown[0].endswith(f"· {money(by_hand(first))}")
        assert shown[1].endswith(f"· {money(by_hand(second))}")

        await pilot.press("alt+c")
        await wait_for(pilot, lambda: isinstance(app.screen, CostScreen), "the cost view")
        table = app.screen.query_one(DataTable)
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        assert [row[3] for row in rows] == [
            money(by_hand(first)),
            money(by_hand(second)),
            total,
        ]
        assert rows[-1][1] == "total (2)"
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen, "back to the main screen")


async def test_the_budget_warns_once_a_session(server: MockServer, tmp_path: Path) -> None:
    config = Config(cost=CostSettings(budget_usd=0.0001))
    app = app_for_url(server.ga_url(), tmp_path, config=config)
    log = MessageLog()
    async with app.run_test(size=(200, 40), message_hook=log, notifications=True) as pilot:
        screen = await connected(pilot)

        def warnings() -> list[str]:
            return [n.message for n in app._notifications if n.title == "Budget"]

        await two_turns(pilot, screen, log)
        await wait_for(pilot, warnings, "the budget warning")
        (warning,) = warnings()
        assert warning.startswith("This session has cost $")
        # Shown as written: "[cost]" is not taken for markup.
        await wait_for(pilot, lambda: "([cost] budget_usd" in screen_text(app), "the toast")
        assert warning.endswith(
            "more than the budget of $0.0001 ([cost] budget_usd in the config file)."
        )
        status = screen.query_one(StatusBar)
        assert status.over_budget
        assert "of $0.0001 budget" in status.render().plain


async def test_a_model_without_a_price_shows_its_tokens_and_no_price(
    server: MockServer, tmp_path: Path
) -> None:
    app = app_for_url(server.ga_url(model="gpt-unpriced-realtime"), tmp_path)
    log = MessageLog()
    async with app.run_test(size=(200, 40), message_hook=log) as pilot:
        screen = await connected(pilot)
        await two_turns(pilot, screen, log)
        plain = screen.query_one(StatusBar).render().plain
        assert "no price" in plain
        assert " out tok" in plain
        assert "$" not in plain
        await pilot.press("f4")
        await wait_for(pilot, lambda: not screen.pane.busy, "the details drawn")
        assert all(text.endswith("· no price") for text in details(screen))


async def test_rate_limits_show_and_the_cost_starts_afresh_on_reconnect(
    server: MockServer, tmp_path: Path
) -> None:
    app = app_for_url(server.ga_url(), tmp_path)
    log = MessageLog()
    async with app.run_test(size=(200, 40), message_hook=log) as pilot:
        screen = await connected(pilot)
        status = screen.query_one(StatusBar)
        await two_turns(pilot, screen, log)
        await wait_for(
            pilot, lambda: "rate limits 998/1,000 req," in status.render().plain, "the limits"
        )
        old = screen.session
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: screen.session is not old, "the new session")
        await wait_for(pilot, lambda: screen.conversation.session, "the new session.created")
        plain = status.render().plain
        assert "$" not in plain
        assert "998/1,000 req" in plain  # The account's limits outlive the session.

        # One more turn in the new session: the bar prices it alone; the cost view lists
        # every response of the conversation, and this session's by kind of token.
        await submit(pilot, "once more")
        await wait_for(pilot, lambda: len(usages(log)) == 3, "the third response.done")
        third = money(by_hand(usages(log)[2]))
        await wait_for(pilot, lambda: third in status.render().plain, "the new session's cost")
        await pilot.press("alt+c")
        await wait_for(pilot, lambda: isinstance(app.screen, CostScreen), "the cost view")
        table = app.screen.query_one(DataTable)
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        assert [row[1] for row in rows][-1] == "total (3)"
        assert rows[-1][3] == money(sum(by_hand(usage) for usage in usages(log)))
        shown = screen_text(app)
        assert "This session, by kind of token" in shown
        text_out = usages(log)[2]["output_token_details"]["text_tokens"]
        line = next(line for line in shown.splitlines() if "text out" in line and "$" in line)
        assert line.split("text out")[1].split()[0] == str(text_out)
