"""Frames waiting for the screen's next beat: taken in order, a reply's end sooner, and a
flood before it piles up; no timer runs for frames that only wait for the beat."""

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
        self.waiting: list[Timer] = []
        self.cancelled = 0

    def __call__(self, delay: float, callback: Callable[[], object]) -> Timer:
        assert delay in (0, QUIET_S)  # a flood's taking at once; a reply's end's quiet
        timer = Timer(self, callback)
        self.waiting.append(timer)
        return timer

    def run(self) -> None:
        """Run the timers set so far (not those they set), skipping any cancelled
        meanwhile."""
        timers, self.waiting = self.waiting, []
        for timer in timers:
            if not timer.cancelled:
                timer.callback()


class Timer:
    def __init__(self, later: Later, callback: Callable[[], object]) -> None:
        self.later, self.callback, self.cancelled = later, callback, False

    def cancel(self) -> None:
        self.cancelled = True
        self.later.cancelled += 1
        if self in self.later.waiting:
            self.later.waiting.remove(self)


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
    assert stale.taken  # Its worker's next frames start a batch the screen drops.
    assert not intake
    assert later.cancelled == 1  # The reply's end's quiet timer: taken, nothing to wait for.
    assert later.waiting == []


def test_frames_that_only_wait_for_the_beat_set_no_timer() -> None:
    # A stream's deltas: a timer per few milliseconds while they waited cost ~4 % of the
    # app's CPU.
    intake, later, settled = _intake()
    batch = FrameBatch(_deltas(1), None)
    intake.add(batch)
    for n in range(50):
        batch.add(samples.text_delta("more", n))
    intake.add(FrameBatch(_deltas(3), None))
    assert later.waiting == []
    assert settled == []
    assert len(intake.take(None)) == 54


def test_a_reply_that_ended_is_taken_once_nothing_followed_it() -> None:
    intake, later, settled = _intake()
    batch = FrameBatch(_deltas(3), None)
    intake.add(batch)
    batch.add(DONE)
    assert settled == []
    later.run()  # Nothing since.
    assert settled == ["now"]
    assert later.waiting == []


def test_frames_after_a_reply_s_end_put_off_taking_it_until_they_stop() -> None:
    intake, later, settled = _intake()
    batch = FrameBatch(_deltas(1), None)
    intake.add(batch)
    batch.add(DONE)
    batch.add(samples.text_delta("next", 9))
    later.run()  # Frames came since the end: the socket is not quiet yet.
    assert settled == []
    intake.add(FrameBatch(_deltas(2), None))  # A second batch, after the first.
    later.run()
    assert settled == []
    later.run()
    assert settled == ["now"]


def test_frames_that_joined_a_batch_on_its_way_count_when_it_arrives() -> None:
    intake, later, settled = _intake()
    intake.add(FrameBatch([*_deltas(2), DONE], None))
    later.run()
    assert settled == ["now"]


def test_a_flood_is_taken_once_enough_of_it_waits_not_a_beat_later() -> None:
    # Audio as fast as the socket gives it: a beat's worth would be tens of MB waiting,
    # a high-water mark the process keeps.
    later, full, settled = Later(), [], []
    intake = FrameIntake(lambda: settled.append("now"), later, on_full=lambda: full.append(1))
    batch = FrameBatch([samples.text_delta("x" * (FULL_BYTES // 4), 0)], None)
    intake.add(batch)
    assert later.waiting == []  # A quarter of the limit waits: the beat takes it.
    for n in range(1, 4):
        batch.add(samples.text_delta("x" * (FULL_BYTES // 4), n))
    assert full == []  # Not inside the socket's read, which is adding the frames.
    later.run()
    assert full == [1]
    assert settled == []
    assert later.waiting == []


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
    assert later.waiting == []  # Taken now: no timer until new frames come.
    assert settled == ["now"]


def test_a_flood_of_small_frames_is_taken_once_enough_of_them_wait() -> None:
    # Text deltas faster than any real stream: thousands a beat, few bytes each.
    later, full, settled = Later(), [], []
    intake = FrameIntake(lambda: settled.append("now"), later, on_full=lambda: full.append(1))
    batch = FrameBatch(_deltas(FULL_FRAMES - 1), None)
    intake.add(batch)
    assert later.waiting == []  # a beat's worth of a fast stream waits for the beat
    batch.add(samples.text_delta("one more", 0))
    later.run()
    assert full == [1]
