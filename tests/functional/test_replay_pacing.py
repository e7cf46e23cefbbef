"""`rt-tui replay LOG --speed 1|10` in the TUI: frames at their recorded pace, with pause
(F6) and steps (F7 a frame, F9 a response) — checked by order and by what a pause holds
back, never by the clock."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from conftest_app import main_screen, offline_app, screen_text, wait_for
from textual.pilot import Pilot

from rt_tui.inspector import samples
from rt_tui.inspector.logs import ReplayPlan, check_log
from rt_tui.inspector.playback import play_times
from rt_tui.realtime.recorder import SessionRecorder, read_log
from rt_tui.tui.replay import replay_finished

FIXTURE = Path(__file__).parent.parent / "fixtures" / "sessions" / "text_session.jsonl"
HOUR_MS = 3_600_000.0


def _hours_apart(path: Path) -> list[str]:
    """A log of three turns whose frames lie an hour apart (the times restarting at 0
    once, as after a reconnect); returns the wire types in order."""
    frames = [f for turn in range(3) for f in samples.conversation_turn(0, 5, audio=False)]
    times = [i * HOUR_MS for i in range(8)] + [i * HOUR_MS for i in range(len(frames) - 8)]
    with SessionRecorder(path, url="ws://127.0.0.1:1/v1/realtime?model=m", dialect="ga") as rec:
        for frame, t_ms in zip(frames, times, strict=True):
            rec.write(dataclasses.replace(frame, t_ms=t_ms))
    return [f.wire_type for f in frames]


def _shown(pilot: Pilot[int]) -> list[str]:
    store = main_screen(pilot).inspector.store
    return [store.wire_type(i) for i in range(len(store))]


def test_play_times_run_on_across_a_restart() -> None:
    assert list(play_times([0, 5, 9, 0, 3, 2])) == [0, 5, 9, 9, 12, 12]


async def test_paused_shows_nothing_new_until_a_step(tmp_path: Path) -> None:
    log = tmp_path / "slow.jsonl"
    types = _hours_apart(log)
    info = check_log(log)
    assert info.duration_ms == 13 * HOUR_MS  # the restart runs on from 7 h
    app = offline_app(tmp_path, replay=ReplayPlan(info, speed=1.0))
    async with app.run_test(size=(140, 40)) as pilot:
        screen = main_screen(pilot)
        await wait_for(pilot, lambda: len(screen.inspector.store) == 1, "the first frame")
        await pilot.press("f6")
        await wait_for(pilot, lambda: "paused" in screen.status.detail, "the pause")
        assert re.fullmatch(
            r"1\N{MULTIPLICATION SIGN} · \d+\.\d s / 46800\.0 s · paused · "
            r"slow\.jsonl \(127\.0\.0\.1:1\)",
            screen.status.detail,
        )

        await pilot.press("f7")
        await wait_for(pilot, lambda: len(screen.inspector.store) == 2, "one step")
        await pilot.pause()
        assert _shown(pilot) == types[:2]

        await pilot.press("f9")  # through the first response.done
        done = types.index("response.done") + 1
        await wait_for(pilot, lambda: len(screen.inspector.store) == done, "a response's step")
        for _ in range(5):
            await pilot.pause()
        assert _shown(pilot) == types[:done]
        assert f" {(done - 1) * 3600:.1f} s / 46800.0 s · paused" in screen.status.detail
        assert not replay_finished(screen)


async def test_resumed_at_ten_times_every_frame_comes_in_order(tmp_path: Path) -> None:
    records = list(read_log(FIXTURE))
    app = offline_app(tmp_path, replay=ReplayPlan(check_log(FIXTURE), speed=10.0))
    async with app.run_test(size=(140, 40)) as pilot:
        screen = main_screen(pilot)
        await pilot.press("f6", "f6")  # pause and resume
        await wait_for(pilot, lambda: replay_finished(screen), "the replay to end")
        store = screen.inspector.store
        assert [store.t_ms(i) for i in range(len(store))] == [r.t_ms for r in records]
        assert "· ended ·" in screen.status.detail


async def test_the_footer_shows_the_replay_keys_first_and_f10_changes_the_speed(
    tmp_path: Path,
) -> None:
    log = tmp_path / "slow.jsonl"
    _hours_apart(log)
    app = offline_app(tmp_path, replay=ReplayPlan(check_log(log), speed=1.0))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = main_screen(pilot)
        await wait_for(pilot, lambda: len(screen.inspector.store) == 1, "the first frame")
        await wait_for(pilot, lambda: "Pause" in screen_text(pilot.app), "the footer's keys")
        footer = screen_text(pilot.app).splitlines()[-1]
        assert footer.startswith("f6 Pause f7 Step f9 Step response f10 Speed ")

        await pilot.press("f10")
        ten_times = "10\N{MULTIPLICATION SIGN}"
        await wait_for(pilot, lambda: screen.status.detail.startswith(ten_times), "10x")
        await pilot.press("f10")  # at once: the hours between the frames go by unwaited
        await wait_for(pilot, lambda: replay_finished(screen), "the replay to end")
        assert screen.status.detail.startswith("max · 46800.0 s / 46800.0 s · ended")
        # Nothing is left to pause or step: the keys leave the footer.
        await wait_for(pilot, lambda: "Pause" not in screen_text(pilot.app), "the keys to go")
