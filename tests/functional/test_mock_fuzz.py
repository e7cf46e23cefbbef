"""Random client events never break the mock: every answer validates and no internal error leaks."""

from __future__ import annotations

import asyncio
import os
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mock_client import beta_headers, open_client

from rt_tui.dialect import Dialect
from rt_tui.mock import MockServer
from rt_tui.mock.session import CLIENT_EVENT_FIELDS

JsonObject = dict[str, Any]

FIELD_NAMES = sorted({f for fields in CLIENT_EVENT_FIELDS.values() for f in fields} | {"x"})
NESTED_NAMES = [
    "type", "role", "content", "text", "id", "call_id", "output", "name", "arguments", "audio",
    "modalities", "output_modalities", "turn_detection", "tools", "conversation", "instructions",
    "max_output_tokens", "max_response_output_tokens", "input", "voice", "format", "speed",
    "input_audio_format", "temperature", "tool_choice", "tracing", "include", "transcription",
    "input_audio_transcription", "threshold", "silence_duration_ms", "create_response", "model",
    "metadata", "parameters", "description", "prompt", "rate", "eagerness", "language",
]  # fmt: skip
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5_000),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.sampled_from(
        [
            "",
            "root",
            "message",
            "user",
            "assistant",
            "function_call_output",
            "text",
            "audio",
            "input_text",
            "input_audio",
            "none",
            "server_vad",
            "AAAA",
            "realtime",
            "item_missing",
            "resp_missing",
        ]
    ),
)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(NESTED_NAMES), inner, max_size=4),
    ),
    max_leaves=12,
)
EVENTS = st.builds(
    lambda kind, fields: {"type": kind, **fields},
    st.sampled_from([*CLIENT_EVENT_FIELDS, "bogus.event"]),
    st.dictionaries(st.sampled_from(FIELD_NAMES), JSON, max_size=3),
)


async def _run(events: list[JsonObject], dialect: Dialect) -> list[JsonObject]:
    headers = beta_headers() if dialect is Dialect.BETA else None
    async with (
        MockServer(delta_delay=0, seed=1) as mock,
        open_client(mock.ga_url(), headers=headers) as client,
    ):
        for index, event in enumerate(events):
            await client.send(event)
            # A marker request whose error tells us the server has handled everything before it.
            marker = {
                "type": "conversation.item.delete",
                "item_id": "none",
                "event_id": f"m{index}",
            }
            await client.send(marker)
            while True:
                got = await client.recv()
                if got["type"] == "error" and got["error"]["event_id"] == f"m{index}":
                    break
        return client.received


@settings(
    max_examples=int(os.environ.get("MOCK_FUZZ_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(events=st.lists(EVENTS, min_size=1, max_size=6), beta=st.booleans())
def test_random_events_get_valid_answers(events: list[JsonObject], beta: bool) -> None:
    received = asyncio.run(_run(events, Dialect.BETA if beta else Dialect.GA))
    # Every frame was schema-checked on arrival; none may be the mock's own failure.
    assert not [
        e for e in received if e["type"] == "error" and e["error"]["type"] == "server_error"
    ]
