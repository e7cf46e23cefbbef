"""Rich's Markdown as the conversation draws it: `1.` list numbers, no terminal hyperlinks,
and a settled piece that follows others of the same streaming text.

Importing this loads `rich.markdown`, markdown-it and Pygments (~35 ms): `markdown_text`
imports it when the first Markdown is drawn, not at start.
"""

from __future__ import annotations

from typing import ClassVar

from rich.console import Console, ConsoleOptions, RenderResult
from rich.markdown import ListItem, Markdown, MarkdownElement
from rich.segment import Segment

from rt_tui.tui.widgets.markdown_parser import markdown_parser


class _DottedListItem(ListItem):
    """A list item numbered `1.` (Rich writes `1`), as Markdown readers expect."""

    def render_number(
        self, console: Console, options: ConsoleOptions, number: int, last_number: int
    ) -> RenderResult:
        number_width = len(str(last_number)) + 3
        render_options = options.update(width=options.max_width - number_width)
        lines = console.render_lines(self.elements, render_options, style=self.style)
        number_style = console.get_style("markdown.item.number", default="none")
        numeral = Segment(f"{number}.".rjust(number_width - 1) + " ", number_style)
        padding = Segment(" " * number_width, number_style)
        for index, line in enumerate(lines):
            yield numeral if index == 0 else padding
            yield from line
            yield Segment("\n")


class ChatMarkdown(Markdown):
    """Rich's Markdown with `1.` list numbers and no terminal hyperlinks."""

    elements: ClassVar[dict[str, type[MarkdownElement]]] = {
        **Markdown.elements,
        "list_item_open": _DottedListItem,
    }

    def __init__(self, markup: str) -> None:
        # What `Markdown.__init__` sets, but parsed with the one shared parser, set up like
        # Rich's: Rich builds a new parser for each text, which costs more than parsing a
        # streaming reply's tail (the pane does so on every repaint beat).
        self.markup = markup
        self.parsed = markdown_parser().parse(markup)
        self.code_theme = "monokai"
        self.justify = None
        self.style = "none"
        self.hyperlinks = False
        self.inline_code_lexer = None
        self.inline_code_theme = self.code_theme


class LaterPiece:
    """A settled piece after the first, with the one blank line the whole text has there.

    Rich writes a blank line before a top-level block, except at the very start of a text,
    and for a list or a quote even there: so add one only when Rich did not.
    """

    def __init__(self, markdown: ChatMarkdown) -> None:
        self.markdown = markdown

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        lines = console.render_lines(self.markdown, options, pad=False)
        if not lines or Segment.get_line_length(lines[0]):
            yield Segment.line()
        for line in lines:
            yield from line
            yield Segment.line()
