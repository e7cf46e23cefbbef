"""An hour of replies: what the next one costs must not grow with the ones before it."""

from __future__ import annotations

import gc
import tracemalloc

from long_session import calls, growth, reply_frames

from rt_tui.inspector import samples
from rt_tui.inspector.latency import LatencyTracker, Milestone
from rt_tui.inspector.store import FrameStore
from rt_tui.realtime import spill
from rt_tui.realtime.audio_store import AudioStore
from rt_tui.realtime.conversation import Conversation
from rt_tui.tool_answers.desk import CallDesk
from rt_tui.tui.widgets.audio_levels import ItemLevels


def conversation_of(replies: int) -> Conversation:
    conversation = Conversation()
    for n in range(1, replies + 1):
        for frame in reply_frames(n):
            conversation.apply(frame)
    return conversation


def test_reply_frames_make_one_finished_reply_each() -> None:
    conversation = conversation_of(3)
    assert [item.text for item in conversation.items] == ["Tick number at noon, all is well."] * 3
    assert all(response.finished for response in conversation.responses.values())
    assert conversation.audio.duration_ms("item_00000003") == 100


def test_the_running_response_is_found_without_walking_the_finished_ones() -> None:
    # Asked after every batch that touched a response (is Cancel offered?), mostly
    # when none runs: the newest reply just finished.
    def cost_after(replies: int, streaming: bool) -> int:
        conversation = conversation_of(replies)
        if streaming:
            for frame in list(reply_frames(replies + 1))[:5]:
                conversation.apply(frame)
        running = f"resp_{replies + 1:08d}" if streaming else None
        assert conversation.active_response_id == running
        return calls(lambda: conversation.active_response_id)

    assert cost_after(2000, streaming=False) == cost_after(20, streaming=False)
    assert cost_after(2000, streaming=True) == cost_after(20, streaming=True)


def test_a_reply_without_a_function_call_is_not_looked_up_in_the_whole_conversation() -> None:
    def cost_after(replies: int) -> int:
        conversation = conversation_of(replies)
        last = f"resp_{replies:08d}"
        assert CallDesk().finished(conversation, [last], []) == ([], [])
        # A fresh desk each time: a desk looks at a finished response once.
        return calls(lambda: CallDesk().finished(conversation, [last], []))

    assert cost_after(2000) == cost_after(20)


def test_the_inspector_keeps_a_reply_in_a_few_kilobytes() -> None:
    # Every frame stays viewable, filterable and exportable; an hour of one reply a second
    # (3,600 replies of 18 frames, ~4 kB of JSON and 6.4 kB of base64 audio each) must
    # not add up to tens of megabytes.
    store = FrameStore()

    def add(replies: range) -> None:
        for n in replies:
            for frame in reply_frames(n):
                store.append(frame)

    add(range(1, 101))
    tracemalloc.start()
    try:
        before = tracemalloc.take_snapshot()
        add(range(101, 1101))
        after = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    # The audio no log holds goes to a scratch file in 1 MB writes: not the store's own.
    scratch = [tracemalloc.Filter(False, spill.__file__)]
    grown = sum(
        stat.size_diff
        for stat in after.filter_traces(scratch).compare_to(
            before.filter_traces(scratch), "filename"
        )
    )
    # Its texts packed a block at a time with nothing kept per text, fold groups' texts
    # packed once their run ends, and offsets kept for the audio frames alone: ~1,100
    # bytes a reply (1,670 with a str per group text and an offset for every frame).
    assert grown / 1000 < 1200
    assert store.frame_text(len(store) - 1) == list(reply_frames(1100))[-1].data


def test_a_finished_reply_leaves_few_objects_for_the_collector() -> None:
    # Every full collection walks every tracked object: what each reply leaves behind
    # makes every later collection slower, for the rest of the session.
    conversation = Conversation()

    def add(replies: range) -> None:
        for n in replies:
            for frame in reply_frames(n):
                conversation.apply(frame)

    objects, size = growth(add)
    # The item, its content part and text, the response with its timings, usage, priced
    # token counts and output list: no per-item cache, audio bookkeeping or spare buffers,
    # no copy of the usage's detail dicts, no transcript marks of items long played.
    assert objects < 9.5  # (a few objects of the whole run spread over 1,000 replies)
    assert size < 1900
    assert conversation.item("item_00001100") is not None


def test_a_reply_keeps_one_copy_of_its_ids_and_of_the_words_every_reply_repeats() -> None:
    # Every event parses its own copy of the ids and words it carries; an hour of
    # replies kept several copies of each before.
    conversation = conversation_of(2)
    first, second = conversation.items
    response = conversation.response("resp_00000002")
    assert response is not None
    assert response.output_item_ids[0] is second.id
    assert second.response_id is response.id
    assert next(iter(conversation.audio.item_ids())) is first.id
    assert (second.type, second.role, second.status) == ("message", "assistant", "completed")
    assert second.status is first.status
    assert second.content[0].type is first.content[0].type
    assert second.role is first.role
    assert response.status is conversation.responses["resp_00000001"].status


def test_the_inspector_keeps_a_long_sessions_fold_groups_out_of_the_collectors_way() -> None:
    # A full collection walks every tracked object and holds up every thread meanwhile,
    # the audio's too: thousands of delta runs must not each leave objects behind.
    frames = list(samples.session(20_000))
    store = FrameStore()
    gc.collect()
    before = len(gc.get_objects())
    for frame in frames:
        store.append(frame)
    del frame
    gc.collect()
    folded = [r for r in range(store.row_count) if store.row(r).count > 1]
    assert len(folded) >= 800
    assert len(gc.get_objects()) - before < 50


def test_a_reply_s_latency_is_kept_as_a_few_numbers() -> None:
    # The latency screen shows every response's milestones; kept as a record a milestone
    # in a dict each, they took ~770 bytes and six tracked objects a reply.
    tracker = LatencyTracker()
    frames = 0

    def add(replies: range) -> None:
        nonlocal frames
        for n in replies:
            batch = list(reply_frames(n))
            tracker.add_frames(batch, frames)
            frames += len(batch)

    objects, size = growth(add)
    assert objects < 1.1
    assert size < 450
    last = tracker.responses["resp_00001100"]
    assert last.finished
    assert last.total_ms == 17.0
    assert last.since_start(Milestone.FIRST_TEXT) == 4.0


def test_the_tool_desk_notes_only_the_replies_that_made_calls() -> None:
    # Each finished reply is shown to the desk once; one without calls leaves nothing to
    # note (a set of every reply's id grew all session).
    conversation = conversation_of(1100)
    desk = CallDesk()

    def add(replies: range) -> None:
        for n in replies:
            assert desk.finished(conversation, [f"resp_{n:08d}"], []) == ([], [])

    _, size = growth(add)
    assert size < 5


def test_sparklines_are_kept_for_the_newest_items_only() -> None:
    # A finished spoken item's sparkline is drawn once and kept in its block; a copy of
    # every one ever drawn (~150 bytes a reply) need not stay too.
    conversation = Conversation(AudioStore(levels=True))
    for n in range(1, 1101):
        for frame in reply_frames(n):
            conversation.apply(frame)
    levels = ItemLevels()

    def add(replies: range) -> None:
        for n in replies:
            assert levels.of(conversation.audio, f"item_{n:08d}") == "▁"  # 100 ms of silence

    _, size = growth(add)
    assert size < 20
