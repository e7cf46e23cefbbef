"""Fold bookkeeping for the frame store: which frames fold together, and which folded.

Deltas of one content part (same direction, wire type, item_id and content_index) join
one group while the frames between them are deltas of that same part; any other frame
ends the run. Every group is folded or not by the global setting, except the ones toggled
one by one. Pure Python, no Textual.

A long session holds thousands of groups, kept as columns (first and last member, count,
audio bytes, joined text) rather than an object each: the garbage collector walks every
object a session keeps on each full pass, and a full pass holds up every thread, the
audio's too. `group(gid)` hands out a `FoldGroup` that reads them.
"""

from __future__ import annotations

from array import array

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
        self.ids = array("i")
        """The group id of every entry, -1 for one that does not fold."""
        self._first = array("q")
        self._last = array("q")
        self._count = array("I")
        self._audio_bytes = array("Q")
        self._texts: list[str] = []
        """The text of each group's deltas, joined (a group's first delta text alone)."""
        self._pieces: dict[int, list[str]] = {}
        """Delta texts of the groups still growing, not joined yet."""
        self._toggled: set[int] = set()
        self._foldable = 0
        """How many groups have two or more members (a row that can fold)."""
        self._open: dict[FoldKey, int] = {}
        self._open_part: tuple[int, str, int] | None = None

    def join(self, i: int, c: Classified) -> int:
        """Note entry `i`'s group (starting one if needed); its id, -1 if it does not fold."""
        gid = self._join(i, c)
        self.ids.append(gid)
        return gid

    def _join(self, i: int, c: Classified) -> int:
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
            gid = self._open[c.fold_key] = len(self._first)
            self._first.append(i)
            self._last.append(i)
            self._count.append(1)
            self._audio_bytes.append(c.audio_size)
            self._texts.append(c.piece or "")
            return gid
        self._last[gid] = i
        self._count[gid] += 1
        if self._count[gid] == 2:
            self._foldable += 1
        self._audio_bytes[gid] += c.audio_size
        if c.piece is not None:
            self._pieces.setdefault(gid, []).append(c.piece)
        return gid

    def _close_run(self) -> None:
        """The run of deltas ended: its groups grow no more, their texts are joined once."""
        for gid in self._open.values():
            self.text(gid)
        self._open.clear()

    # -- one group -----------------------------------------------------------------------

    def group(self, gid: int) -> FoldGroup:
        return FoldGroup(self, gid)

    def first(self, gid: int) -> int:
        """The group's first member."""
        return self._first[gid]

    def last(self, gid: int) -> int:
        return self._last[gid]

    def count(self, gid: int) -> int:
        return self._count[gid]

    def audio_bytes(self, gid: int) -> int:
        return self._audio_bytes[gid]

    def members(self, gid: int) -> list[int]:
        """The group's members, in order (the entries between its first and last that
        belong to it: an audio group interleaves with its transcript's)."""
        ids = self.ids
        return [i for i in range(self._first[gid], self._last[gid] + 1) if ids[i] == gid]

    def text(self, gid: int) -> str:
        """The text of the group's deltas so far."""
        pieces = self._pieces.pop(gid, None)
        if pieces is not None:
            self._texts[gid] += "".join(pieces)
        return self._texts[gid]

    # -- folding ---------------------------------------------------------------------------

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
        toggled = sum(1 for gid in self._toggled if self._count[gid] > 1)
        everything = "folded" if self.fold_all else "unfolded"
        if not toggled:
            return everything
        if toggled == self._foldable:
            return "unfolded" if self.fold_all else "folded"
        return "mixed"

    def memory_bytes(self) -> int:
        """Approximate bytes the groups hold (their columns and texts)."""
        columns = (self.ids, self._first, self._last, self._count, self._audio_bytes)
        total = sum(column.itemsize * len(column) for column in columns)
        return total + sum(len(text) for text in self._texts)
