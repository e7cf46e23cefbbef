"""The TUI commands (`rt-tui`, `rt-tui replay FILE`) run as users run them, in a subprocess:
what ends them before the screen opens. A pseudo-terminal stands in for the user's one."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURE = Path(__file__).parent.parent / "fixtures" / "sessions" / "text_session.jsonl"
NO_TERMINAL = "the TUI needs a terminal, but {} not {}; try {}."
TRY_SEND = "'rt-tui send TEXT' for one exchange without it"
TRY_PRINT = "'rt-tui replay FILE --print' (or --json) to read it without one"


def run_tui(*args: str | Path, stdin_tty: bool = True, stdout_tty: bool = True) -> tuple[int, str]:
    """Run `rt-tui ARGS` with stdin and stdout on a pseudo-terminal (or /dev/null and a
    pipe); its exit code and stderr. A TUI that opened would never exit: the timeout
    ends such a run as a failure."""
    leader, follower = pty.openpty()
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "rt_tui", *map(str, args)],
            stdin=follower if stdin_tty else subprocess.DEVNULL,
            stdout=follower if stdout_tty else subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            out, err = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
    finally:
        os.close(follower)
        os.close(leader)
    assert out in (None, "")  # Nothing reaches stdout: the screen never opened.
    return proc.returncode, err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--url", "ftp://x/y"],
            "The URL 'ftp://x/y' is not a ws://, wss://, http:// or https:// URL with a host.",
        ),
        (["--profile", "nope"], "There is no profile named 'nope' (known profiles: none)."),
    ],
)
def test_a_bad_url_or_profile_ends_before_the_screen_opens(args: list[str], message: str) -> None:
    code, err = run_tui(*args)
    assert code == 2
    assert err == f"rt-tui: {message}\n"


@pytest.mark.parametrize(
    ("stdin_tty", "stdout_tty", "missing"),
    [
        (False, False, ("stdin and stdout are", "terminals")),
        (True, False, ("stdout is", "a terminal")),
        (False, True, ("stdin is", "a terminal")),
    ],
)
def test_without_a_terminal_the_tui_says_so_and_stops(
    stdin_tty: bool, stdout_tty: bool, missing: tuple[str, str]
) -> None:
    code, err = run_tui("--demo", stdin_tty=stdin_tty, stdout_tty=stdout_tty)
    assert code == 2
    assert err == f"rt-tui: {NO_TERMINAL.format(*missing, TRY_SEND)}\n"


def test_without_a_terminal_a_replay_points_at_print() -> None:
    code, err = run_tui("replay", FIXTURE, stdin_tty=False, stdout_tty=False)
    assert code == 2
    assert err == f"rt-tui: {NO_TERMINAL.format('stdin and stdout are', 'terminals', TRY_PRINT)}\n"
