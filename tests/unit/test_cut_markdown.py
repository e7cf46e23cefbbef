"""Closing the Markdown a reply cut short leaves open."""

from __future__ import annotations

import pytest

from rt_tui.tui.widgets.cut_markdown import close_markdown


@pytest.mark.parametrize(
    ("cut", "closed"),
    [
        ("I am the **rt-tui", "I am the **rt-tui**"),
        ("I am the **rt-tui mock ", "I am the **rt-tui mock**"),
        ("call `get_weat", "call `get_weat`"),
        ("**bold and _both", "**bold and _both_**"),
        ("it is ~~gone", "it is ~~gone~~"),
        ('```json\n{"city":', '```json\n{"city":\n```'),
        # An opener with nothing after it goes, rather than closing on nothing.
        ("I am the **", "I am the"),
        ("see `", "see"),
        # What is closed, or is no marker at all, stays as it is.
        ("**done**, and so", "**done**, and so"),
        ("snake_case_name here", "snake_case_name here"),
        ("* one\n* two", "* one\n* two"),
        ("2 * 3 = 6", "2 * 3 = 6"),
        ("`a ** b` then", "`a ** b` then"),
        ("```\n**x\n```\n\nafter", "```\n**x\n```\n\nafter"),
        # Emphasis never reaches past a blank line.
        ("**open\n\nnext paragraph", "**open\n\nnext paragraph"),
    ],
)
def test_a_cut_text_gets_the_markers_it_lacks(cut: str, closed: str) -> None:
    assert close_markdown(cut) == closed


def test_the_cut_mark_goes_where_the_text_stops() -> None:
    assert close_markdown("I am the **rt-tui ", " ✂") == "I am the **rt-tui** ✂"
    # A closing fence stands alone on its line: the mark stays inside the block.
    assert close_markdown("```json\n{", " ✂") == "```json\n{ ✂\n```"
    assert close_markdown("**", " ✂") == ""
