"""Frames waiting for the screen's next beat: taken in order, a reply's end sooner."""

from __future__ import annotations

from collections.abc import Callable

from rt_tui.inspector import samples
from rt_tui.realtime.frames import Frame
from rt_tui.tui.frame_intake import FULL_BYTES, FULL_FRAMES, QUIET_S, FrameIntake
from rt_tui.tui.messages import FrameBatch

DONE = samples.received({"type": "response.done", "response": {"id": "resp_1"}})


class Later:
    """Stands for the loop's call_later: the test says when the time has come."""

    def __init__(self) -> None:
        self.waiting: list[Callable[[], object]] = []
        self.cancelled = 0

    def __call__(self, delay: float, callback: Callable[[], object]) -> Later:
        assert delay == QUIET_S
        self.waiting.append(callback)
        return self

    def cancel(self) -> None:
        self.cancelled += 1
        self.waiting.clear()

    def run(self) -> None:
        callbacks, self.waiting = self.waiting, []
        for callback in callbacks:
            callback()


def _intake() -> tuple[FrameIntake, Later, list[str]]:
    later, settled = Later(), []
    return FrameIntake(lambda: settled.append("now"), later), later, settled


def _deltas(count: int) -> list[Frame]:
    return [samples.text_delta(f"w{n} ", n) for n in range(count)]


def test_frames_are_taken_in_order_from_the_current_session_only() -> None:
    intake, later, _ = _intake()
    session, old = object(), object()
    first, second = FrameBatch(_deltas(2), session), FrameBatch([DONE], session)
    stale = FrameBatch(_deltas(1), old)
    for batch in (first, stale, second):
        intake.add(batch)
    assert intake.take(session) == [*first.frames, DONE]
    assert first.taken
    assert second.taken
    assert not intake
    assert later.cancelled == 1  # Nothing waits: no more looks.
    assert later.waiting == []


def test_a_reply_that_ended_is_taken_once_nothing_followed_it() -> None:
    intake, later, settled = _intake()
    batch = FrameBatch(_deltas(3), None)
    intake.add(batch)
    later.run()  # Frames came since: not quiet, and no reply ended.
    batch.frames.append(DONE)
    later.run()  # A reply ended, but it just came.
    assert settled == []
    later.run()  # Nothing since.
    assert settled == ["now"]


def test_frames_that_keep_coming_or_end_no_reply_wait_for_the_beat() -> None:
    intake, later, settled = _intake()
    batch = FrameBatch(_deltas(1), None)
    intake.add(batch)
    for n in range(5):
        later.run()
        batch.frames.append(samples.text_delta("more", n))
    later.run()
    later.run()  # Quiet now, but no reply ended: the beat takes them.
    assert settled == []
    batch.frames.append(DONE)
    intake.add(FrameBatch(_deltas(1), None))  # A second batch, after the first.
    later.run()
    later.run()
    assert settled == ["now"]


def test_a_flood_is_taken_once_enough_of_it_waits_not_a_beat_later() -> None:
    # Audio as fast as the socket gives it: a beat's worth would be tens of MB waiting,
    # a high-water mark the process keeps.
    later, full, settled = Later(), [], []
    intake = FrameIntake(lambda: settled.append("now"), later, on_full=lambda: full.append(1))
    batch = FrameBatch([samples.text_delta("x" * (FULL_BYTES // 4), 0)], None)
    intake.add(batch)
    later.run()
    assert full == []  # A quarter of the limit waits: the beat takes it.
    batch.frames += [samples.text_delta("x" * (FULL_BYTES // 4), n) for n in range(1, 4)]
    later.run()
    assert full == [1]
    assert settled == []
    assert later.waiting == []  # Taken now: no more looks until new frames come.


def test_a_reply_that_ends_a_flood_shows_once_nothing_follows_it() -> None:
    # Taken with the flood's last frames, not on a beat: its panes would wait for one.
    later, settled = Later(), []
    intake = FrameIntake(
        lambda: settled.append("now"), later, on_full=lambda: taken.extend(intake.take(None))
    )
    taken: list[Frame] = []
    flood = [samples.text_delta("x" * (FULL_BYTES // 2), n) for n in range(2)]
    intake.add(FrameBatch([*flood, DONE], None))
    later.run()
    assert taken == [*flood, DONE]
    assert settled == []
    later.run()  # Nothing since.
    assert settled == ["now"]

    intake.add(FrameBatch(list(flood), None))  # A flood with no reply's end in it
    later.run()
    assert later.waiting == []  # Taken now: no more looks until new frames come.
    assert settled == ["now"]


def test_a_flood_of_small_frames_is_taken_once_enough_of_them_wait() -> None:
    # Text deltas faster than any real stream: thousands a beat, few bytes each.
    later, full, settled = Later(), [], []
    intake = FrameIntake(lambda: settled.append("now"), later, on_full=lambda: full.append(1))
    batch = FrameBatch(_deltas(FULL_FRAMES - 1), None)
    intake.add(batch)
    later.run()
    assert full == []  # a beat's worth of a fast stream waits for the beat
    batch.frames.append(samples.text_delta("one more", 0))
    later.run()
    assert full == [1]
