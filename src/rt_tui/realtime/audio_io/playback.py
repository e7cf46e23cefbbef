"""The jitter buffer between the assistant's audio deltas and a player.

The event loop pushes audio as deltas arrive (bursty, often faster than real time); a
player pulls it at the pace of a clock: PortAudio's callback thread for a speaker, a timer
for a WAV file. Both sides take one lock for a few list operations, so the loop never waits
on the player and the player never waits on the loop.

What was pulled counts as played, per item: `played_ms(item_id)` is what a barge-in
truncates to (`conversation.item.truncate` with `audio_end_ms`). A player that finds the
buffer dry in the middle of an item has underrun (the listener hears a gap); that counts
once audio for the same item arrives after the gap, and playback waits for the buffer to
refill to `prebuffer_ms` before it resumes. An item ends with `finish` (the service's
`response.output_audio.done`): a dry buffer after that is the end of speech, not a gap.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass

from rt_tui.realtime.audio import BYTES_PER_MS

DEFAULT_PREBUFFER_MS = 80
"""Audio held back before playback starts, so a late delta does not become a gap."""


@dataclass(frozen=True, slots=True)
class PlaybackCut:
    """What `stop` cut short: the item that was playing and how much of it was played."""

    item_id: str
    played_ms: float
    unplayed: tuple[str, ...] = ()
    """Items queued behind it that were dropped before a sample of them played."""

    @property
    def audio_end_ms(self) -> int:
        """`played_ms` as `conversation.item.truncate` takes it (whole ms, never more than
        was heard)."""
        return int(self.played_ms)


class PlaybackBuffer:
    """Audio queued per item, pulled by a player. Thread-safe."""

    def __init__(
        self, *, prebuffer_ms: float = DEFAULT_PREBUFFER_MS, bytes_per_ms: float = BYTES_PER_MS
    ) -> None:
        """`bytes_per_ms`: of the audio pushed (48 for PCM16 24 kHz mono; a player whose
        device runs at another rate pushes audio resampled to it)."""
        self._lock = threading.Lock()
        self._bytes_per_ms = bytes_per_ms
        self._prebuffer = round(prebuffer_ms * bytes_per_ms)
        self._queue: deque[tuple[str, bytes]] = deque()
        self._head_used = 0
        """Bytes of the first queued piece already pulled."""
        self._queued = 0
        self._played: dict[str, int] = {}
        self._finished: set[str] = set()
        self._dropped: set[str] = set()
        self._latest: str | None = None
        """The item whose audio arrived last."""
        self._primed = False
        self._starved: str | None = None
        self.underruns = 0

    # --- the loop's side ------------------------------------------------------------------

    def push(self, item_id: str, pcm: bytes) -> None:
        """Queue audio of an item (dropped if the item was stopped)."""
        if not pcm:
            return
        with self._lock:
            if item_id in self._dropped:
                return
            if self._starved is not None:
                if self._starved == item_id:
                    self.underruns += 1
                self._starved = None
            self._queue.append((item_id, pcm))
            self._queued += len(pcm)
            self._latest = item_id

    def finish(self, item_id: str) -> None:
        """No more audio comes for this item: what is queued plays out without waiting for
        the prebuffer, and running dry after it is no underrun."""
        with self._lock:
            self._finished.add(item_id)
            if self._starved == item_id:
                self._starved = None

    def cut(self) -> PlaybackCut | None:
        """Drop everything queued at once (barge-in). Audio that arrives later for the items
        dropped is ignored. The cut, or None if no item was playing or waiting to."""
        with self._lock:
            items = list(dict.fromkeys(item for item, _pcm in self._queue))
            latest = self._latest
            if not items and latest is not None and latest not in self._finished:
                items = [latest]  # ran dry mid-item: more of it may still be coming
            self._queue.clear()
            self._head_used = 0
            self._queued = 0
            self._primed = False
            self._starved = None
            self._dropped.update(items)
            if not items:
                return None
            playing = items[0]
            played = self._played.get(playing, 0) / self._bytes_per_ms
            return PlaybackCut(playing, played, tuple(items[1:]))

    # --- the player's side ----------------------------------------------------------------

    def pull(self, size: int) -> bytes:
        """Up to `size` bytes to play now, counted as played; fewer (maybe none) while the
        buffer fills or runs dry. Never blocks for longer than the lock is held."""
        with self._lock:
            if not self._primed:
                if not self._queue:
                    return b""
                ready = self._queued >= self._prebuffer or self._queue[-1][0] in self._finished
                if not ready:
                    return b""
                self._primed = True
            out = bytearray()
            item = None
            while len(out) < size and self._queue:
                item, pcm = self._queue[0]
                take = pcm[self._head_used : self._head_used + size - len(out)]
                out += take
                self._played[item] = self._played.get(item, 0) + len(take)
                self._head_used += len(take)
                if self._head_used >= len(pcm):
                    self._queue.popleft()
                    self._head_used = 0
            self._queued -= len(out)
            if len(out) < size:
                self._primed = False
                last = item or self._latest
                if last is not None and last not in self._finished:
                    self._starved = last
            return bytes(out)

    # --- what it knows --------------------------------------------------------------------

    def played_ms(self, item_id: str) -> float:
        """How much of an item has been pulled (played), in ms."""
        with self._lock:
            return self._played.get(item_id, 0) / self._bytes_per_ms

    @property
    def queued_ms(self) -> float:
        """Audio waiting to be played, in ms."""
        return self._queued / self._bytes_per_ms

    @property
    def idle(self) -> bool:
        """Nothing waits to be played."""
        return not self._queued
