"""The conversation's Markdown: `1.` numbering, and where a streaming text has settled."""

from __future__ import annotations

import pytest
from rich.console import Console, RenderableType
from rich.markdown import Markdown

from rt_tui.tui.widgets.chat_markdown import ChatMarkdown
from rt_tui.tui.widgets.markdown_text import render_body, settled_end


def lines_of(renderable: RenderableType, width: int = 40) -> list[str]:
    console = Console(width=width, color_system=None)
    return [
        "".join(segment.text for segment in line).rstrip()
        for line in console.render_lines(renderable, console.options, pad=False)
    ]


def test_numbered_items_read_with_a_dot() -> None:
    assert lines_of(ChatMarkdown("1. first\n2. second")) == ["", " 1. first", " 2. second"]
    ten = "\n".join(f"{n}. item" for n in range(1, 11))
    assert lines_of(ChatMarkdown(ten))[-1] == " 10. item"


def test_the_text_renders_as_rich_renders_it_without_a_parser_of_its_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Rich builds a new parser for every Markdown text, which costs more than parsing a
    # streaming reply's tail; ChatMarkdown shares one set up the same way.
    text = (
        "Some **bold**, `code`, ~~gone~~ and a [link](https://example.com).\n\n"
        "> quoted\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```py\nx = 1\n```\n"
    )
    wanted = lines_of(Markdown(text, hyperlinks=False), width=60)

    def no_new_parser(*args: object, **kwargs: object) -> None:
        raise AssertionError("a Markdown parser was built for one text")

    monkeypatch.setattr("rich.markdown.MarkdownIt", no_new_parser)
    assert lines_of(ChatMarkdown(text), width=60) == wanted


@pytest.mark.parametrize(
    ("body", "settled"),
    [
        ("one paragraph, still growing", ""),
        ("para one\n\npara two", "para one\n\n"),
        ("# Title\n\n1. a\n2. b\n\nmore", "# Title\n\n1. a\n2. b\n\n"),
        # An open code fence is one block, blank lines and all.
        ("intro\n\n```\ncode\n\nmore code\n", "intro\n\n"),
        # A rule stays with what follows it.
        ("a\n\n---\n\nb", "a\n\n"),
    ],
)
def test_all_but_the_last_block_are_settled(body: str, settled: str) -> None:
    assert body[: settled_end(body)] == settled


def test_settling_goes_on_from_where_it_was() -> None:
    body = "a\n\nb\n\nc"
    assert settled_end(body, 3) == len("a\n\nb\n\n")


@pytest.mark.parametrize(
    "text",
    [
        "Here:\n\n1. one\n2. two\n\nAfter the list.",
        "Intro\n\n```python\nprint(1)\n```\n\nOutro",
        "> quoted\n\nplain\n\n- a\n- b",
        "# Head\n\ntext\n\n---\n\nend",
    ],
)
def test_pieces_read_like_the_whole(text: str) -> None:
    # What the pane shows while streaming (settled pieces + tail) equals the final render.
    start, pieces = 0, []
    while (end := settled_end(text, start)) > start:
        pieces.append(text[start:end])
        start = end
    pieces.append(text[start:])
    streamed = [
        line
        for index, piece in enumerate(pieces)
        for line in lines_of(render_body(piece, markdown=True, first=index == 0))
    ]
    assert len(pieces) > 1
    assert streamed == lines_of(render_body(text, markdown=True))


def test_the_users_text_is_verbatim() -> None:
    assert lines_of(render_body("1. not a list **really**", markdown=False)) == [
        "1. not a list **really**"
    ]
