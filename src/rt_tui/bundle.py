"""`rt-tui bundle [LOG] [-o PATH]`: a session's bug-report bundle, headless.

Picks the log (the newest session log in the sessions folder when none is given, and
says which), decides where the zip goes (beside the log, `<log stem>-bundle.zip`, never
over an existing file), and has `rt_tui.report` write it. Prints the zip's path and what
it holds; a problem is one `rt-tui: …` line on stderr, exit 1 for a log that cannot be
read or a bundle that cannot be written, 2 for a usage problem.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path

from rt_tui import paths
from rt_tui.realtime.session_log import LogError, read_meta
from rt_tui.report.bundle import BundleError, write_bundle

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


class _Usage(Exception):
    """A usage problem; `str(e)` is the sentence."""


def _session_log_meta(path: Path) -> dict[str, object] | None:
    try:
        return read_meta(path)
    except LogError:
        return None


def newest_log(directory: Path) -> Path | None:
    """The most recently written session log in `directory`, if any (inspector exports
    share the folder and the format, but are not sessions)."""

    def written(path: Path) -> float:
        try:
            return path.stat().st_mtime
        except OSError:
            return 0.0

    for path in sorted(directory.glob("*.jsonl"), key=written, reverse=True):
        meta = _session_log_meta(path)
        if meta is not None and "source" not in meta:
            return path
    return None


def _check_output(output: Path | None) -> Path | None:
    """`output` if it can be a new file or is a folder to write in. Raises _Usage."""
    if output is None:
        return None
    output = output.expanduser()
    if output.is_dir():
        return output
    if output.exists():
        raise _Usage(f"{output} already exists; give -o a new file name or a folder.")
    if not output.parent.is_dir():
        raise _Usage(f"cannot write the bundle to {output}: its folder does not exist.")
    return output


def run_bundle(log: Path | None, output: Path | None, env: Mapping[str, str]) -> int:
    """Write the bundle, print where and what; returns the exit code."""

    def fail(message: str, code: int = EXIT_FAILED) -> int:
        print(f"rt-tui: {message}", file=sys.stderr, flush=True)
        return code

    if log is None:
        directory = paths.sessions_dir()
        log = newest_log(directory)
        if log is None:
            return fail(
                f"there is no session log in {directory} to bundle; give its path: "
                "rt-tui bundle LOG.",
                EXIT_USAGE,
            )
        print(f"Newest session log: {log}")
    try:
        target = _check_output(output)
        summary = write_bundle(log, target, config_path=paths.config_file(), env=env)
    except _Usage as problem:
        return fail(str(problem), EXIT_USAGE)
    except (LogError, BundleError) as error:
        return fail(str(error))
    for line in summary.skipped:
        print(f"rt-tui: {line.describe()}", file=sys.stderr)
    print(f"Bundle: {summary.path}")
    print(f"Inside: {summary.describe()}", flush=True)
    return EXIT_OK
