"""A stdout the reader closed (`rt-tui send hi | head -1`), in a subprocess: the command stops
quietly with exit 0 and still finishes what the user asked for besides printing.

The pipe's read end is closed before the command starts, so its first write meets a closed
pipe, as it does once `head` has its line and exits."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from rt_tui.realtime.audio import duration_ms, read_wav
from rt_tui.realtime.recorder import read_log

FIXTURE = Path(__file__).parent.parent / "fixtures" / "sessions" / "text_session.jsonl"


def run_into_closed_pipe(*args: str | Path) -> tuple[int, str]:
    """Run `rt-tui ARGS` with stdout a pipe nobody reads any more; exit code and stderr."""
    reader, writer = os.pipe()
    os.close(reader)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "rt_tui", *map(str, args)],
            stdout=writer,
            capture_output=False,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            check=False,
        )
    finally:
        os.close(writer)
    return result.returncode, result.stderr


def _logged_types(log: Path) -> list[str]:
    """The wire types in a session log, which must end with a whole line (it was closed)."""
    assert log.read_text(encoding="utf-8").endswith("\n")
    return [record.to_frame().wire_type for record in read_log(log)]


@pytest.mark.parametrize("json_lines", [False, True])
def test_send_stops_quietly_and_closes_its_log(json_lines: bool, tmp_path: Path) -> None:
    log = tmp_path / "session.jsonl"
    args: list[str | Path] = ["send", "hi", "--demo", "--log", log]
    if json_lines:
        args.append("--json")
    assert run_into_closed_pipe(*args) == (0, "")
    assert _logged_types(log)[0] == "session.created"


def test_send_still_saves_the_audio_it_was_asked_for(tmp_path: Path) -> None:
    audio, log = tmp_path / "reply.wav", tmp_path / "session.jsonl"
    args: list[str | Path] = ["send", "hi", "--demo", "--save-audio", audio, "--log", log]
    assert run_into_closed_pipe(*args) == (0, "")
    assert duration_ms(read_wav(audio)) > 0
    assert "response.done" in _logged_types(log)


@pytest.mark.parametrize("output", ["--print", "--json"])
def test_replay_stops_quietly(output: str, tmp_path: Path) -> None:
    # Long enough to fill any pipe buffer.
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    log = tmp_path / "long.jsonl"
    log.write_text("\n".join([lines[0], *lines[1:] * 200]) + "\n", encoding="utf-8")
    assert run_into_closed_pipe("replay", log, output) == (0, "")
