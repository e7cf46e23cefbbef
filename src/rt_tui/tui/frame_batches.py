"""Folding a batch of frames into the conversation, and what the batch changed, merged.

A live session's frames reach the screen in batches (`FrameBatch`), a replay's too
(`ReplayFrames`). Each frame goes through the reducer in order; what the frames changed
is handed on merged, so a burst of deltas to one item costs the conversation pane one
`show_change`, not one per delta.

Merging must not reorder: the pane draws things in the order they first appear, and a
frozenset of ids has no order. So the changes are merged in runs: a change that names
something its run has not named yet (a new item, a response, an error) starts a new run,
and the one before is handed on first. Deltas to what is already named, the bulk of any
stream, merge into their run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import fields
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rt_tui.realtime.conversation import Conversation
    from rt_tui.realtime.conversation_model import Change
    from rt_tui.realtime.frames import Frame


def merge_changes(first: Change, second: Change) -> Change:
    """One change that says everything `first` and `second` say."""
    if second is first or not second:
        return first
    if not first:
        return second
    merged: dict[str, Any] = {}
    for field in fields(first):
        a, b = getattr(first, field.name), getattr(second, field.name)
        merged[field.name] = a | b  # frozensets unite, flags or
    return type(first)(**merged)


def _names(change: Change) -> frozenset[tuple[str, str]]:
    """The items and responses a change names (the pane draws one block each)."""
    items = {("item", item_id) for item_id in change.items | change.removed_items}
    return frozenset(items | {("response", rid) for rid in change.responses})


def fold_frames(
    conversation: Conversation,
    frames: Iterable[Frame],
    show: Callable[[Change], object],
) -> Change:
    """Apply `frames` to `conversation` in order and hand `show` what they changed, in as
    few merged changes as keep the order things first appeared in (see the module doc);
    returns everything the frames changed, merged.

    A run is handed on once the frame after it has been applied: a show that reads the
    conversation's errors by count (the pane does) sees each new error at its place."""
    from rt_tui.realtime.conversation_model import NO_CHANGE  # not for the first frame

    total = run = last = NO_CHANGE
    run_names: frozenset[tuple[str, str]] = frozenset()
    for frame in frames:
        change = conversation.apply(frame)
        if change is last or not change:
            continue  # The reducer hands out one change per streaming item: nothing new.
        last = change
        names = _names(change)
        if run and (change.errors or not names <= run_names):
            show(run)
            total = merge_changes(total, run)
            run, run_names = change, names
        else:
            run, run_names = merge_changes(run, change), run_names | names
    if run:
        show(run)
    return merge_changes(total, run)
