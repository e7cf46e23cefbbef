"""The inspector's export keys: the filtered view (x) or the whole log (X) as JSONL, in a
file the user picks (a new file in the sessions folder by default), written off the event
loop; the inspector then posts `EventInspector.Exported` and says where it went.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from rt_tui import paths
from rt_tui.realtime.errors import error_reason
from rt_tui.tui import jobs

if TYPE_CHECKING:
    from rt_tui.inspector.export import Export
    from rt_tui.tui.widgets.inspector import EventInspector


def start_frames_export(inspector: EventInspector, *, filtered: bool) -> None:
    """Ask where the frames go, then write them in a job."""
    from rt_tui.inspector.export import Export
    from rt_tui.tui.export_prompt import ExportPrompt

    directory = inspector.export_dir if inspector.export_dir is not None else paths.sessions_dir()
    try:
        export = Export.plan(inspector.store, directory, filtered=filtered)
    except (OSError, ValueError) as error:
        # Naming the file can fail too (a folder the system refuses).
        reason = error_reason(error)
        inspector.notify(f"Could not export to {directory}: {reason}.", severity="error")
        return
    if export is None:
        inspector.notify("Nothing to export.", severity="warning", timeout=3)
        return
    what = "the filtered events" if export.description else "every event"

    def write(path: Path | None) -> None:
        if path is not None:
            jobs.start(
                inspector.screen, jobs.EXPORT, write_job(inspector, replace(export, path=path))
            )

    inspector.app.push_screen(ExportPrompt(f"Export {what} (JSONL)", export.path), write)


async def write_job(inspector: EventInspector, export: Export) -> None:
    """The export job: write the file off the event loop, then post `Exported`."""
    count = await jobs.export_off_loop(export.path, export.write)
    inspector.post_message(
        inspector.Exported(inspector, export.path, count, export.total, export.description)
    )
