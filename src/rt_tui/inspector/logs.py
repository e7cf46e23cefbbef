"""A recorded session log (or an inspector export) as a source of frames.

Checks a log before a replay, reads its frames back as the connection delivered them, and
loads them into a `FrameStore`, so the TUI's replay and `rt-tui replay --print/--json` fold
and filter exactly alike. Nothing here imports Textual.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rt_tui.dialect import Dialect
from rt_tui.inspector.filtering import FrameFilter
from rt_tui.inspector.playback import play_times
from rt_tui.inspector.store import FrameStore
from rt_tui.realtime.endpoints import model_in_url
from rt_tui.realtime.frames import Frame
from rt_tui.realtime.session_log import (
    LogError,
    LogFile,
    OnSkip,
    SkippedLine,
    no_readable_frame,
    read_meta,
)
from rt_tui.realtime.socket_mark import SocketMark

__all__ = [
    "LogError",
    "OnSkip",
    "ReplayInfo",
    "ReplayPlan",
    "SkippedLine",
    "check_log",
    "iter_entries",
    "iter_frames",
    "load_store",
    "read_meta",
]


@dataclass(frozen=True)
class ReplayInfo:
    """What is known of a log before replaying it: its meta line and how many frames."""

    path: Path
    frame_count: int
    meta: dict[str, Any] = field(default_factory=dict)
    """The log's meta line ({} if it has none): redacted `url`, `dialect`, `source`…"""
    skipped: tuple[SkippedLine, ...] = ()
    """The broken lines the replay will pass over."""
    duration_ms: float = 0.0
    """The recorded time of the last frame (times restarting at a reconnect run on)."""

    @property
    def url(self) -> str:
        """The redacted URL the session talked to ('' if the log does not say)."""
        value = self.meta.get("url")
        return value if isinstance(value, str) else ""

    @property
    def dialect(self) -> Dialect | None:
        value = self.meta.get("dialect")
        try:
            return Dialect(value) if isinstance(value, str) else None
        except ValueError:
            return None

    @property
    def model(self) -> str:
        """The model or deployment named in the URL, if any."""
        return model_in_url(self.url)

    @property
    def host(self) -> str:
        return self.url.partition("://")[2].partition("/")[0].partition("?")[0]

    def describe(self) -> str:
        """'text_session.jsonl (api.openai.com)' for a status line."""
        origin = self.host or ("inspector export" if self.meta.get("source") else "")
        return f"{self.path.name} ({origin})" if origin else self.path.name


@dataclass(frozen=True)
class ReplayPlan:
    """A checked log and how the TUI first shows it."""

    info: ReplayInfo
    query: str = ""
    """The inspector's initial filter (its filter syntax)."""
    fold: bool = True
    """Whether runs of deltas start folded."""
    speed: float | None = None
    """Play the frames at this many times their recorded pace; None: all at once."""


def _no_frames(path: Path, skipped: list[SkippedLine]) -> LogError:
    if skipped:
        return no_readable_frame(path, skipped)
    return LogError(f"The session log {path} holds no frames to replay.")


def check_log(path: Path) -> ReplayInfo:
    """Read the whole log once (streaming, so memory stays flat) to catch what a replay
    will skip before it starts. Broken lines are noted in `skipped`; a log with no frame
    to replay raises LogError (one sentence naming file and, if broken, line)."""
    meta = read_meta(path) or {}
    skipped: list[SkippedLine] = []
    count, duration_ms = 0, 0.0
    records = (record.t_ms for record, _span in LogFile(path).records(skipped.append))
    for count, duration_ms in enumerate(play_times(records), start=1):  # noqa: B007
        pass
    if not count:
        raise _no_frames(path, skipped)
    return ReplayInfo(path, count, meta, tuple(skipped), duration_ms)


def iter_frames(path: Path, on_skip: OnSkip) -> Iterator[Frame]:
    """The log's frames, parsed again as the connection delivered them, each pointing back
    at its line (so big payloads are read from the log when shown, not copied). A broken
    line is passed over and reported to `on_skip`. Raises LogError for a log that cannot
    be read."""
    return LogFile(path).frames(on_skip)


def iter_entries(path: Path, on_skip: OnSkip) -> Iterator[Frame | SocketMark]:
    """`iter_frames`, with the marks where a new socket took the session over (read from
    the log, or inferred in a log written before marks) in their places."""
    return LogFile(path).frames_and_marks(on_skip)


def load_store(
    path: Path, *, fold: bool = True, query: str = "", on_skip: OnSkip | None = None
) -> FrameStore:
    """A FrameStore holding every frame of the log, filtered by `query` (the inspector's
    filter syntax); broken lines are passed over and reported to `on_skip`. Raises
    LogError for a log that cannot be read or has no frame; the caller closes the store."""
    store = FrameStore(fold=fold)
    skipped: list[SkippedLine] = []

    def skip(line: SkippedLine) -> None:
        skipped.append(line)
        if on_skip is not None:
            on_skip(line)

    try:
        if query:
            store.set_filter(FrameFilter(query))
        for entry in iter_entries(path, skip):
            if isinstance(entry, SocketMark):
                store.add_mark(entry)
            else:
                store.append(entry)
    except BaseException:
        store.close()
        raise
    if not len(store):
        store.close()
        raise _no_frames(path, skipped)
    return store
