"""The session config view: every change of the session's configuration on the left,
what the client sent against what the session got on the right; and two profiles of the
config side by side.

The comparing is the `rt_tui.session_diff` core's; this screen lays it out and colours
what the service did not take as sent. It is built when opened, and again (twice a
second at most) only when the server answered something while it is open.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from rt_tui.config import Config
from rt_tui.realtime.conversation import Conversation
from rt_tui.realtime.conversation_markdown import audio_length
from rt_tui.realtime.session_history import SessionExchange
from rt_tui.session_diff.fields import FieldDiff, FieldStatus, counts_text, diff_exchange, shown
from rt_tui.session_diff.profiles import diff_profiles

PROFILE_PREFIX = "profile:"
"""Option ids of the profiles in the list (an exchange's id is its number)."""

_TITLES = {
    "session.created": "session.created: the new session's defaults",
    "session.update": "session.update",
    "session.updated": "session.updated, unasked",
}
_RANK = {
    FieldStatus.CLAMPED: 0,
    FieldStatus.REWRITTEN: 0,
    FieldStatus.IGNORED: 0,
    FieldStatus.REFUSED: 1,
    FieldStatus.UNANSWERED: 1,
    FieldStatus.ACCEPTED: 2,
    FieldStatus.DEFAULTED: 3,
}
"""The order the fields are listed in (a status's rank)."""
_ANSWERS = {
    "answered": "",
    "refused": " · refused",
    "waiting": " · waiting for the answer",
    "lost": " · never answered (the session was lost)",
}


def _exchange_label(exchange: SessionExchange, fields: list[FieldDiff]) -> Text:
    """Two lines for the list: which exchange, and what became of its fields."""
    title = f"{exchange.number} {exchange.kind}"
    if exchange.state == "answered":
        what = counts_text(fields)
    else:
        what = _ANSWERS[exchange.state].removeprefix(" · ")
    return Text.assemble((title, "bold"), "\n  ", (what, "italic"))


def _table(*columns: tuple[str, int]) -> Table:
    """A table filling the width: a column of ratio 0 keeps its width, the others share
    the rest and fold what does not fit."""
    table = Table(box=None, padding=(0, 2, 0, 0), expand=True, header_style="bold")
    for title, ratio in columns:
        if ratio:
            table.add_column(title, ratio=ratio, overflow="fold")
        else:
            table.add_column(title, no_wrap=True)
    return table


class SessionDiffScreen(ModalScreen[None]):
    """What the session was asked for and what it got; Escape or q closes it."""

    DEFAULT_CSS = """
    SessionDiffScreen {
        align: center middle;
    }
    SessionDiffScreen > #diff-dialog {
        width: 95%;
        height: 90%;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    SessionDiffScreen #diff-list {
        width: 30;
        height: 1fr;
    }
    SessionDiffScreen #diff-detail {
        width: 1fr;
        height: 1fr;
        padding-left: 1;
    }
    SessionDiffScreen #diff-title {
        text-style: bold;
        color: $accent;
    }
    SessionDiffScreen #diff-scroll {
        height: 1fr;
    }
    SessionDiffScreen > .diff--notable {
        color: $warning;
        text-style: bold;
    }
    SessionDiffScreen > .diff--ignored {
        color: $error;
        text-style: bold;
    }
    SessionDiffScreen > .diff--accepted {
        color: $success;
    }
    SessionDiffScreen > .diff--quiet {
        color: $text-muted;
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "diff--notable",
        "diff--ignored",
        "diff--accepted",
        "diff--quiet",
    }

    BINDINGS = [
        Binding(
            "escape", "close", "Close", tooltip="Close the session config view", id="diff.close"
        ),
        Binding("q", "close", "Close", show=False, id="diff.close_q"),
        Binding(
            "n",
            "toggle_notable",
            "Notable only",
            tooltip="Show only what the service did not take as sent (or all fields again)",
            id="diff.notable",
        ),
        Binding(
            "b",
            "base_profile",
            "Base profile",
            tooltip="Compare the other profiles with the highlighted one",
            id="diff.base",
        ),
    ]

    def __init__(
        self,
        conversation: Conversation,
        config: Config,
        env: Mapping[str, str],
        base_profile: str | None = None,
    ) -> None:
        super().__init__()
        self.conversation = conversation
        self.config = config
        self.env = env
        names = list(config.profiles)
        self.base = base_profile if base_profile in config.profiles else None
        if self.base is None and names:
            self.base = config.active_profile if config.active_profile in names else names[0]
        self.notable_only = False
        self._shown: tuple[int, int, int] | None = None
        """What the list shows: (exchanges seen, the server's session object, errors)."""

    def compose(self) -> ComposeResult:
        with Vertical(id="diff-dialog"):
            with Horizontal():
                yield OptionList(id="diff-list")
                with Vertical(id="diff-detail"):
                    yield Static(id="diff-title")
                    yield Static(id="diff-summary")
                    with VerticalScroll(id="diff-scroll"):
                        yield Static(id="diff-fields")
            yield Footer()

    def on_mount(self) -> None:
        self.query_one("#diff-dialog").border_title = "Session config: sent and got"
        self.query_one("#diff-list").border_title = "Updates"
        self._fill_list()
        self.query_one(OptionList).focus()
        self.set_interval(0.5, self._fill_list)

    # --- the list ---------------------------------------------------------------------

    def _fill_list(self) -> None:
        """List the exchanges and profiles again if the server answered something."""
        conversation = self.conversation
        state = (
            conversation.session_history.seen,
            id(conversation.session),
            len(conversation.errors),
        )
        if state == self._shown:
            return
        self._shown = state
        options = self.query_one(OptionList)
        keep = options.highlighted_option.id if options.highlighted_option else None
        options.clear_options()
        exchanges = list(conversation.session_history.exchanges)
        best = None
        for exchange in exchanges:
            fields = diff_exchange(exchange)
            options.add_option(Option(_exchange_label(exchange, fields), id=str(exchange.number)))
            if any(field.status.notable for field in fields) or exchange.state != "answered":
                best = str(exchange.number)
        if not exchanges:
            options.add_option(Option("No session yet", disabled=True))
        options.add_option(None)
        options.add_option(Option(Text("Profiles", style="bold"), disabled=True))
        for name in self.config.profiles:
            mark = " (base)" if name == self.base else ""
            options.add_option(Option(f"  {name}{mark}", id=f"{PROFILE_PREFIX}{name}"))
        if len(self.config.profiles) < 2:
            count = len(self.config.profiles)
            options.add_option(
                Option(f"  {count} profile{'s' if count != 1 else ''}: F2 adds one", disabled=True)
            )
        ids = {option.id for option in options.options}
        newest = str(exchanges[-1].number) if exchanges else None
        chosen = next((c for c in (keep, best, newest) if c is not None and c in ids), None)
        if chosen is not None:
            options.highlighted = options.get_option_index(chosen)
        self._show(chosen)

    @on(OptionList.OptionHighlighted, "#diff-list")
    def _on_highlight(self, message: OptionList.OptionHighlighted) -> None:
        self._show(message.option.id)

    # --- the detail -------------------------------------------------------------------

    def _show(self, option_id: str | None) -> None:
        if option_id is None:
            self._say("Nothing to compare yet", "Connect, or replay a log, to see its session.")
        elif option_id.startswith(PROFILE_PREFIX):
            self._show_profiles(option_id.removeprefix(PROFILE_PREFIX))
        else:
            for exchange in self.conversation.session_history.exchanges:
                if str(exchange.number) == option_id:
                    self._show_exchange(exchange)
                    return

    def _say(self, title: str, summary: str, table: Table | None = None) -> None:
        self.query_one("#diff-title", Static).update(Text(title))
        self.query_one("#diff-summary", Static).update(Text(summary))
        self.query_one("#diff-fields", Static).update(table if table is not None else "")

    def _show_exchange(self, exchange: SessionExchange) -> None:
        fields = diff_exchange(exchange)
        title = f"{exchange.number} {_TITLES.get(exchange.kind, exchange.kind)}"
        answered, asked = exchange.answered_t_ms, exchange.sent_t_ms
        if answered is not None and asked is not None:
            title += f" · answered {audio_length(answered - asked)} after it was sent"
        elif answered is not None:
            title += f" · at {audio_length(answered)}"
        summary = counts_text(fields) + _ANSWERS[exchange.state]
        if exchange.error is not None:
            summary += f": {exchange.error.one_line()}"
        if self.notable_only:
            fields = [field for field in fields if field.status.notable]
            summary += " · notable only (n shows all)"
        table = _table(("status", 0), ("field", 3), ("sent", 2), ("got", 2))
        # What the service did not take as sent comes first, then what it took, then
        # what it set on its own; in the order sent within each.
        for field in sorted(fields, key=lambda field: _RANK[field.status]):
            look = self._look(field.status)
            got = Text(shown(field.after), style=look)
            if field.why:
                got.append(f"\n({field.why})", style="italic")
            table.add_row(
                Text(field.status.value, style=look),
                Text(field.path, style=look),
                Text(shown(field.sent)),
                got,
            )
        self._say(title, summary, table)

    def _show_profiles(self, name: str) -> None:
        base = self.base or name
        if base == name:
            self._say(
                f"Profile {name} (the base)",
                "Highlight another profile to compare it with this one; b makes the highlighted "
                "profile the base.",
            )
            return
        rows = diff_profiles(self.config, base, name, self.env)
        differ = sum(1 for row in rows if not row.same)
        table = _table(("field", 4), (base, 3), (name, 3))
        quiet = self.get_component_rich_style("diff--quiet")
        notable = self.get_component_rich_style("diff--notable")
        # The fields that differ first, each part in the order the connection uses it.
        for row in sorted(rows, key=lambda row: row.same):
            look = quiet if row.same else notable
            table.add_row(Text(row.field, style=look), Text(row.a), Text(row.b))
        summary = (
            f"{differ} of {len(rows)} fields differ · session.* is the session.update each "
            "would send"
        )
        self._say(f"Profile {base} against {name}", summary, table)

    def _look(self, status: FieldStatus) -> Style:
        if status is FieldStatus.IGNORED or status is FieldStatus.REFUSED:
            return self.get_component_rich_style("diff--ignored")
        if status.notable:
            return self.get_component_rich_style("diff--notable")
        if status is FieldStatus.ACCEPTED:
            return self.get_component_rich_style("diff--accepted")
        return self.get_component_rich_style("diff--quiet")

    # --- keys ---------------------------------------------------------------------------

    def action_toggle_notable(self) -> None:
        """Show only the fields the service did not take as sent, or all of them again."""
        self.notable_only = not self.notable_only
        option = self.query_one(OptionList).highlighted_option
        self._show(option.id if option is not None else None)

    def action_base_profile(self) -> None:
        """Compare the other profiles with the highlighted profile."""
        option = self.query_one(OptionList).highlighted_option
        if option is None or not (option.id or "").startswith(PROFILE_PREFIX):
            self.notify("Highlight a profile in the list first.", timeout=3)
            return
        self.base = (option.id or "").removeprefix(PROFILE_PREFIX)
        self._shown = None  # The list marks the base.
        self._fill_list()

    def action_close(self) -> None:
        """Close the session config view."""
        self.dismiss(None)
