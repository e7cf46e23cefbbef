"""The mock's tool-call arguments: a small valid value for each JSON schema a tool may use."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from rt_tui.mock.schema_values import value_for

SCHEMAS: list[dict[str, Any]] = [
    {"type": "string"},
    {"type": "string", "minLength": 40},
    {"type": "string", "maxLength": 3},
    {"type": "string", "format": "date"},
    {"type": "string", "enum": ["red", "green"]},
    {"const": 42},
    {"type": "integer"},
    {"type": "integer", "minimum": 10, "maximum": 20},
    {"type": "integer", "exclusiveMinimum": 5},
    {"type": "integer", "maximum": -3},
    {"type": "number", "exclusiveMinimum": 0.5, "exclusiveMaximum": 0.75},
    {"type": "number", "minimum": 2.5, "multipleOf": 0.5},
    {"type": "boolean"},
    {"type": "null"},
    {"type": ["null", "integer"]},
    {"type": "array", "items": {"type": "integer"}},
    {"type": "array", "items": {"type": "string"}, "minItems": 3},
    {"type": "array", "maxItems": 0},
    {"type": "array", "prefixItems": [{"type": "string"}, {"type": "boolean"}]},
    {"anyOf": [{"type": "null"}, {"type": "string", "minLength": 2}]},
    {"oneOf": [{"type": "integer", "minimum": 3}, {"type": "string"}]},
    {
        "allOf": [
            {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]},
            {"properties": {"b": {"type": "integer"}}, "required": ["b"]},
        ]
    },
    {
        "type": "object",
        "properties": {
            "location": {"type": "string"},
            "unit": {"type": "string", "enum": ["c", "f"], "default": "c"},
            "tags": {"type": "array", "items": {"type": "string"}},
            "nested": {
                "type": "object",
                "properties": {
                    "deeper": {
                        "type": "object",
                        "properties": {"deepest": {"type": "object", "properties": {"x": {}}}},
                        "required": ["deepest"],
                    }
                },
                "required": ["deeper"],
                "additionalProperties": False,
            },
        },
        "required": ["location"],
        "additionalProperties": False,
    },
    {
        "type": "object",
        "$defs": {
            "point": {"type": "object", "properties": {"x": {"type": "number"}}, "required": ["x"]}
        },
        "properties": {"start": {"$ref": "#/$defs/point"}, "end": {"$ref": "#/$defs/point"}},
        "required": ["start", "end"],
    },
    {"type": "object"},
    {},
]


@pytest.mark.parametrize("schema", SCHEMAS, ids=[str(i) for i in range(len(SCHEMAS))])
def test_value_is_valid_for_the_schema(schema: dict[str, Any]) -> None:
    jsonschema.validate(value_for(schema, "thing"), schema)


def test_values_are_readable_and_deterministic() -> None:
    schema = SCHEMAS[22]
    value = value_for(schema, "get_weather")
    assert value["location"] == "mock location"
    assert value["unit"] == "c"
    assert value == value_for(schema, "get_weather")


def test_broken_schemas_still_give_a_value() -> None:
    assert value_for("not a schema", "x") == "mock x"
    assert value_for({"$ref": "https://elsewhere/schema"}, "x") == "mock x"
    recursive = {"type": "object", "properties": {"me": {"$ref": "#"}}, "required": ["me"]}
    value = value_for(recursive, "loop")  # ends instead of recursing forever
    assert isinstance(value, dict)
