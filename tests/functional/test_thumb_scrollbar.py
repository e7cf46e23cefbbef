"""The live views' scrollbar (`ThumbScrollBar`): it must always show what Textual's own
scrollbar shows, while repainting only the cells its thumb moved across."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.color import Color
from rich.segment import Segment
from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.geometry import Size
from textual.pilot import Pilot
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.strip import Strip

from rt_tui.tui.widgets import thumb_scrollbar
from rt_tui.tui.widgets.scroll_content import resize_content, steady_scrollbar_css
from rt_tui.tui.widgets.thumb_scrollbar import ThumbScrollBar, moved_rows, thumb_eighths

# -- the sums ------------------------------------------------------------------------------


def textual_bar(size: int, virtual: int, window: int, position: float) -> list[Segment]:
    """The cells of a vertical bar as Textual draws it (ScrollBar's sums, then its renderer)."""
    window = window if window < virtual else 0
    drawn = ScrollBarRender.render_bar(
        size=size,
        virtual_size=virtual,
        window_size=window,
        position=position,
        back_color=Color.parse("#555555"),  # Rich's colours, as ScrollBar draws it
        bar_color=Color.parse("#ff00ff"),
    )
    return [segment for segment in drawn.segments if segment.text != "\n"]


bars = st.tuples(
    st.integers(1, 40),  # the bar's height
    st.integers(1, 3000),  # the content's height
    st.integers(1, 60),  # the view's height
    st.integers(0, 3000 * 8),  # the scroll offset, in eighths (as ScrollBar keeps it)
)


@given(bars, bars)
def test_only_the_rows_between_two_thumbs_are_drawn_differently(
    a: tuple[int, int, int, int], b: tuple[int, int, int, int]
) -> None:
    size = a[0]
    (_, virtual_a, window_a, eighths_a), (_, virtual_b, window_b, eighths_b) = a, b
    position_a = min(eighths_a / 8, max(0, virtual_a - window_a))
    position_b = min(eighths_b / 8, max(0, virtual_b - window_b))
    drawn_a = textual_bar(size, virtual_a, window_a, position_a)
    drawn_b = textual_bar(size, virtual_b, window_b, position_b)
    differ = [row for row in range(size) if drawn_a[row] != drawn_b[row]]
    rows = moved_rows(
        thumb_eighths(size, virtual_a, window_a, position_a),
        thumb_eighths(size, virtual_b, window_b, position_b),
        size,
    )
    if rows is None:
        assert differ == []
    else:
        first, last = rows
        assert all(first <= row <= last for row in differ)


def test_a_thumb_that_stays_put_repaints_nothing() -> None:
    thumb = thumb_eighths(30, 1000, 30, 970)
    assert thumb is not None
    assert thumb_eighths(30, 1001, 30, 971) == thumb  # one more line, followed: same cells
    assert moved_rows(thumb, thumb, 30) is None
    assert moved_rows(None, thumb, 30) == (0, 29)  # the content starts to overflow


# -- on the screen -------------------------------------------------------------------------


class LiveLines(ScrollView):
    """A view that grows a line at a time and follows its end, as the live panes do."""

    DEFAULT_CSS = steady_scrollbar_css("LiveLines") + "LiveLines { width: 1fr; }"

    def __init__(self, *, thumb_only: bool) -> None:
        super().__init__()
        self.thumb_only = thumb_only
        self.count = 0

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        if self.thumb_only:
            return thumb_scrollbar.thumb_scrollbar(self)
        return super().vertical_scrollbar

    def grow(self, lines: int) -> None:
        self.count += lines
        resize_content(self, Size(10, self.count))
        self.scroll_end(animate=False, immediate=True)

    def render_line(self, y: int) -> Strip:
        return Strip([Segment(f"line {y + int(self.scroll_y)}".ljust(10))])


class TwoViews(App[None]):
    def compose(self) -> ComposeResult:
        with Horizontal():
            yield LiveLines(thumb_only=False)
            yield LiveLines(thumb_only=True)


def bar_column(app: App[None], view: LiveLines) -> list[str]:
    """The view's scrollbar column as the screen shows it: each cell's glyph and style."""
    x = view.region.right - 1
    lines = app.screen._compositor.render_strips()  # no public way to read the screen
    return [
        f"{cell.text}{cell.style}"
        for line in lines[view.region.y : view.region.bottom]
        for cell in line.crop(x, x + 1)
    ]


async def test_a_growing_view_shows_what_textuals_bar_shows_with_fewer_repaints(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    painted: list[int] = []
    render = ThumbScrollBar.render

    def counted(bar: ThumbScrollBar) -> object:
        painted.append(1)
        return render(bar)

    monkeypatch.setattr(ThumbScrollBar, "render", counted)
    app = TwoViews()
    async with app.run_test(size=(40, 12)) as pilot:
        textuals, ours = app.query(LiveLines)
        assert isinstance(ours.vertical_scrollbar, ThumbScrollBar)
        steps = [1] * 15 + [3, 7, 1, 1, 40] + [1] * 60 + [200] + [1] * 30
        for lines in steps:
            textuals.grow(lines)
            ours.grow(lines)
            await pilot.pause()
            assert bar_column(app, ours) == bar_column(app, textuals)
        # Before the content overflows, and once it is long, the thumb rarely moves.
        assert 0 < len(painted) < len(steps) // 2


async def overflowing(app: TwoViews, pilot: Pilot[None]) -> tuple[LiveLines, LiveLines]:
    """Textual's view and ours, each grown to 100 lines (the thumb a tenth of the bar)."""
    textuals, ours = app.query(LiveLines)
    for view in (textuals, ours):
        view.grow(100)
    await pilot.pause()
    return textuals, ours


async def test_hovered_and_clicked_it_looks_and_acts_as_textuals_bar() -> None:
    app = TwoViews()
    async with app.run_test(size=(40, 12)) as pilot:
        textuals, ours = await overflowing(app, pilot)
        columns = {}
        for view in (textuals, ours):
            await pilot.hover(view, offset=(view.size.width - 1, 0))
            await pilot.pause()
            columns[view] = bar_column(app, view)
        assert columns[ours] == columns[textuals]
        assert bar_column(app, textuals) != columns[textuals]  # no longer hovered: other colours
        # The track above the thumb scrolls up a page: its cells keep what a click does.
        for view in (textuals, ours):
            await pilot.click(view, offset=(view.size.width - 1, 0))
            await pilot.wait_for_scheduled_animations()  # the page up scrolls smoothly
            await pilot.pause()
        assert textuals.scroll_y == ours.scroll_y < textuals.max_scroll_y


async def test_a_row_drawn_before_the_thumb_s_repaint_leaves_nothing_stale() -> None:
    # Textual reads a cell under the mouse (a press on the bar) with `render_line`, at any
    # time: between a move of the thumb and the repaint of the cells it crossed, too.
    app = TwoViews()
    async with app.run_test(size=(40, 12)) as pilot:
        textuals, ours = app.query(LiveLines)
        for lines in [30] + [40] * 6:
            textuals.grow(lines)
            ours.grow(lines)
            ours.vertical_scrollbar.render_line(0)  # before this turn's repaint runs
            await pilot.pause()
            assert bar_column(app, ours) == bar_column(app, textuals)


async def test_the_view_s_new_style_reaches_every_cell() -> None:
    # The bar takes on its view's style, which changes without a style update of its own.
    app = TwoViews()
    async with app.run_test(size=(40, 12)) as pilot:
        textuals, ours = await overflowing(app, pilot)
        for view in (textuals, ours):
            view.styles.color = "blue"
            view.styles.text_style = "bold underline"
        await pilot.pause()
        columns = {}
        for view in (textuals, ours):
            # Grabbed (pressed on its thumb): every cell drawn again, in other colours.
            await pilot.mouse_down(view, offset=(view.size.width - 1, view.size.height - 1))
            await pilot.pause()
            columns[view] = bar_column(app, view)
            await pilot.mouse_up(view, offset=(view.size.width - 1, view.size.height - 1))
            await pilot.pause()
        assert columns[ours] == columns[textuals]
