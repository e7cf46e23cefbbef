"""The session half of the settings form as plain data (settings -> form values ->
validated settings), what a change asks of a running app, and what both halves share (the
connection half is `profile_form`).

No Textual here: the screen copies widget values into these dataclasses and shows the
returned errors next to the widgets whose ids are the keys of `FieldErrors`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import TypeAdapter, ValidationError

from rt_tui.config import Config, FunctionTool, McpTool, SessionSettings, SessionTool

#: Widget id -> one-sentence problem.
FieldErrors = dict[str, str]
ApplyKind = Literal["none", "session", "reconnect"]

_TURN_FIELDS = {
    "type": "turn-type",
    "threshold": "vad-threshold",
    "prefix_padding_ms": "vad-prefix",
    "silence_duration_ms": "vad-silence",
    "idle_timeout_ms": "vad-idle",
    "eagerness": "vad-eagerness",
    "create_response": "vad-create",
    "interrupt_response": "vad-interrupt",
}
_SESSION_FIELDS = {
    "instructions": "instructions",
    "voice": "voice",
    "output_modality": "output-modality",
    "input_transcription_model": "transcription-model",
    "tools": "tools",
    "max_output_tokens": "max-tokens",
}
#: Turn detection parameters that matter for each type (the others keep their old value).
TURN_PARAMS: dict[str, tuple[str, ...]] = {
    "none": (),
    "server_vad": (
        "threshold",
        "prefix_padding_ms",
        "silence_duration_ms",
        "idle_timeout_ms",
        "create_response",
        "interrupt_response",
    ),
    "semantic_vad": ("eagerness", "create_response", "interrupt_response"),
}


@dataclass
class SessionForm:
    """The session half of the form, as the widgets hold it."""

    instructions: str = ""
    voice: str = ""
    output_modality: str = "text"
    turn_type: str = "server_vad"
    threshold: str = ""
    prefix_padding_ms: str = ""
    silence_duration_ms: str = ""
    idle_timeout_ms: str = ""
    eagerness: str = "auto"
    create_response: bool = True
    interrupt_response: bool = True
    transcription_model: str = ""
    tools_json: str = ""
    max_output_tokens: str = "inf"


def session_to_form(settings: SessionSettings) -> SessionForm:
    """Form values for `settings`."""
    turn = settings.turn_detection
    return SessionForm(
        instructions=settings.instructions or "",
        voice=settings.voice or "",
        output_modality=settings.output_modality,
        turn_type=turn.type,
        threshold=str(turn.threshold),
        prefix_padding_ms=str(turn.prefix_padding_ms),
        silence_duration_ms=str(turn.silence_duration_ms),
        idle_timeout_ms="" if turn.idle_timeout_ms is None else str(turn.idle_timeout_ms),
        eagerness=turn.eagerness,
        create_response=turn.create_response,
        interrupt_response=turn.interrupt_response,
        transcription_model=settings.input_transcription_model or "",
        tools_json=tools_to_json(settings.tools),
        max_output_tokens=str(settings.max_output_tokens),
    )


def tools_to_json(tools: Sequence[SessionTool]) -> str:
    """The tools as the JSON the user edits: a function's type, and how its calls are
    answered while that is the default (asking), are left out."""
    if not tools:
        return ""
    return json.dumps([_tool_json(tool) for tool in tools], indent=2)


def _tool_json(tool: SessionTool) -> dict[str, Any]:
    if isinstance(tool, McpTool):
        return tool.model_dump()
    unset = {"type"}
    if tool.answer == "ask":
        unset |= {"answer", "command", "timeout_s"}
    elif tool.answer == "demo":
        unset |= {"command", "timeout_s"}
    return tool.model_dump(exclude=unset)


_TOOL: TypeAdapter[SessionTool] = TypeAdapter(SessionTool)


def error_sentence(detail: Mapping[str, Any]) -> str:
    """A pydantic error as the sentence shown under its field."""
    if detail["type"] == "missing":
        return "This is required."
    if detail["type"] == "extra_forbidden":
        return "This field is not allowed."
    text = str(detail["msg"]).removeprefix("Value error, ")
    return text if text.endswith(".") else f"{text}."


def parse_tools(text: str) -> tuple[list[SessionTool], str | None]:
    """The tools in `text` (a JSON list of {name, description, parameters} objects, or
    {"type": "mcp", server_label, server_url}) or an error."""
    if not text.strip():
        return [], None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        return [], f"Line {error.lineno}, column {error.colno}: {error.msg}."
    if not isinstance(raw, list):
        return [], "Tools must be a JSON list of {name, description, parameters} objects."
    tools: list[SessionTool] = []
    for index, entry in enumerate(raw, start=1):
        if not isinstance(entry, dict):
            return [], f"Tool {index}: must be an object with name, description, parameters."
        try:
            tools.append(_TOOL.validate_python(entry))
        except ValidationError as error:
            detail = error.errors()[0]
            # The first part names the kind of tool (function, mcp), not a field.
            where = ".".join(str(part) for part in detail["loc"][1:])
            where = f", {where}" if where else ""
            return [], f"Tool {index}{where}: {error_sentence(detail)}"
    names = [tool.name for tool in tools if isinstance(tool, FunctionTool)]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        return [], f"Tool names must be unique; repeated: {', '.join(duplicates)}."
    return tools, None


def _number_or_default(text: str, default: Any) -> Any:
    return text.strip() if text.strip() else default


def build_session(
    form: SessionForm, previous: SessionSettings
) -> tuple[SessionSettings | None, FieldErrors]:
    """Validate the session fields; hidden turn-detection parameters keep `previous`."""
    errors: FieldErrors = {}
    tools, tools_error = parse_tools(form.tools_json)
    if tools_error:
        errors["tools"] = tools_error

    max_tokens: int | str = "inf"
    text = form.max_output_tokens.strip().lower()
    if text and text != "inf":
        try:
            max_tokens = int(text)
        except ValueError:
            max_tokens = 0
        if not 1 <= max_tokens <= 4096:
            errors["max-tokens"] = "Enter a whole number from 1 to 4096, or inf."

    old_turn = previous.turn_detection.model_dump()
    form_turn: dict[str, Any] = {
        "threshold": _number_or_default(form.threshold, 0.5),
        "prefix_padding_ms": _number_or_default(form.prefix_padding_ms, 300),
        "silence_duration_ms": _number_or_default(form.silence_duration_ms, 500),
        "idle_timeout_ms": form.idle_timeout_ms.strip() or None,
        "eagerness": form.eagerness,
        "create_response": form.create_response,
        "interrupt_response": form.interrupt_response,
    }
    relevant = TURN_PARAMS.get(form.turn_type, ())
    turn = {key: form_turn[key] if key in relevant else old_turn[key] for key in form_turn}
    turn["type"] = form.turn_type

    values: dict[str, Any] = {
        "type": previous.type,  # chosen in the file or by --transcribe, not in the form
        "instructions": form.instructions if form.instructions.strip() else None,
        "voice": form.voice.strip() or None,
        "output_modality": form.output_modality,
        "turn_detection": turn,
        "input_transcription_model": form.transcription_model.strip() or None,
        "tools": tools,
        "max_output_tokens": "inf" if "max-tokens" in errors else max_tokens,
    }
    try:
        settings = SessionSettings.model_validate(values)
    except ValidationError as error:
        for detail in error.errors():
            loc = [str(part) for part in detail["loc"]]
            if loc[0] == "turn_detection" and len(loc) > 1:
                field_id = _TURN_FIELDS.get(loc[1], "turn-type")
            else:
                field_id = _SESSION_FIELDS.get(loc[0], "instructions")
            errors.setdefault(field_id, error_sentence(detail))
        return None, errors
    return (None, errors) if errors else (settings, errors)


def apply_kind(before: Config, after: Config) -> ApplyKind:
    """What a running app must do to use `after`: reconnect, update the session, or nothing.

    Only the active profile's connection fields matter for reconnecting; renaming it or
    editing another profile does not touch the live connection.
    """
    old_profile = before.profiles.get(before.active_profile or "")
    new_profile = after.profiles.get(after.active_profile or "")
    if old_profile != new_profile:
        return "reconnect"
    if before.session != after.session:
        return "session"
    return "none"
