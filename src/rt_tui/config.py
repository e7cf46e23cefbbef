"""Profiles and session settings: pydantic models, TOML load/save, environment overlay."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr

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
