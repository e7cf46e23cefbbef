"""The config's `[session]` section: what `session.update` carries.

Kept apart from where to connect (`rt_tui.config`'s profiles) and how the app behaves:
these are the settings the protocol builders (`rt_tui.realtime.client_events`) turn into
either dialect's session object. `rt_tui.config` re-exports them.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = [
    "DEFAULT_TRANSCRIPTION_MODEL",
    "FunctionTool",
    "SessionSettings",
    "SessionType",
    "TurnDetection",
    "TurnDetectionType",
]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


TurnDetectionType = Literal["none", "server_vad", "semantic_vad"]
SessionType = Literal["realtime", "transcription"]

DEFAULT_TRANSCRIPTION_MODEL = "gpt-4o-transcribe"
"""What a transcription session transcribes with when no model is set (it streams deltas)."""


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

    type: SessionType = "realtime"
    """transcription: the session only transcribes what it hears and never answers (GA
    `session.type`, beta `transcription_session.update`); only the turn detection and the
    transcription model apply. `rt-tui --transcribe` chooses it for one run."""
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

    @property
    def transcribes_only(self) -> bool:
        return self.type == "transcription"

    @property
    def transcription_model(self) -> str | None:
        """The model input audio is transcribed with (a transcription session always has one)."""
        if self.input_transcription_model:
            return self.input_transcription_model
        return DEFAULT_TRANSCRIPTION_MODEL if self.transcribes_only else None
