"""A long session in the frame store, read back against the frames themselves.

The store packs what it keeps (texts and summaries a block at a time, fold groups once
their run ends, audio on disk): every frame, row, folded group, filter and detail must
still show what the frames said, across many blocks and runs. And the path every frame
takes through it stays a fixed handful of calls.
"""

from __future__ import annotations

import json
from dataclasses import replace

from long_session import calls

from rt_tui.inspector import samples
from rt_tui.inspector.detail import row_detail
from rt_tui.inspector.filtering import DirectionFilter, FrameFilter
from rt_tui.inspector.packed_texts import BLOCK_TEXTS
from rt_tui.inspector.store import FrameStore
from rt_tui.inspector.summary import audio_label, server_summary
from rt_tui.realtime.events import parse_server_frame
from rt_tui.realtime.frames import Frame


def long_session() -> list[Frame]:
    """Turns of audio and transcript deltas, with a sent event, an error and a frame
    that is not ASCII among them, over many blocks of packed texts."""
    frames = list(samples.session(12 * BLOCK_TEXTS + 37, turn=23))
    frames.insert(100, samples.sent({"type": "response.create", "event_id": "evt_é"}, 100))
    frames.insert(300, samples.error_frame("bad_thing", "Ça ne va pas", 300))
    naive = {"type": "response.output_text.delta", "item_id": "item_é", "content_index": 0}
    frames.insert(
        301, samples.received(json.dumps({**naive, "delta": "naïve "}, ensure_ascii=False))
    )
    return frames


def expected_groups(frames: list[Frame]) -> list[list[int]]:
    """The fold rule, spelled out: deltas of one content part fold by type while only
    deltas of that part come between them."""
    groups: list[list[int]] = []
    run: dict[tuple[str, str, int], int] = {}
    part: tuple[str, int] | None = None
    for i, frame in enumerate(frames):
        event = json.loads(frame.data)
        if not event["type"].endswith(".delta"):
            run, part = {}, None
            continue
        if (event["item_id"], event["content_index"]) != part:
            run, part = {}, (event["item_id"], event["content_index"])
        key = (event["type"], event["item_id"], event["content_index"])
        if key not in run:
            run[key] = len(groups)
            groups.append([])
        groups[run[key]].append(i)
    return groups


def delta_of(frame: Frame) -> str:
    delta = json.loads(frame.data)["delta"]
    assert isinstance(delta, str)
    return delta


def is_audio(frame: Frame) -> bool:
    return bool(json.loads(frame.data)["type"] == "response.output_audio.delta")


def own_summary(frame: Frame) -> str:
    """What a received frame's row says of it."""
    if is_audio(frame):
        return audio_label(4800)  # (the samples' audio deltas carry 100 ms)
    if json.loads(frame.data)["type"].endswith(".delta"):
        return delta_of(frame)
    return server_summary(parse_server_frame(frame.data))


def test_every_frame_and_unfolded_row_reads_back_as_it_went_in() -> None:
    frames = long_session()
    store = FrameStore(fold=False)
    for frame in frames:
        store.append(frame)
    assert store.row_count == len(frames)
    for i, frame in enumerate(frames):
        assert store.frame_text(i) == frame.data
        row = store.row(i)
        assert (row.frame_index, row.wire_type) == (i, json.loads(frame.data)["type"])
        if row.wire_type != "response.create":  # (a sent event's summary has its own words)
            assert row.summary == own_summary(frame)


def test_folded_groups_show_their_members_text_and_audio() -> None:
    frames = long_session()
    store = FrameStore()
    for frame in frames:
        store.append(frame)
    groups = expected_groups(frames)
    grouped = {i for group in groups for i in group}
    firsts = {group[0]: group for group in groups}
    rows = [i for i in range(len(frames)) if i in firsts or i not in grouped]
    assert [store.frame_at_row(r) for r in range(store.row_count)] == rows
    for r, i in enumerate(rows):
        group = firsts.get(i)
        if group is None or len(group) == 1:
            continue
        row = store.row(r)
        assert (row.fold, row.count) == ("folded", len(group))
        assert store.group_of(i).members == group  # type: ignore[union-attr]
        if is_audio(frames[i]):
            assert row.summary == f"{len(group)} chunks · {audio_label(4800 * len(group))}"
        else:
            text = "".join(delta_of(frames[m]) for m in group)
            assert row.summary == text
            assert json.loads(row_detail(store, r).body)["text"] == text
    assert store.rows_of_view() == list(range(len(frames)))


def test_opening_a_packed_group_and_one_still_growing_shows_their_members() -> None:
    frames = long_session()
    store = FrameStore()
    for frame in frames[:-5]:  # The last turn's deltas still run.
        store.append(frame)
    groups = [group for group in expected_groups(frames[:-5]) if len(group) > 1]
    for group in (groups[3], groups[-1]):
        assert store.toggle_fold(store.row_of_frame(group[0])) == group[0]
        opened = [store.row(store.row_of_frame(m)) for m in group]
        assert [row.frame_index for row in opened] == group
        assert [row.fold for row in opened] == ["open"] + ["member"] * (len(group) - 1)
        assert store.rows_of_view() == list(range(len(frames) - 5))


def test_a_text_filter_over_packed_blocks_finds_the_frames_that_say_it() -> None:
    frames = long_session()
    store = FrameStore()
    for frame in frames:
        store.append(frame)
    store.set_filter(FrameFilter("word3"))
    expected = [i for i, f in enumerate(frames) if not is_audio(f) and "word3" in f.data]
    assert store.rows_of_view() == expected
    store.set_filter(FrameFilter("naÏve"))
    assert store.rows_of_view() == [301]
    store.set_filter(FrameFilter(direction=DirectionFilter.SENT))
    assert store.rows_of_view() == [100]
    store.set_filter(FrameFilter(errors_only=True))
    assert store.rows_of_view() == [300]


def test_a_delta_costs_the_store_a_fixed_handful_of_calls() -> None:
    # Thousands of deltas a second in a flood: each one's path through the store (classify,
    # keep its text and summary, join its run, place its row) stays short, and flat.
    store = FrameStore()
    frames = [
        replace(frame, redacted=frame.data)  # as a connection hands them over
        for frame in samples.conversation_turn(0, 40 * BLOCK_TEXTS, audio=False)
    ]
    *before, delta = frames[:-2]  # (a turn ends with two frames that are not deltas)
    for frame in before:
        store.append(frame)
    assert json.loads(delta.data)["type"].endswith(".delta")
    assert calls(lambda: store.append(delta)) <= 14
