"""What a Line API view last painted on each of its lines, so it can repaint only the lines
that would now show something else.

A refresh of a whole widget has Textual render each of its lines again, and the compositor
then cuts every line of every widget on those rows. A view that streams text changes a
line or two while it stays put; once it moves, every line shows another one.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.strip import Strip


class PaintedLines:
    """For each line of a view: the line of the content it showed and the strip it showed."""

    def __init__(self) -> None:
        self._shown: list[tuple[int, Strip] | None] = []

    def forget(self, height: int) -> None:
        """A view `height` lines high is repainted whole: nothing is known to be shown."""
        self._shown = [None] * height

    def note(self, y: int, line: int, strip: Strip) -> None:
        """View line `y` was painted with content line `line`, showing `strip`."""
        if y < len(self._shown):
            self._shown[y] = (line, strip)

    def changed(self, top: int, height: int, strip_at: Callable[[int], Strip]) -> list[int] | None:
        """The content lines of a view `height` high from `top` whose strip (`strip_at`)
        differs from the one painted; None when every line must be: the view moved or
        changed height, or was not painted since the last `forget`."""
        shown = self._shown
        if not shown or len(shown) != height:
            return None
        first = shown[0]
        if first is None or first[0] != top:
            return None
        return [
            top + y
            for y, painted in enumerate(shown)
            if painted is None or painted[1] != strip_at(top + y)
        ]
