"""The TUI on a full disk: the session goes on, the log's failure is said once in one
sentence, and the status bar's `rec` mark says the log stopped.

A full disk is imitated with RLIMIT_FSIZE, which makes every write past the limit fail
(EFBIG) the way a full disk fails them (ENOSPC); it can only be set for a whole process, so
the app runs in a child (`full_disk_session.py`), driven by pilot there.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
LIMIT = 32 * 1024
"""Bytes any one file may hold: the log's first frames fit, a spoken reply does not."""


def _limit_file_size() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))


def test_a_log_that_cannot_be_written_is_said_once_and_marked(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(HERE / "full_disk_session.py"), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        preexec_fn=_limit_file_size,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    outcome = json.loads(result.stdout.splitlines()[-1])

    # The session went on: a second reply after the log failed.
    assert outcome["completed"] == 8
    [log_size] = outcome["log_sizes"]
    assert 0 < log_size <= LIMIT

    # Said once, in one sentence naming the log and the reason.
    failures = [n for n in outcome["notifications"] if n.get("severity") == "error"]
    assert len(failures) == 1, outcome["notifications"]
    [failure] = failures
    assert failure["message"].count(". ") == 0
    assert failure["message"].endswith(".")
    assert "file too large" in failure["message"]
    assert ".jsonl" in failure["message"]

    # The status bar's mark changed from recording to stopped.
    assert "rec " in outcome["status_before"]
    assert "rec stopped" in outcome["status_after"]
