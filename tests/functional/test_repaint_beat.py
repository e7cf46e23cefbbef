"""The repaint beat: work asked for runs once a beat, together, at once when the beat idled."""

from __future__ import annotations

import asyncio
import threading

from conftest_app import wait_for
from textual.app import App, ComposeResult
from textual.widgets import Label, Static

from rt_tui.tui.widgets.repaint_beat import RepaintBeat


class Clock:
    """A monotonic clock that only moves when told."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


async def test_work_asked_for_together_runs_once_each_in_order_at_once() -> None:
    app: App[None] = App()
    ran: list[str] = []
    async with app.run_test() as pilot:
        beat = RepaintBeat(app, period=60.0, clock=Clock())

        def a() -> None:
            ran.append("a")

        def b() -> None:
            ran.append("b")

        for work in (a, b, a):
            beat.request(work)
        await wait_for(pilot, lambda: not beat.pending, "the beat")
        assert ran == ["a", "b"]


async def test_work_waits_a_period_after_a_beat_unless_the_beat_idled_that_long() -> None:
    app: App[None] = App()
    ran: list[str] = []
    clock = Clock()
    async with app.run_test() as pilot:
        beat = RepaintBeat(app, period=60.0, clock=clock)
        beat.request(lambda: ran.append("first"))
        await wait_for(pilot, lambda: ran == ["first"], "the first beat")

        clock.now += 60.0  # The beat idled a whole period: the next runs at once.
        beat.request(lambda: ran.append("after a period"))
        await wait_for(pilot, lambda: "after a period" in ran, "a beat after a period")

        beat.request(lambda: ran.append("too soon"))
        for _ in range(3):
            await pilot.pause()
        assert "too soon" not in ran  # Held for a period (of a clock that does not move).
        assert beat.pending


async def test_work_asked_for_by_a_beat_runs_in_it_and_itself_again_on_the_next() -> None:
    app: App[None] = App()
    ran: list[str] = []
    async with app.run_test() as pilot:
        beat = RepaintBeat(app, period=60.0, clock=Clock())

        def take() -> None:
            ran.append("take")
            beat.request(draw)  # As the frames a beat takes ask the panes to redraw.

        def draw() -> None:
            ran.append("draw")
            beat.request(draw)  # Work left over: the next beat, not this one again.

        beat.request(take)
        await wait_for(pilot, lambda: ran == ["take", "draw"], "one beat")
        for _ in range(3):
            await pilot.pause()
        assert ran == ["take", "draw"]
        assert beat.pending


async def test_hurried_the_beat_set_for_later_runs_at_once() -> None:
    app: App[None] = App()
    ran: list[str] = []
    async with app.run_test() as pilot:
        beat = RepaintBeat(app, period=60.0, clock=Clock())
        beat.request(lambda: ran.append("first"))
        await wait_for(pilot, lambda: ran == ["first"], "the first beat")
        beat.request(lambda: ran.append("a reply's end"))
        await pilot.pause()
        assert ran == ["first"]  # Set for a minute later.
        beat.hurry()
        await wait_for(pilot, lambda: ran == ["first", "a reply's end"], "the hurried beat")
        beat.hurry()  # Nothing set: nothing to hurry.
        await pilot.pause()
        assert ran == ["first", "a reply's end"]


async def test_slowed_down_the_next_beat_waits_a_floods_period_and_the_one_after_does_not() -> None:
    app: App[None] = App()
    ran: list[str] = []
    clock = Clock()
    async with app.run_test() as pilot:
        beat = RepaintBeat(app, period=0.02, flood_period=60.0, clock=clock)
        beat.request(lambda: ran.append("first"))
        await wait_for(pilot, lambda: ran == ["first"], "the first beat")
        beat.request(lambda: ran.append("in a flood"))  # set for 20 ms later
        beat.slow_down()  # now for a minute after the first
        await asyncio.sleep(0.2)
        assert ran == ["first"]
        beat.hurry()  # a reply's end is not held back
        await wait_for(pilot, lambda: ran[-1:] == ["in a flood"], "the hurried beat")

        beat.request(lambda: ran.append("after the flood"))  # the usual period again
        await wait_for(pilot, lambda: ran[-1:] == ["after the flood"], "a usual beat")


async def test_a_beat_set_for_later_comes_however_the_loop_is_held_up() -> None:
    # A Textual timer whose moment passes between two readings of its clock is lost; a
    # thread holding the GIL holds the loop up there now and then (about one beat in 25
    # set a microsecond ahead was lost so): the beat stayed due, and nothing ran again.
    app: App[None] = App()
    done = threading.Event()
    holder = threading.Thread(target=_hold_the_gil, args=(done,), daemon=True)
    clock = Clock()
    async with app.run_test() as pilot:
        holder.start()
        try:
            beat = RepaintBeat(app, period=1e-6, clock=clock)
            beats: list[None] = []
            for number in range(1, 201):
                beat.request(lambda: beats.append(None))  # a microsecond after the last
                await asyncio.sleep(0.002)  # mostly enough: wait_for polls only every 10 ms

                def came(count: int = number) -> bool:
                    return len(beats) == count

                await wait_for(pilot, came, f"beat {number}")
        finally:
            done.set()
            holder.join()


def _hold_the_gil(done: threading.Event) -> None:
    while not done.is_set():
        pass


class Pane(Static):
    """Work that needs the widget's children, as the panes' redraws do."""

    def compose(self) -> ComposeResult:
        yield Label("row")

    redrawn = False

    def redraw(self) -> None:
        self.query_one(Label).update("redrawn")
        self.redrawn = True


async def test_work_of_a_widget_being_taken_down_is_left_out() -> None:
    # Quitting takes the panes down while a beat may be due: their redraw would find its
    # children gone (NoMatches, and the app ends on a traceback).
    app: App[None] = App()
    async with app.run_test() as pilot:
        pane, other = Pane(), Pane()
        await app.screen.mount_all([pane, other])
        beat = RepaintBeat(app, period=60.0, clock=Clock())
        ran: list[str] = []
        beat.request(lambda: ran.append("before"))
        beat.request(pane.redraw)
        beat.request(other.redraw)
        beat.request(lambda: ran.append("after"))
        pane.remove()  # Taken down before the beat comes.
        await wait_for(pilot, lambda: not beat.pending, "the beat")
        assert ran == ["before", "after"]
        assert (pane.redrawn, other.redrawn) == (False, True)
