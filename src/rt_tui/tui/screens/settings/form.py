"""The settings form as plain data: config -> form values -> validated config.

No Textual here: the screen copies widget values into these dataclasses and shows the
returned errors next to the widgets whose ids are the keys of `FieldErrors`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import SecretStr, ValidationError

from rt_tui.config import (
    Config,
    FunctionTool,
    Profile,
    Provider,
    SessionSettings,
)
from rt_tui.dialect import Dialect
from rt_tui.realtime.endpoints import EndpointError, redact_url, resolve

#: Widget id -> one-sentence problem.
FieldErrors = dict[str, str]
ApplyKind = Literal["none", "session", "reconnect"]

AUTO_DIALECT = "auto"
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

#: Which form field shows an error for a pydantic location (first element[s]).
_PROFILE_FIELDS = {
    "provider": "provider",
    "endpoint": "endpoint",
    "model": "model",
    "api_version": "api-version",
    "api_key_env": "api-key-env",
    "api_key": "api-key",
    "dialect": "dialect",
    "verify_tls": "verify-tls",
}
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
class ProfileForm:
    """The connection half of the form, as the widgets hold it."""

    name: str
    provider: str = Provider.OPENAI.value
    endpoint: str = ""
    model: str = ""
    api_version: str = ""
    api_key_env: str = ""
    dialect: str = AUTO_DIALECT
    verify_tls: bool = True
    keep_key: bool = False
    """The user wants a key kept in the config file."""
    new_key: str = ""
    """A key typed now; empty keeps the stored one (which is never put in a widget)."""


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


def profile_to_form(name: str, profile: Profile) -> ProfileForm:
    """Form values for `profile`; the stored key itself is never copied."""
    return ProfileForm(
        name=name,
        provider=profile.provider.value,
        # A URL may carry a secret (?api-key=…, user:password@): shown redacted, and
        # kept as stored for as long as the redacted text is left alone.
        endpoint=redact_url(profile.endpoint) if profile.endpoint else "",
        model=profile.model,
        api_version=profile.api_version,
        api_key_env=profile.api_key_env or "",
        dialect=profile.dialect.value if profile.dialect else AUTO_DIALECT,
        verify_tls=profile.verify_tls,
        keep_key=profile.api_key is not None,
    )


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


def tools_to_json(tools: list[FunctionTool]) -> str:
    """The tools as the JSON the user edits (the always-"function" type left out)."""
    if not tools:
        return ""
    return json.dumps([tool.model_dump(exclude={"type"}) for tool in tools], indent=2)


def _message(detail: Mapping[str, Any]) -> str:
    if detail["type"] == "missing":
        return "This is required."
    if detail["type"] == "extra_forbidden":
        return "This field is not allowed."
    text = str(detail["msg"]).removeprefix("Value error, ")
    return text if text.endswith(".") else f"{text}."


def parse_tools(text: str) -> tuple[list[FunctionTool], str | None]:
    """The tools in `text` (a JSON list of {name, description, parameters}) or an error."""
    if not text.strip():
        return [], None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        return [], f"Line {error.lineno}, column {error.colno}: {error.msg}."
    if not isinstance(raw, list):
        return [], "Tools must be a JSON list of {name, description, parameters} objects."
    tools: list[FunctionTool] = []
    for index, entry in enumerate(raw, start=1):
        if not isinstance(entry, dict):
            return [], f"Tool {index}: must be an object with name, description, parameters."
        try:
            tools.append(FunctionTool.model_validate(entry))
        except ValidationError as error:
            detail = error.errors()[0]
            where = ".".join(str(part) for part in detail["loc"])
            return [], f"Tool {index}, {where}: {_message(detail)}"
    names = [tool.name for tool in tools]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        return [], f"Tool names must be unique; repeated: {', '.join(duplicates)}."
    return tools, None


def build_profile(
    form: ProfileForm,
    previous: Profile | None,
    other_names: set[str],
    env: Mapping[str, str],
) -> tuple[Profile | None, FieldErrors]:
    """Validate the connection fields; `previous` supplies the stored key to keep."""
    errors: FieldErrors = {}
    name = form.name.strip()
    if not name:
        errors["profile-name"] = "Give the profile a name."
    elif name in other_names:
        errors["profile-name"] = f"A profile named {name!r} already exists."
    env_name = form.api_key_env.strip()
    if env_name and not _ENV_NAME.match(env_name):
        errors["api-key-env"] = "Use an environment variable name like MY_API_KEY."
    provider = form.provider
    if provider in (Provider.AZURE, Provider.AZURE_PREVIEW) and not form.model.strip():
        errors["model"] = "Enter the deployment name."
    if provider == Provider.AZURE_PREVIEW and not form.api_version.strip():
        errors["api-version"] = "Enter an api-version, e.g. 2025-04-01-preview."

    api_key: SecretStr | None = None
    if form.keep_key:
        if form.new_key.strip():
            api_key = SecretStr(form.new_key.strip())
        elif previous is not None and previous.api_key is not None:
            api_key = previous.api_key
        else:
            errors["api-key"] = "Type the key to keep in the file, or untick the box."

    endpoint = form.endpoint.strip() or None
    if previous is not None and previous.endpoint and endpoint == redact_url(previous.endpoint):
        endpoint = previous.endpoint
    values: dict[str, Any] = {
        "provider": provider,
        "endpoint": endpoint,
        "model": form.model.strip() or Profile().model,
        "api_version": form.api_version.strip() or Profile().api_version,
        "api_key_env": env_name or None,
        "api_key": api_key,
        "dialect": None if form.dialect == AUTO_DIALECT else Dialect(form.dialect),
        "verify_tls": form.verify_tls,
    }
    try:
        profile = Profile.model_validate(values)
    except ValidationError as error:
        for detail in error.errors():
            field_id = _PROFILE_FIELDS.get(str(detail["loc"][0]), "provider")
            errors.setdefault(field_id, _message(detail))
        return None, errors
    if "endpoint" not in errors:
        problem = endpoint_problem(profile, env)
        if problem:
            errors["endpoint"] = problem
    return (None, errors) if errors else (profile, errors)


def endpoint_problem(profile: Profile, env: Mapping[str, str]) -> str | None:
    """Why `profile` cannot be turned into a URL (a missing key does not count)."""
    try:
        resolve(profile, {**env, profile.key_env_name: "placeholder"})
    except EndpointError as error:
        return str(error)
    return None


def endpoint_preview(profile: Profile, env: Mapping[str, str]) -> str | None:
    """The redacted URL `profile` connects to, or None when it cannot be built yet."""
    try:
        return resolve(profile, {**env, profile.key_env_name: "placeholder"}).display_url
    except EndpointError:
        return None


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
            errors.setdefault(field_id, _message(detail))
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


def key_status(form: ProfileForm, previous: Profile | None, env: Mapping[str, str]) -> str:
    """Where the key comes from, in words; the key itself never appears."""
    provider = Provider(form.provider)
    env_name = form.api_key_env.strip() or Profile(provider=provider).key_env_name
    in_env = bool(env.get(env_name, "").strip())
    stored = previous is not None and previous.api_key is not None
    if form.keep_key and (form.new_key.strip() or stored):
        where = "typed, kept in the file on save" if form.new_key.strip() else "stored in file"
        return f"Key: {where}" + (f" (used instead of ${env_name})" if in_env else "")
    if in_env:
        return f"Key: set in ${env_name}"
    return f"Key: not set: export ${env_name}, or keep a key in the file below"
