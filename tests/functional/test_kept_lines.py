"""Containers that hand the screen the lines they drew last (`Backdrop`): what they hand
over must be what Textual would draw, new lines after every change that shows, the same
ones while nothing changed."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.strip import Strip

from rt_tui.tui.widgets.backdrop import BackdropVertical


def drawn(lines: list[Strip]) -> list[tuple[tuple[str, object], ...]]:
    """Each line's text and styles, segment by segment."""
    return [tuple((segment.text, segment.style) for segment in line) for line in lines]


def lines_of(widget: BackdropVertical) -> list[Strip]:
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
