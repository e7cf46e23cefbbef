"""The garbage collector as `rt-tui` sets it for a live session (rt_tui.tui.collector).

Each case runs in its own interpreter: the collector's settings are the process's own.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

CHURN = textwrap.dedent(
    """
    import gc, json, sys
    from collections import deque
    from rt_tui.tui.collector import tune_for_session

    if sys.argv[1] == "tuned":
        tune_for_session()

    class Line:
        # A rendered line that keeps itself in its own cache, as Textual's Strip does: a
        # cycle that only the collector frees.
        def __init__(self):
            self.cache = {"whole": self}

    shown = deque(maxlen=500)  # a few screens of lines, replaced as the screen changes
    gc.collect()
    tracked = len(gc.get_objects())
    full = gc.get_stats()[2]["collections"]
    for _ in range(300_000):
        shown.append(Line())
    print(json.dumps({
        "tracked": tracked,
        "full_passes": gc.get_stats()[2]["collections"] - full,
    }))
    """
)


def churn(mode: str) -> dict[str, int]:
    done = subprocess.run(
        [sys.executable, "-c", CHURN, mode], capture_output=True, text=True, check=True
    )
    result: dict[str, int] = json.loads(done.stdout)
    return result


def test_lines_kept_a_moment_are_freed_young_and_full_passes_walk_only_the_new() -> None:
    default, tuned = churn("default"), churn("tuned")
    # CPython's own settings: the lines outlive the young passes and pile up in the oldest
    # generation, so full passes, each walking every tracked object, keep coming.
    assert default["full_passes"] >= 5
    # Tuned: the young passes free most of them, full passes are fewer (not fewest: see
    # the next test), and what existed before is left out of them.
    assert tuned["full_passes"] < default["full_passes"]
    assert tuned["tracked"] < default["tracked"] / 10


START_UP = textwrap.dedent(
    """
    import gc, json, sys
    from rt_tui.tui import collector

    if sys.argv[1] == "tuned":
        collector.tune_for_session()

    class Widget:
        def __init__(self, parent=None):
            self.parent, self.children = parent, []
            if parent is not None:
                parent.children.append(self)

    screen = Widget()  # what the start-up builds and keeps: a tree, cycles between nodes
    for _ in range(2000):
        Widget(Widget(screen))
    for _ in range(1000):
        Widget(Widget())  # and what it throws away
    frozen = gc.get_freeze_count()
    collector.start_up_done()
    print(json.dumps({"frozen": gc.get_freeze_count() - frozen, "garbage": gc.collect()}))
    """
)


def test_what_the_start_up_built_is_frozen_in_a_tuned_process_only() -> None:
    def start_up(mode: str) -> dict[str, int]:
        done = subprocess.run(
            [sys.executable, "-c", START_UP, mode], capture_output=True, text=True, check=True
        )
        result: dict[str, int] = json.loads(done.stdout)
        return result

    tuned = start_up("tuned")
    # The screen's tree (4,001 nodes and their lists of children) is out of every full
    # pass from now on; what was thrown away (4,000 objects) was freed, not frozen.
    assert 8002 <= tuned["frozen"] < 9000
    assert tuned["garbage"] == 0
    # The tests' process (not tuned) runs app after app: nothing of theirs is frozen.
    assert start_up("default")["frozen"] == 0


SESSION = textwrap.dedent(
    """
    import gc, json
    from collections import deque
    from rt_tui.tui import collector

    collector.tune_for_session()

    class Widget:
        def __init__(self, parent=None):
            self.parent, self.children = parent, []
            if parent is not None:
                parent.children.append(self)

    screen = Widget()  # the start-up's screen, frozen once the first frame is out
    for _ in range(10_000):
        Widget(Widget(screen))
    collector.start_up_done()

    alive = 0

    class Line:
        # A rendered line in its own cache (see CHURN), kept long enough to outlive the
        # young passes: the conversation's lines of the last few dozen blocks.
        def __init__(self):
            global alive
            alive += 1
            self.cache = {"whole": self}

        def __del__(self):
            global alive
            alive -= 1

    kept = deque(maxlen=5_000)
    waiting = 0
    for _ in range(400_000):
        kept.append(Line())
        waiting = max(waiting, alive - len(kept))
    print(json.dumps({"most_waiting": waiting}))
    """
)


def test_lines_let_go_late_do_not_wait_long_for_a_full_pass() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SESSION], capture_output=True, text=True, check=True
    )
    # Lines let go after the young passes wait in the oldest generation for a full pass;
    # the most that ever waits is what the process's memory grows to. With CPython's 10
    # middle passes a full pass, ~68,000 wait at once.
    assert json.loads(done.stdout)["most_waiting"] < 40_000
