"""Arbitrary frames, in arbitrary order, never make the reducer raise or lose its footing."""

from __future__ import annotations

import base64
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from rt_tui.dialect import BETA_TO_GA
from rt_tui.realtime.conversation import Conversation
from rt_tui.realtime.events import parse_server_frame
from rt_tui.realtime.frames import Direction, Frame
from rt_tui.realtime.session_events import OTHER_KINDS

KINDS = sorted(
    {
        "session.created", "session.updated", "conversation.created",
        "conversation.item.added", "conversation.item.done", "conversation.item.retrieved",
        "conversation.item.deleted", "conversation.item.truncated",
        "input_audio_buffer.committed", "input_audio_buffer.cleared",
        "input_audio_buffer.speech_started", "input_audio_buffer.speech_stopped",
        "conversation.item.input_audio_transcription.delta",
        "conversation.item.input_audio_transcription.completed",
        "conversation.item.input_audio_transcription.failed",
        "conversation.item.input_audio_transcription.segment",
        "response.created", "response.done", "response.output_item.added",
        "response.output_item.done", "response.content_part.added",
        "response.content_part.done", "response.output_text.delta",
        "response.output_audio.delta", "response.output_audio_transcript.delta",
        "response.function_call_arguments.delta", "response.output_text.done",
        "response.output_audio.done", "response.output_audio_transcript.done",
        "response.function_call_arguments.done", "rate_limits.updated", "error",
    }
    | set(BETA_TO_GA)
    | OTHER_KINDS
)  # fmt: skip

# A few ids, so random frames hit the same items and responses and interact.
IDS = st.sampled_from(["a", "b", "c", "root", ""]) | st.none()
SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8) | IDS
JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=12,
)
PART = st.fixed_dictionaries(
    {},
    optional={
        "type": st.sampled_from(["text", "audio", "input_audio", "output_text"]) | JSON,
        "text": JSON,
        "transcript": JSON,
    },
)
ITEM = st.fixed_dictionaries(
    {},
    optional={
        "id": IDS,
        "type": st.sampled_from(["message", "function_call", "function_call_output"]) | JSON,
        "role": JSON,
        "status": JSON,
        "content": st.lists(PART | JSON, max_size=3) | JSON,
        "arguments": JSON,
        "output": JSON,
        "call_id": JSON,
        "name": JSON,
    },
)
RESPONSE = st.fixed_dictionaries(
    {},
    optional={
        "id": IDS,
        "status": JSON,
        "status_details": JSON | st.fixed_dictionaries({"reason": JSON, "error": JSON}),
        "output": st.lists(ITEM | JSON, max_size=3) | JSON,
        "usage": JSON | st.fixed_dictionaries({"input_tokens": JSON, "input_token_details": JSON}),
    },
)
AUDIO = st.binary(max_size=16).map(lambda b: base64.b64encode(b).decode())
FIELDS = st.fixed_dictionaries(
    {},
    optional={
        "event_id": IDS,
        "item_id": IDS,
        "response_id": IDS,
        "previous_item_id": IDS,
        "output_index": JSON,
        "content_index": st.integers(-2, 3) | JSON,
        "delta": AUDIO | JSON,
        "text": JSON,
        "transcript": JSON,
        "arguments": JSON,
        "name": JSON,
        "call_id": JSON,
        "item": ITEM | JSON,
        "response": RESPONSE | JSON,
        "part": PART | JSON,
        "session": JSON,
        "error": JSON,
        "rate_limits": JSON,
        "audio_end_ms": JSON,
    },
)
RECEIVED = st.builds(lambda kind, fields: {"type": kind, **fields}, st.sampled_from(KINDS), FIELDS)
SENT = st.fixed_dictionaries(
    {"type": st.sampled_from(["response.create", "conversation.item.delete"]) | JSON},
    optional={"event_id": IDS},
)
FRAMES = st.lists(
    st.one_of(
        RECEIVED.map(lambda d: ("received", json.dumps(d))),
        SENT.map(lambda d: ("sent", d)),
        st.text(max_size=20).map(lambda t: ("received", t)),
        st.binary(max_size=8).map(lambda b: ("received", b)),
    ),
    max_size=25,
)


def _frame(direction: str, payload: Any, t_ms: float) -> Frame:
    if direction == "sent":
        return Frame(Direction.SENT, t_ms, 0.0, json.dumps(payload), client_event=payload)
    return Frame(Direction.RECEIVED, t_ms, 0.0, payload, event=parse_server_frame(payload))


@settings(max_examples=200, deadline=None)
@given(FRAMES)
def test_apply_never_raises_and_state_stays_consistent(frames: list[tuple[str, Any]]) -> None:
    conversation = Conversation()
    for t_ms, (direction, payload) in enumerate(frames):
        conversation.apply(_frame(direction, payload, float(t_ms)))
    ids = conversation.item_ids
    assert len(set(ids)) == len(ids)
    assert [item.id for item in conversation.items] == list(ids)
    for item in conversation.items:
        # Every reader a UI would call works on whatever state came out.
        assert isinstance(item.text, str)
        assert isinstance(item.arguments, str)
    for response in conversation.responses.values():
        timings = response.timings
        for value in (timings.time_to_first_delta_ms, timings.total_ms):
            assert value is None or isinstance(value, float)
    store = conversation.audio
    assert store.total_bytes == sum(store.size(item_id) for item_id in store.item_ids())
