"""The scratch file never fails its caller: on a full disk its bytes stay in memory."""

from __future__ import annotations

import os
from pathlib import Path

from full_disk import files_limited_to

from rt_tui.realtime.spill import SpillFile

CHUNK = os.urandom(300 * 1024)


def test_bytes_read_back_whole_across_the_flush(tmp_path: Path) -> None:
    spill = SpillFile(tmp_path)
    offsets = [spill.append(CHUNK) for _ in range(5)]  # over 1 MiB: some reach the file
    assert [spill.read(at, len(CHUNK)) for at in offsets] == [CHUNK] * 5
    assert spill.failure is None
    spill.close()


def test_a_file_that_stops_growing_keeps_the_rest_in_memory(tmp_path: Path) -> None:
    spill = SpillFile(tmp_path)
    with files_limited_to(500 * 1024):
        offsets = [spill.append(CHUNK) for _ in range(8)]
    assert spill.failure == "file too large"
    assert [spill.read(at, len(CHUNK)) for at in offsets] == [CHUNK] * 8
    spill.close()


def test_a_file_that_cannot_be_created_keeps_everything_in_memory(tmp_path: Path) -> None:
    (tmp_path / "not-a-folder").write_text("")
    spill = SpillFile(tmp_path / "not-a-folder" / "cache")
    assert spill.failure == "not a directory"
    offsets = [spill.append(CHUNK) for _ in range(5)]
    assert [spill.read(at, len(CHUNK)) for at in offsets] == [CHUNK] * 5
    spill.close()
