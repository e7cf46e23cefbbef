"""The inspector's one-line status: counts first, then the filter, follow and fold state.

It must fit the pane, so the less important parts shorten, then go, as the width shrinks:
the fold state goes first, "following" (the default) next, then the counts shorten, and
last the filter text is cut with an ellipsis. The counts and "paused" always stay.
"""

from __future__ import annotations

from dataclasses import dataclass


def plural(count: int, word: str) -> str:
    """'1 row', '2 rows', '1,024 frames'."""
    return f"{count:,} {word}{'' if count == 1 else 's'}"


@dataclass(frozen=True, slots=True)
class InspectorState:
    """What the status line reports."""

    frames: int
    rows: int
    filter_text: str = ""
    """The filter's description ('' when every frame is shown)."""
    fold_state: str = "folded"
    """'folded', 'unfolded' or 'mixed'."""
    following: bool = True
    filtering: bool = False
    """The filter's rows are still being built (the rows shown are the filter's before)."""


_SEPARATOR = " · "


def status_line(state: InspectorState, width: int) -> str:
    """The status line for `state`, made to fit `width` cells when it can."""
    counts = f"{plural(state.frames, 'frame')}{_SEPARATOR}{plural(state.rows, 'row')}"
    short_counts = f"{state.frames:,} fr{_SEPARATOR}{state.rows:,} rows"
    fold = {"mixed": "some folded"}.get(state.fold_state, state.fold_state)
    follow = "following" if state.following else "paused (End follows)"
    short_follow = "" if state.following else "paused"
    filter_part = f"filter: {state.filter_text}" if state.filter_text else ""
    if state.filtering:
        filter_part = f"filtering… {state.filter_text}" if state.filter_text else "filtering…"

    # Each step gives up a little more; the first that fits wins.
    steps = [
        [counts, filter_part, fold, follow],
        [counts, filter_part, fold, short_follow or follow],
        [counts, filter_part, short_follow],
        [short_counts, filter_part, short_follow],
        [short_counts, state.filter_text, short_follow],
    ]
    for parts in steps:
        line = _SEPARATOR.join(part for part in parts if part)
        if len(line) <= width:
            return line
    # Still too long: cut the filter text, keeping the counts and "paused".
    head = _SEPARATOR.join(part for part in (short_counts,) if part)
    tail = f"{_SEPARATOR}{short_follow}" if short_follow else ""
    room = width - len(head) - len(tail) - len(_SEPARATOR)
    if state.filter_text and room >= 4:
        cut = state.filter_text[: room - 1] + "…"
        return f"{head}{_SEPARATOR}{cut}{tail}"
    return f"{head}{tail}"
