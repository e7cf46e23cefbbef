"""`python -m benchmarks` (make bench): every figure of the budget table, in one run.

Each trial runs in a fresh child process against a benchmark server in another process
(`benchmarks.flood_server`); the repeats go round the whole plan in turn, so the figures
of one repeat are taken side by side under the same machine load. Then start-up
(`benchmarks.first_paint`) and a short soak (`benchmarks.soak`), unless `make soak` has
measured this same commit for 10 minutes or more: then its figures. The table goes to stdout,
everything to benchmarks/results/latest.json (not committed: figures of one machine).

    python -m benchmarks                  # the full run (under 10 minutes on 2 cores)
    python -m benchmarks --quick          # one repeat, smaller sizes: a smoke run
    python -m benchmarks --only paced_1x,paced_20x --repeats 5
    python -m benchmarks inspector        # a micro-benchmark of one piece (benchmarks.pieces)
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import sys
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from benchmarks import first_paint, soak
from benchmarks.child import TrialFailed, run_trial
from benchmarks.figures import Results, build_table
from benchmarks.pieces import __main__ as pieces
from benchmarks.trials import Params

RESULTS = Path(__file__).parent / "results"


@dataclass(frozen=True)
class Step:
    name: str
    trial: str
    params: Params
    timeout: float = 300.0
    extra_repeats: int = 0
    """Rounds beyond the run's repeats, for a figure whose spread between runs is wide
    beside its budget: its median then says more than three runs would."""


def plan(quick: bool) -> list[Step]:
    """What one repeat runs. `quick` shrinks the sizes, never drops a figure."""
    # Long enough that the bare client, the fastest peer, takes 0.3-0.5 s: at 10,000 text
    # and 4,000 audio deltas it took under 0.1 s, and its rate moved by a third between runs.
    text = {"kind": "text", "deltas": 30_000, "replies": 60}
    audio = {"kind": "audio", "deltas": 20_000, "replies": 50}
    one_x = {"audio": 50, "text": 100, "seconds": 10, "reply_seconds": 2, "cpu_window": True}
    twenty_x = {"audio": 1000, "text": 2000, "seconds": 6, "reply_seconds": 2, "drain_timeout": 15}
    minutes = 30
    open_mic = {"seconds": 60, "speech_s": 1.2, "pause_s": 4.8, "filter_every_s": 5}
    if quick:
        open_mic = {**open_mic, "seconds": 15}
        text = {**text, "deltas": 2_500, "replies": 5}
        audio = {**audio, "deltas": 1_000, "replies": 5}
        one_x = {**one_x, "seconds": 4}
        twenty_x = {**twenty_x, "seconds": 4}
        minutes = 5
    return [
        Step("peers_text", "peers_flood", text),
        Step("app_text", "app_flood", text),
        Step("peers_audio", "peers_flood", audio),
        Step("app_audio", "app_flood", audio),
        # CPU at 1x moved from 0.14 to 0.21 core between the repeats of one run.
        Step("paced_1x", "paced", one_x, extra_repeats=0 if quick else 2),
        Step("paced_20x", "paced", twenty_x),
        Step("audio_30min", "audio_session", {"minutes": minutes}, timeout=900),
        # The freezes stop at a deadline: past a few seconds the budget (0.5 s) is long
        # missed, and the figure is then a lower bound.
        Step("big_delta", "big_delta", {"bytes": 2_000_000, "deadline_s": 10}),
        Step("raw_paste", "raw_paste", {"bytes": 5_000_000, "deadline_s": 10}),
        Step("open_mic", "open_mic", open_mic),
    ]


def machine() -> dict[str, Any]:
    versions: dict[str, str | None] = {}
    for package in ("textual", "websockets", "openai", "rt-tui"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average": os.getloadavg(),
        "versions": versions,
    }


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in pieces.PIECES:
        return pieces.main(argv)
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--quick", action="store_true", help="one repeat, smaller sizes")
    parser.add_argument(
        "--repeats", type=int, help="runs of each trial (default 3; 5 of CPU at 1x)"
    )
    parser.add_argument("--only", help="comma-separated steps (and first_paint, soak)")
    parser.add_argument(
        "--soak-minutes",
        type=float,
        help="run a soak this long (default: the last make soak of this code, else 1 minute)",
    )
    parser.add_argument("--json", type=Path, default=RESULTS / "latest.json")
    args = parser.parse_args(argv)
    repeats = args.repeats or (1 if args.quick else 3)
    soak_minutes = args.soak_minutes or 1.0  # too short to judge: a smoke run of the soak
    steps = plan(args.quick)
    wanted = set(args.only.split(",")) if args.only else None
    known = {s.name for s in steps} | {"first_paint", "soak"}
    if wanted is not None and not wanted <= known:
        unknown, have = ", ".join(sorted(wanted - known)), ", ".join(sorted(known))
        print(f"Unknown step(s): {unknown} (have: {have}).")
        return 2

    def chosen(name: str) -> bool:
        return wanted is None or name in wanted

    began = time.perf_counter()
    started = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    before = machine()
    print(
        f"rt-tui benchmarks: {repeats} repeat(s), load average {before['load_average'][0]:.1f} "
        f"on {before['cpus']} CPUs",
        flush=True,
    )

    def clock() -> str:
        return f"[{time.perf_counter() - began:5.0f} s]"

    results: Results = {}
    failures: list[str] = []

    def runs_of(step: Step) -> int:
        # --repeats says how many, for every trial alike.
        return repeats if args.repeats else repeats + step.extra_repeats

    rounds = max((runs_of(s) for s in steps if chosen(s.name)), default=0)
    for repeat in range(1, rounds + 1):
        for step in steps:
            runs = runs_of(step)
            if not chosen(step.name) or repeat > runs:
                continue
            t0 = time.perf_counter()
            try:
                result = run_trial(step.trial, step.params, timeout=step.timeout)
            except TrialFailed as exc:
                failures.append(str(exc))
                print(f"{clock()} {repeat}/{runs} {step.name}: FAILED: {exc}", flush=True)
                continue
            results.setdefault(step.name, []).append(result)
            print(
                f"{clock()} {repeat}/{runs} {step.name} ({time.perf_counter() - t0:.1f} s)",
                flush=True,
            )

    paint = None
    if chosen("first_paint"):
        # Start-up moves most with the machine's load: more pairs than other trials' repeats.
        paint = first_paint.measure(5 if args.quick else max(repeats, 11))
        print(f"{clock()} first paint ({len(paint['ratios'])} pairs)", flush=True)
    soak_summary, soak_from = None, None
    if chosen("soak"):
        # The soak's budget needs 10 minutes or more, longer than this whole run: a `make
        # soak` of this very code stands in for the short soak.
        soak_summary = soak.stored_for_this_code() if args.soak_minutes is None else None
        if soak_summary is not None:
            soak_from = str(soak.stored_path())
            print(
                f"{clock()} soak: make soak's {soak_summary['minutes']:g} min of this code "
                f"({soak_summary['started']}), from {soak_from}",
                flush=True,
            )
        else:
            print(
                f"{clock()} soak: {soak_minutes:g} min (make soak MINUTES=10 for the budget)",
                flush=True,
            )
            soak_summary = soak.run_soak(soak_minutes, progress=False).summary()

    table = build_table(results, paint, soak_summary)
    after = machine()
    took = time.perf_counter() - began
    print()
    print(table.render())
    print()
    print(details(steps, results, paint, soak_summary))
    print(
        f"\n{took / 60:.1f} min; load average {before['load_average'][0]:.1f} before, "
        f"{after['load_average'][0]:.1f} after, on {after['cpus']} CPUs (figures of CPU time "
        "and latency move with the load)."
    )
    for failure in failures:
        print(f"FAILED: {failure}")
    report = {
        "started": started,
        "seconds": took,
        "repeats": repeats,
        "quick": args.quick,
        "machine": {"before": before, "after": after},
        "plan": {s.name: {**s.params, "runs": runs_of(s)} for s in steps if chosen(s.name)},
        "figures": table.as_json(),
        "markdown": table.markdown(),
        "results": results,
        "first_paint": paint,
        "soak": soak_summary,
        "soak_from": soak_from,
        "failures": failures,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(_no_nan(report), indent=2))
    print(f"Written to {args.json}")
    return 1 if failures else 0


def _no_nan(value: Any) -> Any:
    """`value` with NaN (a figure not measured) as null, so the file is strict JSON."""
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, dict):
        return {k: _no_nan(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_no_nan(v) for v in value]
    return value


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2] if ordered else float("nan")


def details(
    steps: list[Step],
    results: Results,
    paint: dict[str, Any] | None,
    soak_summary: dict[str, Any] | None,
) -> str:
    """The raw figures behind the ratios, medians over the repeats."""

    def med(name: str, *path: str) -> float:
        values = []
        for result in results.get(name, []):
            value: Any = result
            for step in path:
                value = value[step]
            values.append(float(value))
        return _median(values)

    lines = ["Details (medians):"]
    for kind, name in (("text", "peers_text"), ("audio", "peers_audio")):
        deltas = next(s.params["deltas"] for s in steps if s.name == name)
        app = med(f"app_{kind}", "app_s")
        rates = ", ".join(
            f"{who} {deltas / med(name, f'{who}_s'):,.0f}" for who in ("bare", "sdk", "engine")
        )
        lines.append(
            f"  {kind} flood, deltas/s: {rates}, TUI {deltas / app:,.0f} "
            f"(TUI loop lag p99 {med(f'app_{kind}', 'lag', 'p99_ms'):.0f} ms)"
        )
    for name, label in (("paced_1x", "1x"), ("paced_20x", "20x")):
        if name in results:
            lines.append(
                f"  {label}: loop lag p50 {med(name, 'lag', 'p50_ms'):.1f} / p99 "
                f"{med(name, 'lag', 'p99_ms'):.0f} / max {med(name, 'lag', 'max_ms'):.0f} ms; "
                f"key -> screen p50 {med(name, 'keys', 'p50_ms'):.0f} / p99 "
                f"{med(name, 'keys', 'p99_ms'):.0f} ms; CPU {med(name, 'cpu_cores'):.2f} core "
                f"({med(name, 'cpu_cores_with_lag_probe'):.2f} with the lag probe running); "
                f"reply end taken in {med(name, 'reply_lateness_max_s'):.2f} s after sent (worst), "
                f"server held back {med(name, 'server_behind_max_s'):.2f} s"
            )
    if "audio_30min" in results:
        lines.append(
            f"  30 min of audio: {med('audio_30min', 'pcm_mb'):.0f} MB PCM, disk "
            f"{med('audio_30min', 'disk_mb'):.0f} MB, "
            f"taken in {med('audio_30min', 'seconds'):.1f} s"
        )
    for name, label in (("big_delta", "2 MB delta"), ("raw_paste", "5 MB /raw")):
        if name in results:
            lines.append(f"  {label}: peak RSS +{med(name, 'peak_rss_growth_mb'):.0f} MB")
    if "open_mic" in results:
        lines.append(
            f"  open mic: {med('open_mic', 'replies'):.0f} replies played; "
            f"{med('open_mic', 'filters_shown'):.0f} of {med('open_mic', 'filters'):.0f} "
            "filters shown before the next; key -> screen p99 "
            f"{med('open_mic', 'keys', 'p99_ms'):.0f} ms; loop lag max "
            f"{med('open_mic', 'lag', 'max_ms'):.0f} ms; device blocks late "
            f"{med('open_mic', 'device_late_blocks'):.0f}"
        )
    if paint is not None:
        lines.append(
            f"  first frame: minimal {_median(paint['minimal_s']) * 1000:.0f} ms, "
            f"rt-tui --demo {_median(paint['rt_tui_s']) * 1000:.0f} ms"
        )
    if soak_summary is not None:
        lines.append(
            f"  soak {soak_summary['minutes']:g} min: {soak_summary['replies_sent']} replies; "
            f"RSS over connect-only {soak_summary['rss_over_idle_mb']:+.1f} MB"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
