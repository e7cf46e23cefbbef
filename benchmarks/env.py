"""Environments for the processes a benchmark starts: this package importable, and for an
app, its own folders and no keys or settings from outside (as the test suite does)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final

ROOT: Final = Path(__file__).resolve().parent.parent
"""The project folder (holds `benchmarks/`)."""
_OUTER_PREFIXES: Final = ("OPENAI_", "AZURE_", "RT_TUI_")
SCRATCH_VAR: Final = "RT_TUI_BENCH_SCRATCH"
"""Names the folder a child process owns (sessions, cache, temporary files)."""


def python_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The current environment with `benchmarks` importable."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    env.update(extra or {})
    return env


def isolated_env(scratch: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """`python_env` with every rt-tui and XDG folder, HOME and TMPDIR inside `scratch`, and
    no OPENAI_*, AZURE_* or RT_TUI_* variable from outside."""
    env = {k: v for k, v in python_env().items() if not k.startswith(_OUTER_PREFIXES)}
    folders = {
        "HOME": "home",
        "TMPDIR": "tmp",
        "RT_TUI_CONFIG_DIR": "config",
        "RT_TUI_DATA_DIR": "data",
        "RT_TUI_CACHE_DIR": "cache",
        "XDG_CONFIG_HOME": "xdg-config",
        "XDG_DATA_HOME": "xdg-data",
        "XDG_CACHE_HOME": "xdg-cache",
        "XDG_STATE_HOME": "xdg-state",
    }
    for name, folder in folders.items():
        path = scratch / folder
        path.mkdir(parents=True, exist_ok=True)
        env[name] = str(path)
    env[SCRATCH_VAR] = str(scratch)
    env.update(extra or {})
    return env
