"""Type checks for what clients put in `session.update` and `response.create`.

The mock echoes the session back in `session.updated`, so a value of the wrong type must be
refused (as the service does, with `invalid_type`) rather than stored and sent on.
A shape is a Python type, `None`, a dict of field name → shape (an object with those fields
only), a list holding one shape (an array of it), or a tuple of alternatives.
"""

from __future__ import annotations

from typing import Any

from rt_tui.dialect import Dialect
from rt_tui.mock.errors import MockError, invalid_type, invalid_value, unknown_parameter

JsonObject = dict[str, Any]
Shape = Any

NUMBER = (int, float)
_NAMES = {str: "a string", int: "an integer", float: "a number", bool: "a boolean"}

_TRANSCRIPTION_GA: Shape = {
    "model": str,
    "language": str,
    "languages": [str],
    "keywords": [str],
    "prompt": str,
    "delay": str,
}
_TRANSCRIPTION_BETA: Shape = {"model": str, "language": str, "prompt": str}
_TRACING: Shape = ("auto", {"group_id": str, "metadata": dict, "workflow_name": str}, None)
_TOOL_CHOICE: Shape = (str, {"type": str, "name": str, "server_label": str})
_MAX_TOKENS: Shape = (int, "inf")

TURN_DETECTION: Shape = {
    "type": str,
    "threshold": NUMBER,
    "prefix_padding_ms": int,
    "silence_duration_ms": int,
    "idle_timeout_ms": (int, None),
    "create_response": bool,
    "interrupt_response": bool,
    "eagerness": str,
}

GA_SESSION: Shape = {
    "type": str,
    "model": str,
    "instructions": str,
    "output_modalities": [str],
    "include": ([str], None),
    "tracing": _TRACING,
    "tools": list,
    "tool_choice": _TOOL_CHOICE,
    "max_output_tokens": _MAX_TOKENS,
    "prompt": ({"id": str, "version": (str, None), "variables": (dict, None)}, None),
    "truncation": (str, dict),
    "reasoning": ({"effort": (str, None)}, None),
    "parallel_tool_calls": bool,
    "audio": {
        "input": {
            "format": dict,
            "transcription": (_TRANSCRIPTION_GA, None),
            "noise_reduction": ({"type": (str, None), "strength": (NUMBER, None)}, None),
            "turn_detection": (TURN_DETECTION, None),
        },
        "output": {"format": dict, "voice": (str, {"id": str}), "speed": NUMBER},
    },
}
BETA_SESSION: Shape = {
    "model": str,
    "modalities": [str],
    "instructions": str,
    "voice": str,
    "input_audio_format": str,
    "output_audio_format": str,
    "input_audio_transcription": (_TRANSCRIPTION_BETA, None),
    "input_audio_noise_reduction": ({"type": (str, None)}, None),
    "turn_detection": ({k: v for k, v in TURN_DETECTION.items() if k != "idle_timeout_ms"}, None),
    "tools": list,
    "tool_choice": str,
    "temperature": NUMBER,
    "max_response_output_tokens": _MAX_TOKENS,
    "speed": NUMBER,
    "tracing": _TRACING,
    "client_secret": dict,
    "include": ([str], None),  # transcription sessions only
}


def check_shape(value: object, shape: Shape, param: str) -> None:
    """Raise `MockError` unless `value` fits `shape` (see the module docstring)."""
    if _fits(value, shape):
        return
    if isinstance(shape, dict) and isinstance(value, dict):
        for key, item in value.items():
            if key not in shape:
                raise unknown_parameter(f"{param}.{key}")
            check_shape(item, shape[key], f"{param}.{key}")
        return
    if isinstance(shape, list) and isinstance(value, list):
        for index, item in enumerate(value):
            check_shape(item, shape[0], f"{param}[{index}]")
        return
    if isinstance(shape, tuple):
        objects = [s for s in shape if isinstance(s, dict)]
        if objects and isinstance(value, dict):
            check_shape(value, objects[0], param)
            return
        literals = [s for s in shape if isinstance(s, str)]
        if literals and isinstance(value, str):
            raise invalid_value(param, value, literals)
    raise invalid_type(param, _describe(shape), value)


def _fits(value: object, shape: Shape) -> bool:
    if shape is None:
        return value is None
    if isinstance(shape, str):
        return value == shape
    if isinstance(shape, tuple):
        return any(_fits(value, s) for s in shape)
    if isinstance(shape, dict):
        return isinstance(value, dict) and all(
            k in shape and _fits(v, shape[k]) for k, v in value.items()
        )
    if isinstance(shape, list):
        return isinstance(value, list) and all(_fits(v, shape[0]) for v in value)
    if shape is int or shape is float:
        return (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and (shape is float or isinstance(value, int))
        )
    return isinstance(value, shape)


def _describe(shape: Shape) -> str:
    if shape is None:
        return "null"
    if isinstance(shape, str):
        return f"'{shape}'"
    if isinstance(shape, tuple):
        return " or ".join(dict.fromkeys(_describe(s) for s in shape))
    if isinstance(shape, dict) or shape is dict:
        return "an object"
    if isinstance(shape, list) or shape is list:
        return "an array"
    return _NAMES.get(shape, str(shape))


def check_response_params(params: JsonObject, dialect: Dialect) -> None:
    """Refuse `response.create` overrides of the wrong type or value (raises `MockError`)."""
    modalities_key = "output_modalities" if dialect is Dialect.GA else "modalities"
    max_key = "max_output_tokens" if dialect is Dialect.GA else "max_response_output_tokens"
    for key, value in params.items():
        param = f"response.{key}"
        if key == modalities_key:
            allowed = (
                (["text"], ["audio"]) if dialect is Dialect.GA else (["text"], ["audio", "text"])
            )
            if not isinstance(value, list) or sorted(map(str, value)) not in allowed:
                raise invalid_value(param, value, ["text", "audio"])
        elif key == "conversation" and value not in ("auto", "none"):
            raise invalid_value(param, value, ["auto", "none"])
        elif key == max_key and value != "inf":
            if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 4096:
                raise invalid_value(param, value, ["1-4096", "inf"])
        elif key in ("metadata", "audio") and value is not None and not isinstance(value, dict):
            raise invalid_type(param, "an object", value)
        elif key in ("input", "tools") and not isinstance(value, list):
            raise invalid_type(param, "an array", value)
        elif key == "instructions" and not isinstance(value, str):
            raise invalid_type(param, "a string", value)
        if key == "tools":
            for index, tool in enumerate(value):
                check_tool(tool, f"{param}[{index}]")


def check_tool(tool: object, param: str) -> None:
    """A function tool needs a name; its description is at most 1024 characters."""
    if not isinstance(tool, dict):
        raise invalid_type(param, "an object", tool)
    if tool.get("type", "function") != "function":
        return  # MCP tools are stored as sent; the mock never calls them
    check_shape(
        tool,
        {"type": str, "name": str, "description": str, "parameters": dict, "strict": bool},
        param,
    )
    if not tool.get("name"):
        raise MockError(
            "missing_required_parameter",
            f"Missing required parameter: '{param}.name'.",
            f"{param}.name",
        )
    description = tool.get("description")
    if isinstance(description, str) and len(description) > 1024:
        raise MockError(
            "string_above_max_length",
            f"Invalid '{param}.description': string too long. Expected a string with maximum "
            f"length 1024, but got a string with length {len(description)} instead.",
            f"{param}.description",
        )
