"""Fold bookkeeping for the frame store: which frames fold together, and which folded.

Deltas of one content part (same direction, wire type, item_id and content_index) join
one group while the frames between them are deltas of that same part; any other frame
ends the run. Every group is folded or not by the global setting, except the ones toggled
one by one. Pure Python, no Textual.

A long session holds thousands of groups, kept as columns (first and last member, count,
audio bytes) rather than an object each: the garbage collector walks every object a
session keeps on each full pass, and a full pass holds up every thread, the audio's too.
A group's delta texts wait in a list while its run of deltas goes on, and are joined and
packed (`PackedTexts`) once it ends. `group(gid)` hands out a `FoldGroup` that reads them.
"""

from __future__ import annotations

from array import array

from rt_tui.inspector.classify import Classified, FoldKey
from rt_tui.inspector.packed_texts import PackedTexts
from rt_tui.inspector.records import FoldGroup


class FoldGroups:
    """The fold groups of a session, the global fold setting and the per-group toggles.

    Groups are numbered in the order they start, and those of one run are numbered in a
    row: the groups before the current run's are packed, its own still grow."""

    def __init__(self, *, fold_all: bool) -> None:
        self.fold_all = fold_all
        """Whether groups are folded unless toggled one by one."""
        self.clear()

    def clear(self) -> None:
        """Forget every group and toggle (the global fold setting stays)."""
        self.ids = array("i")
        """The group id of every entry, -1 for one that does not fold."""
        self._first = array("I")
        self._last = array("I")
        self._count = array("I")
        self._audio_bytes = array("Q")
        self._texts = PackedTexts()
        """By group id, for the groups of runs that ended: the text of their deltas
        (None: they had none)."""
        self._pieces: dict[int, list[str]] = {}
        """By group id, for the groups of the current run: their delta texts so far."""
        self._toggled: set[int] = set()
        self._foldable = 0
        """How many groups have two or more members (a row that can fold)."""
        self._open: dict[FoldKey, int] = {}
        self._open_part: tuple[int, str, int] | None = None

    def join(self, i: int, c: Classified) -> int:
        """Note entry `i`'s group (starting one if needed); its id, -1 if it does not fold."""
        key = c.fold_key
        if key is None:
            if self._open:
                self._close_run()
                self._open_part = None
            self.ids.append(-1)
            return -1
        gid = self._open.get(key)
        if gid is None:
            gid = self._start(i, c, key)
        else:
            # A delta of the run going on (its part is the run's: `_open` holds no other).
            self._last[gid] = i
            count = self._count[gid] = self._count[gid] + 1
            if count == 2:
                self._foldable += 1
            if c.audio_size:
                self._audio_bytes[gid] += c.audio_size
            if c.piece is not None:
                self._pieces[gid].append(c.piece)
        self.ids.append(gid)
        return gid

    def _start(self, i: int, c: Classified, key: FoldKey) -> int:
        """A new group for entry `i`, after closing the run if `i` is of another part."""
        part = (key[0], key[2], key[3])
        if part != self._open_part:
            if self._open:
                self._close_run()
            self._open_part = part
        gid = self._open[key] = len(self._first)
        self._first.append(i)
        self._last.append(i)
        self._count.append(1)
        self._audio_bytes.append(c.audio_size)
        self._pieces[gid] = [] if c.piece is None else [c.piece]
        return gid

    def _close_run(self) -> None:
        """The run of deltas ended: its groups grow no more, their texts are packed."""
        for gid in range(len(self._texts), len(self._first)):
            pieces = self._pieces.pop(gid)
            self._texts.append("".join(pieces) if pieces else None)
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
        if gid < len(self._texts):
            text = self._texts[gid]
            return text if isinstance(text, str) else ""
        pieces = self._pieces[gid]
        if len(pieces) > 1:
            pieces[:] = ["".join(pieces)]  # Read again while it streams: join once.
        return pieces[0] if pieces else ""

    # -- folding ---------------------------------------------------------------------------

    def is_folded(self, gid: int) -> bool:
        return self.fold_all != (gid in self._toggled)

    def has_own_row(self, gid: int, i: int) -> bool:
        """Whether member `i` of group `gid` is shown as a row of its own: its group is
        open, or it is the group's first (the row of the group when folded)."""
        return self._first[gid] == i or self.fold_all == (gid in self._toggled)

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
        growing = sum(len(piece) for pieces in self._pieces.values() for piece in pieces)
        return total + self._texts.memory_bytes() + growing
