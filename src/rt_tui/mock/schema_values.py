"""Minimal valid values for a JSON schema, so the mock's tool calls carry arguments that fit.

Covers what function tools use in practice: strings (enum, const, default, formats, lengths),
numbers and integers (bounds), booleans, null, arrays (minItems), objects (required and
declared properties), `anyOf`/`oneOf`/`allOf`, type lists and local `$ref`s. Values are
deterministic and readable (a string property `city` becomes "mock city").
"""

from __future__ import annotations

import math
from typing import Any

JsonObject = dict[str, Any]

_MAX_DEPTH = 8
_FORMATS = {
    "date": "2025-01-01",
    "date-time": "2025-01-01T12:00:00Z",
    "time": "12:00:00",
    "email": "mock@example.com",
    "uri": "https://example.com/",
    "url": "https://example.com/",
    "uuid": "00000000-0000-4000-8000-000000000000",
    "ipv4": "127.0.0.1",
    "hostname": "example.com",
}


def value_for(schema: object, name: str = "value", *, root: object = None, depth: int = 0) -> Any:
    """A small value valid for `schema`; `name` (the property name) seeds readable strings."""
    root = schema if root is None else root
    if not isinstance(schema, dict) or depth > _MAX_DEPTH:
        return f"mock {name}"
    if "$ref" in schema:
        return value_for(_resolve(schema["$ref"], root), name, root=root, depth=depth + 1)
    if "const" in schema:
        return schema["const"]
    if "default" in schema:
        return schema["default"]
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        return schema["enum"][0]
    for key in ("anyOf", "oneOf"):
        options = schema.get(key)
        if isinstance(options, list) and options:
            non_null = [o for o in options if not (isinstance(o, dict) and o.get("type") == "null")]
            return value_for((non_null or options)[0], name, root=root, depth=depth + 1)
    if isinstance(schema.get("allOf"), list):
        merged: JsonObject = {k: v for k, v in schema.items() if k != "allOf"}
        for part in schema["allOf"]:
            if isinstance(part, dict):
                merged = _merge(merged, part)
        return value_for(merged, name, root=root, depth=depth + 1)
    kind = _type_of(schema)
    if kind == "object":
        return _object(schema, root, depth)
    if kind == "array":
        return _array(schema, name, root, depth)
    if kind == "string":
        return _string(schema, name)
    if kind == "integer":
        return int(_number(schema, integer=True))
    if kind == "number":
        return _number(schema, integer=False)
    if kind == "boolean":
        return True
    if kind == "null":
        return None
    return f"mock {name}"


def _type_of(schema: JsonObject) -> str | None:
    kind = schema.get("type")
    if isinstance(kind, list):
        non_null = [k for k in kind if k != "null"]
        kind = non_null[0] if non_null else "null"
    if isinstance(kind, str):
        return kind
    if "properties" in schema or "required" in schema:
        return "object"
    if "items" in schema:
        return "array"
    return None


def _resolve(ref: object, root: object) -> object:
    """A local `#/…` reference inside the root schema (anything else resolves to `{}`)."""
    if not isinstance(ref, str) or not ref.startswith("#"):
        return {}
    node = root
    for part in ref.lstrip("#").split("/"):
        if not part:
            continue
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or part not in node:
            return {}
        node = node[part]
    return node


def _merge(a: JsonObject, b: JsonObject) -> JsonObject:
    merged = {**a, **b}
    if "properties" in a or "properties" in b:
        merged["properties"] = {**a.get("properties", {}), **b.get("properties", {})}
    if "required" in a or "required" in b:
        merged["required"] = list(dict.fromkeys([*a.get("required", []), *b.get("required", [])]))
    return merged


def _object(schema: JsonObject, root: object, depth: int) -> JsonObject:
    properties = schema.get("properties")
    properties = properties if isinstance(properties, dict) else {}
    required = [r for r in schema.get("required", []) if isinstance(r, str)]
    names = list(dict.fromkeys([*required, *properties]))
    if depth >= 3:  # deep down, only what is required
        names = required
    return {
        key: value_for(properties.get(key, {}), key, root=root, depth=depth + 1) for key in names
    }


def _array(schema: JsonObject, name: str, root: object, depth: int) -> list[Any]:
    count = max(int(schema.get("minItems", 0)), 1)
    max_items = schema.get("maxItems")
    if isinstance(max_items, int):
        count = min(count, max_items)
    prefix = schema.get("prefixItems")
    if isinstance(prefix, list) and prefix:
        return [
            value_for(item, f"{name} {i + 1}", root=root, depth=depth + 1)
            for i, item in enumerate(prefix)
        ]
    items = schema.get("items", {})
    values = [value_for(items, f"{name} {i + 1}", root=root, depth=depth + 1) for i in range(count)]
    if schema.get("uniqueItems") and len(values) > 1:
        values = values[:1]
    return values


def _string(schema: JsonObject, name: str) -> str:
    text = _FORMATS.get(str(schema.get("format")), f"mock {name}")
    min_length = schema.get("minLength")
    max_length = schema.get("maxLength")
    if isinstance(min_length, int) and len(text) < min_length:
        text = text + "x" * (min_length - len(text))
    if isinstance(max_length, int) and len(text) > max_length:
        text = text[:max_length]
    return text


def _number(schema: JsonObject, *, integer: bool) -> float:
    """1 when the bounds allow it, else the nearest allowed value (the middle if squeezed)."""

    def bound(key: str) -> float | None:
        value = schema.get(key)
        return value if isinstance(value, int | float) and not isinstance(value, bool) else None

    low, high = bound("minimum"), bound("maximum")
    ex_low, ex_high = bound("exclusiveMinimum"), bound("exclusiveMaximum")
    step = 1.0 if integer else 0.5
    if ex_low is not None:
        nudged = math.floor(ex_low) + 1 if integer else ex_low + step
        low = nudged if low is None else max(low, nudged)
    if ex_high is not None:
        nudged = math.ceil(ex_high) - 1 if integer else ex_high - step
        high = nudged if high is None else min(high, nudged)
    if integer:
        low = None if low is None else math.ceil(low)
        high = None if high is None else math.floor(high)
    value: float = 1
    if low is not None and value < low:
        value = low
    if high is not None and value > high:
        value = high
    if low is not None and high is not None and low > high:
        # Exclusive bounds closer than the nudge: take the middle of the open interval.
        lo = ex_low if ex_low is not None else low
        hi = ex_high if ex_high is not None else high
        value = (lo + hi) / 2
    multiple = bound("multipleOf")
    if multiple is not None and multiple > 0:
        value = math.ceil(value / multiple) * multiple
    return value
