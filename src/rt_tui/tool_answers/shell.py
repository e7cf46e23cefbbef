"""A tool answered by a shell command: the call's arguments JSON on its stdin, what it
prints on stdout is the output.

The command runs as an asyncio subprocess, so the event loop never waits on it. Whatever
goes wrong (it cannot start, it fails, it runs too long) becomes an error output the
model and the user both see, as a JSON object, never an exception.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
from dataclasses import dataclass

from rt_tui.realtime.errors import one_line, scrub

#: What is kept of a failing command's stderr in the error output.
STDERR_LIMIT = 300


@dataclass(frozen=True, slots=True)
class CommandAnswer:
    """What a command answered: its output, or an error output that says what failed."""

    output: str
    failed: bool = False


def _error(message: str) -> CommandAnswer:
    return CommandAnswer(json.dumps({"error": message}), failed=True)


async def run_command(command: str, arguments: str, timeout_s: float) -> CommandAnswer:
    """Run `command` in the shell with `arguments` on stdin, for at most `timeout_s`."""
    try:
        process = await asyncio.create_subprocess_shell(
            command,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            start_new_session=True,  # Its own process group: a timeout stops all of it.
        )
    except OSError as error:
        return _error(f"The command could not start: {error.strerror or error}.")
    try:
        out, err = await asyncio.wait_for(process.communicate(arguments.encode("utf-8")), timeout_s)
    except TimeoutError:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        await process.wait()
        return _error(f"The command ran longer than {timeout_s:g} s and was stopped.")
    if process.returncode != 0:
        # Goes to the model and the screen: anything key-shaped it printed is left out.
        reason = one_line(scrub(err.decode("utf-8", "replace")), STDERR_LIMIT)
        said = f": {reason}" if reason else "."
        return _error(f"The command exited with status {process.returncode}{said}")
    return CommandAnswer(out.decode("utf-8", "replace").strip())
