"""The table of mock scenarios and the `NAME[:N]` syntax that picks one."""

from __future__ import annotations

import pytest

from rt_tui.mock.scenarios import (
    SCENARIOS,
    Cut,
    Hooks,
    ScenarioError,
    choose,
    listing,
    names,
)


def test_a_name_alone_takes_the_default_number() -> None:
    choice = choose("drop-mid-answer")
    assert choice.label == "drop-mid-answer:3"
    assert choice.hooks == Hooks(cut=Cut(3, 1012, "service restart"))
    assert choice.summary == (
        "the first answer stops after 3 deltas with CLOSE 1012 (service restart); "
        "later answers are served"
    )


@pytest.mark.parametrize(
    ("text", "hooks"),
    [
        ("session-limit:30", Hooks(max_session_s=30)),
        ("session-limit:0.5", Hooks(max_session_s=0.5)),
        ("slow-stream:300", Hooks(delta_delay=0.3)),
        ("slow-start:1500", Hooks(first_delta_s=1.5)),
        ("rate-limit:0", Hooks(request_limit=0)),
        ("reset-mid-answer:0", Hooks(cut=Cut(0, None))),
        ("refused-key", Hooks(refuse_every_key=True)),
        ("http-429", Hooks(handshake_status=429)),
        (" echo-handshake ", Hooks(echo_handshake=True)),
    ],
)
def test_the_number_sets_the_hooks(text: str, hooks: Hooks) -> None:
    assert choose(text).hooks == hooks


def test_a_scenario_without_a_number_is_labelled_by_its_name() -> None:
    choice = choose("refused-key")
    assert (choice.label, choice.n) == ("refused-key", None)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            "nope",
            "there is no mock scenario 'nope'; the scenarios are " + ", ".join(names()) + ".",
        ),
        ("refused-key:2", "the scenario 'refused-key' takes no number; leave out ':2'."),
        (
            "drop-mid-answer:two",
            "the scenario 'drop-mid-answer' takes a whole number of deltas (0 or more) after "
            "':', e.g. 'drop-mid-answer:3', not 'two'.",
        ),
        (
            "rate-limit:-1",
            "the scenario 'rate-limit' takes a whole number of responses (0 or more) after "
            "':', e.g. 'rate-limit:3', not '-1'.",
        ),
        (
            "session-limit:0",
            "the scenario 'session-limit' takes a number of seconds above 0 after ':', "
            "e.g. 'session-limit:30', not '0'.",
        ),
        (
            "slow-stream:nan",
            "the scenario 'slow-stream' takes a number of ms above 0 after ':', "
            "e.g. 'slow-stream:300', not 'nan'.",
        ),
        (
            "session-limit:",
            "the scenario 'session-limit' takes a number of seconds above 0 after ':', "
            "e.g. 'session-limit:30', not ''.",
        ),
    ],
)
def test_a_bad_choice_is_one_sentence(text: str, problem: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        choose(text)
    assert str(caught.value) == problem


def test_the_listing_has_one_aligned_line_per_scenario() -> None:
    lines = listing()
    assert len(lines) == len(SCENARIOS) == len(set(names()))
    for line, scenario in zip(lines, SCENARIOS, strict=True):
        assert line.startswith(scenario.name)
        assert "\n" not in line
        assert "{n}" not in line
    summaries = {line.split("  ", 1)[1].lstrip() for line in lines}
    assert len(summaries) == len(lines)
    starts = {len(line) - len(line.split("  ", 1)[1].lstrip()) for line in lines}
    assert len(starts) == 1  # the summaries start in one column
    assert "session-limit[:N]" in lines[names().index("session-limit")]
    assert lines[names().index("session-limit")].endswith("(default 30 seconds)")
