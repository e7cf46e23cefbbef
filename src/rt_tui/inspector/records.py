"""The small records the frame store hands out: a fold group and a visible row."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rt_tui.realtime.frames import Direction

if TYPE_CHECKING:
    from rt_tui.inspector.fold_groups import FoldGroups


class FoldGroup:
    """A run of deltas of one content part, shown as one row while folded: a view of the
    group's columns in `FoldGroups`, made when asked for."""

    __slots__ = ("_groups", "gid")

    def __init__(self, groups: FoldGroups, gid: int) -> None:
        self._groups = groups
        self.gid = gid

    @property
    def first(self) -> int:
        return self._groups.first(self.gid)

    @property
    def last(self) -> int:
        return self._groups.last(self.gid)

    @property
    def count(self) -> int:
        return self._groups.count(self.gid)

    @property
    def audio_bytes(self) -> int:
        return self._groups.audio_bytes(self.gid)

    @property
    def members(self) -> list[int]:
        """The members' frame indices, in order."""
        return self._groups.members(self.gid)

    def text(self) -> str:
        """The text of the deltas so far."""
        return self._groups.text(self.gid)


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
