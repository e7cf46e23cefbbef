"""Widgets that hand the screen the lines they drew last: containers (`Backdrop`) and the
live views' scrollbars (`QuietScrollBar`). What they hand over must be what Textual would
draw: new lines after every change that shows, the same ones while nothing changed."""

from __future__ import annotations

import itertools

import pytest
from textual.app import App, ComposeResult
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.strip import Strip

from rt_tui.tui.widgets.backdrop import BackdropVertical
from rt_tui.tui.widgets.quiet_scrollbar import (
    QuietScrollBar,
    quiet_vertical_scrollbar,
    thumb_eighths,
)
from rt_tui.tui.widgets.scroll_content import resize_content


def drawn(lines: list[Strip]) -> list[tuple[tuple[str, object], ...]]:
    """Each line's text and styles, segment by segment."""
    return [tuple((segment.text, segment.style) for segment in line) for line in lines]


def lines_of(widget: ScrollBar | BackdropVertical) -> list[Strip]:
    """The lines `widget` hands the screen now (as the compositor asks for them)."""
    size = widget.outer_size
    return widget.render_lines(Region(0, 0, size.width, size.height))


# -- containers ----------------------------------------------------------------------------


class FrameApp(App[None]):
    CSS = """
    #frame { border: round $panel; border-title-color: $text-muted; height: 1fr; }
    #frame.-lit { border: heavy $accent; }
    """

    def compose(self) -> ComposeResult:
        frame = BackdropVertical(id="frame")
        frame.border_title = "Events"
        yield frame


async def test_a_backdrop_hands_over_its_kept_lines_until_it_changes() -> None:
    app = FrameApp()
    async with app.run_test(size=(40, 10)) as pilot:
        frame = app.query_one("#frame", BackdropVertical)
        first = lines_of(frame)
        assert lines_of(frame) is first  # nothing changed: the same lines, not drawn again
        assert first[0].text.startswith("╭─ Events")

        frame.border_title = "Frames"  # a new title
        await pilot.pause()
        titled = lines_of(frame)
        assert titled[0].text.startswith("╭─ Frames")

        frame.add_class("-lit")  # new styles
        await pilot.pause()
        lit = lines_of(frame)
        assert lit[0].text.startswith("┏━ Frames")
        assert lines_of(frame) is lit

        await pilot.resize_terminal(50, 12)  # a new size
        await pilot.pause()
        resized = lines_of(frame)
        assert (len(resized), resized[0].cell_length) == (12, 50)

        dark = drawn(resized)
        app.theme = "textual-light" if app.current_theme.dark else "textual-dark"  # colours
        await pilot.pause()
        assert drawn(lines_of(frame)) != dark


# -- scrollbars -----------------------------------------------------------------------------


def bar_look(size: int, virtual: int, window: int, position: float) -> list[tuple[str, bool]]:
    """What Textual draws for a bar: each cell's glyph and whether it is reversed (thumb)."""
    # As `ScrollBar` asks for it: no thumb once the window holds the whole content.
    segments = ScrollBarRender.render_bar(
        size, virtual, window if window < virtual else 0, position
    )
    return [(s.text, bool(s.style and s.style.reverse)) for s in segments.segments]


def test_the_thumb_in_eighths_tells_apart_every_bar_textual_draws_differently() -> None:
    # The skip is safe only if two states with the same thumb are drawn the same: check it
    # against Textual's own drawing, over bars, contents and offsets of every kind.
    seen: dict[tuple[int, tuple[int, int] | None], list[tuple[str, bool]]] = {}
    for size, virtual, window in itertools.product((1, 5, 13, 28), (0, 5, 28, 97, 600), (5, 28)):
        if window > virtual:
            continue
        for position in {0.0, 0.125, 1.0, 2.5, (virtual - window) / 2, float(virtual - window)}:
            key = (size, thumb_eighths(size, virtual, window, position))
            look = bar_look(size, virtual, window, position)
            assert seen.setdefault(key, look) == look, (size, virtual, window, position)
    # And the sums follow the thumb: it moves when the content grows past the view.
    assert thumb_eighths(28, 100, 28, 72) != thumb_eighths(28, 200, 28, 172)
    assert thumb_eighths(28, 20, 28, 0) is None  # the content fits: no thumb


class GrowingView(ScrollView):
    """A view whose content grows as a live pane's does (`resize_content`)."""

    def __init__(self, *, quiet: bool) -> None:
        super().__init__()
        self.quiet = quiet

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        return quiet_vertical_scrollbar(self) if self.quiet else super().vertical_scrollbar

    def grow(self, lines: int) -> None:
        resize_content(self, Size(self.size.width, lines))
        self.scroll_end(animate=False, immediate=True)


class TwinApp(App[None]):
    CSS = "GrowingView { width: 1fr; height: 1fr; overflow-y: scroll; }"

    def compose(self) -> ComposeResult:
        yield GrowingView(quiet=True)
        yield GrowingView(quiet=False)


async def test_a_quiet_scrollbar_shows_what_textuals_shows_and_repaints_less(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    painted = 0
    render = QuietScrollBar.render

    def counting(bar: QuietScrollBar) -> object:
        nonlocal painted
        painted += 1
        return render(bar)

    monkeypatch.setattr(QuietScrollBar, "render", counting)
    app = TwinApp()
    async with app.run_test(size=(40, 24)) as pilot:
        quiet, stock = app.query(GrowingView)
        await pilot.pause()
        steps = 0
        # A pane a few screens long, growing by a line a beat, then hovered.
        for lines in range(60, 200, 1):
            steps += 1
            for view in (quiet, stock):
                view.grow(lines)
            await pilot.pause()
            assert drawn(lines_of(quiet.vertical_scrollbar)) == drawn(
                lines_of(stock.vertical_scrollbar)
            ), lines
        await pilot.hover(quiet.vertical_scrollbar)
        await pilot.pause()
        assert quiet.vertical_scrollbar.mouse_over
        assert drawn(lines_of(quiet.vertical_scrollbar)) != drawn(
            lines_of(stock.vertical_scrollbar)
        )  # hovered, it is drawn lit (the stock one is not hovered)
        # The thumb moved by an eighth of a cell every few lines, not every line.
        assert 0 < painted < steps / 2
