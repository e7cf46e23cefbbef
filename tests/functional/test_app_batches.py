"""Frames reach the screen in batches: a batch shows exactly what its frames shown one by one
show, in the same order, in both panes."""

from __future__ import annotations

from pathlib import Path

from conftest_app import main_screen, offline_app, screen_text, wait_for
from textual.pilot import Pilot

from rt_tui.realtime.frames import Frame
from rt_tui.realtime.recorder import read_log
from rt_tui.tui.messages import FrameBatch, SessionLost

SESSION = Path(__file__).parent.parent / "fixtures" / "sessions" / "text_session.jsonl"


async def _shown(pilot: Pilot[int], batches: list[list[Frame]]) -> str:
    """The screen once these batches are in and drawn."""
    screen = main_screen(pilot)
    for batch in batches:
        screen.post_message(FrameBatch(batch, screen.session))
    total = sum(len(batch) for batch in batches)
    await wait_for(pilot, lambda: len(screen.inspector.store) == total, "the frames")
    await wait_for(pilot, lambda: not screen.pane.busy, "the conversation")
    # The status bar (above the footer) repaints its token count on its own half-second
    # tick; the inspector's rows may say "tok" before it does.
    await wait_for(
        pilot, lambda: " tok" in screen_text(pilot.app).splitlines()[-2], "the token count"
    )
    await pilot.pause()
    return screen_text(pilot.app)


async def test_one_batch_shows_what_its_frames_one_by_one_show(tmp_path: Path) -> None:
    frames = [record.to_frame() for record in read_log(SESSION)]
    shown = []
    for batches in ([[frame] for frame in frames], [frames]):
        app = offline_app(tmp_path, clock=lambda: 0.0)
        async with app.run_test(size=(160, 60)) as pilot:
            shown.append(await _shown(pilot, batches))
            screen = main_screen(pilot)
            store = screen.inspector.store
            assert [store.wire_type(i) for i in range(len(store))] == [f.wire_type for f in frames]
    one_by_one, batched = shown
    assert "And if I send a bad event?" in batched
    assert batched == one_by_one


async def test_frames_that_came_before_the_session_was_lost_are_cut_off_with_it(
    tmp_path: Path,
) -> None:
    # Frames wait for the screen's next beat; the worker's word that the socket was lost
    # comes after them and must find them taken, or what they started is not cut off.
    frames = [record.to_frame() for record in read_log(SESSION)][:12]  # Mid-reply.
    app = offline_app(tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = main_screen(pilot)
        # The first batch is taken at once (the beat was idle); the rest then waits for
        # the next beat, and the worker's word comes before it.
        screen.post_message(FrameBatch(frames[:1], screen.session))
        screen.post_message(FrameBatch(frames[1:], screen.session))
        screen.post_message(SessionLost("The connection dropped.", screen.session))
        await wait_for(pilot, lambda: len(screen.inspector.store) == len(frames), "the frames")
        await wait_for(pilot, lambda: not screen.pane.busy, "the conversation")
        (response,) = screen.conversation.responses.values()
        assert (response.status, response.status_reason) == ("incomplete", "interrupted")
        text = screen.pane.text()
        assert text.index("A text reply streams") < text.index("Reconnecting")
