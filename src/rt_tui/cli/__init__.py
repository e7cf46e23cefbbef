"""The `rt-tui` command: the TUI (default), `send`, `replay`, `bundle`, `doctor`,
`mock-server` and `audio`.

`parser` says what each command takes, `checks` what they refuse and how they fail,
`commands` what each does. Every failure ends as one line on stderr, `rt-tui: <sentence>`,
and a non-zero exit code: 1 for a failed session, 2 for a usage or configuration problem,
130 for Ctrl-C. Never a traceback.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Sequence

from rt_tui.cli import commands
from rt_tui.cli.checks import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    BadInput,
    checked_scenario,
    fail,
    scenario_named,
)
from rt_tui.cli.parser import build_parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `rt-tui` script; returns the exit code."""
    args = build_parser().parse_args(argv)
    args.scenario = scenario_named(args)
    if args.scenario == "list":
        return commands.list_scenarios()
    try:
        scenario = checked_scenario(args)
    except BadInput as problem:
        return fail(str(problem), EXIT_USAGE)
    try:
        if args.command == "send":
            return commands.send(args, scenario)
        if args.command == "replay":
            return commands.replay(args)
        if args.command == "bundle":
            return commands.bundle(args)
        if args.command == "doctor":
            return commands.doctor(args)
        if args.command == "audio":
            return commands.audio_devices(args)
        if args.command == "mock-server":
            return commands.mock_server(args, scenario)
        return commands.tui(args, scenario)
    except KeyboardInterrupt:
        return fail("interrupted.", EXIT_INTERRUPTED)
    except BrokenPipeError:
        # stdout closed early (e.g. piped into `head`): not an error worth a traceback.
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keeps interpreter exit quiet
        return EXIT_OK
