"""The status bar: connection state, dialect, model, time left, latency, tokens, cost,
rate limits, log.

The session's time left counts down to the service's limit and changes colour in its last
5 minutes, and again in its last minute. While a lost session is retried, the bar counts
down to the next try.

Latency, tokens and cost are the current session's: a new session (ctrl+r) starts them
afresh, and the token fact says "session" so nobody reads it as a running total. The cost
turns to a warning colour once it passes the budget (`[cost] budget_usd`). Rate limits are
the account's: the last `rate_limits.updated` stays shown across sessions.

When the line is too narrow, the least important facts are shortened, then left out.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget

from rt_tui.dialect import Dialect
from rt_tui.tui.messages import LinkState

if TYPE_CHECKING:
    from rt_tui.cost.meter import CostMeter
    from rt_tui.realtime.conversation import Conversation

SESSION_LIMIT_S = 60 * 60
"""The service ends a session after 60 minutes (PROTOCOL.md §6)."""
LIMIT_NEAR_S = 5 * 60
"""Time left below which the countdown turns to a warning colour."""
LIMIT_URGENT_S = 60
"""Time left below which the countdown turns to an error colour."""

_STATE_LOOK = {
    LinkState.IDLE: ("○", "status-idle"),
    LinkState.CONNECTING: ("◌", "status-connecting"),
    LinkState.CONNECTED: ("●", "status-connected"),
    LinkState.RECONNECTING: ("↻", "status-connecting"),
    LinkState.CLOSED: ("○", "status-closed"),
    LinkState.FAILED: ("✕", "status-failed"),
    LinkState.REPLAY: ("▶", "status-idle"),
}


SEPARATOR = " · "


@dataclass(frozen=True)
class Fact:
    """One part of the status bar after the state: the lower the rank, the more it matters."""

    rank: int
    full: str
    short: str = ""
    """A shorter form used when the full one does not fit; empty: none."""
    style: str | None = None
    """A component class to draw it with (a warning); None: the bar's own look."""


def fit_facts(facts: list[Fact], room: int) -> list[str]:
    """The facts to show in `room` cells, in their order: the least important ones are
    shortened first, then left out, until the rest fits (each costs a separator too)."""
    shown = {index: fact.full for index, fact in enumerate(facts)}

    def width() -> int:
        return sum(cell_len(SEPARATOR) + cell_len(text) for text in shown.values())

    by_rank = sorted(range(len(facts)), key=lambda index: facts[index].rank, reverse=True)
    for index in by_rank:
        if width() <= room:
            break
        if facts[index].short:
            shown[index] = facts[index].short
    for index in by_rank:
        if width() <= room:
            break
        del shown[index]
    return [shown[index] for index in sorted(shown)]


def format_left(seconds: float) -> str:
    """The session's time left as `mm:ss left`, rounded up (`59:12 left`)."""
    whole = max(0, math.ceil(seconds))
    return f"{whole // 60:02d}:{whole % 60:02d} left"


def limit_class(seconds_left: float) -> str | None:
    """The component class of the countdown with this much time left; None: no warning."""
    if seconds_left <= LIMIT_URGENT_S:
        return "status-limit-urgent"
    if seconds_left <= LIMIT_NEAR_S:
        return "status-limit-near"
    return None


class StatusBar(Widget):
    """One line at the bottom of the main screen.

    Setters only store values and ask for a refresh; a timer looks twice a second, and
    repaints the bar if something changed or the countdown shows a new second, so it
    repaints at most twice a second however fast frames arrive.
    """

    DEFAULT_CSS = """
    StatusBar {
        height: 1;
        width: 1fr;
    }
    """

    COMPONENT_CLASSES = {
        "status-idle",
        "status-connecting",
        "status-connected",
        "status-closed",
        "status-failed",
        "status-dim",
        "status-limit-near",
        "status-limit-urgent",
        "status-over-budget",
    }

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        costs: Callable[[], CostMeter] | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._clock = clock
        self.state = LinkState.IDLE
        self.host = ""
        self.dialect: Dialect | None = None
        self.model = ""
        self.detail = ""
        self.connected_at: float | None = None
        self.latency_ms: float | None = None
        self.input_tokens = 0
        self.output_tokens = 0
        self._costs = costs
        """Prices the session's tokens (made when first asked); None: no cost is shown."""
        self.cost = ""
        """The session's cost so far (`$0.0123`, or "no price"); empty before any usage."""
        self.over_budget = False
        self.limits: tuple[str, str] | None = None
        """The last rate limits, full and short (`rate_limits.fact`); None: none yet."""
        self.log_path: Path | None = None
        self.log_stopped = False
        """The log stopped being written (a full disk): the mark says so instead of `rec`."""
        self.session_limit_s: float = SESSION_LIMIT_S
        """How long a session lasts; the countdown runs from CONNECTED to this."""
        self.retry_at: float | None = None
        """RECONNECTING: when the next try starts."""
        self.retry_text = ""
        """RECONNECTING: which try that is (`try 2 of 8`)."""
        self._dirty = False
        self._shown_clock = ""
        """What the bar shows that changes with time alone, as last painted."""

    def on_mount(self) -> None:
        self.set_interval(0.5, self._tick)

    def _tick(self) -> None:
        if self._dirty or self._clock_text() != self._shown_clock:
            self._dirty = False
            self.refresh()

    def _clock_text(self) -> str:
        """What the bar shows that changes with time alone: the wait before the next try,
        or the session's time left (each to the second)."""
        if self.state is LinkState.RECONNECTING and self.retry_at is not None:
            return f"{max(0, math.ceil(self.retry_at - self._clock()))}"
        left = self.seconds_left()
        return "" if left is None else format_left(left)

    def _changed(self) -> None:
        self._dirty = True

    def set_link(
        self,
        state: LinkState,
        *,
        host: str = "",
        dialect: Dialect | None = None,
        model: str = "",
        detail: str = "",
        retry_at: float | None = None,
        retry_text: str = "",
    ) -> None:
        """Show a new connection state; the time left counts from the moment it is
        CONNECTED; RECONNECTING counts down to `retry_at`."""
        if state is LinkState.CONNECTED and self.state is not LinkState.CONNECTED:
            self.connected_at = self._clock()
        self.retry_at = retry_at
        self.retry_text = retry_text
        self.state = state
        self.host = host or self.host
        self.dialect = dialect or self.dialect
        self.model = model or self.model
        self.detail = detail
        # A state change is worth showing at once.
        self.refresh()

    def seconds_left(self) -> float | None:
        """The session's time left, while one is connected."""
        if self.state is not LinkState.CONNECTED or self.connected_at is None:
            return None
        return self.session_limit_s - (self._clock() - self.connected_at)

    def set_usage(self, *, latency_ms: float | None, input_tokens: int, output_tokens: int) -> None:
        """This session's last latency and token totals."""
        self.latency_ms = latency_ms
        self.input_tokens = input_tokens
        self.output_tokens = output_tokens
        self._changed()

    def show_usage(self, conversation: Conversation) -> None:
        """Show the conversation's token totals and its newest time to first delta."""
        # Here: the price table loads with the first usage, not with the first frame.
        from rt_tui.cost.meter import NO_PRICE, usd
        from rt_tui.cost.rate_limits import limits_fact

        latency = None
        for response in reversed(conversation.responses.values()):
            latency = response.timings.time_to_first_delta_ms
            if latency is not None:
                break
        totals = conversation.totals
        self.set_usage(
            latency_ms=latency,
            input_tokens=totals.input_tokens,
            output_tokens=totals.output_tokens,
        )
        self.limits = limits_fact(conversation.rate_limits)
        if self._costs is None or not totals.responses:
            return
        costs = self._costs()
        spent = costs.pricing(conversation.session, self.model).cost(totals.counts)
        self.cost = usd(spent) if spent is not None else NO_PRICE
        self.over_budget = costs.budget.over(spent)

    def clear_usage(self) -> None:
        """A new session: no latency, tokens or cost yet."""
        self.set_usage(latency_ms=None, input_tokens=0, output_tokens=0)
        self.cost = ""
        self.over_budget = False

    def set_log_path(self, path: Path | None) -> None:
        """The log being written (None: none)."""
        self.log_path = path
        self.log_stopped = False
        self._changed()

    def set_log_stopped(self) -> None:
        """The log can no longer be written: `rec …` becomes `rec stopped`."""
        self.log_stopped = True
        self._changed()

    def render(self) -> Text:
        self._shown_clock = self._clock_text()
        mark, style_class = _STATE_LOOK[self.state]
        style = self.get_component_rich_style(style_class)
        dim = self.get_component_rich_style("status-dim")
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f"{mark} ", style)
        if self.state is LinkState.CONNECTED:
            text.append(f"{self.host}", style)
        elif self.state is LinkState.CONNECTING:
            text.append(f"connecting to {self.host}…" if self.host else "connecting…", style)
        elif self.state is LinkState.RECONNECTING and self.retry_at is not None:
            text.append(f"reconnecting in {self._shown_clock} s", style)  # the wait
            text.append(f" ({self.retry_text}; Esc stops)" if self.retry_text else "", dim)
        else:
            text.append(self.state.value, style)
            if self.detail:
                text.append(f" {self.detail}", dim)
        room = self.size.width - text.cell_len if self.size.width else 10_000
        facts = self._facts()
        styles = {
            form: fact.style
            for fact in facts
            if fact.style
            for form in (fact.full, fact.short)
            if form
        }
        for part in fit_facts(facts, room):
            text.append(SEPARATOR, dim)
            look = styles.get(part)
            text.append(part, self.get_component_rich_style(look) if look else "")
        return text

    def _facts(self) -> list[Fact]:
        """What follows the state, in display order, each with its rank and short form."""
        facts = []
        if self.dialect is not None:
            facts.append(Fact(1, self.dialect.value))
        if self.model:
            facts.append(Fact(2, self.model))
        left = self.seconds_left()
        if left is not None:
            shown = format_left(left)
            facts.append(Fact(3, shown, shown.partition(" ")[0], limit_class(left)))
        if self.latency_ms is not None:
            facts.append(Fact(4, f"{self.latency_ms:,.0f} ms"))
        if self.input_tokens or self.output_tokens:
            ins, outs = f"{self.input_tokens:,}", f"{self.output_tokens:,}"
            facts.append(Fact(5, f"session {ins} in / {outs} out tok", f"{ins}/{outs} tok"))
        if self.cost:
            from rt_tui.cost.meter import NO_PRICE, usd  # loaded since the cost was shown

            budget = self._costs().budget.limit_usd if self._costs is not None else None
            full = self.cost
            if budget is not None and self.cost != NO_PRICE:
                full = f"{self.cost} of {usd(budget)} budget"
            style = "status-over-budget" if self.over_budget else None
            facts.append(Fact(4, full, self.cost if full != self.cost else "", style))
        if self.limits is not None:
            full, short = self.limits
            facts.append(Fact(7, full, short))
        if self.log_stopped:
            # Kept before the other facts: the user must not think the session is recorded.
            facts.append(Fact(1, "rec stopped"))
        elif self.log_path is not None:
            stem = self.log_path.stem
            short = f"rec …{stem[-6:]}" if len(stem) > 8 else f"rec {stem}"
            facts.append(Fact(6, f"rec {self.log_path.name}", short))
        return facts
