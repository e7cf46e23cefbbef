"""The open-mic trial: a spoken conversation with playback while the TUI is busy.

The app talks to the mock server (`rt-tui mock-server`, in its own process) with server
VAD and spoken replies, through a virtual microphone and speaker (`virtual_audio`: device
threads on a real-time schedule, as PortAudio's callbacks are) that the app's own
`MicSource` and `SpeakerSink` drive. The microphone says a short burst every few seconds,
so the server ends each turn and answers aloud while the next one is coming. Meanwhile the
inspector holds 100,000 frames of an earlier session and its filter changes every few
seconds (each goes through all of them), and a user types in the composer (a key every
20-80 ms, each waited for on screen). Counted: capture overruns (chunks the microphone had
to drop because the app did not take them in time, and device overflows), playback
underruns (the speaker finding its buffer dry mid-reply, and device underflows), the event
loop's lag, and how many filters had their rows on screen before the next was asked for.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NoReturn

from benchmarks import virtual_audio
from benchmarks.app_harness import running_app, summary_ms
from benchmarks.env import SCRATCH_VAR
from rt_tui.config import Config, SessionSettings, TurnDetection
from rt_tui.inspector import samples
from rt_tui.realtime.audio import silence, tone

INSPECTOR_FRAMES = 100_000
FILTERS = ("response.* !*.audio.delta", "input_audio_buffer.*", "")
"""The filter queries taken in turn ("" shows every frame again)."""


def spoken_loop(speech_s: float, pause_s: float) -> bytes:
    """What the microphone hears, looped: a burst of 'speech', then quiet."""
    return tone(220, round(speech_s * 1000)) + silence(round(pause_s * 1000))


@contextlib.contextmanager
def mock_server() -> Iterator[tuple[str, Callable[[], None]]]:
    """`rt-tui mock-server` on a free loopback port: its OpenAI GA URL, and what stops it
    (call it before `report`, which leaves the process at once: no `finally` runs then)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "rt_tui", "mock-server", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = ""
        for line in process.stdout:
            if line.strip().startswith("OpenAI GA:"):
                url = line.split(":", 1)[1].strip()
                break
        if not url:
            raise RuntimeError("the mock server did not start")

        def stop() -> None:
            if process.poll() is None:
                process.terminate()
                process.wait(10)

        yield url, stop
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(10)


async def open_mic(params: dict[str, Any], report: Callable[[dict[str, Any]], NoReturn]) -> None:
    """`seconds` of open-mic conversation (bursts of `speech_s` every `speech_s + pause_s`),
    the inspector filter changing every `filter_every_s`, typing throughout."""
    virtual_audio.install()
    virtual_audio.microphone_audio = spoken_loop(params["speech_s"], params["pause_s"])
    session = SessionSettings(
        output_modality="audio",
        turn_detection=TurnDetection(type="server_vad"),
        input_transcription_model="whisper-1",
    )
    scratch = Path(os.environ.get(SCRATCH_VAR) or tempfile.mkdtemp())
    with mock_server() as (url, stop_server):
        async with running_app(
            url,
            scratch,
            config=Config(session=session),
            mic=virtual_audio.MIC_NAME,
            speaker=virtual_audio.SPEAKER_NAME,
        ) as run:
            await run.until(lambda: all(run.live_audio()), 30, "the microphone and speaker")
            run.fill_inspector(list(samples.session(INSPECTOR_FRAMES)))
            await run.settle(1.0)  # filling held the loop for seconds: not part of the run
            source, sink = run.live_audio()
            assert source is not None
            assert sink is not None
            overruns_before, underruns_before = source.overruns, sink.underruns
            done_before = run.responses_done()
            late_before = sum(stream.late_blocks for stream in virtual_audio.streams)
            filters = itertools.cycle(FILTERS)
            keys: list[float] = []
            asked: list[str] = []
            shown = 0  # filters whose rows were on screen before the next one was asked for
            started = time.perf_counter()
            end = started + params["seconds"]
            next_filter = started
            while time.perf_counter() < end:
                if time.perf_counter() >= next_filter:
                    if asked and run.inspector_shows_filter(asked[-1]):
                        shown += 1
                    asked.append(next(filters))
                    run.filter_inspector(asked[-1])
                    next_filter += params["filter_every_s"]
                keys.append(await run.key_to_screen(within=60))
                await asyncio.sleep(random.uniform(0.02, 0.08))
            ended = time.perf_counter()
            if run.inspector_shows_filter(asked[-1]):
                shown += 1
            late = sum(stream.late_blocks for stream in virtual_audio.streams) - late_before
            result = {
                "capture_overruns": source.overruns - overruns_before,
                "playback_underruns": sink.underruns - underruns_before,
                "lag": summary_ms(run.probe.lags(started, ended)),
                "keys": summary_ms(keys),
                "replies": run.responses_done() - done_before,
                "filters": len(asked),
                "filters_shown": shown,
                "device_late_blocks": late,
                "seconds": ended - started,
            }
            # Counted before the server stops: without it the microphone's audio has
            # nowhere to go and its queue drops chunks that are not the run's.
            stop_server()  # `report` leaves at once: the mock would outlive the trial
            report(result)
