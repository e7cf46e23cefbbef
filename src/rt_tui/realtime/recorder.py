"""Session logs: append-only JSONL, one line per frame, flushed per line, secrets removed.

Line format (one JSON object per line):

    {"rt_tui": "session", "version": 1, "wall_time": …, "url": "<redacted>", "dialect": "ga"}
    {"wall_time": 1732400000.123, "t_ms": 12.5, "direction": "received", "data": "<frame text>"}
    {"wall_time": …, "t_ms": …, "direction": "sent", "data": "<base64>", "binary": true}

The first (meta) line is optional for readers. `data` is the frame exactly as on the wire,
except that secrets are replaced by *** (key-shaped strings, `client_secret.value`, fields
named like api keys or passwords). Each line is flushed as it is written, so a crash loses at
most the line being written, and `read_log` skips a torn last line.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Final

from rt_tui import paths
from rt_tui.realtime.endpoints import Endpoint, redact_url
from rt_tui.realtime.errors import os_reason
from rt_tui.realtime.events import ServerEvent, parse_server_frame
from rt_tui.realtime.frames import Direction, Frame
from rt_tui.realtime.redaction import (
    REDACTED,
    Redactor,
    redact_frame_bytes,
    redact_frame_text,
    redacted_data,
)

__all__ = [
    "REDACTED",
    "LogError",
    "LogRecord",
    "SessionRecorder",
    "log_line",
    "meta_line",
    "new_session_path",
    "read_log",
    "read_meta",
    "redact_frame_bytes",
    "redact_frame_text",
]

LOG_VERSION: Final = 1
META_MARK: Final = "rt_tui"


class LogError(ValueError):
    """A session log that cannot be read; `str(e)` is one sentence naming file and line."""


@dataclass(frozen=True, slots=True)
class LogRecord:
    """One recorded frame."""

    wall_time: float
    t_ms: float
    direction: Direction
    data: str | bytes

    def to_frame(self) -> Frame:
        """The Frame this record came from (parsed again), for replays and snapshots."""
        if self.direction is Direction.RECEIVED:
            event: ServerEvent | None = parse_server_frame(self.data)
            return Frame(self.direction, self.t_ms, self.wall_time, self.data, event=event)
        client_event: dict[str, Any] | None = None
        if isinstance(self.data, str):
            try:
                decoded = json.loads(self.data)
            except ValueError:
                decoded = None
            client_event = decoded if isinstance(decoded, dict) else None
        return Frame(
            self.direction, self.t_ms, self.wall_time, self.data, client_event=client_event
        )


def meta_line(**fields: Any) -> str:
    """The first line of a log (no newline): the session mark, the version and `fields`."""
    return json.dumps({META_MARK: "session", "version": LOG_VERSION, **fields}, ensure_ascii=False)


def log_line(wall_time: float, t_ms: float, direction: Direction, data: str | bytes) -> str:
    """One frame as a log line (no newline), the form `read_log` reads back; binary data
    goes in base64. `data` is written as given: redact it first."""
    record: dict[str, Any] = {
        "wall_time": round(wall_time, 6),
        "t_ms": round(t_ms, 3),
        "direction": direction.value,
    }
    if isinstance(data, str):
        record["data"] = data
    else:
        record["data"] = base64.b64encode(data).decode("ascii")
        record["binary"] = True
    return json.dumps(record, ensure_ascii=False)


def new_session_path(directory: Path | None = None) -> Path:
    """A fresh log path: DIR/YYYYmmdd-HHMMSS-<short random>.jsonl (DIR default:
    `paths.sessions_dir()`), the directory created if needed."""
    directory = directory or paths.sessions_dir()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime())
    return directory / f"{stamp}-{secrets.token_hex(3)}.jsonl"


class SessionRecorder:
    """Writes frames to a JSONL log. Its `write` is a FrameObserver:

    with SessionRecorder(new_session_path(), endpoint=endpoint) as recorder:
        Connection(endpoint, observers=[recorder.write])
    """

    def __init__(
        self,
        path: Path,
        *,
        endpoint: Endpoint | None = None,
        url: str | None = None,
        dialect: str | None = None,
    ) -> None:
        """`endpoint` (or `url`/`dialect`) goes into the meta line, redacted; the endpoint's
        header values are also scrubbed from every frame."""
        self.path = path
        self._redactor = Redactor(endpoint.secret_values() if endpoint is not None else ())
        self._meta: dict[str, Any] = {}
        if endpoint is not None:
            self._meta["url"] = endpoint.display_url
            self._meta["dialect"] = endpoint.dialect.value
        if url is not None:
            self._meta["url"] = redact_url(url)
        if dialect is not None:
            self._meta["dialect"] = str(dialect)
        self._file: IO[str] | None = None
        self.frames_written = 0
        self.failure: str | None = None
        """Why the log stopped being written (set by `record`), None while it is fine."""

    def open(self) -> SessionRecorder:
        """Create (or append to) the log, mode 0600, and write the meta line."""
        if self._file is None:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            self._file = open(fd, "a", encoding="utf-8")  # noqa: SIM115 - closed in close()
            self._write_line(meta_line(**self._meta, wall_time=time.time()))
        return self

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    @property
    def closed(self) -> bool:
        return self._file is None

    def __enter__(self) -> SessionRecorder:
        return self.open()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def write(self, frame: Frame) -> None:
        """Append one frame (opening the log on first use). Frames after close are ignored."""
        if self._file is None:
            if self.frames_written:
                return
            self.open()
        data = redacted_data(frame, self._redactor)
        self._write_line(log_line(frame.wall_time, frame.t_ms, frame.direction, data))
        self.frames_written += 1

    def record(self, frame: Frame) -> None:
        """`write` for use as an observer: the connection swallows observer errors, so the
        first failure to write closes the log and keeps its reason in `failure` for the
        caller to report once; later frames are dropped."""
        if self.failure is not None:
            return
        try:
            self.write(frame)
        except OSError as exc:
            self.failure = os_reason(exc)
            self.close()

    def _write_line(self, line: str) -> None:
        assert self._file is not None
        # One write per line, flushed at once: a crash can tear at most this line.
        self._file.write(line + "\n")
        self._file.flush()


def _record_from(decoded: Any, path: Path, number: int) -> LogRecord:
    where = f"{path}, line {number}"
    if not isinstance(decoded, dict):
        raise LogError(f"The session log {where} is not a JSON object.")
    try:
        direction = Direction(decoded["direction"])
        data = decoded["data"]
        t_ms = float(decoded["t_ms"])
        wall_time = float(decoded.get("wall_time", 0.0))
    except (KeyError, ValueError, TypeError):
        raise LogError(
            f"The session log {where} lacks a valid direction, data or t_ms field."
        ) from None
    if not isinstance(data, str):
        raise LogError(f"The session log {where} has a 'data' field that is not a string.")
    if decoded.get("binary") is True:
        try:
            return LogRecord(wall_time, t_ms, direction, base64.b64decode(data, validate=True))
        except binascii.Error:
            raise LogError(f"The session log {where} has binary data that is not base64.") from None
    return LogRecord(wall_time, t_ms, direction, data)


def _lines(path: Path) -> Iterator[tuple[int, str, bool]]:
    """(line number, text, is last line) for each non-empty line."""
    try:
        handle = path.open(encoding="utf-8", errors="replace")
    except OSError as exc:
        reason = (exc.strerror or type(exc).__name__).rstrip(".")
        raise LogError(f"The session log {path} cannot be read: {reason.lower()}.") from None
    with handle:
        previous: tuple[int, str] | None = None
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            if previous is not None:
                yield previous[0], previous[1], False
            previous = (number, line)
        if previous is not None:
            yield previous[0], previous[1], True


def read_meta(path: Path) -> dict[str, Any] | None:
    """The log's meta line (url, dialect, version…), or None if it has none."""
    for _number, line, _last in _lines(path):
        try:
            decoded = json.loads(line)
        except ValueError:
            return None
        return decoded if isinstance(decoded, dict) and META_MARK in decoded else None
    return None


def read_log(path: Path) -> Iterator[LogRecord]:
    """The frames of a session log, in order. A torn last line (a crash mid-write) is
    skipped; any other broken line raises LogError naming the file and line."""
    for number, line, last in _lines(path):
        try:
            decoded = json.loads(line)
        except ValueError:
            if last:  # torn by a crash mid-write
                return
            raise LogError(f"The session log {path}, line {number} is not valid JSON.") from None
        if isinstance(decoded, dict) and META_MARK in decoded:
            continue
        yield _record_from(decoded, path, number)
