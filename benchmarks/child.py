"""Run one trial in this (fresh) process and write its result as JSON:

    python -m benchmarks.child TRIAL PARAMS_JSON RESULT_PATH

`run_trial` starts such a process with its own folders and waits for it, bounded.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, NoReturn

from benchmarks.env import isolated_env
from benchmarks.trials import TRIALS, Params, Result


class TrialFailed(Exception):
    """A trial ended without a result; `str(e)` says which and why."""


def run_trial(name: str, params: Params, *, timeout: float) -> Result:
    """Run trial `name` in a child process; its result. Raises TrialFailed."""
    with tempfile.TemporaryDirectory(prefix="rt-tui-bench-") as folder:
        scratch = Path(folder)
        out = scratch / "result.json"
        command = [sys.executable, "-m", "benchmarks.child", name, json.dumps(params), str(out)]
        try:
            done = subprocess.run(
                command,
                env=isolated_env(scratch / "child"),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
                timeout=timeout,
            )
        except subprocess.TimeoutExpired:
            raise TrialFailed(f"{name} {params} took over {timeout:g} s and was stopped.") from None
        if not out.exists():
            lines = [line for line in done.stderr.splitlines() if line.strip()]
            why = lines[-1] if lines else f"exit code {done.returncode}"
            raise TrialFailed(f"{name} {params} failed: {why}")
        result: Result = json.loads(out.read_text())
        return result


def main(argv: list[str]) -> None:
    name, params, out = argv[0], json.loads(argv[1]), Path(argv[2])

    def report(result: dict[str, Any]) -> NoReturn:
        out.write_text(json.dumps(result))
        sys.stderr.flush()
        # The figures are in: leave without waiting for a busy app to shut down.
        os._exit(0)

    asyncio.run(TRIALS[name](params, report))
    sys.exit(f"The trial {name} ended without reporting a result.")


if __name__ == "__main__":
    main(sys.argv[1:])
