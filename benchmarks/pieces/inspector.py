"""How the event inspector copes with a long session.

Measures, in one run and side by side:
- adding 100,000 frames (audio + transcript deltas, turn events) to the store, and through
  `EventInspector.add_frame` in a running (headless) app (the call only, not the repaints it
  triggers);
- one render of the visible rows (cold strip cache) with 1,000 vs 100,000 frames: with
  the Line API this should not grow with the number of frames;
- rebuilding the filtered view over 100,000 frames (a filter change);
- memory the store holds per frame, by its own estimate (`memory_bytes`, not RSS: the
  process's memory is in `python -m benchmarks`).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from functools import partial

from textual.app import App, ComposeResult
from textual.containers import Horizontal

from rt_tui.inspector import samples
from rt_tui.inspector.filtering import FrameFilter
from rt_tui.inspector.store import FrameStore
from rt_tui.realtime.frames import Frame
from rt_tui.tui.widgets.frame_rows import FrameRows
from rt_tui.tui.widgets.inspector import EventInspector

SMALL, LARGE = 1_000, 100_000
RENDER_REPEATS = 50


def timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def add_all(inspector: EventInspector, frames: list[Frame]) -> None:
    for frame in frames:
        inspector.add_frame(frame)


class Host(App[None]):
    """Two inspectors side by side, so both sizes are measured under the same conditions."""

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield EventInspector(id="small")
            yield EventInspector(id="large")


async def measure_widgets(small: list[Frame], large: list[Frame]) -> dict[str, float]:
    """Seconds to add each list through `add_frame`, and per cold render of the visible
    rows (scrolled to the middle), the two sizes measured alternately."""
    app = Host()
    results: dict[str, float] = {}
    async with app.run_test(size=(200, 60)) as pilot:
        views: dict[str, FrameRows] = {}
        for name, frames in (("small", small), ("large", large)):
            inspector = app.query_one(f"#{name}", EventInspector)
            results[f"add_{name}"] = timed(partial(add_all, inspector, frames))
            rows = inspector.query_one(FrameRows)
            while rows.virtual_size.height != inspector.store.row_count:
                await pilot.pause(0.01)
            rows.select_row(inspector.store.row_count // 2)
            views[name] = rows
        await pilot.pause()

        def render_visible(rows: FrameRows) -> None:
            rows._cache.clear()  # cold: every visible row is built again
            for y in range(rows.scrollable_content_region.height):
                rows.render_line(y)

        best = {"small": float("inf"), "large": float("inf")}
        for _ in range(RENDER_REPEATS):
            for name, rows in views.items():
                best[name] = min(best[name], timed(partial(render_visible, rows)))
        results["render_small"], results["render_large"] = best["small"], best["large"]
        results["height"] = views["large"].scrollable_content_region.height
    return results


def main() -> None:
    t0 = time.perf_counter()
    large = list(samples.session(LARGE))
    small = large[:SMALL]
    audio = sum(1 for f in large if f.wire_type == "response.output_audio.delta")
    print(
        f"made {len(large):,} frames ({audio:,} audio deltas of 4,800 B) "
        f"in {time.perf_counter() - t0:.1f} s (not measured below)"
    )

    store = FrameStore()
    add_store = timed(lambda: [store.append(f) for f in large])
    print(
        f"store.append x {LARGE:,}: {add_store:.2f} s "
        f"({add_store / LARGE * 1e6:.1f} µs/frame, {store.row_count:,} rows folded)"
    )
    per_frame = store.memory_bytes() / len(store)
    wire = sum(len(f.data) for f in large) / len(large)
    print(
        f"memory held, the store's estimate (not RSS): {per_frame:.0f} B/frame "
        f"(frames average {wire:,.0f} B on the wire)"
    )
    rebuild = timed(lambda: store.set_filter(FrameFilter("response.* !*.audio.delta")))
    print(f"filter change over {LARGE:,} frames: {rebuild * 1000:.0f} ms")
    store.close()

    measured = asyncio.run(measure_widgets(small, large))
    add_small, add_large = measured["add_small"], measured["add_large"]
    render_small, render_large = measured["render_small"], measured["render_large"]
    height = int(measured["height"])
    print(
        f"EventInspector.add_frame x {LARGE:,}: {add_large:.2f} s "
        f"({add_large / LARGE * 1e6:.1f} µs/frame; x {SMALL:,}: {add_small * 1000:.0f} ms)"
    )
    print(f"one cold render of {height} visible rows:")
    print(f"  {SMALL:>7,} frames: {render_small * 1000:7.2f} ms")
    print(f"  {LARGE:>7,} frames: {render_large * 1000:7.2f} ms")
    print(f"  ratio 100k/1k: {render_large / render_small:.2f} (1.0 = independent of size)")


if __name__ == "__main__":
    main()
