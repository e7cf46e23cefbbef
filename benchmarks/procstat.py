"""What a process costs, read from /proc (Linux): resident memory, CPU time, disk used."""

from __future__ import annotations

import contextlib
import gc
import os
import resource
import stat
from collections.abc import Iterable
from pathlib import Path

_PAGE = os.sysconf("SC_PAGE_SIZE")
_TICKS = os.sysconf("SC_CLK_TCK")
MB = 1_000_000


def rss_bytes(pid: int | str = "self") -> int:
    """Resident set size now (from /proc/PID/statm)."""
    with open(f"/proc/{pid}/statm", encoding="ascii") as f:
        return int(f.read().split()[1]) * _PAGE


def settled_rss_bytes() -> int:
    """This process's RSS after a full garbage collection (what it really keeps)."""
    gc.collect()
    return rss_bytes()


def peak_rss_bytes() -> int:
    """The highest RSS this process has had."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def cpu_seconds(pid: int | str = "self") -> float:
    """User + system CPU time of a process, all its threads (from /proc/PID/stat)."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS


def disk_bytes(roots: Iterable[Path], pid: int | str = "self") -> int:
    """Disk blocks used by the files under `roots` plus the regular files `pid` holds open,
    deleted ones included (an unnamed temporary file), each file counted once."""
    seen: dict[tuple[int, int], int] = {}

    def count(st: os.stat_result) -> None:
        if stat.S_ISREG(st.st_mode):
            seen[(st.st_dev, st.st_ino)] = st.st_blocks * 512

    for root in roots:
        for dirpath, _dirs, files in os.walk(root):
            for name in files:
                with contextlib.suppress(OSError):  # gone meanwhile
                    count(os.lstat(os.path.join(dirpath, name)))
    fd_dir = Path(f"/proc/{pid}/fd")
    for entry in fd_dir.iterdir():
        with contextlib.suppress(OSError):  # closed meanwhile
            count(os.stat(entry))
    return sum(seen.values())
