"""`--scenario` run as users run it (`python -m rt_tui` in a subprocess): listing the mock's
scenarios, refusing unknown ones, and `send --demo` and `mock-server` misbehaving as asked."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys

import pytest
from test_cli import cli_env, run_cli

from rt_tui import cli
from rt_tui.cli.checks import SCENARIO_ENV
from rt_tui.mock.scenarios import ScenarioChoice, listing, names

__all__ = ["cli_env"]  # the fixture, shared with test_cli

UNKNOWN = f"rt-tui: there is no mock scenario 'nope'; the scenarios are {', '.join(names())}.\n"


@pytest.mark.parametrize(
    "args",
    [["--scenario", "list"], ["mock-server", "--scenario", "list"], ["send", "--scenario", "list"]],
)
def test_scenario_list_prints_one_line_each(cli_env: dict[str, str], args: list[str]) -> None:
    result = run_cli(cli_env, *args)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.splitlines() == listing()
    assert [line.split()[0].removesuffix("[:N]") for line in result.stdout.splitlines()] == names()


@pytest.mark.parametrize(
    "args",
    [
        ["--demo", "--scenario", "nope"],
        ["send", "hi", "--demo", "--scenario", "nope"],
        ["mock-server", "--scenario", "nope"],
    ],
)
def test_an_unknown_scenario_is_one_line_naming_them_all(
    cli_env: dict[str, str], args: list[str]
) -> None:
    result = run_cli(cli_env, *args)
    assert (result.returncode, result.stdout, result.stderr) == (2, "", UNKNOWN)


def test_a_scenario_needs_the_demo(cli_env: dict[str, str]) -> None:
    result = run_cli(
        cli_env, "send", "hi", "--url", "ws://127.0.0.1:9/v1/realtime", "--scenario", "slow-stream"
    )
    assert result.returncode == 2
    assert result.stderr == (
        "rt-tui: --scenario makes the built-in mock misbehave, so it needs --demo (or serve it "
        "with 'rt-tui mock-server --scenario NAME' and connect with --url).\n"
    )


REFUSED = (
    "The server closed the session (3000 invalid_request_error.invalid_api_key): "
    "Incorrect API key provided."
)


@pytest.mark.parametrize("how", ["flag", "environment"])
def test_send_demo_with_a_refused_key_gives_the_services_message(
    cli_env: dict[str, str], how: str
) -> None:
    if how == "flag":
        result = run_cli(cli_env, "send", "hi", "--demo", "--scenario", "refused-key")
    else:
        result = run_cli({**cli_env, SCENARIO_ENV: "refused-key"}, "send", "hi", "--demo")
    assert result.returncode == 1
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1] == f"rt-tui: {REFUSED}"


def test_send_demo_cut_off_mid_answer_keeps_what_came_and_fails(cli_env: dict[str, str]) -> None:
    result = run_cli(cli_env, "send", "hi", "--demo", "--scenario", "drop-mid-answer:3")
    assert result.returncode == 1
    assert result.stdout == "You said: “hi”\n\n"  # three word deltas
    assert result.stderr == "rt-tui: The server closed the session (1012 service restart).\n"


def test_mock_server_serves_the_scenario(cli_env: dict[str, str]) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "rt_tui", "mock-server", "--port", "0", "--scenario", "http-429"],
        env=cli_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        match = re.fullmatch(r"rt-tui mock server listening on (ws://127\.0\.0\.1:(\d+))\n", first)
        assert match, first
        banner = [proc.stdout.readline() for _ in range(4)]
        assert banner[3] == (
            "Scenario http-429: the handshake is refused with HTTP 429 rate_limit_exceeded "
            "(Retry-After: 60).\n"
        )
        url = f"{match.group(1)}/v1/realtime?model=gpt-realtime"
        reply = run_cli(cli_env, "send", "ping", "--url", url)
        assert reply.returncode == 1
        assert reply.stderr == (
            f"rt-tui: The server 127.0.0.1:{match.group(2)} refused the connection (HTTP 429): "
            "Rate limit reached for gpt-realtime on requests per min (RPM): Limit 1000, "
            "Used 1000, Requested 1. Please try again in 60s.\n"
        )
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 130


def test_the_tui_gets_the_scenario_in_its_arguments_not_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import rt_tui.tui.app

    seen: list[str | None] = []

    def fake_run_tui(*, scenario: ScenarioChoice | None, **kwargs: object) -> int:
        seen.append(scenario.label if scenario is not None else None)
        return 0

    monkeypatch.setattr(rt_tui.tui.app, "run_tui", fake_run_tui)
    monkeypatch.delenv(SCENARIO_ENV, raising=False)
    assert cli.main(["--demo", "--scenario", "slow-stream:50"]) == 0
    assert SCENARIO_ENV not in os.environ  # nothing is handed on through the process
    # RT_TUI_SCENARIO stands for --scenario with --demo, and other targets ignore it.
    monkeypatch.setenv(SCENARIO_ENV, "refused-key")
    assert cli.main(["--demo"]) == 0
    assert cli.main(["--url", "ws://127.0.0.1:9/v1/realtime"]) == 0
    assert seen == ["slow-stream:50", "refused-key", None]
