"""The inspector's wire-type column keeps the end of a type that is too long for it."""

from __future__ import annotations

import pytest

from rt_tui.inspector import samples
from rt_tui.inspector.columns import (
    TYPE_MAX_WIDTH,
    TYPE_MIN_WIDTH,
    fit_wire_type,
    type_column_width,
)
from rt_tui.inspector.store import FrameStore


@pytest.mark.parametrize(
    ("wire_type", "width", "shown"),
    [
        ("session.updated", 20, "session.updated"),
        ("conversation.item.added", 23, "conversation.item.added"),
        ("conversation.item.added", 20, "…item.added"),
        ("response.output_text.delta", 20, "…output_text.delta"),
        ("response.content_part.added", 20, "…content_part.added"),
        ("response.output_item.added", 20, "…output_item.added"),
        ("response.output_audio_transcript.delta", 20, "…transcript.delta"),
        ("input_audio_buffer.committed", 20, "…buffer.committed"),
        # A last segment longer than the column keeps as much of its end as fits.
        ("x" * 30, 10, "…" + "x" * 9),
    ],
)
def test_a_long_type_loses_its_start_at_a_word_boundary(
    wire_type: str, width: int, shown: str
) -> None:
    assert fit_wire_type(wire_type, width) == shown
    assert len(fit_wire_type(wire_type, width)) <= width


def test_types_that_differ_only_at_the_end_stay_apart_at_120_columns() -> None:
    # The inspector's rows are 57 cells wide beside the conversation at 120 columns.
    width = type_column_width(57)
    types = [
        "conversation.item.added",
        "conversation.item.done",
        "response.output_item.added",
        "response.output_item.done",
        "response.content_part.added",
        "response.content_part.done",
        "response.output_text.delta",
        "response.output_text.done",
    ]
    shown = [fit_wire_type(wire_type, width) for wire_type in types]
    assert len(set(shown)) == len(types)
    assert all(a.endswith(b.lstrip("…")) for a, b in zip(types, shown, strict=True))


def test_the_column_grows_with_the_pane_within_bounds() -> None:
    assert type_column_width(30) == TYPE_MIN_WIDTH
    assert type_column_width(57) >= len("conversation.item.added")
    assert type_column_width(77) > type_column_width(57)
    assert type_column_width(300) == TYPE_MAX_WIDTH


def test_the_column_is_no_wider_than_the_longest_type_needs() -> None:
    longest = len("response.content_part.added")
    assert type_column_width(120, longest) == longest
    assert type_column_width(120, 3) == TYPE_MIN_WIDTH
    assert type_column_width(57, longest) == type_column_width(57)


def test_the_store_knows_its_longest_type() -> None:
    store = FrameStore()
    assert store.longest_wire_type == 0
    store.append(samples.received({"type": "session.updated"}, 1))
    store.append(samples.received({"type": "response.content_part.added"}, 2))
    store.append(samples.received({"type": "response.done"}, 3))
    assert store.longest_wire_type == len("response.content_part.added")
    store.clear()
    assert store.longest_wire_type == 0
