"""The main screen's footer: the keys that matter most first, and only as many as fit.

Textual's footer lists every shown binding in binding-chain order and lets the last ones
run off the edge (at 80 columns `^q Quit` was cut to `^q▏`). This one puts the essential
keys first, then the focused pane's, then the rest, and leaves out whatever does not fit
whole; everything left out is still in the command palette (ctrl+p) and the help (F1).

Every shown binding is composed once, and which keys show is only their `display`: a key
that is sometimes available hides while it is not, taking no room. So a new width costs
no recompose: a recompose replaces every key, and Textual keeps the styles cache of each
key it replaced (lines and all) in a class-wide cache, so one per response grew a long
session. Only a change of the bindings themselves (focus, a replay) or of compactness
recomposes.

Cancel comes and goes with every response, so it keeps its place and its room and is
drawn dimmed while there is nothing to cancel (RESERVED): showing or hiding a key lays the
whole screen out again, a pass over every widget, twice per response. For the same reason
each key measures its width once (`RankedKey`): a layout asked every key to render itself
to find its width, the bulk of a layout's cost.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import Resize
from textual.geometry import Size
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

ESSENTIAL = (
    "main.cancel_response",
    "main.replay_pause",
    "main.replay_step_frame",
    "main.replay_step_response",
    "main.replay_speed",
    "main.settings",
    "main.toggle_inspector",
    "app.help",
    "app.quit",
)
"""Binding ids shown first, in this order (the replay's keys only in a replay at a
speed)."""

RESERVED = frozenset({"main.cancel_response"})
"""Binding ids shown, dimmed, while not available: their room is kept (see above)."""

COMPACT_BELOW = 110
"""Below this many columns the keys are drawn with less space around them."""


def key_width(key: str, description: str, *, compact: bool) -> int:
    """Cells a FooterKey takes: Textual's CSS pads the key and the description."""
    return cell_len(key) + cell_len(description) + (2 if compact else 3)


class KeyFooter(Footer):
    """A footer that ranks the keys and shows only those that fit whole."""

    _composed: tuple[object, ...] = ()
    """The keys the last compose made (every shown binding, ranked) and whether they are
    compact: a change that leaves it the same (which keys are enabled, the width) only
    shows and hides keys."""

    def bindings_changed(self, screen: Screen[object]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            return
        ranked = self._ranked()
        if self._signature(ranked) != self._composed:
            self.call_after_refresh(self.recompose)
            return
        self._show_fitting(ranked)

    def _width(self) -> int:
        """The footer's width; before its first layout, the terminal's: it spans it."""
        return self.size.width or self.app.size.width

    def _signature(self, ranked: list[tuple[Binding, str, bool]]) -> tuple[object, ...]:
        keys = tuple((binding.key, binding.description, tip) for binding, tip, _ in ranked)
        return (keys, self.compact)

    def on_resize(self, event: Resize) -> None:
        compact = event.size.width < COMPACT_BELOW
        if compact != self.compact:
            self.compact = compact
        ranked = self._ranked()
        if self._signature(ranked) != self._composed:
            self.call_after_refresh(self.recompose)
        else:
            self._show_fitting(ranked)

    def _show_fitting(self, ranked: list[tuple[Binding, str, bool]]) -> None:
        """Show the composed keys that fit now, hide the rest; dim the reserved ones that
        are not available."""
        shown = self._fitting(ranked)
        dimmed = {binding.action for binding, _, enabled in ranked if not enabled}
        for key in self.query_children(FooterKey):
            if not key.has_class("-command-palette"):
                key.display = key.action in shown
                key.set_class(key.action in dimmed, "-disabled")

    def _ranked(self) -> list[tuple[Binding, str, bool]]:
        """Shown bindings (one per action) with their tooltip and whether they are enabled
        now, the most important first."""
        screen, app = self.screen, self.app
        seen: set[str] = set()
        ranked: list[tuple[tuple[int, int], Binding, str, bool]] = []
        for index, active in enumerate(screen.active_bindings.values()):
            binding = active.binding
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            if binding.id in ESSENTIAL:
                rank = (0, ESSENTIAL.index(binding.id))
            elif active.node is not screen and active.node is not app:
                rank = (1, index)  # The focused pane's own keys.
            else:
                rank = (2, index)
            ranked.append((rank, binding, active.tooltip or binding.tooltip, active.enabled))
        ranked.sort(key=lambda r: r[0])
        return [(binding, tooltip, enabled) for _, binding, tooltip, enabled in ranked]

    def _palette(self) -> Binding | None:
        """The command palette's binding, when the footer shows it."""
        app = self.app
        palette = self.screen.active_bindings.get(app.COMMAND_PALETTE_BINDING)
        if palette is None or not self.show_command_palette or not app.ENABLE_COMMAND_PALETTE:
            return None
        return palette.binding

    def _fitting(self, ranked: list[tuple[Binding, str, bool]]) -> set[str]:
        """The actions of the keys to show: every enabled (or reserved) one that fits whole
        after the palette key, in rank order, up to the first that does not."""
        app = self.app
        room = self._width()
        palette = self._palette()
        if palette is not None:
            display = app.get_key_display(palette)
            room -= key_width(display, palette.description, compact=self.compact) + 2
        shown = set()
        for binding, _tooltip, enabled in ranked:
            if enabled or binding.id in RESERVED:
                display = app.get_key_display(binding)
                room -= key_width(display, binding.description, compact=self.compact)
                if room < 0:
                    break
                shown.add(binding.action)
        return shown

    def compose(self) -> ComposeResult:
        # At once, not once the bindings are first announced (as Textual's footer does),
        # so the first frame has the keys; a focus that changes them recomposes.
        self.compact = self._width() < COMPACT_BELOW
        ranked = self._ranked()
        self._composed = self._signature(ranked)
        shown = self._fitting(ranked)
        app = self.app
        palette = self._palette()
        if palette is not None:
            yield self._key(
                RankedKey(
                    palette.key,
                    app.get_key_display(palette),
                    palette.description,
                    palette.action,
                    classes="-command-palette",
                    tooltip=palette.tooltip or palette.description,
                )
            )
        for binding, tooltip, enabled in ranked:
            key = RankedKey(
                binding.key,
                app.get_key_display(binding),
                binding.description,
                binding.action,
                tooltip=tooltip,
            )
            key.display = binding.action in shown
            key.set_class(not enabled, "-disabled")
            yield self._key(key)

    def _key(self, key: RankedKey) -> RankedKey:
        # Not `data_bind(compact=Footer.compact)` as Textual's footer does: that registers a
        # watcher on this footer which outlives the key, so every recompose leaked all the
        # keys it replaced. And not `key.compact = ...`, whose watcher restyles the key on
        # its own: the class is set before the key is styled for the first time. A change of
        # `compact` recomposes anyway (see on_resize).
        key.set_reactive(FooterKey.compact, self.compact)
        key.set_class(self.compact, "-compact")
        return key


class RankedKey(FooterKey):
    """A footer key that measures its width once: its text and padding stay the same
    until the footer recomposes (a change of compactness does), and a layout would
    otherwise render every key again to measure it. Nor is it rendered to be measured:
    its width is that of the text `FooterKey.render` makes, from the same paddings."""

    _content_width: int | None = None

    def get_content_width(self, container: Size, viewport: Size) -> int:
        if self._content_width is None:
            self._content_width = self._text_width()
        return self._content_width

    def _text_width(self) -> int:
        """Cells of the key's text: the key, then the description, each padded as its
        component class says (the key alone when it has no description)."""
        key = cell_len(self.key_display)
        if not self.description:
            return key
        key_padding = self.get_component_styles("footer-key--key").padding
        description_padding = self.get_component_styles("footer-key--description").padding
        return key + key_padding.width + cell_len(self.description) + description_padding.width
