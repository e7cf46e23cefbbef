"""The mock's MCP side: a session that declares an MCP tool (`type: "mcp"`) gets the
server's tools listed as the service does (an `mcp_list_tools` item, then
`mcp_list_tools.in_progress` and `.completed`, or `.failed` for a server URL that is not
https), and a message that names one of the listed tools gets an `mcp_call` run by the
"server" before the reply. A server declared with `require_approval = "always"` first asks:
the response holds an `mcp_approval_request`; once the client's `mcp_approval_response`
(and `response.create`) comes, an approved call runs, a denied one is said not to have.

The mock reaches no server: every MCP server it is given offers the same two tools.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rt_tui.mock.responder import names_tool

JsonObject = dict[str, Any]

MCP_TOOLS: list[JsonObject] = [
    {
        "name": "search_docs",
        "description": "Search the documentation.",
        "input_schema": {"type": "object", "properties": {"query": {"type": "string"}}},
    },
    {
        "name": "fetch_page",
        "description": "Fetch one page of the documentation.",
        "input_schema": {"type": "object", "properties": {"url": {"type": "string"}}},
    },
]


@dataclass(frozen=True, slots=True)
class McpCallReply:
    """A call of a tool on an MCP server, then a message about what it returned."""

    server_label: str
    name: str
    arguments: str
    output: str
    approval_request_id: str | None = None
    """The approval request the user approved, for a server that asks first."""


@dataclass(frozen=True, slots=True)
class McpApprovalAsk:
    """The call a server that asks first waits to run: an `mcp_approval_request` item."""

    server_label: str
    name: str
    arguments: str


@dataclass(frozen=True, slots=True)
class McpDenied:
    """The user denied the call: a message saying it did not run."""

    text: str


def mcp_servers(tools: object) -> list[JsonObject]:
    """The MCP tools among a session's `tools`."""
    if not isinstance(tools, list):
        return []
    return [t for t in tools if isinstance(t, dict) and t.get("type") == "mcp"]


def listing_events(before: object, after: object, new_id: Callable[[str], str]) -> list[JsonObject]:
    """The events that list the tools of each MCP server `after` declares that `before`
    (the session's tools before the update) did not."""
    known = {t.get("server_label") for t in mcp_servers(before)}
    events: list[JsonObject] = []
    for server in mcp_servers(after):
        label = str(server.get("server_label") or "")
        if label in known:
            continue
        item_id = new_id("item")
        item: JsonObject = {"id": item_id, "type": "mcp_list_tools", "server_label": label}
        reachable = str(server.get("server_url") or "").startswith("https://")
        events += [
            {"type": "conversation.item.added", "item": {**item, "tools": []}},
            {"type": "mcp_list_tools.in_progress", "item_id": item_id},
        ]
        if reachable:
            events += [
                {"type": "mcp_list_tools.completed", "item_id": item_id},
                {"type": "conversation.item.done", "item": {**item, "tools": MCP_TOOLS}},
            ]
        else:
            events.append({"type": "mcp_list_tools.failed", "item_id": item_id})
    return events


McpPlan = McpCallReply | McpApprovalAsk | McpDenied


def plan_mcp_call(user_text: str, tools: object, context: list[JsonObject]) -> McpPlan | None:
    """What a message that names a listed tool gets: the call, or, from a server that
    asks first, the question, then the call or its denial once `context` (the items so
    far) holds the answer."""
    servers = mcp_servers(tools)
    if not servers:
        return None
    for tool in MCP_TOOLS:
        if names_tool(user_text, tool["name"]):
            server = servers[0]
            label = str(server.get("server_label") or "")
            name = str(tool["name"])
            arguments = json.dumps({"query": user_text[:80]})
            output = json.dumps({"server": label, "tool": name, "results": 3})
            if server.get("require_approval") != "always":
                return McpCallReply(label, name, arguments, output)
            request_id, approved = _approval(context)
            if request_id is None:
                return McpApprovalAsk(label, name, arguments)
            if approved:
                return McpCallReply(label, name, arguments, output, request_id)
            return McpDenied(f"The call of {name} on {label} was not approved, so it did not run.")
    return None


def _approval(context: list[JsonObject]) -> tuple[str | None, bool]:
    """The newest approval request since the last user message that has an answer, and
    whether it was approved; (None, False) when none has."""
    answers: dict[str, bool] = {}
    for item in reversed(context):
        kind = item.get("type")
        if kind == "message" and item.get("role") == "user":
            break
        if kind == "mcp_approval_response":
            answers.setdefault(str(item.get("approval_request_id")), item.get("approve") is True)
        elif kind == "mcp_approval_request" and str(item.get("id")) in answers:
            return str(item.get("id")), answers[str(item.get("id"))]
    return None, False


def approval_request_item(item_id: str, ask: McpApprovalAsk) -> JsonObject:
    """The `mcp_approval_request` item of a call that waits for the user."""
    return {
        "id": item_id,
        "type": "mcp_approval_request",
        "server_label": ask.server_label,
        "name": ask.name,
        "arguments": ask.arguments,
    }


def mcp_call_item(item_id: str, call: McpCallReply, *, done: bool) -> JsonObject:
    """The `mcp_call` item, as added (no arguments yet) or done (with the output). MCP
    items have neither `object` nor `status` (the SDK's GA item models)."""
    item: JsonObject = {
        "id": item_id,
        "type": "mcp_call",
        "server_label": call.server_label,
        "name": call.name,
        "arguments": call.arguments if done else "",
    }
    if done:
        item["output"] = call.output
    if call.approval_request_id is not None:
        item["approval_request_id"] = call.approval_request_id
    return item
