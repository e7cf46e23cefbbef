"""What the conversation pane draws, one block per entry: an item (a header and a Markdown
body), a response's state, a server error, or a notice of the app's own.

A block renders itself into `Strip`s at a width. The pane keeps those lines only for the
blocks near the view (an hour of replies would otherwise hold every line it ever drew) and
each block's height, so any line of a long conversation is found without rendering the rest.
A streaming item keeps the lines of its settled Markdown (see `settled_end`) and re-renders
only the growing tail on each update; once final, its body renders once, as a whole.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from rich.console import Console, ConsoleOptions, RenderableType
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

from rt_tui.tui.widgets.conversation_views import ItemView
from rt_tui.tui.widgets.markdown_text import (
    last_line_start,
    plain_paragraph,
    render_body,
    settled_end,
)

PARTS = (
    "header",
    "user",
    "assistant",
    "tool",
    "system",
    "response",
    "error",
    "notice",
    "voice",
    "hint",
    "selected",
    "match",
    "match-current",
)
"""The parts of the conversation the theme styles, each a component class
`conversation-pane--PART` of the pane: headers, then one colour per role, then lines, then
the selected block's mark and the matches of a search."""


MARGIN = 1
"""Cells left blank on each side of a block's lines."""


@dataclass(frozen=True, eq=False)
class Look:
    """How blocks render now: the app's console, the pane's own style and a style per part.

    A new theme (or any style change) gives a new `Look`; lines rendered with another one
    are stale.
    """

    console: Console
    options: ConsoleOptions
    base: Style
    parts: Mapping[str, Style]

    def style(self, *parts: str) -> Style:
        """The pane's style with `parts` over it (unknown parts, e.g. a role without a
        colour, add nothing)."""
        style = self.base
        for part in parts:
            style += self.parts.get(part, Style.null())
        return style


def render_lines(
    look: Look, renderable: RenderableType, width: int, *parts: str, indent: int = MARGIN
) -> list[Strip]:
    """`renderable` wrapped to `width` less `indent` cells on each side, one strip a line,
    each exactly `width` cells, in the pane's style with `parts` over it."""
    style = look.style(*parts)
    inner = max(1, width - 2 * indent)
    segments = look.console.render(renderable, look.options.update_width(inner))
    margin = Segment(" " * indent, style)
    return [
        Strip([margin, *Segment.apply_style(line, style)]).adjust_cell_length(width, style)
        for line in Segment.split_and_crop_lines(
            segments, inner, include_new_lines=False, pad=False
        )
    ]


class Block:
    """One entry of the conversation, as the pane draws it."""

    kind: ClassVar[str]
    """item, response, error or notice."""

    __slots__ = ("height", "index", "key", "measured_width")
    # Slots: an hour of replies is thousands of blocks.

    def __init__(self) -> None:
        self.index = -1
        """Where the pane holds it (-1: not held any more)."""
        self.key: tuple[str, str] | None = None
        """("item" | "response", id) for the block of a conversation item or response."""
        self.height = 0
        """How many lines it takes at `measured_width`."""
        self.measured_width = 0
        """The width `height` was measured at; another width makes it an estimate."""

    def render(self, look: Look, width: int) -> list[Strip]:
        """Its lines at `width`, each exactly `width` cells."""
        raise NotImplementedError

    def estimate(self, width: int) -> int:
        """How many lines it likely takes at `width`, without rendering it."""
        return 1


HUGE_BODY_CHARS = 32_000
"""A body longer than this shows only its start, as plain text, and says how much more
there is: Markdown for megabytes of text (a 2 MB delta, a pasted frame) would freeze the
screen. The inspector holds the whole frame (its detail shows it all with `w`)."""


def _size(chars: int) -> str:
    return f"{chars / 1_000_000:.1f} MB" if chars >= 1_000_000 else f"{chars / 1000:.0f} KB"


class ItemBlock(Block):
    """A conversation item: a one-line header, a Markdown body and a blank line.

    While it streams, the body's settled pieces are rendered once each and kept; only the
    tail after them is rendered again. Once final, the body renders as one piece (so it
    reads the same: Rich renders each piece as the whole text would show it).
    """

    kind = "item"

    __slots__ = (
        "_cuts",
        "_head",
        "_piece_lines",
        "_pieces_drawn",
        "_pieces_look",
        "_tail",
        "view",
    )

    def __init__(self, view: ItemView) -> None:
        super().__init__()
        self.view = view
        self._cuts: list[int] | None = None
        """While streaming: `body[cuts[k]:cuts[k + 1]]` are the settled pieces, in order;
        `body[cuts[-1]:]` is the tail that may still change. None: nothing settled (a
        final body, most of an hour's blocks, holds no list)."""
        self._piece_lines: list[Strip] | None = None
        self._pieces_drawn = 0
        """How many settled pieces `_piece_lines` holds."""
        self._pieces_look: tuple[Look, int] | None = None
        """The look and width `_piece_lines` were rendered with."""
        self._head: tuple[Look, int, list[Strip]] | None = None
        """A huge body's start, rendered once for a look and width."""
        self._tail: tuple[Look, int, int, str, list[Strip]] | None = None
        """While the streaming tail is a plain paragraph: the look, width and start it was
        rendered with, its text above its last line, and those lines (`_tail_lines`)."""

    @property
    def role(self) -> str:
        return self.view.role

    @property
    def header(self) -> str:
        return self.view.header

    @property
    def body(self) -> str:
        """The Markdown source (or verbatim text) the body shows."""
        return self.view.body

    @property
    def final(self) -> bool:
        return self.view.final

    @property
    def settled_length(self) -> int:
        """How much of a streaming body is rendered once and kept (0 once final)."""
        return self._cuts[-1] if self._cuts else 0

    def update(self, view: ItemView) -> bool:
        """Show `view` from now on; False when nothing it shows changed."""
        if view == self.view:
            return False
        if len(view.body) > HUGE_BODY_CHARS:
            # Shown as its start only (see `_huge_lines`): no Markdown pieces to keep.
            self._forget_pieces()
            self.view = view
            return True
        settled = self.settled_length
        if view.final or not view.markdown or not view.body.startswith(self.body[:settled]):
            # Final (rendered whole), verbatim, or replaced rather than appended to.
            self._forget_pieces()
        if not view.final and view.markdown:
            settled = self.settled_length
            end = settled_end(view.body, settled)
            if end > settled:
                if self._cuts is None:
                    self._cuts = [0]
                self._cuts.append(end)
        self.view = view
        return True

    def _forget_pieces(self) -> None:
        self._cuts = None
        self._piece_lines = None
        self._pieces_drawn = 0
        self._pieces_look = None
        self._tail = None

    def estimate(self, width: int) -> int:
        body = min(len(self.view.body), HUGE_BODY_CHARS)
        return 2 + -(-body // max(1, width - 2 * MARGIN))  # Header, wrapped body, blank.

    def render(self, look: Look, width: int) -> list[Strip]:
        view = self.view
        header = render_lines(look, Text(view.header), width, "header", view.role)
        return [*header, *self._body_lines(look, width), Strip.blank(width, look.base)]

    def _huge_lines(self, look: Look, width: int) -> list[Strip]:
        """A huge body: its start, verbatim and rendered once, then how much is left out."""
        body = self.view.body
        if self._head is None or self._head[:2] != (look, width):
            head = render_body(body[:HUGE_BODY_CHARS], markdown=False)
            self._head = (look, width, render_lines(look, head, width))
        rest = len(body) - HUGE_BODY_CHARS
        note = Text(
            f"… {_size(rest)} more not shown ({_size(len(body))} in all; the inspector's "
            "detail shows the frame whole with w)"
        )
        return [*self._head[2], *render_lines(look, note, width, "header", self.view.role)]

    def _body_lines(self, look: Look, width: int) -> list[Strip]:
        view, cuts = self.view, self._cuts
        if len(view.body) > HUGE_BODY_CHARS:
            return self._huge_lines(look, width)
        if cuts is None:
            if view.final or not view.markdown:
                return render_lines(look, render_body(view.body, markdown=view.markdown), width)
            return self._tail_lines(look, width, 0)
        lines = self._piece_lines
        if lines is None or self._pieces_look != (look, width):
            lines = self._piece_lines = []
            self._pieces_drawn = 0
            self._pieces_look = (look, width)
        while self._pieces_drawn < len(cuts) - 1:
            k = self._pieces_drawn
            piece = render_body(view.body[cuts[k] : cuts[k + 1]], markdown=True, first=k == 0)
            lines += render_lines(look, piece, width)
            self._pieces_drawn += 1
        return [*lines, *self._tail_lines(look, width, cuts[-1])]

    def _tail_lines(self, look: Look, width: int, start: int) -> list[Strip]:
        """The lines of the streaming tail `body[start:]`. While it is one plain paragraph
        (a spoken reply's transcript, mostly), its lines above the last are kept from one
        render to the next and only the last line on is rendered again: a reply streamed
        as one paragraph otherwise rendered whole on every beat."""
        tail = self.view.body[start:]
        plain = plain_paragraph(tail)
        lines: list[Strip] | None = None
        kept = self._tail
        if plain and kept is not None and kept[:3] == (look, width, start):
            above_text, above = kept[3], kept[4]
            rest = tail[len(above_text) :]
            if tail.startswith(above_text) and plain_paragraph(rest):
                lines = [*above, *render_lines(look, render_body(rest, markdown=True), width)]
        if lines is None:
            piece = render_body(tail, markdown=True, first=start == 0)
            lines = render_lines(look, piece, width)
        self._tail = None
        if plain:
            upto = last_line_start(tail, [line.text[MARGIN:] for line in lines])
            if upto is not None:
                self._tail = (look, width, start, tail[:upto], lines[:-1])
        return lines


class ResponseBlock(Block):
    """A response's state, and on demand (F4) its latency and usage."""

    kind = "response"

    __slots__ = ("details", "summary", "with_details")

    def __init__(self, summary: str, details: str, *, with_details: bool) -> None:
        super().__init__()
        self.summary = summary
        self.details = details
        self.with_details = with_details

    @property
    def text(self) -> str:
        """The line as shown."""
        if self.with_details and self.details:
            return f"{self.summary}  {self.details}"
        return self.summary

    def update(self, summary: str, details: str, *, with_details: bool) -> bool:
        """Show these from now on; False when the line reads the same."""
        before = self.text
        self.summary, self.details, self.with_details = summary, details, with_details
        return self.text != before

    def render(self, look: Look, width: int) -> list[Strip]:
        return render_lines(look, Text(self.text), width, "response")


class LineBlock(Block):
    """A line of text in its kind's style, then a blank line."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, look: Look, width: int) -> list[Strip]:
        lines = render_lines(look, Text(self.text), width, self.kind)
        return [*lines, Strip.blank(width, look.base)]


class ErrorBlock(LineBlock):
    """A server error, where it arrived among the items."""

    kind = "error"

    __slots__ = ()


class NoticeBlock(LineBlock):
    """A line of the app's own: a command's outcome."""

    kind = "notice"

    __slots__ = ()


class VoiceBlock(LineBlock):
    """A voice event of the session (speech started, a turn committed, a barge-in): a
    line with its time, without the blank line after it, so a turn's events read as one
    timeline."""

    kind = "voice"

    __slots__ = ()

    def render(self, look: Look, width: int) -> list[Strip]:
        return render_lines(look, Text(self.text), width, self.kind)


class HintBlock(Block):
    """What the empty pane says (where the session is and how to start): a blank line,
    then the text, indented. Drawn by the pane while it holds no other block."""

    kind = "hint"

    __slots__ = ("_drawn", "text")

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
        self._drawn: tuple[tuple[Look, int, str], list[Strip]] | None = None

    def render(self, look: Look, width: int) -> list[Strip]:
        key = (look, width, self.text)
        if self._drawn is None or self._drawn[0] != key:
            hint = render_lines(look, Text(self.text), width, "hint", indent=2)
            self._drawn = key, [Strip.blank(width, look.base), *hint]
        return self._drawn[1]
