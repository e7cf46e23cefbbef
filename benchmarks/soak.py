"""The long-session benchmark: `rt-tui` as a user runs it, one short reply a second.

Two apps run side by side, each the real `rt-tui --url ...` in its own pseudo-terminal
(120 x 40) with its own folders: one against a server that sends one short reply a second,
unasked (text deltas and one 100 ms audio delta), one against a server that sends nothing
after `session.created` (connect-only). Every SAMPLE_S both are sampled from /proc: RSS
and CPU time.

Figures:
- RSS growth over the connect-only app: how much more the replying app holds than the idle
  one at the end. A run shorter than an hour is extrapolated to one hour with the slope of
  that excess over the run (after the first minute), and says so; the 1-hour figure counts
  only from runs of at least 10 minutes.
- CPU per minute, last 10 min / first 10 min (runs under 30 minutes: last third / first
  third), and the same ratio at a 1-hour session: measured by a run of an hour, else
  extrapolated from the straight line that fits CPU per minute over the run (capped at one
  core).

Both lines are Theil-Sen fits (the median of the slopes between every two samples): carried
from 10 minutes out to 60, a least-squares line multiplies the swing of a minute or two in
which the machine was busier (the connect-only app dips or rises with it) by six; the
median slope is moved by a growth that lasts, not by a stray minute.

The summary names the commit it measured (`make bench` shows a soak of at least 10 minutes
of the same, unchanged code instead of running its own short one).

    python -m benchmarks.soak --minutes 10      (make soak MINUTES=10)
"""

from __future__ import annotations

import argparse
import datetime
import json
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Final

from benchmarks import procstat
from benchmarks.env import ROOT, isolated_env
from benchmarks.flood_server import ServerProcess
from benchmarks.peers import KEY
from benchmarks.terminal import Terminal

SAMPLE_S: Final = 10.0
SESSION_MINUTES: Final = 60.0
MIN_MINUTES_FOR_BUDGET: Final = 10.0
CORE_SECONDS_PER_MINUTE: Final = 60.0
"""The most CPU a minute the extrapolation allows (one core: the app's loop is one thread)."""
RESULTS: Final = Path(__file__).parent / "results"


@dataclass
class Sample:
    minute: float
    tick_rss_mb: float
    idle_rss_mb: float
    tick_cpu_s: float
    idle_cpu_s: float


@dataclass
class SoakResult:
    minutes: float
    code: str | None = None
    """The commit measured, None if the tree had changes (or no git)."""
    started: str = ""
    samples: list[Sample] = field(default_factory=list)
    replies_sent: int = 0
    error: str = ""

    # --- the figures -----------------------------------------------------------------

    def excess_mb(self) -> list[tuple[float, float]]:
        """(minute, RSS of the replying app minus the connect-only app's)."""
        return [(s.minute, s.tick_rss_mb - s.idle_rss_mb) for s in self.samples]

    def rss_over_idle_mb(self) -> float:
        return self.excess_mb()[-1][1]

    def rss_slope_mb_per_min(self) -> float:
        warm_up = min(1.0, self.minutes / 5)  # the first minute settles caches and imports
        return _median_slope([(m, v) for m, v in self.excess_mb() if m >= warm_up])

    def rss_over_idle_1h_mb(self) -> float:
        """At an hour: measured if the run was that long, else extrapolated."""
        last_minute, last = self.excess_mb()[-1]
        if last_minute >= SESSION_MINUTES:
            return last
        return last + self.rss_slope_mb_per_min() * (SESSION_MINUTES - last_minute)

    def cpu_per_minute(self, *, idle: bool = False) -> list[tuple[float, float]]:
        """(minute at the middle of the interval, CPU seconds a minute) between samples,
        of the replying app (`idle`: of the connect-only one)."""
        rates = []
        for a, b in zip(self.samples, self.samples[1:], strict=False):
            span = b.minute - a.minute
            spent = b.idle_cpu_s - a.idle_cpu_s if idle else b.tick_cpu_s - a.tick_cpu_s
            rates.append(((a.minute + b.minute) / 2, spent / span))
        return rates

    def cpu_ratio_measured(self, *, idle: bool = False) -> tuple[float, str]:
        """CPU a minute, last 10 min / first 10 min (or last third / first third).

        `idle`: the connect-only app's, whose work does not change over the run: how far
        it is from 1 is how much the machine's load moved the replying app's figure."""
        rates = self.cpu_per_minute(idle=idle)
        if self.minutes >= 30:
            first = [r for m, r in rates if m <= 10]
            last = [r for m, r in rates if m >= self.minutes - 10]
            how = "last 10 min / first 10 min"
        else:
            third = max(1, len(rates) // 3)
            first, last = [r for _, r in rates[:third]], [r for _, r in rates[-third:]]
            how = "last third / first third"
        return statistics.fmean(last) / statistics.fmean(first), how

    def cpu_ratio_1h(self) -> float:
        """Last 10 / first 10 minutes of an hour, from the line fitting CPU a minute."""
        rates = self.cpu_per_minute()
        if self.minutes >= SESSION_MINUTES:
            return self.cpu_ratio_measured()[0]
        slope = _median_slope(rates)
        intercept = statistics.median(r - slope * m for m, r in rates)

        def at(minute: float) -> float:
            # The app's event loop is one thread: it cannot burn more than a core.
            return min(CORE_SECONDS_PER_MINUTE, intercept + slope * minute)

        return at(55.0) / max(at(5.0), 1e-9)

    def valid_for_budget(self) -> bool:
        return self.minutes >= MIN_MINUTES_FOR_BUDGET

    def summary(self) -> dict[str, Any]:
        ratio, how = self.cpu_ratio_measured()
        return {
            "minutes": self.minutes,
            "code": self.code,
            "started": self.started,
            "replies_sent": self.replies_sent,
            "rss_over_idle_mb": self.rss_over_idle_mb(),
            "rss_slope_mb_per_min": self.rss_slope_mb_per_min(),
            "rss_over_idle_1h_mb": self.rss_over_idle_1h_mb(),
            "cpu_ratio_measured": ratio,
            "cpu_ratio_measured_how": how,
            "idle_cpu_ratio_measured": self.cpu_ratio_measured(idle=True)[0],
            "cpu_ratio_1h": self.cpu_ratio_1h(),
            "extrapolated": self.minutes < SESSION_MINUTES,
            "valid_for_budget": self.valid_for_budget(),
            "samples": [asdict(s) for s in self.samples],
            "error": self.error,
        }


def _median_slope(points: list[tuple[float, float]]) -> float:
    """Theil-Sen: the median of the slopes between every two points."""
    slopes = [
        (y2 - y1) / (x2 - x1)
        for i, (x1, y1) in enumerate(points)
        for x2, y2 in points[i + 1 :]
        if x2 != x1
    ]
    return statistics.median(slopes) if slopes else 0.0


def code_version(root: Path = ROOT) -> str | None:
    """The commit checked out, or None if the code or benchmarks changed since (or no git):
    a soak's figures stand for that commit only."""
    try:
        head, changed = (
            subprocess.run(
                ["git", *args], cwd=root, capture_output=True, text=True, check=True, timeout=30
            ).stdout.strip()
            for args in (
                ["rev-parse", "HEAD"],
                ["status", "--porcelain", "--", "src", "benchmarks", "pyproject.toml"],
            )
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return None if changed else head


def stored_for_this_code() -> dict[str, Any] | None:
    """The last `make soak`'s summary, if it stands for the code as it is now."""
    try:
        summary: dict[str, Any] = json.loads((RESULTS / "soak.json").read_text())
    except (OSError, ValueError):
        return None
    return summary if stands_for(summary, code_version()) else None


def stands_for(summary: dict[str, Any], code: str | None) -> bool:
    """Whether a soak's figures hold for `code`: the soak measured that very commit, ran to
    its end and was long enough for the budget."""
    fit = bool(summary.get("valid_for_budget")) and not summary.get("error")
    return fit and code is not None and summary.get("code") == code


def run_soak(minutes: float, *, sample_s: float = SAMPLE_S, progress: bool = True) -> SoakResult:
    result = SoakResult(
        minutes=minutes,
        code=code_version(),
        started=datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    )
    life = minutes * 60 + 120
    with (
        tempfile.TemporaryDirectory(prefix="rt-tui-soak-") as folder,
        ServerProcess("tick", life=life) as ticking,
        ServerProcess("idle", life=life) as idle,
    ):
        scratch = Path(folder)
        apps = {}
        for name, server in (("tick", ticking), ("idle", idle)):
            env = isolated_env(scratch / name, {"OPENAI_API_KEY": KEY})
            apps[name] = Terminal([sys.executable, "-m", "rt_tui", "--url", server.url], env)
        try:
            # The clock starts once both are up and connected (their first frame is out).
            for terminal in apps.values():
                terminal.wait_for(b" Conversation ", 60)
                terminal.drain(2.0)
            start = time.perf_counter()
            end = start + minutes * 60
            next_sample = start
            while True:
                now = time.perf_counter()
                if now >= next_sample:
                    result.samples.append(_sample(apps, (now - start) / 60))
                    if progress:
                        _print_progress(result)
                    if now >= end:
                        break
                    next_sample = min(end, next_sample + sample_s)
                for terminal in apps.values():
                    terminal.drain(0.1)
                    if terminal.ended:
                        raise RuntimeError("rt-tui ended during the soak")
        except (RuntimeError, TimeoutError, OSError) as exc:
            result.error = str(exc)
        finally:
            for terminal in apps.values():
                terminal.close()
        stats = ticking.stop()
        result.replies_sent = sum(len(c["responses_done_at"]) for c in stats)
    return result


def _sample(apps: dict[str, Terminal], minute: float) -> Sample:
    tick, idle = apps["tick"].pid, apps["idle"].pid
    return Sample(
        minute=minute,
        tick_rss_mb=procstat.rss_bytes(tick) / procstat.MB,
        idle_rss_mb=procstat.rss_bytes(idle) / procstat.MB,
        tick_cpu_s=procstat.cpu_seconds(tick),
        idle_cpu_s=procstat.cpu_seconds(idle),
    )


def _print_progress(result: SoakResult) -> None:
    s = result.samples[-1]
    if len(result.samples) > 1 and int(s.minute) == int(result.samples[-2].minute):
        return  # one line a minute
    print(
        f"  soak {s.minute:5.1f} min: RSS {s.tick_rss_mb:6.1f} MB (connect-only "
        f"{s.idle_rss_mb:6.1f}), CPU {s.tick_cpu_s:7.1f} s (connect-only {s.idle_cpu_s:5.1f})",
        flush=True,
    )


def report(result: SoakResult) -> str:
    """The per-minute table and the figures, as text."""
    lines = ["minute  RSS MB  connect-only MB  excess MB  CPU s/min  connect-only CPU s/min"]
    previous: Sample | None = None
    for minute in range(int(result.samples[-1].minute + 1e-6) + 1 if result.samples else 0):
        s = min(result.samples, key=lambda sample: abs(sample.minute - minute))
        if previous is not None and s.minute > previous.minute:
            span = s.minute - previous.minute
            cpu = f"{(s.tick_cpu_s - previous.tick_cpu_s) / span:9.1f}"
            idle = f"{(s.idle_cpu_s - previous.idle_cpu_s) / span:22.1f}"
        else:
            cpu, idle = f"{'':>9}", f"{'':>22}"
        excess = s.tick_rss_mb - s.idle_rss_mb
        rss = f"{s.tick_rss_mb:6.1f}  {s.idle_rss_mb:15.1f}  {excess:9.1f}"
        lines.append(f"{minute:6d}  {rss}  {cpu}  {idle}")
        previous = s
    summary = result.summary()
    extrapolated = (
        f"extrapolated from {result.minutes:g} min at {summary['rss_slope_mb_per_min']:+.2f} MB/min"
        if summary["extrapolated"]
        else "measured"
    )
    lines += [
        "",
        f"RSS over the connect-only app after {result.minutes:g} min: "
        f"{summary['rss_over_idle_mb']:+.1f} MB",
        f"  at 1 hour: {summary['rss_over_idle_1h_mb']:+.1f} MB ({extrapolated})",
        f"CPU a minute, {summary['cpu_ratio_measured_how']}: {summary['cpu_ratio_measured']:.2f}x",
        f"  the connect-only app's, the same work all along: "
        f"{summary['idle_cpu_ratio_measured']:.2f}x (if far from 1, the machine's load moved)",
        f"  last 10 / first 10 min of an hour: {summary['cpu_ratio_1h']:.2f}x"
        + (" (extrapolated from a Theil-Sen line)" if summary["extrapolated"] else ""),
    ]
    if not result.valid_for_budget():
        lines.append(
            f"  (a {result.minutes:g}-minute run is too short for the budget figures: "
            f"run at least {MIN_MINUTES_FOR_BUDGET:g} minutes)"
        )
    if result.error:
        lines.append(f"The soak stopped early: {result.error}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.soak", description=__doc__)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--json", type=Path, default=RESULTS / "soak.json")
    args = parser.parse_args(argv)
    print(f"Soak: {args.minutes:g} minutes, one reply a second vs connect-only.", flush=True)
    result = run_soak(args.minutes)
    print(report(result))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result.summary(), indent=2))
    print(f"\nWritten to {args.json}")


if __name__ == "__main__":
    main()
