"""Frames handed to the screen in batches: the feed posts one batch at a time, and a batch's
changes reach the pane merged, without reordering what first appears."""

from __future__ import annotations

from pathlib import Path

from textual.message import Message

from rt_tui.inspector import samples
from rt_tui.realtime.conversation import Conversation
from rt_tui.realtime.conversation_model import Change
from rt_tui.realtime.frames import Frame
from rt_tui.realtime.recorder import read_log
from rt_tui.tui.frame_batches import fold_frames, merge_changes
from rt_tui.tui.messages import FrameBatch
from rt_tui.tui.worker import FrameFeed

SESSION = Path(__file__).parent.parent / "fixtures" / "sessions" / "text_session.jsonl"


def session_frames() -> list[Frame]:
    return [record.to_frame() for record in read_log(SESSION)]


def test_the_feed_posts_one_batch_until_the_screen_takes_it() -> None:
    posted: list[Message] = []
    source = object()
    feed = FrameFeed(posted.append, source)
    frames = [samples.text_delta(f"w{k} ", k) for k in range(5)]

    for frame in frames[:3]:
        feed(frame)
    assert len(posted) == 1
    first = posted[0]
    assert isinstance(first, FrameBatch)
    assert first.source is source
    assert first.take() == frames[:3]

    for frame in frames[3:]:
        feed(frame)
    assert len(posted) == 2
    second = posted[1]
    assert isinstance(second, FrameBatch)
    assert second.take() == frames[3:]
    assert first.frames == frames[:3]  # A taken batch takes no more.


def test_merged_changes_say_everything_both_said() -> None:
    a = Change(items=frozenset({"i1"}), order=True)
    b = Change(items=frozenset({"i2"}), responses=frozenset({"r1"}), totals=True)
    merged = merge_changes(a, b)
    assert merged == Change(
        items=frozenset({"i1", "i2"}), responses=frozenset({"r1"}), order=True, totals=True
    )
    assert merge_changes(Change(), b) is b


def test_a_batch_reaches_the_pane_merged_in_the_order_things_first_appear() -> None:
    frames = session_frames()
    one_by_one = Conversation()
    singles: list[Change] = []
    for frame in frames:
        fold_frames(one_by_one, [frame], singles.append)

    batched = Conversation()
    runs: list[Change] = []
    total = fold_frames(batched, frames, runs.append)

    assert [i.id for i in batched.items] == [i.id for i in one_by_one.items]
    assert len(runs) < len(singles) / 2  # The deltas merged.
    seen_singles = _order_of(singles, one_by_one)
    assert _order_of(runs, batched) == seen_singles
    assert total.items == frozenset(i.id for i in batched.items)
    assert total.errors
    assert total.totals


def _order_of(changes: list[Change], conversation: Conversation) -> list[str]:
    """Items, responses and errors in the order the changes first name them."""
    order: dict[str, None] = {}
    for change in changes:
        order.update(dict.fromkeys(f"response {r}" for r in sorted(change.responses)))
        order.update(dict.fromkeys(f"item {i}" for i in sorted(change.items)))
        if change.errors:
            order[f"errors after {len(order)}"] = None
    return list(order)
