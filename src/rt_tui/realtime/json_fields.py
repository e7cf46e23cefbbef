"""Typed reads of decoded JSON objects that never raise: the value, or a default.

Frames come from servers (and logs) the app does not control, so a field that is missing or
of the wrong type reads as the default and parsing goes on. JSON `true` is not read as an
integer, although Python's `bool` is an `int`.
"""

from __future__ import annotations

from typing import Any

JsonObject = dict[str, Any]
"""A decoded JSON object."""


def str_at(d: JsonObject, key: str, default: str = "") -> str:
    value = d.get(key)
    return value if isinstance(value, str) else default


def opt_str_at(d: JsonObject, key: str) -> str | None:
    value = d.get(key)
    return value if isinstance(value, str) else None


def int_at(d: JsonObject, key: str, default: int = 0) -> int:
    value = d.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def opt_int_at(d: JsonObject, key: str) -> int | None:
    value = d.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def opt_float_at(d: JsonObject, key: str) -> float | None:
    value = d.get(key)
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    try:
        return float(value)
    except OverflowError:  # a JSON integer too big for a float
        return None


def obj_at(d: JsonObject, key: str) -> JsonObject:
    """The object at `key`, or an empty one."""
    value = d.get(key)
    return value if isinstance(value, dict) else {}


def opt_obj_at(d: JsonObject, key: str) -> JsonObject | None:
    value = d.get(key)
    return value if isinstance(value, dict) else None
