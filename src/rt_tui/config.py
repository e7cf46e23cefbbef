"""Profiles and session settings: pydantic models, TOML load/save, environment overlay.

The file (`paths.config_file()`, mode 0600) looks like this:

    active_profile = "work"

    [profiles.work]                 # Azure GA; key from $AZURE_OPENAI_API_KEY
    provider = "azure"
    endpoint = "my-resource"        # or https://my-resource.openai.azure.com
    model = "gpt-realtime"          # the deployment name

    [profiles.personal]             # api.openai.com; key from $MY_OPENAI_KEY
    provider = "openai"
    api_key_env = "MY_OPENAI_KEY"

    [profiles.local]                # any ws:// URL; no key needed
    provider = "url"
    endpoint = "ws://127.0.0.1:8765/v1/realtime?model=gpt-realtime"

    [session]
    instructions = "Answer briefly."
    output_modality = "text"

    [session.turn_detection]
    type = "server_vad"

Keys live in environment variables unless the user chooses to store one (`api_key = "…"`).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
import tomllib
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

import tomli_w
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator
from pydantic_core import ErrorDetails

from rt_tui import paths
from rt_tui.realtime.dialect import Dialect


class Provider(StrEnum):
    OPENAI = "openai"
    """api.openai.com (or OPENAI_BASE_URL), GA dialect."""
    AZURE = "azure"
    """Azure OpenAI GA: `/openai/v1/realtime?model=DEPLOYMENT`."""
    AZURE_PREVIEW = "azure-preview"
    """Azure OpenAI preview: `/openai/realtime?api-version=V&deployment=D`, beta dialect."""
    URL = "url"
    """Any ws:// or wss:// URL, dialect chosen or guessed from the path."""


DEFAULT_KEY_ENV: dict[Provider, str] = {
    Provider.OPENAI: "OPENAI_API_KEY",
    Provider.AZURE: "AZURE_OPENAI_API_KEY",
    Provider.AZURE_PREVIEW: "AZURE_OPENAI_API_KEY",
    Provider.URL: "OPENAI_API_KEY",
}


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Profile(_Section):
    """Where to connect and how to authenticate."""

    provider: Provider = Provider.OPENAI
    endpoint: str | None = None
    """openai: base URL override (default https://api.openai.com/v1); azure and
    azure-preview: `https://RES.openai.azure.com` or just the resource name RES;
    url: the full ws:// or wss:// URL."""
    model: str = "gpt-realtime"
    """The model (openai, url) or the deployment name (azure, azure-preview)."""
    api_version: str = "2025-04-01-preview"
    """azure-preview only."""
    api_key_env: str | None = None
    """Name of the environment variable holding the key; None = the provider's default."""
    api_key: SecretStr | None = None
    """A key written in the config file, by the user's explicit choice."""
    dialect: Dialect | None = None
    """url only: force a dialect instead of guessing from the path."""
    verify_tls: bool = True
    """Turning TLS verification off is an explicit, visible choice."""

    @property
    def key_env_name(self) -> str:
        return self.api_key_env or DEFAULT_KEY_ENV[self.provider]


TurnDetectionType = Literal["none", "server_vad", "semantic_vad"]


class TurnDetection(_Section):
    type: TurnDetectionType = "server_vad"
    threshold: float = Field(0.5, ge=0.0, le=1.0)
    """server_vad: activation threshold."""
    prefix_padding_ms: int = Field(300, ge=0)
    """server_vad: audio kept before speech starts."""
    silence_duration_ms: int = Field(500, ge=0)
    """server_vad: silence that ends a turn."""
    idle_timeout_ms: int | None = Field(None, ge=0)
    """server_vad (GA): commit after this much idle time."""
    eagerness: Literal["low", "medium", "high", "auto"] = "auto"
    """semantic_vad: how soon the model answers."""
    create_response: bool = True
    interrupt_response: bool = True


class FunctionTool(_Section):
    """A function the model may call; `parameters` is a JSON schema."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    type: Literal["function"] = "function"
    name: str
    description: str = ""
    parameters: dict[str, Any] = Field(default_factory=lambda: {"type": "object", "properties": {}})
    """In the file either a TOML table or, when the schema holds JSON nulls (which TOML
    cannot write), a string of JSON."""

    @field_validator("parameters", mode="before")
    @classmethod
    def _parameters_from_json_text(cls, value: Any) -> Any:
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                raise ValueError("parameters text is not valid JSON") from None
            if not isinstance(value, dict):
                raise ValueError("parameters must be a JSON object")
        return value


class SessionSettings(_Section):
    """What `session.update` carries."""

    instructions: str | None = None
    """None leaves the server's default instructions in place."""
    voice: str | None = None
    """None leaves the server's default voice."""
    output_modality: Literal["text", "audio"] = "text"
    turn_detection: TurnDetection = Field(default_factory=TurnDetection)
    input_transcription_model: str | None = None
    """e.g. whisper-1, gpt-4o-transcribe; None turns input transcription off."""
    tools: list[FunctionTool] = Field(default_factory=list)
    max_output_tokens: int | Literal["inf"] = "inf"


class Config(_Section):
    """The whole config file."""

    active_profile: str | None = None
    profiles: dict[str, Profile] = Field(default_factory=dict)
    session: SessionSettings = Field(default_factory=SessionSettings)


# --- Loading, saving and the environment -------------------------------------------------

#: Name given to profiles made up from environment variables when the file has none.
ENV_OPENAI_PROFILE = "env-openai"
ENV_AZURE_PROFILE = "env-azure"

_TOML_POSITION = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)$")


class ConfigError(Exception):
    """A config file that cannot be used; `str(e)` is one sentence naming the file and the
    line or field at fault. Never carries a value from the file (it could be a key)."""


def load_config(path: Path | None = None) -> Config:
    """The config in `path` (default `paths.config_file()`); a missing file is the default
    Config. Raises ConfigError for a file that cannot be read, parsed or validated."""
    path = path or paths.config_file()
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return Config()
    except UnicodeDecodeError:
        raise ConfigError(f"The config file {path} is not UTF-8 text.") from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ConfigError(f"The config file {path} cannot be read: {reason}.") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(_toml_error_sentence(path, text, str(exc))) from None
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_validation_sentence(path, exc)) from None


def _toml_error_sentence(path: Path, text: str, message: str) -> str:
    match = _TOML_POSITION.search(message)
    what = _TOML_POSITION.sub("", message).rstrip(".") or "invalid TOML"
    what = what[0].lower() + what[1:]
    if match and match.group(1):
        where = f"line {match.group(1)}, column {match.group(2)}"
    else:
        # "at end of document": the error is on the last line.
        where = f"line {text.rstrip(chr(10)).count(chr(10)) + 1}"
    return f"The config file {path} is not valid TOML at {where}: {what}."


def _validation_sentence(path: Path, exc: ValidationError) -> str:
    """One sentence in TOML terms: the first field at fault, what it should be, and the
    other fields at fault. Built from the schema only, never from a value in the file."""
    problems = _problems(exc.errors(include_input=False, include_url=False))
    field, what = problems[0] if problems else ("(top level)", "invalid value")
    others = list(dict.fromkeys(other for other, _ in problems[1:] if other != field))
    also = ""
    if others:
        named = [f"'{other}'" for other in others[:_OTHERS_NAMED]]
        if len(others) > _OTHERS_NAMED:
            named.append(f"{len(others) - _OTHERS_NAMED} more")
        also = "; also " + _join(named, "and")
    return f"The config file {path} has a bad value at '{field}': {what}{also}."


_OTHERS_NAMED = 3
"""How many further fields at fault the sentence names before it only counts them."""

_Loc = tuple[int | str, ...]

_TYPE_TAGS = frozenset({"int", "float", "str", "bool", "dict", "list", "none", "tuple"})

_EXPECTED: dict[str, str] = {
    "string_type": "a quoted string",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
}
"""What a value of pydantic's error type should have been, in TOML terms."""

_ALSO_ACCEPTED: dict[str, str] = {"parameters": "a string of JSON"}
"""Tables that may also be written another way (see FunctionTool.parameters)."""


def _problems(errors: list[ErrorDetails]) -> list[tuple[str, str]]:
    """(field, what it should be) per problem, in pydantic's order. A value matching no
    branch of a union gets one error per branch, each with the branch tag (e.g. "int",
    "literal['inf']") appended to the field path: they make one problem."""
    problems: list[tuple[str, str]] = []
    index = 0
    while index < len(errors):
        first = errors[index]
        loc: _Loc = tuple(first["loc"])
        group = [first]
        if len(loc) > 1 and _is_tag(loc[-1]):
            for other in errors[index + 1 :]:
                other_loc = tuple(other["loc"])
                same_field = len(other_loc) == len(loc) and other_loc[:-1] == loc[:-1]
                if not (same_field and _is_tag(other_loc[-1])):
                    break
                group.append(other)
        index += len(group)
        if len(group) > 1:
            loc = loc[:-1]
            options = [_expected(error, loc) for error in group]
            problems.append((_dotted(loc), "it should be " + _join(options, "or")))
        else:
            problems.append((_dotted(loc), _describe(first, loc)))
    return problems


def _describe(error: ErrorDetails, loc: _Loc) -> str:
    """What is wrong with one field, starting in lower case."""
    kind = error["type"]
    if kind == "extra_forbidden":
        return "this is not a setting rt-tui knows"
    if kind == "missing":
        return "this setting is required"
    if kind == "value_error":
        # Our own validators' messages come prefixed with "Value error, ".
        text = str(error["msg"]).removeprefix("Value error, ").rstrip(".")
        return text[0].lower() + text[1:] if text else "invalid value"
    return "it should be " + _expected(error, loc)


def _expected(error: ErrorDetails, loc: _Loc) -> str:
    """What the value should have been: 'a table (e.g. [session.turn_detection])',
    "'text' or 'audio'", 'a whole number'…"""
    kind = error["type"]
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        table = f"a table (e.g. {_table_header(loc)})"
        other = _ALSO_ACCEPTED.get(str(loc[-1])) if loc else None
        return f"{table} or {other}" if other else table
    if kind == "list_type":
        return f"an array (e.g. [[{_dotted(loc, indices=False)}]] tables)"
    if kind in ("enum", "literal_error"):
        # pydantic lists the allowed values from the schema: "'a', 'b' or 'c'".
        expected = str((error.get("ctx") or {}).get("expected", ""))
        if expected:
            return f"one of {expected}" if ", " in expected else expected
    if kind in _EXPECTED:
        return _EXPECTED[kind]
    return _strip_should_be(str(error["msg"]))


def _dotted(loc: _Loc, *, indices: bool = True) -> str:
    parts = [str(part) for part in loc if indices or not isinstance(part, int)]
    return ".".join(parts) or "(top level)"


def _table_header(loc: _Loc) -> str:
    """How the table at `loc` is opened in TOML: `[a.b]`, or `[[a.b]]` for an array item."""
    name = _dotted(loc, indices=False)
    return f"[[{name}]]" if loc and isinstance(loc[-1], int) else f"[{name}]"


def _join(words: list[str], conjunction: str) -> str:
    """'a', 'a or b', 'a, b or c'."""
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def _is_tag(part: int | str) -> bool:
    """Whether a pydantic error location part names a union branch rather than a field."""
    return isinstance(part, str) and ("[" in part or part in _TYPE_TAGS or part[:1].isupper())


def _strip_should_be(message: str) -> str:
    """'Input should be less than or equal to 1, …' → 'less than or equal to 1'."""
    text = message.split(",")[0].rstrip(".")
    prefix = "Input should be "
    if text.startswith(prefix):
        return text[len(prefix) :]
    return text[0].lower() + text[1:] if text else "a valid value"


def config_to_toml_data(config: Config) -> dict[str, Any]:
    """The dict written to TOML: None values dropped (TOML has no null); a key appears only
    when the user chose to keep it in the file."""
    data = config.model_dump(mode="json", exclude_none=True)
    for name, profile in config.profiles.items():
        if profile.api_key is not None:
            data["profiles"][name]["api_key"] = profile.api_key.get_secret_value()
    for tool_data, tool in zip(data["session"]["tools"], config.session.tools, strict=True):
        if _holds_none(tool.parameters):
            tool_data["parameters"] = json.dumps(tool.parameters)
    return data


def _holds_none(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, dict):
        return any(_holds_none(item) for item in value.values())
    if isinstance(value, list):
        return any(_holds_none(item) for item in value)
    return False


def save_config(config: Config, path: Path | None = None) -> Path:
    """Write `config` as TOML to `path` (default `paths.config_file()`), atomically and with
    mode 0600 since it may hold a key. Returns the path written."""
    path = path or paths.config_file()
    try:
        payload = tomli_w.dumps(config_to_toml_data(config)).encode("utf-8")
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"The config cannot be written as TOML: {exc}.") from None
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        _atomic_write(path, payload)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ConfigError(f"The config file {path} cannot be written: {reason}.") from None
    return path


def _atomic_write(path: Path, payload: bytes) -> None:
    # The temporary file is born 0600 so the key is never readable by others, not even briefly.
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise


def _env(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name, "").strip()
    return value or None


def overlay_env(config: Config, env: Mapping[str, str]) -> Config:
    """`config` with the standard environment variables applied; the input is not changed.

    - No profile in the file: AZURE_OPENAI_ENDPOINT makes an implicit `env-azure` profile
      (azure-preview when OPENAI_API_VERSION is set; deployment from AZURE_OPENAI_DEPLOYMENT);
      OPENAI_API_KEY or OPENAI_BASE_URL makes an implicit `env-openai` profile. Azure wins as
      the active profile when both exist.
    - Profiles from the file keep what they set explicitly; the environment only fills what
      they left unset (OPENAI_BASE_URL for openai endpoints, AZURE_OPENAI_ENDPOINT,
      AZURE_OPENAI_DEPLOYMENT and OPENAI_API_VERSION for azure ones).
    Keys are never copied into the config: they are read from the environment at connect time.
    """
    result = config.model_copy(deep=True)
    base_url = _env(env, "OPENAI_BASE_URL")
    azure_endpoint = _env(env, "AZURE_OPENAI_ENDPOINT")
    deployment = _env(env, "AZURE_OPENAI_DEPLOYMENT")
    api_version = _env(env, "OPENAI_API_VERSION")

    if not result.profiles:
        implicit: dict[str, Profile] = {}
        if azure_endpoint:
            provider = Provider.AZURE_PREVIEW if api_version else Provider.AZURE
            azure = Profile(provider=provider, endpoint=azure_endpoint)
            if deployment:
                azure.model = deployment
            if api_version:
                azure.api_version = api_version
            implicit[ENV_AZURE_PROFILE] = azure
        if _env(env, "OPENAI_API_KEY") or base_url:
            implicit[ENV_OPENAI_PROFILE] = Profile(provider=Provider.OPENAI, endpoint=base_url)
        result.profiles = implicit
        if result.active_profile not in implicit and implicit:
            result.active_profile = next(iter(implicit))
        return result

    for profile in result.profiles.values():
        explicit = profile.model_fields_set
        if profile.provider is Provider.OPENAI and profile.endpoint is None and base_url:
            profile.endpoint = base_url
        if profile.provider in (Provider.AZURE, Provider.AZURE_PREVIEW):
            if profile.endpoint is None and azure_endpoint:
                profile.endpoint = azure_endpoint
            if "model" not in explicit and deployment:
                profile.model = deployment
        preview = profile.provider is Provider.AZURE_PREVIEW
        if preview and "api_version" not in explicit and api_version:
            profile.api_version = api_version
    return result


def key_is_set(profile: Profile, env: Mapping[str, str]) -> bool:
    """Whether a key is available for `profile`: written in the file, or in its env var."""
    if profile.api_key is not None and profile.api_key.get_secret_value().strip():
        return True
    return _env(env, profile.key_env_name) is not None
