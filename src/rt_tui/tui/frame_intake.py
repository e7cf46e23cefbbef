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
    """Batches of frames waiting for the screen's next beat."""

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
        """The size of the frames the looks have seen waiting."""
        self._frames = 0
        """How many frames the looks have seen waiting."""
        self._batches: list[FrameBatch] = []
        self._seen_batches = 0
        self._seen = 0
        """The last look had seen this many frames of the batch at `_seen_batches`
        (more since: the socket is not quiet)."""
        self._ended = False
        """A response ended among them (or among those `on_full` took last)."""
        self._looking: Cancellable | None = None

    def __bool__(self) -> bool:
        return bool(self._batches)

    def add(self, batch: FrameBatch) -> None:
        """A batch the worker posted (frames keep joining it until it is taken)."""
        self._batches.append(batch)
        if self._looking is None:
            self._look_later()

    def take(self, source: object) -> list[Frame]:
        """Every frame waiting that `source` (the current session's handle) sent, in order;
        the batches take no more (the frames that follow start new ones)."""
        batches, self._batches = self._batches, []
        self._seen_batches, self._seen, self._ended = 0, 0, False
        self._bytes = self._frames = 0
        if self._looking is not None:
            self._looking.cancel()
            self._looking = None
        return [frame for batch in batches if batch.source is source for frame in batch.take()]

    def _look_later(self) -> None:
        self._looking = self._call_later(QUIET_S, self._look)

    def _look(self) -> None:
        """Call `on_full` if FULL_BYTES wait, or `on_settled` if a response ended among the
        frames waiting and none came since the last look; else look again while frames
        wait."""
        self._looking = None
        batches, came = self._batches, False
        index, seen = self._seen_batches, self._seen
        while index < len(batches):
            frames = batches[index].frames
            if len(frames) > seen:
                came = True
                new = frames[seen:]
                self._bytes += sum(len(f.data) for f in new)
                self._frames += len(new)
                if not self._ended:
                    self._ended = any(f.wire_type == RESPONSE_END for f in new)
            if index == len(batches) - 1:
                seen = len(frames)  # The last batch may still grow.
                break
            index, seen = index + 1, 0
        self._seen_batches, self._seen = index, seen
        full = self._bytes >= FULL_BYTES or self._frames >= FULL_FRAMES
        if full and self._on_full is not None:
            ended = self._ended
            self._on_full()  # Takes them all: the next batch's first frame looks again.
            if ended:  # The end of a reply, taken now, shows once nothing follows it.
                self._ended = True
                self._look_later()
        elif self._ended and not came:
            if not batches:
                self._ended = False  # Only the end `on_full` took: it is shown now.
            self._on_settled()
        elif batches:
            self._look_later()
