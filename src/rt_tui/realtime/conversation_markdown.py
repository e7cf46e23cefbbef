"""A conversation as a Markdown document: what was said, turn by turn, for people to read.

Rendered from the reducer's state (`Conversation`), so a live session, a replayed log and
a bug-report bundle read alike. Each item is a section (`## You`, `## Assistant`, a
function call and its output), the assistant's text or spoken transcript under it, with
how each response ended after its last item; errors and the reducer's notes close the
document. The text is as the conversation holds it: callers that write it anywhere pass
it through the redaction first, like anything else they write.
"""

from __future__ import annotations

from collections.abc import Callable

from rt_tui.realtime.conversation import Conversation
from rt_tui.realtime.conversation_model import Item, Response

__all__ = ["audio_length", "conversation_markdown", "fenced"]

_ROLE_TITLES = {"user": "You", "assistant": "Assistant", "system": "System"}

AudioLink = Callable[[Item], str | None]
"""Where an item's audio can be found (a relative path or URL), or None for no link."""


def fenced(text: str, language: str = "") -> str:
    """`text` as a fenced code block; the fence is longer than any backtick run inside,
    so the block stays closed whatever the text holds."""
    fence = "```"
    while fence in text:
        fence += "`"
    return f"{fence}{language}\n{text}\n{fence}"


def audio_length(ms: float) -> str:
    """A duration as the conversation shows it: `850 ms`, `2.4 s`, `3:05`."""
    if ms < 1000:
        return f"{ms:.0f} ms"
    if ms < 60_000:
        return f"{ms / 1000:.1f} s"
    seconds = round(ms / 1000)
    return f"{seconds // 60}:{seconds % 60:02d}"


def _seconds(t_ms: float) -> str:
    return f"{t_ms / 1000:,.1f} s"


def _message_heading(item: Item, audio_ms: float, link: str | None) -> str:
    role = item.role or "other"
    facts = [_ROLE_TITLES.get(role, role.capitalize())]
    if audio_ms:
        facts.append(f"🔊 {audio_length(audio_ms)}")
    elif any(part.is_audio for part in item.content):
        facts.append("🔊")
    if link:
        facts.append(f"[audio]({link})")
    if item.status in ("in_progress", "incomplete"):
        facts.append(item.status.replace("_", " "))
    return "## " + " · ".join(facts)


def _message_body(item: Item) -> list[str]:
    """The parts' text or transcripts, and a note in italics where a part has none."""
    paragraphs = []
    for part in item.content:
        if part.text:
            paragraphs.append(part.text)
        elif part.transcription_error is not None:
            message = part.transcription_error.get("message") or "no reason given"
            paragraphs.append(f"*(transcription failed: {message})*")
        elif part.is_audio:
            paragraphs.append("*(audio without a transcript)*")
        if part.truncated_audio_end_ms is not None:
            paragraphs.append(f"*(audio cut at {part.truncated_audio_end_ms:,} ms)*")
    return paragraphs


def _item_section(item: Item, audio_ms: float, link: str | None) -> list[str]:
    if item.type == "message":
        return [_message_heading(item, audio_ms, link), *_message_body(item)]
    if item.type == "function_call":
        heading = f"## Function call `{item.name or '?'}` (call {item.call_id or '?'})"
        return [heading, fenced(item.arguments, "json")]
    if item.type == "function_call_output":
        return [f"## Function output (call {item.call_id or '?'})", fenced(item.output or "")]
    if item.type.startswith("mcp_"):
        return _mcp_section(item)
    return [f"## {item.type}" + (f" ({item.status})" if item.status else "")]


def _mcp_section(item: Item) -> list[str]:
    """An MCP item: a server's tools, a call and what it returned, a request to approve
    one and the answer."""
    tool = f"`{item.server_label or '?'}` · `{item.name or '?'}`"
    if item.type == "mcp_list_tools":
        listed = ", ".join(f"`{name}`" for name in item.tool_names) or "none"
        return [f"## MCP server `{item.server_label or '?'}`: tools", listed]
    if item.type == "mcp_call":
        returned = ["Returned:", fenced(item.output, "json")] if item.output else []
        return [f"## MCP call {tool}", fenced(item.arguments, "json"), *returned]
    if item.type == "mcp_approval_request":
        return [f"## MCP call {tool} asks for approval", fenced(item.arguments, "json")]
    if item.type == "mcp_approval_response":
        verdict = {True: "approved", False: "denied", None: "answered"}[item.approved]
        return [f"## MCP call {verdict}"]
    return [f"## {item.type}"]


def _response_line(response: Response) -> str:
    """How a response ended, with its latency and usage: one line in italics."""
    state = response.status.replace("_", " ")
    if response.status_reason:
        state += f" ({response.status_reason})"
    if response.error:
        message = response.error.get("message") or response.error.get("code")
        if message:
            state += f": {message}"
    return "*" + " · ".join([f"response {state}", *response_facts(response)]) + "*"


def response_facts(response: Response) -> list[str]:
    """A response's latency and usage as short facts (the pane's F4 details say the same)."""
    facts = []
    timings = response.timings
    if timings.time_to_first_delta_ms is not None:
        facts.append(f"first delta {timings.time_to_first_delta_ms:,.0f} ms")
    if timings.total_ms is not None:
        facts.append(f"total {timings.total_ms:,.0f} ms")
    usage = response.usage
    if usage is not None:
        tokens = f"{usage.input_tokens:,} in / {usage.output_tokens:,} out tokens"
        if usage.cached_tokens:
            tokens += f" ({usage.cached_tokens:,} cached)"
        facts.append(tokens)
    return facts


def conversation_markdown(
    conversation: Conversation,
    *,
    title: str = "Conversation",
    about: str = "",
    audio_link: AudioLink | None = None,
) -> str:
    """The conversation as Markdown, items in conversation order.

    `about` is a line under the title (where the session came from); `audio_link` says
    where an item's audio is, to link it from the item's heading.
    """
    blocks = [f"# {title}"]
    if about:
        blocks.append(about)
    items = conversation.items
    last_item_of: dict[str, str] = {}
    for item in items:
        if item.response_id is not None:
            last_item_of[item.response_id] = item.id
    responses = conversation.responses
    if not items:
        blocks.append("*(no conversation items)*")
    for item in items:
        link = audio_link(item) if audio_link is not None else None
        blocks += _item_section(item, conversation.audio.duration_ms(item.id), link)
        response = responses.get(item.response_id) if item.response_id else None
        if response is not None and last_item_of[response.id] == item.id:
            blocks.append(_response_line(response))
    without_items = [r for r in responses.values() if r.id not in last_item_of]
    if without_items:
        blocks.append("## Responses without items")
        blocks += [f"- `{r.id}`: {_response_line(r)}" for r in without_items]
    if conversation.errors:
        blocks.append("## Errors")
        lines = []
        for record in conversation.errors:
            after = f" (after {record.client_event_type})" if record.client_event_type else ""
            lines.append(f"- {_seconds(record.t_ms)}: {record.error.one_line()}{after}")
        blocks.append("\n".join(lines))
    if conversation.notes:
        blocks.append("## Notes")
        blocks.append("\n".join(f"- {_seconds(n.t_ms)}: {n.message}" for n in conversation.notes))
    return "\n\n".join(blocks) + "\n"
