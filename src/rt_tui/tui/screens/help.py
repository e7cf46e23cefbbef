"""Help screen: every key of the screen underneath (each pane's, whichever has the focus)
and of the app, and what each pane is for.

The key list is read from the live bindings (`Screen.active_bindings`), never written by
hand, so it cannot drift from what the keys really do.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from rich.table import Table
from rich.text import Text
from textual.actions import parse as parse_action
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Footer, Static

from rt_tui.tui.widgets import backdrop
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
    binding_id: str | None = None
    """The id `[ui.keymap]` in the config file uses to rebind this action."""


@dataclass
class KeyGroup:
    """The bindings one node (the app, the screen, a widget) contributes."""

    title: str
    rows: list[KeyRow] = field(default_factory=list)


def _pane_of(widget: Widget, screen: Screen[object]) -> Widget:
    """The pane a widget belongs to: its outermost ancestor (or itself) that is one of
    the app's own widgets, so the inspector's rows and detail list under 'Inspector'.
    The screen's plain layout boxes (`backdrop`'s) are not panes."""
    pane = widget
    for node in widget.ancestors_with_self:
        if node is screen or not isinstance(node, Widget):
            break
        module = type(node).__module__
        if module.startswith("rt_tui.") and module != backdrop.__name__:
            pane = node
    return pane


def _title(widget: Widget) -> str:
    return widget.id.replace("-", " ").capitalize() if widget.id else type(widget).__name__


def _shown(widget: Widget, screen: Screen[object]) -> bool:
    """Whether `widget` is on screen (it and every container up to the screen displayed)."""
    for node in widget.ancestors_with_self:
        if node is screen:
            return True
        if isinstance(node, Widget) and not node.display:
            return False
    return True


def _action_state(node: DOMNode, action: str) -> bool | None:
    """What `node.check_action` says of `action` (True, None: dimmed, False: hidden)."""
    _, name, parameters = parse_action(action)
    try:
        return node.check_action(name, parameters)
    except Exception:  # A check that fails must not take the help screen down.
        return True


def key_groups(screen: Screen[Any]) -> list[KeyGroup]:
    """Every key on `screen`, grouped: the screen's, each pane's (whichever has the focus),
    then the app's.

    Pane bindings are listed when shown in the footer and not hidden by `check_action`;
    the screen's and the app's are listed whenever they have a description.
    """
    app = screen.app
    groups: dict[str, KeyGroup] = {}
    rows: dict[tuple[str, str], KeyRow] = {}

    def add(title: str, binding: Binding, enabled: bool) -> None:
        group = groups.setdefault(title, KeyGroup(title))
        key_text = app.get_key_display(binding)
        row = rows.get((title, binding.action))
        if row is None:
            row = rows[(title, binding.action)] = KeyRow(
                [key_text], binding.description, enabled, binding.id
            )
            group.rows.append(row)
        elif key_text not in row.keys:
            row.keys.append(key_text)

    active = list(screen.active_bindings.values())
    for item in active:
        if item.node is screen and item.binding.description:
            add("This screen", item.binding, item.enabled)
    for widget in screen.walk_children(Widget):
        if not _shown(widget, screen):
            continue
        for _key, binding in widget._bindings:
            if not binding.show or not binding.description:
                continue
            state = _action_state(widget, binding.action)
            if state is not False:
                add(_title(_pane_of(widget, screen)), binding, bool(state))
    for item in active:
        if item.node is app and item.binding.description:
            add("App", item.binding, item.enabled)
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
            action = Text(row.description)
            if row.binding_id:
                action.append(f"  {row.binding_id}", style="dim")
            table.add_row(Text(" / ".join(row.keys), style=f"bold {style}"), action)
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
        Binding("escape", "close", "Close", tooltip="Close the help", id="help.close"),
        Binding("q", "close", "Close", show=False, tooltip="Close the help", id="help.close_q"),
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
