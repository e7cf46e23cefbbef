"""The ordered list of conversation items, and how a server item object updates one."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from rt_tui.realtime.conversation_model import Item, JsonObject, normalise_part_type


def json_str(d: JsonObject, key: str) -> str | None:
    value = d.get(key)
    return value if isinstance(value, str) else None


def pending_call_id(items: Sequence[Item]) -> str | None:
    """The call_id of the newest function call that has no output item yet."""
    answered = {item.call_id for item in items if item.type == "function_call_output"}
    for item in reversed(items):
        if item.type == "function_call" and item.call_id and item.call_id not in answered:
            return item.call_id
    return None


class ItemList:
    """Items by id, in the order the server keeps them."""

    def __init__(self) -> None:
        self._order: list[str] = []
        self._items: dict[str, Item] = {}
        self.get: Callable[[str], Item | None] = self._items.get
        """The item with this id, or None: the dict's own get, which every delta calls,
        without a Python frame around it."""

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._items

    def __len__(self) -> int:
        return len(self._order)

    def __iter__(self) -> Iterator[Item]:
        return (self._items[item_id] for item_id in self._order)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(self._order)

    def ensure(self, item_id: str, **defaults: Any) -> tuple[Item, bool]:
        """The item, created (appended) with `defaults` if new; and whether it is new."""
        item = self._items.get(item_id)
        if item is not None:
            return item, False
        item = self._items[item_id] = Item(id=item_id, **defaults)
        self._order.append(item_id)
        return item, True

    def place(self, item_id: str, previous_item_id: str | None, new: bool) -> bool:
        """Put an item after `previous_item_id` ("root" = first), as the server says.

        Without a usable previous id a new item stays where it was appended and an
        existing one does not move. Returns whether the order changed (a new item
        always changes it).
        """
        if previous_item_id is None or previous_item_id == item_id:
            return new
        current = self._order.index(item_id)
        if previous_item_id == "root":
            target = 0
        elif previous_item_id in self._items:
            target = self._order.index(previous_item_id) + 1
            if target > current:
                target -= 1
        else:
            return new
        if target != current:
            del self._order[current]
            self._order.insert(target, item_id)
            return True
        return new

    def remove(self, item_id: str) -> bool:
        """Drop an item; False if there was none."""
        if self._items.pop(item_id, None) is None:
            return False
        self._order.remove(item_id)
        return True


def part_value(entry: JsonObject) -> str | None:
    """The text of a text part or the transcript of an audio part, if the object has one."""
    value = json_str(entry, "text")
    return value if value is not None else json_str(entry, "transcript")


def update_item(item: Item, raw: JsonObject, final: bool) -> None:
    """Copy a server item object's fields onto `item`.

    Streamed text is kept unless the object carries a non-empty value, or is the final
    copy of the item (`final`), whose values are the server's last word.
    """
    for attr in ("type", "role", "status"):
        value = json_str(raw, attr)
        if value is not None:
            # A few words every item repeats: one copy of each for a whole session.
            setattr(item, attr, sys.intern(value))
    for attr in ("name", "call_id", "server_label"):
        value = json_str(raw, attr)
        if value is not None:
            setattr(item, attr, value)
    output = json_str(raw, "output")
    if output is not None:
        item.output = output
    approve = raw.get("approve")
    if isinstance(approve, bool):
        item.approved = approve
    tools = raw.get("tools")
    if isinstance(tools, list):
        item.tool_names = tuple(str(t.get("name")) for t in tools if isinstance(t, dict))
    arguments = json_str(raw, "arguments")
    if arguments is not None and (arguments or final):
        item.arguments_buffer.set(arguments)
    content = raw.get("content")
    if not isinstance(content, list):
        return
    for index, entry in enumerate(content):
        if not isinstance(entry, dict):
            continue
        wire_type = json_str(entry, "type")
        part = item.part(index, normalise_part_type(wire_type or "output_text"))
        if wire_type is not None:
            part.type = normalise_part_type(wire_type)
        value = part_value(entry)
        if value is not None and (value or final):
            part.buffer.set(value)
            part.done = part.done or final or item.status == "completed"
