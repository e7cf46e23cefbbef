"""The event inspector: every frame of both directions, folded, filtered and inspectable.

`EventInspector` is a vertical split: a status line, a filter box (shown with ctrl+f), the
rows, and a detail panel with the selected frame's JSON (hidden while nothing is
selected). Frames go into a Textual-free `FrameStore`; the rows are a Line API
`ScrollView` that renders only the visible lines from cached strips. `add_frames` only
appends to the store and asks the repaint beat (`RepaintBeat`) for one repaint, so a burst
of deltas repaints once.

Keys (listed in `inspector_keys`): arrows/PgUp/PgDn/Home/End move (End jumps to the tail
and follows it), `f`/Enter folds or unfolds the selected run of deltas, `F` folds all of
them or, when all are folded, unfolds them (its label says which), ctrl+f filters,
backspace clears the filter, `d` cycles the direction shown, `e` shows errors only, `z`
zooms the detail, `w` shows all of a huge frame whose detail was cut to its first 64 KB,
`c` copies the selected frame, `x` exports the filtered view and `X` the whole log (JSONL,
where the export prompt says: a new file in the sessions folder by default; it is written
off the event loop). What the filter keys and box do is `InspectorFilter`'s
(`inspector_filter`). Other text typed here goes to the composer (the main screen sees to
it).

`show_frame` selects a frame by its number, for the views that lead here: an item's first
frame (`landmarks`), the frame a response's turn started with (`latency`, which times each
response from the same frames).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.message import Message
from textual.widgets import Input

from rt_tui.inspector.status_line import InspectorState
from rt_tui.tui.widgets.backdrop import BackdropVertical
from rt_tui.tui.widgets.filter_input import FilterInput
from rt_tui.tui.widgets.frame_rows import FrameRows
from rt_tui.tui.widgets.inspector_filter import InspectorFilter
from rt_tui.tui.widgets.inspector_keys import INSPECTOR_BINDINGS
from rt_tui.tui.widgets.inspector_status import InspectorStatus
from rt_tui.tui.widgets.json_view import JsonView
from rt_tui.tui.widgets.repaint_beat import RepaintBeat

if TYPE_CHECKING:
    from rt_tui.inspector.filtering import FrameFilter
    from rt_tui.inspector.landmarks import FrameLandmarks, Subject
    from rt_tui.inspector.latency import LatencyTracker
    from rt_tui.inspector.store import FrameStore
    from rt_tui.realtime.frames import Frame
    from rt_tui.realtime.socket_mark import SocketMark


def detail_height(available: int) -> int:
    """How many of `available` lines the detail gets: 60%, at least 8 while the rows
    keep 3, and never all of them (one row stays in view)."""
    if available <= 1:
        return 0
    wanted = max(round(available * 0.6), min(8, available - 3))
    return min(wanted, available - 1)


class EventInspector(BackdropVertical):
    """Every frame on the wire: rows above, the selected frame's JSON below."""

    DEFAULT_CSS = """
    EventInspector { border: round $panel; border-title-color: $text-muted; height: 1fr; }
    EventInspector:focus-within { border: round $accent; }
    EventInspector > #inspector-status { color: $text-muted; padding: 0 1; }
    EventInspector > #inspector-filter { display: none; height: 3; }
    EventInspector > #inspector-filter.-shown { display: block; }
    EventInspector > #inspector-detail {
        display: none;
        height: 1fr;
        border-top: solid $panel;
    }
    EventInspector > #inspector-detail.-shown { display: block; }
    EventInspector.-zoomed > #inspector-rows { display: none; }
    """
    BINDINGS: ClassVar[list[BindingType]] = INSPECTOR_BINDINGS

    class Selected(Message):
        """The selected row changed. `frame_index` is None when nothing is selected."""

        def __init__(self, inspector: EventInspector, frame_index: int | None) -> None:
            super().__init__()
            self.inspector = inspector
            self.frame_index = frame_index

        @property
        def control(self) -> EventInspector:
            return self.inspector

    class FilterChanged(Message):
        """The filter changed (type patterns, direction, errors only or text)."""

        def __init__(self, inspector: EventInspector, frame_filter: FrameFilter) -> None:
            super().__init__()
            self.inspector = inspector
            self.frame_filter = frame_filter

        @property
        def control(self) -> EventInspector:
            return self.inspector

    class Exported(Message):
        """An export finished: `count` of the `total` frames written to `path` (those the
        filter `description` let through, or all when it is empty)."""

        def __init__(
            self,
            inspector: EventInspector,
            path: Path,
            count: int,
            total: int = 0,
            description: str = "",
        ) -> None:
            super().__init__()
            self.inspector = inspector
            self.path = path
            self.count = count
            self.total = total
            self.description = description

        @property
        def control(self) -> EventInspector:
            return self.inspector

    def __init__(
        self,
        *,
        export_dir: Path | None = None,
        fold: bool = True,
        beat: RepaintBeat | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._beat = beat or RepaintBeat(self)
        """When to repaint what arrived (the screen's, shared with the conversation)."""
        self._fold = fold
        self.export_dir = export_dir
        """Where exports go; None means the sessions directory."""
        self._flush_pending = False
        self._shown_detail: tuple[int, int, str] | None = None
        """`_detail_key` of what the detail shows."""
        self.filtering = InspectorFilter(
            self, changed=self._schedule_flush, relayout=self._layout_split
        )
        """The filter of the rows: its box, direction and errors only."""
        self.border_title = "Events"

    # The store and the trackers are made once the first frame is out (see `start`), or by
    # the first frame or key that needs them: the first frame shows none of them.

    @cached_property
    def store(self) -> FrameStore:
        """Every frame shown, compact, with the rows the filter and folds make of them."""
        from rt_tui.inspector.store import FrameStore

        return FrameStore(fold=self._fold)

    @cached_property
    def landmarks(self) -> FrameLandmarks:
        """Numbered as the store numbers frames: the way to a frame from an item, a
        response or a milestone of its latency."""
        from rt_tui.inspector.landmarks import FrameLandmarks

        return FrameLandmarks()

    @cached_property
    def latency(self) -> LatencyTracker:
        """Times each response from the same frames."""
        from rt_tui.inspector.latency import LatencyTracker

        return LatencyTracker()

    def start(self) -> None:
        """Make the store and the trackers now, not with the first frame or key."""
        self.store  # noqa: B018
        self.landmarks  # noqa: B018
        self.latency  # noqa: B018

    def compose(self) -> ComposeResult:
        yield InspectorStatus(id="inspector-status")
        yield FilterInput(
            id="inspector-filter",
            placeholder="types (response.* !*.delta) and/or text · Enter/Esc close · ^u clears",
        )
        yield FrameRows(lambda: self.store, id="inspector-rows")
        yield JsonView(id="inspector-detail")

    def on_mount(self) -> None:
        self._schedule_flush()
        self.watch(self.screen, "maximized", self._layout_split, init=False)

    def on_resize(self) -> None:
        self._layout_split()

    def on_unmount(self) -> None:
        if "store" in self.__dict__:  # Made (a cached property): nothing to close if not.
            self.store.close()

    @property
    def rows(self) -> FrameRows:
        return self.query_one(FrameRows)

    @property
    def detail(self) -> JsonView:
        return self.query_one(JsonView)

    # -- the API the main screen uses --------------------------------------------------

    def add_frame(self, frame: Frame) -> None:
        """Store one frame; the repaint happens once per beat, however many arrive."""
        self.add_frames((frame,))

    def add_frames(self, frames: Iterable[Frame]) -> None:
        """Store these frames, in order; one repaint follows, on the next beat."""
        append, landmark, time = self.store.append, self.landmarks.add, self.latency.add
        for frame in frames:
            index = append(frame)
            landmark(frame, index)
            time(frame, index)
        self._schedule_flush()

    def add_mark(self, mark: SocketMark) -> None:
        """Show where a new socket took the session over, among the frames."""
        self.store.add_mark(mark)
        self._schedule_flush()

    def set_secrets(self, values: Iterable[str]) -> None:
        """Redact these exact strings (the live endpoint's `secret_values()`) from every
        frame stored from now on: the rows, the detail, a copy and an export never show
        them, even when a key does not look like one (Azure's 32 hex digits)."""
        self.store.set_secrets(values)

    def clear(self) -> None:
        """Forget every frame shown (filter and fold settings stay)."""
        self.store.clear()
        self.landmarks.clear()
        self.latency.clear()
        if self.is_mounted:
            had_selection = self.rows.cursor_frame is not None
            self.rows.forget_drawn()
            self.rows.cursor_frame = None
            self.rows.follow = True
            self._show_detail(None)
            if had_selection:
                self.post_message(self.Selected(self, None))
        self._schedule_flush()

    @property
    def follow(self) -> bool:
        """Whether the view follows the newest frames."""
        return self.rows.follow if self.is_mounted else True

    @follow.setter
    def follow(self, value: bool) -> None:
        if not self.is_mounted:
            return
        if value:
            self.rows.action_last_row()
        else:
            self.rows.follow = False

    @property
    def selected_frame(self) -> int | None:
        """The index (in arrival order) of the selected row's frame, if any."""
        return self.rows.cursor_frame if self.is_mounted else None

    def show_frame(self, index: int) -> None:
        """Select frame `index` (in arrival order) and show it near the top of the rows,
        no longer following the tail; a filter that hides it is cleared first."""
        store = self.store
        if not self.is_mounted or not 0 <= index < len(store):
            return
        store.finish_filter()  # a filter still being built would move the rows under it
        if not store.matches(index):
            self.filtering.clear(at_once=True)  # the row must be there to show
            self.notify("The filter hid that frame: showing every frame.", timeout=3)
        rows = self.rows
        rows.follow = False
        rows.sync()
        rows.show_row(store.row_of_frame(index))

    def show_entry(self, key: tuple[str, str]) -> bool:
        """Select the first frame of a conversation item, or of the turn a response
        answered, ("item" | "response", id); False when no frame names it."""
        kind, name = key
        if kind == "response":
            timed = self.latency.responses.get(name)
            first = timed.first_frame if timed is not None else None
            if first is None:
                first = self.landmarks.first_of_response(name)
        else:
            first = self.landmarks.first_of_item(name)
        if first is None:
            return False
        self.show_frame(first)
        return True

    def selected_subject(self) -> Subject:
        """The conversation item and response the selected frame is about: those it names,
        or the response that answered the turn it ended (a `response.create`)."""
        from rt_tui.inspector.landmarks import Subject, subject_of_text

        frame = self.selected_frame
        if frame is None:
            return Subject()
        subject = subject_of_text(self.store.frame_text(frame))
        return subject or Subject(response_id=self.latency.answering(frame))

    @property
    def frame_filter(self) -> FrameFilter:
        """The filter asked for last (its rows may still be being built)."""
        return self.store.wanted_filter

    def set_filter(self, frame_filter: FrameFilter, *, at_once: bool = False) -> None:
        """Show only the frames passing `frame_filter`: at once in a short session; over
        many frames, built in slices with the loop free in between (the socket, the audio
        and the keys wait for one slice at most), the rows changing once they are done."""
        self.filtering.set(frame_filter, at_once=at_once)

    # -- repaint -----------------------------------------------------------------------

    def _schedule_flush(self) -> None:
        if not self._flush_pending and self.is_mounted:
            self._flush_pending = True
            self._beat.request(self._flush)

    def _flush(self) -> None:
        self._flush_pending = False
        self.rows.sync()
        self._update_status()
        row = self.rows.cursor_row
        if self._detail_key(row) != self._shown_detail:
            self._show_detail(row)  # Only when new frames changed what it shows.

    def _update_status(self) -> None:
        store = self.store
        self.query_one(InspectorStatus).show(
            InspectorState(
                frames=store.frame_count,
                rows=store.row_count,
                filter_text=store.wanted_filter.describe(),
                filtering=store.filtering,
                fold_state=store.fold_state(),
                following=self.rows.follow,
            )
        )

    # -- the detail and zoom -----------------------------------------------------------

    def _detail_key(self, row: int | None) -> tuple[int, int, str] | None:
        """What the detail of view row `row` depends on: its frame, and for a group how
        many frames it holds and whether it is folded."""
        if row is None:
            return None
        shown = self.store.row(row)
        return shown.frame_index, shown.count, shown.fold

    def _show_detail(self, row: int | None) -> None:
        """Show the JSON of view row `row`, or hide the detail (and unzoom) for None."""
        self._shown_detail = self._detail_key(row)
        detail = self.detail
        if row is None:
            detail.remove_class("-shown")
            if detail.left_out:
                self.refresh_bindings()  # No `w` any more.
            detail.clear()
            if self.has_class("-zoomed"):
                self._set_zoom(False)
            self._layout_split()
            return
        detail.add_class("-shown")
        was_cut = bool(detail.left_out)
        from rt_tui.inspector.detail import row_detail  # with the first frame selected

        detail.show(row_detail(self.store, row))
        if bool(detail.left_out) != was_cut:
            self.refresh_bindings()  # `w` is offered while the detail is cut.
        self._layout_split()

    def _layout_split(self) -> None:
        """Share the height between rows and detail (the detail gets a usable part)."""
        rows = self.rows
        detail_shown = self.detail.has_class("-shown")
        if not detail_shown or self.has_class("-zoomed") or rows.is_maximized:
            rows.styles.height = "1fr"
        else:
            filter_box = self.query_one(FilterInput)
            shown_filter = 3 if filter_box.has_class("-shown") else 0
            available = self.content_region.height - 1 - shown_filter
            rows.styles.height = max(1, available - detail_height(available))

    def action_toggle_zoom(self) -> None:
        """Let the selected frame's detail fill the inspector, or bring the rows back."""
        if not self.has_class("-zoomed") and not self.detail.has_class("-shown"):
            self.notify("Select a frame to zoom into first.", severity="warning", timeout=3)
            return
        self._set_zoom(not self.has_class("-zoomed"))

    def action_show_whole(self) -> None:
        """Show all of the selected frame's detail when it was cut for its size."""
        self.detail.show_whole()
        self.refresh_bindings()

    def _set_zoom(self, zoomed: bool) -> None:
        """Zoom in or out, moving the focus to whichever of rows and detail stays shown."""
        focus_rows = self.rows.has_focus
        self.set_class(zoomed, "-zoomed")
        if zoomed and focus_rows:
            self.detail.focus()
        elif not zoomed and self.detail.has_focus:
            self.rows.focus()
        self._layout_split()

    @on(FrameRows.CursorMoved)
    def _on_cursor_moved(self, message: FrameRows.CursorMoved) -> None:
        message.stop()
        self._show_detail(self.rows.cursor_row)
        self._update_status()
        self.post_message(self.Selected(self, message.frame_index))

    # -- filter (`InspectorFilter`) ----------------------------------------------------

    def action_show_filter(self) -> None:
        """Show the filter box and type into it."""
        self.filtering.show_box()

    @on(Input.Changed, "#inspector-filter")
    def _on_filter_typed(self, message: Input.Changed) -> None:
        message.stop()
        self.filtering.typed()

    @on(Input.Submitted, "#inspector-filter")
    def _on_filter_submitted(self, message: Input.Submitted) -> None:
        message.stop()
        self.filtering.submitted()

    def action_clear_filter(self) -> None:
        """Show every frame again (types, text, direction and errors only all cleared)."""
        self.filtering.clear()
        self.notify("Filter cleared: showing every frame.", timeout=2)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_filter":
            return bool(self.store.wanted_filter.describe())  # Offered while a filter is on.
        if action == "show_whole":
            return bool(self.detail.left_out)
        if action == "fold_all":
            # 'Unfold all' while everything is folded, 'Fold all' otherwise.
            return parameters[0] is (self.store.fold_state() != "folded")
        return True

    def action_cycle_direction(self) -> None:
        """Show all → sent only → received only → all."""
        self.filtering.cycle_direction()

    def action_toggle_errors(self) -> None:
        """Show only errors (error events, failed responses, malformed frames) or everything."""
        self.filtering.toggle_errors()

    # -- folding -----------------------------------------------------------------------

    def action_toggle_fold(self) -> None:
        """Fold or unfold the selected run of deltas."""
        row = self.rows.cursor_row
        if row is None:
            return
        keep = self.store.toggle_fold(row)
        self.rows.cursor_frame = keep
        self.rows.resync_cursor()
        self._flush()
        self.refresh_bindings()

    def action_fold_all(self, fold: bool) -> None:
        """Fold (or unfold) every run of deltas."""
        self.store.set_fold_all(fold)
        self.rows.resync_cursor()
        self._flush()
        self.refresh_bindings()

    # -- copy and export ---------------------------------------------------------------

    def selected_text(self) -> str | None:
        """The selected row's frames as on the wire (a folded group: one frame a line)."""
        from rt_tui.inspector.export import row_text

        row = self.rows.cursor_row
        return None if row is None else row_text(self.store, row)

    def action_copy_frame(self) -> None:
        """Copy the selected frame's JSON to the clipboard (OSC 52, works over SSH)."""
        text = self.selected_text()
        if text is None:
            self.notify("Select a frame to copy first.", severity="warning", timeout=3)
            return
        self.app.copy_to_clipboard(text)
        self.notify(f"Copied {len(text):,} characters of JSON to the clipboard.", timeout=3)

    def action_export(self, filtered: bool) -> None:
        """Write the filtered view (or the whole log) to a JSONL file: where the user
        says, a new file in the sessions folder by default."""
        from rt_tui.tui.frames_export import start_frames_export

        start_frames_export(self, filtered=filtered)

    @on(Exported)
    def _on_exported(self, message: Exported) -> None:
        from rt_tui.inspector.export import Export

        self.notify(
            Export.done_text(message.path, message.count, message.total, message.description),
            title="Export",
            timeout=8,
        )
