"""A level sparkline per audio item of the conversation: how its audio rose and fell.

Drawn from the item's audio once the item is final (read back from the session log or
the scratch file, once), and again only if its audio changes length (a truncation), so
an hour of spoken items costs one read each.
"""

from __future__ import annotations

import math

from rt_tui.realtime.audio import BYTES_PER_MS, level_of
from rt_tui.realtime.audio_store import AudioStore, AudioUnavailable

SPARK = "▁▂▃▄▅▆▇█"
CELLS = 24
"""The longest sparkline: one cell per stretch of the audio."""
MIN_STRETCH_MS = 100
"""A short item gets fewer cells: none covers less audio than this."""
FLOOR_DB = -60.0


def sparkline(pcm: bytes, cells: int = CELLS) -> str:
    """The RMS level of `pcm` in up to `cells` equal stretches, on a 60 dB scale."""
    if not pcm:
        return ""
    count = max(1, min(cells, len(pcm) // (MIN_STRETCH_MS * BYTES_PER_MS)))
    step = len(pcm) // count
    step -= step % 2
    marks = []
    for n in range(count):
        db = level_of(pcm[n * step : (n + 1) * step if n < count - 1 else len(pcm)]).dbfs
        fraction = 0.0 if math.isinf(db) else max(0.0, min(1.0, 1 - db / FLOOR_DB))
        marks.append(SPARK[min(len(SPARK) - 1, int(fraction * len(SPARK)))])
    return "".join(marks)


class ItemLevels:
    """Sparklines of the conversation's audio items, drawn once each."""

    def __init__(self) -> None:
        self._drawn: dict[str, tuple[int, str]] = {}

    def of(self, audio: AudioStore, item_id: str) -> str:
        """The item's sparkline ('' when it has no audio, or it cannot be read)."""
        size = audio.size(item_id)
        drawn = self._drawn.get(item_id)
        if drawn is not None and drawn[0] == size:
            return drawn[1]
        try:
            line = sparkline(audio.get(item_id))
        except AudioUnavailable:
            line = ""
        self._drawn[item_id] = (size, line)
        return line
