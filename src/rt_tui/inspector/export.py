"""Export the inspector's frames to a JSONL file in the session recorder's line format.

    {"rt_tui": "session", "version": 1, "wall_time": …, "source": "inspector export", …}
    {"wall_time": …, "t_ms": …, "direction": "received", "data": "<frame text>"}
    {"wall_time": …, "t_ms": …, "direction": "sent", "data": "<base64>", "binary": true}

So `rt_tui.realtime.recorder.read_log` reads an export back like any session log. `data`
is the full frame as the inspector stored it (audio in full, secrets already redacted).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

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
    """The JSONL line for frame `i` (no newline)."""
    return log_line(store.wall_time(i), store.t_ms(i), store.direction(i), store.frame_text(i))


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
