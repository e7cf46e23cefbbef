"""The conversation's Markdown: `1.` numbering, where a streaming text has settled, and a
streaming paragraph's kept lines."""

from __future__ import annotations

import random

import pytest
from rich.console import Console, RenderableType
from rich.markdown import Markdown
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from rt_tui.tui.widgets.chat_markdown import ChatMarkdown
from rt_tui.tui.widgets.conversation_blocks import ItemBlock, Look
from rt_tui.tui.widgets.conversation_views import ItemView
from rt_tui.tui.widgets.markdown_text import (
    last_line_start,
    plain_paragraph,
    render_body,
    settled_end,
)


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


def look_for(width: int) -> Look:
    console = Console(width=width, color_system="truecolor")
    return Look(console, console.options, Style(color="white"), {})


def drawn(lines: list[Strip]) -> list[list[tuple[str, object]]]:
    """Each line's text and styles, cell runs merged (pieces may be cut up differently)."""
    return [[(s.text, s.style) for s in Segment.simplify(line)] for line in lines]


SENTENCE = (
    "the server sends a reply in many small deltas, each a word or two; "
    "supercalifragilisticexpialidocious-antidisestablishmentarianism, "
    "façade naïve 東京 émigré 100% (done) “quoted” 3.5 - dash"
)
WORDS = SENTENCE.split(" ")


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("width", [14, 37, 80])
def test_a_streamed_paragraph_reads_like_the_whole_at_every_beat(seed: int, width: int) -> None:
    # The tail keeps the lines above its last while it is a plain paragraph: at each beat
    # the block must show what rendering the whole text at once shows.
    rng = random.Random(seed)
    words = [rng.choice(WORDS) for _ in range(120)]
    if seed % 3 == 1:
        words[60] = "**bold**"  # markup half way: the lines are rendered whole from then on
    if seed % 3 == 2:
        words = ["Intro.\n\n", *words]  # a settled block first: the tail follows it
    text = " ".join(words)
    look = look_for(width)
    block = ItemBlock(ItemView("assistant", "Assistant", "", final=False))
    shown = 0
    while shown < len(text):
        shown = min(len(text), shown + rng.randint(1, 9))  # a delta, cut anywhere
        view = ItemView("assistant", "Assistant", text[:shown], final=False)
        block.update(view)
        whole = ItemBlock(view)  # nothing kept: the whole text rendered at once
        assert drawn(block.render(look, width)) == drawn(whole.render(look, width)), shown


def test_only_plain_text_counts_as_a_plain_paragraph() -> None:
    assert plain_paragraph("Sure, it costs 3.5 dollars (about 100%): that's “fine”.")
    for text in ("a *b*", "a `b`", "x\ny", "- item", "1. item", "    code", "> q", "# h", "a<b"):
        assert not plain_paragraph(text), text


def test_the_last_lines_start_is_found_line_by_line() -> None:
    text = "one two three four five"
    assert last_line_start(text, ["", "one two", "three four", "five"]) == text.index("five")
    assert last_line_start(text, ["one two three four five"]) is None  # one line: nothing above
    assert last_line_start(text, ["one two", "four five"]) is None  # does not read as the text
