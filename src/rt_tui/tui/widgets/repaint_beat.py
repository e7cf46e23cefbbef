"""One beat for the live session's screen work, so a stream costs one screen update a beat.

The main screen takes the frames that arrived, and the conversation pane and the inspector
redraw what they changed, all on one `RepaintBeat`. With a message per arriving frame and
a timer per pane (20 and 30 a second), the same stream cost ~100 messages and ~40 screen
updates a second, each update a pass of the compositor over the screen, where one of each
per beat shows the same.

Work asked for when the last beat is a period or more ago runs at once (a lone change is
not held back); while changes keep coming, it runs once a period. Work asked for during a
beat (the panes, by the frames the beat took) runs in that beat, after what was waiting.

While frames come faster than the screen shows them (a flood: audio replayed or sent far
faster than real time), the beat slows down to FLOOD_BEAT_S (`slow_down`); the end of a
reply still shows at once (`hurry`).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Final

from textual.dom import DOMNode
from textual.message_pump import MessagePump

from rt_tui.tui.widgets.one_shot import call_after

BEAT_S: Final = 0.1
"""Seconds between beats while a stream runs: at most 10 screen updates a second for it."""
FLOOD_BEAT_S: Final = 0.3
"""Seconds between beats while frames come faster than the screen can show them (see
`slow_down`): each update paints both panes whole, and a flood is taken in sooner when the
loop spends less of itself painting what is replaced a moment later."""

Work = Callable[[], object]


class RepaintBeat:
    """Runs the work asked for since the last beat, once each, in the order asked."""

    def __init__(
        self,
        host: MessagePump,
        period: float = BEAT_S,
        flood_period: float = FLOOD_BEAT_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._host = host
        """Runs the beat's timer (the work runs in the host's turn)."""
        self._period = period
        self._flood_period = flood_period
        self._next_period = period
        """How long after the last beat the next one comes."""
        self._clock = clock
        self._waiting: dict[Work, None] = {}
        self._due = False
        """A beat is set to come, or running."""
        self._timer: asyncio.TimerHandle | None = None
        """The timer of a beat set to come later (never Textual's, which can be lost: while
        a beat is due, no other is set)."""
        self._last = -period
        """When the last beat started."""

    @property
    def pending(self) -> bool:
        """Whether work waits for the next beat."""
        return bool(self._waiting)

    def request(self, work: Work) -> None:
        """Run `work` on the next beat (once, however often it is asked for before)."""
        self._waiting[work] = None
        if not self._due:
            self._schedule()

    def hurry(self) -> None:
        """Run the beat that is set to come later at once (the work waiting is worth it)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
            self._host.call_next(self._beat)

    def slow_down(self) -> None:
        """Let the next beat come a flood's period after the last instead (frames arrive
        faster than the screen shows them); the beat after it comes at the usual period
        unless this is asked again meanwhile."""
        self._next_period = self._flood_period
        if self._timer is not None:  # set for sooner: set again
            self._timer.cancel()
            self._timer = None
            self._schedule()

    def _schedule(self) -> None:
        self._due = True
        wait = self._last + self._next_period - self._clock()
        if wait > 0:
            self._timer = call_after(self._host, wait, self._beat)
        else:
            self._host.call_next(self._beat)  # After what asked for it.

    def _beat(self) -> None:
        self._timer = None
        self._last = self._clock()
        self._next_period = self._period
        done: set[Work] = set()
        again: dict[Work, None] = {}
        try:
            while self._waiting:
                waiting, self._waiting = self._waiting, {}
                for work in waiting:
                    if _taken_down(work):
                        continue
                    if work in done:
                        again[work] = None  # Asked for again by work of this beat: the next.
                    else:
                        done.add(work)
                        work()
        finally:
            self._due = False
            self._waiting = again | self._waiting
            if self._waiting:
                self._schedule()


def _taken_down(work: Work) -> bool:
    """Whether `work` is a widget's that is being removed (the app quits, a pane goes): its
    children may be gone already, so its redraw would fail. Textual's own signals check the
    same flags before calling a node."""
    owner = getattr(work, "__self__", None)
    return isinstance(owner, DOMNode) and (owner._pruning or owner._closing or owner._closed)
