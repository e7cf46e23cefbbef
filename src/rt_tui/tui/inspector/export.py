"""Export the inspector's frames to a JSONL file, one full frame a line.

Each line is `{"wall_time", "t_ms", "direction", "data"}` where `data` is the frame's
text exactly as on the wire (audio included in full). A binary frame's `data` is base64
with `"encoding": "base64"` beside it.
"""

from __future__ import annotations

import base64
import json
import os
import time
from collections.abc import Iterable
from pathlib import Path

from rt_tui.tui.inspector.store import FrameStore


def export_path(directory: Path, *, filtered: bool, now: float | None = None) -> Path:
    """A fresh file name in `directory` for an export made at `now`."""
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(time.time() if now is None else now))
    stem = f"inspector-{stamp}{'-filtered' if filtered else ''}"
    path = directory / f"{stem}.jsonl"
    n = 2
    while path.exists():
        path = directory / f"{stem}-{n}.jsonl"
        n += 1
    return path


def frame_line(store: FrameStore, i: int) -> str:
    """The JSONL line for frame `i` (no newline)."""
    data = store.frame_text(i)
    record: dict[str, object] = {
        "wall_time": store.wall_time(i),
        "t_ms": store.t_ms(i),
        "direction": store.direction(i).value,
    }
    if isinstance(data, bytes):
        record["data"] = base64.b64encode(data).decode("ascii")
        record["encoding"] = "base64"
    else:
        record["data"] = data
    return json.dumps(record, ensure_ascii=False)


def write_jsonl(store: FrameStore, indices: Iterable[int], path: Path) -> int:
    """Write frames `indices` to `path` (mode 0600, created fresh); returns how many."""
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with open(fd, "w", encoding="utf-8") as out:
        for i in indices:
            out.write(frame_line(store, i))
            out.write("\n")
            count += 1
    return count
