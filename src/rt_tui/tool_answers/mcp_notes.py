"""One line for each step of the service's MCP work, for the conversation: listing a
server's tools and running a call on it (`mcp_list_tools.*`, `response.mcp_call.*`)."""

from __future__ import annotations

from collections.abc import Iterable

from rt_tui.realtime.frames import Direction, Frame

_STEPS = {
    "mcp_list_tools.in_progress": "listing the MCP server's tools…",
    "mcp_list_tools.completed": "the MCP server's tools are listed",
    "mcp_list_tools.failed": "listing the MCP server's tools failed",
    "response.mcp_call.in_progress": "the MCP call runs…",
    "response.mcp_call.completed": "the MCP call completed",
    "response.mcp_call.failed": "the MCP call failed",
}


def mcp_lines(frames: Iterable[Frame]) -> list[str]:
    """The lines for the MCP steps among `frames` (most frames have none)."""
    lines: list[str] = []
    for frame in frames:
        if frame.direction is not Direction.RECEIVED:
            continue
        step = _STEPS.get(frame.wire_type)
        if step is not None:
            item_id = frame.event.raw.get("item_id") if frame.event is not None else None
            lines.append(f"⚙ {step} ({item_id})" if isinstance(item_id, str) else f"⚙ {step}")
    return lines
