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
    # Tuned: the young passes free them, and what existed before is left out of full passes.
    assert tuned["full_passes"] == 0
    assert tuned["tracked"] < default["tracked"] / 10
