"""`rt-tui replay FILE` in the TUI: a recorded log's frames shown in the main screen.

The main screen calls `start_replay` instead of connecting. The frames go, in order and
with their recorded times and directions, into the inspector and through the engine's
`Conversation` reducer into the conversation pane, exactly as a live session's would,
except that nothing is sent: the composer is disabled and reconnecting is refused.

Frames are fed in batches, yielding to the event loop between them, so a log of 100,000
frames loads without freezing the screen; the inspector and the conversation pane each
repaint at most once a tick however many frames a batch holds.
"""

from __future__ import annotations

import asyncio
import sys
from itertools import islice
from typing import TYPE_CHECKING

from textual.worker import Worker

from rt_tui.config import ConfigError
from rt_tui.replay import LogError, ReplayPlan, iter_frames
from rt_tui.tui.inspector.filtering import FrameFilter
from rt_tui.tui.messages import LinkState

if TYPE_CHECKING:
    from rt_tui.tui.screens.main import MainScreen

BATCH_FRAMES = 2_000
"""Frames handled between two turns of the event loop."""
READ_ONLY = "replay: read-only"


def start_replay(screen: MainScreen, plan: ReplayPlan) -> Worker[int]:
    """Make `screen` a read-only view of the log and start feeding it the frames."""
    info = plan.info
    composer = screen.composer
    composer.placeholder = READ_ONLY
    composer.disabled = True
    screen.inspector.rows.focus()
    screen.status.set_link(
        LinkState.REPLAY,
        host=info.host,
        dialect=info.dialect,
        model=info.model,
        detail=f"of {info.describe()}",
    )
    if not plan.fold:
        screen.inspector.store.set_fold_all(False)
    if plan.query:
        screen.inspector.set_filter(FrameFilter(plan.query))
    return screen.run_worker(
        feed_frames(screen, plan), name="replay", group="replay", exit_on_error=False
    )


async def feed_frames(screen: MainScreen, plan: ReplayPlan) -> int:
    """Feed every frame of the log to the screen's inspector and conversation; returns
    how many. A log that broke since it was checked stops with a notification."""
    inspector = screen.inspector
    pane = screen.pane
    conversation = screen.conversation
    frames = iter_frames(plan.info.path)
    count = 0
    try:
        while batch := list(islice(frames, BATCH_FRAMES)):
            for frame in batch:
                inspector.add_frame(frame)
                change = conversation.apply(frame)
                if change:
                    pane.show_change(conversation, change)
            count += len(batch)
            await asyncio.sleep(0)
    except LogError as error:
        screen.notify(str(error), title="Replay", severity="error", timeout=10)
    screen._show_usage()
    screen.notify(
        f"Replayed {count:,} frames from {plan.info.path.name}"
        f"{f' ({plan.info.url})' if plan.info.url else ''}; {READ_ONLY}.",
        title="Replay",
        timeout=4,
    )
    return count


def run_replay(plan: ReplayPlan) -> int:
    """Run the TUI on a checked log until the user quits; the process exit code."""
    from rt_tui.tui.app import make_app  # The app imports the main screen, which imports us.

    try:
        app = make_app(replay=plan)
    except ConfigError as error:
        print(f"rt-tui: {error}", file=sys.stderr)
        return 1
    result = app.run()
    return result if isinstance(result, int) else 0
