"""Helpers for the live-audio tests: waiting on a condition while real-time players run.

Imported explicitly by the audio tests (not a pytest conftest).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

WAIT_S = 10.0
EARLY_S = 0.005
"""What a timer may fire early by (a clock tick), for lower bounds on real time."""


async def until(condition: Callable[[], object], what: str) -> None:
    """Let the loop run until `condition()` holds; fail naming `what` after WAIT_S."""

    async def poll() -> None:
        while not condition():  # noqa: ASYNC110 - players and sockets change it, not an event
            await asyncio.sleep(0.005)

    try:
        await asyncio.wait_for(poll(), WAIT_S)
    except TimeoutError:
        raise AssertionError(f"Timed out waiting for {what}.") from None
