"""The inspector's rows under a filter: kept as frames arrive, and built in slices for a
new filter, always the same rows as the filter and the folds say."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from rt_tui.inspector import samples
from rt_tui.inspector.filtering import DirectionFilter, FrameFilter
from rt_tui.inspector.store import FrameStore


def shown(store: FrameStore) -> list[int]:
    return [store.frame_at_row(r) for r in range(store.row_count)]


def expected_rows(store: FrameStore) -> list[int]:
    """The rows worked out from scratch: a frame passing the filter, or for a folded group,
    its first frame if any member passes."""
    rows = []
    for i in range(len(store)):
        group = store.group_of(i)
        gid = store._group[i]  # the group's id, for its fold
        if group is not None and store.is_folded(gid):
            if group.first == i and any(store.matches(m) for m in group.members):
                rows.append(i)
        elif store.matches(i):
            rows.append(i)
    return rows


_FRAME_MAKERS = [
    lambda t: samples.text_delta("needle", t),
    lambda t: samples.text_delta("hay", t),
    lambda t: samples.text_delta("hay", t, item_id="item_2"),
    lambda t: samples.transcript_delta("w", t),
    lambda t: samples.audio_delta(480, t),
    lambda t: samples.audio_append(480, t),
    lambda t: samples.error_frame("c", "needle", t),
    lambda t: samples.sent({"type": "response.create"}, t),
]
_QUERIES = ["", "needle", "response.*", "!*.delta", "error", "*audio*"]
_ACTIONS = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.integers(0, len(_FRAME_MAKERS) - 1)),
        st.tuples(st.just("toggle"), st.integers(0, 50)),
        st.tuples(st.just("filter"), st.integers(0, len(_QUERIES) - 1)),
        st.tuples(st.just("fold_all"), st.integers(0, 1)),
        st.tuples(st.just("direction"), st.integers(0, 2)),
        st.tuples(st.just("step"), st.integers(1, 4)),
    ),
    max_size=60,
)


def play(store: FrameStore, t: int, action: str, arg: int, *, in_slices: bool) -> None:
    """One step of `_ACTIONS` at time `t`. `in_slices`: a new filter is started and built
    a few frames per "step"; else it is set at once and "step" does nothing."""
    wanted = store.wanted_filter if in_slices else store.filter
    change_filter = store.start_filter if in_slices else store.set_filter
    if action == "add":
        store.append(_FRAME_MAKERS[arg](t))
    elif action == "toggle" and store.row_count:
        store.toggle_fold(arg % store.row_count)
    elif action == "filter":
        change_filter(FrameFilter(_QUERIES[arg], wanted.direction))
    elif action == "fold_all":
        store.set_fold_all(bool(arg))
    elif action == "direction":
        change_filter(FrameFilter(wanted.query, list(DirectionFilter)[arg]))
    elif action == "step" and in_slices:
        store.filter_step(frames=arg)


@settings(max_examples=150, deadline=None)
@given(steps=_ACTIONS)
def test_rows_kept_incrementally_equal_rows_worked_out_from_scratch(
    steps: list[tuple[str, int]],
) -> None:
    store = FrameStore()
    for t, (action, arg) in enumerate(steps):
        play(store, t, action, arg, in_slices=False)
    assert shown(store) == expected_rows(store)
    assert store.rows_of_view() == [i for i in range(len(store)) if store.matches(i)]


@settings(max_examples=150, deadline=None)
@given(steps=_ACTIONS)
def test_a_filter_built_in_slices_among_new_frames_and_folds_ends_with_the_right_rows(
    steps: list[tuple[str, int]],
) -> None:
    store = FrameStore()
    for t, (action, arg) in enumerate(steps):
        play(store, t, action, arg, in_slices=True)
        # Whatever is being built, the rows shown are right for the filter shown.
        assert shown(store) == expected_rows(store)
    asked = store.wanted_filter
    while not store.filter_step(frames=3):
        pass
    assert store.filter == asked
    assert not store.filtering
    assert shown(store) == expected_rows(store)


def long_session() -> FrameStore:
    store = FrameStore()
    for frame in samples.session(20_000):
        store.append(frame)
    return store


def test_a_filter_over_many_frames_is_built_in_slices_with_the_same_rows_as_at_once() -> None:
    at_once, sliced = long_session(), long_session()
    for query in ("response.* !*.audio.delta", "input_audio_buffer.*", "transcript", ""):
        at_once.set_filter(FrameFilter(query))
        sliced.start_filter(FrameFilter(query))
        slices = 1
        while not sliced.filter_step(frames=1000, seconds=float("inf")):
            # Between slices, the rows shown are still those of the filter before.
            assert sliced.filtering
            assert sliced.filter != FrameFilter(query) or query == ""
            slices += 1
        assert slices == -(-len(sliced) // 1000)
        assert sliced.filter == FrameFilter(query)
        assert shown(sliced) == shown(at_once)
        assert sliced.filter_progress == 1.0


def test_frames_arriving_while_a_filter_is_built_are_in_both_the_old_and_the_new_rows() -> None:
    store = long_session()
    store.set_filter(FrameFilter("input_audio_buffer.*"))
    store.start_filter(FrameFilter("error"))
    store.filter_step(frames=5000)
    before = store.row_count
    store.append(samples.sent({"type": "input_audio_buffer.commit"}, 1))
    store.append(samples.error_frame("late", "arrived while filtering", 2))
    assert store.row_count == before + 1  # the old filter's rows took the commit
    while not store.filter_step(frames=5000):
        pass
    assert store.frame_at_row(store.row_count - 1) == len(store) - 1  # the new ones the error
    assert shown(store) == expected_rows(store)


def test_a_new_filter_replaces_the_one_being_built_and_clear_drops_it() -> None:
    store = long_session()
    store.start_filter(FrameFilter("error"))
    store.filter_step(frames=1000)
    store.start_filter(FrameFilter("response.done"))
    assert store.wanted_filter == FrameFilter("response.done")
    store.finish_filter()
    assert store.filter == FrameFilter("response.done")
    assert shown(store) == expected_rows(store)
    store.start_filter(FrameFilter("error"))
    store.clear()
    assert not store.filtering
    assert store.filter == FrameFilter("error")


def test_a_fold_changed_while_a_filter_is_built_shows_in_the_new_rows() -> None:
    store = long_session()
    store.start_filter(FrameFilter("response.*"))
    store.filter_step(frames=10_000, seconds=float("inf"))
    group_row = next(r for r in range(store.row_count) if store.row(r).count > 1)
    store.toggle_fold(group_row)  # a group the new rows have placed already, now unfolded
    store.filter_step(frames=10_000, seconds=float("inf"))
    store.set_fold_all(False)
    store.finish_filter()
    assert shown(store) == expected_rows(store)
    store.start_filter(FrameFilter(""))
    store.filter_step(frames=10_000, seconds=float("inf"))
    store.toggle_fold(store.row_of_frame(store.frame_at_row(group_row)))
    store.finish_filter()
    assert shown(store) == expected_rows(store)
