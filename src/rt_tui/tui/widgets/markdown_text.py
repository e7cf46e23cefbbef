"""How the conversation renders Markdown: one Rich renderer for streaming and finished text.

A reply must read the same while it streams and once it is done, so both go through
`ChatMarkdown`. Rich re-renders a whole text at once, which gets slow for a long reply
streamed at 20 repaints a second; `settled_end` finds where the top-level blocks that can no
longer change end, so the pane renders those once and re-renders only the growing tail.
"""

from __future__ import annotations

from typing import ClassVar

from markdown_it import MarkdownIt
from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.markdown import ListItem, Markdown, MarkdownElement
from rich.segment import Segment
from rich.text import Text

_PARSER = MarkdownIt().enable("strikethrough").enable("table")
"""Parses like Rich's Markdown does (the same rules), for what it renders and for where its
blocks end."""


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
        # What `Markdown.__init__` sets, but parsed with the one parser set up like Rich's:
        # Rich builds a new parser for each text, which costs more than parsing a
        # streaming reply's tail (the pane does so up to 20 times a second).
        self.markup = markup
        self.parsed = _PARSER.parse(markup)
        self.code_theme = "monokai"
        self.justify = None
        self.style = "none"
        self.hyperlinks = False
        self.inline_code_lexer = None
        self.inline_code_theme = self.code_theme


class _LaterPiece:
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


def render_body(text: str, *, markdown: bool, first: bool = True) -> RenderableType:
    """What a body Static shows: Markdown, or the text verbatim (what the user typed).

    `first` False: the piece follows others of the same streaming text (see `settled_end`).
    """
    if not markdown:
        return Text(text)
    return ChatMarkdown(text) if first else _LaterPiece(ChatMarkdown(text))


def settled_end(body: str, start: int = 0) -> int:
    """Where the settled part of a streaming `body` ends (an offset >= `start`).

    `body[:start]` is known to be settled. Of the top-level blocks after it, all but the
    last are complete (text only ever arrives at the end), so they end where the last one
    begins. A horizontal rule stays with the block after it: Rich puts no blank line
    after a rule, and a later piece starts with one.
    """
    tokens = _PARSER.parse(body[start:])
    starts = [
        (token.map[0], token.type)
        for token in tokens
        if token.level == 0 and token.nesting != -1 and token.map is not None
    ]
    if len(starts) < 2:
        return start
    # Blocks in order; the last one may still grow.
    index = len(starts) - 1
    while index > 0 and starts[index - 1][1] == "hr":
        index -= 1
    if index == 0:
        return start
    line = starts[index][0]
    offset = start
    for _ in range(line):
        newline = body.find("\n", offset)
        if newline < 0:
            return start
        offset = newline + 1
    return offset
