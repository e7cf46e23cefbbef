"""Deterministic frames for the inspector's tests, snapshots and benchmarks.

Times and ids come from counters, never the clock, so runs are repeatable.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

from rt_tui.realtime.events import parse_server_frame
from rt_tui.realtime.frames import Direction, Frame

WALL_START = 1_700_000_000.0


def received(payload: dict[str, Any] | str | bytes, t_ms: float = 0.0) -> Frame:
    """A received frame as the connection would deliver it (parsed event included)."""
    data = payload if isinstance(payload, str | bytes) else json.dumps(payload)
    return Frame(
        Direction.RECEIVED, t_ms, WALL_START + t_ms / 1000, data, event=parse_server_frame(data)
    )


def sent(payload: dict[str, Any], t_ms: float = 0.0) -> Frame:
    """A sent frame as the connection would report it."""
    return Frame(
        Direction.SENT, t_ms, WALL_START + t_ms / 1000, json.dumps(payload), client_event=payload
    )


def pcm_base64(size: int) -> str:
    """Base64 of `size` bytes of silence."""
    return base64.b64encode(bytes(size)).decode("ascii")


def text_delta(
    delta: str, t_ms: float = 0.0, *, item_id: str = "item_1", content_index: int = 0
) -> Frame:
    return received(
        {
            "type": "response.output_text.delta",
            "event_id": f"event_{t_ms:.0f}",
            "response_id": "resp_1",
            "item_id": item_id,
            "output_index": 0,
            "content_index": content_index,
            "delta": delta,
        },
        t_ms,
    )


def transcript_delta(delta: str, t_ms: float = 0.0, *, item_id: str = "item_1") -> Frame:
    return received(
        {
            "type": "response.output_audio_transcript.delta",
            "event_id": f"event_{t_ms:.0f}",
            "response_id": "resp_1",
            "item_id": item_id,
            "output_index": 0,
            "content_index": 0,
            "delta": delta,
        },
        t_ms,
    )


def audio_delta(size: int, t_ms: float = 0.0, *, item_id: str = "item_1") -> Frame:
    """A `response.output_audio.delta` carrying `size` bytes of PCM16."""
    return received(
        {
            "type": "response.output_audio.delta",
            "event_id": f"event_{t_ms:.0f}",
            "response_id": "resp_1",
            "item_id": item_id,
            "output_index": 0,
            "content_index": 0,
            "delta": pcm_base64(size),
        },
        t_ms,
    )


def audio_append(size: int, t_ms: float = 0.0) -> Frame:
    """A sent `input_audio_buffer.append` carrying `size` bytes of PCM16."""
    return sent(
        {
            "type": "input_audio_buffer.append",
            "event_id": f"c_{t_ms:.0f}",
            "audio": pcm_base64(size),
        },
        t_ms,
    )


def error_frame(code: str, message: str, t_ms: float = 0.0) -> Frame:
    return received(
        {
            "type": "error",
            "event_id": f"event_{t_ms:.0f}",
            "error": {"type": "invalid_request_error", "code": code, "message": message},
        },
        t_ms,
    )


def conversation_turn(
    start_ms: float, n: int, *, words: int = 6, audio: bool = True
) -> list[Frame]:
    """One assistant turn of about `n` frames: created, deltas, done events."""
    item = f"item_{n}_{start_ms:.0f}"
    t = start_ms
    frames = [
        received(
            {
                "type": "response.created",
                "event_id": f"event_{t:.0f}",
                "response": {"id": f"resp_{t:.0f}", "status": "in_progress", "output": []},
            },
            t,
        )
    ]
    chunk = pcm_base64(4800)
    for k in range(max(0, n - 3)):
        t += 1
        if audio and k % 2 == 0:
            payload = {
                "type": "response.output_audio.delta",
                "event_id": f"event_{t:.0f}",
                "response_id": "resp_1",
                "item_id": item,
                "output_index": 0,
                "content_index": 0,
                "delta": chunk,
            }
        else:
            payload = {
                "type": "response.output_audio_transcript.delta"
                if audio
                else "response.output_text.delta",
                "event_id": f"event_{t:.0f}",
                "response_id": "resp_1",
                "item_id": item,
                "output_index": 0,
                "content_index": 0,
                "delta": f"word{k % words} ",
            }
        frames.append(received(payload, t))
    t += 1
    frames.append(
        received(
            {
                "type": "response.output_audio.done" if audio else "response.output_text.done",
                "event_id": f"event_{t:.0f}",
                "response_id": "resp_1",
                "item_id": item,
                "output_index": 0,
                "content_index": 0,
            },
            t,
        )
    )
    t += 1
    frames.append(
        received(
            {
                "type": "response.done",
                "event_id": f"event_{t:.0f}",
                "response": {
                    "id": f"resp_{start_ms:.0f}",
                    "status": "completed",
                    "usage": {"input_tokens": 120, "output_tokens": 35},
                },
            },
            t,
        )
    )
    return frames


def session(total: int, *, turn: int = 50) -> Iterator[Frame]:
    """About `total` frames of turns mixing audio and transcript deltas."""
    made = 0
    t = 0.0
    while made < total:
        for frame in conversation_turn(t, min(turn, total - made)):
            yield frame
            made += 1
        t += turn + 10
