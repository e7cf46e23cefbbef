"""The small records the frame store hands out: a fold group and a visible row."""

from __future__ import annotations

from array import array
from dataclasses import dataclass

from rt_tui.realtime.frames import Direction


class FoldGroup:
    """A run of deltas of one content part, shown as one row while folded."""

    __slots__ = ("_joined", "_pieces", "audio_bytes", "members")

    def __init__(self) -> None:
        self.members = array("I")
        self.audio_bytes = 0
        self._joined = ""
        self._pieces: list[str] | None = None
        """Delta texts not joined into `_joined` yet (None: none)."""

    @property
    def first(self) -> int:
        return self.members[0]

    @property
    def last(self) -> int:
        return self.members[-1]

    @property
    def count(self) -> int:
        return len(self.members)

    def add_piece(self, piece: str) -> None:
        """One more delta's text (joined when read, not copied on every delta)."""
        if self._pieces is None:
            self._pieces = [piece]
        else:
            self._pieces.append(piece)

    def text(self) -> str:
        """The text of the deltas so far."""
        if self._pieces is not None:
            self._joined += "".join(self._pieces)
            self._pieces = None
        return self._joined


@dataclass(frozen=True, slots=True)
class Row:
    """What one visible row shows."""

    frame_index: int
    t_ms: float
    direction: Direction | None
    """None: the row is a socket mark, not a frame."""
    wire_type: str
    summary: str
    count: int
    """Frames the row stands for (>1 only for a folded group)."""
    fold: str
    """'' (not foldable), 'folded', 'open' (first of an unfolded group) or 'member'."""
    is_error: bool
    is_audio: bool
    summary_is_stream: bool = False
    """The summary is streamed text whose end matters most (show its tail when cut)."""

    @property
    def arrow(self) -> str:
        """The direction's one-character mark; a socket mark's own."""
        return direction_arrow(self.direction)


def direction_arrow(direction: Direction | None) -> str:
    """→ sent, ← received, ↻ a socket mark (a new socket took the session over)."""
    return direction.mark if direction is not None else "↻"
