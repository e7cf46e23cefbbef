"""Containers that hand the screen the lines they drew last, until they change.

For each screen update Textual asks every widget whose box overlaps the changed area for
all of its lines, not just those in the area: the screen, the panes' row, the composer's
frame and the bars' box are asked for theirs on every keystroke and every repaint beat,
~40 updates a second while a reply streams and the user types. Their lines are only a
background and a border, which change when Textual marks the container dirty (a refresh,
a new size, new styles) and not otherwise, yet each such call cost ~0.1 ms: a few percent
of a core, for lines that were the same each time.
"""

from __future__ import annotations

from textual.containers import Horizontal, Vertical
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget


class Backdrop(Widget):
    """A widget whose lines are kept from one screen update to the next, until Textual
    marks it dirty: for a container's own lines (a background, a border, a title), which
    change only then. Mix it in after the widget's class (`class Pane(Vertical, Backdrop)`):
    Textual takes a widget's CSS, and its CSS type names, along the first base only."""

    _kept_lines: tuple[Region, list[Strip]] | None = None

    def _set_dirty(self, *regions: Region) -> None:
        # Every way Textual marks a widget for repainting passes here (a refresh, a resize,
        # a restyle of it or of a parent): the kept lines go with it.
        self._kept_lines = None
        super()._set_dirty(*regions)

    def render_lines(self, crop: Region) -> list[Strip]:
        kept = self._kept_lines
        if kept is not None and kept[0] == crop:
            return kept[1]
        lines = super().render_lines(crop)
        self._kept_lines = (crop, lines)
        return lines


class BackdropHorizontal(Horizontal, Backdrop):
    """A `Horizontal` whose own lines are kept (see `Backdrop`)."""


class BackdropVertical(Vertical, Backdrop):
    """A `Vertical` whose own lines are kept (see `Backdrop`)."""
