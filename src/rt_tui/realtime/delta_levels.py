"""The energy of an assistant audio delta, measured from its base64 for level sparklines.

A sparkline has 24 cells, each covering at least 100 ms, on a 60 dB scale of 7.5 dB a
step: it does not need every sample. Decoding every delta whole only to measure it was the
largest cost of the app's audio flood path (binascii decodes about 500 MB/s), so a delta
longer than 20 ms is measured from a sample. It is cut into equal sections of about 25 ms
(19 to 38 ms, so that they fill the delta), a quarter of the shortest cell (as an item
grows, its cells do, and so may the sections of its later deltas: to a sixteenth of a
cell, 1/384 of the audio before them). Of each section one window of 5 ms of contiguous
samples is decoded (contiguous, so a tone is measured over its periods, with no aliasing),
and the section's energy is the window's mean square times the section's samples. Where
the windows lie in their sections moves from delta to delta by the golden ratio, the most
even spread a sequence gives, so over a reply they cover the audio evenly. That decodes
about a fifth of the base64, 27% at most (a delta late in a reply of minutes: one window),
and keeps a number per section instead of per 10 ms.

The cost: a section across a change of level gives all of it the level its window found,
so a cell with a change in or beside it may read more than a step off (a cell of silence
beside loud audio, several: any energy shows on a log scale): under 1 cell in 100 of tones
of changing loudness, and none with no change within a section of it. A delta of 20 ms or
less is decoded whole and measured exactly, per 10 ms.

Only the windows are checked as base64 (a long delta's size is worked out from its
length, as a store without levels does for every delta): a delta with junk outside them
(only a broken server sends one) is kept, its size counted from its length, and its
read-back drops the junk: it then plays shorter than the duration shown.
"""

from __future__ import annotations

import binascii
from array import array
from typing import NamedTuple

from rt_tui.realtime.audio import BYTES_PER_MS, LEVEL_BLOCK, block_energies

_GROUP = 8
"""Windows and sections start on a multiple of 8 characters: 6 bytes, 3 whole samples."""
_GROUP_BYTES = 6
_WINDOW_GROUPS = LEVEL_BLOCK // 2 // _GROUP_BYTES
"""A window: half a level block (5 ms, 240 bytes of PCM, 320 characters)."""
SPARKLINE_CELLS = 24
"""The most cells a level sparkline has (the TUI draws it), one per stretch of the audio."""
MIN_CELL_MS = 100
"""A short item gets fewer cells: none covers less audio than this."""
_SECTION_GROUPS = MIN_CELL_MS * BYTES_PER_MS // 4 // _GROUP_BYTES
"""The shortest section: 25 ms, a quarter of the shortest cell."""
_SECTIONS_PER_CELL = 16
"""Sections of a long item's cell, at least (sparser, a cell's level reads less true)."""
WHOLE_CHARS = 4 * _WINDOW_GROUPS * _GROUP
"""A delta up to this long (in base64: 20 ms) is decoded and measured whole."""
_GOLDEN = 0.6180339887498949


def base64_pcm_size(b64: str) -> int | None:
    """How many bytes `b64` decodes to, worked out from its length (padded base64, as the
    API sends); None when it cannot be base64 at all."""
    length = len(b64)
    if length % 4 or not b64.isascii():
        return None
    return length // 4 * 3 - (b64[-2:].count("=") if length else 0)


class DeltaEnergy(NamedTuple):
    """What a level sparkline keeps of a delta: its PCM bytes and the sums of squared
    samples (full scale 1.0) of its stretches of `covers` bytes each (the last stretch all
    that is left)."""

    size: int
    covers: int
    energies: array[float]


def delta_energy(b64: str, turn: int, before: int = 0) -> DeltaEnergy | None:
    """The energy of a base64 delta: exact per LEVEL_BLOCK when it is no longer than
    WHOLE_CHARS, else estimated per section from a window of each (see the module's
    docstring). `turn` numbers the delta (any counter that goes up by one a delta): it
    places the windows; `before`: PCM bytes of the item's audio before it (they make its
    cells longer). None when `b64` is not base64."""
    if len(b64) <= WHOLE_CHARS:
        try:
            pcm = binascii.a2b_base64(b64, strict_mode=True)
        except (binascii.Error, ValueError):
            return None
        return DeltaEnergy(len(pcm), LEVEL_BLOCK, block_energies(pcm, LEVEL_BLOCK))
    size = base64_pcm_size(b64)
    if size is None:
        return None
    groups = len(b64) // _GROUP
    # The item's cells will cover 1/24 of its audio at least: of what came before, too.
    least = max(_SECTION_GROUPS, before // (SPARKLINE_CELLS * _SECTIONS_PER_CELL * _GROUP_BYTES))
    per_section = -(-groups // max(1, round(groups / least)))
    sections = -(-groups // per_section)
    step, width = per_section * _GROUP, _WINDOW_GROUPS * _GROUP
    # The same way along each section, a different way each delta; the last section may
    # be shorter, its window kept inside the delta.
    first = int(turn * _GOLDEN % 1.0 * (per_section - _WINDOW_GROUPS + 1)) * _GROUP
    end = first + (sections - 1) * step
    windows = [b64[at : at + width] for at in range(first, end, step)]
    last_at = min(end, len(b64) // _GROUP * _GROUP - width)
    windows.append(b64[last_at : last_at + width])
    try:
        sampled = binascii.a2b_base64("".join(windows), strict_mode=True)
    except (binascii.Error, ValueError):
        return None
    covers, window = per_section * _GROUP_BYTES, _WINDOW_GROUPS * _GROUP_BYTES
    # Each window's samples stand for its section's.
    energies = block_energies(sampled, window, covers / window)
    # The last section may be shorter, and its window too (at a padded end).
    last = len(energies) - 1
    energies[last] *= (size - last * covers) / covers * window / (len(sampled) - last * window)
    return DeltaEnergy(size, covers, energies)
