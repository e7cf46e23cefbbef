"""The benchmark harness's pieces run at toy size, so `make bench` cannot rot unnoticed.

Nothing here times anything: each test checks that a piece starts, does its work in full
and stops (the flood server serves what it should and goes away, the peers and the app
read a whole reply, the child process and terminal plumbing hand back a result).
"""

from __future__ import annotations

import asyncio
import json
import math
from pathlib import Path
from typing import Any

import pytest
from benchmarks import peers
from benchmarks.app_harness import KEY_MARK, running_app
from benchmarks.child import run_trial
from benchmarks.figures import FIGURES, build_table
from benchmarks.first_paint import time_to_first_frame
from benchmarks.flood_server import (
    FloodServer,
    FramedReplies,
    Paced,
    ServerProcess,
    Tick,
    big_reply,
    flood_reply,
)
from benchmarks.soak import Sample, SoakResult, report
from benchmarks.soak_profile import profile_soak
from websockets.asyncio.client import connect

from rt_tui.realtime.recorder import read_log

OPENING = 4
"""response.created, output_item.added, conversation.item.added, content_part.added."""


def reply_frames(kind: str, deltas: int) -> int:
    """Frames of one reply: the opening events, the deltas, the done events (text: the
    text, part, item, output item and response; audio adds the audio's)."""
    return OPENING + deltas + (5 if kind == "text" else 6)


async def test_flood_server_serves_every_reply_then_stops() -> None:
    async with FloodServer(FramedReplies(flood_reply("audio", 5), responses=3)) as server:
        await peers.bare_reply(server.url, responses=3)
        url = server.url
    [stats] = server.connections
    assert stats.frames_sent == 1 + 3 * reply_frames("audio", 5)
    assert len(stats.responses_done_at) == 3
    assert stats.client_types == {"response.create": 1}
    with pytest.raises(ConnectionRefusedError):
        async with connect(url, open_timeout=5):
            pass


async def test_flood_server_reads_large_client_frames_and_answers_session_update() -> None:
    big = json.dumps({"type": "input_audio_buffer.append", "audio": "A" * 100_000})
    async with (
        FloodServer(FramedReplies(flood_reply("text", 1))) as server,
        connect(server.url, compression=None) as ws,
    ):
        assert json.loads(await ws.recv())["type"] == "session.created"
        await ws.send(big)
        await ws.send(json.dumps({"type": "session.update", "session": {}}))
        assert json.loads(await ws.recv())["type"] == "session.updated"
    [stats] = server.connections
    assert stats.largest_received == len(big)


async def test_peers_and_engine_read_a_whole_flood(tmp_path: Path) -> None:
    log = tmp_path / "engine.jsonl"
    async with FloodServer(FramedReplies(flood_reply("text", 20), responses=2)) as server:
        await peers.sdk_reply(server.base_url, responses=2)
        await peers.engine_reply(server.url, log, responses=2)
    assert [c.frames_sent for c in server.connections] == [1 + 2 * reply_frames("text", 20)] * 2
    logged = list(read_log(log))
    assert sum('"response.done"' in str(r.data) for r in logged) == 2
    assert peers.KEY not in log.read_text()


async def test_paced_and_tick_scripts_send_their_replies() -> None:
    paced = Paced(audio=20, text=40, seconds=0.2, reply_seconds=0.1)
    async with FloodServer(paced) as server:
        await peers.bare_reply(server.url, responses=2)
    [stats] = server.connections
    assert stats.frames_sent == 1 + stats.scheduled_frames
    assert len(stats.responses_done_at) == 2

    # max_queue=None: the replies keep coming while the client closes, and must not stall it.
    async with FloodServer(Tick(every=0.01)) as server, connect(server.url, max_queue=None) as ws:
        types = [json.loads(await ws.recv())["type"] for _ in range(40)]
    assert types.count("response.done") >= 2


async def test_big_reply_carries_a_delta_of_the_size_asked() -> None:
    frames = big_reply(50_000).template()
    delta = json.loads(frames[OPENING])
    assert delta["type"] == "response.output_text.delta"
    assert len(delta["delta"]) == 50_000


def test_server_process_starts_serves_and_stops() -> None:
    with ServerProcess("flood", "--kind=text", "--deltas=3", life=60) as server:
        asyncio.run(peers.bare_reply(server.url))
        stats = server.stop()
    assert [c["frames_sent"] for c in stats] == [1 + reply_frames("text", 3)]


async def test_the_app_harness_drives_the_app_through_a_reply(tmp_path: Path) -> None:
    async with (
        FloodServer(FramedReplies(flood_reply("audio", 3), responses=2)) as server,
        running_app(server.url, tmp_path) as run,
    ):
        sent = run.submit("go")
        painted = await run.painted_once(lambda: run.reply_finished(2), 30, "both replies")
        assert painted >= sent
        assert await run.key_to_screen() > 0
        assert KEY_MARK not in run.composer_text()
        assert run.tap.writes > 0
        assert run.probe.samples


def test_a_trial_runs_in_a_child_process() -> None:
    result = run_trial(
        "peers_flood", {"kind": "text", "deltas": 4, "replies": 2, "inner": 1}, timeout=120
    )
    assert set(result) == {"bare_s", "sdk_s", "engine_s"}


def test_first_frame_of_the_minimal_app_is_seen_in_a_terminal() -> None:
    assert time_to_first_frame("minimal", timeout=60) > 0


def test_the_table_has_every_figure_and_the_soak_extrapolates() -> None:
    soak = SoakResult(minutes=10)
    for minute in range(11):
        soak.samples.append(Sample(minute, 60 + 3 * minute, 60, 10 * minute + minute**2, minute))
    summary = soak.summary()
    assert summary["rss_over_idle_1h_mb"] == pytest.approx(180)
    assert summary["cpu_ratio_1h"] > summary["cpu_ratio_measured"] > 1
    assert summary["idle_cpu_ratio_measured"] == pytest.approx(1)  # a steady machine
    assert "the connect-only app's, the same work all along: 1.00x" in report(soak)
    results: dict[str, list[dict[str, Any]]] = {
        "peers_text": [{"bare_s": 1.0, "sdk_s": 4.0, "engine_s": 2.0}],
        "app_text": [{"app_s": 10.0}],
        "paced_1x": [{"lag": {"p99_ms": 20}, "keys": {"p99_ms": 40}, "cpu_cores": 0.1}],
        "paced_20x": [{"lag": {"p99_ms": 20}, "kept_up": False}],
    }
    table = build_table(results, {"ratios": [1.2]}, summary)
    rows = {row.figure.key: row for row in table.rows}
    assert list(rows) == [f.key for f in FIGURES]
    assert rows["tui_bare_text"].median == pytest.approx(0.1)
    assert rows["engine_sdk_text"].median == pytest.approx(2.0)
    assert rows["lag_20x"].passed is False  # the app did not keep up
    assert rows["audio_rss"].passed is None  # not measured
    assert math.isnan(rows["audio_rss"].median)
    assert "5 MB /raw" in table.render()


def test_the_open_mic_lag_passes_only_if_every_filter_reached_the_screen() -> None:
    run = {
        "capture_overruns": 0,
        "playback_underruns": 0,
        "replies": 10,
        "lag": {"p99_ms": 10},
        "filters": 12,
    }
    done = build_table({"open_mic": [{**run, "filters_shown": 12}]}, None, None)
    left = build_table({"open_mic": [{**run, "filters_shown": 11}]}, None, None)
    assert {r.figure.key: r for r in done.rows}["open_mic_lag"].passed is True
    lag = {r.figure.key: r for r in left.rows}["open_mic_lag"]
    assert lag.passed is False  # a loop free because the filter's work was left undone
    assert "never reached the screen" in lag.note


async def test_the_soak_profile_says_what_grew_a_reply() -> None:
    # Replies a quarter second apart: a busy machine (tracemalloc slows the app) once let
    # the app fall so far behind, 20 a second, that all came before the first snapshot.
    profile = await profile_soak(2, 8, every=0.25, frames=2)
    assert profile.replies >= 4
    items = dict(profile.types)["rt_tui.realtime.conversation_model.Item"]
    assert profile.replies - 1 <= items <= profile.replies + 1  # (one may be streaming)
    text = profile.report(top=1000)
    assert f"{profile.replies} replies between the snapshots" in text
    assert "  rt_tui.realtime.conversation_model.Item\n" in text
