"""Start-up: how long `rt-tui --demo` takes to paint its first frame, against a minimal
Textual app, both started as a user would, in a pseudo-terminal of 120 x 40.

The clock runs from the fork to the moment a text that only the first frame carries (the
conversation pane's title; the minimal app's one label) comes out of the terminal. The two
programs alternate, each in fresh folders (no config, so --demo runs as on a first start),
so machine load affects both alike; the figure is the median of the paired ratios.

Both start as an installed program does, from compiled bytecode: the warm-up runs write
it to a cache of the measurement's own, even where the environment says not to
(PYTHONDONTWRITEBYTECODE, common in containers), which would otherwise have every start
compile the source of an editable install again while Textual's was compiled when pip
installed it.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any, Final

from benchmarks.env import isolated_env
from benchmarks.minimal_app import MARK
from benchmarks.terminal import Terminal

APPS: Final = {
    "minimal": ([sys.executable, "-m", "benchmarks.minimal_app"], MARK.encode()),
    "rt-tui --demo": ([sys.executable, "-m", "rt_tui", "--demo"], b" Conversation "),
}


def time_to_first_frame(name: str, timeout: float = 60.0, bytecode: Path | None = None) -> float:
    """Seconds to `name`'s first frame; `bytecode`: the folder its compiled modules are
    cached in (None: as the environment says)."""
    argv, mark = APPS[name]
    with tempfile.TemporaryDirectory(prefix="rt-tui-bench-") as folder:
        env = isolated_env(Path(folder))
        if bytecode is not None:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(bytecode)
        with Terminal(argv, env) as terminal:
            return terminal.wait_for(mark, timeout)


def measure(repeats: int) -> dict[str, Any]:
    """Seconds to the first frame of each app (`repeats` runs each, alternating) and the
    ratios rt-tui / minimal of each pair."""
    times: dict[str, list[float]] = {name: [] for name in APPS}
    with tempfile.TemporaryDirectory(prefix="rt-tui-bytecode-") as folder:
        bytecode = Path(folder)
        for name in APPS:  # compile, and warm the file cache: not measured
            time_to_first_frame(name, bytecode=bytecode)
        for _ in range(repeats):
            for name in APPS:
                times[name].append(time_to_first_frame(name, bytecode=bytecode))
    ratios = [a / b for a, b in zip(times["rt-tui --demo"], times["minimal"], strict=True)]
    return {
        "minimal_s": times["minimal"],
        "rt_tui_s": times["rt-tui --demo"],
        "ratios": ratios,
        "ratio_median": statistics.median(ratios),
    }
