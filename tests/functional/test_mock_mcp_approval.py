"""The mock's MCP approval flow on the wire, every event checked against the SDK's GA
schema: a server declared with `require_approval = "always"` leaves an
`mcp_approval_request`; the client's `mcp_approval_response` and `response.create` then
run the call (its arguments streaming) or say it was denied."""

from __future__ import annotations

from typing import Any

import pytest
from mock_client import MockClient, open_client

from rt_tui.dialect import Dialect
from rt_tui.mock.server import MockServer

MCP = {
    "type": "mcp",
    "server_label": "docs",
    "server_url": "https://mcp.example/sse",
    "require_approval": "always",
}


async def _asked(client: MockClient) -> dict[str, Any]:
    """Declare the server, name a tool: the approval request the response leaves."""
    update = {"type": "session.update", "session": {"type": "realtime", "tools": [MCP]}}
    await client.request(update, "session.updated")
    await client.until("mcp_list_tools.completed")
    message = {
        "type": "message",
        "role": "user",
        "content": [{"type": "input_text", "text": "search_docs for limits"}],
    }
    await client.request(
        {"type": "conversation.item.create", "item": message}, "conversation.item.done"
    )
    events = await client.request({"type": "response.create"}, "response.done")
    (done,) = [e for e in events if e["type"] == "response.done"]
    (request,) = done["response"]["output"]
    assert request["type"] == "mcp_approval_request"
    assert (request["server_label"], request["name"]) == ("docs", "search_docs")
    assert not any(e["type"].startswith("response.mcp_call") for e in events)
    return dict(request)


def _answer(request_id: str, approve: bool) -> dict[str, Any]:
    item = {"type": "mcp_approval_response", "approval_request_id": request_id, "approve": approve}
    return {"type": "conversation.item.create", "item": item}


@pytest.mark.parametrize("approve", [True, False])
async def test_an_approval_request_then_the_call_or_its_denial(approve: bool) -> None:
    async with MockServer(delta_delay=0) as server, open_client(server.ga_url()) as client:
        request = await _asked(client)
        added = await client.request(_answer(request["id"], approve), "conversation.item.done")
        assert added[-1]["item"]["approve"] is approve
        events = await client.request({"type": "response.create"}, "response.done")
    kinds = [e["type"] for e in events]
    if approve:
        assert "response.mcp_call_arguments.delta" in kinds
        assert "response.mcp_call.completed" in kinds
        call = next(e["item"] for e in events if e["type"] == "conversation.item.done")
        assert call["approval_request_id"] == request["id"]
    else:
        assert not any(kind.startswith("response.mcp_call") for kind in kinds)
        done = next(e for e in events if e["type"] == "response.output_audio_transcript.done")
        assert "was not approved" in done["transcript"]


@pytest.mark.parametrize(
    ("item", "code", "param"),
    [
        (
            {"type": "mcp_approval_response", "approve": True},
            "missing_required_parameter",
            "item.approval_request_id",
        ),
        (
            {"type": "mcp_approval_response", "approval_request_id": "x", "approve": "yes"},
            "invalid_type",
            "item.approve",
        ),
    ],
)
async def test_a_malformed_approval_is_refused(item: dict[str, Any], code: str, param: str) -> None:
    async with MockServer(delta_delay=0) as server, open_client(server.ga_url()) as client:
        (error,) = await client.request({"type": "conversation.item.create", "item": item}, "error")
    assert (error["error"]["code"], error["error"]["param"]) == (code, param)


async def test_beta_has_no_approval_items() -> None:
    async with (
        MockServer(delta_delay=0) as server,
        open_client(
            server.ga_url(), headers={"OpenAI-Beta": "realtime=v1"}, dialect=Dialect.BETA
        ) as client,
    ):
        events = await client.request(_answer("x", True), "error")
    assert events[-1]["error"]["param"] == "item.type"
