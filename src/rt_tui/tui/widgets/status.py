"""The status bar: connection state, dialect, model, session age, latency, tokens, log.

Latency and tokens are the current session's: a new session (ctrl+r) starts them afresh,
and the token fact says "session" so nobody reads it as a running total.

When the line is too narrow, the least important facts are shortened, then left out.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget

from rt_tui.dialect import Dialect
from rt_tui.realtime.conversation import Conversation
from rt_tui.tui.messages import LinkState

SESSION_LIMIT_S = 60 * 60
"""The service ends a session after 60 minutes (PROTOCOL.md §6)."""

_STATE_LOOK = {
    LinkState.IDLE: ("○", "status-idle"),
    LinkState.CONNECTING: ("◌", "status-connecting"),
    LinkState.CONNECTED: ("●", "status-connected"),
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


def format_age(seconds: float) -> str:
    """`mm:ss` against the one-hour limit, e.g. `12:03 / 60:00`."""
    whole = max(0, int(seconds))
    return f"{whole // 60:02d}:{whole % 60:02d} / {SESSION_LIMIT_S // 60:02d}:00"


class StatusBar(Widget):
    """One line at the bottom of the main screen.

    Setters only store values and ask for a refresh; a timer redraws the session age twice a
    second, so the bar repaints at most a few times a second however fast frames arrive.
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
    }

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
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
        self.log_path: Path | None = None
        self.log_stopped = False
        """The log stopped being written (a full disk): the mark says so instead of `rec`."""
        self._dirty = False

    def on_mount(self) -> None:
        self.set_interval(0.5, self._tick)

    def _tick(self) -> None:
        if self._dirty or self.state is LinkState.CONNECTED:
            self._dirty = False
            self.refresh()

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
    ) -> None:
        """Show a new connection state; the age counts from the moment it is CONNECTED."""
        if state is LinkState.CONNECTED and self.state is not LinkState.CONNECTED:
            self.connected_at = self._clock()
        self.state = state
        self.host = host or self.host
        self.dialect = dialect or self.dialect
        self.model = model or self.model
        self.detail = detail
        # A state change is worth showing at once.
        self.refresh()

    def set_usage(self, *, latency_ms: float | None, input_tokens: int, output_tokens: int) -> None:
        """This session's last latency and token totals."""
        self.latency_ms = latency_ms
        self.input_tokens = input_tokens
        self.output_tokens = output_tokens
        self._changed()

    def show_usage(self, conversation: Conversation) -> None:
        """Show the conversation's token totals and its newest time to first delta."""
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

    def clear_usage(self) -> None:
        """A new session: no latency or tokens yet."""
        self.set_usage(latency_ms=None, input_tokens=0, output_tokens=0)

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
        mark, style_class = _STATE_LOOK[self.state]
        style = self.get_component_rich_style(style_class)
        dim = self.get_component_rich_style("status-dim")
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f"{mark} ", style)
        if self.state is LinkState.CONNECTED:
            text.append(f"{self.host}", style)
        elif self.state is LinkState.CONNECTING:
            text.append(f"connecting to {self.host}…" if self.host else "connecting…", style)
        else:
            text.append(self.state.value, style)
            if self.detail:
                text.append(f" {self.detail}", dim)
        room = self.size.width - text.cell_len if self.size.width else 10_000
        for part in fit_facts(self._facts(), room):
            text.append(SEPARATOR, dim)
            text.append(part)
        return text

    def _facts(self) -> list[Fact]:
        """What follows the state, in display order, each with its rank and short form."""
        facts = []
        if self.dialect is not None:
            facts.append(Fact(1, self.dialect.value))
        if self.model:
            facts.append(Fact(2, self.model))
        if self.state is LinkState.CONNECTED and self.connected_at is not None:
            age = format_age(self._clock() - self.connected_at)
            facts.append(Fact(3, age, age.partition(" ")[0]))
        if self.latency_ms is not None:
            facts.append(Fact(4, f"{self.latency_ms:,.0f} ms"))
        if self.input_tokens or self.output_tokens:
            ins, outs = f"{self.input_tokens:,}", f"{self.output_tokens:,}"
            facts.append(Fact(5, f"session {ins} in / {outs} out tok", f"{ins}/{outs} tok"))
        if self.log_stopped:
            # Kept before the other facts: the user must not think the session is recorded.
            facts.append(Fact(1, "rec stopped"))
        elif self.log_path is not None:
            stem = self.log_path.stem
            short = f"rec …{stem[-6:]}" if len(stem) > 8 else f"rec {stem}"
            facts.append(Fact(6, f"rec {self.log_path.name}", short))
        return facts
