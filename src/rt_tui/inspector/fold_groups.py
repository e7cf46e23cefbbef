"""Fold bookkeeping for the frame store: which frames fold together, and which folded.

Deltas of one content part (same direction, wire type, item_id and content_index) join
one `FoldGroup` while the frames between them are deltas of that same part; any other
frame ends the run. Every group is folded or not by the global setting, except the ones
toggled one by one. Pure Python, no Textual.
"""

from __future__ import annotations

import sys

from rt_tui.inspector.classify import Classified, FoldKey
from rt_tui.inspector.records import FoldGroup


class FoldGroups:
    """The fold groups of a session, the global fold setting and the per-group toggles."""

    def __init__(self, *, fold_all: bool) -> None:
        self.fold_all = fold_all
        """Whether groups are folded unless toggled one by one."""
        self.clear()

    def clear(self) -> None:
        """Forget every group and toggle (the global fold setting stays)."""
        self.groups: list[FoldGroup] = []
        self._toggled: set[int] = set()
        self._foldable = 0
        """How many groups have two or more members (a row that can fold)."""
        self._open: dict[FoldKey, int] = {}
        self._open_part: tuple[int, str, int] | None = None

    def join(self, i: int, c: Classified) -> int:
        """Add frame `i` to its group (starting one if needed); -1 if it does not fold."""
        if c.fold_key is None:
            self._close_run()
            self._open_part = None
            return -1
        part = (c.fold_key[0], c.fold_key[2], c.fold_key[3])
        if part != self._open_part:
            self._close_run()
            self._open_part = part
        gid = self._open.get(c.fold_key)
        if gid is None:
            gid = self._open[c.fold_key] = len(self.groups)
            self.groups.append(FoldGroup())
        group = self.groups[gid]
        group.members.append(i)
        if group.count == 2:
            self._foldable += 1
        group.audio_bytes += c.audio_size
        if c.piece is not None:
            group.add_piece(c.piece)
        return gid

    def _close_run(self) -> None:
        """The run of deltas ended: its groups grow no more, their texts are joined once
        (a session holds thousands of groups, not their deltas one by one)."""
        for gid in self._open.values():
            self.groups[gid].text()
        self._open.clear()

    def is_folded(self, gid: int) -> bool:
        return self.fold_all != (gid in self._toggled)

    def set_fold_all(self, fold: bool) -> None:
        """Fold or unfold every group (forgets per-group toggles)."""
        self.fold_all = fold
        self._toggled.clear()

    def toggle(self, gid: int) -> None:
        """Fold group `gid` if it is open, open it if it is folded."""
        self._toggled ^= {gid}

    def fold_state(self) -> str:
        """'folded', 'unfolded' or 'mixed' (some groups toggled away from the rest)."""
        toggled = sum(1 for gid in self._toggled if self.groups[gid].count > 1)
        everything = "folded" if self.fold_all else "unfolded"
        if not toggled:
            return everything
        if toggled == self._foldable:
            return "unfolded" if self.fold_all else "folded"
        return "mixed"

    def memory_bytes(self) -> int:
        """Approximate bytes the groups hold (members and delta pieces)."""
        return sum(
            sys.getsizeof(g) + g.members.itemsize * len(g.members) + sys.getsizeof(g.text())
            for g in self.groups
        )
