"""The mock's conversation: ordered items in the wire shape of the session's dialect.

Also checks the items a client creates (`conversation.item.create`) the way the service
does and turns them into the server's copy (id, `object`, `status`, no audio bytes).
"""

from __future__ import annotations

import base64
import binascii
import copy
from collections.abc import Callable
from typing import Any

from rt_tui.dialect import Dialect
from rt_tui.mock.errors import (
    MockError,
    invalid_type,
    invalid_value,
    missing_parameter,
    unknown_parameter,
)
from rt_tui.realtime.audio import duration_ms
from rt_tui.realtime.audio_formats import from_wire

JsonObject = dict[str, Any]

_ITEM_TYPES = ["message", "function_call", "function_call_output", "mcp_approval_response"]
_ROLES = ["user", "assistant", "system"]
_ITEM_KEYS = {
    "id",
    "type",
    "object",
    "status",
    "role",
    "content",
    "call_id",
    "name",
    "arguments",
    "output",
    "approval_request_id",
    "approve",
    "reason",
}


def content_types(dialect: Dialect, role: str) -> list[str]:
    """Content part types a client may send for `role`."""
    if role == "assistant":
        return ["output_text"] if dialect is Dialect.GA else ["text"]
    if role == "system":
        return ["input_text"]
    if dialect is Dialect.GA:
        return ["input_text", "input_audio", "input_image"]
    return ["input_text", "input_audio", "item_reference"]


class ItemStore:
    """Items in conversation order, with the milliseconds of audio each one holds."""

    def __init__(self) -> None:
        self._order: list[str] = []
        self._items: dict[str, JsonObject] = {}
        self.audio_ms: dict[str, float] = {}

    def __len__(self) -> int:
        return len(self._order)

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._items

    @property
    def items(self) -> list[JsonObject]:
        return [self._items[i] for i in self._order]

    @property
    def last_id(self) -> str | None:
        return self._order[-1] if self._order else None

    def get(self, item_id: str) -> JsonObject | None:
        return self._items.get(item_id)

    def add(self, item: JsonObject, previous_item_id: str | None = None) -> str | None:
        """Insert `item` after `previous_item_id` ('root' = first; None = last).

        Returns the id of the item now before it. Raises `MockError` for an unknown
        previous item or a duplicate id.
        """
        item_id = str(item["id"])
        if item_id in self._items:
            raise MockError(
                "item_already_exists", f"Item with id '{item_id}' already exists.", "item.id"
            )
        if previous_item_id is None:
            index = len(self._order)
        elif previous_item_id == "root":
            index = 0
        elif previous_item_id in self._items:
            index = self._order.index(previous_item_id) + 1
        else:
            raise MockError(
                "invalid_value",
                f"Previous item with id '{previous_item_id}' not found.",
                "previous_item_id",
            )
        self._order.insert(index, item_id)
        self._items[item_id] = item
        return self._order[index - 1] if index else None

    def replace(self, item: JsonObject) -> None:
        """Put the final version of an item (same id) in place."""
        item_id = str(item["id"])
        if item_id in self._items:
            self._items[item_id] = item

    def delete(self, item_id: str) -> None:
        if item_id not in self._items:
            raise item_not_found(item_id)
        self._order.remove(item_id)
        del self._items[item_id]
        self.audio_ms.pop(item_id, None)


def item_not_found(item_id: object) -> MockError:
    return MockError("item_not_found", f"Item with item_id not found: {item_id}.", "item_id")


def client_item(
    raw: object, dialect: Dialect, new_id: Callable[[str], str], input_format: object = None
) -> tuple[JsonObject, float]:
    """The server's copy of an item sent in `conversation.item.create`, and its audio length.

    Raises `MockError` for what the service rejects: unknown fields or types, missing
    required fields, assistant audio, undecodable audio.
    """
    if raw is None:
        raise missing_parameter("item")
    if not isinstance(raw, dict):
        raise invalid_type("item", "an object", raw)
    for key in raw:
        if key not in _ITEM_KEYS:
            raise unknown_parameter(f"item.{key}")
    kind = raw.get("type")
    if kind is None:
        raise missing_parameter("item.type")
    if kind not in _ITEM_TYPES:
        raise invalid_value("item.type", kind, _ITEM_TYPES)
    item: JsonObject = {"id": raw.get("id") or new_id("item"), "object": "realtime.item"}
    item["type"] = kind
    audio = 0.0
    if kind == "message":
        role = raw.get("role")
        if role not in _ROLES:
            if role is None:
                raise missing_parameter("item.role")
            raise invalid_value("item.role", role, _ROLES)
        item["status"] = "completed"
        item["role"] = role
        item["content"], audio = _content(raw.get("content"), dialect, role, input_format)
    elif kind == "mcp_approval_response":
        del item["object"]  # MCP items have none (the SDK's GA item models)
        item.update(_approval_response(raw, dialect))
    elif kind == "function_call":
        for key in ("name", "arguments"):
            if not isinstance(raw.get(key), str):
                raise missing_parameter(f"item.{key}")
        item["status"] = "completed"
        item["name"] = raw["name"]
        item["call_id"] = raw.get("call_id") or new_id("call")
        item["arguments"] = raw["arguments"]
    else:
        for key in ("call_id", "output"):
            if key not in raw:
                raise missing_parameter(f"item.{key}")
            if not isinstance(raw[key], str):
                raise invalid_type(f"item.{key}", "a string", raw[key])
        item["status"] = "completed"
        item["call_id"] = raw["call_id"]
        item["output"] = raw["output"]
    return item, audio


def _approval_response(raw: JsonObject, dialect: Dialect) -> JsonObject:
    """The fields of an `mcp_approval_response` (GA only): whose request, yes or no, why."""
    if dialect is not Dialect.GA:
        raise invalid_value("item.type", raw.get("type"), _ITEM_TYPES[:3])
    if not isinstance(raw.get("approval_request_id"), str):
        raise missing_parameter("item.approval_request_id")
    if not isinstance(raw.get("approve"), bool):
        if "approve" not in raw:
            raise missing_parameter("item.approve")
        raise invalid_type("item.approve", "a boolean", raw["approve"])
    fields: JsonObject = {
        "approval_request_id": raw["approval_request_id"],
        "approve": raw["approve"],
    }
    if raw.get("reason") is not None:
        if not isinstance(raw["reason"], str):
            raise invalid_type("item.reason", "a string", raw["reason"])
        fields["reason"] = raw["reason"]
    return fields


def _content(
    raw: object, dialect: Dialect, role: str, input_format: object
) -> tuple[list[JsonObject], float]:
    if raw is None:
        raise missing_parameter("item.content")
    if not isinstance(raw, list):
        raise invalid_type("item.content", "an array", raw)
    allowed = content_types(dialect, role)
    content: list[JsonObject] = []
    audio = 0.0
    for index, part in enumerate(raw):
        param = f"item.content[{index}]"
        if not isinstance(part, dict):
            raise invalid_type(param, "an object", part)
        kind = part.get("type")
        if kind not in allowed:
            raise invalid_value(f"{param}.type", kind, allowed)
        clean = copy.deepcopy(part)
        if kind == "input_audio":
            pcm = from_wire(decode_audio(clean.pop("audio", ""), f"{param}.audio"), input_format)
            audio += duration_ms(pcm)
            clean.setdefault("transcript", None)
        content.append(clean)
    return content, audio


def decode_audio(value: object, param: str) -> bytes:
    """Base64 audio from a client event (raises `MockError` if it is not base64)."""
    if not isinstance(value, str):
        raise invalid_type(param, "a base64 string", value)
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise MockError(
            "invalid_value",
            f"Invalid '{param}'. Expected base64-encoded audio bytes.",
            param,
        ) from None
