"""Re-seeding a new session with the conversation so far, and what a new socket taking
the session over does to the conversation.

A new session starts empty: the model would have forgotten everything. So the earlier
turns go to it as `conversation.item.create` items, oldest first: messages as text (the
transcript stands in for audio), function calls and their outputs as they were. Each keeps
its old id, so the reducer knows the server's echoes are items it already shows.

The live app cuts off what streamed when a socket is lost (`end_socket`) and expects the
echoes when it re-seeds; a replay, a bundle or a re-send of a log does both where the log
marks the new socket (`take_over`), so they rebuild the conversation the app showed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from rt_tui.dialect import Dialect
from rt_tui.realtime.client_events import ClientEvent
from rt_tui.realtime.conversation import Conversation
from rt_tui.realtime.conversation_model import Change, Item, Totals
from rt_tui.realtime.socket_mark import SocketMark

#: Statuses of items that never finished: not re-sent, the model would take them as said.
_UNFINISHED = frozenset({"in_progress", "incomplete"})
_ROLES = frozenset({"user", "assistant", "system"})


@dataclass(frozen=True)
class Reseed:
    """The events that give a new session the conversation so far."""

    events: list[ClientEvent]
    item_ids: frozenset[str]

    @property
    def count(self) -> int:
        return len(self.events)


def _content_type(role: str, dialect: Dialect) -> str:
    if role != "assistant":
        return "input_text"
    return "output_text" if dialect is Dialect.GA else "text"


def reseed_item(item: Item, dialect: Dialect) -> dict[str, object] | None:
    """The `item` of a `conversation.item.create` that re-creates `item`; None for one
    that cannot be re-sent (unfinished, or audio without a transcript)."""
    if item.status in _UNFINISHED:
        return None
    if item.type == "message":
        text = item.text
        if item.role not in _ROLES or not text:
            return None
        part = {"type": _content_type(item.role, dialect), "text": text}
        return {"id": item.id, "type": "message", "role": item.role, "content": [part]}
    if item.type == "function_call":
        if not item.name or not item.call_id:
            return None
        return {
            "id": item.id,
            "type": "function_call",
            "name": item.name,
            "call_id": item.call_id,
            "arguments": item.arguments,
        }
    if item.type == "function_call_output":
        if not item.call_id or item.output is None:
            return None
        return {
            "id": item.id,
            "type": "function_call_output",
            "call_id": item.call_id,
            "output": item.output,
        }
    return None


def reseed(items: list[Item], limit: int, dialect: Dialect) -> Reseed:
    """The newest `limit` items that can be re-sent, oldest first, as client events.

    An output whose call fell outside the limit is left out too: the service rejects an
    output for a call it has never seen.
    """
    kept = [(item, raw) for item in items if (raw := reseed_item(item, dialect)) is not None]
    kept = kept[-limit:] if limit > 0 else []
    calls = {item.call_id for item, _ in kept if item.type == "function_call"}
    kept = [
        (item, raw)
        for item, raw in kept
        if item.type != "function_call_output" or item.call_id in calls
    ]
    events: list[ClientEvent] = [
        {"type": "conversation.item.create", "item": raw} for _, raw in kept
    ]
    return Reseed(events, frozenset(item.id for item, _ in kept))


def end_socket(conversation: Conversation) -> Change:
    """The socket is gone (lost or replaced): what streamed is cut off
    (`Conversation.mark_interrupted`), and the usage counted was that session's own."""
    change = conversation.mark_interrupted()
    conversation.totals = Totals()
    return replace(change, totals=True)


def take_over(conversation: Conversation, mark: SocketMark) -> Change:
    """A new socket took the session over where a log marks it: as the live app did then,
    what streamed on the old one is cut off, and the server's echoes of the items re-sent
    to the new one change nothing."""
    change = end_socket(conversation)
    conversation.expect_reseeded(frozenset(mark.reseeded))
    return change
