"""The event loop's lag while the session log's disk stalls.

The log goes to a named pipe that a thread reads, pausing `STALL_S` every `EVERY_S` (a
network home folder, writeback throttling), while frames are recorded on a running loop at
the 1x pace (50 x 8 KB audio + 100 text deltas a second). A 5 ms ticker measures how late
the loop runs: with the log written on the loop's thread, each stall freezes it.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import tempfile
import threading
import time
from pathlib import Path
from typing import Final

from rt_tui.realtime.frames import Direction
from rt_tui.realtime.recorder import SessionRecorder

SECONDS: Final = 8.0
FRAMES_PER_S: Final = 150
STALL_S: Final = 2.0
EVERY_S: Final = 1.0
TICK_S: Final = 0.005


def read_with_stalls(fd: int) -> None:
    """Read the pipe to its end, pausing STALL_S every EVERY_S."""
    since = time.monotonic()
    while True:
        if time.monotonic() - since > EVERY_S:
            time.sleep(STALL_S)
            since = time.monotonic()
        if not os.read(fd, 1 << 16):
            return


async def record_at_pace(recorder: SessionRecorder) -> int:
    """Record frames at the 1x pace for SECONDS; how many."""
    pcm = base64.b64encode(os.urandom(8192)).decode()
    audio = json.dumps({"type": "response.output_audio.delta", "delta": pcm})
    text = json.dumps({"type": "response.output_text.delta", "delta": "word "})
    start = time.monotonic()
    count = 0
    while (now := time.monotonic()) < start + SECONDS:
        count += 1
        data = audio if count % 3 == 0 else text
        recorder.record_data(Direction.RECEIVED, (now - start) * 1000, time.time(), data)
        await asyncio.sleep(max(0.0, start + count / FRAMES_PER_S - time.monotonic()))
    return count


async def lags_while(work: asyncio.Task[int]) -> list[float]:
    """How late (seconds) each 5 ms tick came while `work` ran."""
    lags = []
    while not work.done():
        before = time.monotonic()
        await asyncio.sleep(TICK_S)
        lags.append(time.monotonic() - before - TICK_S)
    return sorted(lags)


async def run(folder: Path) -> None:
    path = folder / "session.jsonl"
    os.mkfifo(path)
    read_end = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # no writer yet: do not wait
    os.set_blocking(read_end, True)
    recorder = SessionRecorder(path).open()
    reader = threading.Thread(target=read_with_stalls, args=(read_end,))
    reader.start()  # after the recorder opened the pipe: else it reads its end at once
    work = asyncio.create_task(record_at_pace(recorder))
    lags = await lags_while(work)
    recorder.close()
    reader.join()
    os.close(read_end)
    p99 = lags[int(len(lags) * 0.99)] * 1000
    print(
        f"slow log: {work.result():,} frames in {SECONDS:g} s, the disk stalling "
        f"{STALL_S * 1000:.0f} ms every {EVERY_S:g} s: loop lag p99 {p99:.1f} ms, "
        f"max {lags[-1] * 1000:.1f} ms"
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(run(Path(folder)))


if __name__ == "__main__":
    main()
