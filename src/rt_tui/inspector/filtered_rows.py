"""The rows the frame store shows: the frames that pass its filter, folded groups as one.

A `RowView` is the rows under one filter: what the filter needs (the free-text matcher,
which event types pass) and what it has placed so far, the sorted frame indices of its
rows and, per fold group, how many members pass. Every new frame is placed in the view
shown, so it is kept incrementally. A new filter gets a view of its own that is filled in
slices (`FilteredRows.step`), from the first frame to the newest, while the old one stays
shown and keeps taking new frames; once the new one has caught up, it replaces the old.
So a filter over a long session's hundred thousand frames never holds the event loop for
long, and the user sees its rows as soon as they are complete. Pure Python, no Textual.
"""

from __future__ import annotations

import time
from array import array
from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable
from dataclasses import dataclass
from re import Pattern
from typing import Final

from rt_tui.inspector.classify import FLAG_ERROR, MARK, RECEIVED, SENT
from rt_tui.inspector.filtering import DirectionFilter, FrameFilter
from rt_tui.inspector.fold_groups import FoldGroups

SLICE_FRAMES: Final = 4096
"""At most this many frames are placed in a new filter's rows by one `step`."""
SLICE_S: Final = 0.005
"""And for about this long at most (a free-text filter reads every frame's text)."""
_CLOCK_EVERY: Final = 256


@dataclass(frozen=True, slots=True)
class FrameFacts:
    """The frame store's per-entry facts a filter reads: the store's own arrays, shared."""

    directions: bytearray
    flags: bytearray
    type_ids: array[int]
    type_names: list[tuple[str, str]]
    """(wire type, internal name) by type id."""
    groups: array[int]
    """The fold group id of each entry, -1 for none."""


class RowView:
    """The rows under one filter, for the frames placed so far."""

    __slots__ = ("everything", "filter", "hits", "matcher", "placed", "rows", "type_ok")

    def __init__(self, frame_filter: FrameFilter) -> None:
        self.filter = frame_filter
        f = frame_filter
        self.everything = f.direction is DirectionFilter.ALL and not (
            f.patterns or f.text or f.errors_only
        )
        """The filter passes every frame (the usual case: no question asked per frame)."""
        self.matcher: Pattern[str] | None = frame_filter.text_matcher()
        self.type_ok: dict[int, bool] = {}
        """Whether each event type id passes the type patterns (asked once per type)."""
        self.rows = array("I")
        """Frame indices shown, in order: a frame on its own, or a folded group's first."""
        self.hits = array("I")
        """Per fold group id: how many of its members pass."""
        self.placed = 0
        """Frames 0 .. placed - 1 are in the rows (or left out of them)."""

    def hits_of(self, gid: int) -> int:
        """How many members of group `gid` pass."""
        return self.hits[gid] if gid < len(self.hits) else 0


class FilteredRows:
    """The rows shown under the current filter, and those of a new one being built."""

    def __init__(
        self,
        facts: FrameFacts,
        folds: FoldGroups,
        search_text: Callable[[int], str],
        frame_filter: FrameFilter,
    ) -> None:
        """`search_text(i)`: what the free-text filter looks at in entry `i`."""
        self._facts = facts
        self._folds = folds
        self._search_text = search_text
        self._view = RowView(frame_filter)
        self._next: RowView | None = None

    # -- the filter --------------------------------------------------------------------

    @property
    def filter(self) -> FrameFilter:
        """The filter of the rows shown."""
        return self._view.filter

    @property
    def wanted_filter(self) -> FrameFilter:
        """The filter asked for last: the one shown, or the one being built."""
        return (self._next or self._view).filter

    @property
    def building(self) -> bool:
        """Whether the rows of a new filter are being built."""
        return self._next is not None

    @property
    def progress(self) -> float:
        """How far through the frames the filter being built is (1.0 when none is)."""
        view, total = self._next, len(self._facts.directions)
        return 1.0 if view is None or not total else view.placed / total

    def set_filter(self, frame_filter: FrameFilter) -> None:
        """Show the rows of `frame_filter`, built at once."""
        self._next = None
        self._view = self._built(RowView(frame_filter))

    def start(self, frame_filter: FrameFilter) -> None:
        """Begin building the rows of `frame_filter`; `step` goes on with it."""
        self._next = RowView(frame_filter)

    def step(self, frames: int = SLICE_FRAMES, seconds: float = SLICE_S) -> bool:
        """Place up to `frames` more frames, for about `seconds` at most, in the rows being
        built; True once they are complete and shown (or none were being built)."""
        view = self._next
        if view is None:
            return True
        total = len(self._facts.directions)
        place, clock = self._place, time.perf_counter
        deadline = clock() + seconds
        end = min(total, view.placed + frames)
        while view.placed < end:
            for i in range(view.placed, min(end, view.placed + _CLOCK_EVERY)):
                place(view, i)
            if clock() >= deadline:
                break
        if view.placed < total:
            return False
        self._view, self._next = view, None
        return True

    def finish(self) -> None:
        """Complete the rows being built, at once."""
        if self._next is not None:
            self._view, self._next = self._built(self._next), None

    def refold(self) -> None:
        """The fold of every group may have changed: rebuild the rows shown at once, and
        start the ones being built over (a group's rows depend on its fold)."""
        self._view = self._built(RowView(self._view.filter))
        if self._next is not None:
            self._next = RowView(self._next.filter)

    # -- placing frames ----------------------------------------------------------------

    def add(self, i: int) -> None:
        """A new entry `i`: into the rows shown (those being built catch up by `step`)."""
        self._place(self._view, i)

    def _built(self, view: RowView) -> RowView:
        for i in range(view.placed, len(self._facts.directions)):
            self._place(view, i)
        return view

    def matches(self, i: int) -> bool:
        """Whether entry `i` passes the filter of the rows shown (a socket mark always
        does: it says where the frames around it came from)."""
        view = self._view
        return view.everything or self._passes(view, i)

    def _passes(self, view: RowView, i: int) -> bool:
        facts = self._facts
        direction = facts.directions[i]
        if direction == MARK:
            return True
        f = view.filter
        if f.direction is DirectionFilter.SENT and direction != SENT:
            return False
        if f.direction is DirectionFilter.RECEIVED and direction != RECEIVED:
            return False
        if f.errors_only and not facts.flags[i] & FLAG_ERROR:
            return False
        type_id = facts.type_ids[i]
        ok = view.type_ok.get(type_id)
        if ok is None:
            ok = view.type_ok[type_id] = f.type_matches(*facts.type_names[type_id])
        if not ok:
            return False
        return view.matcher is None or view.matcher.search(self._search_text(i)) is not None

    def _place(self, view: RowView, i: int) -> None:
        """Put entry `i` (the next one `view` has not placed) in its rows, or leave it out."""
        view.placed = i + 1
        matched = view.everything or self._passes(view, i)
        gid = self._facts.groups[i]
        if gid < 0:
            if matched:
                view.rows.append(i)
            return
        hits = 0
        if matched:  # One more member passes (counted here: this runs for every frame).
            counts = view.hits
            while len(counts) <= gid:
                counts.append(0)
            hits = counts[gid] = counts[gid] + 1
        if self._folds.has_own_row(gid, i):
            if matched:
                view.rows.append(i)
        elif hits == 1:
            insort(view.rows, self._folds.first(gid))  # the group's first member that passes

    # -- the rows shown ----------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._view.rows)

    def __getitem__(self, row: int) -> int:
        """The frame index shown at `row` (the group's first frame for a folded group)."""
        return self._view.rows[row]

    def row_of(self, i: int) -> int:
        """The row showing entry `i`, or the nearest row before it (0 if none)."""
        gid = self._facts.groups[i] if 0 <= i < len(self._facts.groups) else -1
        if gid >= 0 and self._folds.is_folded(gid):
            i = self._folds.first(gid)
        return max(0, bisect_right(self._view.rows, i) - 1)

    def toggle_fold(self, row: int) -> int:
        """Fold or unfold the group shown at `row`; the frame index to keep selected.

        Only the group's span of rows is rewritten, not the whole view."""
        view, groups = self._view, self._facts.groups
        i = view.rows[row]
        gid = groups[i]
        if gid < 0:
            return i
        group = self._folds.group(gid)
        self._folds.toggle(gid)
        lo = bisect_left(view.rows, group.first)
        hi = bisect_right(view.rows, group.last)
        keep = {x for x in view.rows[lo:hi] if groups[x] != gid}
        if self._folds.is_folded(gid):
            if view.hits_of(gid):
                keep.add(group.first)
        else:
            keep.update(m for m in group.members if self.matches(m))
        view.rows[lo:hi] = array("I", sorted(keep))
        if self._next is not None:
            self._next = RowView(self._next.filter)  # placed under the group's old fold
        return group.first

    def expanded(self) -> list[int]:
        """Frame indices of the rows shown in arrival order, folded groups expanded
        (interleaved groups, such as audio and transcript deltas, are merged back)."""
        indices: list[int] = []
        for i in self._view.rows:
            gid = self._facts.groups[i]
            if gid >= 0 and self._folds.is_folded(gid):
                indices.extend(m for m in self._folds.members(gid) if self.matches(m))
            else:
                indices.append(i)
        indices.sort()
        return indices

    def memory_bytes(self) -> int:
        rows = self._view.rows
        return rows.itemsize * len(rows)
