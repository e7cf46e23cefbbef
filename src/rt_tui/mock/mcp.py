"""The mock's MCP side: a session that declares an MCP tool (`type: "mcp"`) gets the
server's tools listed as the service does (an `mcp_list_tools` item, then
`mcp_list_tools.in_progress` and `.completed`, or `.failed` for a server URL that is not
https), and a message that names one of the listed tools gets an `mcp_call` run by the
"server" before the reply.

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


def plan_mcp_call(user_text: str, tools: object) -> McpCallReply | None:
    """The MCP call a message asks for by naming a listed tool, if any."""
    servers = mcp_servers(tools)
    if not servers:
        return None
    for tool in MCP_TOOLS:
        if names_tool(user_text, tool["name"]):
            label = str(servers[0].get("server_label") or "")
            arguments = json.dumps({"query": user_text[:80]})
            output = json.dumps({"server": label, "tool": tool["name"], "results": 3})
            return McpCallReply(label, tool["name"], arguments, output)
    return None


def mcp_call_item(item_id: str, call: McpCallReply, *, done: bool) -> JsonObject:
    """The `mcp_call` item, as added (no arguments yet) or done (with the output)."""
    item: JsonObject = {
        "id": item_id,
        "object": "realtime.item",
        "type": "mcp_call",
        "server_label": call.server_label,
        "name": call.name,
        "arguments": call.arguments if done else "",
    }
    if done:
        item["output"] = call.output
    return item
