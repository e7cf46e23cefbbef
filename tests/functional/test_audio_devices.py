"""A microphone and a speaker through PortAudio, on ALSA's null device (no sound card
needed, nothing heard or recorded). Skipped where PortAudio or ALSA is missing, as in CI.

ALSA's null device takes and gives audio as fast as asked, not in real time, so these check
the plumbing (PortAudio's threads into the loop and out of the jitter buffer), not pacing.
Each runs in a child process whose HOME holds an .asoundrc naming the null device.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from rt_tui.realtime.audio_io import AudioUnavailable
from rt_tui.realtime.audio_io.devices import sounddevice


def _why_not() -> str | None:
    if not sys.platform.startswith("linux"):
        return "ALSA's null device is Linux only"
    try:
        sounddevice()
    except AudioUnavailable as problem:
        return str(problem)
    return None


_WHY_NOT = _why_not()
pytestmark = pytest.mark.skipif(_WHY_NOT is not None, reason=str(_WHY_NOT))

ASOUNDRC = "pcm.rt_tui_null {\n    type null\n}\n"


def run_with_null_device(tmp_path: Path, body: str) -> dict[str, Any]:
    """Run `body` (the inside of an async main() that returns a JSON-able dict) with the
    null device; its result."""
    (tmp_path / ".asoundrc").write_text(ASOUNDRC)
    script = "import asyncio, json\n"
    script += "from rt_tui.realtime.audio import tone\n"
    script += "from rt_tui.realtime.audio_io import open_sink, open_source, parse_audio_spec\n"
    script += "async def main():\n" + textwrap.indent(textwrap.dedent(body), "    ")
    script += "\nprint(json.dumps(asyncio.run(main())))\n"
    env = {**os.environ, "HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    decoded: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return decoded


def test_a_microphone_delivers_40_ms_chunks_from_portaudios_thread(tmp_path: Path) -> None:
    got = run_with_null_device(
        tmp_path,
        """
        mic = open_source(parse_audio_spec("rt_tui_null", "mic"))
        sizes = []
        async with mic:
            async for pcm in mic.chunks():
                sizes.append(len(pcm))
                if len(sizes) == 10:
                    break
        return {"sizes": sizes, "description": mic.description, "closed": mic.closed}
        """,
    )
    assert got["sizes"] == [40 * 48] * 10
    assert got["description"].startswith("microphone ")
    assert '"rt_tui_null"' in got["description"]
    assert got["closed"]


def test_a_speaker_plays_counts_and_stops(tmp_path: Path) -> None:
    got = run_with_null_device(
        tmp_path,
        """
        async with open_sink(parse_audio_spec("rt_tui_null", "speaker")) as speaker:
            speaker.play("item_a", tone(440, 300))
            speaker.finish("item_a")
            await asyncio.wait_for(speaker.drained(), 10)
            played_a = speaker.played_ms("item_a")
            speaker.play("item_b", tone(440, 300))
            await asyncio.wait_for(speaker.drained(), 10)
            cut = speaker.stop()
            speaker.play("item_b", tone(440, 300))  # still arriving after the cut
            return {
                "played_a": played_a,
                "cut": [cut.item_id, cut.played_ms],
                "queued_after_cut": speaker.queued_ms,
                "description": speaker.description,
            }
        """,
    )
    assert got["played_a"] == 300
    assert got["cut"] == ["item_b", 300]  # all of it went out, but more was on its way
    assert got["queued_after_cut"] == 0
    assert got["description"].startswith("speaker ")
