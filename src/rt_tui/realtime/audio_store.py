"""Audio per conversation item, kept on disk: memory holds where each piece lies and how
long it is, a few dozen bytes a chunk however long the session talks.

A piece is either an assistant audio delta as the session log recorded it (`append_logged`:
the base64 is on disk already, so it is not written twice; it is read back and decoded
when the audio is wanted) or PCM written to a scratch file in the cache folder (`append`:
the user's committed turns, audio no log holds). A store made with `levels=True` (the
app's: it draws level sparklines) also keeps the energy of each 10 ms of a piece, measured
as it is added (4 bytes for 480 of PCM), so a sparkline needs no read-back; that costs a
decode of each logged delta, which a store without it skips. Reading back (`get`, for
`/save-audio`) is the only time an item's samples are in memory after they were added.
"""

from __future__ import annotations

import base64
import binascii
import json
from array import array
from collections.abc import Iterator
from pathlib import Path

from rt_tui.realtime.audio import LEVEL_BLOCK, block_energies
from rt_tui.realtime.frames import LogSource, LogSpan
from rt_tui.realtime.session_log import LogError, read_record
from rt_tui.realtime.spill import SpillFile

#: PCM16 mono at 24 kHz: 2 bytes a sample, 24 samples a millisecond.
BYTES_PER_MS = 48

_SPOOLED = -1
_NO_BLOCKS: array[float] = array("f")


class AudioUnavailable(Exception):
    """Audio that can no longer be read back (its session log is gone or damaged); the
    message is one sentence."""


def base64_pcm_size(b64: str) -> int | None:
    """How many bytes `b64` decodes to, worked out from its length (padded base64, as the
    API sends); None when it cannot be base64 at all."""
    length = len(b64)
    if length % 4 or not b64.isascii():
        return None
    return length // 4 * 3 - (b64[-2:].count("=") if length else 0)


class AudioStore:
    """PCM16 24 kHz mono audio per item id, on disk.

    Memory is a row per piece in parallel arrays shared by all items (where it lies, how
    long it is, how much PCM it gives, the next piece of its item), and per item the
    number of its track in three more arrays (first and last piece, PCM bytes): no object
    per item or piece, so an hour of replies adds nothing for the garbage collector to walk.
    """

    def __init__(self, spool_dir: Path | None = None, *, levels: bool = False) -> None:
        """`spool_dir`: where audio no log holds is written (default: the cache folder);
        `levels`: measure the energy of each 10 ms of audio (see `energies`)."""
        self._spool_dir = spool_dir
        self.levels = levels
        self._spool: SpillFile | None = None
        self._logs: list[LogSource] = []
        self._tracks: dict[str, int] = {}
        """Item id -> its track number (an index into the `_track_*` arrays)."""
        self._track_first = array("q")
        self._track_last = array("q")
        """The track's first and last piece (-1: none yet)."""
        self._track_size = array("q")
        """PCM bytes the track holds."""
        self._where = array("b")
        """_SPOOLED, or the index of the log (in `_logs`) holding the piece."""
        self._at = array("q")
        self._length = array("I")
        """Bytes of the piece on disk (PCM in the spool, the log line in a log)."""
        self._pcm = array("I")
        """Bytes of PCM the piece contributes (less than it holds after a truncation)."""
        self._next = array("q")
        """The next piece of the same item (-1: the last)."""
        self._blocks_at = array("q")
        """Where the piece's blocks begin in `_block_energy` (its own until the next's)."""
        self._block_energy = array("f")
        """Per LEVEL_BLOCK bytes of each piece, in order: the sum of its squared samples
        (full scale 1.0), for level sparklines (none when the store does not measure)."""
        self._total = 0

    def close(self) -> None:
        """Delete the scratch file (logged audio stays in its log)."""
        if self._spool is not None:
            self._spool.close()
            self._spool = None

    # --- adding ---------------------------------------------------------------------

    def _track(self, item_id: str) -> int:
        track = self._tracks.get(item_id)
        if track is None:
            track = self._tracks[item_id] = len(self._track_size)
            self._track_first.append(-1)
            self._track_last.append(-1)
            self._track_size.append(0)
        return track

    def _blocks_of(self, pcm: bytes) -> array[float]:
        """The energy of each LEVEL_BLOCK bytes of `pcm` (the last block may be shorter)."""
        return block_energies(pcm, LEVEL_BLOCK) if self.levels else _NO_BLOCKS

    def _add(
        self, track: int, where: int, at: int, length: int, size: int, blocks: array[float]
    ) -> None:
        piece = len(self._pcm)
        self._blocks_at.append(len(self._block_energy))
        self._block_energy.extend(blocks)
        self._where.append(where)
        self._at.append(at)
        self._length.append(length)
        self._pcm.append(size)
        self._next.append(-1)
        last = self._track_last[track]
        if last < 0:
            self._track_first[track] = piece
        else:
            self._next[last] = piece
        self._track_last[track] = piece
        self._track_size[track] += size
        self._total += size

    def append(self, item_id: str, pcm: bytes) -> None:
        """Add samples to the end of an item's audio (written to the scratch file)."""
        track = self._track(item_id)
        if not pcm:
            return
        if self._spool is None:
            self._spool = SpillFile(self._spool_dir)
        at = self._spool.append(pcm)
        self._add(track, _SPOOLED, at, len(pcm), len(pcm), self._blocks_of(pcm))

    def append_logged(self, item_id: str, span: LogSpan, b64: str) -> bool:
        """Add the audio of a delta frame recorded at `span` (its `delta`: `b64`, base64
        PCM) without copying it; False, adding nothing, when `b64` is not base64. Decoded
        only to measure its energy, and then not kept. Runs for every audio delta."""
        if self.levels:
            try:
                pcm = base64.b64decode(b64, validate=True)
            except (binascii.Error, ValueError):
                return False
            size, blocks = len(pcm), self._blocks_of(pcm)
        else:
            known = base64_pcm_size(b64)
            if known is None:
                return False
            size, blocks = known, _NO_BLOCKS
        log, offset, length = span
        logs = self._logs
        where = len(logs) - 1
        if where < 0 or logs[where] is not log:  # not the newest log, the likely one
            where = self._log_index(log)
        self._add(self._track(item_id), where, offset, length, size, blocks)
        return True

    def _log_index(self, log: LogSource) -> int:
        logs = self._logs
        for n in range(len(logs) - 1, -1, -1):
            if logs[n] is log:
                return n
        logs.append(log)
        return len(logs) - 1

    def _pieces(self, track: int) -> Iterator[int]:
        piece = self._track_first[track]
        while piece >= 0:
            yield piece
            piece = self._next[piece]

    # --- reading --------------------------------------------------------------------

    def get(self, item_id: str) -> bytes:
        """All audio of an item so far (empty if it has none). Raises AudioUnavailable."""
        return b"".join(self.chunks(item_id))

    def chunks(self, item_id: str) -> Iterator[bytes]:
        """An item's audio, a piece at a time, read back from disk."""
        track = self._tracks.get(item_id)
        if track is None:
            return
        for piece in self._pieces(track):
            yield self._read(piece)[: self._pcm[piece]]

    def _read(self, piece: int) -> bytes:
        where, at, length = self._where[piece], self._at[piece], self._length[piece]
        if where == _SPOOLED:
            assert self._spool is not None
            return self._spool.read(at, length)
        log = self._logs[where]
        try:
            record = read_record(LogSpan(log, at, length))
            delta = json.loads(record.data).get("delta")
            return base64.b64decode(delta)
        except (LogError, ValueError, TypeError, AttributeError, binascii.Error):
            raise AudioUnavailable(
                f"The audio is no longer in the session log {log.path}."
            ) from None

    def energies(self, item_id: str) -> Iterator[tuple[int, float]]:
        """An item's audio as (PCM bytes, sum of squared samples) 10 ms at a time, from
        memory: what a level sparkline needs without reading the audio back (nothing when
        the store does not measure levels)."""
        track = self._tracks.get(item_id)
        if track is None or not self.levels:
            return
        energy = self._block_energy
        for piece in self._pieces(track):
            block, left = self._blocks_at[piece], self._pcm[piece]
            while left > 0:
                yield min(left, LEVEL_BLOCK), energy[block]
                block, left = block + 1, left - LEVEL_BLOCK

    def energy_runs(self, item_id: str) -> Iterator[tuple[int, array[float]]]:
        """`energies` a piece at a time: its PCM bytes and the energy of each LEVEL_BLOCK
        of them (the last block maybe shorter), so a sparkline can add up a whole piece
        at once (nothing when the store does not measure levels)."""
        track = self._tracks.get(item_id)
        if track is None or not self.levels:
            return
        energy = self._block_energy
        for piece in self._pieces(track):
            size = self._pcm[piece]
            if size > 0:
                block = self._blocks_at[piece]
                yield size, energy[block : block - (-size // LEVEL_BLOCK)]

    def size(self, item_id: str) -> int:
        """Bytes of audio held for an item."""
        track = self._tracks.get(item_id)
        return self._track_size[track] if track is not None else 0

    def duration_ms(self, item_id: str) -> float:
        """Length of an item's audio in milliseconds."""
        return self.size(item_id) / BYTES_PER_MS

    # --- cutting --------------------------------------------------------------------

    def truncate(self, item_id: str, audio_end_ms: int) -> None:
        """Keep only the first `audio_end_ms` of an item's audio (what the user heard)."""
        track = self._tracks.get(item_id)
        if track is None:
            return
        keep = max(0, audio_end_ms) * BYTES_PER_MS
        if self._track_size[track] <= keep:
            return
        kept, last = 0, -1
        for piece in self._pieces(track):
            if kept >= keep:
                break
            whole = self._pcm[piece]
            self._pcm[piece] = min(whole, keep - kept)
            kept_here = self._pcm[piece]
            if kept_here < whole and kept_here % LEVEL_BLOCK and self.levels:
                # The cut block keeps its share of the energy by length.
                n = kept_here // LEVEL_BLOCK
                held = min(LEVEL_BLOCK, whole - n * LEVEL_BLOCK)
                self._block_energy[self._blocks_at[piece] + n] *= kept_here % LEVEL_BLOCK / held
            kept += self._pcm[piece]
            last = piece
        # The pieces after `last` are left out of the track (their rows stay, unread).
        if last < 0:
            self._track_first[track] = -1
        else:
            self._next[last] = -1
        self._track_last[track] = last
        self._total -= self._track_size[track] - kept
        self._track_size[track] = kept

    def discard(self, item_id: str) -> None:
        """Forget an item's audio (the item was deleted)."""
        track = self._tracks.pop(item_id, None)
        if track is not None:
            self._total -= self._track_size[track]

    @property
    def total_bytes(self) -> int:
        """Bytes of audio held for all items."""
        return self._total

    def item_ids(self) -> Iterator[str]:
        """Ids of the items that have audio, in the order their audio began."""
        return iter(self._tracks)

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._tracks

    def __len__(self) -> int:
        return len(self._tracks)
