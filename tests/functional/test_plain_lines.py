"""Lines painted straight from a widget's own strips are the lines Textual's styles pass
would paint, and a widget with a style only that pass draws is left to it."""

from __future__ import annotations

import pytest
from rich.segment import Segment
from rich.style import Style
from textual.app import App, ComposeResult
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from rt_tui.tui.widgets.plain_lines import plain_lines


class Rows(ScrollView):
    """A Line API list that keeps its strips, as the inspector's rows and the conversation do."""

    DEFAULT_CSS = "Rows { height: 1fr; }"

    def __init__(self) -> None:
        super().__init__()
        self.virtual_size = Size(60, 200)
        self._strips: dict[int, Strip] = {}

    def render_line(self, y: int) -> Strip:
        line = round(self.scroll_y) + y
        strip = self._strips.get(line)
        if strip is None:  # shorter than the view: padded by whoever paints it
            number = Segment(f"{line:>4} ", Style(color="red"))
            strip = self._strips[line] = Strip([number, Segment("row", Style(bold=True))])
        return strip


class Host(App[None]):
    CSS = "Screen { background: $panel; }"

    def __init__(self, css: str = "") -> None:
        super().__init__()
        self.css = css

    def compose(self) -> ComposeResult:
        rows = Rows()
        if self.css:
            rows.set_styles(self.css)
        yield rows


def segments(lines: list[Strip]) -> list[list[Segment]]:
    return [list(strip) for strip in lines]


def painted_plain(widget: Widget, crop: Region) -> list[Strip]:
    """What `plain_lines` paints of every line in `crop` (none kept from before)."""
    widget.refresh()
    lines = plain_lines(widget, crop)
    assert lines is not None
    return lines


def textuals_lines(widget: Widget, crop: Region) -> list[Strip]:
    """What Textual's own pass paints of every line in `crop` (none kept from before)."""
    widget.refresh()
    lines = Widget.render_lines(widget, crop)
    widget.refresh()
    return lines


async def test_painted_from_the_strips_the_lines_are_textuals_own() -> None:
    app = Host()
    async with app.run_test(size=(50, 12)) as pilot:
        rows = app.query_one(Rows)
        await pilot.pause()
        width, height = rows.size
        for crop in (Region(0, 0, width, height), Region(3, 2, 20, 5)):
            plain = painted_plain(rows, crop)
            assert segments(plain) == segments(textuals_lines(rows, crop))
        rows.scroll_to(y=40, animate=False, immediate=True)
        await pilot.pause()
        crop = Region(0, 0, width, height)
        plain = painted_plain(rows, crop)
        assert "  40 row" in plain[0].text
        assert segments(plain) == segments(textuals_lines(rows, crop))
        # The same strips again: each step after is a lookup in the strip's caches.
        again = painted_plain(rows, crop)
        assert all(a is b for a, b in zip(again, plain, strict=True))


@pytest.mark.parametrize(
    "css",
    ["padding: 1;", "border: solid red;", "outline: solid red;", "tint: red 20%;", "opacity: 0.5;"],
)
async def test_a_widget_with_a_style_of_the_styles_pass_is_left_to_it(css: str) -> None:
    app = Host(css)
    async with app.run_test(size=(50, 12)) as pilot:
        rows = app.query_one(Rows)
        await pilot.pause()
        assert plain_lines(rows, Region(0, 0, *rows.size)) is None
