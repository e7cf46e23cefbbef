"""The budget table of issue 7: each figure with its budget, from the trials' results.

A figure is computed once per repeat (a ratio from trials of the same repeat, side by
side), then reported as the median with its spread (lowest - highest) and checked
against its budget.
"""

from __future__ import annotations

import math
import operator
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

Results = dict[str, list[dict[str, Any]]]
"""Trial results by plan entry name, one per repeat."""

_OPS: Final[dict[str, Callable[[float, float], bool]]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">=": operator.ge,
}


@dataclass(frozen=True)
class Figure:
    key: str
    title: str
    unit: str
    """'MB', 'ms', 's', 'x' (a ratio), 'core' or 'count'."""
    op: str
    limit: float
    issue: str
    """What the issue measured ("today" in its table), for reference."""

    @property
    def budget(self) -> str:
        op = {"<=": "≤", ">=": "≥"}.get(self.op, self.op)
        return f"{op} {_number(self.limit, self.unit)}"

    def holds(self, value: float) -> bool:
        return not math.isnan(value) and _OPS[self.op](value, self.limit)


FIGURES: Final = (
    Figure(
        "soak_rss",
        "1-hour session, one reply/s: RSS growth over a connect-only app",
        "MB",
        "<",
        50,
        "~+30 MB/min",
    ),
    Figure("soak_cpu", "same: CPU per minute, last 10 min / first 10 min", "x", "<=", 1.2, "~4.5x"),
    Figure(
        "lag_1x", "event-loop lag p99 at 1x (50 audio + 100 text deltas/s)", "ms", "<", 30, "140 ms"
    ),
    Figure("key_1x", "key press -> screen, p99, at 1x", "ms", "<", 50, "205 ms"),
    Figure("cpu_1x", "CPU at 1x", "core", "<", 0.2, "0.48 core"),
    Figure("lag_20x", "event-loop lag p99 at 20x (and the app keeps up)", "ms", "<", 100, "295 ms"),
    Figure("tui_bare_text", "headless TUI / bare websockets, text flood", "x", ">=", 0.3, "0.083"),
    Figure(
        "tui_bare_audio", "headless TUI / bare websockets, 8 KB audio flood", "x", ">=", 0.3, "0.14"
    ),
    Figure("engine_bare_text", "engine / bare websockets, text", "x", ">=", 0.5, "0.25"),
    Figure("engine_bare_audio", "engine / bare websockets, audio", "x", ">=", 0.5, "0.27"),
    Figure("engine_sdk_text", "engine / openai SDK recv loop, text", "x", ">=", 2, "2.3"),
    Figure("engine_sdk_audio", "engine / openai SDK recv loop, audio", "x", ">=", 2, "0.85"),
    Figure("audio_rss", "30 min of assistant audio: RSS growth", "MB", "<", 40, "+140 MB"),
    Figure("audio_disk", "disk for that session / PCM size", "x", "<=", 1.4, "3.1"),
    Figure("freeze_delta", "2 MB delta: longest UI freeze", "s", "<", 0.5, "~12 s"),
    Figure("freeze_raw", "5 MB /raw frame: longest UI freeze", "s", "<", 0.5, "~14 s"),
    Figure("first_paint", "first frame painted / minimal Textual app", "x", "<=", 1.5, "3.1x"),
    Figure(
        "open_mic_overruns",
        "60 s open mic + playback, inspector filtering 100k frames, typing: capture overruns",
        "count",
        "<=",
        0,
        "new",
    ),
    Figure("open_mic_underruns", "same: playback underruns", "count", "<=", 0, "new"),
    Figure("open_mic_lag", "same: event-loop lag p99", "ms", "<", 30, "new"),
)
_BY_KEY: Final = {f.key: f for f in FIGURES}


@dataclass
class Measured:
    figure: Figure
    values: list[float]
    note: str = ""
    condition: bool = True
    """A side condition of the budget (the app keeps up at 20x)."""
    not_judged: str = ""
    """Why the figure, shown, is neither passed nor failed (a soak too short for the
    budget, or extrapolated too far to tell)."""
    lower_bound: bool = False
    """Some runs were cut short: the true figure is at least this."""

    @property
    def median(self) -> float:
        return statistics.median(self.values) if self.values else math.nan

    @property
    def passed(self) -> bool | None:
        """None when not measured, or not judged (see `not_judged`)."""
        if not self.values or self.not_judged:
            return None
        return self.figure.holds(self.median) and self.condition

    def verdict(self, fail: str) -> str:
        if self.not_judged:
            return f"not judged ({self.not_judged})"
        return "pass" if self.passed else fail

    def as_json(self) -> dict[str, Any]:
        f = self.figure
        return {
            "key": f.key,
            "title": f.title,
            "unit": f.unit,
            "budget": f.budget,
            "issue": f.issue,
            "values": self.values,
            "median": self.median,
            "min": min(self.values, default=math.nan),
            "max": max(self.values, default=math.nan),
            "passed": self.passed,
            "not_judged": self.not_judged,
            "lower_bound": self.lower_bound,
            "note": self.note,
        }


@dataclass
class Table:
    rows: list[Measured] = field(default_factory=list)

    def as_json(self) -> list[dict[str, Any]]:
        return [row.as_json() for row in self.rows]

    def render(self) -> str:
        head = ("figure", "issue", "budget", "median", "spread", "n", "")
        body = []
        for row in self.rows:
            f = row.figure
            if row.values:
                mark = "≥ " if row.lower_bound else ""
                median = mark + _number(row.median, f.unit)
                low, high = min(row.values), max(row.values)
                spread = f"{_number(low, f.unit)} - {_number(high, f.unit)}"
                verdict = row.verdict("FAIL")
            else:
                median, spread, verdict = "—", "", "not measured"
            body.append((f.title, f.issue, f.budget, median, spread, str(len(row.values)), verdict))
        widths = [max(len(r[i]) for r in (head, *body)) for i in range(len(head))]
        lines = ["  ".join(cell.ljust(w) for cell, w in zip(head, widths, strict=True)).rstrip()]
        lines.append("  ".join("-" * w for w in widths))
        for cells, row in zip(body, self.rows, strict=True):
            lines.append("  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip())
            if row.note:
                lines.append(f"    {row.note}")
        return "\n".join(lines)

    def markdown(self) -> str:
        """The table for the README: figure, budget, measured median (spread)."""
        lines = ["| figure | budget | measured (median, spread) | |", "|---|---|---|---|"]
        for row in self.rows:
            f = row.figure
            if row.values:
                mark = "≥ " if row.lower_bound else ""
                value = (
                    f"{mark}{_number(row.median, f.unit)} "
                    f"({_number(min(row.values), f.unit)} - {_number(max(row.values), f.unit)})"
                )
                verdict = row.verdict("**fail**")
            else:
                value, verdict = "not measured", ""
            lines.append(f"| {f.title} | {f.budget} | {value} | {verdict} |")
        return "\n".join(lines)


def _number(value: float, unit: str) -> str:
    if math.isnan(value):
        return "n/a"
    if unit == "x":
        return f"{value:.3g}x" if value < 10 else f"{value:.0f}x"
    if unit == "ms":
        return f"{value:.0f} ms" if value >= 10 else f"{value:.1f} ms"
    if unit == "s":
        return f"{value:.2f} s" if value < 10 else f"{value:.1f} s"
    if unit == "MB":
        return f"{value:+.0f} MB" if abs(value) >= 10 else f"{value:+.1f} MB"
    if unit == "core":
        return f"{value:.2f} core"
    if unit == "count":
        return f"{value:.0f}"
    return f"{value:g} {unit}"


def _get(results: Results, name: str, path: Sequence[str]) -> list[float]:
    values = []
    for result in results.get(name, []):
        value: Any = result
        for step in path:
            value = value[step]
        values.append(float(value))
    return values


def _ratios(top: list[float], bottom: list[float]) -> list[float]:
    """top[i] / bottom[i] for the repeats that have both."""
    return [a / b for a, b in zip(top, bottom, strict=False) if b > 0]


def _add_soak(rows: dict[str, Measured], soak: dict[str, Any]) -> None:
    """The two soak rows, from a soak's summary."""
    how = (
        f"extrapolated to 1 hour from a {soak['minutes']:g}-min soak"
        if soak["extrapolated"]
        else f"measured over {soak['minutes']:g} min"
    )
    if soak.get("commit"):
        how += f" of {soak['commit'][:10]} ({soak['started']})"
    short = ""
    if soak.get("error"):
        short = "the soak stopped early"
    elif not soak["valid_for_budget"]:
        short = "short run: make soak MINUTES=10"
    rows["soak_rss"] = Measured(
        _BY_KEY["soak_rss"],
        [soak["rss_over_idle_1h_mb"]],
        not_judged=short,
        note=f"{how} ({soak['rss_over_idle_mb']:+.1f} MB after {soak['minutes']:g} min, "
        f"{soak['rss_slope_mb_per_min']:+.2f} MB/min)",
    )
    cpu = _BY_KEY["soak_cpu"]
    note = f"{how}; measured {soak['cpu_ratio_measured_how']}: {soak['cpu_ratio_measured']:.2f}x"
    uncertain = ""
    if soak["extrapolated"] and soak.get("cpu_ratio_1h_low") is not None:
        low, high = soak["cpu_ratio_1h_low"], soak["cpu_ratio_1h_high"]
        note += f"; the line's 95 % interval: {low:.2f}x to {high:.2f}x"
        if cpu.holds(low) != cpu.holds(high):
            uncertain = "the interval spans the budget: make soak MINUTES=60"
    rows["soak_cpu"] = Measured(
        cpu, [soak["cpu_ratio_1h"]], not_judged=short or uncertain, note=note
    )


def build_table(
    results: Results, first_paint: dict[str, Any] | None, soak: dict[str, Any] | None
) -> Table:
    """The figures from the trials' results (`first_paint`, `soak`: their summaries)."""
    rows: dict[str, Measured] = {}

    def add(key: str, values: list[float], **kwargs: Any) -> None:
        rows[key] = Measured(_BY_KEY[key], values, **kwargs)

    if soak is not None:
        _add_soak(rows, soak)
    add("lag_1x", _get(results, "paced_1x", ("lag", "p99_ms")))
    add("key_1x", _get(results, "paced_1x", ("keys", "p99_ms")))
    add("cpu_1x", _get(results, "paced_1x", ("cpu_cores",)))
    kept_up = [bool(r["kept_up"]) for r in results.get("paced_20x", [])]
    add(
        "lag_20x",
        _get(results, "paced_20x", ("lag", "p99_ms")),
        condition=all(kept_up),
        note=f"kept up in {sum(kept_up)} of {len(kept_up)} runs" if not all(kept_up) else "",
    )
    for kind in ("text", "audio"):
        bare = _get(results, f"peers_{kind}", ("bare_s",))
        sdk = _get(results, f"peers_{kind}", ("sdk_s",))
        engine = _get(results, f"peers_{kind}", ("engine_s",))
        app = _get(results, f"app_{kind}", ("app_s",))
        # Same work for every client, so throughput ratios are inverse time ratios.
        add(f"tui_bare_{kind}", _ratios(bare, app))
        add(f"engine_bare_{kind}", _ratios(bare, engine))
        add(f"engine_sdk_{kind}", _ratios(sdk, engine))
    add("audio_rss", _get(results, "audio_30min", ("rss_growth_mb",)))
    add("audio_disk", _get(results, "audio_30min", ("disk_over_pcm",)))
    for key, name in (("freeze_delta", "big_delta"), ("freeze_raw", "raw_paste")):
        runs = results.get(name, [])
        add(
            key,
            _get(results, name, ("freeze_s",)),
            lower_bound=any(r["cut_short"] for r in runs),
            note="some runs were stopped at the deadline: the freeze is at least this"
            if any(r["cut_short"] for r in runs)
            else "",
        )
    if first_paint is not None:
        add("first_paint", first_paint["ratios"])
    talked = [r["replies"] > 0 for r in results.get("open_mic", [])]
    silent = "" if all(talked) else "some runs heard no reply: nothing was played"
    add("open_mic_overruns", _get(results, "open_mic", ("capture_overruns",)), note=silent)
    add(
        "open_mic_underruns",
        _get(results, "open_mic", ("playback_underruns",)),
        condition=all(talked),
    )
    # The loop is free only if the filters' work is done, not left undone: each filter's
    # rows must reach the screen.
    filtered = [r["filters_shown"] == r["filters"] for r in results.get("open_mic", [])]
    add(
        "open_mic_lag",
        _get(results, "open_mic", ("lag", "p99_ms")),
        condition=all(filtered),
        note="" if all(filtered) else "some filters' rows never reached the screen",
    )
    return Table([rows.get(f.key, Measured(f, [])) for f in FIGURES])
