"""Closing the Markdown that a reply cut short leaves open.

A reply stopped mid-way (its audio cut by a barge-in, its response cancelled) may end
inside bold, a code span or a code block: rendered as it is, the opening `**` or backticks
show as plain characters. The cut text gets the closing markers it lacks; an opening
marker with nothing after it is dropped instead. Links and other constructs are left as
they are: they read well enough half-written.
"""

from __future__ import annotations

import re

_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_DELIMITER = re.compile(r"`+|\*+|_+|~~")


def close_markdown(text: str, mark: str = "") -> str:
    """`text` with the code block, code span, emphasis or strikethrough it leaves open
    closed, innermost first (after its trailing spaces: a marker after a space opens).

    `mark` goes where the text stops: after the closing markers, or inside a code block
    (its closing fence must stand alone on its line). Nothing left: "", without it."""
    text = text.rstrip()
    fence, paragraph_start = _open_fence(text)
    if fence is not None:
        return f"{text}{mark}\n{fence}"
    openers = _open_inline(text, paragraph_start)
    # The innermost opener may end the text: drop it rather than close it on nothing.
    while openers and not text[openers[-1][0] + len(openers[-1][1]) :].strip():
        text = text[: openers.pop()[0]].rstrip()
    if not text:
        return ""
    return text + "".join(marker for _, marker in reversed(openers)) + mark


def _open_fence(text: str) -> tuple[str | None, int]:
    """The fence of a code block still open at the end of `text` (None when none is), and
    where the last paragraph begins (inline markers never reach past a blank line)."""
    fence: str | None = None
    paragraph_start = offset = 0
    for line in text.splitlines(keepends=True):
        found = _FENCE.match(line)
        if fence is None and found:
            fence = found.group(1)
        elif fence is not None:
            closing = found is not None and line.strip() == found.group(1)
            if closing and found is not None and found.group(1).startswith(fence):
                fence = None
                paragraph_start = offset + len(line)
        elif not line.strip():
            paragraph_start = offset + len(line)
        offset += len(line)
    return fence, paragraph_start


def _open_inline(text: str, start: int) -> list[tuple[int, str]]:
    """The inline markers opened after `start` and not closed: (offset, marker), in order."""
    openers: list[tuple[int, str]] = []
    code: tuple[int, str] | None = None
    for found in _DELIMITER.finditer(text, start):
        marker = found.group()
        if code is not None:
            if marker == code[1]:
                code = None
            continue
        if marker.startswith("`"):
            code = (found.start(), marker)
            continue
        before = text[found.start() - 1] if found.start() > start else " "
        after = text[found.end()] if found.end() < len(text) else ""  # at the end: an opener
        if marker.startswith("_") and before.isalnum() and after.isalnum():
            continue  # snake_case, not emphasis
        if openers and openers[-1][1] == marker and not before.isspace():
            openers.pop()
        elif not after.isspace():
            openers.append((found.start(), marker))
    if code is not None:
        openers.append(code)
    return openers
