"""The inspector's frame store: every frame of a session, compact, foldable, filterable.

Pure Python, no Textual, so it is tested and benchmarked on its own.

Memory. Per-frame facts live in parallel `array`s (time, direction, type id, flags, audio
size, group id). Text frames keep their wire text (needed for
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
the first frame of a folded group standing for the whole group (`FilteredRows`). New frames
only append to it (or insert one group row), so the filter is maintained incrementally. A
new filter is built in slices (`start_filter`, then `filter_step` until it is done), while
the old one's rows stay shown; `set_filter` builds them at once, as changing the fold does.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from rt_tui.inspector.classify import (
    FLAG_AUDIO,
    FLAG_ERROR,
    RECEIVED,
    SENT,
    Classified,
    classify,
    classify_mark,
)
from rt_tui.inspector.filtered_rows import SLICE_FRAMES, SLICE_S, FilteredRows, FrameFacts
from rt_tui.inspector.filtering import FrameFilter
from rt_tui.inspector.fold_groups import FoldGroups
from rt_tui.inspector.packed_texts import PackedTexts
from rt_tui.inspector.payloads import Payloads
from rt_tui.inspector.records import FoldGroup, Row
from rt_tui.inspector.redaction import redact_frame
from rt_tui.inspector.summary import audio_label
from rt_tui.realtime.frames import Direction, Frame
from rt_tui.realtime.redaction import Redactor
from rt_tui.realtime.session_log import META_MARK
from rt_tui.realtime.socket_mark import SocketMark

#: Frames this long (characters) are read back from disk when shown, not kept in memory.
BIG_FRAME_CHARS = 64 * 1024


class FrameStore:
    """All frames of a session, with folding and an incrementally kept filtered view."""

    def __init__(self, *, fold: bool = True, spill_dir: Path | None = None) -> None:
        """`spill_dir`: where frames no log holds go (default: the cache folder)."""
        self._payloads = Payloads(spill_dir)
        self._redactor = Redactor()
        self._folds = FoldGroups(fold_all=fold)
        self._reset(FrameFilter())

    # -- storage -----------------------------------------------------------------------

    def _reset(self, frame_filter: FrameFilter) -> None:
        self._t_ms = array("d")
        self._wall = array("d")
        self._dir = bytearray()
        self._type = array("I")
        self._flags = bytearray()
        self._audio = array("I")
        self._payloads.clear()
        self._summaries = PackedTexts()
        self._type_ids: dict[tuple[str, str], int] = {}
        self._type_names: list[tuple[str, str]] = []
        self.longest_wire_type = 0
        """The length of the longest wire type stored (the rows size their type column by it)."""
        self._folds.clear()
        self._group = self._folds.ids
        facts = FrameFacts(self._dir, self._flags, self._type, self._type_names, self._group)
        self._rows = FilteredRows(facts, self._folds, self.search_text, frame_filter)
        self._marks = 0
        self.version = 0
        """Bumped on every change, so a view knows when to repaint."""

    def clear(self) -> None:
        """Forget every frame (the filter and the fold setting stay)."""
        self.close()
        self._reset(self._rows.wanted_filter)

    def close(self) -> None:
        """Release the scratch file."""
        self._payloads.close()

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
        c = classify(frame)
        kept = frame.redacted
        if kept is None or kept is not frame.data or not kept:
            # Not redacted by a connection, secrets found, or built from its event alone.
            frame, c, kept = redact_frame(frame, c, self._redactor)
        i = self._add_entry(c, frame.t_ms, frame.wall_time)
        if not (c.flags & FLAG_AUDIO or len(kept) >= BIG_FRAME_CHARS):
            self._payloads.keep(kept)
        elif frame.log_span is not None and kept is frame.redacted:
            # The log holds exactly this text (the recorder wrote `frame.redacted`).
            self._payloads.keep_in_log(frame.log_span)
        else:
            self._payloads.spill(kept if isinstance(kept, bytes) else kept.encode())
        self._rows.add(i)
        self.version += 1
        return i

    def add_mark(self, mark: SocketMark) -> int:
        """Store where a new socket took the session over: a row of its own, shown
        whatever the filter, whose text is the log's mark line; returns its index."""
        c = classify_mark(mark)
        i = self._add_entry(c, mark.t_ms, mark.wall_time)
        self._marks += 1
        self._payloads.keep(self._redactor.text(mark.to_json(META_MARK)))
        self._rows.add(i)
        self.version += 1
        return i

    def _add_entry(self, c: Classified, t_ms: float, wall_time: float) -> int:
        """What every entry (a frame or a mark) has but its text: its facts, summary and
        fold group; its index. (Its rows wait for its text: a free-text filter reads it.)"""
        i = len(self._dir)
        self._t_ms.append(t_ms)
        self._wall.append(wall_time)
        self._dir.append(c.direction)
        type_id = self._type_ids.get((c.wire_type, c.kind))
        self._type.append(self._new_type(c) if type_id is None else type_id)
        self._flags.append(c.flags)
        self._audio.append(c.audio_size)
        self._summaries.append(c.summary)
        self._folds.join(i, c)
        return i

    def _new_type(self, c: Classified) -> int:
        key = (c.wire_type, c.kind)
        type_id = self._type_ids[key] = len(self._type_names)
        self._type_names.append(key)
        self.longest_wire_type = max(self.longest_wire_type, len(c.wire_type))
        return type_id

    # -- filter and rows ---------------------------------------------------------------

    @property
    def filter(self) -> FrameFilter:
        """The filter of the rows shown."""
        return self._rows.filter

    @property
    def wanted_filter(self) -> FrameFilter:
        """The filter asked for last: the one shown, or the one being built."""
        return self._rows.wanted_filter

    @property
    def filtering(self) -> bool:
        """Whether the rows of a new filter are being built (`filter_step`)."""
        return self._rows.building

    @property
    def filter_progress(self) -> float:
        """How far through the frames the filter being built is (1.0 when none is)."""
        return self._rows.progress

    def set_filter(self, frame_filter: FrameFilter) -> None:
        """Show only frames passing `frame_filter`, from now (rebuilds the rows at once)."""
        self._rows.set_filter(frame_filter)
        self.version += 1

    def start_filter(self, frame_filter: FrameFilter) -> None:
        """Begin building the rows of `frame_filter`; `filter_step` goes on with it. The
        rows shown stay those of the current filter until the new ones are complete."""
        self._rows.start(frame_filter)

    def filter_step(self, frames: int = SLICE_FRAMES, seconds: float = SLICE_S) -> bool:
        """Place up to `frames` more frames, for about `seconds` at most, in the rows of the
        filter being built; True once they are complete and shown (or none was asked for)."""
        building = self._rows.building
        done = self._rows.step(frames, seconds)
        if done and building:
            self.version += 1
        return done

    def finish_filter(self) -> None:
        """Complete the rows of the filter being built, at once."""
        if self._rows.building:
            self._rows.finish()
            self.version += 1

    @property
    def fold_all(self) -> bool:
        """Whether groups are folded unless toggled one by one."""
        return self._folds.fold_all

    def set_fold_all(self, fold: bool) -> None:
        """Fold or unfold every group (forgets per-group toggles)."""
        self._folds.set_fold_all(fold)
        self._rows.refold()
        self.version += 1

    def fold_state(self) -> str:
        """'folded', 'unfolded' or 'mixed' (some groups toggled away from the rest)."""
        return self._folds.fold_state()

    def is_folded(self, gid: int) -> bool:
        return self._folds.is_folded(gid)

    def matches(self, i: int) -> bool:
        """Whether frame `i` passes the filter of the rows shown (a socket mark always
        does: it says where the frames around it came from)."""
        return self._rows.matches(i)

    def search_text(self, i: int) -> str:
        """What the free-text filter looks at: the wire text, or for audio and binary
        frames (whose payload is not in memory) the type and summary."""
        text = self._payloads.in_memory(i)
        if isinstance(text, str):
            return text
        return f"{self._type_names[self._type[i]][0]} {self.summary(i)}"

    @property
    def row_count(self) -> int:
        return len(self._rows)

    def frame_at_row(self, row: int) -> int:
        """The frame index shown at `row` (the group's first frame for a folded group)."""
        return self._rows[row]

    def row_of_frame(self, i: int) -> int:
        """The row showing frame `i`, or the nearest row before it (0 if none)."""
        return self._rows.row_of(i)

    def group_of(self, i: int) -> FoldGroup | None:
        gid = self._group[i]
        return self._folds.group(gid) if gid >= 0 else None

    def toggle_fold(self, row: int) -> int:
        """Fold or unfold the group shown at `row`; returns the frame index to keep selected.

        Only the group's span of rows is rewritten, not the whole view."""
        keep = self._rows.toggle_fold(row)
        self.version += 1
        return keep

    def rows_of_view(self) -> list[int]:
        """Frame indices of the rows shown in arrival order, folded groups expanded
        (interleaved groups, such as audio and transcript deltas, are merged back)."""
        return self._rows.expanded()

    # -- reading -----------------------------------------------------------------------

    def summary(self, i: int) -> str:
        """Frame `i`'s one-line summary."""
        text = self._summaries[i]
        if isinstance(text, str):
            return text
        if self._flags[i] & FLAG_AUDIO:
            return audio_label(self._audio[i])
        return ""

    def row(self, row: int) -> Row:
        """What row number `row` shows."""
        i = self._rows[row]
        wire_type = self._type_names[self._type[i]][0]
        flags = self._flags[i]
        gid = self._group[i]
        group = self._folds.group(gid) if gid >= 0 else None
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
        return self._payloads.text(i)

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
        ]
        total = int(sum(a.itemsize * len(a) for a in arrays)) + len(self._dir) + len(self._flags)
        total += self._payloads.memory_bytes() + self._summaries.memory_bytes()
        return total + self._rows.memory_bytes() + self._folds.memory_bytes()
