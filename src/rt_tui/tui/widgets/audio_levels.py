"""A level sparkline per audio item of the conversation: how its audio rose and fell.

Drawn once the item is final from the energy the app's audio store measured as the audio
arrived (nothing is read back from the session log or the scratch file), and again only if
its audio changes length (a truncation). That energy is exact per 10 ms for short pieces
and spooled audio, and an estimate from a sample for long assistant deltas
(`rt_tui.realtime.delta_levels`): a cell of at least 100 ms on a 7.5 dB step does not need
every sample, and the estimate stays within a step of the exact level in practice.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from itertools import pairwise
from typing import TYPE_CHECKING

from rt_tui.realtime.audio import BYTES_PER_MS, SAMPLE_WIDTH, level_of
from rt_tui.realtime.delta_levels import MIN_CELL_MS, SPARKLINE_CELLS

if TYPE_CHECKING:
    from rt_tui.realtime.audio_store import AudioStore

SPARK = "▁▂▃▄▅▆▇█"
# The longest sparkline has SPARKLINE_CELLS cells, one per stretch of the audio; a short
# item gets fewer, none covering less than MIN_CELL_MS (the store samples long deltas for
# them, knowing this).
FLOOR_DB = -60.0
KEPT_ITEMS = 32
"""Items whose sparkline is kept for when they change again (the newest)."""


def _stretches(size: int, cells: int) -> list[int]:
    """Where the stretches of `size` bytes of PCM begin, and the end: whole samples each,
    the last taking the rest."""
    count = max(1, min(cells, size // (MIN_CELL_MS * BYTES_PER_MS)))
    step = size // count
    step -= step % SAMPLE_WIDTH
    return [n * step for n in range(count)] + [size]


def _mark(rms: float) -> str:
    """The cell for an RMS level (full scale 1.0), on a 60 dB scale."""
    if rms <= 0:
        return SPARK[0]
    fraction = max(0.0, min(1.0, 1 - 20 * math.log10(min(1.0, rms)) / FLOOR_DB))
    return SPARK[min(len(SPARK) - 1, int(fraction * len(SPARK)))]


def sparkline(pcm: bytes, cells: int = SPARKLINE_CELLS) -> str:
    """The RMS level of `pcm` in up to `cells` equal stretches, on a 60 dB scale."""
    if not pcm:
        return ""
    bounds = _stretches(len(pcm), cells)
    return "".join(_mark(level_of(pcm[a:b]).rms) for a, b in pairwise(bounds))


def sparkline_of_pieces(
    pieces: Iterable[tuple[int, int, Sequence[float]]], cells: int = SPARKLINE_CELLS
) -> str:
    """The same sparkline from the audio's pieces as `AudioStore.energy_runs` gives them:
    each piece's PCM bytes, the bytes each of its energies covers (the last: what is left)
    and those sums of squared samples. A piece inside one stretch is added up whole (the
    way of almost every piece: a stretch holds dozens of deltas); one across an edge a
    block at a time, a block split between two stretches giving each its share by length
    (so where the blocks are 10 ms, the cells come out as the PCM's)."""
    pieces = [piece for piece in pieces if piece[0] > 0]
    size = sum(piece_size for piece_size, _, _ in pieces)
    if not size:
        return ""
    bounds = _stretches(size, cells)
    energy = [0.0] * (len(bounds) - 1)
    last = len(energy) - 1
    stretch = at = 0
    bound = bounds[1]
    for piece_size, covers, energies in pieces:
        if at + piece_size < bound:
            # In order from the stretch's sum so far, as a block at a time would add
            # them (Python 3.12 on adds floats even more exactly).
            energy[stretch] = sum(energies, energy[stretch])
            at += piece_size
            continue
        piece_end, final = at + piece_size, len(energies) - 1
        for n, block_energy in enumerate(energies):
            start = at
            end = at = piece_end if n == final else start + covers
            if end < bound:
                energy[stretch] += block_energy
                continue
            block_size = end - start
            while start < end:
                stop = min(end, bound)
                energy[stretch] += block_energy * (stop - start) / block_size
                start = stop
                if stop == bound and stretch < last:
                    stretch += 1
                    bound = bounds[stretch + 1]
    return "".join(
        _mark(math.sqrt(e / max(1, (b - a) // SAMPLE_WIDTH)))
        for e, (a, b) in zip(energy, pairwise(bounds), strict=True)
    )


class ItemLevels:
    """Sparklines of the conversation's audio items, drawn once each."""

    def __init__(self, kept: int = KEPT_ITEMS) -> None:
        self._kept = kept
        self._drawn: dict[str, tuple[int, str]] = {}
        """By item id, the newest last: its audio's size when drawn, and the line. The
        item's block keeps its line; only the newest are kept here too, for the few changes
        that still come to them (a truncation)."""

    def of(self, audio: AudioStore, item_id: str) -> str:
        """The item's sparkline ('' when it has no audio)."""
        size = audio.size(item_id)
        drawn = self._drawn.get(item_id)
        if drawn is not None and drawn[0] == size:
            return drawn[1]
        line = sparkline_of_pieces(audio.energy_runs(item_id))
        self._drawn.pop(item_id, None)
        if len(self._drawn) >= self._kept:
            del self._drawn[next(iter(self._drawn))]  # The oldest.
        self._drawn[item_id] = (size, line)
        return line
