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

    [profiles.corp]                 # Azure with Entra ID, behind a proxy (see rt_tui.profile)
    provider = "azure"
    endpoint = "corp-resource"
    auth = "entra"
    proxy = "http://proxy.corp.example:3128"
    ca_bundle = "~/corp-root-ca.pem"

    [session]
    instructions = "Answer briefly."
    output_modality = "text"

    [session.turn_detection]
    type = "server_vad"

    [reconnect]                     # after a drop; defaults shown
    tries = 8
    reseed_turns = 20               # earlier items re-sent to the new session
    auto_renew = false              # a fresh session a minute before the 60-minute limit

    [audio]                         # live audio: see rt_tui.config_audio
    mic = "default"
    [cost]                          # prices: rt_tui/cost_settings.py
    budget_usd = 2.0                # warn once a session has cost more than this

    [composer.snippets]             # the event composer's (F5): rt_tui/composer_settings.py
    "cancel" = '{"type": "response.cancel"}'

    [ui]
    theme = "rt-midnight"           # any theme the palette (ctrl+p, Theme) lists

    [ui.keymap]                     # binding id = keys
    "main.toggle_inspector" = "f3,ctrl+o"

Keys live in environment variables unless the user chooses to store one (`api_key = "…"`).
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from rt_tui import paths
from rt_tui.composer_settings import ComposerSettings
from rt_tui.config_audio import AudioSettings
from rt_tui.config_errors import toml_error_sentence, validation_sentence
from rt_tui.config_file import ConfigError as ConfigError  # Raised here too: one class.
from rt_tui.config_file import read_config_text
from rt_tui.cost_settings import CostSettings
from rt_tui.profile import DEFAULT_KEY_ENV as DEFAULT_KEY_ENV
from rt_tui.profile import Auth as Auth
from rt_tui.profile import Profile as Profile
from rt_tui.profile import Provider as Provider
from rt_tui.session_settings import FunctionTool as FunctionTool
from rt_tui.session_settings import McpTool as McpTool
from rt_tui.session_settings import SessionSettings as SessionSettings
from rt_tui.session_settings import SessionTool as SessionTool
from rt_tui.session_settings import TurnDetection as TurnDetection
from rt_tui.session_settings import TurnDetectionType as TurnDetectionType


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class ReconnectSettings(_Section):
    """What happens when a session is lost or nears the service's time limit.

    Kept apart from `[session]`, which is what `session.update` carries."""

    tries: int = Field(8, ge=0)
    """Tries to open a lost session again before giving up (0: never retry by itself)."""
    give_up_after_s: float = Field(300.0, gt=0)
    """Stop retrying once this long has passed since the drop, whatever the tries left."""
    first_delay_s: float = Field(0.5, gt=0)
    """The wait before the first retry; it doubles with each try, with jitter."""
    max_delay_s: float = Field(30.0, gt=0)
    """The longest wait between two tries."""
    reseed_turns: int = Field(20, ge=0)
    """How many earlier items (messages, function calls and outputs) a new session is given
    so the model still knows the conversation (0: start it empty)."""
    session_limit_s: float = Field(3600.0, gt=0)
    """The service ends a session this long after it starts (60 minutes)."""
    auto_renew: bool = False
    """Open a fresh session, re-seeded, about a minute before the limit."""


class UiSettings(_Section):
    """How the app looks and which keys do what."""

    theme: str | None = None
    """A theme by name: Textual's own or a theme file's; None = rt-tui's default theme.
    Choosing one in the palette (ctrl+p, Theme) writes it here."""
    keymap: dict[str, str] = Field(default_factory=dict)
    """Binding id -> keys, comma-separated, e.g. `"main.settings" = "f2,ctrl+comma"`.
    Ids name the screen or widget, then the action: `app.help`, `app.quit`,
    `main.toggle_inspector`, `main.reconnect`, `inspector.filter`…; one the app does not
    know is named in a notification at start."""

    @field_validator("keymap")
    @classmethod
    def _check_keys(cls, value: dict[str, str]) -> dict[str, str]:
        for binding_id, keys in value.items():
            if not all(key.strip() for key in keys.split(",")):
                raise ValueError(f"the keys for {binding_id!r} hold an empty key name")
        return value


class Config(_Section):
    """The whole config file."""

    active_profile: str | None = None
    profiles: dict[str, Profile] = Field(default_factory=dict)
    session: SessionSettings = Field(default_factory=SessionSettings)
    reconnect: ReconnectSettings = Field(default_factory=ReconnectSettings)
    audio: AudioSettings = Field(default_factory=AudioSettings)
    ui: UiSettings = Field(default_factory=UiSettings)
    cost: CostSettings = Field(default_factory=CostSettings)
    composer: ComposerSettings = Field(default_factory=ComposerSettings)


def transcribing(config: Config) -> Config:
    """`config` for a transcription session (`--transcribe`), the file left as it is."""
    session = config.session.model_copy(update={"type": "transcription"})
    return config.model_copy(update={"session": session})


def speaking(config: Config) -> Config:
    """`config` with spoken replies, for a run given a speaker (`--speaker`): text replies
    would leave it nothing to play. The file is left as it is."""
    if config.session.transcribes_only or config.session.output_modality == "audio":
        return config
    session = config.session.model_copy(update={"output_modality": "audio"})
    return config.model_copy(update={"session": session})


# --- Loading, saving and the environment -------------------------------------------------

#: Name given to profiles made up from environment variables when the file has none.
ENV_OPENAI_PROFILE = "env-openai"
ENV_AZURE_PROFILE = "env-azure"


def load_config(path: Path | None = None) -> Config:
    """The config in `path` (default `paths.config_file()`); a missing file is the default
    Config. Raises ConfigError for a file that cannot be read, parsed or validated."""
    path = path or paths.config_file()
    text = read_config_text(path)
    return Config() if text is None else parse_config(path, text)


def parse_config(path: Path, text: str) -> Config:
    """The config that `text`, read from the file at `path`, holds. Raises ConfigError
    naming the line or field at fault."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(toml_error_sentence(path, text, str(exc))) from None
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(validation_sentence(path, exc)) from None


def config_to_toml_data(config: Config) -> dict[str, Any]:
    """The dict written to TOML: None values dropped (TOML has no null), and fields the
    profile's provider does not use; a key appears only when the user chose to keep it
    in the file."""
    data = config.model_dump(mode="json", exclude_none=True)
    for name, profile in config.profiles.items():
        if profile.api_key is not None:
            data["profiles"][name]["api_key"] = profile.api_key.get_secret_value()
        if profile.provider is not Provider.AZURE_PREVIEW:
            del data["profiles"][name]["api_version"]  # only the preview path has one
        if not profile.headers:
            del data["profiles"][name]["headers"]  # not an empty [profiles.NAME.headers]
    for tool_data, tool in zip(data["session"]["tools"], config.session.tools, strict=True):
        if isinstance(tool, FunctionTool) and _holds_none(tool.parameters):
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


#: What `overlay_env` reads to make up profiles when the file has none.
IMPLICIT_PROFILE_ENV: tuple[str, ...] = ("OPENAI_API_KEY", "OPENAI_BASE_URL")
IMPLICIT_PROFILE_ENV += ("AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_API_KEY")
IMPLICIT_PROFILE_ENV += ("AZURE_OPENAI_DEPLOYMENT", "OPENAI_API_VERSION")


def profile_env_names(profile: Profile) -> tuple[str, ...]:
    """The environment variables `profile` reads (its key's first), by name: what a
    report may list, since names say nothing secret."""
    names = [profile.key_env_name]
    if profile.provider is Provider.OPENAI:
        names.append("OPENAI_BASE_URL")
    elif profile.provider in (Provider.AZURE, Provider.AZURE_PREVIEW):
        names += ["AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_DEPLOYMENT"]
        if profile.provider is Provider.AZURE_PREVIEW:
            names.append("OPENAI_API_VERSION")
    return tuple(names)


def key_is_set(profile: Profile, env: Mapping[str, str]) -> bool:
    """Whether a key is available for `profile`: written in the file, or in its env var."""
    if profile.api_key is not None and profile.api_key.get_secret_value().strip():
        return True
    return _env(env, profile.key_env_name) is not None
