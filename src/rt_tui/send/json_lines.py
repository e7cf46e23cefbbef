"""`rt-tui send --json`: every frame of both directions as one JSON line, secrets removed."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable
from typing import Any

from rt_tui.realtime.connection import FrameObserver
from rt_tui.realtime.frames import Frame
from rt_tui.realtime.recorder import redact_frame_bytes, redact_frame_text
from rt_tui.send.output import Output


def frame_json_line(frame: Frame, known_secrets: Iterable[str] = ()) -> str:
    """One JSON line for a frame: time, direction and the decoded event (secrets removed,
    including `known_secrets` such as the endpoint's key, which may not look like a key)."""
    record: dict[str, Any] = {"t_ms": round(frame.t_ms, 3), "direction": frame.direction.value}
    if isinstance(frame.data, str):
        redacted = frame.redacted  # the connection's, when it made the frame
        text = (
            redacted if isinstance(redacted, str) else redact_frame_text(frame.data, known_secrets)
        )
        try:
            record["event"] = json.loads(text)
        except ValueError:
            record["data"] = text
    else:
        redacted = frame.redacted
        data = (
            redacted
            if isinstance(redacted, bytes)
            else redact_frame_bytes(bytes(frame.data), known_secrets)
        )
        record["binary"] = base64.b64encode(data).decode("ascii")
    return json.dumps(record, ensure_ascii=False)


def json_printer(out: Output, known_secrets: tuple[str, ...]) -> FrameObserver:
    def print_frame(frame: Frame) -> None:
        out.write(frame_json_line(frame, known_secrets) + "\n")
        out.flush()

    return print_frame
