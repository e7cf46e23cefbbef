"""What the commands check of what they were given, and the one line they fail with.

Every failure ends as one line on stderr, `rt-tui: <sentence>`, and an exit code: 1 for a
failed session, 2 for a usage or configuration problem, 130 for Ctrl-C.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rt_tui.mock.scenarios import ScenarioChoice

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

SCENARIO_ENV = "RT_TUI_SCENARIO"
"""Names the demo's mock scenario (`NAME` or `NAME:N`) when `--demo` is given without
`--scenario`; ignored otherwise."""
_TARGET_FLAGS = ("url", "profile", "demo", "scenario", "log", "ephemeral")
"""The options that say where to connect and where to record (the parser's target options)."""


class BadInput(Exception):
    """A usage problem found after parsing; `str(e)` is the sentence."""


def fail(message: str, code: int = EXIT_FAILED) -> int:
    print(f"rt-tui: {message}", file=sys.stderr, flush=True)
    return code


def flags_do_not_apply(
    args: argparse.Namespace,
    because: str,
    *,
    allowed: Sequence[str] = (),
    hint: str | None = None,
) -> int | None:
    """Refuse, in one sentence, the options of where to connect and record that a command
    which does neither was given ('A bundle is made from a recorded log, so --url,
    --profile, --demo, --scenario and --log do not apply.'), `hint` after a semicolon;
    None when none was."""
    flags = [name for name in _TARGET_FLAGS if name not in allowed]
    if not any(getattr(args, name, None) for name in flags):
        return None
    named = [f"--{name}" for name in flags]
    listed = f"{', '.join(named[:-1])} and {named[-1]}" if len(named) > 1 else named[0]
    then = f"; {hint}" if hint else ""
    return fail(f"{because}, so {listed} do not apply{then}.", EXIT_USAGE)


def scenario_named(args: argparse.Namespace) -> str | None:
    """The scenario asked for: `--scenario`, or with `--demo` alone `RT_TUI_SCENARIO`."""
    named: str | None = getattr(args, "scenario", None)
    if named is None and getattr(args, "demo", False):
        named = os.environ.get(SCENARIO_ENV, "").strip() or None
    return named


def checked_scenario(args: argparse.Namespace) -> ScenarioChoice | None:
    """The mock scenario `args.scenario` names, checked; None without one."""
    if args.scenario is None:
        return None
    from rt_tui.mock.scenarios import ScenarioError, choose

    try:
        choice = choose(args.scenario)
    except ScenarioError as error:
        raise BadInput(str(error)) from None
    if args.command in (None, "send") and not args.demo:
        raise BadInput(
            "--scenario makes the built-in mock misbehave, so it needs --demo (or serve "
            "it with 'rt-tui mock-server --scenario NAME' and connect with --url)."
        )
    return choice


def message_text(text: str | None, spoken: bool) -> str | None:
    """The message to send: TEXT, or what stdin holds for `-`, or for no TEXT and nothing
    `spoken` (--wav, --mic) when stdin is not a terminal (`echo hi | rt-tui send`)."""
    piped = text is None and not spoken and not (sys.stdin and sys.stdin.isatty())
    if text != "-" and not piped:
        return text
    data = sys.stdin.buffer.read() if sys.stdin else b""
    try:
        message = data.decode("utf-8").strip()
    except UnicodeDecodeError:
        raise BadInput("the message on stdin is not UTF-8 text.") from None
    if not message:
        raise BadInput("the message on stdin is empty; give TEXT, --wav FILE or both.")
    return message
