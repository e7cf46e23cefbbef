"""Help screen: the keys of the screen underneath and of the app, and what each pane is for.

The key list is read from the live bindings (`Screen.active_bindings`), never written by
hand, so it cannot drift from what the keys really do.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Static

from rt_tui.tui.widgets.composer import Composer

#: A short word on each pane of the main screen.
DEFAULT_PANES: dict[str, str] = {
    "Conversation": "the messages, transcripts and tool calls of the session, as they stream in.",
    "Inspector": "every event on the wire, both directions, with timing; select one to see it.",
    "Composer": "type a message and press Enter to send it; the model then answers.",
    "Status bar": "connection state, endpoint, token totals and rate limits.",
}


@dataclass
class KeyRow:
    """One action with all the keys bound to it."""

    keys: list[str]
    description: str
    enabled: bool


@dataclass
class KeyGroup:
    """The bindings one node (the app, the screen, a widget) contributes."""

    title: str
    rows: list[KeyRow] = field(default_factory=list)


def _group_title(node: DOMNode, screen: Screen[object]) -> str:
    if node is screen.app:
        return "App"
    if node is screen:
        return "This screen"
    return node.id.replace("-", " ").capitalize() if node.id else type(node).__name__


def key_groups(screen: Screen[object]) -> list[KeyGroup]:
    """Bindings active on `screen`, grouped by the node that defines them.

    Widget bindings are listed only when shown in the footer; the screen's and the app's
    are listed whenever they have a description.
    """
    app = screen.app
    groups: dict[int, KeyGroup] = {}
    rows: dict[tuple[int, str], KeyRow] = {}
    for active in screen.active_bindings.values():
        binding: Binding = active.binding
        node = active.node
        if not binding.description:
            continue
        if node is not app and node is not screen and not binding.show:
            continue
        group = groups.setdefault(id(node), KeyGroup(_group_title(node, screen)))
        key_text = app.get_key_display(binding)
        row = rows.get((id(node), binding.action))
        if row is None:
            row = KeyRow([key_text], binding.description, active.enabled)
            rows[(id(node), binding.action)] = row
            group.rows.append(row)
        elif key_text not in row.keys:
            row.keys.append(key_text)
    order = {"This screen": 0, "App": 2}
    return sorted(groups.values(), key=lambda group: order.get(group.title, 1))


def _keys_table(groups: list[KeyGroup]) -> Table:
    table = Table(box=None, show_header=False, padding=(0, 2, 0, 0), expand=True)
    table.add_column("key", no_wrap=True, ratio=1)
    table.add_column("action", ratio=3)
    for index, group in enumerate(groups):
        if index:
            table.add_row("", "")
        table.add_row(Text(group.title, style="bold underline"), "")
        for row in group.rows:
            style = "" if row.enabled else "dim"
            table.add_row(Text(" / ".join(row.keys), style=f"bold {style}"), Text(row.description))
    return table


def _commands_table(screen: Screen[object]) -> Table | None:
    """The slash commands of the screen's composer (its own list), if it has one."""
    composers = screen.query(Composer)
    if not composers:
        return None
    table = Table(box=None, show_header=False, padding=(0, 2, 0, 0), expand=True)
    table.add_column("command", no_wrap=True, ratio=1)
    table.add_column("what", ratio=3)
    for command in composers.first().SLASH_COMMANDS:
        table.add_row(Text(command.usage, style="bold"), Text(command.description))
    return table


def _panes_table(panes: Mapping[str, str]) -> Table:
    table = Table(box=None, show_header=False, padding=(0, 2, 0, 0), expand=True)
    table.add_column("pane", no_wrap=True, ratio=1)
    table.add_column("what", ratio=3)
    for name, what in panes.items():
        table.add_row(Text(name, style="bold"), Text(what))
    return table


class HelpScreen(ModalScreen[None]):
    """Keys and panes at a glance; Escape or q closes it."""

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen > #help-dialog {
        width: 90%;
        max-width: 100;
        height: 90%;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    HelpScreen .help-heading {
        text-style: bold;
        color: $accent;
        margin-top: 1;
    }
    HelpScreen #help-body {
        height: 1fr;
    }
    """

    BINDINGS = [
        Binding("escape", "close", "Close", id="help.close"),
        Binding("q", "close", "Close", show=False, id="help.close_q"),
    ]

    def __init__(
        self,
        target: Screen[object] | None = None,
        *,
        panes: Mapping[str, str] | None = None,
    ) -> None:
        """`target` is the screen whose keys are listed (default: the one underneath)."""
        super().__init__()
        self._target = target
        self._panes = DEFAULT_PANES if panes is None else panes

    def _target_screen(self) -> Screen[object]:
        if self._target is not None:
            return self._target
        below = [screen for screen in self.app.screen_stack if screen is not self]
        return below[-1] if below else self.app.screen

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog"):
            with VerticalScroll(id="help-body"):
                yield Static("Keys", classes="help-heading")
                yield Static(_keys_table(key_groups(self._target_screen())), id="help-keys")
                commands = _commands_table(self._target_screen())
                if commands is not None:
                    yield Static("Composer commands", classes="help-heading")
                    yield Static(commands, id="help-commands")
                if self._panes:
                    yield Static("Panes", classes="help-heading")
                    yield Static(_panes_table(self._panes), id="help-panes")
                palette_key = self.app.COMMAND_PALETTE_BINDING
                yield Static(
                    f"Every action is also in the command palette ({palette_key}), by name.",
                    classes="help-heading",
                )
            yield Footer()

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def action_close(self) -> None:
        """Close help and go back to the screen underneath."""
        self.dismiss(None)
