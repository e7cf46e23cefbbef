"""Getting frames out of the inspector: a row's text for the clipboard, and an `Export`
of the filtered view or of every frame to a JSONL file in the session recorder's format.

    {"rt_tui": "session", "version": 1, "wall_time": …, "source": "inspector export", …}
    {"wall_time": …, "t_ms": …, "direction": "received", "data": "<frame text>"}
    {"wall_time": …, "t_ms": …, "direction": "sent", "data": "<base64>", "binary": true}

So `rt_tui.realtime.recorder.read_log` reads an export back like any session log. `data`
is the full frame as the inspector stored it (audio in full, secrets already redacted).
"""

from __future__ import annotations

import base64
import os
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rt_tui.inspector.status_line import plural
from rt_tui.inspector.store import FrameStore
from rt_tui.paths import free_path
from rt_tui.realtime.recorder import log_line, meta_line


def export_path(directory: Path, *, filtered: bool, now: float | None = None) -> Path:
    """A fresh file name in `directory` for an export made at `now`: `…-filtered.jsonl`
    for the frames a filter let through, `…-all.jsonl` for every frame."""
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(time.time() if now is None else now))
    stem = f"inspector-{stamp}-{'filtered' if filtered else 'all'}"
    return free_path(directory, stem, ".jsonl")


def frame_line(store: FrameStore, i: int) -> str:
    """The JSONL line for frame `i` (no newline); a socket mark's is the log's mark line."""
    direction = store.direction(i)
    text = store.frame_text(i)
    if direction is None:
        return text if isinstance(text, str) else text.decode()
    return log_line(store.wall_time(i), store.t_ms(i), direction, text)


def write_jsonl(
    store: FrameStore, indices: Iterable[int], path: Path, *, description: str = ""
) -> int:
    """Write frames `indices` to a new file `path` (mode 0600); returns how many."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    meta: dict[str, Any] = {"wall_time": time.time(), "source": "inspector export"}
    if description:
        meta["filter"] = description
    count = 0
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with open(fd, "w", encoding="utf-8") as out:
        out.write(meta_line(**meta) + "\n")
        for i in indices:
            out.write(frame_line(store, i))
            out.write("\n")
            count += 1
    return count


def row_text(store: FrameStore, row: int) -> str:
    """View row `row`'s frames as on the wire: a folded group gives one frame a line, a
    binary frame its base64."""
    shown = store.row(row)
    group = store.group_of(shown.frame_index)
    indices = list(group.members) if group and shown.fold == "folded" else [shown.frame_index]
    texts = []
    for i in indices:
        data = store.frame_text(i)
        texts.append(base64.b64encode(data).decode() if isinstance(data, bytes) else data)
    return "\n".join(texts)


@dataclass(frozen=True)
class Export:
    """One export to write: which frames, to which file, and how to say what was written."""

    store: FrameStore
    indices: Sequence[int]
    path: Path
    description: str
    """The filter the frames passed; empty for every frame."""
    total: int
    """How many frames the store held when the export was planned."""

    @classmethod
    def plan(
        cls, store: FrameStore, directory: Path, *, filtered: bool, now: float | None = None
    ) -> Export | None:
        """An export of the filtered view (`filtered`) or of every frame to a new file in
        `directory`; None when there is nothing to export."""
        # With no filter on, the view is every frame (folded groups are written in full).
        description = store.filter.describe() if filtered else ""
        filtered = bool(description)
        indices = store.rows_of_view() if filtered else list(range(len(store)))
        if not indices:
            return None
        path = export_path(directory, filtered=filtered, now=now)
        return cls(store, indices, path, description, len(store))

    def write(self) -> int:
        """Write the file (mode 0600); returns how many frames it holds. Raises OSError
        when the file cannot be written (ValueError for a name the system cannot take)."""
        return write_jsonl(self.store, self.indices, self.path, description=self.description)

    def done_message(self, count: int) -> str:
        """What to tell the user once `count` frames are written."""
        return self.done_text(self.path, count, self.total, self.description)

    @staticmethod
    def done_text(path: Path, count: int, total: int, description: str) -> str:
        """What to tell the user once `count` of `total` frames passing the filter
        `description` (empty: every frame) are written to `path`."""
        if description:
            what = f"{count:,} of {total:,} frames (filter: {description})"
        else:
            what = f"all {plural(count, 'frame')}"
        return f"Exported {what} to {path}"
