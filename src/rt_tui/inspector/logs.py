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
from rt_tui.inspector.store import FrameStore
from rt_tui.realtime.endpoints import model_in_url
from rt_tui.realtime.frames import Frame
from rt_tui.realtime.session_log import LogError, LogFile, read_log, read_meta

__all__ = [
    "LogError",
    "ReplayInfo",
    "ReplayPlan",
    "check_log",
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


def _no_frames(path: Path) -> LogError:
    return LogError(f"The session log {path} holds no frames to replay.")


def check_log(path: Path) -> ReplayInfo:
    """Read the whole log once (streaming, so memory stays flat) to catch a broken line
    before a replay starts. Raises LogError (one sentence naming file and line)."""
    meta = read_meta(path) or {}
    count = sum(1 for _record in read_log(path))
    if not count:
        raise _no_frames(path)
    return ReplayInfo(path, count, meta)


def iter_frames(path: Path) -> Iterator[Frame]:
    """The log's frames, parsed again as the connection delivered them, each pointing back
    at its line (so big payloads are read from the log when shown, not copied). Raises
    LogError."""
    return LogFile(path).frames()


def load_store(path: Path, *, fold: bool = True, query: str = "") -> FrameStore:
    """A FrameStore holding every frame of the log, filtered by `query` (the inspector's
    filter syntax). Raises LogError; the caller closes the store."""
    store = FrameStore(fold=fold)
    try:
        if query:
            store.set_filter(FrameFilter(query))
        for frame in iter_frames(path):
            store.append(frame)
    except BaseException:
        store.close()
        raise
    if not len(store):
        store.close()
        raise _no_frames(path)
    return store
