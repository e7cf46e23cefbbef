"""Pacing a replay: frames at their recorded times (or ten times faster), with pause and step.

`Playback` keeps the replay's own clock in recorded milliseconds. While playing it runs at
`speed` times the wall clock; paused it stands still, and a step lets one frame (or the
frames up to the next `response.done`) through. The replay job awaits `admit` before each
frame. Nothing here imports Textual, and the clock is injectable.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Final, Literal

SPEEDS: Final = {"1": 1.0, "10": 10.0, "max": None}
"""`rt-tui replay --speed` values: times the recorded pace, or None for at once."""
CYCLE: Final = (1.0, 10.0, None)
"""The speeds the replay's speed key goes through, in turn."""

Step = Literal["frame", "response"]


def play_times(t_ms: Iterable[float]) -> Iterator[float]:
    """Each frame's time on one running line. A log written across reconnects restarts
    `t_ms` at 0 for each connection: a time that goes backwards continues from the frame
    before it instead."""
    offset = 0.0
    previous: float | None = None
    for t in t_ms:
        if previous is not None and t + offset < previous:
            offset = previous - t
        previous = t + offset
        yield previous


class Playback:
    """The replay's clock, its pause and its steps. `speed` None: no waiting at all (each
    frame is due at once), but pause and steps still hold."""

    def __init__(
        self, speed: float | None, total_ms: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.speed = speed
        self.total_ms = total_ms
        self._clock = clock
        self._anchor_ms = 0.0
        """Recorded time at `_anchor_wall`."""
        self._anchor_wall = clock()
        self.paused = False
        self._step: Step | None = None
        self._changed = asyncio.Event()

    @property
    def position_ms(self) -> float:
        """How far into the recording the replay is."""
        if self.paused or self.speed is None:
            return self._anchor_ms
        played = (self._clock() - self._anchor_wall) * 1000 * self.speed
        return min(self.total_ms, self._anchor_ms + played)

    def _move(self, position_ms: float, *, paused: bool) -> None:
        self._anchor_ms = position_ms
        self._anchor_wall = self._clock()
        self.paused = paused
        self._changed.set()

    def toggle_pause(self) -> None:
        self._step = None
        self._move(self.position_ms, paused=not self.paused)

    def next_speed(self) -> None:
        """Go on at the next speed of `CYCLE` (1x, 10x, at once, 1x…), from where it is."""
        position = self.position_ms
        at = CYCLE.index(self.speed) if self.speed in CYCLE else -1
        self.speed = CYCLE[(at + 1) % len(CYCLE)]
        self._move(position, paused=self.paused)

    def step(self, what: Step) -> None:
        """While paused, let the next frame (or the frames through the next response.done)
        through."""
        if self.paused:
            self._step = what
            self._changed.set()

    def describe(self, *, ended: bool = False) -> str:
        """'1 · 12.3 s / 95.0 s · paused' (with a multiplication sign)."""
        speed = "max" if self.speed is None else f"{self.speed:g}\N{MULTIPLICATION SIGN}"
        where = f"{self.position_ms / 1000:.1f} s / {self.total_ms / 1000:.1f} s"
        state = " · ended" if ended else " · paused" if self.paused else ""
        return f"{speed} · {where}{state}"

    async def admit(self, at_ms: float, *, ends_response: bool) -> None:
        """Return when the frame recorded at `at_ms` is due: its time has come while
        playing, or a step lets it through while paused."""
        while True:
            self._changed.clear()
            if self.paused:
                if self._step is not None:
                    if self._step == "frame" or ends_response:
                        self._step = None
                    self._anchor_ms = max(self._anchor_ms, at_ms)
                    return
                await self._changed.wait()
                continue
            if self.speed is None:
                self._anchor_ms = max(self._anchor_ms, at_ms)
                return
            wait_s = (at_ms - self.position_ms) / 1000 / self.speed
            if wait_s <= 0:
                return
            with contextlib.suppress(TimeoutError):  # due, or woken by a pause
                await asyncio.wait_for(self._changed.wait(), wait_s)
