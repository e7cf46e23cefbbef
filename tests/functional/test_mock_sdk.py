"""The official openai-python GA client talks to the mock as it would to the service."""

from __future__ import annotations

import json

from openai import AsyncOpenAI
from openai.types.realtime import RealtimeFunctionToolParam

from rt_tui.dialect import Dialect
from rt_tui.mock import MockServer

TOOL: RealtimeFunctionToolParam = {
    "type": "function",
    "name": "get_time",
    "description": "The time in a city.",
    "parameters": {
        "type": "object",
        "properties": {"city": {"type": "string"}},
        "required": ["city"],
    },
}


async def test_sdk_text_turn_and_tool_round_trip() -> None:
    async with MockServer(delta_delay=0) as server:
        client = AsyncOpenAI(api_key="sk-sdk-test", websocket_base_url=server.base_url + "/v1")
        async with client.realtime.connect(model="gpt-realtime") as conn:
            await conn.session.update(
                session={"type": "realtime", "output_modalities": ["text"], "tools": [TOOL]}
            )
            await conn.conversation.item.create(
                item={
                    "type": "message",
                    "role": "user",
                    "content": [{"type": "input_text", "text": "what does get_time say?"}],
                }
            )
            await conn.response.create()
            call = None
            async for event in conn:
                if event.type == "response.function_call_arguments.done":
                    call = event
                if event.type == "response.done":
                    break
            assert call is not None
            assert call.name == "get_time"
            assert json.loads(call.arguments) == {"city": "mock city"}

            await conn.conversation.item.create(
                item={"type": "function_call_output", "call_id": call.call_id, "output": "noon"}
            )
            await conn.response.create()
            async for event in conn:
                if event.type == "response.done":
                    output = event.response.output or []
                    text = output[0].content[0].text  # type: ignore[union-attr]
                    assert text is not None
                    assert "noon" in text
                    break
    handshake = server.handshakes[-1]
    assert handshake.dialect is Dialect.GA
    assert handshake.auth == "bearer"
    assert handshake.key == "sk-sdk-test"
    assert handshake.path == "/v1/realtime?model=gpt-realtime"
