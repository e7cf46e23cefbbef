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
from itertools import islice
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from textual.worker import Worker

from rt_tui.inspector.filtering import FrameFilter
from rt_tui.inspector.logs import LogError, ReplayPlan, iter_frames
from rt_tui.tui.messages import LinkState
from rt_tui.tui.widgets.conversation import PendingKey, error_key

if TYPE_CHECKING:
    from rt_tui.tui.screens.main import MainScreen

BATCH_FRAMES = 2_000
"""Frames handled between two turns of the event loop."""
READ_ONLY = "replay: read-only"
REPLAY_WORKER = "replay"
MAX_DRAWN_ITEMS = 400
"""The conversation pane mounts one widget per item, and a pane of thousands takes minutes
to lay out, so a long replay shows its newest items (the inspector keeps every frame)."""

_workers: WeakKeyDictionary[MainScreen, Worker[int]] = WeakKeyDictionary()
"""Each replaying screen's feeding worker (Textual forgets workers once they finish)."""


def replay_finished(screen: MainScreen) -> bool:
    """Whether the replay has fed every frame and the conversation pane has drawn them."""
    worker = _workers.get(screen)
    return worker is not None and worker.is_finished and not screen.pane.busy


def start_replay(screen: MainScreen, plan: ReplayPlan) -> Worker[int]:
    """Make `screen` a read-only view of the log and start feeding it the frames."""
    info = plan.info
    composer = screen.composer
    composer.placeholder = READ_ONLY
    composer.disabled = True
    screen.inspector.rows.focus()
    screen.pane.set_link(LinkState.REPLAY.value)
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
    worker = screen.run_worker(
        feed_frames(screen, plan), name=REPLAY_WORKER, group="replay", exit_on_error=False
    )
    _workers[screen] = worker
    return worker


async def feed_frames(screen: MainScreen, plan: ReplayPlan) -> int:
    """Feed every frame of the log to the screen's inspector and conversation; returns
    how many. A log that broke since it was checked stops with a notification."""
    inspector = screen.inspector
    conversation = screen.conversation
    # What the pane must draw, in order of first appearance (errors too, so the pane reads
    # in frame order as it did live). The pane draws it once at the end: redrawing items
    # while their text still grows would cost far more.
    touched: dict[PendingKey, None] = {}
    frames = iter_frames(plan.info.path)
    count = 0
    try:
        while batch := list(islice(frames, BATCH_FRAMES)):
            for frame in batch:
                inspector.add_frame(frame)
                change = conversation.apply(frame)
                if change.responses or change.items:
                    touched.update(dict.fromkeys(("response", r) for r in change.responses))
                    touched.update(dict.fromkeys(("item", i) for i in change.items))
                if change.errors:
                    touched[error_key(len(conversation.errors) - 1)] = None
            count += len(batch)
            await asyncio.sleep(0)
    except LogError as error:
        screen.notify(str(error), title="Replay", severity="error", timeout=10)
    _draw_conversation(screen, touched)
    screen._show_usage()
    screen.notify(
        f"Replayed {count:,} frames from {plan.info.path.name}"
        f"{f' ({plan.info.url})' if plan.info.url else ''}; {READ_ONLY}.",
        title="Replay",
        timeout=4,
    )
    return count


def _draw_conversation(screen: MainScreen, touched: dict[PendingKey, None]) -> None:
    """Hand the pane what the replay touched (the newest `MAX_DRAWN_ITEMS` items and the
    responses and errors among them), in frame order, as one batch."""
    keys = list(touched)
    item_positions = [n for n, (kind, _key) in enumerate(keys) if kind == "item"]
    if len(item_positions) > MAX_DRAWN_ITEMS:
        keys = keys[item_positions[-MAX_DRAWN_ITEMS] :]
        screen.notify(
            f"The conversation shows the last {MAX_DRAWN_ITEMS:,} of {len(item_positions):,} "
            "items; every frame is in the inspector.",
            title="Replay",
            timeout=8,
        )
    screen.pane.show_keys(screen.conversation, keys)
