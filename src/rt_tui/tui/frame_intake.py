"""The live session's frames between their arrival and the main screen's next beat.

The worker's `FrameFeed` posts a batch and keeps adding the frames that follow to it until
it is taken; the screen notes each batch here and takes them all on its repaint beat, so
a stream costs one message a beat however fast its frames come.

A reply's last frames should not wait a whole beat when nothing follows them: once the
frames waiting end a response and the socket has been quiet for QUIET_S, `on_settled`
is called (the screen then takes them at once).

Nor should a flood pile up for a whole beat: frames that arrive faster than 10 beats a
second take (audio: 30 minutes of it in a second or two, 8 KB a delta) would wait tens of
MB at a time, and the process keeps that high-water mark for good (text deltas: thousands
of frames). Once FULL_BYTES or FULL_FRAMES wait, `on_full` is called (the screen takes
them then; its panes still repaint on the beat, which it slows down while the flood
lasts).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Final, Protocol

if TYPE_CHECKING:
    from rt_tui.realtime.frames import Frame
    from rt_tui.tui.messages import FrameBatch

QUIET_S: Final = 0.003
"""How long no frame must arrive after a response's end before it is taken at once: a
socket read brings a flood's frames a few hundred KB at a time, well within it."""
RESPONSE_END: Final = "response.done"
FULL_BYTES: Final = 4 * 1024 * 1024
"""How much frame text may wait for the beat before it is taken at once."""
FULL_FRAMES: Final = 1000
"""How many frames may: a beat of a stream 20 times faster than real time brings ~300."""


class Cancellable(Protocol):
    def cancel(self) -> None: ...


CallLater = Callable[[float, Callable[[], object]], Cancellable]
"""Runs a callback after a delay (the running loop's `call_later`)."""


def _loop_call_later(delay: float, callback: Callable[[], object]) -> Cancellable:
    return asyncio.get_running_loop().call_later(delay, callback)


class FrameIntake:
    """Batches of frames waiting for the screen's next beat.

    Each batch tells the intake of the frames that join it (`FrameBatch.watch`), so the
    intake keeps count as they come, and sets a timer only for a reply's end or a flood:
    looking every QUIET_S while any frame waited cost ~4 % of the app's CPU in a stream.
    """

    def __init__(
        self,
        on_settled: Callable[[], object],
        call_later: CallLater = _loop_call_later,
        on_full: Callable[[], object] | None = None,
    ) -> None:
        self._on_settled = on_settled
        self._on_full = on_full
        self._call_later = call_later
        self._bytes = 0
        """The size of the frames waiting."""
        self._frames = 0
        """How many frames wait."""
        self._batches: list[FrameBatch] = []
        self._ended = False
        """A response ended among the frames waiting (or among those `on_full` took last)."""
        self._came = False
        """A frame came since the quiet timer was set."""
        self._quiet: Cancellable | None = None
        """The timer that sees whether the socket stayed quiet after a reply's end."""
        self._full: Cancellable | None = None
        """`on_full` is set to run (outside the socket's read, which adds the frames)."""

    def __bool__(self) -> bool:
        return bool(self._batches)

    def add(self, batch: FrameBatch) -> None:
        """A batch the worker posted (frames keep joining it until it is taken)."""
        self._batches.append(batch)
        for frame in batch.frames:  # those that joined it while it was on its way here
            self._arrived(frame)
        batch.watch(self._arrived)

    def take(self, source: object) -> list[Frame]:
        """Every frame waiting that `source` (the current session's handle) sent, in order;
        the batches take no more (the frames that follow start new ones)."""
        batches, self._batches = self._batches, []
        self._bytes = self._frames = 0
        self._ended = self._came = False
        for timer in (self._quiet, self._full):
            if timer is not None:
                timer.cancel()
        self._quiet = self._full = None
        frames: list[Frame] = []
        for batch in batches:
            taken = batch.take()
            if batch.source is source:
                frames += taken
        return frames

    def _arrived(self, frame: Frame) -> None:
        self._came = True
        self._bytes += len(frame.data)
        self._frames += 1
        if frame.wire_type == RESPONSE_END:
            self._ended = True
            if self._quiet is None:
                self._listen_for_quiet()
        if (
            self._on_full is not None
            and self._full is None
            and (self._bytes >= FULL_BYTES or self._frames >= FULL_FRAMES)
        ):
            self._full = self._call_later(0, self._take_full)

    def _listen_for_quiet(self) -> None:
        self._came = False
        self._quiet = self._call_later(QUIET_S, self._quiet_over)

    def _quiet_over(self) -> None:
        """Call `on_settled` if no frame came since a reply's end (or since the last
        look after it); else look again."""
        self._quiet = None
        if self._came:
            self._listen_for_quiet()
            return
        if not self._batches:
            self._ended = False  # Only the end `on_full` took: it is shown now.
        self._on_settled()

    def _take_full(self) -> None:
        self._full = None
        ended = self._ended
        assert self._on_full is not None
        self._on_full()  # Takes them all: the next batch's frames count afresh.
        if ended:  # The end of a reply, taken now, shows once nothing follows it.
            self._ended = True
            self._listen_for_quiet()
