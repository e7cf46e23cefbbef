"""The inspector's wire-type column: how wide it is, and how a long type is cut to fit.

Realtime event types share long prefixes (`conversation.item.`, `response.output_…`) and
differ at the end (`.added`, `.delta`, `.done`), so a type too long for its column loses
its start, never its end: `response.output_text.delta` becomes `…output_text.delta`.
"""

from __future__ import annotations

TYPE_MIN_WIDTH = 16
TYPE_MAX_WIDTH = 38
"""Wide enough for every GA type but the input transcription ones."""
LEAD_WIDTH = 14
"""The cells around the type column: time (9), direction (2), fold mark (2), a space."""
TYPE_SHARE = 0.55
"""The type's share of the room the time and marks leave (the summary gets the rest)."""

_BOUNDARIES = "._"


def type_column_width(row_width: int, longest_type: int = TYPE_MAX_WIDTH) -> int:
    """How many cells the wire-type column takes in a row `row_width` cells wide.

    As many as the longest type seen (`longest_type`) needs, up to a little over half of
    what the time and marks leave: at 120 columns (side-by-side panes)
    `conversation.item.added` fits whole, on wider panes nearly every type does, and the
    summary keeps room of its own.
    """
    share = int((row_width - LEAD_WIDTH) * TYPE_SHARE)
    most = max(TYPE_MIN_WIDTH, min(TYPE_MAX_WIDTH, share))
    return min(most, max(TYPE_MIN_WIDTH, longest_type))


def fit_wire_type(wire_type: str, width: int) -> str:
    """`wire_type` in at most `width` cells, cut from the left at a `.` or `_` boundary.

    `conversation.item.added` in 16 cells is `…item.added`: the informative end stays.
    A last segment longer than the column keeps as much of its end as fits.
    """
    if len(wire_type) <= width:
        return wire_type
    if width <= 1:
        return "…"[:width]
    tail = wire_type[-(width - 1) :]
    cut_cleanly = wire_type[-width] in _BOUNDARIES
    if not cut_cleanly:
        # Drop the partial word at the start of the tail, if a whole one follows.
        for position, char in enumerate(tail[:-1]):
            if char in _BOUNDARIES:
                tail = tail[position + 1 :]
                break
    return "…" + tail
