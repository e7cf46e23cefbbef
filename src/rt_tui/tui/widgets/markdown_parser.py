"""The one markdown-it parser the conversation's Markdown is parsed with.

Rich's `Markdown` builds a new parser for every text, which costs more than parsing a
streaming reply's tail (the pane renders it again on every repaint beat). One parser, set
up as Rich sets up its own, serves both the rendering (`chat_markdown`) and the search for
where a streaming text's settled blocks end (`markdown_text.settled_end`), so the two
agree on where blocks begin.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt


@cache
def markdown_parser() -> MarkdownIt:
    """The shared parser, with Rich's rules. Built when first needed: markdown-it is not
    needed for the first frame."""
    from markdown_it import MarkdownIt

    return MarkdownIt().enable("strikethrough").enable("table")
