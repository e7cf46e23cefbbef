"""The long-session benchmark: `rt-tui` as a user runs it, one short reply a second.

Two apps run side by side, each the real `rt-tui --url ...` in its own pseudo-terminal
(120 x 40) with its own folders: one against a server that sends one short reply a second,
unasked (text deltas and one 100 ms audio delta), one against a server that sends nothing
after `session.created` (connect-only). Every SAMPLE_S both are sampled from /proc: RSS
and CPU time.

Figures, from the samples nearest each whole minute:
- RSS growth over the connect-only app: how much more the replying app holds than the idle
  one at the end. A run shorter than an hour is extrapolated to one hour with the slope of
  that excess over the run (after the first minute; a falling one taken as flat), and says
  so; the 1-hour figure counts only from runs of at least 10 minutes.
- CPU per minute, last 10 min / first 10 min (runs under 30 minutes: last third / first
  third), and the same ratio at a 1-hour session: measured by a run of an hour, else
  extrapolated from the line that fits CPU per minute over the run (capped at one core),
  with the interval its slope's interval gives.

The lines are Theil-Sen fits (`benchmarks.trend`). Carried from 10 minutes out to 60, any
line multiplies the minute-to-minute swing of CPU time (a tenth of it, on a 2-core machine
with nothing else running) by six: the extrapolated CPU ratio's interval then spans the
budget, and the figure is shown but not judged. An hour's run measures it.

The summary names what it measured (`code_version`): `make bench` shows a soak of at least
10 minutes of the same code instead of running its own short one.

    python -m benchmarks.soak --minutes 10      (make soak MINUTES=10)
"""

from __future__ import annotations

import argparse
import bisect
import datetime
import hashlib
import itertools
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, Final

from benchmarks import procstat
from benchmarks.env import ROOT, isolated_env
from benchmarks.flood_server import ServerProcess
from benchmarks.peers import KEY
from benchmarks.terminal import Terminal
from benchmarks.trend import Trend, fit

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
    commit: str | None = None
    code: str | None = None
    """What was measured (see `code_version`), None if it had changes not committed."""
    started: str = ""
    samples: list[Sample] = field(default_factory=list)
    replies_sent: int = 0
    error: str = ""

    # --- the figures -----------------------------------------------------------------
    # All from the samples nearest each whole minute: CPU time counts in 10 ms ticks, and
    # a rate over 10 seconds swings more than the trend the budget asks about.

    def whole_minutes(self) -> list[Sample]:
        """The sample nearest each whole minute of the run, from minute 0."""
        if not self.samples:
            return []
        minutes = [s.minute for s in self.samples]
        picked = []
        for minute in range(int(minutes[-1] + 1e-6) + 1):
            at = bisect.bisect_left(minutes, minute)
            near = [i for i in (at - 1, at) if 0 <= i < len(minutes)]
            picked.append(self.samples[min(near, key=lambda i: abs(minutes[i] - minute))])
        return picked

    def excess_mb(self) -> list[tuple[float, float]]:
        """(minute, RSS of the replying app minus the connect-only app's), a minute apart."""
        return [(s.minute, s.tick_rss_mb - s.idle_rss_mb) for s in self.whole_minutes()]

    def rss_over_idle_mb(self) -> float:
        """At the run's end (its last sample)."""
        if not self.samples:
            return math.nan
        return self.samples[-1].tick_rss_mb - self.samples[-1].idle_rss_mb

    def rss_slope_mb_per_min(self) -> float:
        warm_up = min(1.0, self.minutes / 5)  # the first minute settles caches and imports
        return fit([(m, v) for m, v in self.excess_mb() if m >= warm_up]).slope

    def rss_over_idle_1h_mb(self) -> float:
        """At an hour: measured if the run was that long, else extrapolated (a falling
        line is taken as flat: memory a session gives back is no budget to spend)."""
        if not self.samples:
            return math.nan
        last_minute, last = self.samples[-1].minute, self.rss_over_idle_mb()
        if last_minute >= SESSION_MINUTES:
            return last
        return last + max(0.0, self.rss_slope_mb_per_min()) * (SESSION_MINUTES - last_minute)

    def cpu_per_minute(self, *, idle: bool = False) -> list[tuple[float, float]]:
        """(minute at the middle of the interval, CPU seconds a minute) minute by minute,
        of the replying app (`idle`: of the connect-only one)."""
        minutes = self.whole_minutes()
        rates = []
        for a, b in itertools.pairwise(minutes):
            span = b.minute - a.minute
            if span <= 0:  # samples further apart than a minute: one stands for two
                continue
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
        if not first or not last:
            return math.nan, how
        return statistics.fmean(last) / statistics.fmean(first), how

    def cpu_ratio_1h(self) -> float:
        """Last 10 / first 10 minutes of an hour: measured if the run was that long, else
        from the line fitting CPU a minute."""
        if not self.extrapolated():
            return self.cpu_ratio_measured()[0]
        return _hour_ratio(fit(self.cpu_per_minute()))

    def cpu_ratio_1h_range(self) -> tuple[float, float] | None:
        """The extrapolated ratio's interval (from the slope's), None when measured."""
        if not self.extrapolated():
            return None
        trend = fit(self.cpu_per_minute())
        return _hour_ratio(trend, trend.low), _hour_ratio(trend, trend.high)

    def extrapolated(self) -> bool:
        return self.minutes < SESSION_MINUTES

    def valid_for_budget(self) -> bool:
        return self.minutes >= MIN_MINUTES_FOR_BUDGET and not self.error

    def summary(self) -> dict[str, Any]:
        ratio, how = self.cpu_ratio_measured()
        interval = self.cpu_ratio_1h_range()
        return {
            "minutes": self.minutes,
            "commit": self.commit,
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
            "cpu_ratio_1h_low": interval[0] if interval else None,
            "cpu_ratio_1h_high": interval[1] if interval else None,
            "extrapolated": self.extrapolated(),
            "valid_for_budget": self.valid_for_budget(),
            "samples": [asdict(s) for s in self.samples],
            "error": self.error,
        }


def _hour_ratio(trend: Trend, slope: float | None = None) -> float:
    """Last 10 / first 10 minutes of an hour along `trend` (or the line of `slope`)."""

    def at(minute: float) -> float:
        # The app's event loop is one thread: it cannot burn more than a core.
        return min(CORE_SECONDS_PER_MINUTE, trend.at(minute, slope))

    return at(55.0) / max(at(5.0), 1e-9)


CODE_PATHS: Final = ("src", "benchmarks", "themes", "pyproject.toml")
"""What the app and the soak run: a commit that changes none of them (the README) changes
no figure."""
PACKAGES: Final = ("textual", "websockets", "pydantic", "platformdirs", "tomli-w")


def code_version(root: Path = ROOT) -> str | None:
    """What a soak measured: the committed trees of CODE_PATHS and the versions of the
    packages installed, as one hash. None if CODE_PATHS hold changes not committed, or
    there is no git: such figures stand for no code one could check out."""
    trees = _git(root, "rev-parse", *(f"HEAD:{path}" for path in CODE_PATHS))
    changed = _git(root, "status", "--porcelain", "--", *CODE_PATHS)
    if trees is None or changed is None or changed.strip():
        return None
    versions = []
    for package in PACKAGES:
        try:
            versions.append(f"{package}=={metadata.version(package)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{package} missing")
    return hashlib.sha256("\n".join([trees, *versions]).encode()).hexdigest()[:16]


def commit_of(root: Path = ROOT) -> str | None:
    """The commit checked out (for people: `code_version` is what is compared)."""
    head = (_git(root, "rev-parse", "HEAD") or "").strip()
    return head or None


def _git(root: Path, *args: str) -> str | None:
    """What `git ARGS` prints in `root`, None if it fails (or there is no git)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}  # not a hook's
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout


def stored_path() -> Path:
    """Where `make soak` keeps its summary, and `make bench` looks for it."""
    return RESULTS / "soak.json"


def stored_for_this_code() -> dict[str, Any] | None:
    """The last `make soak`'s summary, if it stands for the code as it is now."""
    try:
        summary: dict[str, Any] = json.loads(stored_path().read_text())
    except (OSError, ValueError):
        return None
    return summary if stands_for(summary, code_version()) else None


def stands_for(summary: dict[str, Any], code: str | None) -> bool:
    """Whether a soak's figures hold for `code`: the soak measured that very code, ran to
    its end and was long enough for the budget."""
    fit = bool(summary.get("valid_for_budget")) and not summary.get("error")
    return fit and code is not None and summary.get("code") == code


def run_soak(minutes: float, *, sample_s: float = SAMPLE_S, progress: bool = True) -> SoakResult:
    result = SoakResult(
        minutes=minutes,
        commit=commit_of(),
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
    if code_version() != result.code:
        result.code = None  # changed during the run: the figures are of no one version
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
    for minute, s in enumerate(result.whole_minutes()):
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
        + (
            f" (extrapolated from a Theil-Sen line: {summary['cpu_ratio_1h_low']:.2f}x to "
            f"{summary['cpu_ratio_1h_high']:.2f}x at 95 %)"
            if summary["extrapolated"]
            else " (measured)"
        ),
    ]
    if result.minutes < MIN_MINUTES_FOR_BUDGET:
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
    parser.add_argument("--json", type=Path, default=stored_path())
    args = parser.parse_args(argv)
    print(f"Soak: {args.minutes:g} minutes, one reply a second vs connect-only.", flush=True)
    result = run_soak(args.minutes)
    print(report(result))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result.summary(), indent=2))
    print(f"\nWritten to {args.json}")


if __name__ == "__main__":
    main()
