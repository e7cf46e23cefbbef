"""`rt-tui audio devices`, run as users run it: a table where PortAudio finds devices, one
sentence saying what is missing where it does not (as in CI), never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys

from rt_tui.realtime.audio_io import AudioUnavailable, Device, list_devices


def run(*args: str, code: str | None = None) -> subprocess.CompletedProcess[str]:
    command = ["-c", code] if code is not None else ["-m", "rt_tui", *args]
    return subprocess.run(
        [sys.executable, *command],
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def devices_or_problem() -> list[Device] | str:
    """What this machine has: its devices, or why PortAudio cannot be used."""
    try:
        return list_devices()
    except AudioUnavailable as problem:
        return str(problem)


def test_audio_devices_lists_them_or_says_in_one_line_why_it_cannot() -> None:
    result = run("audio", "devices")
    devices = devices_or_problem()
    if isinstance(devices, str):
        assert (result.returncode, result.stdout) == (1, "")
        assert result.stderr == f"rt-tui: {devices}\n"
        return
    if not devices:
        assert result.returncode == 1
        assert result.stderr.startswith("rt-tui: Live audio is unavailable: PortAudio finds no")
        assert "over SSH" in result.stderr
        assert result.stderr.count("\n") == 1
        return
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["#", "in", "out", "rate", "name"]
    assert len(lines) == 1 + len(devices)
    assert all(device.name in line for device, line in zip(devices, lines[1:], strict=True))


def test_without_the_audio_extra_it_says_how_to_get_it() -> None:
    result = run(
        code="import sys\n"
        "sys.modules['sounddevice'] = None  # as if the extra were not installed\n"
        "from rt_tui.cli import main\n"
        "sys.exit(main(['audio', 'devices']))\n"
    )
    assert result.returncode == 1
    assert result.stderr == (
        "rt-tui: Live audio needs the 'audio' extra, which is not installed: "
        "pip install 'rt-tui[audio]'.\n"
    )


def test_audio_needs_an_action_and_no_target() -> None:
    missing = run("audio")
    assert missing.returncode == 2
    assert missing.stderr == (
        "rt-tui: the following arguments are required: ACTION; try 'rt-tui audio --help'.\n"
    )
    targeted = run("--demo", "audio", "devices")
    assert targeted.returncode == 2
    assert "connects nowhere" in targeted.stderr
    assert "Traceback" not in missing.stderr + targeted.stderr
