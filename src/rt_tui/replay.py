"""`rt-tui replay FILE --print / --json`: a recorded session log as text, headless.

`--print` writes the inspector's rows as text (`rt_tui.inspector.printed`) and `--json`
the frames as JSONL, so logs can be read in CI or piped to grep. The rows come from the
inspector's Textual-free `FrameStore` (loaded by `rt_tui.inspector.logs`), so they fold and
filter exactly as in the TUI; `rt_tui.tui.replay` opens the same log in the TUI, and
`rt_tui.send.resend` sends its client events again.
"""

from __future__ import annotations

import json
from typing import IO, Any

from rt_tui.inspector.export import frame_line
from rt_tui.inspector.printed import row_text
from rt_tui.inspector.store import FrameStore

__all__ = ["row_text", "write_json", "write_rows"]


def write_rows(store: FrameStore, out: IO[str]) -> int:
    """Write the store's visible rows, one a line; returns how many."""
    for row in range(store.row_count):
        out.write(row_text(store.row(row)))
        out.write("\n")
    return store.row_count


def write_json(store: FrameStore, out: IO[str], meta: dict[str, Any] | None = None) -> int:
    """Write the log's meta line (if any, noting the filter) and every frame the filter
    passes as JSONL in the recorder's format, so the output replays again. Returns how
    many frames."""
    if meta:
        described = store.filter.describe()
        out.write(json.dumps({**meta, "filter": described} if described else meta) + "\n")
    indices = store.rows_of_view()
    for i in indices:
        out.write(frame_line(store, i))
        out.write("\n")
    return len(indices)
