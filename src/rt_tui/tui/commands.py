"""Command palette provider: every bound action, reachable by its description.

The list is derived from the bindings of the screen the palette was opened from (its
focused widget chain included) and of the app, so a new binding with a description
shows up here without any extra registration.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode
from textual.screen import Screen

#: Actions Textual's own system commands already list (Quit, Theme, Keys…).
_SYSTEM_COVERED = frozenset({"quit", "command_palette", "change_theme", "show_help_panel"})
#: Keystroke-level actions (moving the cursor, deleting a character): pressing the key is
#: the only sensible way to run them, so the palette leaves them out.
_KEYSTROKE_PREFIXES = ("cursor_", "page_", "scroll_", "delete_")
_KEYSTROKE_ACTIONS = frozenset(
    {
        "first_row",
        "home",
        "end",
        "select_cursor",
        "submit",
        "newline",
        "focus_next",
        "focus_previous",
    }
)


def is_keystroke(action: str) -> bool:
    """Whether `action` (e.g. `cursor_down(True)`, `app.quit`) only makes sense as a key."""
    name = action.partition("(")[0].rpartition(".")[2]
    return name.startswith(_KEYSTROKE_PREFIXES) or name in _KEYSTROKE_ACTIONS


def _where(node: DOMNode, screen: Screen[object]) -> str:
    """A human name for where a binding lives, e.g. `Inspector`, when it has no tooltip."""
    if node is screen.app or node is screen:
        return ""
    return node.id.replace("-", " ").capitalize() if node.id else ""


@dataclass(frozen=True)
class BoundAction:
    """One action the user can run, with where it is bound and how it is shown."""

    name: str
    """The binding's description: what the palette lists."""
    action: str
    namespace: DOMNode
    key_display: str
    help: str | None
    """The binding's tooltip; without one, the pane it belongs to (or None)."""


def bound_actions(screen: Screen[Any]) -> list[BoundAction]:
    """Enabled actions bound on `screen` (and its focus chain) and on the app.

    Bindings without a description, disabled ones, keystroke-level ones (cursor moves) and
    those Textual's system commands already offer (quit, palette, theme) are left out.
    """
    app = screen.app
    seen: set[tuple[int, str]] = set()
    found: list[BoundAction] = []
    for active in screen.active_bindings.values():
        binding: Binding = active.binding
        if not binding.description or binding.system or not active.enabled:
            continue
        if binding.action.removeprefix("app.") in _SYSTEM_COVERED or is_keystroke(binding.action):
            continue
        key = (id(active.node), binding.action)
        if key in seen:
            continue
        seen.add(key)
        found.append(
            BoundAction(
                name=binding.description,
                action=binding.action,
                namespace=active.node,
                key_display=app.get_key_display(binding),
                help=active.tooltip or binding.tooltip or _where(active.node, screen) or None,
            )
        )
    return sorted(found, key=lambda bound: bound.name.casefold())


class ActionsProvider(Provider):
    """Lists every described key binding as a palette command (`App.COMMANDS | {...}`)."""

    def _actions(self) -> Iterator[BoundAction]:
        yield from bound_actions(self.screen)

    def _runner(self, bound: BoundAction) -> Callable[[], Coroutine[Any, Any, bool]]:
        return partial(self.app.run_action, bound.action, bound.namespace)

    async def discover(self) -> Hits:
        for bound in self._actions():
            yield DiscoveryHit(
                f"{bound.name} ({bound.key_display})",
                self._runner(bound),
                text=bound.name,
                help=bound.help,
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for bound in self._actions():
            score = matcher.match(bound.name)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(f"{bound.name} ({bound.key_display})"),
                    self._runner(bound),
                    text=bound.name,
                    help=bound.help,
                )
