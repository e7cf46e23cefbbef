"""The options several commands share (`rt_tui.cli.parser`): where to connect and record,
--json and --timeout, each with its command's own default and help."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_cli import cli_env, run_cli

from rt_tui.cli.parser import build_parser

__all__ = ["cli_env"]  # the fixture, shared with test_cli


def test_target_flags_before_the_subcommand_count() -> None:
    parser = build_parser()
    before = parser.parse_args(["--demo", "send", "hi"])
    after = parser.parse_args(["send", "hi", "--url", "ws://h/"])
    assert (before.demo, before.url, before.profile) == (True, None, None)
    assert (after.demo, after.url, after.profile) == (False, "ws://h/", None)


def test_log_counts_before_and_after_the_subcommand() -> None:
    parser = build_parser()
    for argv in (
        ["--log", "a.jsonl", "send", "hi"],
        ["send", "hi", "--log", "a.jsonl"],
        ["--log", "a.jsonl", "replay", "x.jsonl", "--send", "ws://h/"],
        ["replay", "x.jsonl", "--send", "ws://h/", "--log", "a.jsonl"],
    ):
        assert parser.parse_args(argv).log == Path("a.jsonl"), argv
    assert parser.parse_args(["replay", "x.jsonl"]).log is None


def test_each_command_keeps_its_own_json_and_timeout() -> None:
    parser = build_parser()
    send = parser.parse_args(["send", "hi"])
    replay = parser.parse_args(["replay", "x.jsonl"])
    doctor = parser.parse_args(["doctor"])
    assert (send.json, send.timeout) == (False, 120.0)
    assert (replay.json, replay.timeout) == (False, 30.0)
    assert doctor.timeout == 10.0
    assert parser.parse_args(["send", "hi", "--json", "--timeout", "2.5"]).timeout == 2.5
    assert parser.parse_args(["replay", "x.jsonl", "--json"]).json is True


@pytest.mark.parametrize(
    ("command", "default"), [("send", "120"), ("replay", "30"), ("doctor", "10")]
)
def test_the_help_says_each_timeout_default(
    cli_env: dict[str, str], command: str, default: str
) -> None:
    result = run_cli(cli_env | {"COLUMNS": "400"}, command, "--help")  # one line an option
    assert result.returncode == 0, result.stderr
    timeout = next(
        line for line in result.stdout.splitlines() if line.lstrip().startswith("--timeout SECONDS")
    )
    assert timeout.rstrip().endswith(f"(default {default})")


def test_replay_json_and_print_exclude_each_other(cli_env: dict[str, str]) -> None:
    result = run_cli(cli_env, "replay", "x.jsonl", "--json", "--print")
    assert result.returncode == 2
    assert result.stderr == (
        "rt-tui: argument --print: not allowed with argument --json; try 'rt-tui replay --help'.\n"
    )
