"""Pilot tests of the event inspector in a tiny host app."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from conftest_app import screen_text, wait_for
from textual import messages, on
from textual.app import App, ComposeResult
from textual.binding import ActiveBinding
from textual.geometry import Region
from textual.message import Message
from textual.pilot import Pilot
from textual.screen import Screen
from textual.worker import Worker

from rt_tui.inspector import samples
from rt_tui.realtime.frames import Frame
from rt_tui.tui import jobs
from rt_tui.tui.widgets.frame_rows import FrameRows
from rt_tui.tui.widgets.inspector import EventInspector
from rt_tui.tui.widgets.inspector_status import InspectorStatus


class InspectorScreen(Screen[None]):
    """Just the inspector, reporting its jobs' failures as the main screen does."""

    def __init__(self, export_dir: Path) -> None:
        super().__init__()
        self.export_dir = export_dir

    def compose(self) -> ComposeResult:
        yield EventInspector(id="inspector", export_dir=self.export_dir)

    @on(Worker.StateChanged)
    def _on_worker_state(self, event: Worker.StateChanged) -> None:
        jobs.notify_failure(self, event)


class InspectorHost(App[None]):
    """Just the inspector, full screen, recording the messages it posts."""

    def __init__(self, export_dir: Path) -> None:
        super().__init__()
        self.export_dir = export_dir
        self.selections: list[int | None] = []
        self.exports: list[EventInspector.Exported] = []

    def get_default_screen(self) -> Screen[None]:
        return InspectorScreen(self.export_dir)

    def on_event_inspector_selected(self, message: EventInspector.Selected) -> None:
        self.selections.append(message.frame_index)

    def on_event_inspector_exported(self, message: EventInspector.Exported) -> None:
        self.exports.append(message)

    @property
    def inspector(self) -> EventInspector:
        return self.query_one(EventInspector)


def rows_of(app: InspectorHost) -> FrameRows:
    return app.query_one(FrameRows)


def mixed_frames() -> list[Frame]:
    return [
        samples.sent({"type": "session.update", "session": {"type": "realtime"}}, 1),
        samples.received(
            {"type": "session.updated", "event_id": "e1", "session": {"model": "gpt-realtime"}}, 5
        ),
        samples.text_delta("Hel", 10),
        samples.text_delta("lo!", 11),
        samples.received(
            {"type": "response.output_text.done", "item_id": "item_1", "text": "Hello!"}, 12
        ),
        samples.audio_delta(4800, 13),
        samples.audio_delta(4800, 14),
        samples.error_frame("invalid_event", "The 'type' field is missing.", 15),
    ]


async def test_frames_show_as_rows_and_follow_the_tail(tmp_path: Path) -> None:
    app = InspectorHost(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        for frame in mixed_frames():
            app.inspector.add_frame(frame)
        await wait_for(pilot, lambda: rows_of(app).virtual_size.height == 6)
        assert app.inspector.follow
        assert app.inspector.selected_frame is None
        lines = [rows_of(app).render_line(y).text for y in range(6)]
        assert "session.update" in lines[0]
        assert "→" in lines[0]
        assert "x2" in lines[2]
        assert "Hello!" in lines[2]
        assert "9600 B" in lines[4]
        assert "invalid_event" in lines[5]


async def test_a_tall_view_repaints_from_its_cached_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The row cache keeps at least two views' worth, however tall the terminal.
    app = InspectorHost(tmp_path)
    async with app.run_test(size=(100, 140)) as pilot:
        await add_and_settle(pilot, app, mixed_frames() * 60)
        rows = rows_of(app)
        await pilot.pause()
        drawn: list[int] = []
        render_row = rows._render_row

        def noting(row: Any, *args: Any) -> Any:
            drawn.append(row.frame_index)
            return render_row(row, *args)

        monkeypatch.setattr(rows, "_render_row", noting)
        rows.refresh()  # every line painted again, as after a scroll
        painted = rows.render_lines(Region(0, 0, *rows.size))
        assert len(painted) > 100
        assert drawn == []  # every line in view came from the cache


async def add_and_settle(pilot: Pilot[None], app: InspectorHost, frames: list[Frame]) -> None:
    for frame in frames:
        app.inspector.add_frame(frame)
    expected = app.inspector.store.row_count
    await wait_for(pilot, lambda: rows_of(app).virtual_size.height == expected)


async def test_cursor_selects_rows_and_detail_shows_pretty_json(tmp_path: Path) -> None:
    app = InspectorHost(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await add_and_settle(pilot, app, mixed_frames())
        rows_of(app).focus()
        await pilot.press("up")
        await wait_for(pilot, lambda: app.selections[-1:] == [7])
        assert app.inspector.follow  # the last row is selected: still following
        detail = app.inspector.detail
        assert detail.has_class("-shown")
        assert '"code": "invalid_event"' in detail.text
        await pilot.press("up", "up", "up")
        await wait_for(pilot, lambda: app.selections[-1:] == [2])
        assert not app.inspector.follow
        # A folded group shows its text so far.
        assert '"folded_frames": 2' in detail.text
        assert '"text": "Hello!"' in detail.text
        await pilot.press("home")
        await wait_for(pilot, lambda: app.selections[-1:] == [0])
        assert '"type": "session.update"' in detail.text
        # New frames do not move the cursor while paused; End resumes following.
        await add_and_settle(pilot, app, [samples.text_delta("later", 20, item_id="item_2")])
        assert app.inspector.selected_frame == 0
        await pilot.press("end")
        await wait_for(pilot, lambda: app.selections[-1:] == [8])
        assert app.inspector.follow
        await add_and_settle(pilot, app, [samples.error_frame("x", "again", 30)])
        await wait_for(pilot, lambda: app.inspector.selected_frame == 9)


async def test_audio_payload_is_shortened_on_screen_only(tmp_path: Path) -> None:
    app = InspectorHost(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await add_and_settle(pilot, app, [samples.audio_delta(4800, 1)])
        rows_of(app).focus()
        await pilot.press("up")
        await wait_for(pilot, lambda: app.inspector.selected_frame == 0)
        assert "<4800 bytes, 100 ms base64 audio>" in app.inspector.detail.text
        await pilot.press("c")
        copied = json.loads(app.clipboard)
        assert len(copied["delta"]) == 6400


async def test_copy_puts_the_selected_frame_on_the_clipboard(tmp_path: Path) -> None:
    app = InspectorHost(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        frames = mixed_frames()
        await add_and_settle(pilot, app, frames)
        rows_of(app).focus()
        await pilot.press("c")  # nothing selected yet: a warning, no copy
        assert app.clipboard == ""
        await pilot.press("up", "c")
        assert app.clipboard == frames[-1].data


async def test_filter_box_narrows_rows(tmp_path: Path) -> None:
    app = InspectorHost(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await add_and_settle(pilot, app, mixed_frames())
        rows_of(app).focus()
        await pilot.press("ctrl+f")
        await pilot.press(*"session.*")
        await pilot.press("enter")
        await wait_for(pilot, lambda: rows_of(app).virtual_size.height == 2)
        assert app.focused is rows_of(app)
        await pilot.press("d")  # sent only
        await wait_for(pilot, lambda: rows_of(app).virtual_size.height == 1)
        assert "session.update" in rows_of(app).render_line(0).text
        await pilot.press("d", "d")  # received, then all again
        await pilot.press("ctrl+f", "ctrl+a", "ctrl+k")
        await pilot.press(*"missing", "enter")  # free text
        await wait_for(pilot, lambda: rows_of(app).virtual_size.height == 1)
        assert "invalid_event" in rows_of(app).render_line(0).text


async def test_errors_only_key(tmp_path: Path) -> None:
    app = InspectorHost(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await add_and_settle(pilot, app, mixed_frames())
        rows_of(app).focus()
        await pilot.press("e")
        await wait_for(pilot, lambda: rows_of(app).virtual_size.height == 1)
        await pilot.press("e")
        await wait_for(pilot, lambda: rows_of(app).virtual_size.height == 6)


async def test_fold_keys_unfold_one_group_and_all(tmp_path: Path) -> None:
    app = InspectorHost(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await add_and_settle(pilot, app, mixed_frames())
        rows_of(app).focus()
        await pilot.press("home", "down", "down")
        await wait_for(pilot, lambda: app.inspector.selected_frame == 2)
        await pilot.press("f")
        await wait_for(pilot, lambda: rows_of(app).virtual_size.height == 7)
        assert "lo!" in rows_of(app).render_line(3).text
        await pilot.press("f")
        await wait_for(pilot, lambda: rows_of(app).virtual_size.height == 6)
        await pilot.press("F")
        await wait_for(pilot, lambda: rows_of(app).virtual_size.height == 8)
        assert not app.inspector.store.fold_all


async def test_clear_forgets_frames(tmp_path: Path) -> None:
    app = InspectorHost(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await add_and_settle(pilot, app, mixed_frames())
        rows_of(app).focus()
        await pilot.press("up")
        app.inspector.clear()
        await wait_for(pilot, lambda: rows_of(app).virtual_size.height == 0)
        assert app.inspector.selected_frame is None
        assert not app.inspector.detail.has_class("-shown")


async def test_a_burst_of_frames_causes_one_repaint(tmp_path: Path) -> None:
    app = InspectorHost(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        rows = rows_of(app)
        await pilot.pause()
        syncs: list[int] = []
        original = rows.sync

        def counting_sync() -> None:
            syncs.append(app.inspector.store.row_count)
            original()

        rows.sync = counting_sync  # type: ignore[method-assign]
        for k in range(500):
            app.inspector.add_frame(samples.error_frame("c", f"burst {k}", k))
        await wait_for(pilot, lambda: rows.virtual_size.height == 500)
        assert syncs == [500]


async def test_new_rows_ask_for_no_layout_of_the_screen(tmp_path: Path) -> None:
    # A layout repaints every widget on the screen: a stream of new rows must only repaint
    # the rows (once the scrollbar is there: its showing up asks for one).
    layouts: list[Message] = []

    def hook(message: Message) -> None:
        if isinstance(message, messages.Layout):
            layouts.append(message)

    app = InspectorHost(tmp_path)
    async with app.run_test(size=(100, 12), message_hook=hook) as pilot:
        rows = rows_of(app)
        for k in range(40):
            app.inspector.add_frame(samples.error_frame("c", f"burst {k}", k))
        await wait_for(pilot, lambda: rows.show_vertical_scrollbar, "the scrollbar")
        await pilot.pause()
        layouts.clear()
        for k in range(40, 60):
            app.inspector.add_frame(samples.error_frame("c", f"burst {k}", k))
            await wait_for(pilot, partial(_shows, app, f"burst {k}"), f"row {k}")
        assert layouts == []


def _shows(app: InspectorHost, text: str) -> bool:
    return text in screen_text(app)


async def test_rows_take_their_colours_from_a_new_theme(tmp_path: Path) -> None:
    # The rows look their part styles up once per style update: a new theme must show.
    app = InspectorHost(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await add_and_settle(pilot, app, mixed_frames())
        rows = rows_of(app)

        def time_colour() -> object:
            time_segment = next(iter(rows.render_line(0)))
            assert time_segment.style is not None
            return time_segment.style.color

        def wanted() -> object:
            return rows.get_component_rich_style("frame-rows--time").color

        before = time_colour()
        assert before == wanted()
        app.theme = "textual-light"
        await wait_for(pilot, lambda: wanted() != before, "the new theme")
        assert time_colour() == wanted()


async def test_clicking_a_row_selects_it(tmp_path: Path) -> None:
    app = InspectorHost(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await add_and_settle(pilot, app, mixed_frames())
        await pilot.click(FrameRows, offset=(10, 1))
        await wait_for(pilot, lambda: app.inspector.selected_frame == 1)
        assert "session.updated" in app.inspector.detail.text


async def test_a_burst_larger_than_the_view_shows_its_newest_rows(tmp_path: Path) -> None:
    # The first burst arrives before the rows have a scrollbar: the view must still
    # land on the tail, not stay on the first rows.
    app = InspectorHost(tmp_path)
    async with app.run_test(size=(100, 12)) as pilot:
        rows = rows_of(app)
        await pilot.pause()
        for k in range(40):
            app.inspector.add_frame(samples.error_frame("c", f"burst {k}", k))
        await wait_for(pilot, lambda: rows.virtual_size.height == 40)
        await pilot.pause()
        assert rows.max_scroll_y > 0
        assert rows.scroll_offset.y == rows.max_scroll_y
        visible = rows.scrollable_content_region.height
        assert "burst 39" in rows.render_line(visible - 1).text


async def test_a_long_type_keeps_its_end_in_a_narrow_pane(tmp_path: Path) -> None:
    app = InspectorHost(tmp_path)
    async with app.run_test(size=(56, 12)) as pilot:
        await add_and_settle(
            pilot, app, [samples.received({"type": "response.content_part.added"}, 1)]
        )
        line = rows_of(app).render_line(0).text
        assert "…content_part.added" in line


async def test_rows_after_clear_show_the_new_frames(tmp_path: Path) -> None:
    # Frame indices start again at 0 after a clear (a reconnect): nothing drawn for the
    # old session may come back.
    app = InspectorHost(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await add_and_settle(pilot, app, [samples.error_frame("old", "old session", 1)])
        assert "old session" in rows_of(app).render_line(0).text
        app.inspector.clear()
        await wait_for(pilot, lambda: rows_of(app).virtual_size.height == 0)
        await add_and_settle(pilot, app, [samples.error_frame("new", "new session", 1)])
        assert "new session" in rows_of(app).render_line(0).text


async def test_detail_gets_a_usable_share_and_zooms(tmp_path: Path) -> None:
    app = InspectorHost(tmp_path)
    async with app.run_test(size=(80, 14)) as pilot:
        await add_and_settle(pilot, app, mixed_frames())
        rows = rows_of(app)
        detail = app.inspector.detail
        rows.focus()
        await pilot.press("home")
        await wait_for(pilot, lambda: detail.outer_size.height >= 8 and rows.size.height >= 3)
        assert rows.cursor_row == 0
        assert rows.scroll_offset.y == 0
        await pilot.press("z")  # the detail fills the inspector
        await wait_for(pilot, lambda: not rows.display and detail.outer_size.height == 11)
        assert app.focused is detail
        await pilot.press("z")  # and gives the rows back
        await wait_for(pilot, lambda: rows.display and rows.size.height >= 3)
        # mypy keeps `app.focused` narrowed to the detail from before the key press.
        assert app.focused is rows  # type: ignore[comparison-overlap]
        # The palette's Maximize works on the detail and fills the screen.
        detail.focus()
        await pilot.pause()
        assert app.screen.maximize(detail)
        await wait_for(pilot, lambda: detail.outer_size.height == 14)
        app.screen.minimize()
        await wait_for(pilot, lambda: detail.outer_size.height < 14)


def test_detail_height_shares() -> None:
    from rt_tui.tui.widgets.inspector import detail_height

    assert detail_height(11) == 8  # rows keep 3
    assert detail_height(40) == 24
    assert detail_height(5) == 3
    assert detail_height(1) == 0


async def test_long_strings_wrap_in_the_detail(tmp_path: Path) -> None:
    app = InspectorHost(tmp_path)
    long_text = " ".join(f"word{k}" for k in range(60)) + " THE-END"
    async with app.run_test(size=(60, 30)) as pilot:
        await add_and_settle(
            pilot,
            app,
            [samples.received({"type": "response.output_text.done", "text": long_text}, 1)],
        )
        rows_of(app).focus()
        await pilot.press("home", "z")
        await wait_for(pilot, lambda: "THE-END" in screen_text(app))
        text = screen_text(app)
        assert "word0" in text
        assert "word30" in text


async def test_filter_bar_closes_and_the_filter_clears(tmp_path: Path) -> None:
    app = InspectorHost(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await add_and_settle(pilot, app, mixed_frames())
        rows = rows_of(app)
        box = app.query_one("#inspector-filter")
        rows.focus()
        await pilot.press("ctrl+f", *"session.*", "enter")
        await wait_for(pilot, lambda: rows.virtual_size.height == 2)
        assert not box.has_class("-shown")  # closed, the filter still on
        assert "session.*" in app.query_one(InspectorStatus).render_line(0).text
        await pilot.press("ctrl+f", "end", "x", "escape")  # Esc applies and closes too
        await wait_for(pilot, lambda: app.inspector.frame_filter.query == "session.*x")
        assert not box.has_class("-shown")
        assert app.focused is rows
        await pilot.press("ctrl+f", "ctrl+u", "enter")  # ctrl+u empties the box
        await wait_for(pilot, lambda: rows.virtual_size.height == 6)
        await pilot.press("e")
        await wait_for(pilot, lambda: rows.virtual_size.height == 1)
        await pilot.press("backspace")  # clears every part of the filter
        await wait_for(pilot, lambda: rows.virtual_size.height == 6)
        assert not app.inspector.frame_filter.describe()


async def test_the_selected_row_stays_in_view_when_the_detail_opens(tmp_path: Path) -> None:
    app = InspectorHost(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        frames = [samples.error_frame("c", f"frame {k}", k) for k in range(12)]
        await add_and_settle(pilot, app, frames)
        rows = rows_of(app)
        rows.focus()
        await pilot.press("up")  # selects the last row; the detail takes most lines
        await wait_for(pilot, lambda: app.inspector.detail.outer_size.height >= 8)
        await pilot.pause()
        top = round(rows.scroll_offset.y)
        assert top <= 11 < top + rows.scrollable_content_region.height


async def test_fold_label_says_what_it_does_and_status_is_truthful(tmp_path: Path) -> None:
    app = InspectorHost(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await add_and_settle(pilot, app, mixed_frames())
        rows_of(app).focus()
        status = app.query_one(InspectorStatus)

        def fold_label() -> str:
            return next(
                a.binding.description
                for a in app.screen.active_bindings.values()
                if a.binding.key == "F"
            )

        await pilot.pause()
        assert fold_label() == "Unfold all"
        await pilot.press("home", "down", "down", "f")  # unfold one group of two
        await wait_for(pilot, lambda: "some folded" in status.render_line(0).text)
        assert "7 rows" in status.render_line(0).text
        assert fold_label() == "Fold all"
        await pilot.press("F")
        await wait_for(pilot, lambda: "· folded" in status.render_line(0).text)
        assert fold_label() == "Unfold all"


async def test_a_filter_matching_nothing_says_so(tmp_path: Path) -> None:
    app = InspectorHost(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await add_and_settle(pilot, app, mixed_frames())
        rows_of(app).focus()
        await pilot.press("ctrl+f", *"nothing.like.this", "enter")
        await wait_for(pilot, lambda: rows_of(app).virtual_size.height == 0)
        await pilot.pause()
        line = rows_of(app).render_line(0).text
        assert "No frame matches the filter (nothing.like.this)" in line
        assert "0 rows" in app.query_one(InspectorStatus).render_line(0).text


async def test_a_growing_group_repaints_its_row_and_the_status_line_follows(
    tmp_path: Path,
) -> None:
    """New deltas of a folded group repaint only the lines that changed: what the screen
    shows must still be the new count and text, and the status line the new totals."""
    app = InspectorHost(tmp_path)
    async with app.run_test(size=(100, 20)) as pilot:

        async def shown(*texts: str) -> None:
            await wait_for(pilot, lambda: all(t in screen_text(app) for t in texts), str(texts))

        app.inspector.add_frames([samples.received({"type": "response.created"}, 1)])
        app.inspector.add_frames([samples.text_delta("Hel", 2), samples.text_delta("lo", 3)])
        await shown("x2 Hello", "3 frames · 2 rows · folded · following")

        app.inspector.add_frames([samples.text_delta(w, 4 + n) for n, w in enumerate("abc")])
        await shown("x5 Helloabc", "6 frames · 2 rows · folded · following")

        rows_of(app).focus()
        await pilot.press("home")
        await shown("6 frames · 2 rows · folded · paused (End follows)")
        app.inspector.add_frames([samples.text_delta("d", 9)])
        await shown("x6 Helloabcd", "7 frames · 2 rows · folded · paused (End follows)")


async def test_a_huge_frame_shows_cut_with_its_size_and_whole_on_demand(tmp_path: Path) -> None:
    app = InspectorHost(tmp_path)
    story = " ".join(f"word{n}" for n in range(400_000))  # About 4 MB.
    async with app.run_test(size=(100, 30)) as pilot:
        await add_and_settle(pilot, app, [samples.text_delta(story, 1)])
        rows_of(app).focus()
        await pilot.press("up")
        detail = app.inspector.detail
        await wait_for(pilot, lambda: detail.has_class("-shown"), "the detail")
        assert "… 4.0 MB more, 4.1 MB in all: w shows all of it" in detail.text
        assert len(detail.text) < 70_000
        assert "word0 word1" in screen_text(app)
        assert "Whole frame" in [a.binding.description for a in _enabled_bindings(app)]

        await pilot.press("w")
        await wait_for(pilot, lambda: detail.whole, "the whole frame")
        assert "word399999" in detail.text
        assert "MB in all" not in detail.text
        assert "Whole frame" not in [a.binding.description for a in _enabled_bindings(app)]
        await pilot.press("end")
        await wait_for(pilot, lambda: "word399999" in screen_text(app), "its end on screen")


def _enabled_bindings(app: InspectorHost) -> list[ActiveBinding]:
    return [a for a in app.screen.active_bindings.values() if a.enabled]


async def test_showing_a_frame_selects_it_and_clears_a_filter_that_hides_it(
    tmp_path: Path,
) -> None:
    app = InspectorHost(tmp_path)
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        frames = mixed_frames()
        await add_and_settle(pilot, app, frames)
        inspector = app.inspector
        inspector.show_frame(3)  # The second text delta: its folded group's row.
        await wait_for(pilot, lambda: inspector.selected_frame == 2, "the group's row")
        assert not inspector.follow
        assert inspector.selected_subject().item_id == "item_1"
        assert inspector.show_entry(("item", "item_1"))
        assert not inspector.show_entry(("response", "nope"))

        rows_of(app).focus()
        await pilot.press("e")  # Errors only: the session.update row is hidden.
        await wait_for(pilot, lambda: inspector.store.row_count == 1, "the errors only")
        inspector.show_frame(0)
        await wait_for(pilot, lambda: inspector.selected_frame == 0, "the hidden frame")
        assert not inspector.frame_filter.describe()
        assert any("showing every frame" in n.message for n in app._notifications)
