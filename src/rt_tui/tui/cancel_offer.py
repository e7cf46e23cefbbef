"""Whether the main screen offers Cancel: while a response runs, and a moment after.

The footer keeps Cancel in its place and dims it while it can do nothing; each change
redraws the footer's line. Responses that follow each other (back-to-back replies, a
function call's answer) would make it dim and light up again at once, a flicker, so once
the frames say the last response ended, Cancel stays offered CANCEL_HOLD_S longer;
pressing it meanwhile says no response is running.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from textual.message_pump import MessagePump

from rt_tui.tui.widgets.one_shot import call_after

CANCEL_HOLD_S = 1.0
"""How long Cancel stays offered after a response ends (another may follow at once)."""


class CancelOffer:
    """Cancel's offer on `host`'s footer; `running` says whether a response runs now."""

    def __init__(
        self, host: MessagePump, running: Callable[[], bool], changed: Callable[[], object]
    ) -> None:
        self._host = host
        self._running = running
        self._changed = changed
        """Called when the offer changes (the screen refreshes its bindings)."""
        self.offered = False
        self._hold: asyncio.TimerHandle | None = None

    def set(self, responding: bool, *, hold: bool = False) -> None:
        """Offer Cancel while `responding`; with `hold` (frames said the last response
        ended) it goes CANCEL_HOLD_S later, unless another response starts meanwhile."""
        if responding or not hold:
            if self._hold is not None:
                self._hold.cancel()
                self._hold = None
            if responding != self.offered:
                self.offered = responding
                self._changed()
        elif self.offered and self._hold is None:
            self._hold = call_after(self._host, CANCEL_HOLD_S, self._hold_over)

    def _hold_over(self) -> None:
        self._hold = None
        if self.offered and not self._running():
            self.offered = False
            self._changed()
