"""The one shape of every background job the TUI runs, and what its failure says.

Each job is a Textual worker started with `start`: named after its group, exclusive
where a new one must replace the running one, `exit_on_error=False`, and asyncio (file
work that blocks goes through `asyncio.to_thread` inside the body). The body never
touches a widget: it does its I/O, posts messages the screen routes to its widgets, and
ends by returning or by raising. It runs on the main screen, whose one
`Worker.StateChanged` handler calls `notify_failure`, so any error a body raises becomes
one sentence in a notification: never a traceback, never silence.

A failure the user can act on is raised as an exception whose text is that sentence
(`JobFailed`, or the engine's own one-sentence errors); anything else is reported as
"<the job> failed: <the error's own words>.", scrubbed of anything key-shaped.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from textual.dom import DOMNode
from textual.widget import Widget
from textual.worker import Worker, WorkerState

from rt_tui.realtime.errors import RealtimeError, error_reason, one_line, scrub

ResultType = TypeVar("ResultType")


@dataclass(frozen=True)
class Job:
    """A kind of background job."""

    group: str
    """The worker's group and name."""
    title: str
    """The title of the notification that reports a failure."""
    doing: str
    """What it is, as the subject of '… failed: reason.'"""
    exclusive: bool = False
    """Whether starting one cancels the one running."""


CONNECTION = Job("connection", "Connection failed", "The connection", exclusive=True)
AUDIO_TURN = Job("audio-turn", "/wav", "Sending the WAV file")
REPLAY = Job("replay", "Replay", "The replay", exclusive=True)
EXPORT = Job("export", "Export", "The export")
BUNDLE = Job("bundle", "Bundle", "The bundle")
LIVE_AUDIO = Job("live-audio", "Live audio", "Live audio", exclusive=True)
TOOL_COMMAND = Job("tool-command", "Tool", "The tool's command")

JOBS = {
    job.group: job
    for job in (CONNECTION, AUDIO_TURN, REPLAY, EXPORT, BUNDLE, LIVE_AUDIO, TOOL_COMMAND)
}


class JobFailed(Exception):
    """A job failed in a way the user can act on; `str(error)` is one sentence."""


@cache
def _sentence_errors() -> tuple[type[Exception], ...]:
    """Errors whose text is already one sentence for the user (and holds no secret).
    Imported when a job first fails: the bundle's and the launch's modules (zipfile, the
    config's models) are not needed for the first frame."""
    from rt_tui.realtime.audio import WavError
    from rt_tui.realtime.recorder import LogError
    from rt_tui.report.bundle import BundleError
    from rt_tui.targets import LaunchError

    return (JobFailed, RealtimeError, LaunchError, LogError, WavError, BundleError)


def start(node: DOMNode, job: Job, work: Coroutine[Any, Any, ResultType]) -> Worker[ResultType]:
    """Run `work` as a worker of `job`'s shape on `node` (the main screen)."""
    return node.run_worker(
        work, name=job.group, group=job.group, exclusive=job.exclusive, exit_on_error=False
    )


async def export_off_loop(path: Path, write: Callable[[], ResultType]) -> ResultType:
    """An export job's writing: `write()` on a thread, off the event loop; a failure ends
    the job with one sentence ("Could not export to PATH: why.")."""
    try:
        return await asyncio.to_thread(write)
    except (OSError, ValueError) as error:
        raise JobFailed(f"Could not export to {path}: {error_reason(error)}.") from None


def failure_text(job: Job | None, error: BaseException | None) -> str:
    """One sentence saying why a job failed."""
    if isinstance(error, _sentence_errors()) and str(error):
        return " ".join(str(error).split())
    doing = job.doing if job is not None else "A background job"
    if error is None:
        return f"{doing} failed."
    reason = error_reason(error)
    reason = one_line(scrub(reason or type(error).__name__)).rstrip(".")
    return f"{doing} failed: {reason}."


def notify_failure(node: Widget, event: Worker.StateChanged) -> str | None:
    """If the worker failed, say so in a notification; the sentence said, else None."""
    if event.state is not WorkerState.ERROR:
        return None
    worker = event.worker
    job = JOBS.get(worker.group)
    text = failure_text(job, worker.error)
    node.log.error(f"worker {worker.name!r} failed:", worker.error)
    # Plain text: a failure quotes servers and settings, where [brackets] are no markup.
    node.notify(
        text, title=job.title if job else "Failed", severity="error", timeout=10, markup=False
    )
    return text
