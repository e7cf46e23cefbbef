"""A long session in miniature, for tests that check what a reply costs after many others.

`reply_frames(n)` is the n-th short spoken reply, shaped like the soak benchmark's (a few
transcript deltas and one audio delta), as the connection hands frames over. `calls(fn)`
counts the Python function calls `fn()` makes: a figure that does not depend on the
machine, so "the same work after 2,000 replies as after 20" can be asserted exactly.
`growth(add)` is what `add(replies)` leaves behind a reply: objects the collector tracks
and bytes allocated.
"""

from __future__ import annotations

import base64
import gc
import json
import sys
import tracemalloc
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any

from rt_tui.realtime.events import parse_server_frame
from rt_tui.realtime.frames import Direction, Frame

WORDS = ["Tick", "number", "at", "noon,", "all", "is", "well."]
AUDIO = base64.b64encode(bytes(4800)).decode("ascii")
"""100 ms of silence, PCM16 24 kHz."""
USAGE = {
    "total_tokens": 30,
    "input_tokens": 10,
    "output_tokens": 20,
    "input_token_details": {
        "text_tokens": 10,
        "audio_tokens": 0,
        "image_tokens": 0,
        "cached_tokens": 0,
        "cached_tokens_details": {"text_tokens": 0, "audio_tokens": 0, "image_tokens": 0},
    },
    "output_token_details": {"text_tokens": 5, "audio_tokens": 15},
}
"""A `response.done`'s usage, in full as the service sends it."""


def received(t_ms: float, event: dict[str, Any]) -> Frame:
    data = json.dumps(event)
    return Frame(
        Direction.RECEIVED, t_ms, 1.0e9 + t_ms / 1000, data, event=parse_server_frame(data)
    )


def reply_events(n: int) -> list[dict[str, Any]]:
    """The server events of reply number `n` (ids carry `n`)."""
    response_id, item_id = f"resp_{n:08d}", f"item_{n:08d}"
    at = {"response_id": response_id, "item_id": item_id, "output_index": 0}
    part_at = {**at, "content_index": 0}
    item: dict[str, Any] = {
        "id": item_id,
        "type": "message",
        "role": "assistant",
        "status": "in_progress",
    }
    said = " ".join(WORDS)
    content = [{"type": "output_audio", "transcript": said}]
    done_item = {**item, "status": "completed", "content": content}
    events: list[dict[str, Any]] = [
        {"type": "response.created", "response": {"id": response_id, "status": "in_progress"}},
        {"type": "response.output_item.added", **at, "item": {**item, "content": []}},
        {"type": "conversation.item.added", "previous_item_id": None, "item": item},
        {"type": "response.content_part.added", **part_at, "part": {"type": "audio"}},
        *(
            {"type": "response.output_audio_transcript.delta", **part_at, "delta": word + " "}
            for word in WORDS
        ),
        {"type": "response.output_audio.delta", **part_at, "delta": AUDIO},
        {"type": "response.output_audio.done", **part_at},
        {"type": "response.output_audio_transcript.done", **part_at, "transcript": said},
        {"type": "response.content_part.done", **part_at, "part": {"type": "audio"}},
        {"type": "conversation.item.done", "previous_item_id": None, "item": done_item},
        {"type": "response.output_item.done", **at, "item": done_item},
        {
            "type": "response.done",
            "response": {
                "id": response_id,
                "status": "completed",
                "output": [done_item],
                "usage": USAGE,
            },
        },
    ]
    for k, event in enumerate(events):
        event["event_id"] = f"event_{n:08d}_{k:03d}"
    return events


def reply_frames(n: int) -> Iterator[Frame]:
    """Reply number `n` as received frames, one second after reply `n - 1`."""
    for k, event in enumerate(reply_events(n)):
        yield received(n * 1000.0 + k, event)


def calls(fn: Callable[[], object]) -> int:
    """How many Python functions `fn()` calls (C functions left out)."""
    count = 0

    def profile(frame: FrameType, event: str, arg: object) -> None:
        nonlocal count
        if event == "call":
            count += 1

    sys.setprofile(profile)
    try:
        fn()
    finally:
        sys.setprofile(None)
    return count


def growth(add: Callable[[range], object], replies: int = 1000) -> tuple[float, float]:
    """(objects the collector tracks, bytes allocated) that `add(range_of_replies)` keeps
    a reply, over `replies` replies after 100 that warm it up."""
    add(range(1, 101))

    def tracked() -> int:
        gc.collect()
        return len(gc.get_objects())

    objects = tracked()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        add(range(101, 101 + replies))
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    return (tracked() - objects) / replies, grown / replies
