"""Server events in the GA dialect, shaped like the service's, for the benchmark server.

A reply is built once as a template whose ids carry `NUMBER_MARK`; `Reply.frames(n)` stamps
the response number in with one `bytes.replace`, so a server can send thousands of distinct
responses without building JSON while it measures.
"""

from __future__ import annotations

import base64
import json
import math
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

from benchmarks import wire

NUMBER_MARK: Final = "@@@@@@@@"
"""Stands for the response number (8 digits) in every id of a reply template."""

SAMPLE_RATE: Final = 24_000
AUDIO_DELTA_PCM_BYTES: Final = 6_000
"""125 ms of 24 kHz PCM16: 8,000 characters of base64, the "8 KB audio delta"."""
TICK_AUDIO_PCM_BYTES: Final = 4_800
"""100 ms of 24 kHz PCM16, the soak server's one audio delta per reply."""
SENTENCE: Final = (
    "The quick brown fox jumps over the lazy dog while the model keeps talking about realtime "
    "sessions, audio buffers and the weather in a city far away."
)
WORDS: Final = tuple(SENTENCE.split())
"""What text deltas say, a word each."""

Delta = Literal["text", "audio", "transcript"]
"""`text`: response.output_text.delta; `audio`: response.output_audio.delta;
`transcript`: response.output_audio_transcript.delta."""


def pcm_tone(size: int) -> bytes:
    """`size` bytes of a 440 Hz tone, PCM16 mono at 24 kHz."""
    samples = size // 2
    return b"".join(
        struct.pack("<h", int(6000 * math.sin(2 * math.pi * 440 * k / SAMPLE_RATE)))
        for k in range(samples)
    )


def audio_b64(pcm_bytes: int = AUDIO_DELTA_PCM_BYTES) -> str:
    return base64.b64encode(pcm_tone(pcm_bytes)).decode("ascii")


def session_created(output_modality: str = "text") -> dict[str, Any]:
    pcm = {"type": "audio/pcm", "rate": SAMPLE_RATE}
    return {
        "type": "session.created",
        "event_id": "event_bench_session",
        "session": {
            "type": "realtime",
            "object": "realtime.session",
            "id": "sess_bench",
            "model": "gpt-realtime",
            "output_modalities": [output_modality],
            "instructions": "",
            "tools": [],
            "tool_choice": "auto",
            "max_output_tokens": "inf",
            "audio": {
                "input": {"format": pcm, "turn_detection": None},
                "output": {"format": pcm, "voice": "marin"},
            },
        },
    }


def session_updated(session: dict[str, Any]) -> dict[str, Any]:
    return {"type": "session.updated", "event_id": "event_bench_updated", "session": session}


@dataclass(frozen=True)
class Reply:
    """One complete assistant response: created, item and part added, `deltas` in order,
    the part, item and response done. Deltas of kind `audio` carry `audio` (base64)."""

    deltas: Sequence[Delta]
    audio: str = ""
    words: Sequence[str] = WORDS

    def template(self) -> list[str]:
        """The reply's events as JSON text, ids holding NUMBER_MARK."""
        response_id, item_id = f"resp_{NUMBER_MARK}", f"item_{NUMBER_MARK}"
        spoken = any(kind != "text" for kind in self.deltas)
        where: dict[str, Any] = {
            "response_id": response_id,
            "item_id": item_id,
            "output_index": 0,
        }
        at = {**where, "content_index": 0}
        response: dict[str, Any] = {
            "object": "realtime.response",
            "id": response_id,
            "status": "in_progress",
            "status_details": None,
            "output": [],
            "usage": None,
        }
        item = {
            "id": item_id,
            "object": "realtime.item",
            "type": "message",
            "status": "in_progress",
            "role": "assistant",
            "content": [],
        }
        part_type = "audio" if spoken else "text"
        empty_part = (
            {"type": part_type, "transcript": ""} if spoken else {"type": "text", "text": ""}
        )
        events: list[dict[str, Any]] = [
            {"type": "response.created", "response": response},
            {"type": "response.output_item.added", **where, "item": item},
            {"type": "conversation.item.added", "previous_item_id": None, "item": item},
            {"type": "response.content_part.added", **at, "part": empty_part},
        ]
        text: list[str] = []
        for kind in self.deltas:
            if kind == "audio":
                events.append({"type": "response.output_audio.delta", **at, "delta": self.audio})
                continue
            word = self.words[len(text) % len(self.words)] + " "
            text.append(word)
            wire_type = (
                "response.output_text.delta"
                if kind == "text"
                else "response.output_audio_transcript.delta"
            )
            events.append({"type": wire_type, **at, "delta": word})
        said = "".join(text)
        if spoken:
            events.append({"type": "response.output_audio.done", **at})
            events.append(
                {"type": "response.output_audio_transcript.done", **at, "transcript": said}
            )
            part = {"type": "audio", "transcript": said}
            content = {"type": "output_audio", "transcript": said}
        else:
            events.append({"type": "response.output_text.done", **at, "text": said})
            part = {"type": "text", "text": said}
            content = {"type": "output_text", "text": said}
        done_item = {**item, "status": "completed", "content": [content]}
        usage = {"total_tokens": 30, "input_tokens": 10, "output_tokens": 20}
        events += [
            {"type": "response.content_part.done", **at, "part": part},
            {"type": "conversation.item.done", "previous_item_id": None, "item": done_item},
            {"type": "response.output_item.done", **where, "item": done_item},
            {
                "type": "response.done",
                "response": {
                    **response,
                    "status": "completed",
                    "output": [done_item],
                    "usage": usage,
                },
            },
        ]
        for k, event in enumerate(events):
            event["event_id"] = f"event_{NUMBER_MARK}_{k:06d}"
        return [json.dumps(event) for event in events]

    def framed(self) -> list[bytes]:
        """The template as WebSocket frames, one per event."""
        return [wire.text_frame(text) for text in self.template()]


def stamp(template: bytes, number: int) -> bytes:
    """A template (frames or text) with the response number in its ids."""
    return template.replace(NUMBER_MARK.encode(), b"%08d" % number)


def interleaved(audio: int, spoken_text: int) -> list[Delta]:
    """`audio` audio deltas and `spoken_text` transcript deltas, spread evenly."""
    total = audio + spoken_text
    if total == 0:
        return []
    kinds: list[Delta] = []
    placed_audio = 0
    for n in range(total):
        # Place an audio delta whenever audio is behind its share of the sequence.
        if placed_audio < audio and placed_audio * total <= n * audio:
            kinds.append("audio")
            placed_audio += 1
        else:
            kinds.append("transcript")
    return kinds
