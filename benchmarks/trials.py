"""One measurement each, run in a fresh child process (`benchmarks.child`) so memory, CPU
time and start-up state belong to that measurement alone. Each starts its own benchmark
server in another process and hands plain numbers to `report` as soon as it has them:
the child then exits at once, without waiting for a busy app to shut down.

Times are `time.perf_counter()` seconds within the child; server times are on the
monotonic clock, which is the same clock in every process on Linux.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import random
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable, Coroutine
from functools import partial
from pathlib import Path
from typing import Any, Final, NoReturn

from benchmarks import peers, procstat
from benchmarks.app_harness import AppRun, running_app, summary_ms
from benchmarks.env import SCRATCH_VAR
from benchmarks.flood_server import ServerProcess
from benchmarks.open_mic import open_mic
from benchmarks.service_events import AUDIO_DELTA_PCM_BYTES

Params = dict[str, Any]
Result = dict[str, Any]
Report = Callable[[Result], NoReturn]
"""Takes the trial's result and ends it (the child writes it out and exits)."""

KEEP_UP_S: Final = 0.5
"""At 20x the app keeps up if it takes in each reply's end within this long of the server
sending it, and the server never falls this far behind its schedule."""


def _scratch() -> Path:
    """The child's own folder (sessions, cache, temporary files), set up by `child`."""
    return Path(os.environ.get(SCRATCH_VAR) or tempfile.mkdtemp())


def _flood_args(params: Params) -> list[str]:
    per_reply = params["deltas"] // params["replies"]
    return [
        "flood",
        f"--kind={params['kind']}",
        f"--deltas={per_reply}",
        f"--responses={params['replies']}",
    ]


async def peers_flood(params: Params, report: Report) -> None:
    """Seconds the bare websockets client, the openai SDK and the engine take for the same
    flood (`kind`, `deltas` in `replies`), each the median of `inner` runs, interleaved."""
    replies = params["replies"]
    times: dict[str, list[float]] = {"bare": [], "sdk": [], "engine": []}
    with ServerProcess(*_flood_args(params)) as server:
        for n in range(params.get("inner", 3)):
            log = _scratch() / f"engine-{n}.jsonl"
            times["bare"].append(await peers.bare_reply(server.url, replies))
            times["sdk"].append(await peers.sdk_reply(server.base_url, replies))
            times["engine"].append(await peers.engine_reply(server.url, log, replies))
            log.unlink()
    report({f"{name}_s": statistics.median(values) for name, values in times.items()})


async def app_flood(params: Params, report: Report) -> None:
    """Seconds from Enter (which sends `response.create`) until the app has taken in the
    last `response.done` of the flood and painted the screen after it."""
    replies = params["replies"]
    with ServerProcess(*_flood_args(params)) as server:
        async with running_app(server.url, _scratch()) as run:
            sent = run.submit("go")
            painted = await run.painted_once(
                lambda: run.reply_finished(replies), 600, "the flood's end on the screen"
            )
            report({"app_s": painted - sent, "lag": summary_ms(run.probe.lags(sent, painted))})


async def paced(params: Params, report: Report) -> None:
    """A stream of `audio` audio + `text` transcript deltas a second for `seconds`, while a
    user types (a key every 20-80 ms, each waited for on screen, then deleted).

    Event-loop lag and key press -> screen over the stream; CPU time / wall time over the
    stream; whether the app kept up (each reply's end taken in within KEEP_UP_S of the
    server sending it, and the server never held back by the app).

    With `cpu_window`, the stream lasts twice as long: the lag probe runs over its first
    `seconds` and is stopped for the second, over which the CPU time is taken. The probe
    wakes the loop 200 times a second, and that costs CPU of its own (an idle app: ~0.035
    core with it, ~0.004 without), which is the instrument's, not the app's. The CPU time
    of the first window, with the probe, is reported too."""
    seconds = params["seconds"]
    reply_seconds = params["reply_seconds"]
    cpu_window = bool(params.get("cpu_window"))
    stream_seconds = 2 * seconds if cpu_window else seconds
    replies = max(1, round(stream_seconds / reply_seconds))
    server_args = [
        "paced",
        f"--audio={params['audio']}",
        f"--text={params['text']}",
        f"--seconds={stream_seconds}",
        f"--reply-seconds={reply_seconds}",
    ]
    finished_at: list[float] = []  # monotonic, comparable with the server's clock
    keys: list[float] = []
    with ServerProcess(*server_args) as server:
        async with running_app(server.url, _scratch()) as run:

            async def type_until(end: float) -> float:
                """Type until `end`; CPU time / wall time meanwhile."""
                cpu_before, wall_before = time.process_time(), time.perf_counter()
                while time.perf_counter() < end:
                    keys.append(await run.key_to_screen(within=60))
                    await asyncio.sleep(random.uniform(0.02, 0.08))
                return (time.process_time() - cpu_before) / (time.perf_counter() - wall_before)

            await run.settle(0.5)
            started = run.submit("go")
            watcher = asyncio.create_task(_note_replies(run, replies, finished_at))
            cpu_probed = await type_until(started + seconds)
            probed_until = time.perf_counter()
            lags = run.probe.lags(started, probed_until)
            cpu = cpu_probed
            if cpu_window:
                await run.probe.stop()
                cpu = await type_until(started + stream_seconds)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(watcher, params.get("drain_timeout", 30))
            if not cpu_window:
                lags = run.probe.lags(started, time.perf_counter())
            stats = server.stop()[0]
            done_at = stats["responses_done_at"]
            late = [app - srv for app, srv in zip(finished_at, done_at, strict=False)]
            kept_up = (
                len(finished_at) == replies
                and max(late, default=0.0) <= KEEP_UP_S
                and stats["max_behind_s"] <= KEEP_UP_S
            )
            report(
                {
                    "lag": summary_ms(lags),
                    "keys": summary_ms(keys),
                    "cpu_cores": cpu,
                    "cpu_cores_with_lag_probe": cpu_probed,
                    "replies_taken_in": len(finished_at),
                    "replies": replies,
                    "reply_lateness_max_s": max(late, default=float("nan")),
                    "server_behind_max_s": stats["max_behind_s"],
                    "kept_up": kept_up,
                }
            )


async def _note_replies(run: AppRun, replies: int, finished_at: list[float]) -> None:
    # Every 20 ms, not 5: the poll runs in the app's process, and at 200 a second it was
    # ~3 % of the CPU time the trial puts down to the app; a reply may be 0.5 s late.
    for number in range(1, replies + 1):
        await run.until(partial(run.reply_finished, number), 3600, f"reply {number}", every=0.02)
        finished_at.append(time.monotonic())


async def audio_session(params: Params, report: Report) -> None:
    """`minutes` of assistant audio (8 KB deltas, one reply a minute) as fast as the app
    takes them: RSS growth (after a garbage collection, before and after) and disk used
    by the session (files under the session, cache and temporary folders, and files the
    process holds open, deleted ones included) against the size of the PCM."""
    deltas_per_reply = 480  # 480 x 125 ms = 1 minute
    replies = params["minutes"]
    scratch = _scratch()
    args = ["flood", "--kind=audio", f"--deltas={deltas_per_reply}", f"--responses={replies}"]
    with ServerProcess(*args) as server:
        async with running_app(server.url, scratch) as run:
            await run.settle(0.5)
            before = procstat.settled_rss_bytes()
            sent = run.submit("go")
            finished = await run.until(lambda: run.reply_finished(replies), 1800, "the audio")
            await run.settle(1.0)
            after = procstat.settled_rss_bytes()
            disk = procstat.disk_bytes([scratch])
            pcm = replies * deltas_per_reply * AUDIO_DELTA_PCM_BYTES
            report(
                {
                    "rss_growth_mb": (after - before) / procstat.MB,
                    "disk_mb": disk / procstat.MB,
                    "pcm_mb": pcm / procstat.MB,
                    "disk_over_pcm": disk / pcm,
                    "seconds": finished - sent,
                }
            )


async def _freeze(run: AppRun, start: Callable[[], Awaitable[float]], deadline_s: float) -> Result:
    """The longest time the loop was held from `start()` until the screen settles (no lag
    over 50 ms for a second), or until `deadline_s` (then the figure is a lower bound)."""
    before = procstat.rss_bytes()
    began = time.perf_counter()
    cut_short = False
    try:
        await asyncio.wait_for(start(), deadline_s)
        remaining = max(1.0, deadline_s - (time.perf_counter() - began))
        await asyncio.wait_for(run.settle(1.0, within=remaining), remaining + 1)
    except TimeoutError:
        cut_short = True
    ended = time.perf_counter()
    lags = run.probe.lags(began, ended)
    return {
        "freeze_s": max(lags, default=0.0),
        "cut_short": cut_short or ended - began >= deadline_s,
        "peak_rss_growth_mb": (procstat.peak_rss_bytes() - before) / procstat.MB,
    }


async def big_delta(params: Params, report: Report) -> None:
    """One reply whose text delta is `bytes` long (its done events carry the text too, as
    the service's do): the longest UI freeze."""
    with ServerProcess("big", f"--bytes={params['bytes']}") as server:
        async with running_app(server.url, _scratch()) as run:
            await run.settle(0.5)

            async def reply() -> float:
                run.submit("go")
                return await run.until(lambda: run.reply_finished(1), 3600, "the reply")

            report(await _freeze(run, reply, params["deadline_s"]))


def raw_frame(size: int) -> str:
    """An `input_audio_buffer.append` of about `size` bytes (random audio as base64)."""
    audio = base64.b64encode(os.urandom(size * 3 // 4)).decode("ascii")
    return json.dumps({"type": "input_audio_buffer.append", "audio": audio})


async def raw_paste(params: Params, report: Report) -> None:
    """A `bytes`-long frame pasted into the composer after `/raw `, then Enter: the longest
    UI freeze, and whether the server got the whole frame."""
    frame = raw_frame(params["bytes"])
    with ServerProcess("idle") as server:
        async with running_app(server.url, _scratch()) as run:
            await run.settle(0.5)

            async def paste_and_send() -> float:
                run.paste("/raw " + frame)
                await run.until(lambda: run.composer_text() != "", 3600, "the paste")
                run.press("enter", "\r")
                return await run.until(lambda: run.composer_text() == "", 3600, "the send")

            result = await _freeze(run, paste_and_send, params["deadline_s"])
            stats = server.stop()
            result["server_got_frame"] = any(c["largest_received"] == len(frame) for c in stats)
            report(result)


TRIALS: Final[dict[str, Callable[[Params, Report], Coroutine[Any, Any, None]]]] = {
    "peers_flood": peers_flood,
    "app_flood": app_flood,
    "paced": paced,
    "audio_session": audio_session,
    "big_delta": big_delta,
    "raw_paste": raw_paste,
    "open_mic": open_mic,
}
