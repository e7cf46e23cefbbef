"""What a session's latency amounts to: p50 / p95 of each span, the responses in a chosen
order, and one response's spans as bars against a time axis.

Worked out from the tracker's records (`rt_tui.inspector.latency`) when a view asks, over
the responses rather than the frames; Textual-free, so the TUI's latency screen and a
text report read the same figures.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from rt_tui.inspector.latency import ResponseLatency

__all__ = [
    "Bar",
    "Order",
    "SpanStats",
    "duration_text",
    "ordered",
    "percentile",
    "session_stats",
    "time_axis",
    "waterfall",
]


def duration_text(ms: float | None) -> str:
    """`850 ms`, `1.24 s`, `1:05`; a dash for a time not known."""
    if ms is None:
        return "—"
    if abs(ms) < 1000:
        return f"{ms:,.0f} ms"
    if abs(ms) < 60_000:
        return f"{ms / 1000:.2f} s"
    seconds = round(ms / 1000)
    return f"{seconds // 60}:{seconds % 60:02d}"


def percentile(values: Sequence[float], q: float) -> float | None:
    """The `q`-th percentile (0 to 100) of `values` by the nearest-rank method (a value that
    occurred, not an interpolation); None for no values."""
    if not values:
        return None
    ordered_values = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered_values)))
    return ordered_values[rank - 1]


@dataclass(frozen=True, slots=True)
class SpanStats:
    """One span (or TTFA, or the total) over the session's finished responses."""

    label: str
    count: int
    p50_ms: float
    p95_ms: float
    max_ms: float


def session_stats(responses: Iterable[ResponseLatency]) -> list[SpanStats]:
    """p50, p95 and the maximum of each span the session's finished responses have (in
    milestone order of their ends), then of TTFA and of the total."""
    by_span: dict[tuple[int, int], tuple[str, list[float]]] = {}
    ttfa: list[float] = []
    totals: list[float] = []
    for response in responses:
        if not response.finished:
            continue
        for span in response.spans():
            key = (span.start, span.end)
            by_span.setdefault(key, (span.label, []))[1].append(span.duration_ms)
        if response.ttfa_ms is not None:
            ttfa.append(response.ttfa_ms)
        if response.total_ms is not None:
            totals.append(response.total_ms)
    rows = [by_span[key] for key in sorted(by_span)]
    rows += [("TTFA (to first audio)", ttfa), ("total (to response.done)", totals)]
    stats = []
    for label, values in rows:
        p50, p95 = percentile(values, 50), percentile(values, 95)
        if p50 is not None and p95 is not None:
            stats.append(SpanStats(label, len(values), p50, p95, max(values)))
    return stats


class Order(StrEnum):
    """How the responses are listed."""

    NUMBER = "order"
    TTFA = "TTFA"
    TOTAL = "total"
    TOKENS = "tokens"


_SORT_KEYS: dict[Order, Callable[[ResponseLatency], float | None]] = {
    Order.NUMBER: lambda r: r.number,
    Order.TTFA: lambda r: r.ttfa_ms,
    Order.TOTAL: lambda r: r.total_ms,
    Order.TOKENS: lambda r: r.tokens,
}


def ordered(
    responses: Iterable[ResponseLatency], order: Order, *, descending: bool = False
) -> list[ResponseLatency]:
    """The responses by `order` (ties, and those without the figure, in their own order;
    those without it last either way)."""
    key = _SORT_KEYS[order]
    known = [r for r in responses if key(r) is not None]
    unknown = [r for r in responses if key(r) is None]
    known.sort(key=lambda r: (key(r), r.number if not descending else -r.number))
    if descending:
        known.reverse()
    return known + sorted(unknown, key=lambda r: r.number)


@dataclass(frozen=True, slots=True)
class Bar:
    """One span of a waterfall: its cells `start` to `end` (exclusive) of the bar area."""

    label: str
    start: int
    end: int
    duration_ms: float


def waterfall(response: ResponseLatency, width: int) -> list[Bar]:
    """The response's spans as bars in `width` cells, the response's whole time across:
    each at least one cell wide, so a span of a few ms still shows."""
    spans = response.spans()
    width = max(1, width)
    whole = max((span.offset_ms + span.duration_ms for span in spans), default=0.0)
    scale = width / whole if whole > 0 else 0.0
    bars = []
    for span in spans:
        start = min(width - 1, round(span.offset_ms * scale))
        end = min(width, round((span.offset_ms + span.duration_ms) * scale))
        bars.append(Bar(span.label, start, max(start + 1, end), span.duration_ms))
    return bars


def _tick_label(ms: float) -> str:
    if not ms:
        return "0"
    return f"{ms:g} ms" if ms < 1000 else f"{ms / 1000:g} s"


def time_axis(whole_ms: float, width: int) -> str:
    """A line of `width` cells under the bars: tick labels at their places from 0 to
    `whole_ms`, at a round step (1, 2 or 5 times a power of ten ms) that leaves room
    between labels."""
    width = max(1, width)
    if whole_ms <= 0:
        return "0".ljust(width)[:width]
    step = 1.0
    while True:
        ticks = math.floor(whole_ms / step)
        widest = max(len(_tick_label(step * n)) for n in range(ticks + 1))
        if (ticks + 1) * (widest + 2) <= width:
            break
        step = _next_step(step)
    line = [" "] * width
    tick = 0.0
    while tick <= whole_ms:
        at = round(tick / whole_ms * width)
        label = _tick_label(tick)
        at = min(at, width - len(label))
        if at >= 0 and all(cell == " " for cell in line[max(0, at - 1) : at + len(label)]):
            line[at : at + len(label)] = label
        tick += step
    return "".join(line)


def _next_step(step: float) -> float:
    """1 → 2 → 5 → 10 → 20 …"""
    power: float = 10.0 ** math.floor(math.log10(step))
    leading = round(step / power)
    return {1: 2, 2: 5}.get(leading, 10) * power
