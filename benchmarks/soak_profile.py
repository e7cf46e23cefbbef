"""Where a long session's memory goes: the soak's shape, profiled.

The whole app runs headless (as `app_harness` builds it, rendering every update as for a
terminal) against the soak's server, which sends one short reply every `--every` seconds
(1 as in `make soak`; less gets there sooner, in the same shape). Between the
`--from`-th and the `--to`-th finished reply (the soak's minutes 2 and 8 at one reply a
second) it takes two tracemalloc snapshots and the collector's object counts by type,
and prints what grew, a reply: the allocating lines (or whole tracebacks), and the types.
What grows by the reply is what a session of an hour keeps 3,600 times.

    python -m benchmarks.soak_profile --from 120 --to 480 --every 0.25 [--group traceback]

The figures are Python's own allocations as tracemalloc sees them, not RSS (`make soak`
measures that): a cache that fills up shows here too, until it is full.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import tempfile
import time
import tracemalloc
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from benchmarks import app_harness
from benchmarks.app_harness import AppRun, running_app
from benchmarks.flood_server import ServerProcess

LEFT_OUT: Final = (
    tracemalloc.Filter(False, tracemalloc.__file__),
    tracemalloc.Filter(False, app_harness.__file__),  # The lag probe's own samples.
    tracemalloc.Filter(False, "<frozen importlib._bootstrap*>"),
)


@dataclass
class Profile:
    """What grew between the two moments."""

    replies: int
    """Replies finished between the snapshots."""
    grown: list[tracemalloc.StatisticDiff]
    """By line or traceback, the most grown first."""
    types: list[tuple[str, int]]
    """(type, objects more) for the collector's tracked objects, the most grown first."""

    def report(self, top: int = 30) -> str:
        per = max(1, self.replies)
        total = sum(stat.size_diff for stat in self.grown)
        lines = [
            f"{self.replies} replies between the snapshots; Python allocations grew "
            f"{total / 1e6:.2f} MB, {total / per:,.0f} bytes a reply.",
            "",
            "bytes/reply  blocks/reply  where",
        ]
        for stat in self.grown[:top]:
            where = stat.traceback.format(most_recent_first=True)
            lines.append(
                f"{stat.size_diff / per:11,.0f}  {stat.count_diff / per:12.2f}  {where[0].strip()}"
            )
            lines += [f"{'':27}{line.strip()}" for line in where[1:]]
        lines += ["", "objects/reply  type (tracked by the collector)"]
        lines += [f"{count / per:13.2f}  {name}" for name, count in self.types[:top] if count > 0]
        return "\n".join(lines)


def tracked_types() -> Counter[str]:
    gc.collect()
    return Counter(f"{type(o).__module__}.{type(o).__qualname__}" for o in gc.get_objects())


async def until_replies(run: AppRun, count: int, within: float) -> None:
    await run.until(lambda: run.responses_done() >= count, within, f"{count} replies")


async def profile_soak(
    first: int, last: int, *, every: float = 1.0, frames: int = 12, group: str = "lineno"
) -> Profile:
    """Profile the app between its `first`-th and `last`-th finished reply."""
    life = (last + 10) * every + 120
    with (
        tempfile.TemporaryDirectory(prefix="rt-tui-soak-profile-") as folder,
        ServerProcess("tick", "--every", str(every), life=life) as server,
    ):
        tracemalloc.start(frames)
        try:
            async with running_app(server.url, Path(folder)) as run:
                await until_replies(run, first, life)
                replies = run.responses_done()
                types = tracked_types()
                before = tracemalloc.take_snapshot().filter_traces(LEFT_OUT)
                await until_replies(run, last, life)
                replies = run.responses_done() - replies
                grown_types = tracked_types()
                after = tracemalloc.take_snapshot().filter_traces(LEFT_OUT)
        finally:
            tracemalloc.stop()
    grown_types.subtract(types)
    return Profile(replies, after.compare_to(before, group), grown_types.most_common())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.soak_profile", description=__doc__)
    parser.add_argument("--from", dest="first", type=int, default=120, help="first snapshot")
    parser.add_argument("--to", dest="last", type=int, default=480, help="second snapshot")
    parser.add_argument("--every", type=float, default=1.0, help="seconds between replies")
    parser.add_argument("--frames", type=int, default=12, help="traceback depth kept")
    parser.add_argument("--group", choices=("lineno", "traceback"), default="lineno")
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    profile = asyncio.run(
        profile_soak(args.first, args.last, every=args.every, frames=args.frames, group=args.group)
    )
    print(profile.report(args.top))
    print(f"\n({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
