"""The engine's pieces, per frame.

Measures:
- parsing and redacting one frame (text delta, 8 KB and 32 KB audio deltas), each alone;
- `SessionRecorder.write` for 100,000 mixed frames into a temporary file.

The engine's throughput from the socket is `python -m benchmarks` (engine vs bare
websockets and the openai SDK).
"""

from __future__ import annotations

import base64
import json
import os
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from rt_tui.realtime.endpoints import endpoint_for_url
from rt_tui.realtime.events import parse_server_frame
from rt_tui.realtime.frames import Direction, Frame
from rt_tui.realtime.recorder import SessionRecorder, redact_frame_text

FRAMES = 100_000
KEY = "sk-bench-NotARealKey1234567890"


def delta(kind: str, value: str) -> str:
    return json.dumps(
        {
            "type": kind,
            "event_id": "event_Bench0001",
            "response_id": "resp_1",
            "item_id": "item_1",
            "output_index": 0,
            "content_index": 0,
            "delta": value,
        }
    )


def per_call_us(work: Callable[[], object], repeats: int) -> float:
    start = time.perf_counter()
    for _ in range(repeats):
        work()
    return (time.perf_counter() - start) / repeats * 1e6


def mixed_frames() -> list[str]:
    """Mostly ~8 KB audio deltas (100 ms of 24 kHz PCM16 as base64) with transcript deltas."""
    audio = delta("response.output_audio.delta", base64.b64encode(os.urandom(4800)).decode())
    text = delta("response.output_audio_transcript.delta", "word ")
    return [audio if n % 4 else text for n in range(FRAMES)]


def bench_single_frames() -> None:
    secrets = (f"Bearer {KEY}", KEY)
    for label, size in (("text delta", 0), ("8 KB audio", 6000), ("32 KB audio", 24000)):
        frame = (
            delta("response.output_text.delta", "hello")
            if size == 0
            else delta("response.output_audio.delta", base64.b64encode(os.urandom(size)).decode())
        )
        parse = per_call_us(partial(parse_server_frame, frame), 2000)
        redact = per_call_us(partial(redact_frame_text, frame, secrets), 2000)
        print(f"{label:>12}: parse {parse:7.1f} µs   redact {redact:7.1f} µs")


def bench_recorder(frames: list[str]) -> None:
    endpoint = endpoint_for_url("ws://127.0.0.1:1/v1/realtime", KEY)
    with (
        tempfile.TemporaryDirectory() as tmp,
        SessionRecorder(Path(tmp) / "bench.jsonl", endpoint=endpoint) as recorder,
    ):
        start = time.perf_counter()
        for n, text in enumerate(frames):
            recorder.write(Frame(Direction.RECEIVED, float(n), 0.0, text))
        elapsed = time.perf_counter() - start
    each = elapsed / len(frames) * 1e6
    print(f"recorder: {len(frames):,} frames in {elapsed:.2f} s ({each:.1f} µs each)")


def main() -> None:
    bench_single_frames()
    frames = mixed_frames()
    bench_recorder(frames)


if __name__ == "__main__":
    main()
