"""A one-shot timer that fires however late the event loop runs.

Textual's `set_timer` can lose one: its task reads the clock, reckons when to fire, and
reads the clock again; a process held up between the two readings (another thread holds
the GIL, a garbage collection runs, the machine is busy) past that moment makes the timer
count its only tick as missed, and it ends without firing. Work that marks itself as
scheduled until its timer fires then never runs again: a lost repaint beat stops everything
the screen shows of the session; a lost debounce drops what was typed in a find or filter
box. The event loop's `call_later` fires late under load, never not at all. The screen's
short one-shots all use it; timers of minutes (the session-limit warnings) would need a
stall that long to be lost, and stay Textual's.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from textual.message_pump import MessagePump


def call_after(
    host: MessagePump, delay: float, callback: Callable[[], object]
) -> asyncio.TimerHandle:
    """Run `callback` in `host`'s turn (between its messages, as `call_next` does) once
    `delay` seconds have passed; `cancel()` the handle to call it off. A host closed by
    then takes no more callbacks: it is not called."""
    return asyncio.get_running_loop().call_later(delay, host.call_next, callback)
