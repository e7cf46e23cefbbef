"""The Export conversation key: the conversation as Markdown, in a file the user picks.

The default is beside the session log, under its name (`session-….md`; a new name when
that exists), or a new file in the sessions folder before any log. The Markdown is the
bug-report bundle's (`rt_tui.realtime.conversation_markdown`), redacted again with the
running endpoint's secrets, and written off the event loop with mode 0600, never over an
existing file.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from rt_tui import paths
from rt_tui.paths import free_path
from rt_tui.realtime.conversation_markdown import conversation_markdown
from rt_tui.realtime.errors import os_reason
from rt_tui.realtime.redaction import Redactor
from rt_tui.tui import jobs
from rt_tui.tui.export_prompt import ExportPrompt

if TYPE_CHECKING:
    from rt_tui.tui.screens.main import MainScreen

Notify = Callable[..., None]


def default_path(log: Path | None, sessions_dir: Path, now: float | None = None) -> Path:
    """Where the conversation goes unless the user says otherwise (see the module doc)."""
    if log is not None:
        return free_path(log.parent, log.stem, ".md")
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(time.time() if now is None else now))
    return free_path(sessions_dir, f"conversation-{stamp}", ".md")


def write_new_file(path: Path, text: str) -> None:
    """Write `text` to a new file (mode 0600; the folders made as needed)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with open(fd, "w", encoding="utf-8") as out:
        out.write(text)


def start_conversation_export(screen: MainScreen) -> None:
    """Ask where the conversation goes, then write it in a job."""
    from rt_tui.tui.bug_report import endpoint_secrets, session_log  # with the report: late

    conversation = screen.conversation
    if not len(conversation) and not conversation.errors:
        screen.notify("The conversation is empty: nothing to export.", timeout=3)
        return
    log = session_log(screen)
    sessions = screen.context.sessions_dir or paths.sessions_dir()
    try:
        default = default_path(log, sessions)
    except OSError as error:
        screen.notify(f"Cannot export to {sessions}: {os_reason(error)}.", severity="error")
        return
    about = f"From the session log `{log.name}`." if log is not None else ""
    markdown = conversation_markdown(conversation, about=about)
    text = Redactor(endpoint_secrets(screen)).text(markdown)

    def write(path: Path | None) -> None:
        if path is not None:
            jobs.start(screen, jobs.EXPORT, write_job(path, text, screen.app.notify))

    screen.app.push_screen(ExportPrompt("Export the conversation (Markdown)", default), write)


async def write_job(path: Path, text: str, notify: Notify) -> Path:
    """The export job: write the file off the event loop, then say where it went."""
    await jobs.export_off_loop(path, partial(write_new_file, path, text))
    notify(f"Wrote the conversation to {path}", title="Export", timeout=8, markup=False)
    return path
