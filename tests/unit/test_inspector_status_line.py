"""The inspector's status line: plurals, priorities, fitting the width."""

from __future__ import annotations

from rt_tui.inspector import samples
from rt_tui.inspector.status_line import InspectorState, status_line
from rt_tui.inspector.store import FrameStore


def test_full_line_and_plurals() -> None:
    assert status_line(InspectorState(1, 1), 100) == "1 frame · 1 row · folded · following"
    state = InspectorState(74, 12, "response.*", "mixed", following=False)
    assert status_line(state, 200) == (
        "74 frames · 12 rows · filter: response.* · some folded · paused (End follows)"
    )


def test_narrow_widths_drop_the_least_important_first() -> None:
    state = InspectorState(74, 0, "response.* · errors only", "folded", following=False)
    for width in (76, 60, 50, 40, 30, 24):
        line = status_line(state, width)
        assert len(line) <= width, (width, line)
        assert line.startswith("74 fr")
        assert line.endswith("paused")
    assert "filter: response.* · errors only" in status_line(state, 76)
    assert "…" in status_line(state, 30)
    following = InspectorState(74, 9, "response.*", "unfolded", following=True)
    assert status_line(following, 40) == "74 frames · 9 rows · filter: response.*"


def test_fold_state_follows_the_toggles() -> None:
    store = FrameStore()
    for frame in [
        samples.text_delta("a", 1),
        samples.text_delta("b", 2),
        samples.received({"type": "response.output_text.done"}, 3),
        samples.text_delta("c", 4, item_id="item_2"),
        samples.text_delta("d", 5, item_id="item_2"),
    ]:
        store.append(frame)
    assert store.fold_state() == "folded"
    store.toggle_fold(0)
    assert store.fold_state() == "mixed"
    store.toggle_fold(store.row_of_frame(3))
    assert store.fold_state() == "unfolded"
    store.set_fold_all(True)
    assert store.fold_state() == "folded"
    store.set_fold_all(False)
    assert store.fold_state() == "unfolded"


def test_a_filter_being_built_says_so_beside_the_filter_asked_for() -> None:
    state = InspectorState(100_000, 4000, "response.done", filtering=True)
    assert status_line(state, 200) == (
        "100,000 frames · 4,000 rows · filtering… response.done · folded · following"
    )
    cleared = InspectorState(100_000, 0, "", filtering=True)
    assert "filtering…" in status_line(cleared, 200)
