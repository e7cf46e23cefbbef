"""`rate_limits.updated` as gauges: how much of each limit is left, and when it resets.

The server sends the account's limits after each response (requests and tokens, each
with `limit`, `remaining` and `reset_seconds`); the newest ones are shown as they came.
"""

from __future__ import annotations

from collections.abc import Sequence

from rt_tui.realtime.session_events import RateLimit

__all__ = ["gauge_bar", "limit_line", "limits_fact", "remaining_share"]

_SHORT_NAMES = {"requests": "req", "tokens": "tok"}


def remaining_share(limit: RateLimit) -> float | None:
    """The share of the limit left (0 to 1), or None when the server did not say."""
    if limit.limit is None or limit.remaining is None or limit.limit <= 0:
        return None
    return max(0.0, min(1.0, limit.remaining / limit.limit))


def _count(value: int | None) -> str:
    return f"{value:,}" if value is not None else "?"


def limit_line(limit: RateLimit) -> str:
    """'tokens: 49,950 of 50,000 left (99.9%), resets in 60 s'."""
    share = remaining_share(limit)
    percent = f" ({share:.1%})" if share is not None else ""
    line = f"{limit.name}: {_count(limit.remaining)} of {_count(limit.limit)} left{percent}"
    if limit.reset_seconds is not None:
        line += f", resets in {limit.reset_seconds:g} s"
    return line


def limits_fact(limits: Sequence[RateLimit]) -> tuple[str, str] | None:
    """The status bar's fact, full and short: ('rate limits 999/1,000 req, 49,950/50,000
    tok left', 'limits 99%', the smallest share left); None before any
    `rate_limits.updated`."""
    if not limits:
        return None
    parts = []
    for limit in limits:
        name = _SHORT_NAMES.get(limit.name, limit.name)
        parts.append(f"{_count(limit.remaining)}/{_count(limit.limit)} {name}")
    shares = [share for share in map(remaining_share, limits) if share is not None]
    short = f"limits {min(shares):.0%}" if shares else ""
    return f"rate limits {', '.join(parts)} left", short


def gauge_bar(share: float | None, width: int) -> str:
    """A bar `width` cells wide, filled by `share` (what is left); blank when unknown."""
    if share is None:
        return "·" * width
    filled = round(share * width)
    return "█" * filled + "░" * (width - filled)
