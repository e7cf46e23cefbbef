"""`rt-tui replay FILE --print / --json / --cost`: a recorded session log as text, headless.

`--print` writes the inspector's rows as text (`rt_tui.inspector.printed`) and `--json`
the frames as JSONL, so logs can be read in CI or piped to grep; `--cost` what the session
cost, response by response, as the TUI's cost view (alt+c) says it. The rows come from the
inspector's Textual-free `FrameStore` (loaded by `rt_tui.inspector.logs`), so they fold and
filter exactly as in the TUI; `rt_tui.tui.replay` opens the same log in the TUI, and
`rt_tui.send.resend` sends its client events again.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import IO, Any

from rt_tui.config import ConfigError, load_config
from rt_tui.cost.meter import CostMeter
from rt_tui.cost.summary import summary_lines
from rt_tui.cost.table import price_table
from rt_tui.cost_settings import CostSettings
from rt_tui.inspector.export import frame_line
from rt_tui.inspector.logs import LogError, ReplayInfo, check_log, iter_frames
from rt_tui.inspector.printed import row_text
from rt_tui.inspector.store import FrameStore
from rt_tui.realtime.conversation import Conversation

__all__ = ["row_text", "run_cost", "write_cost", "write_json", "write_rows"]


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


def write_cost(info: ReplayInfo, settings: CostSettings, out: IO[str]) -> None:
    """Fold the checked log `info` through the reducer and write what the session cost,
    priced with `settings` (the config's `[cost]`); broken lines were reported when the
    log was checked, so they are passed over quietly here."""
    conversation = Conversation()
    try:
        for frame in iter_frames(info.path, lambda _line: None):
            conversation.apply(frame)
        meter = CostMeter(price_table(settings), budget_usd=settings.budget_usd)
        for line in summary_lines(conversation, meter, info.model):
            out.write(line + "\n")
    finally:
        conversation.audio.close()


def run_cost(path: Path) -> int:
    """`rt-tui replay LOG --cost`: print what the session cost, priced with the config
    file's `[cost]`; the exit code (1 for a log that cannot be read, 2 for a bad config),
    a problem said in one `rt-tui: …` line on stderr."""
    try:
        config = load_config()
    except ConfigError as error:
        print(f"rt-tui: {error}", file=sys.stderr, flush=True)
        return 2
    try:
        info = check_log(path)
    except LogError as error:
        print(f"rt-tui: {error}", file=sys.stderr, flush=True)
        return 1
    for line in info.skipped:
        print(f"rt-tui: {line.describe()}", file=sys.stderr, flush=True)
    write_cost(info, config.cost, sys.stdout)
    sys.stdout.flush()
    return 0
