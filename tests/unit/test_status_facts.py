"""The status bar's facts: fitting (the least important are shortened, then left out) and
what it shows of a conversation's usage."""

from __future__ import annotations

from test_conversation_sequences import reduce

from rt_tui.tui.widgets.status import SEPARATOR, Fact, StatusBar, fit_facts

FACTS = [
    Fact(1, "ga"),
    Fact(2, "gpt-realtime"),
    Fact(3, "00:12 left", "00:12"),
    Fact(4, "4 ms"),
    Fact(5, "37 in / 65 out tok", "37/65 tok"),
    Fact(6, "rec 20261124-042513-bd19df.jsonl", "rec …bd19df"),
]


def _width(parts: list[str]) -> int:
    return sum(len(SEPARATOR) + len(part) for part in parts)


def test_everything_in_full_when_there_is_room() -> None:
    assert fit_facts(FACTS, 500) == [fact.full for fact in FACTS]


def test_the_least_important_are_shortened_first_and_order_is_kept() -> None:
    full = _width([fact.full for fact in FACTS])
    shown = fit_facts(FACTS, full - 1)
    assert shown[-1] == "rec …bd19df"
    assert shown[:-1] == [fact.full for fact in FACTS[:-1]]


def test_then_the_least_important_are_left_out() -> None:
    shown = fit_facts(FACTS, 40)
    assert _width(shown) <= 40
    assert shown[:2] == ["ga", "gpt-realtime"]
    assert "rec …bd19df" not in shown
    assert fit_facts(FACTS, 0) == []


def test_show_usage_gives_the_totals_and_the_newest_latency() -> None:
    conversation, _ = reduce("function_call_ga")
    first, second = conversation.responses.values()
    assert first.timings.time_to_first_delta_ms != second.timings.time_to_first_delta_ms
    status = StatusBar()
    status.show_usage(conversation)
    assert (status.input_tokens, status.output_tokens) == (
        conversation.totals.input_tokens,
        conversation.totals.output_tokens,
    )
    assert status.input_tokens == 140
    assert status.latency_ms == second.timings.time_to_first_delta_ms
