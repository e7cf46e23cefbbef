"""A compact schema of the client events of each dialect: the fields each event may
carry, which are required, and their types (PROTOCOL.md §2a, §3).

A shape is written as in `rt_tui.mock.shapes`, whose session shapes it reuses (the mock
refuses what does not fit them, as the service does, so the composer warns about the
same things): a Python type, `None`, a literal string, a dict of field -> shape (an
object with those fields only), a list holding one shape (an array of it) or a tuple of
alternatives. Two more forms say what a dict cannot: `Obj` (required fields, or any extra
fields allowed) and `ByType` (an object whose `type` picks its fields, as items do).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from rt_tui.dialect import Dialect
from rt_tui.mock.shapes import BETA_SESSION, GA_SESSION, NUMBER

Shape = Any


@dataclass(frozen=True)
class Obj:
    """An object with `fields`, of which `required` must be present; `open`: other
    fields are allowed too (no warning for them)."""

    fields: Mapping[str, Shape]
    required: tuple[str, ...] = ()
    open: bool = False


@dataclass(frozen=True)
class ByType:
    """An object whose `type` field (one of `variants`) decides its other fields."""

    variants: Mapping[str, Obj]


@dataclass(frozen=True)
class EventSchema:
    """One client event type: its fields (bar `type` and `event_id`, which all have)."""

    fields: Obj = field(default_factory=lambda: Obj({}))
    purpose: str = ""
    """What sending it does, in a few words (the composer lists it)."""


_STR_OR_NULL = (str, None)

_CONTENT_PART: Shape = Obj(
    {
        "type": str,
        "text": str,
        "audio": str,
        "transcript": _STR_OR_NULL,
        "image_url": str,
        "detail": str,
        "id": str,
    },
    required=("type",),
)
_ITEM_COMMON = {"id": str, "type": str, "object": str, "status": str}


def _item(**fields: Shape) -> Obj:
    return Obj({**_ITEM_COMMON, **fields}, required=tuple(k for k in fields if k != "call_id"))


_ITEMS: dict[str, Obj] = {
    "message": _item(role=("user", "assistant", "system"), content=[_CONTENT_PART]),
    "function_call": _item(name=str, arguments=str, call_id=str),
    "function_call_output": Obj(
        {**_ITEM_COMMON, "call_id": str, "output": str}, required=("call_id", "output")
    ),
}
ITEM: dict[Dialect, ByType] = {
    Dialect.BETA: ByType(_ITEMS),
    Dialect.GA: ByType(
        {
            **_ITEMS,
            # The answer to an MCP server's approval request (GA only).
            "mcp_approval_response": Obj(
                {**_ITEM_COMMON, "approval_request_id": str, "approve": bool, "reason": str},
                required=("approval_request_id", "approve"),
            ),
        }
    ),
}
"""What `conversation.item.create` may carry in each dialect (PROTOCOL.md §2a; the mock's
`client_item`)."""

_RESPONSE_COMMON: dict[str, Shape] = {
    "instructions": str,
    "tools": list,
    "tool_choice": (str, dict),
    "conversation": ("auto", "none"),
    "input": list,
    "metadata": (dict, None),
}
_RESPONSE: dict[Dialect, Shape] = {
    Dialect.GA: {
        **_RESPONSE_COMMON,
        "output_modalities": [str],
        "audio": dict,
        "max_output_tokens": (int, "inf"),
        "prompt": (dict, None),
        "reasoning": (dict, None),
    },
    Dialect.BETA: {
        **_RESPONSE_COMMON,
        "modalities": [str],
        "voice": str,
        "output_audio_format": str,
        "temperature": NUMBER,
        "max_response_output_tokens": (int, "inf"),
    },
}
_SESSION: dict[Dialect, Shape] = {
    Dialect.GA: Obj(GA_SESSION, required=("type",)),
    Dialect.BETA: BETA_SESSION,
}


def _events(dialect: Dialect) -> dict[str, EventSchema]:
    events = {
        "session.update": EventSchema(
            Obj({"session": _SESSION[dialect]}, required=("session",)),
            "change the session's settings",
        ),
        "input_audio_buffer.append": EventSchema(
            Obj({"audio": str}, required=("audio",)), "add base64 audio to the input buffer"
        ),
        "input_audio_buffer.commit": EventSchema(purpose="turn the buffered audio into an item"),
        "input_audio_buffer.clear": EventSchema(purpose="drop the buffered audio"),
        "conversation.item.create": EventSchema(
            Obj({"item": ITEM[dialect], "previous_item_id": _STR_OR_NULL}, required=("item",)),
            "add an item: a message, a function call or its output",
        ),
        "conversation.item.retrieve": EventSchema(
            Obj({"item_id": str}, required=("item_id",)), "ask for the server's copy of an item"
        ),
        "conversation.item.delete": EventSchema(
            Obj({"item_id": str}, required=("item_id",)), "remove an item"
        ),
        "conversation.item.truncate": EventSchema(
            Obj(
                {"item_id": str, "content_index": int, "audio_end_ms": int},
                required=("item_id", "content_index", "audio_end_ms"),
            ),
            "cut an assistant audio item at what was heard",
        ),
        "response.create": EventSchema(
            Obj({"response": _RESPONSE[dialect]}), "ask for a response, optionally overridden"
        ),
        "response.cancel": EventSchema(
            Obj({"response_id": str}), "stop the running (or the given) response"
        ),
        "output_audio_buffer.clear": EventSchema(purpose="WebRTC/SIP: stop the audio playing"),
    }
    if dialect is Dialect.BETA:
        events["transcription_session.update"] = EventSchema(
            Obj({"session": dict}, required=("session",)),
            "configure a transcription-only session",
        )
    return events


CLIENT_EVENTS: dict[Dialect, dict[str, EventSchema]] = {d: _events(d) for d in Dialect}
"""Every client event type of each dialect, in the order the composer lists them."""

COMMON_FIELDS: dict[str, Shape] = {"type": str, "event_id": str}
"""Fields every client event may carry."""
