"""The Bundle key: a bug-report zip of the session on screen, written by a job.

The live session's log is flushed first, so the bundle holds every frame shown so far; a
replay bundles the log it replays. `rt_tui.report` writes the zip beside the log (what
`rt-tui bundle LOG` would write), off the event loop, and a notification says where it
went; a failure is the job's one-sentence notification (`rt_tui.tui.jobs`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from rt_tui.realtime.recorder import flush_log
from rt_tui.report.bundle import BundleSummary, write_bundle
from rt_tui.tui import jobs

if TYPE_CHECKING:
    from rt_tui.tui.screens.main import MainScreen

Notify = Callable[..., None]
"""`App.notify`: it posts a message, so a job may call it."""


def session_log(screen: MainScreen) -> Path | None:
    """The log of what the screen shows: the replayed one, or the live session's."""
    replay = screen.context.replay
    return replay.info.path if replay is not None else screen.status.log_path


def endpoint_secrets(screen: MainScreen) -> tuple[str, ...]:
    """The running session's endpoint's secrets (a key given in `--url`'s query too)."""
    context = screen.context
    if context.replay is not None:
        return ()
    target = context.target()
    return target.endpoint.secret_values() if target.endpoint is not None else ()


def start_bundle(screen: MainScreen) -> None:
    """Bundle the session on screen in a job, or say why there is nothing to bundle."""
    log = session_log(screen)
    if log is None:
        screen.notify(
            "This session has no log yet, so there is nothing to bundle.",
            title=jobs.BUNDLE.title,
            severity="warning",
        )
        return
    flush_log(log)
    context = screen.context
    work = write_bundle_job(
        log, context.config_path, context.env, endpoint_secrets(screen), screen.app.notify
    )
    jobs.start(screen, jobs.BUNDLE, work)


async def write_bundle_job(
    log: Path,
    config_path: Path,
    env: Mapping[str, str],
    secrets: Iterable[str],
    notify: Notify,
) -> BundleSummary:
    """The bundle job: write the zip off the event loop, then say where it went."""
    summary = await asyncio.to_thread(
        write_bundle, log, config_path=config_path, env=env, secrets=tuple(secrets)
    )
    notify(
        f"Wrote {summary.path}: {summary.describe()}.",
        title="Bug-report bundle",
        timeout=10,
        markup=False,
    )
    return summary
