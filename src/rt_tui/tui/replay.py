"""`rt-tui replay FILE` in the TUI: a recorded log's frames shown in the main screen.

The main screen calls `start_replay` instead of connecting. A job (`rt_tui.tui.jobs`)
reads the log and posts its frames; the screen hands them, in order and with their
recorded times and directions, to the inspector and through the engine's `Conversation`
reducer to the conversation pane, exactly as a live session's would, except that nothing
is sent: the composer is disabled and reconnecting is refused.

Frames come in batches, the job yielding to the event loop between them, so a log of
100,000 frames loads without freezing the screen; the inspector and the conversation pane
each repaint at most once a tick however many frames a batch holds.

With a speed (`rt-tui replay LOG --speed 1|10`) the job instead waits for each frame's
recorded time (`rt_tui.inspector.playback`), the pane draws as frames come, and F6
pauses and resumes, F7 steps one frame and F9 one response while paused, F10 goes on at
the next speed; the footer shows these keys first, the status bar where the replay
stands.

Where a new socket took the session over, the log's mark (`ReplayMark`) does to the
conversation what the live app did (`take_over`: the cut-off reply is interrupted, the
re-seeded items are not applied twice), is a row of the inspector, and its record stands
in the conversation where the live app's did.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from textual.message import Message
from textual.worker import Worker

from rt_tui.inspector.filtering import FrameFilter
from rt_tui.inspector.logs import ReplayPlan, SkippedLine, iter_entries
from rt_tui.inspector.playback import Playback, Step, play_times
from rt_tui.realtime.conversation import Conversation
from rt_tui.realtime.conversation_model import Change
from rt_tui.realtime.frames import Frame
from rt_tui.realtime.reseed import take_over
from rt_tui.realtime.socket_mark import SocketMark
from rt_tui.tui import jobs
from rt_tui.tui.frame_batches import fold_frames
from rt_tui.tui.link_notes import socket_note
from rt_tui.tui.messages import LinkState
from rt_tui.tui.widgets.conversation_entries import PendingKey, error_key
from rt_tui.tui.worker import Post

if TYPE_CHECKING:
    from rt_tui.tui.screens.main import MainScreen

# Its keys (F6, F7, F9, F10) are listed with the main screen's (`main_keys.REPLAY_BINDINGS`):
# the screen needs them at start, and this module only for a replay.

BATCH_FRAMES = 2_000
"""Frames handled between two turns of the event loop."""
READ_ONLY = "replay: read-only"
NOTED_SKIPS = 20
"""Broken lines noted one by one in the conversation pane; the rest are counted."""


@dataclass
class ReplayFrames(Message, bubble=False):
    """The next frames of the log, in order, for the screen to show."""

    frames: list[Frame]


@dataclass
class ReplaySkipped(Message, bubble=False):
    """The job passed over a broken line of the log (posted in order with the frames)."""

    line: SkippedLine


@dataclass
class ReplayMark(Message, bubble=False):
    """A new socket took the session over here (posted in order with the frames)."""

    mark: SocketMark


@dataclass
class ReplayEnded(Message, bubble=False):
    """The replay job read `count` frames and stopped (at the end, or where the log broke:
    the job's failure says why)."""

    count: int


@dataclass
class _Replay:
    """What a replaying screen has shown so far."""

    path: Path
    url: str
    touched: dict[PendingKey, None] = field(default_factory=dict)
    """What the pane must draw, in order of first appearance. The pane draws it once at
    the end: redrawing items while their text still grows would cost far more."""
    errors_noted: int = 0
    """Errors before this index in `Conversation.errors` are in `touched`."""
    ended: bool = False
    skipped: int = 0
    """Broken lines of the log passed over so far."""
    playback: Playback | None = None
    """The pace, pause and steps of a replay at a speed; None: all at once."""
    where: str = ""
    """The log, as the status bar names it."""


_replays: WeakKeyDictionary[MainScreen, _Replay] = WeakKeyDictionary()


def replay_finished(screen: MainScreen) -> bool:
    """Whether the replay has fed every frame and the conversation pane has drawn them."""
    replay = _replays.get(screen)
    return replay is not None and replay.ended and not screen.pane.busy


def start_replay(screen: MainScreen, plan: ReplayPlan) -> Worker[int]:
    """Make `screen` a read-only view of the log and start the job reading the frames."""
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
    replay = _replays[screen] = _Replay(info.path, info.url, where=info.describe())
    if plan.speed is None:
        return jobs.start(screen, jobs.REPLAY, read_frames(info.path, screen.post_message))
    replay.playback = Playback(plan.speed, info.duration_ms)
    screen.refresh_bindings()  # The replay's keys, in the footer from now on.
    _show_position(screen)
    screen.set_interval(0.5, lambda: _show_position(screen))
    work = play_frames(info.path, screen.post_message, replay.playback)
    return jobs.start(screen, jobs.REPLAY, work)


def _show_position(screen: MainScreen) -> None:
    """Where the replay stands in the status bar: 'replay 1x · 12.3 s / 95.0 s · paused · log'."""
    replay = _replays[screen]
    if replay.playback is None:
        return
    where = replay.playback.describe(ended=replay.ended)
    screen.status.set_link(LinkState.REPLAY, detail=f"{where} · {replay.where}")


def paced(screen: MainScreen) -> bool:
    """Whether the screen replays at a speed (so pause and step apply)."""
    replay = _replays.get(screen)
    return replay is not None and replay.playback is not None and not replay.ended


def toggle_pause(screen: MainScreen) -> None:
    playback = _replays[screen].playback
    if playback is not None:
        playback.toggle_pause()
        _show_position(screen)


def next_speed(screen: MainScreen) -> None:
    """Go on at the next speed (1x, 10x, at once)."""
    playback = _replays[screen].playback
    if playback is not None:
        playback.next_speed()
        _show_position(screen)


def step(screen: MainScreen, what: Step) -> None:
    """While paused, show the next frame, or the frames through the next response.done."""
    playback = _replays[screen].playback
    if playback is None:
        return
    if not playback.paused:
        screen.notify("Pause the replay first (F6), then step.", timeout=3)
        return
    playback.step(what)


async def read_frames(path: Path, post: Post) -> int:
    """The replay job: post the log's frames in batches, yielding to the event loop
    between them; returns how many. A log that broke since it was checked raises, once
    the frames before the break are posted."""
    count = 0
    batch: list[Frame] = []

    def post_batch() -> None:
        nonlocal batch, count
        if batch:
            post(ReplayFrames(batch))
            count += len(batch)
            batch = []

    def skip(line: SkippedLine) -> None:
        post_batch()  # the frames before it first
        post(ReplaySkipped(line))

    try:
        for entry in iter_entries(path, skip):
            if isinstance(entry, SocketMark):
                post_batch()
                post(ReplayMark(entry))
                continue
            batch.append(entry)
            if len(batch) == BATCH_FRAMES:
                post_batch()
                await asyncio.sleep(0)
    finally:
        post_batch()
        post(ReplayEnded(count))
    return count


async def play_frames(path: Path, post: Post, playback: Playback) -> int:
    """The replay job at a speed: post each frame when `playback` lets it through (at its
    recorded time, or by a step while paused); returns how many."""
    count = 0

    def skip(line: SkippedLine) -> None:
        post(ReplaySkipped(line))

    current: list[Frame | SocketMark] = []

    def recorded_times() -> Iterator[float]:
        for entry in iter_entries(path, skip):
            current[:] = [entry]
            yield entry.t_ms

    try:
        for at_ms in play_times(recorded_times()):
            entry = current[0]
            if isinstance(entry, SocketMark):
                await playback.admit(at_ms, ends_response=False)
                post(ReplayMark(entry))
                continue
            await playback.admit(at_ms, ends_response=entry.wire_type == "response.done")
            post(ReplayFrames([entry]))
            count += 1
    finally:
        post(ReplayEnded(count))
    return count


def show_replayed_frames(screen: MainScreen, frames: list[Frame]) -> None:
    """Feed a batch of frames to the screen's inspector and conversation, as a live
    batch's are (`fold_frames`), noting what the pane will draw at the end."""
    replay = _replays[screen]
    conversation = screen.engine.conversation
    screen.inspector.add_frames(frames)
    fold_frames(conversation, frames, lambda change: _note(replay, conversation, change))
    if replay.playback is not None:  # at a speed, drawn as they come
        _draw_touched(screen, replay)
        _show_position(screen)


def show_replayed_mark(screen: MainScreen, mark: SocketMark) -> None:
    """A new socket took the session over here: a row in the inspector; in the
    conversation, what the live app did then, and its record after what came before."""
    replay = _replays[screen]
    conversation = screen.engine.conversation
    screen.inspector.add_mark(mark)
    _note(replay, conversation, take_over(conversation, mark))
    _draw_touched(screen, replay)
    screen.pane.add_notice(socket_note(mark))


def _note(replay: _Replay, conversation: Conversation, change: Change) -> None:
    """Note what `change` touched for the pane to draw, in the order the pane would have
    drawn it live, errors at their place too."""
    touched = replay.touched
    touched.update(dict.fromkeys(("response", r) for r in change.responses))
    touched.update(dict.fromkeys(("item", i) for i in change.items | change.removed_items))
    if change.errors:
        errors = range(replay.errors_noted, len(conversation.errors))
        touched.update(dict.fromkeys(map(error_key, errors)))
        replay.errors_noted = len(conversation.errors)


def _draw_touched(screen: MainScreen, replay: _Replay) -> None:
    """Have the pane draw what the frames so far touched (and forget it here)."""
    screen.pane.show_keys(screen.engine.conversation, replay.touched)
    replay.touched.clear()


def note_skipped_line(screen: MainScreen, line: SkippedLine) -> None:
    """Say in the conversation pane which line of the log the replay passed over."""
    replay = _replays[screen]
    replay.skipped += 1
    if replay.skipped <= NOTED_SKIPS:
        screen.pane.add_notice(line.describe())


def _skipped_text(skipped: int) -> str:
    return f"skipped {skipped:,} broken line{'s' if skipped > 1 else ''}" if skipped else ""


def finish_replay(screen: MainScreen, count: int) -> None:
    """Draw the conversation the replay rebuilt and say how many frames it showed."""
    replay = _replays[screen]
    # In frame order, as one batch: the pane spreads the drawing over turns of the loop.
    screen.pane.show_keys(screen.engine.conversation, replay.touched)
    screen.status.show_usage(screen.engine.conversation)
    screen.status.refresh()  # The totals now, not at the status bar's next tick.
    replay.ended = True
    screen.refresh_bindings()  # Nothing left to pause or step.
    _show_position(screen)
    skipped = _skipped_text(replay.skipped)
    if replay.skipped > NOTED_SKIPS:
        screen.pane.add_notice(f"The replay {skipped} of {replay.path.name} in all.")
    screen.notify(
        f"Replayed {count:,} frames from {replay.path.name}"
        f"{f' ({replay.url})' if replay.url else ''}"
        f"{f'; {skipped} (see the conversation)' if skipped else ''}; {READ_ONLY}.",
        title="Replay",
        severity="warning" if skipped else "information",
        timeout=6 if skipped else 4,
    )
