"""The main screen's footer: the keys that matter most first, and only as many as fit.

Textual's footer lists every shown binding in binding-chain order and lets the last ones
run off the edge (at 80 columns `^q Quit` was cut to `^q▏`). This one puts the essential
keys first, then the focused pane's, then the rest, and leaves out whatever does not fit
whole; everything left out is still in the command palette (ctrl+p) and the help (F1).

The keys are one widget that draws one line, with a map of which columns are which key
(for clicks, hover and tooltips), not a widget per key as Textual's footer has: styling,
laying out and drawing thirteen key widgets took ~10 ms of the first frame. A change of
the bindings or of the width only draws the line again; the footer's size never changes,
so nothing is laid out again.

Cancel comes and goes with every response, so it keeps its place and its room and is
drawn dimmed while there is nothing to cancel (RESERVED): the keys after it stay where
they are.

The keys look as Textual's `FooterKey`s do, from the same CSS variables: each key's
styles come from nodes that stand for a key and its parts (`FooterKeyStyles`), styled by
this widget's CSS as Textual styles a widget's component classes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import ActiveBinding, Binding
from textual.screen import Screen
from textual.strip import Strip
from textual.timer import Timer
from textual.widget import Widget

from rt_tui.tui.widgets.footer_key_styles import FOOTER_KEY_CSS, FooterKeyStyles

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
    """Cells a key takes with the room after it: the CSS pads the key and the
    description (and, compact, leaves a cell after each key)."""
    return cell_len(key) + cell_len(description) + (2 if compact else 3)


class ShownKey(NamedTuple):
    """A key on the footer's line: columns [start, end), what it runs and says."""

    start: int
    end: int
    key: str
    key_display: str
    description: str
    action: str
    tooltip: str
    enabled: bool
    palette: bool = False


class KeyFooter(Widget, can_focus=False):
    """A footer that ranks the keys and shows only those that fit whole."""

    ALLOW_SELECT = False
    DEFAULT_CSS = FOOTER_KEY_CSS

    def __init__(self) -> None:
        super().__init__()
        self._keys: tuple[ShownKey, ...] = ()
        self._hovered: ShownKey | None = None
        self._tooltip_timer: Timer | None = None
        self._placed_width = 0
        """The width the keys were placed for (the terminal's until the first layout)."""
        self._styles = FooterKeyStyles(self)

    @property
    def keys(self) -> tuple[ShownKey, ...]:
        """The keys drawn now, left to right (the palette's last)."""
        return self._keys

    @property
    def compact(self) -> bool:
        """Whether the keys are drawn with less space around them (a narrow terminal)."""
        return self.has_class("-compact")

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)
        # At once, not once the bindings are first announced (as Textual's footer does),
        # so the first frame has the keys.
        self._place_keys()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen: Screen[object]) -> None:
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            return
        self._place_keys()

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._placed_width:
            self._place_keys()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()  # A new theme, or compactness: styled again when drawn.

    def _width(self) -> int:
        """The footer's width; before its first layout, the terminal's: it spans it."""
        return self.size.width or self.app.size.width

    def _place_keys(self) -> None:
        """Work out which keys show where, and draw them if that changed."""
        width = self._placed_width = self._width()
        self.set_class(width < COMPACT_BELOW, "-compact")
        active = self.screen.active_bindings  # Worked out anew at each read.
        keys = tuple(self._layout(self._ranked(active), self._palette(active), width))
        if keys != self._keys:
            self._keys = keys
            if self._hovered is not None:  # Still lit under the mouse, where it went.
                action = self._hovered.action
                self._hovered = next((key for key in keys if key.action == action), None)
            self.refresh()

    def _ranked(self, bindings: Mapping[str, ActiveBinding]) -> list[tuple[Binding, str, bool]]:
        """Shown bindings (one per action) with their tooltip and whether they are enabled
        now, the most important first."""
        screen, app = self.screen, self.app
        seen: set[str] = set()
        ranked: list[tuple[tuple[int, int], Binding, str, bool]] = []
        for index, active in enumerate(bindings.values()):
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

    def _palette(self, bindings: Mapping[str, ActiveBinding]) -> Binding | None:
        """The command palette's binding, when the app has one."""
        app = self.app
        palette = bindings.get(app.COMMAND_PALETTE_BINDING)
        if palette is None or not app.ENABLE_COMMAND_PALETTE:
            return None
        return palette.binding

    def _layout(
        self, ranked: list[tuple[Binding, str, bool]], palette: Binding | None, width: int
    ) -> list[ShownKey]:
        """The keys to show and their columns: every enabled (or reserved) one that fits
        whole before the palette key, in rank order, up to the first that does not; the
        palette key at the right edge."""
        app, compact = self.app, self.compact
        gap = 1 if compact else 0  # Compact keys have a cell of the footer after them.
        room = width
        shown: list[ShownKey] = []
        if palette is not None:
            display = app.get_key_display(palette)
            room -= key_width(display, palette.description, compact=compact) + 2
            # A bar before it, and (not compact) a cell after it.
            drawn = 1 + self._text_width(display, palette.description) + (1 - gap)
            end = width - gap
            shown.append(
                ShownKey(
                    end - drawn,
                    end,
                    palette.key,
                    display,
                    palette.description,
                    palette.action,
                    palette.tooltip or palette.description,
                    enabled=True,
                    palette=True,
                )
            )
        x = 0
        keys: list[ShownKey] = []
        for binding, tooltip, enabled in ranked:
            if enabled or binding.id in RESERVED:
                display = app.get_key_display(binding)
                room -= key_width(display, binding.description, compact=compact)
                if room < 0:
                    break
                end = x + self._text_width(display, binding.description)
                keys.append(
                    ShownKey(
                        x,
                        end,
                        binding.key,
                        display,
                        binding.description,
                        binding.action,
                        tooltip,
                        enabled,
                    )
                )
                x = end + gap
        return keys + shown

    def _text_width(self, key: str, description: str) -> int:
        """Cells of a key's text: the key, then the description, each padded as the CSS
        says (the key alone when it has no description)."""
        if not description:
            return cell_len(key)
        key_padding, description_padding = self._styles.paddings(self.compact)
        return cell_len(key) + key_padding + cell_len(description) + description_padding

    def render_line(self, y: int) -> Strip:
        # The segments as they are, not through a visual: that would give the spaces
        # between keys the footer's text colour, which Textual's footer leaves them without.
        gap = Style(bgcolor=self.background_colors[1].rich_color)
        segments: list[Segment] = []
        x = 0
        for key in self._keys:
            if key.start > x:
                segments.append(Segment(" " * (key.start - x), gap))
            segments.extend(self._draw(key))
            x = key.end
        return Strip(segments).adjust_cell_length(self.size.width, gap)

    def _draw(self, key: ShownKey) -> list[Segment]:
        """A key as `FooterKey.render` draws it; the palette's with its bar and padding."""
        look = self._styles.look(
            hover=key is self._hovered, dimmed=not key.enabled, compact=self.compact
        )
        item = look.item
        if key.description:
            key_text = look.key_pad[0] + key.key_display + look.key_pad[1]
            description = look.desc_pad[0] + key.description + look.desc_pad[1]
            drawn = [
                Segment(key_text, item + look.key),
                Segment(description, item + look.description),
            ]
        else:
            drawn = [Segment(key.key_display, item + look.key)]
        if not key.palette:
            return drawn
        padding = key.end - key.start - 1 - sum(segment.cell_length for segment in drawn)
        drawn.insert(0, Segment("▏", look.palette_bar))
        if padding:
            drawn.append(Segment(" " * padding, Style(bgcolor=item.bgcolor)))
        return drawn

    def key_at(self, x: int) -> ShownKey | None:
        """The key drawn at column `x`, if any."""
        return next((key for key in self._keys if key.start <= x < key.end), None)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._hover(self.key_at(event.x))

    def on_leave(self, event: events.Leave) -> None:
        self._hover(None)

    def _hover(self, key: ShownKey | None) -> None:
        if key is self._hovered:
            return
        self._hovered = key
        # Read by the screen when its tooltip timer fires (the key under the mouse then).
        self.tooltip = key.tooltip if key is not None and key.tooltip else None
        self.styles.pointer = "pointer" if key is not None else "default"
        self.refresh()
        if self._tooltip_timer is not None:
            self._tooltip_timer.stop()
            self._tooltip_timer = None
        if key is not None and self.tooltip is not None:
            # A move within one widget hides a shown tooltip and starts no timer (Textual
            # counts on a widget per tooltip): the next key's comes after the usual delay.
            self._tooltip_timer = self.set_timer(self.app.TOOLTIP_DELAY, self._show_tooltip)

    def _show_tooltip(self) -> None:
        self._tooltip_timer = None
        if self._hovered is not None and self.mouse_hover:
            self.screen._handle_tooltip_timer(self)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        key = self.key_at(event.x)
        if key is not None:
            self.app.simulate_key(key.key)
