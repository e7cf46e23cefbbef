"""The inspector's frame store: every frame of a session, compact, foldable, filterable.

Pure Python, no Textual, so it is tested and benchmarked on its own.

Memory. Per-frame facts live in parallel `array`s (time, direction, type id, flags,
audio size, group id, where the payload is). Text frames keep their wire text (needed for
the detail view, the copy and the free-text filter) and every frame its summary, both
compressed a block of frames at a time (`PackedTexts`): a few dozen bytes a frame instead of
a few hundred. Audio frames (`response.output_audio.delta`
received, `input_audio_buffer.append` sent) and any frame of `BIG_FRAME_CHARS` or more keep
only their sizes in memory: the detail view and the export read the text back from the
session log the frame was recorded in (`Frame.log_span`, a live recorder or a replayed
file), or, for a frame no log holds (the log failed, a test), from a `SpillFile` in the
cache folder. So an audio frame costs a few dozen bytes however large its payload, and its
bytes are on disk once. The free-text filter sees such a frame's type and summary.

Folding. Deltas of one content part (same direction, wire type, item_id and
content_index) fold into one group while the frames between them are deltas of that same
part. So an audio response's audio and transcript deltas, which interleave, fold into two
rows (one per wire type), while any other frame (a `.done`, another item's delta, a sent
event) ends the run and a later delta starts a new group. Consecutive sent
`input_audio_buffer.append` frames fold the same way. The groups and which of them are
folded are kept by `FoldGroups` (fold_groups.py).

Rows. The visible rows are a sorted array of frame indices: a frame shown on its own, or
the first frame of a folded group standing for the whole group. New frames only append to
it (or insert one group row), so the filter is maintained incrementally; changing the filter
or the global fold rebuilds it once.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable
from pathlib import Path
from re import Pattern
from typing import Any

from rt_tui.inspector.classify import (
    FLAG_AUDIO,
    FLAG_ERROR,
    MARK,
    RECEIVED,
    SENT,
    Classified,
    classify,
    classify_mark,
)
from rt_tui.inspector.filtering import DirectionFilter, FrameFilter
from rt_tui.inspector.fold_groups import FoldGroups
from rt_tui.inspector.packed_texts import PackedTexts
from rt_tui.inspector.records import FoldGroup, Row
from rt_tui.inspector.redaction import redact_frame
from rt_tui.inspector.summary import audio_label
from rt_tui.realtime.frames import Direction, Frame, LogSource, LogSpan
from rt_tui.realtime.redaction import Redactor
from rt_tui.realtime.session_log import META_MARK, LogError, read_record
from rt_tui.realtime.socket_mark import SocketMark
from rt_tui.realtime.spill import SpillFile

#: Frames this long (characters) are read back from disk when shown, not kept in memory.
BIG_FRAME_CHARS = 64 * 1024
_IN_MEMORY = -1
_SPILLED = -2


class FrameStore:
    """All frames of a session, with folding and an incrementally kept filtered view."""

    def __init__(self, *, fold: bool = True, spill_dir: Path | None = None) -> None:
        """`spill_dir`: where frames no log holds go (default: the cache folder)."""
        self._spill_dir = spill_dir
        self._redactor = Redactor()
        self._folds = FoldGroups(fold_all=fold)
        self._filter = FrameFilter()
        self._reset()

    # -- storage -----------------------------------------------------------------------

    def _reset(self) -> None:
        self._t_ms = array("d")
        self._wall = array("d")
        self._dir = bytearray()
        self._type = array("I")
        self._flags = bytearray()
        self._audio = array("I")
        self._group = array("i")
        self._payload_at = array("q")
        self._payload_len = array("I")
        self._payload_in = array("b")
        """Where a frame's text is: _IN_MEMORY, _SPILLED, or an index into `_logs`."""
        self._logs: list[LogSource] = []
        self._texts = PackedTexts()
        self._summaries = PackedTexts()
        self._type_ids: dict[tuple[str, str], int] = {}
        self._type_names: list[tuple[str, str]] = []
        self.longest_wire_type = 0
        """The length of the longest wire type stored (the rows size their type column by it)."""
        self._type_ok: dict[int, bool] = {}
        self._folds.clear()
        self._rows = array("q")
        self._matcher: Pattern[str] | None = self._filter.text_matcher()
        self._spill: SpillFile | None = None
        self._marks = 0
        self.version = 0
        """Bumped on every change, so a view knows when to repaint."""

    def clear(self) -> None:
        """Forget every frame (the filter and the fold setting stay)."""
        self.close()
        self._reset()

    def close(self) -> None:
        """Release the scratch file."""
        if self._spill is not None:
            self._spill.close()
            self._spill = None

    def set_secrets(self, values: Iterable[str]) -> None:
        """Also redact these exact strings (an endpoint's key, which need not look like
        one) from every frame stored from now on. Earlier ones are kept: frames already
        stored were redacted with them."""
        self._redactor = Redactor((*self._redactor.secrets, *values))

    def __len__(self) -> int:
        """How many entries: frames and socket marks."""
        return len(self._t_ms)

    @property
    def frame_count(self) -> int:
        """How many frames (socket marks left out)."""
        return len(self._t_ms) - self._marks

    def append(self, frame: Frame) -> int:
        """Store one frame and update the rows; returns the frame's index."""
        frame, c, kept = redact_frame(frame, classify(frame), self._redactor)
        i = self._start_entry(c, frame.t_ms, frame.wall_time)
        span = frame.log_span
        if not (c.flags & FLAG_AUDIO or len(kept) >= BIG_FRAME_CHARS):
            self._keep(_IN_MEMORY, 0, 0, kept)
        elif span is not None and kept is frame.redacted:
            # The log holds exactly this text (the recorder wrote `frame.redacted`).
            self._keep(self._log_index(span.log), span.offset, span.length, None)
        else:
            data = kept if isinstance(kept, bytes) else kept.encode()
            if self._spill is None:
                self._spill = SpillFile(self._spill_dir)
            self._keep(_SPILLED, self._spill.append(data), len(data), None)
        self._end_entry(i, c)
        return i

    def add_mark(self, mark: SocketMark) -> int:
        """Store where a new socket took the session over: a row of its own, shown
        whatever the filter, whose text is the log's mark line; returns its index."""
        c = classify_mark(mark)
        i = self._start_entry(c, mark.t_ms, mark.wall_time)
        self._marks += 1
        self._keep(_IN_MEMORY, 0, 0, self._redactor.text(mark.to_json(META_MARK)))
        self._end_entry(i, c)
        return i

    def _start_entry(self, c: Classified, t_ms: float, wall_time: float) -> int:
        """The facts every entry (a frame or a mark) has; its index."""
        i = len(self._t_ms)
        self._t_ms.append(t_ms)
        self._wall.append(wall_time)
        self._dir.append(c.direction)
        self._type.append(self._type_id(c.wire_type, c.kind))
        self._flags.append(c.flags)
        self._audio.append(c.audio_size)
        return i

    def _end_entry(self, i: int, c: Classified) -> None:
        """After its text is kept: the summary, the fold group and the rows."""
        self._summaries.append(c.summary)
        self._group.append(self._folds.join(i, c))
        self._add_row(i)
        self.version += 1

    def _keep(self, where: int, at: int, length: int, text: str | bytes | None) -> None:
        self._payload_in.append(where)
        self._payload_at.append(at)
        self._payload_len.append(length)
        self._texts.append(text)

    def _log_index(self, log: LogSource) -> int:
        logs = self._logs
        if logs and logs[-1] is log:
            return len(logs) - 1
        for n, known in enumerate(logs):
            if known is log:
                return n
        logs.append(log)
        return len(logs) - 1

    def _type_id(self, wire_type: str, kind: str) -> int:
        key = (wire_type, kind)
        type_id = self._type_ids.get(key)
        if type_id is None:
            type_id = self._type_ids[key] = len(self._type_names)
            self._type_names.append(key)
            self.longest_wire_type = max(self.longest_wire_type, len(wire_type))
        return type_id

    # -- filter and rows ---------------------------------------------------------------

    @property
    def filter(self) -> FrameFilter:
        return self._filter

    def set_filter(self, frame_filter: FrameFilter) -> None:
        """Show only frames passing `frame_filter` (rebuilds the rows once)."""
        self._filter = frame_filter
        self._matcher = frame_filter.text_matcher()
        self._type_ok.clear()
        self._rebuild()

    @property
    def fold_all(self) -> bool:
        """Whether groups are folded unless toggled one by one."""
        return self._folds.fold_all

    def set_fold_all(self, fold: bool) -> None:
        """Fold or unfold every group (forgets per-group toggles)."""
        self._folds.set_fold_all(fold)
        self._rebuild()

    def fold_state(self) -> str:
        """'folded', 'unfolded' or 'mixed' (some groups toggled away from the rest)."""
        return self._folds.fold_state()

    def is_folded(self, gid: int) -> bool:
        return self._folds.is_folded(gid)

    def matches(self, i: int) -> bool:
        """Whether frame `i` passes the current filter (a socket mark always does: it
        says where the frames around it came from)."""
        if self._dir[i] == MARK:
            return True
        f = self._filter
        if f.direction is DirectionFilter.SENT and self._dir[i] != SENT:
            return False
        if f.direction is DirectionFilter.RECEIVED and self._dir[i] != RECEIVED:
            return False
        if f.errors_only and not self._flags[i] & FLAG_ERROR:
            return False
        type_id = self._type[i]
        ok = self._type_ok.get(type_id)
        if ok is None:
            ok = self._type_ok[type_id] = f.type_matches(*self._type_names[type_id])
        if not ok:
            return False
        return self._matcher is None or self._matcher.search(self.search_text(i)) is not None

    def search_text(self, i: int) -> str:
        """What the free-text filter looks at: the wire text, or for audio and binary
        frames (whose payload is not in memory) the type and summary."""
        text = self._texts[i]
        if isinstance(text, str):
            return text
        return f"{self._type_names[self._type[i]][0]} {self.summary(i)}"

    def _add_row(self, i: int) -> None:
        matched = self.matches(i)
        gid = self._group[i]
        if gid < 0:
            if matched:
                self._rows.append(i)
            return
        group = self._folds.groups[gid]
        if matched:
            group.hits += 1
        if not self.is_folded(gid) or group.first == i:
            if matched:
                self._rows.append(i)
        elif matched and group.hits == 1:
            insort(self._rows, group.first)

    def _rebuild(self) -> None:
        matched = bytearray(len(self))
        for group in self._folds.groups:
            group.hits = 0
        for i in range(len(self)):
            if self.matches(i):
                matched[i] = 1
                gid = self._group[i]
                if gid >= 0:
                    self._folds.groups[gid].hits += 1
        rows = array("q")
        for i in range(len(self)):
            gid = self._group[i]
            if gid >= 0 and self.is_folded(gid):
                group = self._folds.groups[gid]
                if group.first == i and group.hits:
                    rows.append(i)
            elif matched[i]:
                rows.append(i)
        self._rows = rows
        self.version += 1

    @property
    def row_count(self) -> int:
        return len(self._rows)

    def frame_at_row(self, row: int) -> int:
        """The frame index shown at `row` (the group's first frame for a folded group)."""
        return self._rows[row]

    def row_of_frame(self, i: int) -> int:
        """The row showing frame `i`, or the nearest row before it (0 if none)."""
        gid = self._group[i] if 0 <= i < len(self) else -1
        if gid >= 0 and self.is_folded(gid):
            i = self._folds.groups[gid].first
        return max(0, bisect_right(self._rows, i) - 1)

    def group_of(self, i: int) -> FoldGroup | None:
        gid = self._group[i]
        return self._folds.groups[gid] if gid >= 0 else None

    def toggle_fold(self, row: int) -> int:
        """Fold or unfold the group shown at `row`; returns the frame index to keep selected.

        Only the group's span of rows is rewritten, not the whole view."""
        i = self._rows[row]
        gid = self._group[i]
        if gid < 0:
            return i
        group = self._folds.groups[gid]
        self._folds.toggle(gid)
        lo = bisect_left(self._rows, group.first)
        hi = bisect_right(self._rows, group.last)
        keep = {x for x in self._rows[lo:hi] if self._group[x] != gid}
        if self.is_folded(gid):
            if group.hits:
                keep.add(group.first)
        else:
            keep.update(m for m in group.members if self.matches(m))
        self._rows[lo:hi] = array("q", sorted(keep))
        self.version += 1
        return group.first

    def rows_of_view(self) -> list[int]:
        """Frame indices of the filtered view in arrival order, folded groups expanded
        (interleaved groups, such as audio and transcript deltas, are merged back)."""
        indices: list[int] = []
        for i in self._rows:
            gid = self._group[i]
            if gid >= 0 and self.is_folded(gid):
                indices.extend(m for m in self._folds.groups[gid].members if self.matches(m))
            else:
                indices.append(i)
        indices.sort()
        return indices

    # -- reading -----------------------------------------------------------------------

    def summary(self, i: int) -> str:
        """Frame `i`'s one-line summary."""
        text = self._summaries[i]
        if isinstance(text, str):
            return text
        if self._audio[i] or self._flags[i] & FLAG_AUDIO:
            return audio_label(self._audio[i])
        return ""

    def row(self, row: int) -> Row:
        """What row number `row` shows."""
        i = self._rows[row]
        wire_type = self._type_names[self._type[i]][0]
        flags = self._flags[i]
        gid = self._group[i]
        group = self._folds.groups[gid] if gid >= 0 else None
        fold = ""
        count = 1
        summary = self.summary(i)
        stream = group is not None and not flags & FLAG_AUDIO
        if group is not None and group.count > 1:
            if self.is_folded(gid):
                fold, count = "folded", group.count
                if flags & FLAG_AUDIO:
                    summary = f"{count} chunks · {audio_label(group.audio_bytes)}"
                else:
                    summary = group.text()
            else:
                fold = "open" if group.first == i else "member"
        return Row(
            frame_index=i,
            t_ms=self._t_ms[i],
            direction=self.direction(i),
            wire_type=wire_type,
            summary=summary,
            count=count,
            fold=fold,
            is_error=bool(flags & FLAG_ERROR),
            is_audio=bool(flags & FLAG_AUDIO),
            summary_is_stream=stream,
        )

    def frame_text(self, i: int) -> str | bytes:
        """Frame `i` as on the wire, secrets out (big ones read back from disk); a one-line
        note in angle brackets if its log no longer holds it."""
        where = self._payload_in[i]
        if where == _IN_MEMORY:
            text = self._texts[i]
            return "" if text is None else text
        at, length = self._payload_at[i], self._payload_len[i]
        if where == _SPILLED:
            return "" if self._spill is None else self._spill.read(at, length).decode()
        try:
            return read_record(LogSpan(self._logs[where], at, length)).data
        except LogError as error:
            return f"<{str(error).rstrip('.')}>"

    def wire_type(self, i: int) -> str:
        return self._type_names[self._type[i]][0]

    def direction(self, i: int) -> Direction | None:
        """Which way frame `i` went; None for a socket mark."""
        code = self._dir[i]
        return Direction.SENT if code == SENT else Direction.RECEIVED if code == RECEIVED else None

    def t_ms(self, i: int) -> float:
        return self._t_ms[i]

    def wall_time(self, i: int) -> float:
        return self._wall[i]

    def audio_size(self, i: int) -> int:
        return self._audio[i]

    def is_audio(self, i: int) -> bool:
        return bool(self._flags[i] & FLAG_AUDIO)

    def memory_bytes(self) -> int:
        """Approximate bytes held in memory for the frames (arrays, texts, summaries, groups)."""
        arrays: list[Any] = [
            self._t_ms,
            self._wall,
            self._type,
            self._audio,
            self._group,
            self._payload_at,
            self._payload_len,
            self._payload_in,
            self._rows,
        ]
        total = int(sum(a.itemsize * len(a) for a in arrays)) + len(self._dir) + len(self._flags)
        total += self._texts.memory_bytes() + self._summaries.memory_bytes()
        return total + self._folds.memory_bytes()
