"""The inspector's copy and export keys: `c` copies the selected frame, `x` exports the
filtered view and `X` the whole log (JSONL, in the sessions folder).

`EventInspector` lists `COPY_EXPORT_BINDINGS` last in its key map and its actions call
the functions here, which read the inspector's `FrameStore` and selected row.
"""

from __future__ import annotations

import asyncio
import base64
from pathlib import Path
from typing import TYPE_CHECKING

from textual.binding import Binding, BindingType

from rt_tui.inspector.export import export_path, write_jsonl
from rt_tui.inspector.status_line import plural
from rt_tui.realtime.errors import os_reason
from rt_tui.tui import jobs

if TYPE_CHECKING:
    from rt_tui.inspector.store import FrameStore
    from rt_tui.tui.widgets.inspector import EventInspector

COPY_EXPORT_BINDINGS: list[BindingType] = [
    Binding(
        "c",
        "copy_frame",
        "Copy",
        id="inspector.copy",
        tooltip="Copy the selected event's JSON to the clipboard (OSC 52)",
    ),
    Binding(
        "x",
        "export(True)",
        "Export view",
        id="inspector.export_view",
        tooltip="Export the filtered events to a JSONL file",
    ),
    Binding(
        "X",
        "export(False)",
        "Export all",
        id="inspector.export_all",
        tooltip="Export every event of the session to a JSONL file",
    ),
]


def selected_text(inspector: EventInspector) -> str | None:
    """The selected row's frames as on the wire (a folded group: one frame a line)."""
    row = inspector.rows.cursor_row
    if row is None:
        return None
    store = inspector.store
    shown = store.row(row)
    group = store.group_of(shown.frame_index)
    indices = list(group.members) if group and shown.fold == "folded" else [shown.frame_index]
    texts = []
    for i in indices:
        data = store.frame_text(i)
        texts.append(base64.b64encode(data).decode() if isinstance(data, bytes) else data)
    return "\n".join(texts)


def copy_selected(inspector: EventInspector) -> None:
    """Copy the selected frame's JSON to the clipboard (OSC 52, works over SSH)."""
    text = selected_text(inspector)
    if text is None:
        inspector.notify("Select a frame to copy first.", severity="warning", timeout=3)
        return
    inspector.app.copy_to_clipboard(text)
    inspector.notify(f"Copied {len(text):,} characters of JSON to the clipboard.", timeout=3)


def export_frames(inspector: EventInspector, filtered: bool) -> None:
    """Write the filtered view (or the whole log) to a JSONL file in a job."""
    store = inspector.store
    # With no filter on, the view is every frame (folded groups are written in full).
    description = store.filter.describe() if filtered else ""
    indices = store.rows_of_view() if description else list(range(len(store)))
    if not indices:
        inspector.notify("Nothing to export.", severity="warning", timeout=3)
        return
    directory = inspector.export_dir
    if directory is None:
        from rt_tui.paths import sessions_dir

        directory = sessions_dir()
    work = write_export(inspector, store, indices, directory, description)
    jobs.start(inspector.screen, jobs.EXPORT, work)


async def write_export(
    inspector: EventInspector,
    store: FrameStore,
    indices: list[int],
    directory: Path,
    description: str,
) -> None:
    """The export job: write the file off the event loop, then post `Exported`."""
    total = len(store)

    def write() -> tuple[Path, int]:
        where = directory
        try:
            where = path = export_path(directory, filtered=bool(description))
            return path, write_jsonl(store, indices, path, description=description)
        except (OSError, ValueError) as error:
            reason = os_reason(error) if isinstance(error, OSError) else str(error)
            raise jobs.JobFailed(f"Could not export to {where}: {reason}.") from None

    path, count = await asyncio.to_thread(write)
    inspector.post_message(inspector.Exported(inspector, path, count, total, description))


def exported_notice(message: EventInspector.Exported) -> str:
    """What the inspector says when an export is written."""
    count, total = message.count, message.total
    if message.description:
        what = f"{count:,} of {total:,} frames (filter: {message.description})"
    else:
        what = f"all {plural(count, 'frame')}"
    return f"Exported {what} to {message.path}"
