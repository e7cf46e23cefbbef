"""How the conversation renders Markdown: one Rich renderer for streaming and finished text.

A reply must read the same while it streams and once it is done, so both go through
`ChatMarkdown`. Rich re-renders a whole text at once, which gets slow for a long reply
streamed at 10 repaints a second; `settled_end` finds where the top-level blocks that can no
longer change end, so the pane renders those once and re-renders only the growing tail.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

from rich.text import Text

from rt_tui.tui.widgets.markdown_parser import markdown_parser

if TYPE_CHECKING:
    from rich.console import RenderableType


def render_body(text: str, *, markdown: bool, first: bool = True) -> RenderableType:
    """What a body Static shows: Markdown, or the text verbatim (what the user typed).

    `first` False: the piece follows others of the same streaming text (see `settled_end`).
    """
    if not markdown:
        return Text(text)
    # Loaded with the first Markdown drawn: the first frame has none.
    from rt_tui.tui.widgets.chat_markdown import ChatMarkdown, LaterPiece

    return ChatMarkdown(text) if first else LaterPiece(ChatMarkdown(text))


def load_markdown() -> None:
    """Load what drawing Markdown takes (`rich.markdown`, markdown-it, Pygments: ~50 ms), so
    the first reply does not wait for it while it streams. The app calls this once its
    first frame is out (the first frame has no Markdown)."""
    from rt_tui.tui.widgets import chat_markdown  # noqa: F401

    markdown_parser()


def settled_end(body: str, start: int = 0) -> int:
    """Where the settled part of a streaming `body` ends (an offset >= `start`).

    `body[:start]` is known to be settled. Of the top-level blocks after it, all but the
    last are complete (text only ever arrives at the end), so they end where the last one
    begins. A horizontal rule stays with the block after it: Rich puts no blank line
    after a rule, and a later piece starts with one.
    """
    tokens = markdown_parser().parse(body[start:])
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


_MARKUP: Final = re.compile(r"[\\`*_\[\]<>&!|~#\n\r\t]")
"""A character that may be Markdown (markup, an entity, an HTML tag, a line break)."""
_BLOCK_START: Final = re.compile(r" {4}| *(?:[-+=>]|\d+[.)])")
"""How a text starts that makes it something other than a paragraph (code, a list...)."""


def plain_paragraph(text: str) -> bool:
    """Whether Markdown renders `text` as one paragraph of its own characters: no markup, no
    line break, nothing that starts another kind of block. Rich then wraps it word by word
    as plain text, so text added at its end changes its last line and those after only:
    the lines above stay as they were (see `last_line_start`)."""
    return _MARKUP.search(text) is None and _BLOCK_START.match(text) is None


def last_line_start(text: str, lines: list[str]) -> int | None:
    """Where in `text`, a plain paragraph, the last of `lines` starts: `lines` are the
    paragraph as rendered (blank lines before it allowed), each line's text. None when they
    do not read as `text` line by line, or there is no line above the last."""
    shown = [line.rstrip() for line in lines]
    while shown and not shown[0]:
        shown.pop(0)
    if len(shown) < 2:
        return None
    end = len(text)

    def after_spaces(position: int) -> int:
        while position < end and text[position] == " ":
            position += 1
        return position

    position = after_spaces(0)
    for line in shown[:-1]:
        if not line or not text.startswith(line, position):
            return None
        position = after_spaces(position + len(line))
    return position if position < end and text[position:].rstrip() == shown[-1] else None
