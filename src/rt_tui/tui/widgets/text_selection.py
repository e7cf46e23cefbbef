"""Mouse selection in the conversation pane: what is copied, and how selected text looks."""

from __future__ import annotations

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Offset
from textual.screen import Screen
from textual.selection import Selection
from textual.strip import Strip

from rt_tui.tui.widgets.block_column import BlockColumn
from rt_tui.tui.widgets.conversation_blocks import MARGIN


def selected_text(column: BlockColumn, selection: Selection) -> str:
    """The text `selection` covers, each line without the margin every line has (a copied
    text starts where its lines do)."""
    start, end = selection
    first = 0 if start is None else start.y
    last = column.total() - 1 if end is None else end.y
    lines = column.lines_between(first, last + 1)
    texts = [strip.text[MARGIN:].rstrip() for _, strip in lines]
    moved = Selection(
        None if start is None else Offset(max(0, start.x - MARGIN), start.y - first),
        None if end is None else Offset(max(0, end.x - MARGIN), end.y - first),
    )
    return moved.extract("\n".join(texts))


def select(strip: Strip, start: int, end: int, style: Style) -> Strip:
    """`strip` with the characters `start` to `end` (-1: the end of its text) in `style`."""
    text = strip.text
    if end == -1:
        end = len(text.rstrip())  # To the end of the text, not of the padding.
    first, last = cell_len(text[:start]), cell_len(text[:end])
    if last <= first:
        return strip
    before, chosen, after = strip.divide([first, last, strip.cell_length])
    selected = Strip(Segment.apply_style(chosen, post_style=style))
    return Strip.join([before, selected, after])


def selection_style(screen: Screen[object]) -> Style:
    """The screen's selection colours; a transparent foreground keeps the text's own."""
    look = screen.get_visual_style("screen--selection")
    background, foreground = look.background, look.foreground
    return Style(
        bgcolor=background.rich_color if background is not None else None,
        color=foreground.rich_color if foreground is not None and foreground.a else None,
    )
