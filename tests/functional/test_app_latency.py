"""The latency screen, through the real app: live against the paced mock, and on a replay."""

from __future__ import annotations

from pathlib import Path

from conftest_app import (
    app_for_url,
    connected,
    main_screen,
    screen_text,
    submit,
    type_text,
    wait_for,
)
from textual.command import CommandPalette
from textual.pilot import Pilot

from rt_tui.config import Config, SessionSettings
from rt_tui.inspector.latency import Milestone
from rt_tui.inspector.logs import ReplayPlan, check_log
from rt_tui.mock import MockServer
from rt_tui.mock.pacing import Pacing
from rt_tui.tui.replay import replay_finished
from rt_tui.tui.screens.latency import LatencyScreen
from rt_tui.tui.screens.main import MainScreen

LATENCY_LOG = Path(__file__).parent.parent / "fixtures" / "sessions" / "latency_session.jsonl"
PACING = Pacing(created_s=0.02, first_delta_s=0.05, first_audio_s=0.03)


async def latency_screen(pilot: Pilot[int]) -> LatencyScreen:
    await pilot.press("ctrl+l")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, LatencyScreen), "the latency")
    screen = pilot.app.screen
    assert isinstance(screen, LatencyScreen)
    await pilot.pause()
    return screen


def listed(screen: LatencyScreen) -> list[str]:
    """The response ids of the table's rows, top to bottom."""
    table = screen.table
    return [table.get_row_at(row)[1].plain for row in range(table.row_count)]


def finished(main: MainScreen) -> int:
    """How many responses the inspector's latency tracker saw end."""
    return sum(r.finished for r in main.inspector.latency.responses.values())


async def replayed(pilot: Pilot[int]) -> MainScreen:
    screen = main_screen(pilot)
    await wait_for(pilot, lambda: replay_finished(screen), "the replay")
    return screen


async def test_live_responses_are_timed_sorted_and_lead_to_their_frames(tmp_path: Path) -> None:
    config = Config(session=SessionSettings(output_modality="audio"))
    async with MockServer(delta_delay=0, pacing=PACING) as server:
        app = app_for_url(server.ga_url(), tmp_path, config=config)
        async with app.run_test(size=(120, 40)) as pilot:
            main = await connected(pilot)
            tracker = main.inspector.latency
            await submit(pilot, "a first question")
            await wait_for(pilot, lambda: finished(main) == 1, "the first response")
            await submit(pilot, "a second one, longer")
            await wait_for(pilot, lambda: finished(main) == 2, "the second response")

            latency = await latency_screen(pilot)
            assert latency.table.row_count == 2
            waits_ms = 1000 * (PACING.created_s + PACING.first_delta_s + PACING.first_audio_s)
            for response in tracker.responses.values():
                # The mock cannot send before its waits end: each is in the waterfall.
                assert response.ttfa_ms is not None
                assert response.ttfa_ms >= waits_ms - 1
                assert Milestone.REQUESTED in response.marks

            await pilot.press("t")  # By total, the slowest first.
            totals = {r.response_id: r.total_ms or 0 for r in tracker.responses.values()}
            assert listed(latency) == sorted(totals, key=totals.__getitem__, reverse=True)
            slowest = tracker.responses[listed(latency)[0]]
            assert f"response {slowest.number}" in str(
                latency.query_one("#latency-waterfall").border_title
            )

            await pilot.press("enter")
            await wait_for(pilot, lambda: app.screen is main, "the main screen")
            inspector = main.inspector
            assert inspector.selected_frame == slowest.first_frame
            assert slowest.first_frame is not None
            assert inspector.store.wire_type(slowest.first_frame) == "response.create"
            assert inspector.rows.has_focus

            # Back from the frame to the response it asked for, in the conversation.
            await pilot.press("ctrl+g")
            assert main.pane.selected_key == ("response", slowest.response_id)
            assert main.pane.has_focus


async def test_a_replayed_log_has_its_waterfall_and_percentiles(tmp_path: Path) -> None:
    app = app_for_url(None, tmp_path, replay=ReplayPlan(check_log(LATENCY_LOG)))
    async with app.run_test(size=(120, 40)) as pilot:
        main = await replayed(pilot)
        latency = await latency_screen(pilot)
        assert listed(latency) == ["resp_1", "resp_2", "resp_3", "resp_4"]
        stats = screen_text(app)
        assert "speech stopped → committed" in stats
        assert "TTFA (to first audio)" in stats

        await pilot.press("a")  # By TTFA: the spoken replies, the slower first.
        assert listed(latency) == ["resp_3", "resp_2", "resp_1", "resp_4"]
        chart = screen_text(app)
        for line in ("response.create → response.created", "first audio → response.done"):
            assert line in chart
        assert "TTFA 2.10 s" in chart
        await pilot.press("a")  # Again: the faster first.
        assert listed(latency)[:2] == ["resp_2", "resp_3"]

        await pilot.press("down", "enter")  # resp_3's turn starts with its response.create.
        await wait_for(pilot, lambda: app.screen is main, "the main screen")
        selected = main.inspector.selected_frame
        assert selected == main.inspector.latency.responses["resp_3"].first_frame


async def test_escape_closes_the_latency_screen_and_the_palette_opens_it(tmp_path: Path) -> None:
    app = app_for_url(None, tmp_path, replay=ReplayPlan(check_log(LATENCY_LOG)))
    async with app.run_test(size=(120, 40)) as pilot:
        main = await replayed(pilot)
        await latency_screen(pilot)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is main, "the main screen")
        assert main.inspector.selected_frame is None  # Nothing picked, nothing moved.

        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
        await type_text(pilot, "latency")
        await wait_for(pilot, lambda: "Latency (^l)" in screen_text(app), "the command")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, LatencyScreen), "the latency screen")
