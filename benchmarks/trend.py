"""The straight line through a noisy series, and how sure of its slope one can be.

Theil-Sen: the slope is the median of the slopes between every two points, so one stray
point (a minute in which the machine was busier) barely moves it; the interval is Sen's
(1968), from the ranks of those slopes: about 95 % sure the true slope lies inside.
Carried far beyond the points (10 minutes out to 60), a line is only as good as that
interval, and a figure drawn from it should say so.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

_Z95 = 1.96


@dataclass(frozen=True)
class Trend:
    points: tuple[tuple[float, float], ...]
    slope: float
    low: float
    """The slope's interval, low end."""
    high: float

    def at(self, x: float, slope: float | None = None) -> float:
        """The line's value at `x` (with another `slope`, e.g. an end of the interval: the
        line of that slope through the middle of the points)."""
        slope = self.slope if slope is None else slope
        if not self.points:
            return math.nan
        return statistics.median(y - slope * px for px, y in self.points) + slope * x


def fit(points: Sequence[tuple[float, float]]) -> Trend:
    """The Theil-Sen line of `points` (x, y); slope 0 within (0, 0) if no two differ in x."""
    slopes = sorted(
        (y2 - y1) / (x2 - x1)
        for i, (x1, y1) in enumerate(points)
        for x2, y2 in points[i + 1 :]
        if x2 != x1
    )
    if not slopes:
        return Trend(tuple(points), 0.0, 0.0, 0.0)
    # Sen's interval: the spread of Kendall's S over the pairs (no ties), in ranks.
    n, pairs = len(points), len(slopes)
    reach = _Z95 * math.sqrt(n * (n - 1) * (2 * n + 5) / 18)
    low = slopes[max(0, math.floor((pairs - reach) / 2))]
    high = slopes[min(pairs - 1, math.ceil((pairs + reach) / 2))]
    return Trend(tuple(points), statistics.median(slopes), low, high)
