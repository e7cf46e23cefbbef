"""Reading session logs back: whole (replays, checks) or one frame by its byte span.

The format is described in `rt_tui.realtime.recorder`, which writes it. A log is read
line by line with each line's byte offset, so a replay can hand out `LogSpan`s that point
into the file instead of keeping big payloads (audio) in memory or copying them.

`entries` also gives the marks where a new socket took the session over
(`rt_tui.realtime.socket_mark`). A log written before marks has none: its times start
again at 0 on each new socket, which pacing a replay allows for
(`rt_tui.inspector.playback.play_times`).
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from rt_tui.realtime.event_registry import ServerEvent
from rt_tui.realtime.events import parse_server_frame
from rt_tui.realtime.frames import Direction, Frame, LogSpan
from rt_tui.realtime.redaction import Redactor
from rt_tui.realtime.socket_mark import MARK_KIND, SocketMark

LOG_VERSION: Final = 1
META_MARK: Final = "rt_tui"

#: Redacts what looks like a key or sits in a secret field (no known secrets: a log does
#: not say which key its session used).
_KEY_SHAPES: Final = Redactor()


class LogError(ValueError):
    """A session log that cannot be read; `str(e)` is one sentence naming file and line."""


class _BadLine(ValueError):
    """A line that is not a frame; `str(e)` is what is wrong, e.g. 'is not valid JSON'."""


@dataclass(frozen=True, slots=True)
class SkippedLine:
    """A broken line a lenient read passed over (see `LogFile.records`)."""

    path: Path
    number: int
    reason: str
    """What is wrong with it: 'is not valid JSON', 'has binary data that is not base64'…"""

    def describe(self) -> str:
        """'Skipped line 7 of s.jsonl: it is not valid JSON.'"""
        return f"Skipped line {self.number} of {self.path.name}: it {self.reason}."

    def error(self) -> LogError:
        """The sentence a strict read raises for this line."""
        return LogError(f"The session log {self.path}, line {self.number} {self.reason}.")


OnSkip = Callable[[SkippedLine], None]
"""Told of each broken line a lenient read skips, in order."""


def no_readable_frame(path: Path, skipped: list[SkippedLine]) -> LogError:
    """The sentence for a log whose every frame line is broken (`skipped` is not empty)."""
    first, more = skipped[0], len(skipped) - 1
    others = f" (and {more:,} more broken line{'s' if more > 1 else ''})" if more else ""
    return LogError(
        f"The session log {path} holds no readable frame: line {first.number} "
        f"{first.reason}{others}."
    )


@dataclass(frozen=True, slots=True)
class LogRecord:
    """One recorded frame."""

    wall_time: float
    t_ms: float
    direction: Direction
    data: str | bytes

    def to_frame(self, span: LogSpan | None = None) -> Frame:
        """The Frame this record came from (parsed again), for replays and snapshots;
        `span` says where it lies in the log. rt-tui wrote it redacted, but a log from
        elsewhere (an older version, a hand-made file) may still hold a key-shaped token:
        that is redacted now, and such a frame no longer points at its line."""
        redacted = _KEY_SHAPES.data(self.data)
        if redacted is not self.data and redacted != self.data:
            span = None
        if self.direction is Direction.RECEIVED:
            event: ServerEvent | None = parse_server_frame(redacted)
            return Frame(
                self.direction,
                self.t_ms,
                self.wall_time,
                self.data,
                event=event,
                redacted=redacted,
                log_span=span,
            )
        client_event: dict[str, Any] | None = None
        if isinstance(redacted, str):
            try:
                decoded = json.loads(redacted)
            except ValueError:
                decoded = None
            client_event = decoded if isinstance(decoded, dict) else None
        return Frame(
            self.direction,
            self.t_ms,
            self.wall_time,
            self.data,
            client_event=client_event,
            redacted=redacted,
            log_span=span,
        )


def _record_from(decoded: Any) -> LogRecord:
    """The frame a decoded line holds. Raises _BadLine saying what is wrong with it."""
    if not isinstance(decoded, dict):
        raise _BadLine("is not a JSON object")
    try:
        direction = Direction(decoded["direction"])
        data = decoded["data"]
        t_ms = float(decoded["t_ms"])
        wall_time = float(decoded.get("wall_time", 0.0))
    except (KeyError, ValueError, TypeError, OverflowError):
        raise _BadLine("lacks a valid direction, data or t_ms field") from None
    if not (math.isfinite(t_ms) and math.isfinite(wall_time)):
        raise _BadLine("has a t_ms or wall_time that is not a finite number")
    if not isinstance(data, str):
        raise _BadLine("has a 'data' field that is not a string")
    if decoded.get("binary") is True:
        try:
            return LogRecord(wall_time, t_ms, direction, base64.b64decode(data, validate=True))
        except (binascii.Error, ValueError):  # ValueError: characters beyond ASCII
            raise _BadLine("has binary data that is not base64") from None
    return LogRecord(wall_time, t_ms, direction, data)


_NOT_JSON: Final = "is not valid JSON"


def _parse_line(line: str) -> LogRecord | SocketMark | None:
    """The frame or the socket mark a log line holds, or None for the meta line. Raises
    _BadLine."""
    try:
        decoded = json.loads(line)
    except ValueError:
        raise _BadLine(_NOT_JSON) from None
    if isinstance(decoded, dict) and META_MARK in decoded:
        if decoded[META_MARK] != MARK_KIND:
            return None
        mark = SocketMark.from_json(decoded)
        if mark is None:
            raise _BadLine("is a socket mark without a valid t_ms")
        return mark
    return _record_from(decoded)


Entry = tuple[LogRecord, LogSpan] | SocketMark
"""What a log holds in order: a frame's record with where it lies, or a socket mark."""


class LogFile:
    """A session log on disk, read whole or by span. Holds no file open between reads, so
    spans into it stay valid for as long as the file is there."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __repr__(self) -> str:
        return f"LogFile({str(self.path)!r})"

    def read_span(self, offset: int, length: int) -> bytes:
        """The `length` bytes at `offset`. Raises OSError."""
        with self.path.open("rb") as handle:
            handle.seek(offset)
            return handle.read(length)

    def _lines(self) -> Iterator[tuple[int, int, int, str, bool]]:
        """(line number, byte offset, byte length without the newline, text, is last line)
        for each non-empty line."""
        try:
            handle = self.path.open("rb")
        except OSError as exc:
            reason = (exc.strerror or type(exc).__name__).rstrip(".")
            raise LogError(
                f"The session log {self.path} cannot be read: {reason.lower()}."
            ) from None
        with handle:
            previous: tuple[int, int, int, str] | None = None
            offset = 0
            for number, raw in enumerate(handle, start=1):
                size = len(raw)
                if not raw.isspace():
                    if previous is not None:
                        yield (*previous, False)
                    length = size - raw.endswith(b"\n") - raw.endswith(b"\r\n")
                    previous = (number, offset, length, raw.decode("utf-8", errors="replace"))
                offset += size
            if previous is not None:
                yield (*previous, True)

    def meta(self) -> dict[str, Any] | None:
        """The log's meta line (url, dialect, version…), or None if it has none."""
        for _number, _offset, _length, line, _last in self._lines():
            try:
                decoded = json.loads(line)
            except ValueError:
                return None
            return decoded if isinstance(decoded, dict) and META_MARK in decoded else None
        return None

    def records(self, on_skip: OnSkip | None = None) -> Iterator[tuple[LogRecord, LogSpan]]:
        """The frames of the log in order, each with its span. A torn last line (a crash
        mid-write) is skipped. Any other broken line raises LogError naming file and line,
        or, given `on_skip`, is passed over and reported to it (a replay shows what it
        can of a log damaged in one place)."""
        for entry in self.entries(on_skip):
            if not isinstance(entry, SocketMark):
                yield entry

    def entries(self, on_skip: OnSkip | None = None) -> Iterator[Entry]:
        """The frames of the log with their spans, and the socket marks between them, in
        order; broken lines as in `records`."""
        for number, offset, length, line, last in self._lines():
            try:
                entry = _parse_line(line)
            except _BadLine as bad:
                if last and bad.args[0] == _NOT_JSON:  # torn by a crash mid-write
                    return
                skipped = SkippedLine(self.path, number, str(bad))
                if on_skip is None:
                    raise skipped.error() from None
                on_skip(skipped)
                continue
            if isinstance(entry, SocketMark):
                yield entry
            elif entry is not None:
                yield entry, LogSpan(self, offset, length)

    def frames(self, on_skip: OnSkip | None = None) -> Iterator[Frame]:
        """The log's frames, parsed again as the connection delivered them, each pointing
        back at its line; broken lines as in `records`."""
        for record, span in self.records(on_skip):
            yield record.to_frame(span)

    def frames_and_marks(self, on_skip: OnSkip | None = None) -> Iterator[Frame | SocketMark]:
        """`frames`, with the socket marks between them (see `entries`)."""
        for entry in self.entries(on_skip):
            yield entry if isinstance(entry, SocketMark) else entry[0].to_frame(entry[1])


def read_meta(path: Path) -> dict[str, Any] | None:
    """The log's meta line (url, dialect, version…), or None if it has none."""
    return LogFile(path).meta()


def read_log(path: Path) -> Iterator[LogRecord]:
    """The frames of a session log, in order. A torn last line (a crash mid-write) is
    skipped; any other broken line raises LogError naming file and line."""
    for record, _span in LogFile(path).records():
        yield record


def read_record(span: LogSpan) -> LogRecord:
    """The frame recorded at `span`. Raises LogError if the log no longer holds it."""
    try:
        line = span.log.read_span(span.offset, span.length)
        decoded = json.loads(line.decode("utf-8", errors="replace"))
    except (OSError, ValueError):
        raise LogError(f"The session log {span.log.path} no longer holds this frame.") from None
    try:
        return _record_from(decoded)
    except _BadLine as bad:
        raise LogError(f"The session log {span.log.path} at byte {span.offset} {bad}.") from None
