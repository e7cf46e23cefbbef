"""A filter over a long session's frames, in the app: built in slices with the event loop
running between them, then shown."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from conftest_app import screen_text, wait_for
from test_inspector import InspectorHost, rows_of

from rt_tui.inspector import samples
from rt_tui.inspector.filtering import FrameFilter
from rt_tui.inspector.store import FrameStore

FRAMES = 20_000
QUERY = "response.done"


async def test_a_filter_over_many_frames_lets_the_loop_run_between_slices_then_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    frames = list(samples.session(FRAMES))
    reference = FrameStore()
    for frame in frames:
        reference.append(frame)
    reference.set_filter(FrameFilter(QUERY))

    app = InspectorHost(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        store = app.inspector.store
        app.inspector.add_frames(frames)
        await wait_for(pilot, lambda: rows_of(app).virtual_size.height == store.row_count)
        rows_of(app).focus()

        # At each slice, queue a callback on the loop; at the next, note whether it ran:
        # it did only if the loop got its turn in between.
        loop_ran: list[bool] = []
        queued_ran = [True]
        slice_of_filter = store.filter_step

        def noted_slice(*args: Any, **kwargs: Any) -> bool:
            loop_ran.append(queued_ran[0])
            queued_ran[0] = False
            asyncio.get_running_loop().call_soon(queued_ran.__setitem__, 0, True)
            return slice_of_filter(*args, **kwargs)

        monkeypatch.setattr(store, "filter_step", noted_slice)
        await pilot.press("ctrl+f", *QUERY, "enter")
        await wait_for(pilot, lambda: store.filter == FrameFilter(QUERY), "the filter")

        assert len(loop_ran) >= FRAMES // 4096  # sliced ...
        assert all(loop_ran)  # ... with the loop's turn between any two slices
        # The rows are those of the filter applied at once, and the screen shows them.
        assert [store.frame_at_row(r) for r in range(store.row_count)] == [
            reference.frame_at_row(r) for r in range(reference.row_count)
        ]
        await wait_for(pilot, lambda: rows_of(app).virtual_size.height == reference.row_count)
        await wait_for(pilot, lambda: f"filter: {QUERY}" in screen_text(app), "the status")
        assert f"{reference.row_count:,} rows" in screen_text(app)
        assert "response.done" in rows_of(app).render_line(0).text
