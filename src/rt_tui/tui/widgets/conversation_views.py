"""How conversation state reads on screen: pure functions from reducer records to text.

Kept apart from the widgets so the wording can be tested without an app.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rt_tui.realtime.conversation import Conversation
from rt_tui.realtime.conversation_markdown import audio_length, response_facts
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

    pieces = []
    for part in item.content:
        if part.text:
            pieces.append(part.text)
        elif part.transcription_error is not None:
            message = part.transcription_error.get("message") or "no reason given"
            pieces.append(note(f"transcription failed: {message}"))
        elif part.is_audio:
            pieces.append(note("audio"))
        if part.truncated_audio_end_ms is not None:
            pieces.append(note(f"audio cut at {part.truncated_audio_end_ms} ms"))
    return "\n\n".join(pieces)


def describe_item(item: Item, audio_ms: float | None = None) -> ItemView:
    """The header and Markdown body of one item, in its current (maybe streaming) state.

    `audio_ms` is how much of the item's audio the client holds (shown in the header).
    """
    final = item.status != "in_progress"
    streaming = "" if final else " …"
    if item.type == "message":
        role = item.role or "other"
        title = {"user": "You", "assistant": "Assistant", "system": "System"}.get(role, role)
        audio = " 🔊" if any(part.is_audio for part in item.content) else ""
        if audio and audio_ms:
            audio += f" {audio_length(audio_ms)}"
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
    return ItemView("other", f"{item.type}{streaming}", "", final)


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


def describe_response(response: Response) -> tuple[str, str]:
    """A response's one-line state and its details (latency and usage), separately."""
    summary = _STATUS_LOOK.get(response.status, response.status)
    if response.status_reason:
        summary += f" ({response.status_reason})"
    if response.error:
        message = response.error.get("message") or response.error.get("code")
        if message:
            summary += f": {message}"
    return f"◆ response {summary}", _details(response)


def _details(response: Response) -> str:
    return " · ".join(response_facts(response))


def describe_error(record: ErrorRecord) -> str:
    """One line for a server error, naming the client event it refers to when known."""
    about = f" (after {record.client_event_type})" if record.client_event_type else ""
    return f"⚠ {record.error.one_line()}{about}"


def pending_call_id(items: Sequence[Item]) -> str | None:
    """The call_id of the newest function call that has no output item yet."""
    answered = {item.call_id for item in items if item.type == "function_call_output"}
    for item in reversed(items):
        if item.type == "function_call" and item.call_id and item.call_id not in answered:
            return item.call_id
    return None


def function_call_hint(conversation: Conversation, response_ids: Iterable[str]) -> str | None:
    """How to answer the function call one of `response_ids` just completed waiting on;
    None when none of them waits on one."""
    for response_id in response_ids:
        response = conversation.response(response_id)
        if response is None or response.status != "completed":
            continue
        calls = [
            item
            for item in map(conversation.item, response.output_item_ids)
            if item is not None and item.type == "function_call" and item.call_id
        ]
        if not calls:
            continue  # Most replies: no need to look through the whole conversation.
        pending = pending_call_id(conversation.items)
        for item in calls:
            if item.call_id == pending:
                return (
                    f"The model called {item.name or 'a function'}: answer with "
                    f"'{OUTPUT_COMMAND}<result>' in the composer."
                )
    return None
