"""Editing a text in the user's own editor (`$VISUAL`, else `$EDITOR`): the app hands the
terminal over (`App.suspend`), the editor opens a temporary file holding the text, and
what it saved comes back when it exits.

A driver that cannot suspend (headless, as in the tests) runs the editor without handing
the terminal over, which a graphical editor or a script does not need anyway.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from textual.app import App, SuspendNotSupported

EDITOR_VARIABLES = ("VISUAL", "EDITOR")


@dataclass(frozen=True)
class Edited:
    """What the editor left: the new text, or why there is none (one sentence)."""

    text: str | None
    problem: str | None = None


def editor_command(env: Mapping[str, str]) -> list[str] | None:
    """The editor to run, as arguments (`$VISUAL` first, as shells do); None if unset."""
    for name in EDITOR_VARIABLES:
        value = env.get(name, "").strip()
        if value:
            try:
                return shlex.split(value)
            except ValueError:
                return [value]
    return None


def edit_text(app: App[object], text: str, env: Mapping[str, str], suffix: str = ".json") -> Edited:
    """Let the user edit `text` in their editor; blocks until the editor exits."""
    command = editor_command(env)
    if command is None:
        return Edited(None, "Set $EDITOR (or $VISUAL) to write the event in your own editor.")
    fd, name = tempfile.mkstemp(prefix="rt-tui-event-", suffix=suffix)  # mode 0600
    path = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        try:
            with app.suspend():
                code = _run(command, path, env)
        except SuspendNotSupported:
            code = _run(command, path, env)
        if isinstance(code, str):
            return Edited(None, code)
        if code != 0:
            return Edited(
                None, f"The editor {command[0]} exited with status {code}; the event is as it was."
            )
        return Edited(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        return Edited(None, f"The edited file {path} cannot be read ({error}).")
    finally:
        with contextlib.suppress(OSError):
            path.unlink()


def _run(command: list[str], path: Path, env: Mapping[str, str]) -> int | str:
    """The editor's exit status, or why it did not start."""
    try:
        return subprocess.run([*command, str(path)], env=dict(env), check=False).returncode
    except OSError as error:
        return f"The editor {command[0]} cannot be started: {error.strerror or error}."
