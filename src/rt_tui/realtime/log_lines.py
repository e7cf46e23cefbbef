"""A session log's lines as the recorder writes them (the format is in
`rt_tui.realtime.recorder`): the meta line, one frame's line, and where a new log goes.

A frame's line is built directly (`encoded_line`), since it is built for every frame of a
session: a head with its times and direction, which frames stamped alike share, and the
escaped data.
"""

from __future__ import annotations

import base64
import json
import os
import time
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any, Final

from rt_tui import paths
from rt_tui.realtime.frames import Direction
from rt_tui.realtime.session_log import LOG_VERSION, META_MARK


def meta_line(**fields: Any) -> str:
    """The first line of a log (no newline): the session mark, the version and `fields`."""
    return json.dumps({META_MARK: "session", "version": LOG_VERSION, **fields}, ensure_ascii=False)


#: A log line's head: its times, the direction, and the opening of `data`. Times have fixed
#: decimals (to the microsecond and the millisecond's thousandth), half the cost of the
#: shortest repr.
_HEAD: Final = b'{"wall_time": %.6f, "t_ms": %.3f, "direction": "%b", "data": "'
_DIRECTIONS: Final = {d: d.value.encode() for d in Direction}
_TEXT_END: Final = b'"}\n'
_BINARY_END: Final = b'", "binary": true}\n'


def log_line(
    wall_time: float,
    t_ms: float,
    direction: Direction,
    data: str | bytes,
    *,
    json_text: bool = False,
) -> str:
    """One frame as a log line (no newline), the form `read_log` reads back; binary data
    goes in base64. `data` is written as given: redact it first (`json_text`: see
    `line_data`)."""
    return encoded_line(wall_time, t_ms, direction, data, json_text)[:-1].decode("utf-8")


def encoded_line(
    wall_time: float, t_ms: float, direction: Direction, data: str | bytes, json_text: bool
) -> bytes:
    """One frame's log line in UTF-8, newline included: what `json.dumps` makes of the
    record (but for the times' fixed decimals), built directly in one piece, since this
    runs for every frame and only `data` needs escaping. It is `line_head` followed by
    `line_data`: frames stamped alike (those of one socket read) share a head."""
    body, end = line_data(data, json_text)
    return line_head(wall_time, t_ms, direction) + body + end


def line_head(wall_time: float, t_ms: float, direction: Direction) -> bytes:
    """The start of a frame's log line, up to the opening quote of its `data`."""
    return _HEAD % (wall_time, t_ms, _DIRECTIONS[direction])


def line_data(data: str | bytes, json_text: bool) -> tuple[bytes, bytes]:
    """The rest of a frame's log line after `line_head`: `data` escaped, and the line's
    end, apart, so a writer copies a big payload once more at most.

    `json_text` says `data` is valid JSON (the connection parsed or serialised it), so its
    only control characters can be whitespace between tokens; without those, escaping it
    is two replaces on its UTF-8 bytes (which find each character with memchr) instead of
    a scan of every character: an 8 KB audio delta costs a tenth as much."""
    if isinstance(data, bytes):
        return base64.b64encode(data), _BINARY_END
    if json_text and "\n" not in data and "\r" not in data and "\t" not in data:
        return data.encode().replace(b"\\", b"\\\\").replace(b'"', b'\\"'), _TEXT_END
    return encode_basestring(data)[1:-1].encode(), _TEXT_END


def new_session_path(directory: Path | None = None) -> Path:
    """A fresh log path: DIR/YYYYmmdd-HHMMSS-<short random>.jsonl (DIR default:
    `paths.sessions_dir()`), the directory created if needed."""
    directory = directory or paths.sessions_dir()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime())
    # What secrets.token_hex(3) returns, without importing secrets (which loads hashlib and
    # OpenSSL) before the TUI's first frame.
    return directory / f"{stamp}-{os.urandom(3).hex()}.jsonl"
