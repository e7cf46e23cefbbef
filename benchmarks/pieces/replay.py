"""How fast `rt-tui replay` opens a long session log.

Writes a 100,000-frame session (audio + transcript deltas, turn events) with the real
recorder, then measures:
- `check_log`, the pass over the whole file the CLI makes before the TUI opens;
- `--print`: loading the frames into a FrameStore and writing every row;
- the TUI: from the app starting until the inspector holds every frame and the
  conversation pane has drawn (a headless app, as the pilot tests run it).
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from pathlib import Path

from rt_tui.config import Config
from rt_tui.inspector import samples
from rt_tui.inspector.logs import ReplayInfo, ReplayPlan, check_log, load_store
from rt_tui.realtime.recorder import SessionRecorder
from rt_tui.replay import write_rows
from rt_tui.tui.app import make_app
from rt_tui.tui.replay import replay_finished
from rt_tui.tui.screens.main import MainScreen

FRAMES = 100_000


def write_session(path: Path) -> None:
    with SessionRecorder(path, url="ws://127.0.0.1:1/v1/realtime?model=m", dialect="ga") as rec:
        for frame in samples.session(FRAMES):
            rec.write(frame)


async def tui_load(info: ReplayInfo, scratch: Path) -> dict[str, float]:
    """Seconds from the app starting until the inspector holds every frame ('frames') and
    the conversation pane has drawn ('drawn'), and how many items it shows ('items')."""
    app = make_app(
        config=Config(),
        config_path=scratch / "config.toml",
        env={},
        sessions_dir=scratch / "sessions",
        replay=ReplayPlan(info),
    )
    start = time.perf_counter()
    marks: dict[str, float] = {}
    async with app.run_test(size=(160, 48)):
        while True:
            screen = app.screen
            if isinstance(screen, MainScreen):
                if "frames" not in marks and len(screen.inspector.store) == info.frame_count:
                    marks["frames"] = time.perf_counter() - start
                if "frames" in marks and replay_finished(screen):
                    marks["drawn"] = time.perf_counter() - start
                    break
            # Not pilot.pause(): it waits for the screen to go idle, which is what we time.
            await asyncio.sleep(0.01)
        marks["items"] = len(screen.conversation)
    return marks


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch_dir:
        scratch = Path(scratch_dir)
        log = scratch / "session.jsonl"
        t0 = time.perf_counter()
        write_session(log)
        size_mb = log.stat().st_size / 1e6
        print(
            f"wrote {FRAMES:,} frames ({size_mb:,.0f} MB) in "
            f"{time.perf_counter() - t0:.1f} s (not measured below)"
        )

        t0 = time.perf_counter()
        info = check_log(log)
        print(f"check_log: {time.perf_counter() - t0:.2f} s")

        t0 = time.perf_counter()
        store = load_store(log)
        loaded = time.perf_counter() - t0
        with open(os.devnull, "w", encoding="utf-8") as sink:
            rows = write_rows(store, sink)
        store.close()
        print(
            f"--print: load {loaded:.2f} s ({loaded / FRAMES * 1e6:.1f} µs/frame), "
            f"{rows:,} rows written in {time.perf_counter() - t0 - loaded:.2f} s"
        )

        marks = asyncio.run(tui_load(info, scratch))
        print(
            f"TUI: {FRAMES:,} frames in the inspector in {marks['frames']:.2f} s, "
            f"the conversation ({marks['items']:,.0f} items, all drawn) after "
            f"{marks['drawn']:.2f} s"
        )


if __name__ == "__main__":
    main()
