"""The main screen's footer: the keys that matter most first, and only as many as fit.

Textual's footer lists every shown binding in binding-chain order and lets the last ones
run off the edge (at 80 columns `^q Quit` was cut to `^q▏`). This one puts the essential
keys first, then the focused pane's, then the rest, and leaves out whatever does not fit
whole; everything left out is still in the command palette (ctrl+p) and the help (F1).
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

ESSENTIAL = (
    "main.cancel_response",
    "main.settings",
    "main.toggle_inspector",
    "app.help",
    "app.quit",
)
"""Binding ids shown first, in this order (Cancel only while a response runs)."""

COMPACT_BELOW = 110
"""Below this many columns the keys are drawn with less space around them."""


def key_width(key: str, description: str, *, compact: bool) -> int:
    """Cells a FooterKey takes: Textual's CSS pads the key and the description."""
    return cell_len(key) + cell_len(description) + (2 if compact else 3)


class KeyFooter(Footer):
    """A footer that ranks the keys and shows only those that fit whole."""

    _shown: tuple[object, ...] = ()
    """What the last compose showed (keys, size, compactness): a change of bindings that
    leaves it the same (most of them) costs no recompose."""

    def bindings_changed(self, screen: Screen[object]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            return
        if self._signature() != self._shown:
            self.call_after_refresh(self.recompose)

    def _signature(self) -> tuple[object, ...]:
        keys = tuple((binding.key, binding.description, tip) for binding, tip in self._ranked())
        return (keys, self.size.width, self.compact)

    def on_resize(self, event: Resize) -> None:
        compact = event.size.width < COMPACT_BELOW
        if compact != self.compact:
            self.compact = compact
        self.call_after_refresh(self.recompose)

    def _ranked(self) -> list[tuple[Binding, str]]:
        """Shown, enabled bindings (one per action), the most important first."""
        screen, app = self.screen, self.app
        seen: set[str] = set()
        ranked: list[tuple[tuple[int, int], Binding, str]] = []
        for index, active in enumerate(screen.active_bindings.values()):
            binding = active.binding
            if not binding.show or not active.enabled or binding.action in seen:
                continue
            seen.add(binding.action)
            if binding.id in ESSENTIAL:
                rank = (0, ESSENTIAL.index(binding.id))
            elif active.node is not screen and active.node is not app:
                rank = (1, index)  # The focused pane's own keys.
            else:
                rank = (2, index)
            ranked.append((rank, binding, active.tooltip or binding.tooltip))
        return [(binding, tooltip) for _, binding, tooltip in sorted(ranked, key=lambda r: r[0])]

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        self._shown = self._signature()
        app = self.app
        palette = self.screen.active_bindings.get(app.COMMAND_PALETTE_BINDING)
        room = self.size.width or 10_000
        if palette is not None and self.show_command_palette and app.ENABLE_COMMAND_PALETTE:
            binding = palette.binding
            display = app.get_key_display(binding)
            room -= key_width(display, binding.description, compact=self.compact) + 2
            yield self._key(
                FooterKey(
                    binding.key,
                    display,
                    binding.description,
                    binding.action,
                    classes="-command-palette",
                    tooltip=binding.tooltip or binding.description,
                )
            )
        for binding, tooltip in self._ranked():
            display = app.get_key_display(binding)
            room -= key_width(display, binding.description, compact=self.compact)
            if room < 0:
                break
            yield self._key(
                FooterKey(
                    binding.key, display, binding.description, binding.action, tooltip=tooltip
                )
            )

    def _key(self, key: FooterKey) -> FooterKey:
        # Not `data_bind(compact=Footer.compact)` as Textual's footer does: that registers a
        # watcher on this footer which outlives the key, so every recompose leaked all the
        # keys it replaced. And not `key.compact = ...`, whose watcher restyles the key on
        # its own: the class is set before the key is styled for the first time. A change of
        # `compact` recomposes anyway (see on_resize).
        key.set_reactive(FooterKey.compact, self.compact)
        key.set_class(self.compact, "-compact")
        return key
