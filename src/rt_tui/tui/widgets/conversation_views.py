"""How conversation state reads on screen: pure functions from reducer records to text.

Kept apart from the widgets so the wording can be tested without an app.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rt_tui.tui.widgets.cut_markdown import close_markdown

if TYPE_CHECKING:
    from rt_tui.realtime.conversation_model import ErrorRecord, Item, Response

OUTPUT_COMMAND = "/output "
"""Composer prefix that answers the waiting function call with the rest of the message."""

_STATUS_LOOK = {
    "in_progress": "… responding",
    "completed": "✓ completed",
    "cancelled": "⊘ cancelled",
    "failed": "✕ failed",
    "incomplete": "◐ incomplete",
}


@dataclass(frozen=True, slots=True)
class ItemView:
    """What one conversation item shows: a CSS role, a one-line header, a Markdown body."""

    role: str
    """user, assistant, system, tool (function calls and outputs) or other."""
    header: str
    body: str
    final: bool = True
    """The item will not stream any more (its status is no longer in_progress)."""
    markdown: bool = True
    """Render the body as Markdown; False shows it verbatim (what the user typed)."""


def _fenced(text: str, language: str = "") -> str:
    # A fence longer than any backtick run inside keeps the block closed.
    fence = "```"
    while fence in text:
        fence += "`"
    return f"{fence}{language}\n{text}\n{fence}"


def _message_body(item: Item, *, markdown: bool) -> str:
    """The parts' text; for audio without one, a note in parentheses (in italics where the
    body is Markdown: a verbatim body would show the asterisks)."""

    def note(text: str) -> str:
        return f"*({text})*" if markdown else f"({text})"

    def ended(text: str, mark: str = "") -> str:
        # Text cut short may end inside bold or code: close it, or its markers show raw.
        if markdown:
            return close_markdown(text, mark)
        return text.rstrip() + mark if text.strip() else ""

    pieces = []
    for part in item.content:
        cut = part.truncated_audio_end_ms
        if cut is not None and part.heard_chars is not None:
            # Barge-in: what was heard, as far as the transcript kept pace with the audio.
            heard = ended(part.text[: part.heard_chars], " ✂")
            pieces.append(heard or note("nothing of it was heard"))
            pieces.append(note(f"audio cut at {cut} ms: the rest was not heard"))
            continue
        if part.text:
            # A cancelled or token-limited reply stops wherever it was.
            pieces.append(ended(part.text) if item.status == "incomplete" else part.text)
        elif part.transcription_error is not None:
            message = part.transcription_error.get("message") or "no reason given"
            pieces.append(note(f"transcription failed: {message}"))
        elif part.is_audio:
            pieces.append(note("audio"))
        if part.truncated_audio_end_ms is not None:
            pieces.append(note(f"audio cut at {part.truncated_audio_end_ms} ms"))
    return "\n\n".join(pieces)


def describe_item(item: Item, audio_ms: float | None = None, levels: str = "") -> ItemView:
    """The header and Markdown body of one item, in its current (maybe streaming) state.

    `audio_ms` is how much of the item's audio the client holds and `levels` its level
    sparkline (both shown in the header).
    """
    final = item.status != "in_progress"
    streaming = "" if final else " …"
    if item.type == "message":
        role = item.role or "other"
        title = {"user": "You", "assistant": "Assistant", "system": "System"}.get(role, role)
        audio = " 🔊" if any(part.is_audio for part in item.content) else ""
        if audio and audio_ms:
            from rt_tui.realtime.conversation_markdown import audio_length  # after frame one

            audio += f" {audio_length(audio_ms)}"
        if audio and levels:
            audio += f" {levels}"
        # The user's own words are shown as typed: line breaks kept, no Markdown surprises.
        markdown = role != "user"
        body = _message_body(item, markdown=markdown)
        return ItemView(role, f"{title}{audio}{streaming}", body, final, markdown=markdown)
    if item.type == "function_call":
        header = f"ƒ {item.name or '?'}  call {item.call_id or '?'}{streaming}"
        return ItemView("tool", header, _fenced(item.arguments or "", "json"), final)
    if item.type == "function_call_output":
        header = f"↳ output of call {item.call_id or '?'}"
        return ItemView("tool", header, _fenced(item.output or ""))
    if item.type.startswith("mcp_"):
        return _mcp_view(item, final)
    return ItemView("other", f"{item.type}{streaming}", "", final)


def _mcp_view(item: Item, final: bool) -> ItemView:
    """An MCP item: the tools a server listed, a call the service ran on it, or a call
    waiting for the user's approval."""
    server = item.server_label or "?"
    if item.type == "mcp_list_tools":
        listed = ", ".join(item.tool_names) if item.tool_names else "(none yet)"
        return ItemView("tool", f"⚙ MCP server {server}: tools", listed, final)
    arguments = _fenced(item.arguments or "", "json")
    if item.type == "mcp_call":
        body = arguments + (
            f"\n\n↳ returned\n{_fenced(item.output, 'json')}" if item.output else ""
        )
        return ItemView("tool", f"⚙ MCP {server} · {item.name or '?'}", body, final)
    if item.type == "mcp_approval_request":
        hint = "\n\nThe service waits for your approval: a dialog asks (/output reopens it)."
        header = f"⚙ MCP {server} · {item.name or '?'} asks for approval"
        return ItemView("tool", header, arguments + hint, final)
    if item.type == "mcp_approval_response" and item.approved is not None:
        return ItemView("tool", f"⚙ MCP call {'approved' if item.approved else 'denied'}", "")
    return ItemView("tool", f"⚙ {item.type} ({server})", arguments, final)


def empty_hint(state: str | None = None, host: str | None = None, model: str | None = None) -> str:
    """What the empty conversation says: where it is connected and how to start.

    `state` is a `LinkState` value (connecting, connected, closed, failed…) or None.
    """
    where = " · ".join(part for part in (host, model) if part)
    if state == "replay":
        return "A recorded session, replayed read-only: nothing is sent.\nF1 lists the keys."
    if state == "connected":
        first = f"Connected to {where}." if where else "Connected."
    elif state == "connecting":
        first = f"Connecting to {where}…" if where else "Connecting…"
    elif state in ("closed", "failed"):
        first = "Not connected: ctrl+r reconnects, F2 opens the settings."
    else:
        first = ""
    how = (
        "Type a message and press Enter to send it (ctrl+j starts a new line).\n"
        "F1 lists the keys; ctrl+p finds any command."
    )
    return f"{first}\n{how}" if first else how


def describe_response(response: Response, cost: str | None = None) -> tuple[str, str]:
    """A response's one-line state and its details (latency, usage and `cost`, what its
    usage cost as the cost meter says it), separately."""
    summary = _STATUS_LOOK.get(response.status, response.status)
    if response.status_reason:
        summary += f" ({response.status_reason})"
    if response.error:
        message = response.error.get("message") or response.error.get("code")
        if message:
            summary += f": {message}"
    from rt_tui.realtime.conversation_markdown import response_facts  # after frame one

    facts = response_facts(response)
    if cost is not None:
        facts.append(cost)
    return f"◆ response {summary}", " · ".join(facts)


def describe_error(record: ErrorRecord) -> str:
    """One line for a server error, naming the client event it refers to when known."""
    about = f" (after {record.client_event_type})" if record.client_event_type else ""
    return f"⚠ {record.error.one_line()}{about}"
