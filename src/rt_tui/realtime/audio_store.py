"""Audio per conversation item, kept on disk: memory holds where each piece lies and how
long it is, a few dozen bytes a chunk however long the session talks.

A piece is either an assistant audio delta as the session log recorded it (`append_logged`:
the base64 is on disk already, so it is not written twice; it is read back and decoded
when the audio is wanted) or PCM written to a scratch file in the cache folder (`append`:
the user's committed turns, audio no log holds). A store made with `levels=True` (the
app's: it draws level sparklines) also keeps the energy of each piece, measured as it is
added, so a sparkline needs no read-back: per 10 ms of spooled PCM (4 bytes for 480 of
it), and per 10 ms of a logged delta of up to 20 ms too; a longer delta's is estimated per
section (25 ms or more) from a sample of its base64 (`delta_levels`: decoding every delta
whole to measure it was the flood path's largest cost). Reading back (`get`, for
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
from rt_tui.realtime.delta_levels import DeltaEnergy, base64_pcm_size, delta_energy
from rt_tui.realtime.frames import LogSource, LogSpan
from rt_tui.realtime.session_log import LogError, read_record
from rt_tui.realtime.spill import SpillFile

#: PCM16 mono at 24 kHz: 2 bytes a sample, 24 samples a millisecond.
BYTES_PER_MS = 48

_SPOOLED = -1
_NOT_MEASURED: array[float] = array("f")


class AudioUnavailable(Exception):
    """Audio that can no longer be read back (its session log is gone or damaged); the
    message is one sentence."""


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
        """Where the piece's energies begin in `_block_energy` (its own until the next's)."""
        self._covers = array("I")
        """PCM bytes each of the piece's energies covers (the last: what is left)."""
        self._block_energy = array("f")
        """Sums of squared samples (full scale 1.0) of stretches of each piece, in order,
        for level sparklines (none when the store does not measure): per LEVEL_BLOCK, or
        per section of a long logged delta, measured from a sample (`delta_levels`)."""
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

    def _add(self, track: int, where: int, at: int, length: int, energy: DeltaEnergy) -> None:
        piece = len(self._pcm)
        size = energy.size
        self._blocks_at.append(len(self._block_energy))
        self._covers.append(energy.covers)
        self._block_energy.extend(energy.energies)
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
        blocks = block_energies(pcm, LEVEL_BLOCK) if self.levels else _NOT_MEASURED
        self._add(track, _SPOOLED, at, len(pcm), DeltaEnergy(len(pcm), LEVEL_BLOCK, blocks))

    def append_logged(self, item_id: str, span: LogSpan, b64: str) -> bool:
        """Add the audio of a delta frame recorded at `span` (its `delta`: `b64`, base64
        PCM) without copying it; False, adding nothing, when `b64` is not base64 (for a
        long delta, when its length or what its energy is measured from is not). Decoded
        only to measure its energy, and then not kept. Runs for every audio delta."""
        track = self._tracks.get(item_id)  # made below once the delta is known good
        if self.levels:
            before = self._track_size[track] if track is not None else 0
            energy = delta_energy(b64, len(self._pcm), before)
        else:
            size = base64_pcm_size(b64)
            energy = None if size is None else DeltaEnergy(size, LEVEL_BLOCK, _NOT_MEASURED)
        if energy is None:
            return False
        log, offset, length = span
        logs = self._logs
        where = len(logs) - 1
        if where < 0 or logs[where] is not log:  # not the newest log, the likely one
            where = self._log_index(log)
        if track is None:
            track = self._track(item_id)
        self._add(track, where, offset, length, energy)
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

    def _energies_held(self, piece: int) -> int:
        """How many of the piece's energies its PCM still reaches (fewer after a cut)."""
        end = self._blocks_at[piece + 1] if piece + 1 < len(self._blocks_at) else None
        added = (len(self._block_energy) if end is None else end) - self._blocks_at[piece]
        return min(added, -(-self._pcm[piece] // self._covers[piece]))

    def energy_runs(self, item_id: str) -> Iterator[tuple[int, int, array[float]]]:
        """An item's audio a piece at a time, from memory, as a level sparkline needs it
        without reading the audio back: the piece's PCM bytes, how many bytes each of its
        energies covers (the last: what is left) and those sums of squared samples
        (nothing when the store does not measure levels)."""
        track = self._tracks.get(item_id)
        if track is None or not self.levels:
            return
        energy = self._block_energy
        for piece in self._pieces(track):
            size = self._pcm[piece]
            if size > 0:
                first = self._blocks_at[piece]
                held = self._energies_held(piece)
                yield size, self._covers[piece], energy[first : first + held]

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
            if whole > keep - kept and self.levels:
                self._cut_energy(piece, keep - kept)
            self._pcm[piece] = min(whole, keep - kept)
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

    def _cut_energy(self, piece: int, kept: int) -> None:
        """Before a piece is cut to `kept` bytes: the stretch the cut falls in keeps its
        share of its energy by length."""
        covers, last = self._covers[piece], self._energies_held(piece) - 1
        n = min(kept // covers, last)
        held = covers if n < last else self._pcm[piece] - n * covers
        part = kept - n * covers
        if 0 < part < held:
            self._block_energy[self._blocks_at[piece] + n] *= part / held

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
